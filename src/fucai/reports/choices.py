"""Choice constants of the reports module: the bulletin's sections and languages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
