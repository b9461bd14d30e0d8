"""The bulletin writer: live data (fucai.reports.facts) through the admin-edited sentence
templates (fucai.reports.sentences) into a BulletinDocument that the typesetters lay out."""

from __future__ import annotations

import datetime as dt

from fucai.reports.choices import SECTION_ORDER, BulletinSection
from fucai.reports.document import BulletinDocument, BulletinTable, TableColumn
from fucai.reports.document import BulletinSection as Section
from fucai.reports.facts import BulletinScope, gather, resolve_scope
from fucai.reports.sentences import render


def sentence_order(sentence) -> tuple:
    """Where a template is written: its language, section, paragraph, place in it."""
    return (
        sentence.language,
        SECTION_ORDER.index(sentence.section),
        sentence.paragraph,
        sentence.order,
        sentence.key,
    )


def sentences(language: str = "zh-hans"):
    """The enabled templates of a language in section order (the shipped ones loaded on first
    use, if the table has none of that language)."""
    from fucai.reports.defaults import load_defaults
    from fucai.reports.models import BulletinSentence

    rows = BulletinSentence.objects.filter(language=language)
    if language == "zh-hans" and not rows.exists():
        load_defaults(BulletinSentence, language)
    return sorted(rows.filter(enabled=True), key=sentence_order)


def write_sections(facts: dict, language: str = "zh-hans") -> tuple[Section, ...]:
    """Each section's paragraphs: the sentences its templates write from the facts (a
    template whose field has no fact, or whose condition fails, writes nothing)."""
    paragraphs: dict[str, dict[int, list[str]]] = {}
    for sentence in sentences(language):
        text = render(sentence.template, sentence.condition, facts)
        if text:
            section = paragraphs.setdefault(sentence.section, {})
            section.setdefault(sentence.paragraph, []).append(text)
    return tuple(
        Section(
            str(BulletinSection(key).label),
            tuple("".join(p) for _n, p in sorted(paragraphs[key].items())),
        )
        for key in SECTION_ORDER
        if key in paragraphs
    )


def city_table(as_of: dt.date, scope: BulletinScope, user, context) -> BulletinTable | None:
    """Per city (a city's bulletin: per county) its sales year to date, year on year, stations
    open and their change since 1 January, from the same summaries as the text, and the
    scope's total (合计) last."""
    from fucai.network.models import Station
    from fucai.network.summary import network_summary
    from fucai.reports import numbers as N
    from fucai.reports.facts import command_line_viewer
    from fucai.sales.money import yuan_to_fen
    from fucai.sales.summary import sales_summary

    by = "city" if scope.is_province else "county"
    viewer = user if user is not None else command_line_viewer()
    stations = scope.narrow(Station.objects.restrict(viewer))
    whole = network_summary(stations, as_of, by=by)
    network = {g.code: g for g in whole.groups}
    summary = sales_summary(context, scope.analytics(), as_of, by=by)
    sales = {g["key"]: g for g in summary["groups"]}
    rows = []
    for code in sorted(set(network) | set(sales)):
        group, figures = network.get(code), sales.get(code)
        name = group.name if group else figures["name"]
        yoy = figures and figures["yoy_pct"]
        rows.append(
            (
                name,
                N.yi_text(yuan_to_fen(figures["amount_yuan"])) if figures else "—",
                N.pct_text(yoy) if yoy is not None and yoy != "" else "—",
                str(group.open_stations) if group else "—",
                f"{group.net_new_this_year:+d}" if group else "—",
            )
        )
    if not rows:
        return None
    total, yoy = summary["total"], summary["total"]["yoy_pct"]
    rows.append(
        (
            "合计",
            N.yi_text(yuan_to_fen(total["amount_yuan"])),
            N.pct_text(yoy) if yoy is not None and yoy != "" else "—",
            str(whole.open_stations),
            f"{whole.net_new_this_year:+d}",
        )
    )
    return BulletinTable(
        "各设区市主要指标" if scope.is_province else f"{scope.name}各县（市、区）主要指标",
        (
            TableColumn("城市" if scope.is_province else "县（市、区）"),
            TableColumn("销量（亿元）", numeric=True),
            TableColumn("同比", numeric=True),
            TableColumn("站点数（个）", numeric=True),
            TableColumn("较年初", numeric=True),
        ),
        tuple(rows),
    )


def document_number(as_of: dt.date, scope: BulletinScope) -> str:
    prefix = "赣" if scope.is_province else scope.name.removesuffix("市")
    return f"{prefix}福彩简〔{as_of.year}〕{as_of.month}号"


def build_bulletin(
    as_of: dt.date, scope: BulletinScope | str | None, user=None, language="zh-hans", context=None
) -> BulletinDocument:
    """The bulletin for the day and scope as `user` sees them (None: the command line's
    province view), the day moved into the sales data (`bulletin_day`; the document's `notice`
    says so). A scope the user does not see raises facts.ScopeNotFound."""
    from fucai.analytics.backends import AnalyticsContext
    from fucai.reports.facts import command_line_viewer

    if not isinstance(scope, BulletinScope):
        scope = resolve_scope(scope, user if user is not None else command_line_viewer())
    context = context or AnalyticsContext.current()
    as_of, notice = bulletin_day(as_of, context)
    facts, _summary = gather(as_of, scope, user, context)
    issuer = "江西省福利彩票发行中心" if scope.is_province else f"{scope.name}福利彩票发行中心"
    return BulletinDocument(
        title=f"{scope.name}福利彩票工作简报",
        issuer=issuer,
        as_of=as_of,
        scope_code=scope.code,
        scope_name=scope.name,
        document_number=document_number(as_of, scope),
        sections=write_sections(facts, language),
        table=city_table(as_of, scope, user, context),
        language=language,
        facts={name: fact.to_dict() for name, fact in facts.items()},
        notice=notice,
    )


def bulletin_day(as_of: dt.date, context) -> tuple[dt.date, str]:
    """The day a bulletin is written for: `as_of` moved into the sales data, as the cockpit
    moves it (sales.forms.CockpitForm: a day after the last sale is the last sale's day, one
    before the first is the first), and the notice saying so ("" when not moved). A bulletin
    never states figures of days the data do not reach."""
    from fucai.sales.cockpit import sales_span
    from fucai.sales.forms import CockpitForm

    form = CockpitForm({"as_of": as_of.isoformat()}, span=sales_span(context))
    return form.as_of_date, form.notice
