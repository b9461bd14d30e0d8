"""Choice constants of the welfare module: lifecycles with their labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    """What a 公益金 project spends on."""

    ELDERLY_CARE = "elderly_care", _("Elderly-care centre equipment")
    READING_ROOM = "reading_room", _("Reading room")
    HOUSEHOLD_AID = "household_aid", _("Household assistance")
    WELFARE_TOUR = "welfare_tour", _("福彩公益行 activity")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    """A project's lifecycle: planned → open (grants may be applied for) → closed."""

    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


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
