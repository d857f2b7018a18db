from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MitzeichnungConfig(AppConfig):
    """The way of a draft through the administration: Mitzeichnung by the Dienststellen it concerns, then the
    Freigabe; the work area of a Dienststelle and everyone's "Meine Aufgaben"."""

    name = "mitzeichnung"
    verbose_name = _("Mitzeichnung und Freigabe")
