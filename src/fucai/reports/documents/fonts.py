"""The CJK fonts the documents are typeset in: Noto Serif CJK SC (宋体-like: title, body) and
Noto Sans CJK SC (黑体-like: headings, chart labels), from Debian's fonts-noto-cjk, which .ci/run
installs. Found in Debian's directory first, then by asking fontconfig, so another layout of the
same package works too; a machine without them gets FontsMissing naming the package to install.

The .docx does not embed fonts (Word embeds TrueType only, and Noto CJK is CFF): it names the
fonts every Chinese Windows and WPS has (FONT_NAMES) and the reader's office draws them."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEBIAN_DIR = Path("/usr/share/fonts/opentype/noto")
SC_FACE = 2  # the collections' faces are JP, KR, SC, TC, HK: Simplified Chinese is face 2
FILES = {
    ("serif", ""): "NotoSerifCJK-Regular.ttc",
    ("serif", "B"): "NotoSerifCJK-Bold.ttc",
    ("sans", ""): "NotoSansCJK-Regular.ttc",
    ("sans", "B"): "NotoSansCJK-Bold.ttc",
}
FAMILIES = {"serif": "Noto Serif CJK SC", "sans": "Noto Sans CJK SC"}
# what the .docx asks Word/WPS for (w:eastAsia): a government office's usual faces
FONT_NAMES = {"title": "宋体", "body": "仿宋", "heading": "黑体", "table": "宋体"}
LATIN_FONT = "Times New Roman"


class FontsMissing(RuntimeError):
    """The CJK fonts are not installed on this machine."""


@dataclass(frozen=True)
class CjkFont:
    """One face of a font collection: its file and the face's index in it."""

    path: Path
    face: int = SC_FACE


def cjk_font(family: str = "serif", style: str = "") -> CjkFont:
    """The file of a Noto CJK family ("serif" or "sans") and style ("" or "B")."""
    return CjkFont(_find(FILES[(family, style)]))


@cache
def _find(name: str) -> Path:
    path = DEBIAN_DIR / name
    if path.is_file():
        return path
    found = _fontconfig(name)
    if found is None:
        raise FontsMissing(
            f"The CJK font {name} is not installed (looked in {DEBIAN_DIR} and asked "
            "fontconfig): install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)."
        )
    return found


def _fontconfig(name: str) -> Path | None:
    """The path fontconfig knows for a font file called `name`, if any."""
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False
    ).stdout
    return next((Path(p) for p in listed.splitlines() if Path(p).name == name), None)
