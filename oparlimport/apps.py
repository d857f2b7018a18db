from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlimportConfig(AppConfig):
    name = "oparlimport"
    verbose_name = _("OParl-Import")

    def ready(self):
        # The imported files' metadata in our API, through oparl's extension point (see oparlimport.oparl_api).
        from oparlimport import oparl_api, seiten

        oparl_api.eintragen()
        # The same files as links to the original on the Vorlage and Sitzung pages (see oparlimport.seiten).
        seiten.eintragen()
