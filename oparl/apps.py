from django.apps import AppConfig


class OparlConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oparl"
    verbose_name = "OParl"

    def ready(self):
        # A signal, against the house rule "nothing important hides in signals": public objects are deleted from
        # many places (admin actions, inlines, cascades, shell, importer), and the API must not lose a single one
        # of them - a client that synchronises with modified_since would keep a deleted object forever.
        from oparl.services import tombstones_anbinden

        tombstones_anbinden()
