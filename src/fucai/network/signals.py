"""Keeps a station's denormalised current status and first-opened date equal to its history."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from fucai.network.choices import StationStatus
from fucai.network.models import Station, StationStatusChange


def refresh_station_status(station: Station) -> None:
    history = station.status_changes.order_by("date", "pk")
    last = history.last()
    first_open = history.filter(status=StationStatus.OPEN).first()
    status = last.status if last else StationStatus.PLANNED
    opened_on = first_open.date if first_open else None
    if (station.status, station.opened_on) != (status, opened_on):
        station.status, station.opened_on = status, opened_on
        station.save(update_fields=["status", "opened_on", "updated"])


@receiver(post_save, sender=StationStatusChange, dispatch_uid="network-status-saved")
@receiver(post_delete, sender=StationStatusChange, dispatch_uid="network-status-deleted")
def _status_changed(sender, instance: StationStatusChange, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    station = Station.objects.filter(pk=instance.station_id).first()
    if station is not None:
        refresh_station_status(station)
