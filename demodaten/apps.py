from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemodatenConfig(AppConfig):
    """The demo data and ``manage.py demodaten_laden``; it fills every app and no app imports it."""

    name = "demodaten"
    verbose_name = _("Demodaten")
