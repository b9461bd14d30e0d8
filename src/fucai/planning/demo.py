"""The `fucai demo` step for planning: the census-model demand layer of the demo province
(docs/planning.md), ≈ 15 s. Its cells file goes where every layer's goes (FUCAI_DATA_DIR)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from fucai.planning.choices import DemandSource


class DemandDemoBuilder:
    """The demand layer of the 2020 census model."""

    label = gettext_lazy("census demand layer")

    def _layers(self):
        from fucai.planning.models import DemandLayer

        return DemandLayer.objects.filter(source=DemandSource.CENSUS)

    def is_current(self, ctx) -> bool:
        layer = self._layers().first()
        return layer is not None and layer.path.is_file()

    def foreign_data(self, ctx) -> str | None:
        return None  # the network step guards the database

    def wipe(self, ctx) -> None:
        from fucai.planning.models import DemandLayer

        for layer in DemandLayer.objects.all():
            layer.path.unlink(missing_ok=True)
        DemandLayer.objects.all().delete()

    def build(self, ctx) -> None:
        from fucai.planning.demand import build_census_layer

        layer = build_census_layer()
        ctx.progress(str(self.label), layer.cell_count)

    def figures(self) -> str:
        layer = self._layers().first()
        if layer is None:
            return ""
        return (
            f"{layer.name}: {layer.cell_count:,} H3 cells (res {layer.resolution}), "
            f"population {layer.total_population:,.0f}"
        )
