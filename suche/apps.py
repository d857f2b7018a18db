from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SucheConfig(AppConfig):
    name = "suche"
    verbose_name = _("Suche")
