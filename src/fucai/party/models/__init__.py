from fucai.party.models.assessment import Assessment, AssessmentAnswer, Checklist, ChecklistItem
from fucai.party.models.branch import PARTY_AFFAIRS, Branch, Member, PartyGroup
from fucai.party.models.meeting import Absence, ComplianceRule, Meeting
from fucai.party.models.pairing import AreaAssignment, Pairing, PairingScheme
from fucai.party.models.study import EffectStudy
from fucai.party.models.vanguard import VanguardConsent

__all__ = [
    "PARTY_AFFAIRS",
    "Absence",
    "AreaAssignment",
    "Assessment",
    "AssessmentAnswer",
    "Branch",
    "Checklist",
    "ChecklistItem",
    "ComplianceRule",
    "EffectStudy",
    "Meeting",
    "Member",
    "Pairing",
    "PairingScheme",
    "PartyGroup",
    "VanguardConsent",
]
