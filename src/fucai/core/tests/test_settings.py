"""Settings from the environment (fucai.env): a bad value stops start-up with a message naming the
variable. Each case runs a fresh Python process, as a real start would."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[3])
IMPORT_SETTINGS = [sys.executable, "-c", "import fucai.settings"]
FUCAI_CHECK = [sys.executable, "-m", "fucai", "check"]


def start(command: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    """Run `command` with a clean fucai environment plus `env`."""
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("FUCAI_") and k != "DATABASE_URL"
    }
    base.update(
        {
            "PYTHONPATH": SRC,
            "DJANGO_SETTINGS_MODULE": "fucai.settings",
            "FUCAI_DATA_DIR": str(data_dir),
        }
    )
    base.update(env)
    return subprocess.run(
        command, env=base, capture_output=True, text=True, timeout=120, cwd=tempfile.gettempdir()
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


BAD_VALUES = [
    ("FUCAI_DEBUG", "maybe", "FUCAI_DEBUG='maybe' is not a boolean"),
    ("DATABASE_URL", "mysql://x", "DATABASE_URL uses 'mysql', which is not supported"),
    ("DATABASE_URL", "postgres", "DATABASE_URL uses 'postgres', which is not supported"),
    ("DATABASE_URL", "postgresql://localhost", "DATABASE_URL names no database"),
    ("DATABASE_URL", "sqlite://", "DATABASE_URL names no database"),
    ("DATABASE_URL", "postgresql://u@h:port/db", "DATABASE_URL cannot be parsed"),
    ("FUCAI_SECRET_KEY", "short", "FUCAI_SECRET_KEY must be at least 32 characters"),
    ("FUCAI_SECRET_KEY", " " * 40, "FUCAI_SECRET_KEY must be at least 32 characters"),
    ("FUCAI_ALLOWED_HOSTS", " , ", "FUCAI_ALLOWED_HOSTS=' , ' lists nothing"),
    ("FUCAI_LANGUAGE", "fr", "FUCAI_LANGUAGE='fr' is not supported; use one of zh-hans, en"),
]


BAD_VALUES += [  # fucai.analytics (settings ANALYTICS_*, SPARK_*)
    ("FUCAI_ANALYTICS_BACKEND", "spark", "FUCAI_ANALYTICS_BACKEND='spark' is not supported"),
    ("FUCAI_ANALYTICS_RECHECK_SECONDS", "soon", "FUCAI_ANALYTICS_RECHECK_SECONDS='soon' is not"),
    ("FUCAI_ANALYTICS_RECHECK_SECONDS", "-1", "FUCAI_ANALYTICS_RECHECK_SECONDS='-1' must be at"),
    ("FUCAI_ANALYTICS_RECHECK_SECONDS", "nan", "FUCAI_ANALYTICS_RECHECK_SECONDS='nan' is not a"),
    ("FUCAI_ANALYTICS_CACHE_SIZE", "1k", "FUCAI_ANALYTICS_CACHE_SIZE='1k' is not an integer"),
    ("FUCAI_ANALYTICS_CACHE_SIZE", "-5", "FUCAI_ANALYTICS_CACHE_SIZE=-5 must be at least 0"),
    ("FUCAI_SPARK_MASTER", "  ", "FUCAI_SPARK_MASTER is set but blank"),
    ("FUCAI_SPARK_SHUFFLE_PARTITIONS", "0", "FUCAI_SPARK_SHUFFLE_PARTITIONS=0 must be at least 1"),
    ("FUCAI_SPARK_SHUFFLE_PARTITIONS", "4.5", "FUCAI_SPARK_SHUFFLE_PARTITIONS='4.5' is not an"),
]
BAD_VALUES += [  # fucai.sales.activity (settings ALERT_*)
    ("FUCAI_ALERT_NO_SALES_DAYS", "0", "FUCAI_ALERT_NO_SALES_DAYS=0 must be at least 1"),
    ("FUCAI_ALERT_DROP_PCT", "150", "FUCAI_ALERT_DROP_PCT='150' must be at most 100"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_VALUES)
def test_importing_the_settings_with_a_bad_value_fails_naming_the_variable(
    data_dir, name, value, message
):
    result = start(IMPORT_SETTINGS, data_dir, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(("name", "value", "message"), BAD_VALUES)
def test_fucai_check_with_a_bad_value_says_so_in_one_line_and_exits_2(
    data_dir, name, value, message
):
    result = start(FUCAI_CHECK, data_dir, **{name: value})
    assert result.returncode == 2
    assert result.stderr.startswith(f"fucai: configuration error: Environment variable {name}")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_data_dir_that_is_a_file_is_refused(tmp_path):
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("x")
    result = start(FUCAI_CHECK, a_file)
    assert result.returncode == 2
    assert f"FUCAI_DATA_DIR='{a_file}' exists but is not a directory" in result.stderr


def test_a_data_dir_that_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = start(FUCAI_CHECK, blocker / "data")
    assert result.returncode == 2
    assert "FUCAI_DATA_DIR" in result.stderr and "cannot create it" in result.stderr


def test_an_empty_secret_key_file_is_refused_naming_the_file(data_dir):
    data_dir.mkdir()
    (data_dir / "secret_key").write_text("\n")
    result = start(FUCAI_CHECK, data_dir)
    assert result.returncode == 2
    assert (
        f"FUCAI_SECRET_KEY is not set and {data_dir / 'secret_key'} holds no usable key"
        in result.stderr
    )


def test_an_unsupported_database_url_does_not_echo_its_password(data_dir):
    result = start(FUCAI_CHECK, data_dir, DATABASE_URL="mysql://fucai:s3cret-pw@db:3306/fucai")
    assert result.returncode == 2
    assert "s3cret-pw" not in result.stderr


def test_good_values_start_and_generate_the_secret_key_once(data_dir):
    env = {"FUCAI_DEBUG": "yes", "FUCAI_ALLOWED_HOSTS": "fucai.example.cn, 127.0.0.1"}
    first = start(FUCAI_CHECK, data_dir, **env)
    assert first.returncode == 0, first.stderr
    key = (data_dir / "secret_key").read_text()
    assert len(key) >= 32 and oct((data_dir / "secret_key").stat().st_mode)[-3:] == "600"
    show = [
        sys.executable,
        "-c",
        "from fucai import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.SECRET_KEY)",
    ]
    second = start(show, data_dir, **env)
    assert second.stdout.strip() == f"True ['fucai.example.cn', '127.0.0.1'] {key}"


def test_a_postgresql_url_configures_postgresql(data_dir):
    show = [
        sys.executable,
        "-c",
        "from fucai import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
    ]
    result = start(show, data_dir, DATABASE_URL="postgresql://fucai@db.internal:5433/fucai")
    assert result.stdout.strip() == "django.db.backends.postgresql fucai db.internal 5433"


def test_analytics_settings_are_read_typed_with_their_defaults(data_dir):
    show = [
        sys.executable,
        "-c",
        "from fucai import settings as s; print(repr((s.ANALYTICS_BACKEND, "
        "s.ANALYTICS_RECHECK_SECONDS, s.ANALYTICS_CACHE_SIZE, s.SPARK_MASTER, "
        "s.SPARK_SHUFFLE_PARTITIONS)))",
    ]
    assert start(show, data_dir).stdout.strip() == "('duckdb', 2.0, 512, 'local[2]', 4)"
    given = start(
        show,
        data_dir,
        FUCAI_ANALYTICS_BACKEND=" PySpark ",
        FUCAI_ANALYTICS_RECHECK_SECONDS="0.5",
        FUCAI_ANALYTICS_CACHE_SIZE="0",
        FUCAI_SPARK_MASTER="spark://spark-master:7077",
        FUCAI_SPARK_SHUFFLE_PARTITIONS="200",
    )
    assert given.stdout.strip() == "('pyspark', 0.5, 0, 'spark://spark-master:7077', 200)"
