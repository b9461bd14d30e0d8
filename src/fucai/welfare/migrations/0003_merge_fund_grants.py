"""Merges the welfare module's two initial parts: the fund and activities (0001_fund) and the
projects and grants (0001_grants, 0002_projects_edit)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("welfare", "0001_fund"),
        ("welfare", "0002_projects_edit"),
    ]

    operations = []
