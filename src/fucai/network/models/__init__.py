from fucai.network.models.leads import (
    LayerPoint,
    Lead,
    LeadStatusChange,
    PointLayer,
    SpacingRule,
)
from fucai.network.models.manager import MarketManager, StationAssignment, Territory
from fucai.network.models.partner import PartnerOrganisation
from fucai.network.models.station import Station, StationOwner, StationStatusChange

__all__ = [
    "LayerPoint",
    "Lead",
    "LeadStatusChange",
    "MarketManager",
    "PartnerOrganisation",
    "PointLayer",
    "SpacingRule",
    "Station",
    "StationAssignment",
    "StationOwner",
    "StationStatusChange",
    "Territory",
]
