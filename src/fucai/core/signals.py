"""Signals that domain code sends and `fucai.core.audit` turns into audit rows (views never write
audit rows themselves)."""

from __future__ import annotations

from django.dispatch import Signal

# sender: the model class; instance: the object; fields: names of the personal fields shown in
# full; reason: why (e.g. "admin form", "show on station page").
personal_data_viewed = Signal()

# sender: the model class; label: which batch (e.g. "2023-08"); deleted, created: row counts;
# source: where the rows came from (a file name, a command).
bulk_replaced = Signal()

# sender: the model class; instance: the object; what: the state changed outside the object's own
# fields (e.g. "login lock"); before, after: its values. One UPDATE row in the object's trail.
state_changed = Signal()
