"""Partners (联姻): their sites (e.g. a group's shopping complexes, which a station may be in)
and agreements (dates, terms, the contact); the organisation's contact name becomes personal data,
encrypted at rest (fucai.core.personal): existing clear values are encrypted and the audit rows
written so far masked."""

import django.db.models.deletion
from django.db import migrations, models

import fucai.core.personal
from fucai.core.personal import NAME, decrypt, encrypt, mask


def _rewrite(apps, convert) -> None:
    model = apps.get_model("network", "partnerorganisation")
    for row in model.objects.only("pk", "contact_name").iterator(chunk_size=1000):
        model.objects.filter(pk=row.pk).update(contact_name=convert(row.contact_name or ""))


def encrypt_contacts(apps, schema_editor) -> None:
    _rewrite(apps, encrypt)
    ContentType = apps.get_model("contenttypes", "ContentType")
    ObjectChange = apps.get_model("core", "ObjectChange")
    kind = ContentType.objects.filter(app_label="network", model="partnerorganisation").first()
    if kind is None:
        return
    for change in ObjectChange.objects.filter(object_type=kind).iterator(chunk_size=1000):
        changes = dict(change.changes or {})
        if isinstance(changes.get("contact_name"), list):
            changes["contact_name"] = [
                mask(v, NAME) if isinstance(v, str) else v for v in changes["contact_name"]
            ]
        if changes != change.changes:
            ObjectChange.objects.filter(pk=change.pk).update(changes=changes)


def decrypt_contacts(apps, schema_editor) -> None:
    _rewrite(apps, decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_audit_views_and_bulk_replacements"),
        ("network", "0005_onboarding"),
    ]

    operations = [
        # First a plain text column wide enough for the tokens, then the data, then the type.
        migrations.AlterField(
            model_name="partnerorganisation",
            name="contact_name",
            field=models.TextField(blank=True, verbose_name="contact name"),
        ),
        migrations.RunPython(encrypt_contacts, decrypt_contacts),
        migrations.AlterField(
            model_name="partnerorganisation",
            name="contact_name",
            field=fucai.core.personal.PersonalField(
                blank=True, kind="name", max_length=40, verbose_name="contact name"
            ),
        ),
        migrations.CreateModel(
            name="PartnerSite",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("mall", "Shopping complex"),
                            ("supermarket", "Supermarket"),
                            ("scenic_spot", "Scenic spot"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=32,
                        verbose_name="kind",
                    ),
                ),
                ("address", models.CharField(blank=True, max_length=200, verbose_name="address")),
                (
                    "lon",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        max_digits=9,
                        null=True,
                        verbose_name="longitude (GCJ-02)",
                    ),
                ),
                (
                    "lat",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        max_digits=9,
                        null=True,
                        verbose_name="latitude (GCJ-02)",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sites",
                        to="network.partnerorganisation",
                        verbose_name="partner organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "partner site",
                "verbose_name_plural": "partner sites",
                "ordering": ["organisation", "name"],
            },
        ),
        migrations.AddField(
            model_name="station",
            name="partner_site",
            field=models.ForeignKey(
                blank=True,
                help_text="The partner's site (e.g. its shopping complex) the station is in.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="stations",
                to="network.partnersite",
                verbose_name="partner site",
            ),
        ),
        migrations.CreateModel(
            name="PartnerAgreement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("signed_on", models.DateField(verbose_name="signed on")),
                ("starts_on", models.DateField(verbose_name="starts on")),
                ("ends_on", models.DateField(blank=True, null=True, verbose_name="ends on")),
                ("terms", models.TextField(blank=True, verbose_name="terms")),
                (
                    "contact_name",
                    fucai.core.personal.PersonalField(
                        blank=True, kind="name", max_length=40, verbose_name="contact name"
                    ),
                ),
                (
                    "contact_phone",
                    fucai.core.personal.PersonalField(
                        blank=True, kind="phone", max_length=20, verbose_name="contact phone"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agreements",
                        to="network.partnerorganisation",
                        verbose_name="partner organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "partner agreement",
                "verbose_name_plural": "partner agreements",
                "ordering": ["organisation", "-starts_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True),
                            ("ends_on__gte", models.F("starts_on")),
                            _connector="OR",
                        ),
                        name="partner_agreement_ends_after_start",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="partnersite",
            constraint=models.UniqueConstraint(
                fields=("organisation", "name"), name="partner_site_unique_name"
            ),
        ),
    ]
