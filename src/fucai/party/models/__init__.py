from fucai.party.models.branch import PARTY_AFFAIRS, Branch, Member, PartyGroup
from fucai.party.models.meeting import Absence, ComplianceRule, Meeting
from fucai.party.models.pairing import AreaAssignment, Pairing, PairingScheme
from fucai.party.models.study import EffectStudy

__all__ = [
    "PARTY_AFFAIRS",
    "Absence",
    "AreaAssignment",
    "Branch",
    "ComplianceRule",
    "EffectStudy",
    "Meeting",
    "Member",
    "Pairing",
    "PairingScheme",
    "PartyGroup",
]

# the 四强 self-assessment (issue 11 point 5)
from fucai.party.models.assessment import (
    Assessment,
    AssessmentAnswer,
    Checklist,
    ChecklistItem,
)

__all__ += ["Assessment", "AssessmentAnswer", "Checklist", "ChecklistItem"]
