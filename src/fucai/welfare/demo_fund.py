"""The `fucai demo` step for the fund raised and the welfare posts and activities (issue 12):
the published public-welfare fund rates of the five games (each with its source), the services
of 抚州's 65 福彩公益驿站, and 2023's 福彩公益行 activities and publicity placements in several
cities — 吉安's 宣传栏 and 条幅 in 商超 (the seed: "在人流量大的商超等公共场所开设福彩宣传栏、
悬挂宣传条幅"), 赣州's community activities, and others. Everything fictional but the rates."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils.translation import gettext_lazy

RATES_FROM = dt.date(2021, 1, 1)  # the first day of the demo's sales
SOHU = (
    "搜狐《公益事关你我，一起了解彩票公益金（上）》（https://www.sohu.com/a/824847468_121123773，"
    "转载 https://blob.wenxiaobai.com/article/18244435-0b7c-eb60-e583-030a17c31c51）："
)
RULES = "（http://foodqs.cn/caipiao/34135.html 引述的游戏规则资金构成）"
RATES = (
    ("ssq", "0.3600", SOHU + "“一张2元钱的双色球，贡献0.72元公益金”，即销售额的36%。"),
    (
        "3d",
        "0.3400",
        "数字型游戏“3D”的彩票资金比例：彩票奖金53%，彩票公益金34%，彩票发行费13%" + RULES,
    ),
    (
        "qlc",
        "0.3700",
        "乐透型游戏“七乐彩”的彩票资金比例：彩票奖金50%，彩票公益金37%，彩票发行费13%" + RULES,
    ),
    (
        "kl8",
        "0.3000",
        "《中国福利彩票“快乐8”游戏规则》：快乐8游戏按当期实际销售额的58%、30%和12%分别计提"
        "彩票奖金、彩票公益金和彩票发行费（转引自“快乐8”小知识，"
        "https://tcelue.ooo/forum.php?mod=viewthread&tid=2616619）。",
    ),
    ("instant", "0.2000", SOHU + "“一张10元钱的刮刮乐，贡献2元公益金”，即销售额的20%。"),
)
SERVICES = ("water", "rest", "charging", "first_aid", "umbrella", "books", "microwave", "toilet")
OPENING = ("每日 8:30–20:00 开放", "每日 9:00–21:00 开放", "周一至周日 8:00–19:30 开放")
# (city name prefix, kind, how many, the scene of the stations it happens at, title, people)
ACTIVITIES = (
    ("吉安", "notice_board", 8, "supermarket", "商超福彩宣传栏", (800, 3000)),
    ("吉安", "banner", 6, "supermarket", "商超“随手公益、人人公益”宣传条幅", (500, 2500)),
    ("赣州", "community", 6, "community", "福彩公益行·社区（村）帮扶共建", (60, 300)),
    ("赣州", "event", 2, "community", "福彩公益行·爱心阅览室捐建", (100, 400)),
    ("抚州", "event", 3, "welfare_post", "“夏日送清凉”公益活动", (150, 600)),
    ("南昌", "event", 3, "business_district", "福彩公益行·商圈公益宣传日", (300, 1200)),
    ("九江", "community", 3, "community", "福彩公益行·社区养老服务", (50, 200)),
    ("宜春", "poster", 3, "business_district", "商圈福彩公益展板", (400, 1500)),
)
FUZHOU = "361000"
YEAR_START, AS_OF = dt.date(2023, 1, 5), dt.date(2023, 9, 3)


class FundDemoBuilder:
    """The fund rates, 抚州's welfare posts' services, 2023's activities and placements."""

    label = gettext_lazy("Public welfare: fund rates, welfare posts, activities")

    def is_current(self, ctx) -> bool:
        from fucai.welfare.models import FundRate, WelfareActivity, WelfarePost

        return (
            FundRate.objects.count() == len(RATES)
            and WelfarePost.objects.exists()
            and WelfareActivity.objects.exists()
        )

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.welfare.models import FundRate, WelfareActivity, WelfarePost

        WelfareActivity.objects.all().delete()
        WelfarePost.objects.all().delete()
        FundRate.objects.all().delete()

    def build(self, ctx) -> None:
        from fucai.core.context import acting_as
        from fucai.network.demo.writer import DEMO_SOURCE

        rng = random.Random(f"{ctx.seed}:welfare-fund")
        with acting_as(None, DEMO_SOURCE):
            rates = self._rates()
            posts = self._posts(rng)
            activities = self._activities(rng)
        ctx.progress(str(self.label), rates + posts + activities)

    def _rates(self) -> int:
        from fucai.sales.models import Game
        from fucai.welfare.models import FundRate

        games = {g.code: g for g in Game.objects.all()}
        rows = [
            FundRate(game=games[code], valid_from=RATES_FROM, rate=Decimal(rate), source=source)
            for code, rate, source in RATES
            if code in games
        ]
        FundRate.objects.bulk_create(rows)
        return len(rows)

    def _posts(self, rng) -> int:
        from fucai.network.choices import StationScene
        from fucai.network.models import Station
        from fucai.welfare.models import WelfarePost

        # the 65 抚州 built in 2023 (the network demo's specials)
        stations = Station.objects.filter(
            scene=StationScene.WELFARE_POST,
            city__code=FUZHOU,
            opened_on__gte=dt.date(2023, 1, 1),
            opened_on__lte=AS_OF,
        ).order_by("code")
        rows = []
        for station in stations:
            extra = rng.sample(SERVICES[2:], rng.randint(1, 4))
            services = [s for s in SERVICES if s in {"water", "rest", *extra}]
            rows.append(
                WelfarePost(station=station, services=services, opening_note=rng.choice(OPENING))
            )
        WelfarePost.objects.bulk_create(rows)
        return len(rows)

    def _activities(self, rng) -> int:
        from fucai.accounts.models import User
        from fucai.geo.models import Division
        from fucai.network.models import Station
        from fucai.welfare.models import WelfareActivity

        officer = User.objects.filter(username="welfare").first()
        cities = {d.name[:2]: d for d in Division.objects.filter(level="prefecture")}
        rows = []
        span = (AS_OF - YEAR_START).days
        for prefix, kind, count, scene, title, (low, high) in ACTIVITIES:
            city = cities.get(prefix)
            if city is None:
                continue
            places = list(
                Station.objects.filter(city=city, scene=scene).select_related("county")
            ) or list(Station.objects.filter(city=city).select_related("county")[:20])
            for station in rng.sample(places, min(count, len(places))):
                rows.append(
                    WelfareActivity(
                        kind=kind,
                        title=f"{station.name}{title}",
                        city=city,
                        county=station.county,
                        address=station.address,
                        lon=station.lon,
                        lat=station.lat,
                        held_on=YEAR_START + dt.timedelta(days=rng.randrange(span + 1)),
                        people_reached=rng.randint(low, high),
                        note="",
                        recorded_by=officer,
                    )
                )
        WelfareActivity.objects.bulk_create(rows)
        return len(rows)

    def figures(self) -> str:
        from fucai.welfare.models import FundRate, WelfareActivity, WelfarePost

        return (
            f"公益金: {FundRate.objects.count()} fund rates, "
            f"{WelfarePost.objects.count()} welfare posts with services, "
            f"{WelfareActivity.objects.count()} activities and placements"
        )
