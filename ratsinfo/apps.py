from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatsinfoConfig(AppConfig):
    name = "ratsinfo"
    verbose_name = _("Ratsinfo")
