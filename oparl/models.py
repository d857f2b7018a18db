from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """What is left in the API of a public object that was deleted or left the public view: OParl clients that
    synchronise with modified_since learn here that it is gone."""

    class Grund(models.TextChoices):
        GELOESCHT = "geloescht", _("gelöscht")
        ZURUECKGEZOGEN = "zurueckgezogen", _("Veröffentlichung zurückgezogen")
        NICHT_OEFFENTLICH = "nicht_oeffentlich", _("nicht mehr öffentlich")

    typ = models.CharField(_("OParl-Typ"), max_length=30)  # e.g. "paper", a key of oparl.abbildung.TYPEN
    pfad = models.CharField(_("Pfad der OParl-Id"), max_length=100, unique=True)  # e.g. "paper/12"
    grund = models.CharField(_("Grund"), max_length=20, choices=Grund.choices, default=Grund.GELOESCHT)
    erstellt_am = models.DateTimeField(_("erstellt am"))
    geloescht_am = models.DateTimeField(_("aus der API entfernt am"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("aus der API entferntes Objekt")
        verbose_name_plural = _("aus der API entfernte Objekte")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.typ} {self.pfad}"

    @property
    def objekt_pk(self):
        return int(self.pfad.rsplit("/", 1)[1])
