from fucai.planning.models.demand import DemandLayer
from fucai.planning.models.scenario import SitingScenario, SitingSite

__all__ = ["DemandLayer", "SitingScenario", "SitingSite"]
