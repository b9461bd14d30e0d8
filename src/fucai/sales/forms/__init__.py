"""Forms of the sales app: the cockpit's as-of form."""

from fucai.sales.forms.cockpit import CockpitForm, Preset, SalesSpan

__all__ = ["CockpitForm", "Preset", "SalesSpan"]
