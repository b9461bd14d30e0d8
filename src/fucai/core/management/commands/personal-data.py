"""`fucai personal-data reencrypt`: rewrite every personal value (phones, ID numbers, …) with the
first key of FUCAI_FIELD_KEY and refresh the blind indexes: the middle step of a key rotation
(docs/personal-data.md)."""

from __future__ import annotations

from django.db import transaction

from fucai.core.commandline import FucaiCommand


def _models_with_personal_data():
    from django.apps import apps

    from fucai.core.personal import personal_fields

    return [m for m in apps.get_models() if personal_fields(m)]


class Command(FucaiCommand):
    help = "Personal data at rest: re-encrypt with the first FUCAI_FIELD_KEY key (key rotation)."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "reencrypt",
            help="Re-encrypt every personal value with the first key and refresh the indexes.",
        )

    def handle(self, *args, action: str, **options) -> None:
        from fucai.core.personal import reencrypt

        with transaction.atomic():
            for model in _models_with_personal_data():
                done = reencrypt(model)
                self.stdout.write(f"{model._meta.label}: {done} rows re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(
                "All personal data is encrypted with the first key; keys after it can be dropped."
            )
        )
