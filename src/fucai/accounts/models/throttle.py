from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Failed logins counted for one user name (whether or not such an account exists, so the
    login page reveals nothing) or one client address. After too many failures in a row the key
    is locked for a while (settings LOGIN_MAX_FAILURES, LOGIN_LOCKOUT_MINUTES); a successful login
    clears its user name's row; a user administrator may unlock an account early
    (fucai.accounts.throttle)."""

    class Kind(models.TextChoices):
        USERNAME = "username", _("user name")
        ADDRESS = "address", _("client address")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    key = models.CharField(
        _("key"), max_length=150, help_text=_("The user name (lower case) or the IP address.")
    )
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_failure = models.DateTimeField(_("last failure"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}: {self.failures}"
