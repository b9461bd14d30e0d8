"""Forms of the accounts pages: the throttled login, a user's account, a role assignment.

What a user administrator may do is decided by fucai.accounts.grants (`check_assignment`,
`check_manages_user`, `manages_city`); these forms only offer the choices inside that reach and
call the rule, so a forged POST gets the same answer as the page."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fucai.accounts import throttle
from fucai.accounts.choices import ROLE_FIELDS, Role
from fucai.accounts.grants import (
    PROVINCE_ASSIGNED,
    check_assignment,
    manage_reach,
    manages_city,
)
from fucai.accounts.models import RoleAssignment, User
from fucai.core.forms import style_fields
from fucai.geo.models import Division
from fucai.network.models import MarketManager, Station

# Temporary passwords: no 0/O, 1/l/I, so they can be read out over the phone.
_TEMPORARY_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """A random password of three groups of four characters, e.g. `h7Kq-3xPa-Wm9e`."""
    groups = ("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def managed_cities(granter):
    """The cities whose accounts `granter` manages (all of them for the province)."""
    reach = manage_reach(granter)
    cities = Division.objects.cities().order_by("code")
    return cities if reach.everything else cities.filter(pk__in=reach.cities)


class LoginForm(AuthenticationForm):
    """Django's login form, throttled (fucai.accounts.throttle): a locked user name or address is
    refused before any password is checked, with the time left; every failure is counted under the
    name typed, whether or not such an account exists."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Your user name and password did not match. Please try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        address = throttle.client_address(self.request)
        now = timezone.now()
        until = throttle.locked_until(username, address, now)
        if until is not None:
            raise ValidationError(throttle.lock_message(until, now), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            until = throttle.record_failure(username, address, now)
            if until is not None:
                raise ValidationError(throttle.lock_message(until, now), code="locked") from None
            raise
        throttle.clear(username)
        return cleaned


class UserForm(forms.ModelForm):
    """A user's account as its administrator edits it: name, e-mail and agency (only a provincial
    administrator chooses the agency; a city's is fixed). The user name is set once."""

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email", "city"]

    def __init__(self, *args, granter, **kwargs):
        super().__init__(*args, **kwargs)
        self.granter = granter
        city = self.fields["city"]
        city.queryset = managed_cities(granter)
        if manage_reach(granter).everything:
            city.empty_label = _("Provincial centre")
        else:
            city.required, city.empty_label = True, None
        if self.instance.pk is not None:
            self.fields["username"].disabled = True
        style_fields(self)

    def clean_city(self):
        city = self.cleaned_data.get("city")
        if not manages_city(self.granter, city.pk if city else None):
            raise ValidationError(_("You do not manage the accounts of this agency."))
        return city


class OwnerByStationField(forms.CharField):
    """A station owner, named by the code of one of their stations (owners have no code)."""

    def __init__(self, *, cities=None, **kwargs):
        super().__init__(**kwargs)
        self.cities = cities

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        station = (
            Station.objects.filter(code=code.strip(), city__in=self.cities, owner__isnull=False)
            .select_related("owner")
            .first()
        )
        if station is None:
            raise ValidationError(
                _("No station with this code and an owner in the cities whose users you manage.")
            )
        return station.owner


class RoleAssignmentForm(forms.ModelForm):
    """One role given to a user, with its anchor. The choices offered lie inside the granter's
    reach; whatever is posted, `check_assignment` decides."""

    station_owner = OwnerByStationField(
        label=_("Station owner (code of their station)"), required=False, max_length=8
    )

    class Meta:
        model = RoleAssignment
        fields = ["role", "city", "county", "market_manager", "station_owner"]

    def __init__(self, *args, granter, user, **kwargs):
        super().__init__(*args, instance=RoleAssignment(user=user, granted_by=granter), **kwargs)
        self.granter = granter
        cities = managed_cities(granter)
        self.fields["city"].queryset = cities
        self.fields["county"].queryset = (
            Division.objects.counties().filter(parent__in=cities).order_by("code")
        )
        self.fields["market_manager"].queryset = MarketManager.objects.filter(city__in=cities)
        self.fields["station_owner"].cities = cities
        if not manage_reach(granter).everything:
            kept_back = (Role.PROVINCE, *PROVINCE_ASSIGNED)
            self.fields["role"].choices = [
                (value, label) for value, label in Role.choices if value not in kept_back
            ]
            self.fields["city"].empty_label = None  # blank would mean the province
            if not self.is_bound and cities:
                self.initial["city"] = cities[0].pk
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        kept = ROLE_FIELDS.get(cleaned.get("role"), ())
        for name in ("city", "county", "market_manager", "station_owner"):
            if name not in kept:
                cleaned[name] = None
                self.errors.pop(name, None)  # an anchor the role does not take cannot be wrong
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # builds the assignment and runs the model's own checks
        if self.errors:
            return
        try:
            check_assignment(self.granter, self.instance)
        except ValidationError as error:
            self.add_error(None, error)
            return
        if self._already_held():
            self.add_error(None, _("The user already holds this role."))

    def _already_held(self) -> bool:
        a = self.instance
        return RoleAssignment.objects.filter(
            user=a.user,
            role=a.role,
            city=a.city,
            county=a.county,
            market_manager=a.market_manager,
            station_owner=a.station_owner,
        ).exists()
