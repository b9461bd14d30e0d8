"""A bulletin as the writer fills it (fucai.reports.bulletin), built by hand from the seed's
sentences (the 2023-09-03 bulletin of issue 14) for the typesetters' tests."""

from __future__ import annotations

import datetime as dt

from fucai.reports.document import BulletinDocument, BulletinSection, BulletinTable, TableColumn

SALES = (
    "截至9月3日，全省福利彩票销量26.06亿元，同比增幅26.6%，其中，即开票销量5.75亿元，"
    "同比增幅116.9%，创历史新高。"
)
MEETINGS = "今年以来，省中心召开党员大会6次、支委会议20次、党小组会议15次，中心领导讲党课5次。"
NETWORK = (
    "截至目前，全省站点总数达5706个，较年初增加876个，在各地商业综合体、繁华商圈、文旅街区等"
    "城市核心区域建设新渠道网点145个，为社会新增就业人员1000余人。"
)
PAIRINGS = "吉安市动员全市433名党员干部与福彩商超站点结对子。"
WELFARE = "赣州市福彩机构安排30余万福彩公益金资助社区（村）贫困家庭330户。"
PARTNERS = "九江市建设商业综合体福彩专营销售网点15个，新增销量1500余万元。"
OWNERS = "截至目前，全省有党员业主100余名，站点累计销量6000余万元。"
FUZHOU = (
    "截至目前，抚州市新增网点98个，增设“临川四梦”即开型彩票固定宣传销售亭14个，"
    "建成福彩公益驿站65个。"
)
CITIES = (
    ("南昌市", "5.63", "21.4%", "1012"),
    ("赣州市", "4.84", "30.2%", "1103"),
    ("上饶市", "3.66", "25.0%", "702"),
    ("宜春市", "2.78", "27.9%", "590"),
    ("九江市", "2.37", "24.1%", "566"),
)


def seed_bulletin(scope_code: str = "province", scope_name: str = "江西省") -> BulletinDocument:
    return BulletinDocument(
        title="江西省福利彩票工作简报",
        issuer="江西省福利彩票发行中心",
        as_of=dt.date(2023, 9, 3),
        scope_code=scope_code,
        scope_name=scope_name,
        document_number="赣福彩简〔2023〕9号",
        sections=(
            BulletinSection("一、销售情况", (SALES,)),
            BulletinSection("二、突出政治建设引领发展", (MEETINGS,)),
            BulletinSection("三、突出思想建设跨界发展", (PAIRINGS, WELFARE, NETWORK)),
            BulletinSection("四、突出组织建设转型发展", (PARTNERS, OWNERS, FUZHOU)),
        ),
        table=BulletinTable(
            title="各设区市福利彩票销量（截至2023年9月3日）",
            columns=(
                TableColumn("设区市"),
                TableColumn("销量（亿元）", numeric=True),
                TableColumn("同比增幅", numeric=True),
                TableColumn("站点数（个）", numeric=True),
            ),
            rows=CITIES,
        ),
        facts={"sales_fen": 260_600_000_000},
    )


PARAGRAPHS = (SALES, MEETINGS, PAIRINGS, WELFARE, NETWORK, PARTNERS, OWNERS, FUZHOU)
