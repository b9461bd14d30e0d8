"""The reports module's models; each part in its own file, re-exported here."""

from fucai.reports.models.packs import ReportPack
from fucai.reports.models.templates import BulletinSentence

__all__ = ["BulletinSentence", "ReportPack"]
