"""Scope-checked lookups for API endpoints, built on `Model.objects.restrict(user, action)`.

Outside the user's view scope an object does not exist (404: the API does not tell whether it
exists elsewhere); visible but outside the change scope it is forbidden (403)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from fucai.core.scope import CHANGE, VIEW

if TYPE_CHECKING:
    from fucai.accounts.models import User

M = TypeVar("M", bound=models.Model)


def get_visible(queryset: models.QuerySet[M], user: User, **lookup) -> M:
    """The object the user may see, or 404."""
    obj = queryset.restrict(user, VIEW).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_changeable(queryset: models.QuerySet[M], user: User, **lookup) -> M:
    """The object the user may change: 404 outside their view scope, 403 if only visible."""
    obj = get_visible(queryset, user, **lookup)
    require_changeable(obj, user)
    return obj


def require_changeable(obj: models.Model, user: User) -> None:
    """403 unless `obj` lies inside the user's change scope (checked against the database)."""
    if not type(obj).objects.restrict(user, CHANGE).filter(pk=obj.pk).exists():
        raise HttpError(403, _("You may not change this record."))
