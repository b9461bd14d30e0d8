from __future__ import annotations

import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from fucai.sales.calendar_data import BRANDS, GAMES, SUSPENSIONS

    Game = apps.get_model("sales", "Game")
    InstantBrand = apps.get_model("sales", "InstantBrand")
    SalesSuspension = apps.get_model("sales", "SalesSuspension")
    for code, name, category, weekdays, aliases, order in GAMES:
        Game.objects.update_or_create(code=code, defaults={
            "name": name, "category": category, "draw_weekdays": weekdays, "aliases": aliases, "sort_order": order})
    for name, game_code, description in BRANDS:
        InstantBrand.objects.update_or_create(
            name=name, defaults={"game": Game.objects.get(code=game_code), "description": description})
    for name, kind, start, end, url, note in SUSPENSIONS:
        SalesSuspension.objects.update_or_create(kind=kind, start=dt.date.fromisoformat(start), defaults={
            "name": name, "end": dt.date.fromisoformat(end), "draw_games_stop": True,
            "instant_stops": False, "source_url": url, "note": note})


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
