from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "fucai_"
# How much of a key is kept in clear, so a user can tell their tokens apart ("fucai_Ab3x…").
SHOWN_PREFIX_LENGTH = 12
# last_used is written at most this often, so a busy script does not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def valid(self, now: dt.datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that have not expired and whose user is active."""
        now = now or timezone.now()
        return self.filter(Q(expires__isnull=True) | Q(expires__gt=now), user__is_active=True)

    def user_for_key(self, key: str):
        """The active user a key belongs to, or None; notes when the token was last used."""
        if not key or not key.startswith(KEY_PREFIX):
            return None
        token = self.valid().select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None:
            return None
        token.touch()
        return token.user


class ApiToken(models.Model):
    """A key with which a program (a script, a reporting tool, another system of the centre) calls
    the fucai API as one user, within that user's scope. Only the SHA-256 hash of the key is
    stored; the key itself is shown once, when the token is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=60, help_text=_("What the token is for, e.g. 'BI export'.")
    )
    prefix = models.CharField(_("key prefix"), max_length=SHOWN_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: never.")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user", "name"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_token_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, expires: dt.datetime | None = None) -> tuple[ApiToken, str]:
        """Create a token for `user`; returns it with the clear key, which is not kept anywhere."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[:SHOWN_PREFIX_LENGTH],
            key_hash=hash_key(key),
            expires=expires,
        )
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used is not None and now - self.last_used < LAST_USED_RESOLUTION:
            return
        type(self).objects.filter(pk=self.pk).update(last_used=now)
        self.last_used = now
