"""Choice constants of the welfare module: lifecycles with their labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    """What a 福彩公益行 activity or a publicity placement is."""

    EVENT = "event", _("福彩公益行活动")
    COMMUNITY = "community", _("社区活动")
    NOTICE_BOARD = "notice_board", _("宣传栏")
    BANNER = "banner", _("条幅")
    POSTER = "poster", _("海报展板")
    OTHER = "other", _("其他宣传")


class PostService(models.TextChoices):
    """What a 福彩公益驿站 offers passers-by."""

    WATER = "water", _("饮水")
    REST = "rest", _("休息")
    CHARGING = "charging", _("充电")
    FIRST_AID = "first_aid", _("应急药箱")
    UMBRELLA = "umbrella", _("雨具")
    BOOKS = "books", _("图书")
    MICROWAVE = "microwave", _("微波炉加热")
    TOILET = "toilet", _("卫生间指引")
