"""The settings of fucai's own data commands (`fucai network|sales|accounts|personal-data …`):
fucai's settings without the apps only the web uses (the admin, django-ninja's Swagger UI,
django-tables2's and django-filter's templates, django-htmx's tags). Those apps hold no data a
command reads or writes, and importing them is most of a command's start-up time. The console
script picks this module for those commands (fucai.cli); everything else uses fucai.settings."""

from fucai.settings import *  # noqa: F403
from fucai.settings import INSTALLED_APPS as _ALL_APPS

WEB_ONLY_APPS = (
    "django.contrib.admin",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "ninja",
)
INSTALLED_APPS = [app for app in _ALL_APPS if app not in WEB_ONLY_APPS]
