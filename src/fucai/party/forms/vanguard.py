"""Forms of the vanguard posts (党员先锋示范岗): record a Party-member owner's consent, revoke
one. Only Party affairs see them; the owners offered are the Party members of the user's scope
without a consent in force, named masked with their stations' codes."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.core.bounds import check_date
from fucai.core.forms import style_fields
from fucai.core.personal import NAME, mask


class OwnerChoiceField(forms.ModelChoiceField):
    """An owner as 刘** · 36110214."""

    def label_from_instance(self, obj) -> str:
        codes = "、".join(s.code for s in obj.stations.all())
        return f"{mask(obj.name, NAME)} · {codes or '—'}"


def consentable_owners(user):
    """Party-member owners `user` sees (Party affairs: their city, or the province) who have no
    consent in force."""
    from fucai.network.models import Station, StationOwner
    from fucai.party.models import VanguardConsent

    open_consent = VanguardConsent.objects.filter(owner=OuterRef("pk"), revoked_on__isnull=True)
    return (
        StationOwner.objects.restrict(user)
        .filter(is_party_member=True)
        .exclude(Exists(open_consent))
        .prefetch_related(Prefetch("stations", queryset=Station.objects.order_by("code")))
        .order_by("city__code", "pk")
    )


def _past_day(value):
    check_date(value)
    return value


class ConsentForm(forms.Form):
    """A consent given by a Party-member owner on a day (today or earlier)."""

    owner = OwnerChoiceField(queryset=None, label=_("Owner"))
    given_on = forms.DateField(
        label=_("Consent given on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[_past_day],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = consentable_owners(user)
        self.fields["given_on"].initial = timezone.localdate()
        style_fields(self)


class RevokeForm(forms.Form):
    """The day a consent stops counting (today or earlier)."""

    revoked_on = forms.DateField(
        label=_("Consent revoked on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[_past_day],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoked_on"].initial = timezone.localdate()
        style_fields(self)
