"""Generated Chinese names, places and personal data for the demo province.

Everything here is made up from short word lists: people's names are random surname + given-name
combinations, phone numbers are random, and ID numbers carry a deliberately wrong GB 11643 check
character, so no generated number can be a real person's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

SURNAMES = (
    *"刘李王张陈黄胡曾邹熊罗杨吴周徐朱肖钟彭谢邓郭何宋赖江廖万付袁叶程余汪龚艾涂卢游",
    *"温聂饶章邱蔡丁魏吕易危傅严洪邬戴雷甘晏帅詹",
    "欧阳",
)
GIVEN_CHARS = (
    "建国华平明军伟强勇斌峰磊涛超鹏飞杰俊文辉亮林春秋冬梅兰芳英红玲丽萍燕霞敏静婷娟"
    "志海波宏刚永新德福寿安康宁荣庆祥瑞清源金水根生茂财贵秀珍凤娥桂香莲凯旭阳晨欣怡"
)
# Digits 2–3 of mobile numbers in use in mainland China.
PHONE_PREFIXES = (
    "33",
    "35",
    "36",
    "37",
    "38",
    "39",
    "50",
    "51",
    "52",
    "55",
    "57",
    "58",
    "59",
    "77",
    "80",
    "81",
    "82",
    "86",
    "87",
    "88",
    "89",
    "91",
    "98",
    "99",
)
TOWN_FIRST = "东西南北新长石高龙黄白马杨梅枫桥田塘坪岭陂埠江沙竹茶古凤潭樟柏桂荷港湖"
TOWN_SECOND = "口岭源田坪塘溪桥湖村冈坑洲埠山圩陂墩头湾坊"
STREET_FIRST = (
    "人民",
    "解放",
    "建设",
    "中山",
    "胜利",
    "新华",
    "文化",
    "和平",
    "光明",
    "朝阳",
    "滨江",
    "红旗",
    "长征",
    "青年",
    "工业",
    "学府",
    "东风",
    "振兴",
    "迎宾",
    "府前",
    "沿江",
    "站前",
    "健康",
    "幸福",
    "阳明",
    "八一",
    "红星",
    "井冈",
    "赣江",
    "章江",
    "抚河",
    "信江",
    "修河",
    "锦江",
    "庐山",
    "东门",
    "西门",
    "南门",
    "北门",
    "新城",
    "开发",
    "金融",
    "世纪",
    "创业",
)
STREET_SUFFIX = ("路", "路", "大道", "街", "东路", "西路", "南路", "北路", "巷")
SUPERMARKETS = (
    "惠民",
    "家家乐",
    "万家福",
    "百姓",
    "邻里",
    "鑫鑫",
    "隆兴",
    "福满多",
    "客来",
    "乐购惠",
)
COMPLEXES = (
    "城市广场",
    "时代广场",
    "财富中心",
    "商业中心",
    "国际广场",
    "天街",
    "汇金广场",
    "新天地",
)
DISTRICT_SEAT_TOWNS = ("城区街道", "城中街道", "城东街道", "城西街道", "城南街道", "城北街道")


def person_name(rng: random.Random) -> str:
    """A random two- or three-character name (surname + one or two given-name characters)."""
    surname = rng.choice(SURNAMES)
    given_length = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(given_length))


def phone_number(rng: random.Random) -> str:
    return "1" + rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


# GB 11643-1999 check character: weights and the character for each sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number(rng: random.Random, county_code: str) -> str:
    """A fictional 18-character ID number: the county's adcode, a birth date, a sequence number
    and a check character that is deliberately wrong, so it belongs to nobody."""
    born = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(365 * 46))
    first17 = f"{county_code}{born:%Y%m%d}{rng.randrange(1000):03d}"
    right = id_check_character(first17)
    wrong = _ID_CHECK[(_ID_CHECK.index(right) + 1 + rng.randrange(10)) % 11]
    return first17 + wrong


def town_names(rng: random.Random, count: int, is_district: bool) -> list[str]:
    """`count` distinct made-up town (镇/乡) or sub-district (街道) names."""
    names: list[str] = []
    while len(names) < count:
        stem = rng.choice(TOWN_FIRST) + rng.choice(TOWN_SECOND)
        kind = "街道" if is_district else ("乡" if rng.random() < 0.25 else "镇")
        if stem + kind not in names:
            names.append(stem + kind)
    return names


def seat_town_name(rng: random.Random, county_name: str) -> str:
    """The town of the county seat: a 城区 sub-district for city districts, else 城关镇."""
    if county_name.endswith("区"):
        return rng.choice(DISTRICT_SEAT_TOWNS)
    return "城关镇"


def street_address(rng: random.Random) -> str:
    return f"{rng.choice(STREET_FIRST)}{rng.choice(STREET_SUFFIX)}{rng.randint(1, 388)}号"


def short_county_name(name: str) -> str:
    """兴国县 → 兴国; two-character names keep their suffix (湖口县 → 湖口, 渝水区 → 渝水)."""
    return name[:-1] if len(name) > 2 else name


# --- station names ----------------------------------------------------------------------------
# A station's name is drawn from a few patterns per scene, as real ledgers name them: after the
# street, the shop, the residential estate or the mall, sometimes with the county or town in
# front, sometimes numbered (第3福彩站). Names are unique in the province.

COMMUNITIES = ("幸福", "和谐", "阳光", "锦绣", "滨江", "翠苑", "金色家园", "紫荆", "书香", "康居")
ESTATE_KINDS = ("小区", "小区", "花园", "家园", "新村", "苑")
BUSINESS_STREETS = ("步行街", "商业街", "美食街", "商贸城")
OLD_STREETS = ("古街", "老街", "文化街区", "步行街")
SUPERMARKET_KINDS = ("超市", "超市", "购物广场", "便利店", "生活超市")


@dataclass(frozen=True)
class NameParts:
    """What a station's name and address are made of."""

    county: str  # 兴国县
    town: str  # 潋江镇
    street: str  # 建设路
    number: int  # 88 (号)
    shop: str = ""  # 惠民超市, 城市广场, 幸福小区, 古街 …: the place the station sits in


