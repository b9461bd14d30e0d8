"""The sentence templates' language: named fields in braces, each a fact of fucai.reports.facts
(the catalogue below: what a template of each section may use), and conditions on true/false
facts. A template is checked before it is saved (`template_errors`, `condition_errors`) and
written only when every field it names and every condition holds (`render`).

    {sales_yi}            the fact's text (26.06)
    {jobs_created:余1}    the value cut to 1 significant digit, with 余 when larger (1000余)
    {{ and }}             literal braces
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from fucai.reports import numbers as N

GENERAL = "general"
OVER_SPECS = {f"{N.OVER}{n}": n for n in (1, 2, 3)}


@dataclass(frozen=True)
class Field:
    """A field a template may name: its section (GENERAL: every section), what it is, its unit,
    whether it is a true/false fact (for conditions) and whether 余 may round it."""

    section: str
    label: object
    unit: str = ""
    boolean: bool = False
    over: bool = False


def _f(section: str, label, unit: str = "", *, boolean=False, over=False) -> Field:
    return Field(section, label, unit, boolean, over)


FIELDS: dict[str, Field] = {
    "as_of_md": _f(GENERAL, _l("the as-of day, e.g. 9月3日")),
    "year": _f(GENERAL, _l("the year of the as-of day")),
    "area": _f(GENERAL, _l("全省 or 全市")),
    "scope_name": _f(GENERAL, _l("the province's or city's name")),
    "sales_yi": _f("sales", _l("sales year to date"), "亿元", over=True),
    "sales_yoy": _f("sales", _l("year on year in words (增幅26.6%, 降幅…, 持平)")),
    "sales_yoy_pct": _f("sales", _l("year on year"), "%"),
    "sales_record": _f("sales", _l("sales year to date are a record high"), boolean=True),
    "sales_record_text": _f("sales", _l("the record's words (创历史新高, or since when)")),
    "instant_yi": _f("sales", _l("instant-ticket sales year to date"), "亿元", over=True),
    "instant_yoy": _f("sales", _l("instant tickets: year on year in words")),
    "instant_yoy_pct": _f("sales", _l("instant tickets: year on year"), "%"),
    "instant_record": _f("sales", _l("instant-ticket sales are a record high"), boolean=True),
    "instant_record_text": _f("sales", _l("the instant-ticket record's words")),
    "draw_yi": _f("sales", _l("draw-game sales year to date"), "亿元", over=True),
    "draw_yoy": _f("sales", _l("draw games: year on year in words")),
    "draw_yoy_pct": _f("sales", _l("draw games: year on year"), "%"),
    "share_period": _f("sales", _l("the Ministry of Finance table's months (2023年1—8月)")),
    "share_pct": _f("sales", _l("welfare lottery's share of the province's lottery sales"), "%"),
    "prior_share_pct": _f("sales", _l("that share a year earlier"), "%"),
    "share_change_points": _f("sales", _l("the share's change (absolute)"), "个百分点"),
    "share_up": _f("sales", _l("the share rose"), boolean=True),
    "national_rank": _f("sales", _l("national rank of the province's welfare sales"), "位"),
    "prior_national_rank": _f("sales", _l("that rank a year earlier"), "位"),
    "rank_change": _f("sales", _l("places gained or lost (absolute)"), "位"),
    "rank_up": _f("sales", _l("the national rank rose"), boolean=True),
    "rank_and_share_up": _f("sales", _l("both the rank and the share rose"), boolean=True),
    "stations_open": _f("network", _l("stations open on the day"), "个", over=True),
    "stations_net_new": _f("network", _l("open stations more than on 1 January (signed)"), "个"),
    "stations_change": _f("network", _l("that change in words (增加876个, 减少…, 持平)")),
    "opened_this_year": _f("network", _l("stations opened this year"), "个", over=True),
    "core_urban_new": _f("network", _l("opened this year in core urban scenes"), "个", over=True),
    "jobs_created": _f("network", _l("jobs at the stations opened this year"), "人", over=True),
    "partner_city": _f("network", _l("the city of the partner with the most outlets")),
    "partner_name": _f("network", _l("that partner organisation")),
    "partner_outlets": _f("network", _l("its outlets"), "个", over=True),
    "partner_sales_wan": _f("network", _l("their sales since opening"), "万元", over=True),
    "newoutlets_city": _f("network", _l("the city with the most branded kiosks opened this year")),
    "newoutlets_count": _f("network", _l("stations it opened this year"), "个", over=True),
    "kiosk_brand": _f("network", _l("the kiosks' brand (临川四梦)")),
    "kiosk_count": _f("network", _l("its kiosks of the brand opened this year"), "个", over=True),
    "welfare_posts": _f("network", _l("its 福彩公益驿站 opened this year"), "个", over=True),
    "welfare_posts_open": _f("network", _l("its 福彩公益驿站 open on the day"), "个", over=True),
    "centre": _f("party", _l("省中心 or the city's centre")),
    "branch_name": _f("party", _l("the Party branch")),
    "meetings_assembly": _f("party", _l("member assemblies held this year"), "次"),
    "meetings_committee": _f("party", _l("committee meetings held this year"), "次"),
    "meetings_group": _f("party", _l("Party-group meetings held this year"), "次"),
    "lectures": _f("party", _l("Party lectures given this year"), "次"),
    "theme_days": _f("party", _l("theme Party days held this year"), "次"),
    "pairing_city": _f("party", _l("the city with the most cadres paired this year")),
    "pairing_cadres_year": _f("party", _l("its cadres paired this year"), "名", over=True),
    "pairing_cadres": _f("party", _l("its cadres paired on the day"), "名", over=True),
    "vanguard_owners": _f("party", _l("Party-member owners (党员先锋示范岗)"), "名", over=True),
    "vanguard_sales_wan": _f("party", _l("their stations' sales this year"), "万元", over=True),
    "fund_yi": _f("welfare", _l("public-welfare fund raised year to date"), "亿元", over=True),
    "fund_yoy": _f("welfare", _l("the fund: year on year in words")),
    "fund_yoy_pct": _f("welfare", _l("the fund: year on year"), "%"),
    "grants_city": _f("welfare", _l("the city that helped the most households")),
    "grants_households": _f("welfare", _l("households with a grant paid"), "户", over=True),
    "grants_paid_wan": _f("welfare", _l("paid to those households"), "万元", over=True),
}


def fields_for(section: str) -> dict[str, Field]:
    """The fields a template of `section` may name (the general ones and its section's)."""
    return {n: f for n, f in FIELDS.items() if f.section in (GENERAL, section)}


class ConversionNotAllowed(ValueError):
    """A field written with a conversion ({name!r}): the wording may not use one."""


@dataclass(frozen=True)
class Placeholder:
    name: str
    spec: str


def placeholders(template: str) -> list[Placeholder]:
    """The fields a template names, in order; ValueError for broken braces."""
    found = []
    for _literal, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if conversion:
            raise ConversionNotAllowed(_("“{%(name)s!%(c)s}”: conversions are not allowed.")
                                       % {"name": name, "c": conversion})  # fmt: skip
        found.append(Placeholder(name, spec or ""))
    return found


def template_errors(template: str, section: str) -> list[str]:
    """Why a template cannot be saved for `section` (empty: it can)."""
    try:
        found = placeholders(template)
    except ConversionNotAllowed as exc:
        return [str(exc)]
    except ValueError:
        return [_("The braces do not match: every { needs its }, and a literal brace is {{ or }}.")]
    allowed, errors = fields_for(section), []
    for ph in found:
        field = allowed.get(ph.name)
        if field is None or field.boolean:
            errors.append(_unknown_field(ph.name, section, allowed))
        elif ph.spec and (ph.spec not in OVER_SPECS or not field.over):
            errors.append(_("{%(name)s:%(spec)s}: only 余1, 余2 or 余3 after a number field.")
                          % {"name": ph.name, "spec": ph.spec})  # fmt: skip
    return errors


def _unknown_field(name: str, section: str, allowed: dict) -> str:
    """Why `name` cannot be used here: another section's field (named), or no field at all."""
    from fucai.reports.choices import BulletinSection

    fields = ", ".join(n for n, f in allowed.items() if not f.boolean)
    for other in BulletinSection:
        if other.value != section and name in fields_for(other.value):
            return _(
                "{%(name)s} is a field of the section %(other)s, not of this one: this section "
                "may use %(fields)s."
            ) % {"name": name, "other": other.label, "fields": fields}
    return _("Unknown field {%(name)s}: this section may use %(fields)s.") % {
        "name": name,
        "fields": fields,
    }


def condition_terms(condition: str) -> list[tuple[str, bool]]:
    """ "rank_up not sales_record" → [("rank_up", True), ("sales_record", False)]."""
    words, terms, wanted = condition.split(), [], True
    for word in words:
        if word == "not":
            wanted = False
            continue
        terms.append((word, wanted))
        wanted = True
    return terms


def condition_errors(condition: str, section: str) -> list[str]:
    allowed = {n for n, f in fields_for(section).items() if f.boolean}
    if condition.split()[-1:] == ["not"]:
        return [_("“not” must be followed by a fact.")]
    if not allowed:
        return [_("This section's sentences take no condition: leave it empty.")]
    return [
        _("Unknown condition %(name)s: this section may use %(facts)s.")
        % {"name": name, "facts": ", ".join(sorted(allowed))}
        for name, _wanted in condition_terms(condition)
        if name not in allowed
    ]


def _text(fact, spec: str) -> str:
    if spec in OVER_SPECS:
        return N.over_text(fact.value, OVER_SPECS[spec])
    return fact.text


def render(template: str, condition: str, facts: dict) -> str | None:
    """The sentence, or None when a condition fails or a field it names has no fact."""
    for name, wanted in condition_terms(condition):
        fact = facts.get(name)
        if fact is None or bool(fact.value) is not wanted:
            return None
    out = []
    for literal, name, spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        fact = facts.get(name)
        if fact is None or (fact.text == "" and not spec):
            return None
        if spec in OVER_SPECS and not fact.value:
            return None  # "累计销量0万元", "安排0余万": nothing worth a sentence
        out.append(_text(fact, spec or ""))
    return "".join(out)
