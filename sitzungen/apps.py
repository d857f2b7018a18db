from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitzungenConfig(AppConfig):
    name = "sitzungen"
    verbose_name = _("Sitzungen")
