"""Builds a Ministry of Finance workbook (sheet 各地区彩票销售情况) for the tests."""

from __future__ import annotations

from pathlib import Path

HEADER_GROUPS = [
    "地区",
    "福利彩票",
    None,
    None,
    None,
    "体育彩票",
    None,
    None,
    None,
    "合计",
    None,
    None,
    None,
]
SUB_HEADERS = [None, *(["本月", "同比增长(%)", "本年累计", "同比增长(%)"] * 3)]

# region: welfare (month, yoy, ytd, ytd yoy), sports (…), total (…) — 万元
ROWS = [
    [
        "全国",
        1331000.5,
        12.1,
        10408200.25,
        5.2,
        2920000,
        40.2,
        21000000,
        35.1,
        4251000.5,
        30.0,
        31408200.25,
        23.6,
    ],
    ["广东省", 120000, 10.0, 900000, 8.0, 300000, 30.0, 2100000, 25.0, 420000, 23.0, 3000000, 19.3],
    [
        "江西省",
        40000,
        20.5,
        296500.12,
        26.6,
        60000,
        30.1,
        420000,
        28.2,
        100000,
        26.1,
        716500.12,
        27.5,
    ],
    [
        "湖南省",
        45000,
        15.0,
        431200,
        29.28,
        70000,
        90.0,
        628100,
        92.71,
        115000,
        61.0,
        1059300,
        60.63,
    ],
    ["西藏自治区", 500, "—", 4000, "-", 800, 5.0, 6000, 4.0, 1300, "—", 10000, "—"],
]


def write_mof_workbook(path: Path, title: str = "2023年8月各地区彩票销售情况", rows=ROWS) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "全国彩票销售情况"
    ws = wb.create_sheet("各地区彩票销售情况")
    ws.append([title])
    ws.append(["单位：万元"])
    ws.append(HEADER_GROUPS)
    ws.append(SUB_HEADERS)
    for row in rows:
        ws.append(row)
    for start in ("B3:E3", "F3:I3", "J3:M3"):
        ws.merge_cells(start)
    wb.save(path)
    return path
