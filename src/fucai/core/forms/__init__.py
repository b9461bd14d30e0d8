"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms


def style_fields(form: forms.Form) -> None:
    """Bootstrap's small controls on every field of a form (or a filter set's form)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")
