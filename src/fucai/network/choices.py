from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationScene(models.TextChoices):
    """Where a station sells: the channel or scene of the seed's 进商超、进商圈、进社区."""

    STREET = "street", _("传统街边店")
    SUPERMARKET = "supermarket", _("商超")
    BUSINESS_DISTRICT = "business_district", _("商圈")
    COMMUNITY = "community", _("社区")
    SHOPPING_COMPLEX = "shopping_complex", _("商业综合体")
    TOURISM_STREET = "tourism_street", _("文旅街区")
    INSTANT_KIOSK = "instant_kiosk", _("即开销售亭")
    WELFARE_POST = "welfare_post", _("福彩公益驿站")


# The seed's "城市核心区域" channels: 商业综合体, 繁华商圈, 文旅街区.
CORE_URBAN_SCENES = (
    StationScene.SHOPPING_COMPLEX,
    StationScene.BUSINESS_DISTRICT,
    StationScene.TOURISM_STREET,
)


class StationOperation(models.TextChoices):
    """Whether the outlet sells only lottery tickets (专营) or alongside another business (兼营)."""

    DEDICATED = "dedicated", _("专营")
    SHARED = "shared", _("兼营")


class StationStatus(models.TextChoices):
    """A station's lifecycle: planned → surveyed → building → open → suspended → closed."""

    PLANNED = "planned", _("Planned")
    SURVEYED = "surveyed", _("Surveyed")
    BUILDING = "building", _("Building")
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


# Which status may follow which. Before opening a station may skip steps forward (an existing outlet
# registered late has no survey); closed is final; a suspended station may reopen.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    StationStatus.PLANNED: frozenset(
        {StationStatus.SURVEYED, StationStatus.BUILDING, StationStatus.OPEN, StationStatus.CLOSED}
    ),
    StationStatus.SURVEYED: frozenset(
        {StationStatus.BUILDING, StationStatus.OPEN, StationStatus.CLOSED}
    ),
    StationStatus.BUILDING: frozenset({StationStatus.OPEN, StationStatus.CLOSED}),
    StationStatus.OPEN: frozenset({StationStatus.SUSPENDED, StationStatus.CLOSED}),
    StationStatus.SUSPENDED: frozenset({StationStatus.OPEN, StationStatus.CLOSED}),
    StationStatus.CLOSED: frozenset(),
}


class PartnerKind(models.TextChoices):
    SHOPPING_COMPLEX_GROUP = "shopping_complex_group", _("Shopping-complex group")
    SUPERMARKET_CHAIN = "supermarket_chain", _("Supermarket chain")
    TOURISM = "tourism", _("Cultural-tourism operator")
    OTHER = "other", _("Other")


class ManagerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ELIMINATED = "eliminated", _("Eliminated")
    LEFT = "left", _("Left")


class VisitPurpose(models.TextChoices):
    """Why a market manager or a Party cadre visited a station (fucai.network.models.visit)."""

    ROUTINE = "routine", _("Routine visit")
    SALES_ADVICE = "sales_advice", _("Sales advice")
    ONBOARDING = "onboarding", _("Onboarding (四帮)")
    INSPECTION = "inspection", _("Inspection")
    COMPLAINT = "complaint", _("Complaint or problem")
    PARTY = "party", _("Party building")
    PAIRED = "paired", _("Paired help (结对帮扶)")  # a Party cadre at the station paired with them


# --- 四帮 onboarding (fucai.network.models.onboarding) ----------------------------------------


class OnboardingPhase(models.TextChoices):
    """The four helps (四帮) of a new station: survey before building, layout while building,
    marketing after opening, follow-up visits."""

    SURVEY = "survey", _("建站前")
    BUILD = "build", _("建站时")
    MARKETING = "marketing", _("开业后")
    FOLLOW_UP = "follow_up", _("回访")


class OnboardingAnchor(models.TextChoices):
    """The station date a task's due date counts from."""

    PLANNED = "planned", _("Planned on")
    BUILDING = "building", _("Construction started on")
    OPENED = "opened", _("Opened on")


class OnboardingTaskState(models.TextChoices):
    TODO = "todo", _("To do")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped (with a reason)")


class SurveyRecommendation(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend building")
    CONDITIONAL = "conditional", _("Recommend with conditions")
    REJECT = "reject", _("Do not build")


class PartnerSiteKind(models.TextChoices):
    MALL = "mall", _("Shopping complex")
    SUPERMARKET = "supermarket", _("Supermarket")
    SCENIC_SPOT = "scenic_spot", _("Scenic spot")
    OTHER = "other", _("Other")


# -- leads (布点机会) and spacing rules (issue 9) ----------------------------------------------
class LeadSource(models.TextChoices):
    """Where a prospect came from: a poster (征招海报), a walk-in, a cadre's area walk, a site
    chosen by a siting scenario (fucai.planning)."""

    POSTER = "poster", _("Poster")
    WALK_IN = "walk_in", _("Walk-in")
    AREA_WALK = "area_walk", _("Area walk")
    SITING = "siting", _("Siting scenario")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    """A lead's lifecycle: new → contacted → surveyed → approved → opened, or rejected."""

    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    SURVEYED = "surveyed", _("Surveyed")
    APPROVED = "approved", _("Approved")
    OPENED = "opened", _("Opened")
    REJECTED = "rejected", _("Rejected")


# Which status may follow which: forward one step at a time (or straight to rejected); opened and
# rejected are final; `opened` needs the lead converted into a station (fucai.network.leads).
LEAD_TRANSITIONS: dict[str, frozenset[str]] = {
    LeadStatus.NEW: frozenset({LeadStatus.CONTACTED, LeadStatus.REJECTED}),
    LeadStatus.CONTACTED: frozenset({LeadStatus.SURVEYED, LeadStatus.REJECTED}),
    LeadStatus.SURVEYED: frozenset({LeadStatus.APPROVED, LeadStatus.REJECTED}),
    LeadStatus.APPROVED: frozenset({LeadStatus.OPENED, LeadStatus.REJECTED}),
    LeadStatus.OPENED: frozenset(),
    LeadStatus.REJECTED: frozenset(),
}
# A lead still in the pipeline: any status that has a next one (opened and rejected are final).
OPEN_LEAD_STATUSES = tuple(status for status, after in LEAD_TRANSITIONS.items() if after)


class SpacingTarget(models.TextChoices):
    """What a spacing rule keeps a site away from: stations of an operation, or a point layer."""

    STATIONS = "stations", _("Stations")
    LAYER = "layer", _("Point layer")
