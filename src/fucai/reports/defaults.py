"""The sentence templates fucai ships (Simplified Chinese), in the words of the seed bulletin.
Migration reports/0001_sentences loads them; `load_defaults` adds any missing later (an admin's
edits are kept). Fields: docs/reports.md and fucai.reports.facts.FIELDS."""

from __future__ import annotations

from typing import NamedTuple


class Default(NamedTuple):
    key: str
    section: str
    order: int
    template: str
    condition: str = ""
    paragraph: int = 1


DEFAULTS: tuple[Default, ...] = (
    # 一、销售情况
    Default(
        "sales_total",
        "sales",
        10,
        "截至{as_of_md}，{area}福利彩票销量{sales_yi}亿元，同比{sales_yoy}。",
        "not sales_record",
    ),
    Default(
        "sales_total_record",
        "sales",
        11,
        "截至{as_of_md}，{area}福利彩票销量{sales_yi}亿元，同比{sales_yoy}，{sales_record_text}。",
        "sales_record",
    ),
    Default(
        "sales_instant",
        "sales",
        20,
        "其中，即开票销量{instant_yi}亿元，同比{instant_yoy}。",
        "not instant_record",
    ),
    Default(
        "sales_instant_record",
        "sales",
        21,
        "其中，即开票销量{instant_yi}亿元，同比{instant_yoy}，{instant_record_text}。",
        "instant_record",
    ),
    Default(
        "market_share_gain",
        "sales",
        30,
        "据财政部{share_period}彩票销售数据，{area}福利彩票市场份额{share_pct}，较上年同期提升"
        "{share_change_points}个百分点，全国排名第{national_rank}位，较上年同期前进{rank_change}位，"
        "实现“全国排名有进位、市场份额有提升”。",
        "rank_and_share_up",
    ),
    Default(
        "market_share",
        "sales",
        31,
        "据财政部{share_period}彩票销售数据，{area}福利彩票市场份额{share_pct}"
        "（上年同期{prior_share_pct}），全国排名第{national_rank}位（上年同期第{prior_national_rank}位）。",
        "not rank_and_share_up",
    ),
    # 二、网点建设
    Default(
        "stations",
        "network",
        10,
        "截至{as_of_md}，{area}站点总数达{stations_open}个，较年初{stations_change}。",
    ),
    Default(
        "core_urban",
        "network",
        20,
        "在各地商业综合体、繁华商圈、文旅街区等城市核心区域建设新渠道网点{core_urban_new}个。",
    ),
    Default("jobs", "network", 30, "今年新开站点为社会新增就业人员{jobs_created:余1}人。"),
    Default(
        "partner_outlets",
        "network",
        40,
        "{partner_city}福彩机构与{partner_name}联姻共建，建设福彩销售网点{partner_outlets}个，"
        "新增销量{partner_sales_wan:余2}万元。",
        paragraph=2,
    ),
    Default(
        "new_outlets",
        "network",
        50,
        "截至{as_of_md}，{newoutlets_city}新增网点{newoutlets_count}个，增设“{kiosk_brand}”"
        "即开型彩票固定宣传销售亭{kiosk_count}个，建成福彩公益驿站{welfare_posts}个。",
        paragraph=2,
    ),
    # 三、党建引领
    Default(
        "branch_meetings",
        "party",
        10,
        "今年以来，{centre}召开党员大会{meetings_assembly}次、支委会议{meetings_committee}次、"
        "党小组会议{meetings_group}次，中心领导讲党课{lectures}次。",
    ),
    Default(
        "pairing",
        "party",
        20,
        "{pairing_city}动员全市{pairing_cadres_year}名党员干部与福彩站点结对子。",
        paragraph=2,
    ),
    Default(
        "vanguard",
        "party",
        30,
        "截至{as_of_md}，{area}有党员业主{vanguard_owners:余1}名，今年以来站点累计销量"
        "{vanguard_sales_wan:余1}万元。",
        paragraph=2,
    ),
    # 四、公益事业
    Default(
        "fund_raised",
        "welfare",
        10,
        "今年以来，{area}福利彩票筹集公益金{fund_yi}亿元，同比{fund_yoy}。",
    ),
    Default(
        "welfare_grants",
        "welfare",
        20,
        "{grants_city}福彩机构安排{grants_paid_wan:余1}万福彩公益金资助困难家庭{grants_households}户。",
    ),
)


def load_defaults(model, language: str = "zh-hans") -> int:
    """Add the shipped templates missing from `model`'s table (BulletinSentence, or its
    historical model in a migration); returns how many were added. Existing rows are kept."""
    have = set(model.objects.filter(language=language).values_list("key", flat=True))
    rows = [
        model(
            key=d.key,
            language=language,
            section=d.section,
            order=d.order,
            paragraph=d.paragraph,
            template=d.template,
            default_template=d.template,
            condition=d.condition,
        )
        for d in DEFAULTS
        if d.key not in have
    ]
    model.objects.bulk_create(rows)
    return len(rows)
