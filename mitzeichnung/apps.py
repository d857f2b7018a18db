from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MitzeichnungConfig(AppConfig):
    """The way of a draft through the administration: Mitzeichnung by the Dienststellen it concerns, then the
    Freigabe; the work area of a Dienststelle and everyone's "Meine Aufgaben"."""

    name = "mitzeichnung"
    verbose_name = _("Mitzeichnung und Freigabe")

    def ready(self):
        from django.db.models.signals import pre_delete

        from mitzeichnung import signale
        from mitzeichnung.models import Schritt

        pre_delete.connect(signale.entschiedenen_schritt_behalten, sender=Schritt, dispatch_uid="schritt_behalten")
        # The Vorlage's admin asks the route again after its text was saved (vorlagen must not import us).
        from vorlagen.admin import nach_speichern_eintragen

        nach_speichern_eintragen(signale.nach_vorlage_gespeichert)

        from django.contrib.auth.signals import user_logged_in

        from mitzeichnung.views import marke_nach_anmeldung

        # The site header shows "Meine Aufgaben" to staff of a Dienststelle from a mark in the session.
        user_logged_in.connect(marke_nach_anmeldung, dispatch_uid="mitzeichnung_marke")
