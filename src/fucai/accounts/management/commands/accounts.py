"""`fucai accounts token create|list|revoke`: API tokens for programs that call the fucai API."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.utils import timezone

from fucai.core.commandline import FucaiCommand


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--expires {value!r} is not a date; use YYYY-MM-DD.") from None


def get_user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user named {username!r}.")
    return user


class Command(FucaiCommand):
    help = "Manage API tokens (Authorization: Bearer <key>) of fucai users."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="topic", required=True)
        token = sub.add_parser("token", help="API tokens")
        actions = token.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print its key (shown once)")
        create.add_argument("username")
        create.add_argument("name", help="what the token is for, e.g. bi-export")
        create.add_argument(
            "--expires", type=parse_date, help="last day the token works (YYYY-MM-DD)"
        )
        listing = actions.add_parser("list", help="list tokens (never their keys)")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="delete a token")
        revoke.add_argument("username")
        revoke.add_argument("name")

    def handle(self, *args, **options) -> None:
        handler = {"create": self.create, "list": self.list, "revoke": self.revoke}[
            options["action"]
        ]
        handler(options)

    def create(self, options: dict) -> None:
        from fucai.accounts.models import ApiToken

        user = get_user(options["username"])
        if not user.is_active:
            raise CommandError(f"User {user.username!r} is inactive; a token would not work.")
        expires = _end_of_day(options["expires"]) if options["expires"] else None
        if expires is not None and expires <= timezone.now():
            raise CommandError(f"--expires {options['expires']} is in the past.")
        try:
            with transaction.atomic():
                token, key = ApiToken.issue(user, options["name"], expires=expires)
        except IntegrityError:
            raise CommandError(
                f"User {user.username!r} already has a token named {options['name']!r}."
            ) from None
        until = f", valid until {options['expires']}" if expires else ""
        self.stderr.write(
            f"Token {token.name!r} for {user.username} created{until}. "
            "The key is shown only now; send it as 'Authorization: Bearer <key>'."
        )
        self.stdout.write(key)

    def list(self, options: dict) -> None:
        from fucai.accounts.models import ApiToken

        tokens = ApiToken.objects.select_related("user").order_by("user__username", "name")
        if options["username"]:
            tokens = tokens.filter(user=get_user(options["username"]))
        for token in tokens:
            state = "expired" if token.is_expired else "valid"
            created = timezone.localdate(token.created)  # the centre's day, not UTC's
            self.stdout.write(
                f"{token.user.username}\t{token.name}\t{token.prefix}…\t{state}\t"
                f"created {created:%Y-%m-%d}\tlast used {_fmt(token.last_used)}\t"
                f"expires {_fmt(token.expires)}"
            )

    def revoke(self, options: dict) -> None:
        from fucai.accounts.models import ApiToken

        deleted, _ = ApiToken.objects.filter(
            user=get_user(options["username"]), name=options["name"]
        ).delete()
        if not deleted:
            raise CommandError(
                f"User {options['username']!r} has no token named {options['name']!r}."
            )
        self.stdout.write(f"Token {options['name']!r} of {options['username']} revoked.")


def _end_of_day(day: dt.date) -> dt.datetime:
    """The token works through the whole of its last day (in the centre's time zone)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _fmt(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "never"
