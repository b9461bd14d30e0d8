"""Every figure a bulletin may state, for an as-of day, a scope (the province or one city) and a
user's grant — gathered by calling the modules that own each figure (sales.summary,
network.summary and .partners, party.compliance, .pairing and .vanguard_posts, welfare.fund,
.workflow and .views_activity); nothing here restates their rules. A fact without data on the
day or in the scope is absent, and a sentence naming it is not written (fucai.reports.sentences).

Per-city highlights (pairings, partner outlets, new outlets and kiosks, welfare grants) name
the city of the scope that leads on the highlight's figure (the largest; ties: the lower
adcode) — in a city's bulletin, that city, or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from fucai.reports import numbers as N


class ScopeNotFound(Http404):
    """The scope asked for is not one the user sees (the same as a scope that does not exist)."""


@dataclass(frozen=True)
class BulletinScope:
    """The province, or one of its cities (`city`: the geo Division)."""

    code: str  # "province" or a city adcode
    name: str  # 江西省 / 赣州市
    city: object | None = None

    @property
    def is_province(self) -> bool:
        return self.city is None

    @property
    def area(self) -> str:
        return "全省" if self.is_province else "全市"

    def analytics(self):
        from fucai.analytics.scope import Scope

        if self.is_province:
            return Scope.province()
        return Scope.city(self.code, self.name)

    def narrow(self, queryset, path: str = "city"):
        """A queryset of the user's rows narrowed to the scope's city (by `path`)."""
        return queryset if self.is_province else queryset.filter(**{path: self.city})


@dataclass(frozen=True)
class Fact:
    """One figure: its name (the template field), exact value in its unit, and how a sentence
    writes it by default (`text`; a `{name:余1}` field writes `value` with 余)."""

    name: str
    value: object
    unit: str = ""
    text: str = ""

    def to_dict(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = str(value)
        return {"value": value, "unit": self.unit, "text": self.text}


PROVINCE = "province"


def command_line_viewer():
    """Who a command run without --user reads as: the whole province with every capability,
    as the modules' own commands do without --user (an unsaved superuser: its grant is built by
    accounts.grants without any query and never stored)."""
    from django.contrib.auth import get_user_model

    return get_user_model()(username="(command line)", is_superuser=True, is_active=True)


def cities_of(user):
    """The cities whose whole network the user sees, by adcode (a bulletin's city scopes)."""
    from fucai.core.grant import grant_for
    from fucai.geo.choices import DivisionLevel
    from fucai.geo.models import Division

    reach = grant_for(user).view
    cities = Division.objects.filter(level=DivisionLevel.PREFECTURE).order_by("code")
    return [c for c in cities if reach.includes_place(c.pk)]


def sees_province(user) -> bool:
    from fucai.core.grant import grant_for

    return grant_for(user).view.everything


def resolve_scope(value: str | None, user) -> BulletinScope:
    """ "province" (or nothing, for a user who sees the province), a city's adcode or name
    (赣州, 赣州市) among the cities the user sees whole; anything else: ScopeNotFound.
    Nothing given to a city user: their (first) city."""
    value = (value or "")[:20].strip()
    if value in ("", PROVINCE) and sees_province(user):
        return BulletinScope(PROVINCE, "江西省")
    cities = cities_of(user)
    if not value and cities:
        city = cities[0]
        return BulletinScope(city.code, city.name, city)
    for city in cities:
        if value in (city.code, city.name, city.name.removesuffix("市")):
            return BulletinScope(city.code, city.name, city)
    raise ScopeNotFound(_("No such scope."))


def month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _add(facts: dict, name: str, value, unit: str = "", text: str | None = None) -> None:
    facts[name] = Fact(name, value, unit, str(value) if text is None else text)


def _add_money_yi(facts: dict, name: str, fen: int) -> None:
    _add(facts, name, N.fen_in_yi(fen), "亿元", N.yi_text(fen))


def _add_money_wan(facts: dict, name: str, fen: int) -> None:
    _add(facts, name, N.fen_in_wan(fen), "万元", N.wan_text(fen))


def _add_yoy(facts: dict, prefix: str, pct) -> None:
    if pct is None:
        return
    pct = Decimal(pct)
    _add(facts, f"{prefix}_yoy", pct, "%", N.change_text(pct))
    _add(facts, f"{prefix}_yoy_pct", pct, "%", N.pct_text(pct))


def general_facts(as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    _add(facts, "as_of_md", as_of.isoformat(), text=month_day(as_of))
    _add(facts, "year", as_of.year)
    _add(facts, "area", scope.area)
    _add(facts, "scope_name", scope.name)
    return facts


# -- sales --------------------------------------------------------------------------------------
def _figure_facts(facts: dict, prefix: str, figures: dict, year: int) -> None:
    from django.utils import translation

    from fucai.sales.money import yuan_to_fen
    from fucai.sales.records import record_texts

    amount, prior = yuan_to_fen(figures["amount_yuan"]), yuan_to_fen(figures["prior_amount_yuan"])
    if not amount and not prior:
        return
    _add_money_yi(facts, f"{prefix}_yi", amount)
    _add_yoy(facts, prefix, figures["yoy_pct"])
    record = bool(figures["record_high"])
    _add(facts, f"{prefix}_record", record, text="")
    if record:
        with translation.override("zh-hans"):
            text = record_texts(figures.get("since"), year)["record_text"]
        _add(facts, f"{prefix}_record_text", text)


def sales_facts(context, as_of: dt.date, scope: BulletinScope) -> tuple[dict, dict]:
    """The year-to-date figures (`fucai sales summary`) and, for the province, the Ministry of
    Finance's market share and national rank; with the summary itself."""
    from fucai.sales.summary import sales_summary

    data = sales_summary(context, scope.analytics(), as_of)
    facts: dict[str, Fact] = {}
    _figure_facts(facts, "sales", data["total"], as_of.year)
    for category, prefix in (("instant", "instant"), ("draw", "draw")):
        if category in data["by_category"]:
            _figure_facts(facts, prefix, data["by_category"][category], as_of.year)
    share = data.get("market_share")
    if scope.is_province and share and share.get("national_rank"):
        share_facts(facts, share)
    return facts, data


def share_facts(facts: dict, share: dict) -> None:
    start = dt.date.fromisoformat(share["window"]["start"])
    end = dt.date.fromisoformat(share["window"]["end"])
    _add(facts, "share_period", share["period"], text=f"{end.year}年{start.month}—{end.month}月")
    pct = Decimal(share["welfare_share_pct"])
    _add(facts, "share_pct", pct, "%", N.pct_text(pct))
    _add(facts, "national_rank", share["national_rank"])
    if share.get("prior_welfare_share_pct") is not None:
        prior = Decimal(share["prior_welfare_share_pct"])
        _add(facts, "prior_share_pct", prior, "%", N.pct_text(prior))
        points = Decimal(share["share_change_points"])
        _add(facts, "share_change_points", points, "个百分点", str(abs(points)))
        _add(facts, "share_up", points > 0, text="")
    if share.get("prior_national_rank"):
        change = int(share["rank_change"])
        _add(facts, "prior_national_rank", share["prior_national_rank"])
        _add(facts, "rank_change", change, "位", str(abs(change)))
        _add(facts, "rank_up", change > 0, text="")
    if "share_up" in facts and "rank_up" in facts:
        both = facts["share_up"].value and facts["rank_up"].value
        _add(facts, "rank_and_share_up", both, text="")


# -- network ------------------------------------------------------------------------------------
def network_facts(viewer, as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    """Stations open, change since 1 January, core-urban new outlets, jobs created
    (`fucai network summary`)."""
    from fucai.network.models import Station
    from fucai.network.summary import network_summary

    summary = network_summary(scope.narrow(Station.objects.restrict(viewer)), as_of)
    facts: dict[str, Fact] = {}
    if not summary.open_stations and not summary.open_at_year_start:
        return facts
    _add(facts, "stations_open", summary.open_stations, "个")
    _add(facts, "stations_net_new", summary.net_new_this_year, "个")
    _add(facts, "stations_change", summary.net_new_this_year, "个",
         N.count_change_text(summary.net_new_this_year))  # fmt: skip
    _add(facts, "opened_this_year", summary.opened_this_year, "个")
    if summary.core_urban_new_this_year:
        _add(facts, "core_urban_new", summary.core_urban_new_this_year, "个")
    if summary.jobs_created_this_year:
        _add(facts, "jobs_created", summary.jobs_created_this_year, "人")
    return facts


def partner_facts(viewer, context, as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    """The partner organisation with the most outlets and those outlets' sales since they
    opened (`fucai network partners`)."""
    from fucai.network.partners import partner_figures, partners_of

    partners = scope.narrow(partners_of(viewer))
    figures = [f for f in partner_figures(viewer, partners, as_of, context) if f.outlet_count]
    facts: dict[str, Fact] = {}
    if not figures:
        return facts
    best = max(figures, key=lambda f: (f.outlet_count, f.sales_fen, -int(f.partner.city.code)))
    _add(facts, "partner_city", best.partner.city.name)
    _add(facts, "partner_name", best.partner.name)
    _add(facts, "partner_outlets", best.outlet_count, "个")
    if best.sales_fen:
        _add_money_wan(facts, "partner_sales_wan", best.sales_fen)
    return facts


def outlet_type_facts(viewer, as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    """The city with the most branded instant-ticket kiosks opened this year: its new outlets,
    those kiosks, and its 福彩公益驿站 (welfare.views_activity.posts_of) opened this year and open
    on the day (`fucai network summary`, `fucai welfare posts`)."""
    from fucai.network.choices import StationScene
    from fucai.network.models import Station
    from fucai.network.summary import network_summary
    from fucai.welfare.views_activity import posts_of

    stations = scope.narrow(Station.objects.restrict(viewer))
    kiosks = stations.filter(scene=StationScene.INSTANT_KIOSK).exclude(brand="")
    best = None
    for brand in sorted(set(kiosks.values_list("brand", flat=True))):
        for group in network_summary(kiosks.filter(brand=brand), as_of, by="city").groups:
            key = (group.opened_this_year, -int(group.code))
            if group.opened_this_year and (best is None or key > best[0]):
                best = (key, brand, group)
    facts: dict[str, Fact] = {}
    if best is None:
        return facts
    _key, brand, group = best
    city_stations = stations.filter(city__code=group.code)
    _add(facts, "newoutlets_city", group.name)
    _add(facts, "newoutlets_count", network_summary(city_stations, as_of).opened_this_year, "个")
    _add(facts, "kiosk_brand", brand)
    _add(facts, "kiosk_count", group.opened_this_year, "个")
    posts = network_summary(posts_of(viewer).filter(city__code=group.code), as_of)
    if posts.opened_this_year:
        _add(facts, "welfare_posts", posts.opened_this_year, "个")
    if posts.open_stations:
        _add(facts, "welfare_posts_open", posts.open_stations, "个")
    return facts


# -- Party building -----------------------------------------------------------------------------
MEETING_FIELDS = {
    "member_assembly": "meetings_assembly",
    "committee": "meetings_committee",
    "group": "meetings_group",
    "lecture": "lectures",
    "theme_day": "theme_days",
}


def branch_facts(viewer, as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    """The scope's Party branch (the provincial centre's, or the city agency's) and its
    三会一课 held this year to the day (`fucai party compliance`)."""
    from fucai.party.compliance import compliance
    from fucai.party.models import Branch

    branches = Branch.objects.restrict(viewer)
    if scope.is_province:
        branch = branches.filter(city__isnull=True).first()
    else:
        branch = branches.filter(city=scope.city).first()
    facts: dict[str, Fact] = {}
    if branch is None:
        return facts
    held = {t.type: t.held for t in compliance(branch, as_of.year, as_of)}
    if not any(held.values()):
        return facts
    _add(facts, "branch_name", branch.name)
    _add(facts, "centre", "省中心" if scope.is_province else f"{scope.name}福彩中心")
    for kind, name in MEETING_FIELDS.items():
        if kind in held:
            _add(facts, name, held[kind], "次")
    return facts


def pairing_facts(viewer, as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    """The city with the most cadres paired with stations this year (pairings overlapping
    1 January … the day, party.pairing.overlapping) and those paired on the day
    (`fucai party pairing`)."""
    from fucai.party.models import Pairing
    from fucai.party.pairing import coverage, overlapping

    pairings = scope.narrow(Pairing.objects.restrict(viewer), "station__city")
    start = as_of.replace(month=1, day=1)
    year = overlapping(pairings, start, as_of + dt.timedelta(days=1)).filter(started_on__lte=as_of)
    cadres: dict[tuple[str, str], set[int]] = {}
    rows = year.values_list("station__city__code", "station__city__name", "member_id")
    for code, name, member in rows:
        cadres.setdefault((code, name), set()).add(member)
    facts: dict[str, Fact] = {}
    if not cadres:
        return facts
    (code, name), members = max(cadres.items(), key=lambda kv: (len(kv[1]), -int(kv[0][0])))
    _add(facts, "pairing_city", name)
    _add(facts, "pairing_cadres_year", len(members), "名")
    lasting = {c.code: c for c in coverage(pairings, as_of, user=viewer).cities}
    if code in lasting:
        _add(facts, "pairing_cadres", lasting[code].cadres, "名")
    return facts


def vanguard_facts(viewer, context, as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    """党员先锋示范岗 (Party-member owners who consented) and their stations' sales from
    1 January to the day (party.vanguard_posts)."""
    from fucai.party.vanguard_posts import vanguard_posts

    posts = [
        p
        for p in vanguard_posts(viewer, as_of, context).posts
        if scope.is_province or p.city == scope.name
    ]
    facts: dict[str, Fact] = {}
    if not posts:
        return facts
    _add(facts, "vanguard_owners", len({p.owner_id for p in posts}), "名")
    _add_money_wan(facts, "vanguard_sales_wan", sum(p.amount_fen for p in posts))
    return facts


# -- welfare ------------------------------------------------------------------------------------
def fund_facts(context, as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    """The public-welfare fund raised by sales, year to date (`fucai welfare raised`)."""
    from fucai.welfare.fund import fund_raised

    total = fund_raised(scope.analytics(), as_of, context).total
    facts: dict[str, Fact] = {}
    if total.fund_fen or total.prior_fund_fen:
        _add_money_yi(facts, "fund_yi", total.fund_fen)
        _add_yoy(facts, "fund", total.yoy_pct)
    return facts


def grant_facts(viewer, as_of: dt.date, scope: BulletinScope) -> dict[str, Fact]:
    """The city that helped the most households with 公益金 grants paid by the day, and the
    yuan paid to households (`fucai welfare grants --city`); none without welfare affairs."""
    from fucai.sales.money import yuan_to_fen
    from fucai.welfare.models import Grant, Project
    from fucai.welfare.workflow import summary

    projects = scope.narrow(Project.objects.restrict(viewer))
    grants = scope.narrow(Grant.objects.restrict(viewer), "project__city").filter(
        household__isnull=False
    )
    best = None
    for code, name in sorted(set(grants.values_list("project__city__code", "project__city__name"))):
        result = summary(
            projects.filter(city__code=code), grants.filter(project__city__code=code), as_of
        )
        if result["households"] and (best is None or result["households"] > best[2]["households"]):
            best = (code, name, result)
    facts: dict[str, Fact] = {}
    if best is None:
        return facts
    _code, name, result = best
    _add(facts, "grants_city", name)
    _add(facts, "grants_households", result["households"], "户")
    _add_money_wan(facts, "grants_paid_wan", yuan_to_fen(result["paid_yuan"]))
    return facts


def gather(as_of: dt.date, scope: BulletinScope, user=None, context=None) -> tuple[dict, dict]:
    """Every fact for the day and scope as `user` (None: the command line's province view)
    sees them, and the sales summary (for the city table)."""
    from fucai.analytics.backends import AnalyticsContext

    viewer = user if user is not None else command_line_viewer()
    context = context or AnalyticsContext.current()
    facts = general_facts(as_of, scope)
    sales, summary = sales_facts(context, as_of, scope)
    facts |= sales
    facts |= network_facts(viewer, as_of, scope)
    facts |= partner_facts(viewer, context, as_of, scope)
    facts |= outlet_type_facts(viewer, as_of, scope)
    facts |= branch_facts(viewer, as_of, scope)
    facts |= pairing_facts(viewer, as_of, scope)
    facts |= vanguard_facts(viewer, context, as_of, scope)
    facts |= fund_facts(context, as_of, scope)
    facts |= grant_facts(viewer, as_of, scope)
    return facts, summary
