"""Merges evaluation's two initial parts: the manual inputs (0001_inputs) and the schemes, runs,
results and objections (0001_runs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_inputs"),
        ("evaluation", "0001_runs"),
    ]

    operations = []
