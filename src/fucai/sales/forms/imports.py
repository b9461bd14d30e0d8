"""The upload form of the web sales import: one or more files, their kind, a dry-run switch."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from fucai.core.bounds import check_upload_size
from fucai.sales.choices import ImportKind, ImportMode
from fucai.sales.ingest.readers import CSV_SUFFIXES, EXCEL_SUFFIXES, PARQUET_SUFFIXES

SUFFIXES = tuple(sorted(CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES))
MAX_FILES = 20
_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented recipe)."""

    def __init__(self, *args, **kwargs) -> None:
        attrs = {"accept": ",".join(SUFFIXES), "class": "form-control"}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        if data:
            return [single(data, initial)]
        kept = single(None, initial)  # no file: "required" speaks here
        return [kept] if kept else []


class SalesImportForm(forms.Form):
    """What the upload page asks: files (daily, ticket-level or Ministry of Finance tables),
    their kind (detected by default), the period of a Ministry table, and whether to only check."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_("CSV, Excel or Parquet; several files are imported together or not at all."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Detect from the file")), *ImportKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period = forms.CharField(
        label=_("Period of a Ministry of Finance table"),
        required=False,
        max_length=7,
        help_text=_("YYYY-MM, only when the sheet title does not say it."),
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "class": "form-control"}),
    )
    mode = forms.ChoiceField(
        label=_("What the files replace"),
        choices=ImportMode.choices,
        initial=ImportMode.CELLS,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_(
            "Replacing whole days removes the stored rows of those days that the files do not "
            "hold; check with a dry run first: it says how many rows would go."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check only, import nothing"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(n)s files at a time.") % {"n": MAX_FILES}, code="too_many"
            )
        for upload in files:
            check_upload_size(upload)
            if Path(upload.name).suffix.lower() not in SUFFIXES:
                raise forms.ValidationError(
                    _("%(name)s: unsupported file type; use %(suffixes)s.")
                    % {"name": upload.name, "suffixes": ", ".join(SUFFIXES)},
                    code="suffix",
                )
        return files

    def clean_mode(self) -> str:
        return self.cleaned_data["mode"] or ImportMode.CELLS

    def clean_period(self) -> tuple[int, int] | None:
        raw = self.cleaned_data["period"].strip()
        if not raw:
            return None
        match = _PERIOD.match(raw)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Use YYYY-MM, e.g. 2023-08."), code="period")
        return int(match.group(1)), int(match.group(2))
