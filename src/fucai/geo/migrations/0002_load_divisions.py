from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):
    from fucai.geo.loader import load_divisions

    load_divisions(apps.get_model("geo", "Division"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
