"""The demo's Party-member vanguard posts as the foundation set them up (the seed: over 100
owners, over 60,000,000 yuan in 2023 to 3 September), built once for the module with the whole
demo (network, users, sales) by the sales tests' fixture."""

from __future__ import annotations

import datetime as dt

from fucai.accounts.models import User
from fucai.network.models import Station
from fucai.party.models import VanguardConsent
from fucai.party.vanguard_posts import vanguard_posts
from fucai.sales.tests.test_demo_sales import demo, demo_db  # noqa: F401

AS_OF = dt.date(2023, 9, 3)


def test_over_100_consenting_owners_stations_sold_over_60_million_yuan(demo_db):  # noqa: F811
    from fucai.analytics.runners import YearToDateRunner
    from fucai.analytics.scope import Scope

    posts = vanguard_posts(User.objects.get(username="party"), AS_OF, context=demo_db.context)
    assert posts.owners == 112 and len(posts.posts) == 112
    assert posts.total_fen > 60_000_000_00
    ytd = YearToDateRunner(demo_db.context, Scope.province()).run(AS_OF, by="party_member")
    assert {g.key: g.amount_fen for g in ytd.groups}["yes"] == posts.total_fen


def test_station_36110214s_owner_consented_on_the_partys_anniversary_2022(demo_db):  # noqa: F811
    owner = Station.objects.get(code="36110214").owner
    consent = VanguardConsent.objects.get(owner=owner)
    assert (consent.given_on, consent.revoked_on) == (dt.date(2022, 7, 1), None)
    assert consent.recorded_by.username == "party"
    given = VanguardConsent.objects.values_list("given_on", flat=True)
    assert dt.date(2022, 1, 1) <= min(given) and max(given) <= dt.date(2023, 6, 30)
