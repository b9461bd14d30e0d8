"""The CSV files of `fucai evaluate`: an AHP pairwise matrix and a decision matrix. A bad cell is
an error naming the file, the row (1 = the header) and the column, in the user's language."""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils.translation import gettext as _

from fucai.evaluation.scheme import parse_number


class TableError(ValueError):
    """A CSV file that cannot be read (the message is the user's sentence)."""


def read_rows(path: str | Path) -> list[list[str]]:
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(
            _("%(file)s: cannot be read (%(error)s)") % {"file": path, "error": exc}
        ) from None
    if not rows:
        raise TableError(_("%(file)s: the file is empty") % {"file": path})
    return [[cell.strip() for cell in row] for row in rows]


def cell_error(path, row: int, column: str, text: str) -> TableError:
    return TableError(
        _("%(file)s, row %(row)s, column %(column)s: %(error)s")
        % {"file": path, "row": row, "column": column, "error": text}
    )


def read_pairwise(path: str | Path):
    """(criterion names, n × n float matrix) from a header row of names and a row per criterion
    starting with its name; cells numbers or fractions ("1/3"). The matrix must be positive
    reciprocal (a_ii = 1, a_ji = 1/a_ij)."""
    import numpy as np

    from fucai.evaluation.methods import check_reciprocal

    rows = read_rows(path)
    header = rows[0]
    names = header[1:] if header and header[0] in ("", "criterion", "指标") else header
    if len(names) < 2:
        raise TableError(_("%(file)s: the header must name at least two criteria") % {"file": path})
    if len(set(names)) != len(names):
        raise TableError(_("%(file)s: criteria names in the header repeat") % {"file": path})
    body = rows[1:]
    if len(body) != len(names):
        raise TableError(
            _("%(file)s: %(n)s criteria in the header but %(rows)s rows")
            % {"file": path, "n": len(names), "rows": len(body)}
        )
    matrix = np.empty((len(names), len(names)))
    for i, row in enumerate(body):
        line = i + 2
        if not row or row[0] != names[i]:
            raise cell_error(
                path, line, 1, _("the row must start with %(name)s") % {"name": names[i]}
            )
        cells = row[1:]
        if len(cells) != len(names):
            raise cell_error(
                path,
                line,
                names[i],
                _("%(n)s cells expected, %(got)s found") % {"n": len(names), "got": len(cells)},
            )
        for j, cell in enumerate(cells):
            value = parse_number(cell)
            if value is None or not value > 0:
                raise cell_error(
                    path,
                    line,
                    names[j],
                    _("%(cell)r is not a positive number or fraction") % {"cell": cell},
                )
            matrix[i, j] = value
    for i, j, kind in check_reciprocal(names, matrix):
        message = {
            "diagonal": _("the diagonal must be 1"),
            "reciprocal": _("must be the reciprocal of row %(other)s, column %(col)s")
            % {"other": names[j], "col": names[i]},
        }.get(kind, _("must be positive"))
        raise cell_error(path, i + 2, names[j], message)
    return names, matrix


def read_decision(path: str | Path, expected: list[str] | None = None):
    """(ids, indicator names, m × n float matrix) from a file with a column `id` and a column per
    indicator; `expected`: the indicator names the scheme needs (each must be a column)."""
    import numpy as np

    rows = read_rows(path)
    header = rows[0]
    if "id" not in header:
        raise TableError(_("%(file)s: the header has no column id") % {"file": path})
    id_at = header.index("id")
    columns = [name for name in header if name != "id"]
    if expected is not None:
        missing = [name for name in expected if name not in header]
        if missing:
            raise TableError(
                _("%(file)s: missing columns: %(names)s")
                % {"file": path, "names": ", ".join(missing)}
            )
        columns = list(expected)
    if not columns:
        raise TableError(_("%(file)s: no indicator columns") % {"file": path})
    where = [header.index(name) for name in columns]
    ids, values = [], []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) < len(header):
            raise cell_error(
                path, line, header[len(row)] if len(row) < len(header) else "", _("missing cell")
            )
        ident = row[id_at]
        if not ident:
            raise cell_error(path, line, "id", _("empty id"))
        if ident in ids:
            raise cell_error(path, line, "id", _("id %(id)s repeats") % {"id": ident})
        parsed = []
        for name, at in zip(columns, where, strict=True):
            value = parse_number(row[at])
            if value is None or not np.isfinite(value):
                raise cell_error(
                    path, line, name, _("%(cell)r is not a number") % {"cell": row[at]}
                )
            parsed.append(value)
        ids.append(ident)
        values.append(parsed)
    if len(ids) < 2:
        raise TableError(
            _("%(file)s: at least two rows of alternatives are needed") % {"file": path}
        )
    return ids, columns, np.array(values, dtype=float)
