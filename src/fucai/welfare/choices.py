"""Choice constants of the welfare module: lifecycles with their labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
