from fucai.party.models.branch import PARTY_AFFAIRS, Branch, Member, PartyGroup
from fucai.party.models.meeting import Absence, ComplianceRule, Meeting

__all__ = [
    "PARTY_AFFAIRS",
    "Absence",
    "Branch",
    "ComplianceRule",
    "Meeting",
    "Member",
    "PartyGroup",
]
from fucai.party.models.vanguard import VanguardConsent

__all__ += ["VanguardConsent"]
