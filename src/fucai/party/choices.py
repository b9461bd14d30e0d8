"""The Party module's choices: members' roles, kinds of organisational life, rule periods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    """A member's place in the branch."""

    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    COMMITTEE = "committee", _("委员")
    MEMBER = "member", _("党员")
    PROBATIONARY = "probationary", _("预备党员")


class MeetingType(models.TextChoices):
    """The kinds of organisational life (三会一课 and 主题党日)."""

    MEMBER_ASSEMBLY = "member_assembly", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")


class RulePeriod(models.TextChoices):
    """The period a compliance rule counts over."""

    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class Dimension(models.TextChoices):
    """The four dimensions of the 四强 branch assessment."""

    POLITICAL = "political", _("政治功能强")
    LEADERSHIP = "leadership", _("支部班子强")
    MEMBERS = "members", _("党员队伍强")
    ROLE = "role", _("作用发挥强")


class AutoCheck(models.TextChoices):
    """What the records can tell of a checklist item: the compliance of these meeting types
    (fucai.party.compliance); none for an item only a person can judge."""

    NONE = "", _("none")
    SANHUI_YIKE = "sanhui_yike", _("三会一课")
    MEMBER_ASSEMBLY = "member_assembly", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
