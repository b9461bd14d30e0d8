"""The Party module's choices: members' roles and leaving, kinds of organisational life, rule
periods."""

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


class MemberLeaving(models.TextChoices):
    """Why a member left the branch's roll (the record stays: meetings attended, pairings)."""

    TRANSFERRED = "transferred", _("Transferred out")
    DECEASED = "deceased", _("Deceased")
    REMOVED = "removed", _("Removed from the Party")
    OTHER = "other", _("Other")


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


class AreaKind(models.TextChoices):
    """What a cadre's assigned area (分片挂点) is: a county, or a set of H3 cells (a street or
    any patch drawn on the grid; fucai holds no street boundaries)."""

    COUNTY = "county", _("county")
    CELLS = "cells", _("grid cells")


class Treatment(models.TextChoices):
    """What an effect study measures (fucai.party.effect_build)."""

    PAIRING = "pairing", _("Cadre pairing (结对帮扶)")
    NEW_CHANNEL = "new_channel", _("A new-channel outlet nearby")


class StudyStatus(models.TextChoices):
    """An effect study's run: queued for the worker, running, done, or failed (with why)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


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
