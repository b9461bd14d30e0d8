"""Owners' and market managers' phones and ID numbers encrypted at rest (fucai.core.personal):
existing clear values are encrypted, the ID numbers' blind index filled, and the audit rows
written so far masked (the trail never keeps clear personal data)."""

from django.db import migrations, models

import fucai.core.personal
from fucai.core.personal import ID_NUMBER, PHONE, blind_index, decrypt, encrypt, mask

# model -> {field: kind}
PERSONAL = {
    "stationowner": {"phone": PHONE, "id_number": ID_NUMBER},
    "marketmanager": {"phone": PHONE},
}


def _rewrite(apps, convert, with_index: bool) -> None:
    for model_name, fields in PERSONAL.items():
        model = apps.get_model("network", model_name)
        for row in model.objects.only("pk", *fields).iterator(chunk_size=1000):
            values = {name: convert(getattr(row, name) or "") for name in fields}
            if with_index and model_name == "stationowner":
                values["id_number_index"] = blind_index(row.id_number or "", ID_NUMBER)
            model.objects.filter(pk=row.pk).update(**values)


def encrypt_values(apps, schema_editor) -> None:
    _rewrite(apps, encrypt, with_index=True)
    mask_audit_rows(apps)


def decrypt_values(apps, schema_editor) -> None:
    _rewrite(apps, decrypt, with_index=False)


def mask_audit_rows(apps) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    ObjectChange = apps.get_model("core", "ObjectChange")
    for model_name, fields in PERSONAL.items():
        kind = ContentType.objects.filter(app_label="network", model=model_name).first()
        if kind is None:
            continue
        for change in ObjectChange.objects.filter(object_type=kind).iterator(chunk_size=1000):
            changes = dict(change.changes or {})
            for name, field_kind in fields.items():
                if isinstance(changes.get(name), list):
                    changes[name] = [
                        mask(v, field_kind) if isinstance(v, str) else v for v in changes[name]
                    ]
            if changes != change.changes:
                ObjectChange.objects.filter(pk=change.pk).update(changes=changes)


def _text(verbose_name: str) -> models.TextField:
    return models.TextField(blank=True, verbose_name=verbose_name)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_views_and_bulk_replacements"),
        ("geo", "0002_load_divisions"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="stationowner",
            name="id_number_index",
            field=fucai.core.personal.BlindIndexField(
                source="id_number", verbose_name="ID number index"
            ),
        ),
        # First plain text columns wide enough for the tokens, then the data, then the field type.
        migrations.AlterField("marketmanager", "phone", _text("phone")),
        migrations.AlterField("stationowner", "id_number", _text("ID number")),
        migrations.AlterField("stationowner", "phone", _text("phone")),
        migrations.RunPython(encrypt_values, decrypt_values),
        migrations.AlterField(
            model_name="marketmanager",
            name="phone",
            field=fucai.core.personal.PersonalField(
                blank=True, kind="phone", max_length=20, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="stationowner",
            name="id_number",
            field=fucai.core.personal.PersonalField(
                blank=True, kind="id", max_length=18, verbose_name="ID number"
            ),
        ),
        migrations.AlterField(
            model_name="stationowner",
            name="phone",
            field=fucai.core.personal.PersonalField(
                blank=True, kind="phone", max_length=20, verbose_name="phone"
            ),
        ),
        migrations.AddConstraint(
            model_name="stationowner",
            constraint=models.UniqueConstraint(
                condition=models.Q(("id_number_index", ""), _negated=True),
                fields=("city", "id_number_index"),
                name="owner_unique_id_number_in_city",
            ),
        ),
    ]
