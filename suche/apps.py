from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SucheConfig(AppConfig):
    name = "suche"
    verbose_name = _("Suche")

    def ready(self):
        # The search subscriptions of the digests are matched by the search itself, entered through the
        # extension point of ``abonnements`` (docs/architecture.md): neither feature imports the other otherwise.
        from abonnements import suchabgleich
        from suche.abos import neue_treffer

        suchabgleich.eintragen(neue_treffer)
