from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class Herkunft(models.Model):
    """Which OParl object an imported record came from.

    The original id is kept so that a second run updates instead of duplicating, and so that the old URLs of a
    city's previous system can be redirected to ours later. ``modified`` is the source's timestamp last seen: an
    object whose timestamp has not moved is not looked at again (idempotent, and a rerun resumes where it stopped).
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("Art"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("Objekt-ID"))
    objekt = GenericForeignKey("content_type", "object_id")
    # The source the id belongs to (host and path of the System URL): an id is only ever looked up within its
    # source, so a second source sending the same ids cannot reach what the first one delivered.
    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    oparl_id = models.CharField(_("OParl-ID"), max_length=500)
    typ = models.CharField(_("OParl-Typ"), max_length=30)
    # The page of the object in the city's previous system (OParl ``web``): old links lead here as well.
    web = models.URLField(_("Web-Adresse in der Quelle"), max_length=1000, blank=True, db_index=True)
    modified = models.CharField(_("zuletzt gesehenes modified"), max_length=40, blank=True)
    geloescht = models.BooleanField(
        _("in der Quelle gelöscht"),
        default=False,
        help_text=_("Die Quelle meldet das Objekt als gelöscht; bei uns zurückgezogen, gelöscht oder markiert."),
    )
    # What the source says that none of our models holds: the paperType or role as written, coordinates.
    daten = models.JSONField(_("weitere Angaben der Quelle"), default=dict, blank=True)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Herkunft aus OParl")
        verbose_name_plural = _("Herkünfte aus OParl")
        ordering = ["oparl_id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="herkunft_objekt_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["quelle", "oparl_id"],
                name="herkunft_quelle_oparl_id_eindeutig",
                violation_error_message=_("Diese OParl-ID ist für diese Quelle schon vergeben."),
            )
        ]

    def __str__(self):
        return self.oparl_id


class DateiQuerySet(models.QuerySet):
    def sichtbar_fuer(self, user):
        """File metadata without a stored copy, as ``user`` may see it: of a visible Vorlage, or of a public Sitzung
        without non-public TOPs (a TOP's files are kept with its Sitzung, so a non-public TOP could hide among
        them). Only with an address of the original: without one there is nothing to lead a reader to. A downloaded
        file is served as our Anlage or Sitzungsdokument instead."""
        from sitzungen.models import Tagesordnungspunkt
        from vorlagen.models import Vorlage

        verborgene_tops = Tagesordnungspunkt.objects.filter(sitzung=OuterRef("sitzung")).exclude(
            Tagesordnungspunkt.objects.sichtbar_q(user)
        )
        return (
            self.filter(anlage__isnull=True, sitzungsdokument__isnull=True)
            .exclude(access_url="", download_url="")
            .filter(
                Q(vorlage__in=Vorlage.objects.sichtbar_fuer(user))
                | Q(sitzung__isnull=False, sitzung__oeffentlich=True) & ~Exists(verborgene_tops)
            )
        )


class Datei(models.Model):
    """The metadata of an OParl File.

    Our Anlage requires a stored file; an import without ``--dateien`` has none, so the metadata lives here and an
    Anlage (of a Vorlage) or a Sitzungsdokument (of a Sitzung) is created only once the content has been downloaded.
    """

    quelle = models.CharField(_("Quelle"), max_length=300, blank=True)
    oparl_id = models.CharField(_("OParl-ID"), max_length=500)
    vorlage = models.ForeignKey(
        "vorlagen.Vorlage",
        verbose_name=_("Vorlage"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="oparl_dateien",
    )
    sitzung = models.ForeignKey(
        "sitzungen.Sitzung",
        verbose_name=_("Sitzung"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="oparl_dateien",
    )
    anlage = models.OneToOneField(
        "vorlagen.Anlage",
        verbose_name=_("Anlage"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="oparl_datei",
    )
    # The same for a file of a Meeting or AgendaItem, downloaded as a document of the Sitzung.
    sitzungsdokument = models.OneToOneField(
        "protokoll.Sitzungsdokument",
        verbose_name=_("Sitzungsdokument"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="oparl_datei",
    )
    rolle = models.CharField(_("Rolle"), max_length=30, help_text=_("mainFile, auxiliaryFile, invitation …"))
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    name = models.CharField(_("Name"), max_length=500, blank=True)
    dateiname = models.CharField(_("Dateiname"), max_length=300, blank=True)
    mime_typ = models.CharField(_("Dateityp"), max_length=100, blank=True)
    datum = models.DateField(_("Datum"), null=True, blank=True)
    groesse = models.PositiveBigIntegerField(_("Größe in Bytes"), null=True, blank=True)
    access_url = models.URLField(_("accessUrl"), max_length=1000, blank=True)
    download_url = models.URLField(_("downloadUrl"), max_length=1000, blank=True)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = DateiQuerySet.as_manager()

    class Meta:
        verbose_name = _("Datei aus OParl")
        verbose_name_plural = _("Dateien aus OParl")
        ordering = ["vorlage", "sitzung", "reihenfolge", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quelle", "oparl_id"],
                name="oparldatei_quelle_oparl_id_eindeutig",
                violation_error_message=_("Diese OParl-ID ist für diese Quelle schon vergeben."),
            ),
            models.CheckConstraint(
                condition=Q(vorlage__isnull=False, sitzung__isnull=True)
                | Q(vorlage__isnull=True, sitzung__isnull=False),
                name="oparldatei_vorlage_oder_sitzung",
                violation_error_message=_("Eine Datei gehört entweder zu einer Vorlage oder zu einer Sitzung."),
            ),
            models.CheckConstraint(
                condition=Q(reihenfolge__gte=1),
                name="oparldatei_reihenfolge_ab_eins",
                violation_error_message=_("Die Reihenfolge der Dateien beginnt bei 1."),
            ),
        ]

    def __str__(self):
        return self.name or self.oparl_id
