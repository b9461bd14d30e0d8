"""Files for tests of the importers: workbooks that Excel would refuse to open."""

from __future__ import annotations

import io
import zipfile


def damaged_xlsx(rows: list[list], part: str = "[Content_Types].xml") -> bytes:
    """An .xlsx workbook of `rows` whose `part` (by default the content types) is malformed XML."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    good = io.BytesIO()
    workbook.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<Types><broken" if item.filename == part else data)
    return out.getvalue()
