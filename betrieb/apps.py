from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BetriebConfig(AppConfig):
    """Operations: backup and restore, the answer to a database outage, the page and count caches, the
    Änderungsprotokoll."""

    name = "betrieb"
    verbose_name = _("Betrieb")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from betrieb.seitencache import daten_geaendert

        # The page cache must not outlive a change: cache invalidation, not business logic (betrieb.seitencache).
        for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
            signal.connect(daten_geaendert, dispatch_uid=f"seitencache-{name}")
