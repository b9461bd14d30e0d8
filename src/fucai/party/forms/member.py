"""A Party member's form: of one of the user's branches, a group of that branch, the role, the
joining date, the cadre flag and, optionally, the member's user account (an account of the
branch's agency). Phones and ID numbers are shown masked, as on every page: a value left as its
mask keeps the stored one; a full value replaces it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fucai.accounts.grants import agency_accounts
from fucai.core.bounds import BoundedDateField, clean_text
from fucai.core.forms import style_fields
from fucai.core.personal import ID_NUMBER, PHONE, Kind, mask
from fucai.network.forms import DateInput
from fucai.network.imports.cells import CellError, Masked
from fucai.network.imports.cells import id_number as id_number_cell
from fucai.network.imports.cells import phone as phone_cell
from fucai.party.models import Member, PartyGroup

PERSONAL = {"phone": (PHONE, phone_cell), "id_number": (ID_NUMBER, id_number_cell)}


class MemberForm(forms.ModelForm):
    """A member of one of `branches`; on an existing member, phone and ID number start masked."""

    joined_on = BoundedDateField(label=_("Joined the Party on"), widget=DateInput())
    left_on = BoundedDateField(
        label=_("Left the branch on"),
        widget=DateInput(),
        required=False,
        help_text=_("Only when the member leaves the roll; their history stays."),
    )

    class Meta:
        model = Member
        fields = [
            "branch",
            "group",
            "name",
            "phone",
            "id_number",
            "role",
            "joined_on",
            "is_cadre",
            "user",
            "left_on",
            "left_reason",
        ]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        if not self.instance.pk and len(branches) == 1:
            self.initial.setdefault("branch", branches[0])
        groups = PartyGroup.objects.filter(branch__in=branches).select_related("branch")
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: f"{g.branch.name} · {g.name}"
        self.fields["name"].label = pgettext_lazy("person", "Name")
        cities = branches.values_list("city_id", flat=True)
        self.fields["user"].queryset = agency_accounts(cities)
        self.fields["user"].help_text = _("Optional: an account of the branch's agency.")
        if self.instance.pk:
            for name, (kind, _check) in PERSONAL.items():
                self.initial[name] = mask(getattr(self.instance, name), kind)
        style_fields(self)

    def clean_name(self) -> str:
        return clean_text(self.cleaned_data["name"])

    def _personal(self, name: str) -> str:
        kind, check = PERSONAL[name]
        try:
            value = check(self.cleaned_data.get(name) or "")
        except CellError as error:
            raise forms.ValidationError(str(error)) from None
        if isinstance(value, Masked):
            return self._stored(name, value, kind)
        return value

    def _stored(self, name: str, value: Masked, kind: Kind) -> str:
        """A masked value stands for the stored one only if it is exactly its mask."""
        stored = getattr(self.instance, name) if self.instance.pk else ""
        if not value.stands_for(stored, kind):
            raise forms.ValidationError(
                _("Type the full value, or leave the masked one as it is."), code="masked"
            )
        return stored

    def clean_phone(self) -> str:
        return self._personal("phone")

    def clean_id_number(self) -> str:
        return self._personal("id_number")

    def clean(self) -> dict:
        data = super().clean()
        branch, group, user = data.get("branch"), data.get("group"), data.get("user")
        if branch and group and group.branch_id != branch.pk:
            self.add_error("group", _("Not of this branch."))
        if branch and user and user.city_id != branch.city_id:
            self.add_error("user", _("Not an account of this branch's agency."))
        self._clean_leaving(data)
        return data

    def _clean_leaving(self, data: dict) -> None:
        """Leaving needs both the day (not in the future: the field's bounds) and the reason, on
        or after joining."""
        left_on, reason = data.get("left_on"), data.get("left_reason")
        joined_on = data.get("joined_on")
        if left_on and not reason:
            self.add_error("left_reason", _("Say why the member left."))
        if reason and not left_on:
            self.add_error("left_on", _("Give the day the member left."))
        if left_on and joined_on and left_on < joined_on:
            self.add_error("left_on", _("Before the member joined the Party."))
