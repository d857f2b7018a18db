from django.apps import AppConfig


class OparlConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oparl"
    verbose_name = "OParl"

    def ready(self):
        # Why signals, see oparl.services.
        from oparl.services import tombstones_anbinden

        tombstones_anbinden()
