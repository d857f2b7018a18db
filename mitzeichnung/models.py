"""The route of a draft Vorlage before it may go onto an agenda (issue 19).

The federführende Dienststelle sends a draft on a ``Laufweg``: ``Schritt`` rows of kind Mitzeichnung (by the
Dienststellen it concerns; steps with the same ``stufe`` run in parallel, a higher ``stufe`` waits for the lower ones)
and last the Freigabe by the Bürgermeister/Referent. Each decision records the ``Textstand`` it saw; a step is decided
once and never changed (a trigger, migration 0002). A text changed after a Mitzeichnung asks that Dienststelle again
with a new step (``wiederholung_von``). ``Vorlage.freigegeben_am`` is written when the Freigabe is given: the agenda's
pool in ``sitzungen`` reads it without importing this app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gremien.models import Dienststelle, Dienststellenzugehoerigkeit
from ratsinfo.validators import datum_pruefen
from vorlagen.models import Textstand, Vorlage


class LaufwegQuerySet(models.QuerySet):
    def laufend(self):
        return self.filter(status=Laufweg.Status.LAUFEND)


class Laufweg(models.Model):
    """One route of one Vorlage; a Vorlage may be sent again after an objection (a new Laufweg)."""

    class Status(models.TextChoices):
        LAUFEND = "laufend", _("läuft")
        FREIGEGEBEN = "freigegeben", _("freigegeben")
        ZURUECKGEGEBEN = "zurueckgegeben", _("zurückgegeben (Einspruch)")
        ABGEBROCHEN = "abgebrochen", _("abgebrochen")

    vorlage = models.ForeignKey(Vorlage, verbose_name=_("Vorlage"), on_delete=models.PROTECT, related_name="laufwege")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.LAUFEND)
    gestartet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gestartet von"), on_delete=models.PROTECT, related_name="+"
    )
    gestartet_am = models.DateTimeField(_("gestartet am"), validators=[datum_pruefen])
    beendet_am = models.DateTimeField(_("beendet am"), null=True, blank=True, validators=[datum_pruefen])
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = LaufwegQuerySet.as_manager()

    class Meta:
        verbose_name = _("Laufweg")
        verbose_name_plural = _("Laufwege")
        ordering = ["-gestartet_am", "-pk"]
        constraints = [
            # One running route per Vorlage: two routes would ask the same people twice.
            models.UniqueConstraint(
                fields=["vorlage"],
                condition=Q(status="laufend"),
                name="laufweg_einer_laufend_je_vorlage",
                violation_error_message=_("Für diese Vorlage läuft schon ein Laufweg."),
            ),
            models.CheckConstraint(
                condition=Q(status="laufend", beendet_am__isnull=True)
                | (~Q(status="laufend") & Q(beendet_am__isnull=False)),
                name="laufweg_beendet_mit_datum",
                violation_error_message=_("Ein beendeter Laufweg braucht ein Enddatum, ein laufender keines."),
            ),
        ]

    def __str__(self):
        return _("Laufweg von %(vorlage)s") % {"vorlage": self.vorlage.bezeichnung}

    def get_absolute_url(self):
        # A route is the clerks' and the Amt's business: its page is the admin's.
        return reverse("admin:mitzeichnung_laufweg_change", kwargs={"object_id": self.pk})


class SchrittQuerySet(models.QuerySet):
    def offen(self):
        return self.filter(status=Schritt.Status.OFFEN)

    def aktuell(self):
        """The steps not replaced by a later one (a step asked again after a text change is replaced)."""
        return self.filter(wiederholungen__isnull=True)

    def entscheidbar_von(self, user, stichtag=None):
        """The steps ``user`` may decide, whatever their status: as zuständig, as Vertretung, or, with nobody named,
        as a current member of the Dienststelle (for a Freigabe: with ``leitung``). Mirrors ``darf_entscheiden``."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        zugehoerig = Dienststellenzugehoerigkeit.objects.aktuell(stichtag).filter(benutzer=user)
        return self.filter(
            Q(zustaendig=user)
            | Q(vertretung=user)
            | Q(
                zustaendig__isnull=True,
                art=Schritt.Art.MITZEICHNUNG,
                dienststelle__in=zugehoerig.values("dienststelle"),
            )
            | Q(
                zustaendig__isnull=True,
                art=Schritt.Art.FREIGABE,
                dienststelle__in=zugehoerig.filter(leitung=True).values("dienststelle"),
            )
        )

    def offen_fuer(self, user, stichtag=None):
        """The open steps of running routes ``user`` may decide now ("Meine Aufgaben"), incl. as Vertretung."""
        return (
            self.offen()
            .filter(laufweg__status=Laufweg.Status.LAUFEND)
            .entscheidbar_von(user, stichtag)
            .select_related("laufweg__vorlage", "dienststelle", "zustaendig", "vertretung")
            .order_by("frist", "pk")
        )


