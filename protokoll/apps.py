from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtokollConfig(AppConfig):
    name = "protokoll"
    verbose_name = _("Sitzungsverlauf und Niederschrift")

    def ready(self):
        # The record on the Sitzung, Vorlage and Person pages, which sit in apps below this one.
        # The Sitzung's own documents on its page, through vorlagen's extension point (see protokoll.seiten).
        from protokoll import seiten

        seiten.eintragen()
