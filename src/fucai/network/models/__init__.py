from fucai.network.models.manager import MarketManager, StationAssignment, Territory
from fucai.network.models.partner import PartnerAgreement, PartnerOrganisation, PartnerSite
from fucai.network.models.station import Station, StationOwner, StationStatusChange

__all__ = [
    "MarketManager",
    "PartnerAgreement",
    "PartnerOrganisation",
    "PartnerSite",
    "Station",
    "StationAssignment",
    "StationOwner",
    "StationStatusChange",
    "Territory",
]
