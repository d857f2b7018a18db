from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlimportConfig(AppConfig):
    name = "oparlimport"
    verbose_name = _("OParl-Import")
