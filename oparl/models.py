from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """What is left in the API of a public object that was deleted: OParl clients learn of the deletion here."""

    typ = models.CharField(_("OParl-Typ"), max_length=30)  # e.g. "Paper"
    pfad = models.CharField(_("Pfad der OParl-Id"), max_length=100, unique=True)  # e.g. "paper/12"
    erstellt_am = models.DateTimeField(_("erstellt am"))
    geloescht_am = models.DateTimeField(_("gelöscht am"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("gelöschtes OParl-Objekt")
        verbose_name_plural = _("gelöschte OParl-Objekte")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.typ} {self.pfad}"
