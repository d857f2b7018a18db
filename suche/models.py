from django.db import models
from django.utils.translation import gettext_lazy as _


class Suchwort(models.Model):
    """A word of public content, the vocabulary of the “Meinten Sie …” suggestion.

    Only content an anonymous visitor may see goes in (``suche.services.suchwoerter_aufbauen``), and a suggestion
    is offered only when the search for it finds something the asking user may see.
    """

    wort = models.CharField(_("Wort"), max_length=100, unique=True)
    anzahl = models.PositiveIntegerField(_("Häufigkeit"), default=0)

    class Meta:
        verbose_name = _("Suchwort")
        verbose_name_plural = _("Suchwörter")
        ordering = ["wort"]

    def __str__(self):
        return self.wort
