from fucai.network.models.leads import (
    LayerPoint,
    Lead,
    LeadStatusChange,
    PointLayer,
    SpacingRule,
)
from fucai.network.models.manager import MarketManager, StationAssignment, Territory
from fucai.network.models.onboarding import (
    OnboardingPlan,
    OnboardingTask,
    OnboardingTemplate,
    OnboardingTemplateTask,
)
from fucai.network.models.partner import PartnerAgreement, PartnerOrganisation, PartnerSite
from fucai.network.models.station import Station, StationOwner, StationStatusChange
from fucai.network.models.visit import FieldVisit

__all__ = [
    "FieldVisit",
    "LayerPoint",
    "Lead",
    "LeadStatusChange",
    "MarketManager",
    "OnboardingPlan",
    "OnboardingTask",
    "OnboardingTemplate",
    "OnboardingTemplateTask",
    "PartnerAgreement",
    "PartnerOrganisation",
    "PartnerSite",
    "PointLayer",
    "SpacingRule",
    "Station",
    "StationAssignment",
    "StationOwner",
    "StationStatusChange",
    "Territory",
]
