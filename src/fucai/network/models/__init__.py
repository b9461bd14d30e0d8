from fucai.network.models.leads import (
    Lead,
    LeadStatusChange,
    LayerPoint,
    PointLayer,
    SpacingRule,
)
from fucai.network.models.manager import MarketManager, StationAssignment, Territory
from fucai.network.models.partner import PartnerOrganisation
from fucai.network.models.station import Station, StationOwner, StationStatusChange

__all__ = [
    "MarketManager",
    "PartnerOrganisation",
    "Station",
    "StationAssignment",
    "StationOwner",
    "StationStatusChange",
    "Territory",
    "Lead",
    "LeadStatusChange",
    "LayerPoint",
    "PointLayer",
    "SpacingRule",
]
