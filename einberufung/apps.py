from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EinberufungConfig(AppConfig):
    """The Einberufung of a Sitzung (§ 34 GemO BW): Einladung and Nachträge, their Ladungen and the proof."""

    name = "einberufung"
    verbose_name = _("Einberufung")
