"""Sales targets (销售任务): the Excel template, its import (atomic, errors naming file, row and
column; a re-import of a year makes a new version), and the completion runner (完成率 against
序时进度) as of any day, for cities, market managers and stations (docs/evaluation.md,
"Targets").

The one definition, for an as-of day D of year Y (`pace`, used by the cockpit, the station page,
the targets page, `fucai sales targets completion`, the API and the evaluation's
target_completion indicator):
- sales to date: the year to date [1 January Y, D] of the target's city, manager or station,
  read through the analytics (YearToDateRunner, grouped by city, market_manager or station:
  a manager's sales are their stations' on the days assigned to them);
- completion rate (完成率) = sales to date / the annual target;
- time-elapsed share (序时进度) = the target to date (序时任务) / the annual target, where the
  target to date is
  - by monthly targets (按月度任务), when the target has them: the months before D's month + D's
    month's target × its days elapsed / its days;
  - by calendar days (按日历天数), without monthly targets: the annual target × days elapsed
    (1 January … D, both included) / days in Y (365 or 366);
  31 December → 1 either way; 29 February 2024 by calendar days → 60/366;
- completion of the target to date (序时完成率) = sales to date / the target to date (the
  evaluation's target_completion for a period from 1 January); ahead of time when ≥ 1;
- a total (the province of its cities): its targets, targets to date and sales added up.
No targets for Y: no completion at all ("no target"), never 0 %.
Rates and shares are exact fractions rounded half up to 4 decimals (0.1234 = 12.34 %).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from fucai.sales.choices import TimeShareBasis
from fucai.sales.models.targets import SalesTarget, SalesTargetSet, TargetLevel

FOUR = Decimal("0.0001")
MONTHS = range(1, 13)
# the analytics grouping whose groups are each level's sales
GROUPING = {
    TargetLevel.CITY: "city",
    TargetLevel.MANAGER: "market_manager",
    TargetLevel.STATION: "station",
}


class TargetImportError(ValueError):
    """A targets file that cannot be imported; `errors` are the user's sentences."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def rounded(value: Fraction, places: Decimal = FOUR) -> Decimal:
    """An exact fraction rounded half up (to 4 decimals unless `places` says otherwise)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def time_share(as_of: dt.date) -> Fraction:
    """序时进度: days elapsed in the year (the as-of day included) / days in the year."""
    return elapsed_share(dt.date(as_of.year, 1, 1), as_of, dt.date(as_of.year, 12, 31))


def elapsed_share(start: dt.date, as_of: dt.date, end: dt.date) -> Fraction:
    """The elapsed share of a period [start, end] on `as_of` (both ends counted): days elapsed
    (start … as_of) / days in the period — 序时进度 of a year, a quarter or a month."""
    return Fraction((as_of - start).days + 1, (end - start).days + 1)


def monthly_share(monthly: list[int], as_of: dt.date) -> Fraction | None:
    """The share of the year's target its monthly targets put before the end of `as_of` (the
    as-of month pro rata by days); None without monthly targets or with a zero year."""
    if len(monthly) != 12 or sum(monthly) <= 0:
        return None
    month_days = calendar.monthrange(as_of.year, as_of.month)[1]
    done = sum(monthly[: as_of.month - 1]) + Fraction(
        monthly[as_of.month - 1] * as_of.day, month_days
    )
    return Fraction(done) / sum(monthly)


@dataclass(frozen=True)
class Pace:
    """序时进度 of a target on a day: the share of its annual target due by then, and what that
    share is measured by (TimeShareBasis)."""

    share: Fraction
    basis: str


def pace(target: SalesTarget, as_of: dt.date) -> Pace | None:
    """THE 序时进度 of `target` on `as_of` (a day of the target's year): by its monthly targets
    when it has them (the as-of month pro rata by days), else by calendar days of the annual
    target (`time_share`). None for a zero annual target (nothing is due)."""
    if target.annual_fen <= 0:
        return None
    monthly = monthly_share(target.monthly_fen, as_of)
    if monthly is None:
        return Pace(time_share(as_of), TimeShareBasis.CALENDAR)
    return Pace(monthly, TimeShareBasis.MONTHLY)


def target_to_date(target: SalesTarget, start: dt.date, as_of: dt.date) -> Fraction | None:
    """序时任务: the target of [start, as_of] (a period of one year up to a day of it) — the
    annual target × (`pace` at `as_of` − `pace` the day before `start`). A whole year: the
    annual target; a whole quarter or month: the sum of its monthly targets (or its calendar
    days' share without them). None for a zero annual target."""
    now = pace(target, as_of)
    if now is None:
        return None
    before = start - dt.timedelta(days=1)
    done = Fraction(0) if before.year < start.year else pace(target, before).share
    return target.annual_fen * (now.share - done)


def combined_basis(bases: Iterable[str | None]) -> str | None:
    """The basis of a total: its rows' one basis, or mixed (None without any)."""
    found = {b for b in bases if b is not None}
    if not found:
        return None
    return found.pop() if len(found) == 1 else TimeShareBasis.MIXED


def basis_label(basis: str | None) -> str:
    """按月度任务, 按日历天数 or both (empty without a basis: a zero target)."""
    return "" if basis is None else str(TimeShareBasis(basis).label)


def time_share_label(basis: str | None) -> str:
    """序时进度's heading with what it is measured by: 序时进度（按月度任务） or （按日历天数）."""
    if basis is None:
        return _("Time elapsed (序时进度)")
    return _("Time elapsed (序时进度, %(basis)s)") % {"basis": basis_label(basis)}


def rate_of(part: int | Fraction, whole: int | Fraction | None) -> Decimal | None:
    """part / whole rounded to 4 decimals; None without a whole (no target, nothing due)."""
    return rounded(Fraction(part) / Fraction(whole)) if whole else None


# -- completion -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Completion:
    """One target's completion as of a day (`pace`: the one definition of 序时进度)."""

    level: str
    code: str
    name: str
    city_code: str
    target_fen: int
    sales_fen: int
    to_date: Fraction | None  # 序时任务 in fen, exact (None: a zero target)
    basis: str | None  # TimeShareBasis of 序时进度
    version: int

    @property
    def rate(self) -> Decimal | None:
        """完成率: sales / the annual target (None: a zero target)."""
        return rate_of(self.sales_fen, self.target_fen)

    @property
    def time_share(self) -> Decimal | None:
        """序时进度: the target to date / the annual target."""
        return None if self.to_date is None else rate_of(self.to_date, self.target_fen)

    @property
    def rate_to_date(self) -> Decimal | None:
        """序时完成率: sales / the target to date (the evaluation's target_completion)."""
        return rate_of(self.sales_fen, self.to_date)

    @property
    def monthly_share(self) -> Decimal | None:
        """序时进度 when it is by monthly targets (kept for the JSON's `monthly_share`)."""
        return self.time_share if self.basis == TimeShareBasis.MONTHLY else None

    @property
    def basis_label(self) -> str:
        """按月度任务 or 按日历天数 (empty for a zero target)."""
        return basis_label(self.basis)

    @property
    def gap(self) -> Decimal | None:
        """Completion rate minus 序时进度 (positive: ahead of time)."""
        if self.rate is None or self.time_share is None:
            return None
        return self.rate - self.time_share

    def to_dict(self) -> dict:
        from fucai.sales.money import yuan_text

        return {
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "city": self.city_code,
            "target_yuan": yuan_text(self.target_fen),
            "sales_yuan": yuan_text(self.sales_fen),
            "completion_rate": text(self.rate),
            "time_share": text(self.time_share),
            "time_share_basis": self.basis,
            "target_to_date_yuan": None if self.to_date is None else yuan_text(fen(self.to_date)),
            "completion_to_date": text(self.rate_to_date),
            "monthly_share": text(self.monthly_share),
            "version": self.version,
        }


def text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def fen(value: Fraction) -> int:
    """An exact amount rounded half up to whole fen."""
    return int(rounded(Fraction(value), Decimal(1)))


def targets_for(user, year: int, level: str | None = None):
    """The current targets of a year that `user` may see (None: every one), or none."""
    target_set = SalesTargetSet.objects.current(year)
    if target_set is None:
        return SalesTarget.objects.none()
    rows = SalesTarget.objects.filter(target_set=target_set)
    if user is not None:
        rows = SalesTarget.objects.restrict(user).filter(target_set=target_set)
    if level is not None:
        rows = rows.filter(level=level)
    return rows.select_related("target_set", "city", "manager", "station")


def sales_by(level: str, as_of: dt.date, scope, context=None) -> dict[str, int]:
    """Sales to date (fen) of every city, manager or station in scope (the analytics)."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.analytics.runners import YearToDateRunner

    context = context or AnalyticsContext.current()
    grouping = GROUPING[TargetLevel(level)]
    result = YearToDateRunner(context, scope).run(as_of, by=grouping, history=False)
    return {g.keys[grouping]: g.amount_fen for g in result.groups}


def completion(
    as_of: dt.date, level: str = TargetLevel.CITY, *, user=None, scope=None, context=None
) -> list[Completion]:
    """Completion of the current targets of as_of's year at one level, as of `as_of`, of the
    targets `user` sees (None: the province). A target's sales are all the sales attributed to
    it — a city's, a manager's territory's on each day (a station moved to another manager in
    the year counts for each while theirs), a station's — whoever looks: a manager sees the
    figure they are evaluated on (fucai.evaluation.indicators), not only the stations they hold
    today. `scope` is accepted for the callers' sake and does not narrow a target's sales."""
    from fucai.analytics.scope import Scope

    rows = list(targets_for(user, as_of.year, level).order_by("code"))
    if not rows:
        return []
    sales = sales_by(level, as_of, Scope.province(), context)
    out = []
    for target in rows:
        due = pace(target, as_of)
        out.append(
            Completion(
                level=target.level,
                code=target.code,
                name=target_name(target),
                city_code=target.city.code,
                target_fen=target.annual_fen,
                sales_fen=sales.get(target.code, 0),
                to_date=None if due is None else target.annual_fen * due.share,
                basis=None if due is None else due.basis,
                version=target.target_set.version,
            )
        )
    return out


def total_completion(rows: Iterable[Completion]) -> Completion | None:
    """The rows added up (e.g. the province from its cities): targets, targets to date and
    sales summed, so its 序时进度 is its rows' own (by monthly targets where they have them);
    None without rows or with a zero total target. One row: that row."""
    rows = list(rows)
    if len(rows) == 1:
        return rows[0] if rows[0].target_fen > 0 else None
    target = sum(r.target_fen for r in rows)
    if not rows or target <= 0:
        return None
    first = rows[0]
    return Completion(
        level=first.level,
        code="",
        name="",
        city_code=first.city_code if len({r.city_code for r in rows}) == 1 else "",
        target_fen=target,
        sales_fen=sum(r.sales_fen for r in rows),
        to_date=sum((r.to_date for r in rows if r.to_date is not None), Fraction(0)),
        basis=combined_basis(r.basis for r in rows),
        version=first.version,
    )


def target_name(target: SalesTarget) -> str:
    if target.level == TargetLevel.MANAGER and target.manager_id:
        return target.manager.name
    if target.level == TargetLevel.STATION and target.station_id:
        return target.station.name
    return target.city.name


# -- the Excel template and its import --------------------------------------------------------
def column_labels() -> list[tuple[str, str]]:
    """(key, heading in the active language) of the targets sheet."""
    return [
        ("year", _("Year")),
        ("level", _("Level")),
        ("code", _("Code")),
        ("name", _("Name")),
        ("annual", _("Annual target (yuan)")),
        *((f"m{m:02d}", _("Month %(n)s (yuan)") % {"n": m}) for m in MONTHS),
    ]


def _in_languages(make) -> dict[str, str]:
    """A heading or label → its key, in every language fucai speaks (a file made in English is
    read by a Chinese user)."""
    found: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for key, text in make():
                found[str(text).strip()] = key
    return found


def template_workbook(year: int, user=None):
    """The template: a row per city, market manager (active) and station (open at the year's
    start or opened since) with its code and name, the amounts empty — or the year's current
    targets, if any, to edit and re-import."""
    from fucai.core.excel import Column, add_notes_sheet, table_workbook
    from fucai.network.choices import ManagerStatus, StationStatus
    from fucai.network.models import MarketManager, Station

    current = {(t.level, t.code): t for t in targets_for(user, year)}
    rows = []

    def row(level: str, code: str, name: str):
        target = current.get((level, code))
        amounts = [""] * 13
        if target is not None:
            amounts = [Decimal(target.annual_fen) / 100] + [
                Decimal(v) / 100 for v in (target.monthly_fen or [None] * 12) if v is not None
            ]
            amounts += [""] * (13 - len(amounts))
        rows.append([year, str(TargetLevel(level).label), code, name, *amounts])

    from fucai.geo.models import Division

    cities = Division.objects.filter(level="prefecture").order_by("code")
    managers = MarketManager.objects.filter(status=ManagerStatus.ACTIVE).order_by("employee_code")
    stations = Station.objects.exclude(status=StationStatus.CLOSED).order_by("code")
    if user is not None:
        managers = MarketManager.objects.restrict(user).filter(pk__in=managers)
        stations = Station.objects.restrict(user).filter(pk__in=stations)
    for city in cities:
        row(TargetLevel.CITY, city.code, city.name)
    for manager in managers:
        row(TargetLevel.MANAGER, manager.employee_code, manager.name)
    for station in stations.only("code", "name"):
        row(TargetLevel.STATION, station.code, station.name)
    columns = [
        Column(str(label), number_format="@" if key in ("code",) else None)
        for key, label in column_labels()
    ]
    wb = table_workbook(columns, rows, title=_("Targets"))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("Year"), year),
            (
                _("Amounts"),
                _(
                    "yuan, at most two decimals; the months empty or all twelve, adding up to "
                    "the annual target"
                ),
            ),
            (_("Level"), ", ".join(str(label) for label in TargetLevel.labels)),
        ],
    )
    return wb


def open_workbook(path: str | Path, error: type[Exception]):
    """An uploaded workbook, read-only with its values; `error([sentence])` if it is none."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable file is the user's error
        raise error(
            [_("%(file)s: cannot be read (%(error)s)") % {"file": Path(path).name, "error": exc}]
        ) from None


@dataclass
class ParsedTarget:
    level: str
    code: str
    annual_fen: int
    monthly_fen: list[int]


def _fen(text) -> int | None:
    """A yuan amount (≥ 0, at most two decimals) as fen; None if it is not one."""
    if isinstance(text, float):
        text = repr(text)
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return int(value * 100)


def read_targets(path: str | Path, year: int | None = None) -> tuple[int, list[ParsedTarget]]:
    """The year and rows of a targets workbook; raises TargetImportError naming file, row and
    column of every bad cell (at most 50)."""
    wb = open_workbook(path, TargetImportError)
    return parse_targets(Path(path).name, list(wb.worksheets[0].iter_rows(values_only=True)), year)


def parse_targets(name: str, lines: list, year: int | None = None):
    """The year and rows of a targets sheet's lines (the header first); errors name `name`, the
    row (1 = the header) and the column."""
    from fucai.geo.models import Division
    from fucai.network.models import MarketManager, Station

    if not lines:
        raise TargetImportError([_("%(file)s: the file is empty") % {"file": name}])
    headings = _in_languages(column_labels)
    header = [headings.get(str(c or "").strip()) for c in lines[0]]
    labels = dict(zip(header, [str(c or "") for c in lines[0]], strict=True))
    missing = [key for key in ("year", "level", "code", "annual") if key not in header]
    if missing:
        wanted = dict(column_labels())
        raise TargetImportError(
            [
                _("%(file)s: missing columns: %(names)s")
                % {"file": name, "names": ", ".join(str(wanted[k]) for k in missing)}
            ]
        )
    levels = _in_languages(lambda: [(v, lbl) for v, lbl in TargetLevel.choices])
    levels.update({v: v for v in TargetLevel.values})
    known = {
        TargetLevel.CITY: set(
            Division.objects.filter(level="prefecture").values_list("code", flat=True)
        ),
        TargetLevel.MANAGER: set(MarketManager.objects.values_list("employee_code", flat=True)),
        TargetLevel.STATION: set(Station.objects.values_list("code", flat=True)),
    }
    errors: list[str] = []

    def error(line: int, key: str, text: str) -> None:
        errors.append(
            _("%(file)s, row %(row)s, column %(column)s: %(error)s")
            % {"file": name, "row": line, "column": labels.get(key, key), "error": text}
        )

    seen: set[tuple[str, str]] = set()
    years: set[int] = set()
    parsed: list[ParsedTarget] = []
    for line, values in enumerate(lines[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        cells = dict(zip(header, values, strict=False))
        try:
            row_year = int(str(cells.get("year")).strip().removesuffix(".0"))
        except ValueError:
            error(line, "year", _("%(cell)r is not a year") % {"cell": cells.get("year")})
            continue
        if year is not None and row_year != year:
            error(
                line,
                "year",
                _("%(cell)s is not the year imported (%(year)s)")
                % {"cell": row_year, "year": year},
            )
        years.add(row_year)
        level = levels.get(str(cells.get("level") or "").strip())
        code = str(cells.get("code") or "").strip().removesuffix(".0")
        if level is None:
            error(
                line,
                "level",
                _("%(cell)r is not a level (%(known)s)")
                % {
                    "cell": cells.get("level"),
                    "known": ", ".join(str(x) for x in TargetLevel.labels),
                },
            )
            continue
        if code not in known[level]:
            error(
                line,
                "code",
                _("no %(level)s with code %(code)s")
                % {"level": TargetLevel(level).label, "code": code},
            )
            continue
        if (level, code) in seen:
            error(line, "code", _("%(code)s is given twice") % {"code": code})
            continue
        seen.add((level, code))
        annual = _fen(cells.get("annual"))
        if annual is None:
            error(
                line,
                "annual",
                _("%(cell)r is not an amount in yuan (at least 0, at most two decimals)")
                % {"cell": cells.get("annual")},
            )
            continue
        months = [cells.get(f"m{m:02d}") for m in MONTHS]
        given = [v for v in months if v not in (None, "")]
        monthly: list[int] = []
        if given and len(given) != 12:
            error(
                line, "m01", _("give all twelve months or none (%(n)s given)") % {"n": len(given)}
            )
            continue
        if given:
            for m, value in zip(MONTHS, months, strict=True):
                fen = _fen(value)
                if fen is None:
                    error(
                        line,
                        f"m{m:02d}",
                        _("%(cell)r is not an amount in yuan (at least 0, at most two decimals)")
                        % {"cell": value},
                    )
                    break
                monthly.append(fen)
            else:
                if sum(monthly) != annual:
                    error(
                        line,
                        "annual",
                        _("the months add up to %(months)s yuan, not %(annual)s")
                        % {"months": Decimal(sum(monthly)) / 100, "annual": Decimal(annual) / 100},
                    )
                    continue
            if len(monthly) != 12:
                continue
        parsed.append(ParsedTarget(level, code, annual, monthly))
        if len(errors) >= 50:
            break
    if len(years) > 1:
        errors.append(
            _("%(file)s: one year per file (%(years)s found)")
            % {"file": name, "years": ", ".join(map(str, sorted(years)))}
        )
    if not errors and not parsed:
        errors.append(_("%(file)s: no targets in the file") % {"file": name})
    if errors:
        raise TargetImportError(errors)
    return years.pop(), parsed


def save_targets(
    year: int, rows: list[ParsedTarget], user=None, source: str = "", note: str = ""
) -> SalesTargetSet:
    """A new version of the year's targets (the previous ones kept), all or nothing."""
    from fucai.geo.models import Division
    from fucai.network.models import MarketManager, Station

    cities = dict(Division.objects.filter(level="prefecture").values_list("code", "pk"))
    managers = {
        m.employee_code: m
        for m in MarketManager.objects.filter(
            employee_code__in=[r.code for r in rows if r.level == TargetLevel.MANAGER]
        )
    }
    stations = {
        s.code: s
        for s in Station.objects.filter(
            code__in=[r.code for r in rows if r.level == TargetLevel.STATION]
        )
    }
    with transaction.atomic():
        latest = (
            SalesTargetSet.objects.select_for_update()
            .filter(year=year)
            .order_by("-version")
            .first()
        )
        target_set = SalesTargetSet.objects.create(
            year=year,
            version=(latest.version + 1) if latest else 1,
            source=source[:200],
            note=note[:200],
            created_by=user,
        )
        objects = []
        for r in rows:
            manager = managers.get(r.code) if r.level == TargetLevel.MANAGER else None
            station = stations.get(r.code) if r.level == TargetLevel.STATION else None
            city_id = (
                cities.get(r.code) if r.level == TargetLevel.CITY else (manager or station).city_id
            )
            objects.append(
                SalesTarget(
                    target_set=target_set,
                    level=r.level,
                    code=r.code,
                    city_id=city_id,
                    manager=manager,
                    station=station,
                    annual_fen=r.annual_fen,
                    monthly_fen=r.monthly_fen,
                )
            )
        SalesTarget.objects.bulk_create(objects, batch_size=2000)
    return target_set


def import_targets(path: str | Path, user=None, year: int | None = None) -> SalesTargetSet:
    """Read and save a targets workbook: a new version, or nothing at all."""
    found_year, rows = read_targets(path, year)
    return save_targets(found_year, rows, user, source=Path(path).name)