class Schritt(models.Model):
    """One Dienststelle's Mitzeichnung, or the Freigabe, on a Laufweg."""

    class Art(models.TextChoices):
        MITZEICHNUNG = "mitzeichnung", _("Mitzeichnung")
        FREIGABE = "freigabe", _("Freigabe")

    class Status(models.TextChoices):
        WARTET = "wartet", _("wartet auf frühere Schritte")
        OFFEN = "offen", _("offen")
        ZUGESTIMMT = "zugestimmt", _("zugestimmt")
        MIT_ANMERKUNG = "mit_anmerkung", _("zugestimmt mit Anmerkung")
        EINSPRUCH = "einspruch", _("Einspruch")
        ENTFALLEN = "entfallen", _("entfallen")

    laufweg = models.ForeignKey(Laufweg, verbose_name=_("Laufweg"), on_delete=models.PROTECT, related_name="schritte")
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices, default=Art.MITZEICHNUNG)
    stufe = models.PositiveSmallIntegerField(
        _("Stufe"), default=1, help_text=_("Schritte derselben Stufe laufen parallel; eine höhere Stufe wartet.")
    )
    dienststelle = models.ForeignKey(
        Dienststelle, verbose_name=_("Dienststelle"), on_delete=models.PROTECT, related_name="mitzeichnungsschritte"
    )
    zustaendig = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuständig"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer: jede/r der Dienststelle (bei der Freigabe: mit Leitung)."),
    )
    vertretung = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Vertretung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    frist = models.DateField(_("Frist"), validators=[datum_pruefen])
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.WARTET)
    wiederholung_von = models.ForeignKey(
        "self",
        verbose_name=_("erneut wegen Textänderung nach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wiederholungen",
    )
    geoeffnet_am = models.DateTimeField(_("geöffnet am"), null=True, blank=True, validators=[datum_pruefen])
    erinnert_am = models.DateTimeField(_("erinnert am"), null=True, blank=True, validators=[datum_pruefen])
    entschieden_am = models.DateTimeField(_("entschieden am"), null=True, blank=True, validators=[datum_pruefen])
    entschieden_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entschieden von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    textstand = models.ForeignKey(
        Textstand,
        verbose_name=_("gesehener Textstand"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schritte",
    )
    anmerkung = models.TextField(_("Anmerkung / Begründung"), blank=True)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = SchrittQuerySet.as_manager()

    class Meta:
        verbose_name = _("Schritt")
        verbose_name_plural = _("Schritte")
        ordering = ["laufweg", "stufe", "art", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["wartet", "offen", "entfallen"])
                | Q(entschieden_am__isnull=False, entschieden_von__isnull=False, textstand__isnull=False),
                name="schritt_entschieden_mit_wer_wann_was",
                violation_error_message=_("Eine Entscheidung braucht wer, wann und den gesehenen Textstand."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["einspruch", "mit_anmerkung"]) | ~Q(anmerkung=""),
                name="schritt_einspruch_mit_begruendung",
                violation_error_message=_("Ein Einspruch oder eine Anmerkung braucht einen Text."),
            ),
            models.CheckConstraint(
                condition=Q(stufe__gte=1),
                name="schritt_stufe_ab_eins",
                violation_error_message=_("Die Stufen beginnen bei 1."),
            ),
            # One Freigabe per version of the text.
            models.UniqueConstraint(
                fields=["textstand"],
                condition=Q(art="freigabe", status="zugestimmt"),
                name="schritt_eine_freigabe_je_textstand",
                violation_error_message=_("Dieser Textstand ist schon freigegeben."),
            ),
        ]
        indexes = [models.Index(fields=["status", "frist"], name="schritt_status_frist_idx")]

    def __str__(self):
        return f"{self.get_art_display()}: {self.dienststelle}"

    def get_absolute_url(self):
        return reverse("mitzeichnung:aufgabe", kwargs={"pk": self.pk})

    @property
    def ist_entschieden(self):
        return self.status in (self.Status.ZUGESTIMMT, self.Status.MIT_ANMERKUNG, self.Status.EINSPRUCH)
