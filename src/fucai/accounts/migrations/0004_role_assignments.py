"""Roles become data: each user's single role (and its anchor) becomes a RoleAssignment row;
the user keeps only the agency (city) the account belongs to."""

import django.db.models.deletion

import fucai.accounts.models.user
from django.conf import settings
from django.db import migrations, models


def roles_to_assignments(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    rows = []
    for user in User.objects.all().iterator():
        anchor = {
            "city_id": user.city_id if user.role in ("city", "party") else None,
            "market_manager_id": user.market_manager_id if user.role == "manager" else None,
            "station_owner_id": user.station_owner_id if user.role == "owner" else None,
        }
        rows.append(RoleAssignment(user_id=user.pk, role=user.role, **anchor))
    RoleAssignment.objects.bulk_create(rows)


def assignments_to_roles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    for assignment in RoleAssignment.objects.order_by("user_id", "pk"):
        User.objects.filter(pk=assignment.user_id).update(
            role=assignment.role,
            market_manager_id=assignment.market_manager_id,
            station_owner_id=assignment.station_owner_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_apitoken"),
        ("geo", "0002_load_divisions"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleAssignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=[("province", "Provincial centre"), ("city", "City agency"), ("admin", "User administrator"), ("manager", "Market manager"), ("owner", "Station owner"), ("party", "Party affairs")], max_length=12, verbose_name="role")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("city", models.ForeignKey(blank=True, help_text="City agency, Party affairs, user administrator: the city (empty: province).", limit_choices_to={"level": "prefecture"}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="geo.division", verbose_name="city")),
                ("county", models.ForeignKey(blank=True, help_text="City agency only: limit the role to one county of the city.", limit_choices_to={"level": "county"}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="geo.division", verbose_name="county")),
                ("granted_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="granted by")),
                ("market_manager", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="role_assignments", to="network.marketmanager", verbose_name="market manager")),
                ("station_owner", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="role_assignments", to="network.stationowner", verbose_name="station owner")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="role_assignments", to=settings.AUTH_USER_MODEL, verbose_name="user")),
            ],
            options={
                "verbose_name": "role assignment",
                "verbose_name_plural": "role assignments",
                "ordering": ["user", "role", "pk"],
            },
        ),
        migrations.RunPython(roles_to_assignments, assignments_to_roles),
        migrations.RemoveField(model_name="user", name="role"),
        migrations.RemoveField(model_name="user", name="market_manager"),
        migrations.RemoveField(model_name="user", name="station_owner"),
        migrations.AlterField(
            model_name="user",
            name="city",
            field=models.ForeignKey(blank=True, help_text="The city agency the account belongs to (empty: the provincial centre). A city's user administrators manage its accounts.", limit_choices_to={"level": "prefecture"}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="geo.division", verbose_name="agency"),
        ),
        migrations.AlterModelManagers(
            name="user",
            managers=[("objects", fucai.accounts.models.user.FucaiUserManager())],
        ),
    ]
