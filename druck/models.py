import hashlib

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sitzungen.models import Sitzung, Tagesordnungspunkt
from vorlagen.models import Vorlage


def druck_storage():
    return storages["druck"]


def druck_pfad(druckstueck, dateiname):
    # The key, not the visible file name: two variants of one document must never share a path.
    return f"{druckstueck.art}/{druckstueck.schluessel_hash}.pdf"


class DruckstueckQuerySet(models.QuerySet):
    def fertig(self):
        return self.filter(status=Druckstueck.Status.FERTIG)

    def neuer_versuch_faellig(self, jetzt):
        return self.filter(status=Druckstueck.Status.FEHLER, naechster_versuch__lte=jetzt)

    def mit_warnungen(self):
        return self.exclude(warnungen="")


class Druckstueck(models.Model):
    """One rendered PDF: one document, in one content version, for one audience variant.

    ``benutzer`` is empty for the public variant, which everyone gets who sees only public content; a variant
    with non-public content belongs to exactly one user and is never served to anyone else (``druck.services``).
    """

    class Art(models.TextChoices):
        VORLAGE = "vorlage", _("Vorlage")
        TAGESORDNUNG = "tagesordnung", _("Einladung und Tagesordnung")
        MAPPE = "mappe", _("Sitzungsmappe")
        NIEDERSCHRIFT = "niederschrift", _("Niederschrift")
        BESCHLUSSAUSZUG = "beschlussauszug", _("Beschlussauszug")

    class Status(models.TextChoices):
        AUSSTEHEND = "ausstehend", _("wartet")
        IN_ARBEIT = "in_arbeit", _("wird erstellt")
        FERTIG = "fertig", _("fertig")
        VERALTET = "veraltet", _("veraltet")
        FEHLER = "fehler", _("Fehler")

    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    vorlage = models.ForeignKey(
        Vorlage,
        verbose_name=_("Vorlage"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="druckstuecke",
    )
    sitzung = models.ForeignKey(
        Sitzung,
        verbose_name=_("Sitzung"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="druckstuecke",
    )
    tagesordnungspunkt = models.ForeignKey(
        Tagesordnungspunkt,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="druckstuecke",
        help_text=_("Nur beim Beschlussauszug: der Tagesordnungspunkt, dessen Beschluss er wiedergibt."),
    )
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persönliches Exemplar für"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="druckstuecke",
        help_text=_("Leer: die öffentliche Fassung, die alle erhalten, die nur Öffentliches sehen."),
    )
    inhaltsversion = models.CharField(_("Inhaltsversion"), max_length=64, editable=False)
    schluessel = models.CharField(_("Schlüssel"), max_length=200, editable=False)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.AUSSTEHEND)
    fortschritt = models.PositiveSmallIntegerField(_("Fortschritt in Prozent"), default=0)
    datei = models.FileField(_("Datei"), upload_to=druck_pfad, storage=druck_storage, max_length=300, blank=True)
    dateiname = models.CharField(_("Dateiname"), max_length=200)
    groesse = models.PositiveBigIntegerField(_("Größe in Bytes"), default=0)
    seiten = models.PositiveIntegerField(_("Seiten"), default=0)
    warnungen = models.TextField(_("Warnungen"), blank=True)
    versuche = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    naechster_versuch = models.DateTimeField(
        _("nächster Versuch"),
        null=True,
        blank=True,
        help_text=_("Leer: kein weiterer automatischer Versuch."),
    )
    erstellt_am = models.DateTimeField(_("angefordert am"), auto_now_add=True)
    fertig_am = models.DateTimeField(_("fertig am"), null=True, blank=True)

    objects = DruckstueckQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF-Druckstück")
        verbose_name_plural = _("PDF-Druckstücke")
        ordering = ["-erstellt_am", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "schluessel",
                name="druckstueck_schluessel_eindeutig",
                violation_error_message=_("Dieses Druckstück gibt es schon."),
            ),
            models.CheckConstraint(
                condition=Q(art="vorlage", vorlage__isnull=False, sitzung__isnull=True, tagesordnungspunkt__isnull=True)
                | Q(
                    art__in=["tagesordnung", "mappe", "niederschrift"],
                    vorlage__isnull=True,
                    sitzung__isnull=False,
                    tagesordnungspunkt__isnull=True,
                )
                | Q(
                    art="beschlussauszug", vorlage__isnull=True, sitzung__isnull=False, tagesordnungspunkt__isnull=False
                ),
                name="druckstueck_gegenstand_passt",
                violation_error_message=_("Ein Druckstück gehört entweder zu einer Vorlage oder zu einer Sitzung."),
            ),
            models.CheckConstraint(
                condition=Q(fortschritt__gte=0, fortschritt__lte=100),
                name="druckstueck_fortschritt_prozent",
                violation_error_message=_("Der Fortschritt liegt zwischen 0 und 100 Prozent."),
            ),
            models.CheckConstraint(
                condition=~Q(status="fertig") | (~Q(datei="") & Q(fertig_am__isnull=False)),
                name="druckstueck_fertig_mit_datei",
                violation_error_message=_("Ein fertiges Druckstück hat eine Datei und einen Fertigstellungszeitpunkt."),
            ),
        ]

    def __str__(self):
        return f"{self.dateiname} ({self.get_status_display()})"

    @property
    def gegenstand(self):
        if self.art == self.Art.VORLAGE:
            return self.vorlage
        if self.art == self.Art.BESCHLUSSAUSZUG:
            return self.tagesordnungspunkt
        return self.sitzung

    @property
    def schluessel_hash(self):
        return hashlib.sha256(self.schluessel.encode()).hexdigest()[:40]

    @property
    def wird_wiederholt(self):
        return self.status == self.Status.FEHLER and self.naechster_versuch is not None

    @property
    def ist_fertig(self):
        return self.status == self.Status.FERTIG and bool(self.datei)
