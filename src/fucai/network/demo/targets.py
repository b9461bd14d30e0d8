"""The figures the demo network is calibrated to (the seed report's 2023 figures) and the sizes of
the lifecycle cohorts that produce them.

Open stations at the end of 2022 = legacy + opened in 2021 + opened in 2022 − closed in 2021–2022
− suspended at the end of 2022. Open on 2023-09-03 = that − closed in 2023 − suspended in 2023
+ reopened in 2023 + opened in 2023. The two derived cohort sizes below make both come out exactly.
"""

from __future__ import annotations

import datetime as dt

from fucai.core.demo import DEMO_SEED, DEMO_VERSION

__all__ = ["DEMO_SEED", "DEMO_VERSION"]  # and the figures below
HISTORY_START = dt.date(2021, 1, 1)
DEMO_AS_OF = dt.date(2023, 9, 3)
YEAR_START = dt.date(2023, 1, 1)

# The seed's figures.
OPEN_AT_YEAR_START = 4830
OPEN_ON_AS_OF = 5706
CORE_URBAN_NEW = 145
FUZHOU_CODE = "361000"
FUZHOU_NEW = 98
FUZHOU_KIOSKS = 14
FUZHOU_KIOSK_BRAND = "临川四梦"
FUZHOU_WELFARE_POSTS = 65
JIUJIANG_CODE = "360400"
JIUJIANG_PARTNER_OUTLETS = 15
JIAN_CODE = "360800"
JIAN_SUPERMARKETS = 441  # the seed pairs 433 cadres with 吉安's 商超 stations; a few more exist
JIAN_PAIRED_CADRES = 433  # "动员全市433名党员干部与福彩商超站点结对子": one station each
SPECIAL_STATION_COUNTY = "360732"  # 兴国县
SPECIAL_STATION_SERIAL = 214  # 36110214
PARTY_MEMBER_OWNERS = 158
PARTY_MEMBERS_CONSENTING = 112
MARKET_MANAGERS = 123
MANAGERS_REPLACED = 3  # territories whose manager left or was eliminated in 2022
DEDICATED_MIN_SPACING_M = 200.0

# Cohorts.
OPENED_2021 = 480
OPENED_2022 = 560
CLOSED_2021_2022 = 360
TEMP_SUSPENDED_2021_2022 = 70
SUSPENDED_END_2022_REOPENED = 10  # reopen in 2023
SUSPENDED_END_2022_CLOSED = 8  # close in 2023
SUSPENDED_END_2022_STILL = 5  # still suspended on the as-of day
SUSPENDED_END_2022 = (
    SUSPENDED_END_2022_REOPENED + SUSPENDED_END_2022_CLOSED + SUSPENDED_END_2022_STILL
)
CLOSED_2023 = 120  # of the stations open at the start of 2023
SUSPENDED_2023 = 28  # of the stations open at the start of 2023, still suspended on the as-of day
TEMP_SUSPENDED_2023 = 25
PIPELINE = {"planned": 70, "surveyed": 45, "building": 45}

LEGACY = OPEN_AT_YEAR_START - OPENED_2021 - OPENED_2022 + CLOSED_2021_2022 + SUSPENDED_END_2022
OPENED_2023 = OPEN_ON_AS_OF - (
    OPEN_AT_YEAR_START - CLOSED_2023 - SUSPENDED_2023 + SUSPENDED_END_2022_REOPENED
)

# After the as-of day: the rest of 2023 (4 September to 31 December). Nothing here changes a
# figure of the as-of day: every change it adds is dated after it.
YEAR_END = dt.date(2023, 12, 31)
NEW_SITES_AFTER = 60  # sites first planned after the as-of day (some open before year end)
CLOSED_AFTER = 36  # stations open on the as-of day that close by year end
PAUSED_AFTER = 20  # stations open on the as-of day suspended for a few weeks
SUSPENDED_2023_REOPENED = 12  # of SUSPENDED_2023: reopen after the as-of day
SUSPENDED_2023_CLOSED = 8  # of SUSPENDED_2023: close after the as-of day
SUSPENDED_END_2022_LATE_CLOSED = 3  # of SUSPENDED_END_2022_STILL: close in the autumn
