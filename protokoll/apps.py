from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtokollConfig(AppConfig):
    name = "protokoll"
    verbose_name = _("Sitzungsverlauf und Niederschrift")
