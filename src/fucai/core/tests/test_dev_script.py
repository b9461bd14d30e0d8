"""`./dev` syncs the environment only when uv.lock, pyproject.toml or the venv's Python changed.

The script runs in a copy of the project root whose venv holds a stand-in `uv` (it records each
`sync`) and a stand-in `fucai`: no package is installed and nothing leaves the machine."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
UV_VERSION = next(
    line.split("=", 1)[1]
    for line in (ROOT / "dev").read_text().splitlines()
    if line.startswith("UV_VERSION=")
)

pytestmark = pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs sha256sum")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "dev", tmp_path / "dev")
    (tmp_path / "uv.lock").write_text("version = 1\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'fucai'\n")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    _script(
        bin_dir / "uv",
        f'[ "$1" = --version ] && echo "uv {UV_VERSION}" && exit 0\n'
        f'echo "$@" >> "{tmp_path}/uv-calls"\n',
    )
    _script(bin_dir / "fucai", 'echo "fucai $*"\n')
    return tmp_path


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


def _run(project: Path, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "FUCAI_PYTHON": sys.executable}
    done = subprocess.run(
        [str(project / "dev"), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _syncs(project: Path) -> int:
    calls = project / "uv-calls"
    return len(calls.read_text().splitlines()) if calls.exists() else 0


def test_dev_syncs_once_and_again_only_when_the_lock_changes(project):
    assert _run(project, "fucai", "network", "summary") == "fucai network summary\n"
    assert _syncs(project) == 1
    assert "--compile-bytecode" in (project / "uv-calls").read_text()  # libraries as bytecode
    _run(project, "fucai", "sales", "status")
    _run(project, "fucai", "sales", "status")
    assert _syncs(project) == 1
    (project / "uv.lock").write_text("version = 1\n# a new package\n")
    _run(project, "fucai", "sales", "status")
    assert _syncs(project) == 2
    (project / "pyproject.toml").write_text("[project]\nname = 'fucai'\nversion = '2'\n")
    _run(project, "fucai", "sales", "status")
    assert _syncs(project) == 3


def test_dev_syncs_again_when_the_stamp_is_gone(project):
    _run(project, "fucai", "migrate")
    (project / ".venv" / ".fucai-synced").unlink()
    _run(project, "fucai", "migrate")
    assert _syncs(project) == 2
