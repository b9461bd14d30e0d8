"""The games catalogue and the market closures fucai ships with, loaded by a data migration.

Closure dates are the Ministry of Finance's yearly announcements
(财政部关于 YYYY 年彩票市场休市安排的公告), as reproduced at the URLs given;
docs/sales-calendar.md lists them and what could not be verified. Admins edit them in the admin
site afterwards.
"""

from __future__ import annotations

GAMES = [
    # code, name, category, draw weekdays (ISO), aliases, sort order
    ("ssq", "双色球", "draw", "2,4,7", "SSQ", 10),
    ("3d", "福彩3D", "draw", "1,2,3,4,5,6,7", "FC3D,3D,福彩3d", 20),
    ("qlc", "七乐彩", "draw", "1,3,5", "QLC", 30),
    ("kl8", "快乐8", "draw", "1,2,3,4,5,6,7", "KL8,快乐八", 40),
    ("instant", "即开票", "instant", "", "刮刮乐,即开,即开型,scratch", 50),
]

BRANDS = [
    # name, game code, description
    ("临川四梦", "instant", "抚州“临川四梦”主题即开票与即开销售亭"),
]

MOF_2021 = "http://m.16886000.com/news/120.htm"
MOF_2022 = "http://www.zgmh.net/Article_show.aspx?chid=4&id=19254"
MOF_2023 = "http://epaper.nfncb.cn/nfnc/content/20221229/Articel15005MT.htm"
MOF_2024 = "https://dzrb.dzng.com/articleContent/4399_1224309.html"
MOF_2025 = "https://wxredian.com/art?id=7fe42d3c7a8e19dc7d87cf3f05081f01"

SUSPENSIONS = [
    # name, kind, start, end (both included), source, note
    (
        "2021年春节休市",
        "spring_festival",
        "2021-02-09",
        "2021-02-18",
        MOF_2021,
        "财政部公告2020年第44号",
    ),
    (
        "2021年国庆休市",
        "national_day",
        "2021-10-01",
        "2021-10-04",
        MOF_2021,
        "财政部公告2020年第44号",
    ),
    (
        "2022年春节休市",
        "spring_festival",
        "2022-01-29",
        "2022-02-07",
        MOF_2022,
        "财政部 2021-12-15 公告",
    ),
    (
        "2022年国庆休市",
        "national_day",
        "2022-10-01",
        "2022-10-04",
        MOF_2022,
        "财政部 2021-12-15 公告",
    ),
    (
        "2023年春节休市",
        "spring_festival",
        "2023-01-19",
        "2023-01-28",
        MOF_2023,
        "财政部公告2022年第39号",
    ),
    (
        "2023年国庆休市",
        "national_day",
        "2023-10-01",
        "2023-10-04",
        MOF_2023,
        "财政部公告2022年第39号",
    ),
    (
        "2024年春节休市",
        "spring_festival",
        "2024-02-08",
        "2024-02-17",
        MOF_2024,
        "财政部公告2023年第73号",
    ),
    (
        "2024年国庆休市",
        "national_day",
        "2024-10-01",
        "2024-10-04",
        MOF_2024,
        "财政部公告2023年第73号",
    ),
    (
        "2025年春节休市",
        "spring_festival",
        "2025-01-27",
        "2025-02-05",
        MOF_2025,
        "财政部公告2024年第19号",
    ),
]
