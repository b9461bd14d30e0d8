"""The welfare module's models (issue 12); each part in its own file, re-exported here."""

from fucai.welfare.models.activity import WelfareActivity, WelfarePost
from fucai.welfare.models.fund import FundRate
from fucai.welfare.models.grants import (
    BudgetOverride,
    Grant,
    GrantStep,
    Household,
    Notice,
    Objection,
    Project,
    ProjectBudgetOverride,
    ProjectStep,
)

__all__ = [
    "BudgetOverride",
    "FundRate",
    "Grant",
    "GrantStep",
    "Household",
    "Notice",
    "Objection",
    "Project",
    "ProjectBudgetOverride",
    "ProjectStep",
    "WelfareActivity",
    "WelfarePost",
]
