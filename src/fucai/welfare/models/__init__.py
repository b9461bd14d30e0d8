"""The welfare module's models (issue 12); each part in its own file, re-exported here."""

from fucai.welfare.models.activity import WelfareActivity, WelfarePost
from fucai.welfare.models.fund import FundRate

__all__ = ["FundRate", "WelfareActivity", "WelfarePost"]
