"""The `fucai demo` step for the Party-member vanguard posts (党员先锋示范岗), after the network's
owners (who is a Party member, who consented) and the Party branches: a consent record for each
consenting Party-member owner, given on a day of 2022 or the first half of 2023 (station
36110214's owner: 2022-07-01, the Party's anniversary), recorded by the province's Party
affairs (the `party` demo user). The seed: over 100 owners, whose stations sold over
60,000,000 yuan from 1 January to 3 September 2023 (the sales demo's floor)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils.translation import gettext_lazy

SPECIAL_STATION = "36110214"
SPECIAL_GIVEN_ON = dt.date(2022, 7, 1)
FIRST_DAY = dt.date(2022, 1, 1)
LAST_DAY = dt.date(2023, 6, 30)
AS_OF = dt.date(2023, 9, 3)


class VanguardDemoBuilder:
    """Consent records of the demo's consenting Party-member owners."""

    label = gettext_lazy("Party-member vanguard posts")

    def _owners(self):
        from fucai.network.models import StationOwner
        from fucai.party.vanguard import vanguard_q

        return StationOwner.objects.filter(vanguard_q()).order_by("pk")

    def is_current(self, ctx) -> bool:
        from fucai.party.models import VanguardConsent

        owners = set(self._owners().values_list("pk", flat=True))
        recorded = set(VanguardConsent.objects.values_list("owner_id", flat=True))
        return bool(owners) and owners == recorded

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.party.models import VanguardConsent

        VanguardConsent.objects.all().delete()

    def build(self, ctx) -> None:
        from fucai.accounts.models import User
        from fucai.core.context import acting_as
        from fucai.network.demo.writer import DEMO_SOURCE
        from fucai.party.models import VanguardConsent

        rng = random.Random(f"{ctx.seed}:vanguard")
        span = (LAST_DAY - FIRST_DAY).days
        special = set(
            self._owners().filter(stations__code=SPECIAL_STATION).values_list("pk", flat=True)
        )
        officer = User.objects.filter(username="party").first()
        consents = [
            VanguardConsent(
                owner_id=pk,
                given_on=SPECIAL_GIVEN_ON
                if pk in special
                else FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1)),
                recorded_by=officer,
            )
            for pk in self._owners().values_list("pk", flat=True)
        ]
        with acting_as(None, DEMO_SOURCE):
            VanguardConsent.objects.bulk_create(consents)
        ctx.progress(str(self.label), len(consents))

    def figures(self) -> str:
        from fucai.party.models import VanguardConsent

        owners = VanguardConsent.objects.filter(revoked_on=None).count()
        return f"党员先锋示范岗: {owners} consenting Party-member owners"
