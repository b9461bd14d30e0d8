from fucai.reports.forms.packs import PackForm

__all__ = ["PackForm"]
