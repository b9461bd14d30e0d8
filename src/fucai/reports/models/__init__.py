from fucai.reports.models.packs import ReportPack

__all__ = ["ReportPack"]
