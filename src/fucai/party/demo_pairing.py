"""The `fucai demo` step for pairing and areas (after the Party branches): 吉安's 433 cadres
paired one to one with 商超 stations under the city's 定点帮扶工作方案 (the plan in
fucai.network.demo.pairing, the one the sales and the visits were built from), and 抚州's cadres
assigned to its counties and, in 临川区, to two patches of the grid where no station covers the
people. Every person is fictional."""

from __future__ import annotations

import datetime as dt
import random

from django.utils.translation import gettext_lazy

from fucai.network.demo.names import person_name
from fucai.network.demo.pairing import PAIRING_FIRST_DAY, jian_pairings
from fucai.network.demo.targets import FUZHOU_CODE, JIAN_CODE

JIAN_SCHEME = "吉安市福彩商超站点定点帮扶工作方案"
FUZHOU_ASSIGNED_ON = dt.date(2023, 3, 1)
LINCHUAN = "361002"
LINCHUAN_PATCHES = ("文昌街道", "西大街街道")  # the patches' names: the two largest blank spots
PATCH_RESOLUTION = 7
AS_OF = dt.date(2023, 9, 3)


def _phone(n: int) -> str:
    return f"1399200{n:04d}"


class PairingDemoBuilder:
    """吉安's cadre–station pairings and 抚州's area assignments."""

    label = gettext_lazy("pairings and area assignments")

    def _counties(self):
        from fucai.geo.models import Division

        return list(Division.objects.filter(parent__code=FUZHOU_CODE).order_by("code"))

    def is_current(self, ctx) -> bool:
        from fucai.party.models import AreaAssignment, Pairing

        planned = {(p.code, p.start, p.end) for p in jian_pairings(ctx.seed)}
        stored = set(Pairing.objects.values_list("station__code", "started_on", "ended_on"))
        areas = len(self._counties()) + len(LINCHUAN_PATCHES)
        return stored == planned and AreaAssignment.objects.count() == areas

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.party.models import AreaAssignment, Pairing, PairingScheme

        # the cadres go with the branches' members (PartyDemoBuilder.wipe, after this one)
        for model in (Pairing, PairingScheme, AreaAssignment):
            model.objects.all().delete()

    def build(self, ctx) -> None:
        from fucai.core.context import acting_as
        from fucai.network.demo.writer import DEMO_SOURCE

        with acting_as(None, DEMO_SOURCE):
            pairings = self._jian(ctx.seed)
            areas = self._fuzhou(ctx.seed)
        ctx.progress(str(self.label), pairings + areas)

    # -- 吉安 -----------------------------------------------------------------------------------
    def _jian(self, seed: int) -> int:
        from fucai.party.models import Branch, Member, Pairing, PairingScheme

        branch = Branch.objects.get(city__code=JIAN_CODE)
        scheme = PairingScheme.objects.create(
            branch=branch,
            name=JIAN_SCHEME,
            started_on=PAIRING_FIRST_DAY,
            one_to_one=True,
            description="动员全市党员干部与福彩商超站点结对子，一对一为站点分析市场形势、帮助改进销售策略。",
        )
        rng = random.Random(f"{seed}-jian-cadres")
        plan = jian_pairings(seed)
        for p in plan:
            member = Member.objects.create(
                branch=branch,
                name=p.cadre,
                phone=_phone(p.number),
                joined_on=dt.date(rng.randint(1988, 2018), rng.randint(1, 12), 1),
                is_cadre=True,
            )
            Pairing.objects.create(
                scheme=scheme,
                member=member,
                station_id=p.station,
                started_on=p.start,
                ended_on=p.end,
            )
        return len(plan)

    # -- 抚州 -----------------------------------------------------------------------------------
    def _fuzhou(self, seed: int) -> int:
        from fucai.party.choices import AreaKind
        from fucai.party.models import AreaAssignment, Branch, Member

        branch = Branch.objects.get(city__code=FUZHOU_CODE)
        rng = random.Random(f"{seed}-fuzhou-cadres")
        names = set(branch.members.values_list("name", flat=True))

        def cadre(number: int):
            name = person_name(rng)
            while name in names:
                name = person_name(rng)
            names.add(name)
            joined = dt.date(rng.randint(1990, 2015), rng.randint(1, 12), 1)
            return Member.objects.create(
                branch=branch,
                name=name,
                phone=_phone(500 + number),
                joined_on=joined,
                is_cadre=True,
            )

        counties = self._counties()
        for number, county in enumerate(counties):
            AreaAssignment.objects.create(
                branch=branch,
                member=cadre(number),
                kind=AreaKind.COUNTY,
                county=county,
                started_on=FUZHOU_ASSIGNED_ON,
            )
        for number, (name, cells) in enumerate(self._patches(), start=len(counties)):
            AreaAssignment.objects.create(
                branch=branch,
                member=cadre(number),
                kind=AreaKind.CELLS,
                name=name,
                cells=cells,
                started_on=FUZHOU_ASSIGNED_ON,
            )
        return len(counties) + len(LINCHUAN_PATCHES)

    def _patches(self) -> list[tuple[str, list[str]]]:
        """临川区's two resolution-7 cells with the most people no station covers on 2023-09-03
        (each patch is that cell)."""
        import numpy as np
        from h3.api import basic_int as h3

        from fucai.planning.coverage import covered_cells
        from fucai.planning.demand import load_demand

        grid = load_demand()
        grid = grid.subset(grid.county == LINCHUAN)
        blank = grid.population * ~covered_cells(grid, AS_OF)
        parents = np.array(
            [h3.cell_to_parent(int(c), PATCH_RESOLUTION) for c in grid.cell.tolist()]
        )
        codes, inverse = np.unique(parents, return_inverse=True)
        people = np.bincount(inverse, weights=blank)
        top = [int(codes[i]) for i in np.argsort(-people, kind="stable")[: len(LINCHUAN_PATCHES)]]
        return [(name, [h3.int_to_str(c)]) for name, c in zip(LINCHUAN_PATCHES, top, strict=True)]
