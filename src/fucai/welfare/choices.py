"""Choice constants of the welfare module: lifecycles with their labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class ProjectKind(models.TextChoices):
    """What a 公益金 project spends on."""

    ELDERLY_CARE = "elderly_care", _("Elderly-care centre equipment")
    READING_ROOM = "reading_room", _("Reading room")
    HOUSEHOLD_AID = "household_aid", _("Household assistance")
    WELFARE_TOUR = "welfare_tour", _("福彩公益行 activity")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    """A project's lifecycle: planned → in progress (`open`: grants may be applied for) →
    completed (no new applications; the pending ones are decided and paid) → closed (the books
    closed: nothing pending). A planned or open project may be closed early (cancelled); the
    moves are fucai.welfare.workflow's `PROJECT_MOVES`."""

    PLANNED = "planned", pgettext_lazy("welfare project", "Planned")
    OPEN = "open", pgettext_lazy("welfare project", "In progress")
    COMPLETED = "completed", pgettext_lazy("welfare project", "Completed")
    CLOSED = "closed", pgettext_lazy("welfare project", "Closed")


class GrantStatus(models.TextChoices):
    """Where a grant stands: applied → reviewed → approved → paid, or rejected."""

    APPLIED = "applied", _("Applied")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class GrantStepKind(models.TextChoices):
    """One step of a grant's history (each a row: who, when, a note)."""

    APPLICATION = "application", _("Application")
    REVIEW = "review", _("Review")
    APPROVAL = "approval", _("Approval")
    PAYMENT = "payment", _("Payment")
    REJECTION = "rejection", _("Rejection")


class RecipientKind(models.TextChoices):
    """Who a grant goes to."""

    HOUSEHOLD = "household", _("Household")
    ORGANISATION = "organisation", _("Organisation")


class ObjectionOutcome(models.TextChoices):
    """How an objection to a noticed grant was resolved (empty: not yet)."""

    DISMISSED = "dismissed", _("Dismissed (the grant stands)")
    UPHELD = "upheld", _("Upheld (the grant is rejected)")
