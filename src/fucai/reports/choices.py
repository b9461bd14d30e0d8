"""Choice constants of the reports module: the bulletin's sections and languages, the report
packs' kinds and lifecycle."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PackKind(models.TextChoices):
    """A report pack covers a calendar month (2023-08) or a quarter (2023-Q3)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class PackStatus(models.TextChoices):
    """A pack's generation: queued → running (with its progress) → done, or failed with the
    error (the file of an earlier success, if any, stays)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BulletinSection(models.TextChoices):
    """The parts of a bulletin, in the order it prints them (the heading is the label)."""

    SALES = "sales", _("一、销售情况")
    NETWORK = "network", _("二、网点建设")
    PARTY = "party", _("三、党建引领")
    WELFARE = "welfare", _("四、公益事业")


SECTION_ORDER: tuple[str, ...] = tuple(BulletinSection.values)


class BulletinLanguage(models.TextChoices):
    """The language a sentence template is written in (a bulletin uses one language's)."""

    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", _("English")
