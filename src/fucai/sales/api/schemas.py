"""Request and response shapes of the sales API. Money is never a float: every amount is yuan as
an exact decimal string with two places (分), e.g. `"26060000.00"`, the form
`fucai.sales.money.yuan_text` gives; percentages are decimal strings with one place."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints, field_validator

from fucai.analytics.runners import COMPARES, GROUPINGS, AnalyticsError, parse_by
from fucai.core.bounds import clamp_date

YUAN_PATTERN = r"^-?\d+\.\d{2}$"
PCT_PATTERN = r"^-?\d+\.\d$"

YUAN_NOTE = "Yuan as an exact decimal string with two places (fen), never a float."
PCT_NOTE = "Percent as a decimal string with one place; null without a base."
Yuan = Annotated[str, StringConstraints(pattern=YUAN_PATTERN)]
Pct = Annotated[str, StringConstraints(pattern=PCT_PATTERN)]
# a percentage as the Ministry of Finance publishes it (two places, e.g. "26.60")
PublishedPct = Annotated[str, StringConstraints(pattern=r"^-?\d+\.\d{2}$")]


def yuan(description: str = "") -> Any:
    """A money field: `description`, then how the amount is written."""
    return Field(..., description=f"{description} {YUAN_NOTE}".strip(), examples=["26060000.00"])


def pct(description: str = "") -> Any:
    return Field(..., description=f"{description} {PCT_NOTE}".strip(), examples=["14.3"])


Compare = Literal[COMPARES]  # type: ignore[valid-type]


def _bounded_day(day: dt.date) -> dt.date:
    """As every as-of day in fucai (fucai.core.bounds): moved into 2000-01-01 … today."""
    return clamp_date(day)[0]


SalesDay = Annotated[dt.date, AfterValidator(_bounded_day)]
AS_OF = (
    "The as-of day, YYYY-MM-DD; a day before 2000-01-01 or after today is moved to that bound "
    "(the response's `as_of` says the day used). Default: the last day with sales "
    "(never after today), the day the cockpit opens on."
)
COMPARE = (
    "`calendar`: the same dates a year earlier; `selling_days`: as many selling days "
    "(the Spring Festival break moves)."
)


# -- query parameters -------------------------------------------------------------------------
class CockpitQuery(Schema):
    as_of: SalesDay | None = Field(
        None, description=AS_OF + " A day outside the sales data is moved into them."
    )
    compare: Compare = Field("calendar", description=COMPARE)
    city: str | None = Field(
        None,
        description="A city adcode of your scope (e.g. 360700): the figures of that city only "
        "(the map: its counties and stations). Default: your whole scope (the map: the cities, "
        "or the counties of your one city). A city outside your scope: 403.",
        max_length=6,
    )
    county: str | None = Field(
        None,
        description="A county adcode of your scope (e.g. 360731): the figures of your stations "
        "there. A county outside your scope: 403.",
        max_length=6,
    )


class MapQuery(CockpitQuery):
    """The map's query: the cockpit's (`city` picks the city whose counties are drawn)."""


class SummaryQuery(Schema):
    as_of: SalesDay | None = Field(None, description=AS_OF)
    by: list[str] = Field(
        default_factory=list,
        description="Group by these dimensions (repeat the parameter, or comma-separate): "
        + ", ".join(GROUPINGS)
        + ". An unknown one is refused (422) by name.",
        json_schema_extra={"items": {"type": "string", "enum": list(GROUPINGS)}},
    )
    compare: Compare = Field("calendar", description=COMPARE)
    top: int | None = Field(None, ge=0, le=100_000, description="Only the N largest groups.")

    @field_validator("by")
    @classmethod
    def _known_dimensions(cls, value: list[str]) -> list[str]:
        try:
            return list(parse_by(",".join(value)))
        except AnalyticsError as exc:
            raise ValueError(str(exc)) from None


# -- figures ----------------------------------------------------------------------------------
class WindowOut(Schema):
    start: dt.date = Field(..., description="First day, inclusive.")
    end: dt.date = Field(..., description="Last day, inclusive.")


class FiguresOut(Schema):
    amount_yuan: Yuan = yuan("Sales in the window.")
    prior_amount_yuan: Yuan = yuan("Sales in the comparison window a year earlier.")
    yoy_pct: Pct | None = pct("Year-on-year change.")
    record_high: bool = Field(
        ..., description="Above zero and above the same window of every earlier year compared."
    )
    since: int | None = Field(
        ...,
        description="First year compared for `record_high`: daily facts, and before them the "
        "monthly archive for scopes of whole cities grouped by city or game category at most.",
    )


class GroupOut(FiguresOut):
    key: str = Field(..., description="The group's codes joined by `/`, e.g. `360700/instant`.")
    name: str = Field(..., description="The group's names joined by ` / `.")
    keys: dict[str, str] = Field(..., description="The code of each dimension of `by`.")


class MarketShareOut(Schema):
    period: str = Field(..., description="YYYY-MM of the Ministry of Finance table used.")
    region: str = Field(..., description="The province as the Ministry names it.")
    welfare_ytd_yuan: Yuan = yuan("Welfare lottery sales, year to date.")
    sports_ytd_yuan: Yuan = yuan("Sports lottery sales, year to date.")
    welfare_ytd_yoy_pct: PublishedPct | None = Field(
        ..., description="Year-to-date YoY as the Ministry published it (two places); or null."
    )
    welfare_share_pct: Pct | None = pct("Welfare share of lottery sales.")
    prior_period: str = Field(..., description="YYYY-MM of the table a year earlier.")
    window: WindowOut = Field(..., description="1 January to the end of the table's month.")
    prior_welfare_share_pct: Pct | None = pct("The same share a year earlier.")
    share_change_points: Pct | None = pct("The share's change, in percentage points.")
    national_rank: int | None = Field(
        ..., description="The province's rank among regions by welfare sales (1 = largest)."
    )
    prior_national_rank: int | None = Field(..., description="The same rank a year earlier.")
    rank_change: int | None = Field(..., description="Places gained on a year earlier.")
    provinces: int = Field(..., description="How many regions are ranked.")
    regions_ranked: int
    national_share_pct: Pct | None = pct("Share of national welfare sales.")
    source: str = Field(..., description="The table's source note, e.g. `synthetic (demo)`.")


class SalesSummaryOut(Schema):
    """Exactly what `fucai sales summary --format json` prints for the same user and day."""

    as_of: dt.date
    compare: Compare
    scope: str = Field(..., description="Whose sales: 全省, a city, or a set of stations.")
    window: WindowOut = Field(..., description="1 January to the as-of day.")
    prior_window: WindowOut = Field(..., description="The comparison window a year earlier.")
    total: FiguresOut
    by_category: dict[str, FiguresOut] = Field(
        ..., description="`draw` (电脑票) and `instant` (即开票)."
    )
    by: list[str] = Field(..., description="The dimensions grouped by, in order.")
    groups: list[GroupOut] = Field(..., description="Largest amount first.")
    history: dict[str, Yuan] = Field(
        ...,
        description="Year → the same window's sales in each year compared: the daily years "
        f"and, for whole cities, the monthly archive's (docs/formats.md). {YUAN_NOTE}",
    )
    market_share: MarketShareOut | None = Field(
        ...,
        description="From the Ministry of Finance's table of the latest month of the year fully "
        "elapsed on the as-of day; only for a user who sees the whole province.",
    )


# -- the cockpit's charts ----------------------------------------------------------------------
class ChartHeadOut(Schema):
    as_of: dt.date
    year: int
    prior_year: int


class MonthOut(Schema):
    month: int = Field(..., ge=1, le=12)
    amount_yuan: Yuan | None = yuan(
        "This year's month up to the as-of day; null for months to come."
    )
    same_period_yuan: Yuan | None = yuan(
        "Last year's same days of the month; null for months to come."
    )
    last_year_yuan: Yuan = yuan("Last year's whole month.")
    yoy_pct: Pct | None = pct()
    partial: bool = Field(..., description="The as-of month, counted to the as-of day.")


class MonthlyOut(ChartHeadOut):
    months: list[MonthOut] = Field(..., description="January to December.")


class GameOut(FiguresOut):
    key: str = Field(..., description="Game code, e.g. `ssq`.")
    name: str
    category: str = Field(..., description="电脑票 or 即开票, in the caller's language.")
    share_pct: Pct | None = pct("Share of this year's total.")
    prior_share_pct: Pct | None = pct("Share of last year's same window.")


class GamesOut(ChartHeadOut):
    total: FiguresOut
    games: list[GameOut] = Field(..., description="Largest amount first.")


class RegionOut(Schema):
    code: str = Field(..., description="City or county adcode.")
    name: str
    amount_yuan: Yuan = yuan()
    prior_amount_yuan: Yuan = yuan()
    yoy_pct: Pct | None = pct()


class MapStationOut(Schema):
    code: str
    name: str
    county: str
    lon: float = Field(..., description="Longitude, GCJ-02.")
    lat: float = Field(..., description="Latitude, GCJ-02.")
    amount_yuan: Yuan = yuan()
    prior_amount_yuan: Yuan = yuan()
    yoy_pct: Pct | None = pct()


class MapOut(Schema):
    as_of: dt.date
    level: Literal["city", "county"] = Field(..., description="What `regions` are.")
    city: str | None = Field(..., description="The city whose counties are shown.")
    window: WindowOut
    prior_window: WindowOut
    regions: list[RegionOut]
    stations: list[MapStationOut] = Field(
        ..., description="At county level: the stations that sold in the window."
    )


# -- targets ----------------------------------------------------------------------------------
SHARE_NOTE = "A share as a decimal string with four places (0.6740 = 67.40 %); null without one."
Share = Annotated[str, StringConstraints(pattern=r"^-?\d+\.\d{4}$")]
Basis = Literal["monthly", "calendar", "mixed"]


def share(description: str) -> Any:
    return Field(..., description=f"{description} {SHARE_NOTE}", examples=["0.6740"])


class TargetsQuery(Schema):
    as_of: SalesDay | None = Field(None, description=AS_OF)
    level: Literal["city", "manager", "station"] = Field(
        "city", description="Whose targets: cities, market managers or stations."
    )


class CompletionFiguresOut(Schema):
    target_yuan: Yuan = yuan("The annual target (年度任务).")
    target_to_date_yuan: Yuan | None = Field(
        ..., description="序时任务: the target due by the as-of day. " + YUAN_NOTE
    )
    sales_yuan: Yuan = yuan("Sales from 1 January to the as-of day.")
    completion_rate: Share | None = share("完成率: sales / the annual target.")
    time_share: Share | None = share("序时进度: the target to date / the annual target.")
    time_share_basis: Basis | None = Field(
        ...,
        description="What 序时进度 is measured by: `monthly` (the target's monthly targets), "
        "`calendar` (days elapsed / days in the year, the target has no months), `mixed` (a "
        "total of both kinds).",
    )
    completion_to_date: Share | None = share(
        "Sales / the target to date (the evaluation's target_completion)."
    )
    monthly_share: Share | None = share("`time_share` when it is by monthly targets, else null.")


class CompletionRowOut(CompletionFiguresOut):
    level: str = Field(..., description="city, manager or station.")
    code: str = Field(..., description="Adcode, employee code or station code.")
    name: str
    city: str = Field(..., description="The city's adcode.")
    version: int = Field(..., description="The version of the year's targets.")


class CompletionOut(Schema):
    as_of: dt.date
    year: int
    level: str
    time_share: Share | None = share("The total's 序时进度.")
    time_share_basis: Basis | None = Field(..., description="The total's basis.")
    version: int | None = Field(..., description="The targets' version; null: no targets.")
    total: CompletionFiguresOut | None = Field(
        ..., description="The rows added up (the province: its cities); null: no targets."
    )
    rows: list[CompletionRowOut]
