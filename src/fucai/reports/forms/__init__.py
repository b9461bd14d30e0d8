"""The reports module's forms: a sentence template's wording, a report pack asked for now."""

from fucai.reports.forms.packs import PackForm
from fucai.reports.forms.sentences import BulletinSentenceForm

__all__ = ["BulletinSentenceForm", "PackForm"]
