"""The Einberufung of a Sitzung and its proof.

An ``Einberufung`` is one sending: the Einladung (``nummer`` 0) or a Nachtrag (1, 2 …). It records when it went
out, by whom, the Ladungsfrist it was measured against, whether the Frist was kept (otherwise the Notfall reason
is required, by a constraint), what changed (for a Nachtrag) and the Tagesordnung as it was sent. Each recipient
has a ``Ladung``, which points to the ``post.Nachricht`` in the outbox: what exactly was sent, and what the mail
server answered. Both are records of a decision (PROTECT): a sent Einladung is never deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gremien.models import Person
from post.models import Nachricht
from sitzungen.models import Sitzung


class Einberufung(models.Model):
    class Art(models.TextChoices):
        EINLADUNG = "einladung", _("Einladung")
        NACHTRAG = "nachtrag", _("Nachtrag")

    sitzung = models.ForeignKey(
        Sitzung, verbose_name=_("Sitzung"), on_delete=models.PROTECT, related_name="einberufungen"
    )
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    nummer = models.PositiveSmallIntegerField(
        _("Nummer"), default=0, help_text=_("0 für die Einladung, 1, 2 … für Nachträge.")
    )
    versendet_am = models.DateTimeField(_("versendet am"))
    versendet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("versendet von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ladungsfrist_tage = models.PositiveSmallIntegerField(_("Ladungsfrist in Tagen"))
    frist_eingehalten = models.BooleanField(_("Frist eingehalten"))
    notfall_begruendung = models.TextField(
        _("Begründung des Notfalls"),
        blank=True,
        help_text=_("Pflicht, wenn die Ladungsfrist nicht eingehalten ist (§ 34 Abs. 2 GemO BW)."),
    )
    aenderungen = models.TextField(_("Änderungen gegenüber der letzten Einberufung"), blank=True)
    mitglieder_anzahl = models.PositiveSmallIntegerField(
        _("Mitglieder am Sitzungstag"),
        default=0,
        help_text=_("Mitglieder und Stellvertretungen des Gremiums am Tag der Sitzung, ob mit Adresse oder ohne."),
    )
    ohne_adresse = models.JSONField(
        _("Mitglieder ohne E-Mail-Adresse"),
        default=list,
        blank=True,
        help_text=_("Diese Mitglieder erhielten keine Nachricht; sie sind auf anderem Weg zu laden."),
    )
    tagesordnung = models.JSONField(
        _("versandte Tagesordnung"),
        default=list,
        blank=True,
        help_text=_(
            "Die Tagesordnungspunkte, wie sie versandt wurden: Grundlage der Änderungen des nächsten Nachtrags."
        ),
    )

    class Meta:
        verbose_name = _("Einberufung")
        verbose_name_plural = _("Einberufungen")
        ordering = ["sitzung", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["sitzung", "nummer"], name="einberufung_nummer_je_sitzung"),
            models.CheckConstraint(
                condition=Q(art="einladung", nummer=0) | Q(art="nachtrag", nummer__gte=1),
                name="einberufung_einladung_zuerst",
            ),
            models.CheckConstraint(
                condition=Q(frist_eingehalten=True) | ~Q(notfall_begruendung=""),
                name="einberufung_notfall_begruendet",
            ),
        ]

    def __str__(self):
        if self.art == self.Art.EINLADUNG:
            return f"Einladung: {self.sitzung}"
        return f"{self.nummer}. Nachtrag: {self.sitzung}"


class Ladung(models.Model):
    """One recipient of one Einberufung, and the message that went to her."""

    class Rolle(models.TextChoices):
        MITGLIED = "mitglied", _("Mitglied")
        STELLVERTRETUNG = "stellvertretung", _("Stellvertretung")
        WEITERE = "weitere", _("weitere Empfängerin / weiterer Empfänger")

    einberufung = models.ForeignKey(
        Einberufung, verbose_name=_("Einberufung"), on_delete=models.PROTECT, related_name="ladungen"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("Person"), on_delete=models.PROTECT, null=True, blank=True, related_name="ladungen"
    )
    name = models.CharField(_("Name"), max_length=300)
    rolle = models.CharField(_("Rolle"), max_length=20, choices=Rolle.choices)
    nichtoeffentlich = models.BooleanField(
        _("mit nichtöffentlichen Punkten"),
        default=False,
        help_text=_("Die Nachricht nennt die nichtöffentlichen Punkte."),
    )
    nachricht = models.OneToOneField(
        Nachricht, verbose_name=_("Nachricht"), on_delete=models.PROTECT, related_name="ladung"
    )

    class Meta:
        verbose_name = _("Ladung")
        verbose_name_plural = _("Ladungen")
        ordering = ["einberufung", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["einberufung", "person"],
                condition=Q(person__isnull=False),
                name="einberufung_ladung_einmal_je_person",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.einberufung})"
