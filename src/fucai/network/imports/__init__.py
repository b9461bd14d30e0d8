"""Import of the station file (站点台账) a city agency keeps, as CSV or Excel.

    from fucai.network.imports import import_stations
    result = import_stations(upload, upload.name, request.user, dry_run=False)
    if not result.ok:
        for error in result.errors: ...  # file, row, column, message

The layout is documented in docs/station-import.md and defined in `layout.py`.
"""

from __future__ import annotations

from fucai.network.imports.stations import ImportResult, RowError, check_can_import, import_stations

__all__ = ["ImportResult", "RowError", "check_can_import", "import_stations"]
