from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DruckConfig(AppConfig):
    name = "druck"
    verbose_name = _("PDF-Druck")
