from django.apps import AppConfig


class OparlConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oparl"
    verbose_name = "OParl"

    def ready(self):
        # Why signals, see oparl.services.
        from betrieb.ausfall import eigene_antwort_registrieren
        from oparl.services import tombstones_anbinden
        from oparl.views import ausfall_antwort

        tombstones_anbinden()
        # A database outage under /oparl/v1.1/ answers with the API's JSON error object, not the 503 page.
        eigene_antwort_registrieren("oparl:system", ausfall_antwort)
