"""Party-member vanguard posts (党员先锋示范岗): who is one, on which day, and who may know.

An owner is a vanguard on day D when they are a Party member and a consent of theirs
(`VanguardConsent`) was given on or before D and not revoked by D — `vanguard_q`, the one
definition, used by every page, export, API response, map and analytics dimension. Today's
answer is `StationOwner.party_consent`, which `record_consent` and `revoke_consent` (and
`consent_from_import`, a new owner's consent from a station file) keep equal to the records;
a revocation hides the identity everywhere from that moment.

Party identity beyond that (a member who did not consent) is seen only with the Party-affairs
capability (`sees_party_identity`): for everyone else a non-consenting member looks exactly like
an owner who is not a member, in every filter, count, column and group."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from fucai.core.grant import PARTY_AFFAIRS, grant_for


def _join(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


def consent_covers(day: dt.date, prefix: str = "") -> Q:
    """Consents (at `prefix`) that count on `day`: given by then, not revoked by then."""
    revoked = _join(prefix, "revoked_on")
    return Q(**{_join(prefix, "given_on__lte"): day}) & (
        Q(**{f"{revoked}__isnull": True}) | Q(**{f"{revoked}__gt": day})
    )


def vanguard_q(day: dt.date | None = None, prefix: str = "") -> Q:
    """Owners (at `prefix`, e.g. "owner" from a station) shown as vanguard posts on `day`;
    without a day, today (the owner's current flag, kept equal to the records)."""
    member = Q(**{_join(prefix, "is_party_member"): True})
    if day is None:
        return member & Q(**{_join(prefix, "party_consent"): True})
    from fucai.party.models import VanguardConsent

    consents = VanguardConsent.objects.filter(consent_covers(day)).filter(
        owner=OuterRef(_join(prefix, "pk"))
    )
    return member & Q(Exists(consents))


def sees_party_identity(user) -> bool:
    """May `user` see who is a Party member without consent? Only Party affairs (and a system
    command, no user)."""
    return user is None or grant_for(user).can(PARTY_AFFAIRS)


def party_member_q(user, prefix: str = "") -> Q:
    """The owners `user` may be told are Party members: all members for Party affairs, the
    vanguard posts (consenting) for everyone else."""
    if sees_party_identity(user):
        return Q(**{_join(prefix, "is_party_member"): True})
    return vanguard_q(prefix=prefix)


def shown_party_member(owner, user) -> bool:
    """Whether `user` is shown `owner` as a Party member (the rule of `party_member_q`)."""
    if owner is None:
        return False
    return owner.is_party_member if sees_party_identity(user) else owner.is_party_vanguard


class ConsentRefused(ValueError):
    """A consent cannot be recorded or revoked; the message says why (in the user's language)."""


def sync_owner(owner) -> bool:
    """Set `owner.party_consent` to what the records say today; True when it changed."""
    from fucai.party.models import VanguardConsent

    current = VanguardConsent.objects.filter(
        consent_covers(timezone.localdate()), owner=owner
    ).exists()
    if owner.party_consent == current:
        return False
    owner.party_consent = current
    owner.save(update_fields=["party_consent"])
    return True


def record_consent(owner, given_on: dt.date, user, note: str = ""):
    """A new consent of a Party-member owner, from `given_on` (not in the future)."""
    from django.utils.translation import gettext as _

    from fucai.party.models import VanguardConsent

    if not owner.is_party_member:
        raise ConsentRefused(_("Only a Party member can consent to show Party identity."))
    if given_on > timezone.localdate():
        raise ConsentRefused(_("A consent cannot be given in the future."))
    if VanguardConsent.objects.filter(owner=owner, revoked_on__isnull=True).exists():
        raise ConsentRefused(_("This owner's consent is already recorded and not revoked."))
    with transaction.atomic():
        consent = VanguardConsent.objects.create(
            owner=owner, given_on=given_on, recorded_by=user, note=note
        )
        sync_owner(owner)
    return consent


def consent_from_import(owner, user, filename: str):
    """The consent of a new owner registered by a station file with 是否同意公开党员身份 = 是: given
    on the day of the import (the file says no day), recorded by the importer."""
    from fucai.party.models import VanguardConsent

    return VanguardConsent.objects.create(
        owner=owner,
        given_on=timezone.localdate(),
        recorded_by=user,
        note=f"站点台账导入：{filename}"[:200],
    )


def revoke_consent(consent, revoked_on: dt.date, user, note: str = ""):
    """Revoke `consent` from `revoked_on` (today or earlier, not before it was given)."""
    from django.utils.translation import gettext as _

    if consent.revoked_on is not None:
        raise ConsentRefused(_("This consent is already revoked."))
    if revoked_on > timezone.localdate():
        raise ConsentRefused(_("A consent cannot be revoked in the future."))
    if revoked_on < consent.given_on:
        raise ConsentRefused(_("A consent is revoked after it was given."))
    with transaction.atomic():
        consent.revoked_on, consent.revoked_by = revoked_on, user
        if note:
            consent.note = f"{consent.note}；{note}" if consent.note else note
        consent.save()
        sync_owner(consent.owner)
    return consent
