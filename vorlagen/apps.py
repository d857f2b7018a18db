from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VorlagenConfig(AppConfig):
    name = "vorlagen"
    verbose_name = _("Vorlagen")
