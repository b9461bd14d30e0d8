"""The form field of attachments: several photos (or PDFs) in one input, checked as the form is
validated, stored by the view with store_attachment once the owner is saved."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    """`<input type=file multiple>`; on a phone it offers the camera (`capture="environment"`)."""

    allow_multiple_selected = True

    def __init__(self, attrs=None, *, photos_only: bool = True):
        defaults = {"accept": "image/*", "capture": "environment"} if photos_only else {}
        super().__init__({**defaults, **(attrs or {})})


class AttachmentsField(forms.FileField):
    """Several files at once; `cleaned_data[name]` is the list of uploaded files (empty if none
    and not required), each already checked by size and real type (fucai.core.attachments.store
    .prepare), so a refused file is a form error naming it. `photos_only=False` also offers PDFs
    in the file picker (the check accepts PDFs either way)."""

    def __init__(self, *args, photos_only: bool = True, max_files: int = 20, **kwargs):
        kwargs.setdefault("label", _("Photos") if photos_only else _("Attachments"))
        kwargs.setdefault("widget", MultipleFileInput(photos_only=photos_only))
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        from fucai.core.attachments.store import AttachmentRefused, prepare

        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("At most %(n)s files at once.") % {"n": self.max_files}, code="max_files"
            )
        errors = []
        for uploaded in files:
            try:
                prepare(uploaded)
            except AttachmentRefused as refused:
                errors.extend(refused.messages)
            finally:
                if hasattr(uploaded, "seek"):
                    uploaded.seek(0)
        if errors:
            raise forms.ValidationError(errors)
        return files