def street_name(rng: random.Random) -> str:
    return rng.choice(STREET_FIRST) + rng.choice(STREET_SUFFIX)


STREET_PATTERNS = (
    (5, "{town}{street}福彩投注站"),
    (3, "{county}{street}第{n}福彩站"),
    (2, "{town}{street}{number}号福彩店"),
    (2, "中国福利彩票{short}{street}投注站"),
    (1, "{street}福彩便民投注点"),
)
SCENE_PATTERNS = {
    "supermarket": (
        (4, "{shop}福彩销售点"),
        (1, "{short}{shop}福彩销售点"),
        (2, "{shop}{town}店福彩专柜"),
        (1, "{town}{shop}福彩投注点"),
    ),
    "community": (
        (3, "{town}{shop}福彩投注站"),
        (2, "{town}{shop}社区福彩服务站"),
        (1, "{short}{street}{shop}福彩站"),
    ),
    "business_district": (
        (3, "{street}{shop}福彩体验店"),
        (2, "{short}{shop}福彩投注站"),
        (1, "{town}{street}福彩旗舰店"),
    ),
    "shopping_complex": (
        (3, "{shop}福彩专营店"),
        (2, "{short}{shop}福彩体验厅"),
        (1, "{short}{shop}福彩专营店"),
    ),
    "partner": ((3, "{shop}福彩专营店"), (1, "{shop}福彩体验厅")),
    "tourism_street": (
        (2, "{town}{shop}福彩文化驿站"),
        (2, "{short}{shop}福彩投注站"),
    ),
    "instant_kiosk": (
        (3, "{town}{street}即开票销售亭"),
        (2, "{short}{street}刮刮乐销售亭"),
    ),
    "welfare_post": (
        (2, "{town}福彩公益驿站"),
        (2, "{town}{street}福彩公益驿站"),
        (2, "{short}{street}福彩公益驿站"),
    ),
}


BRAND_FIRST = "惠家万百邻鑫隆福客乐佳华润联旺金好大新嘉"
BRAND_SECOND = "民乐家福客多兴润联购佳和源发盛"


def supermarket_brand(rng: random.Random) -> str:
    """A made-up two-character shop brand (佳润, 万盛 …)."""
    return rng.choice(BRAND_FIRST) + rng.choice(BRAND_SECOND)


def shop_name(rng: random.Random, scene: str, town: str) -> str:
    """The place a station of `scene` sits in: a shop, an estate, a mall, an old street."""
    if scene == "supermarket":
        brand = rng.choice(SUPERMARKETS) if rng.random() < 0.3 else supermarket_brand(rng)
        return brand + rng.choice(SUPERMARKET_KINDS)
    if scene == "shopping_complex":
        return supermarket_brand(rng) + rng.choice(COMPLEXES)
    if scene == "community":
        return rng.choice(COMMUNITIES) + rng.choice(ESTATE_KINDS)
    if scene == "business_district":
        return rng.choice(BUSINESS_STREETS)
    if scene == "tourism_street":
        return rng.choice(OLD_STREETS)
    return ""


def name_parts(rng: random.Random, scene: str, county: str, town: str) -> NameParts:
    return NameParts(
        county=county,
        town=town,
        street=street_name(rng),
        number=rng.randint(1, 388),
        shop=shop_name(rng, scene, town),
    )


def station_name(rng: random.Random, scene: str, parts: NameParts) -> str:
    """One of the scene's patterns filled in with the parts."""
    patterns = SCENE_PATTERNS.get(scene, STREET_PATTERNS)
    pattern = rng.choices([p for _, p in patterns], weights=[w for w, _ in patterns])[0]
    return pattern.format(
        county=parts.county,
        short=short_county_name(parts.county),
        town=parts.town,
        street=parts.street,
        number=parts.number,
        shop=parts.shop,
        n=rng.randint(1, 9),
    )
