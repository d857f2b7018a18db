from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss, Ort
from gremien.sichtbarkeit import darf_alles_sehen
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN, ZEITPUNKT_BIS, ZEITPUNKT_MIN
from ratsinfo.validators import datum_pruefen, keine_steuerzeichen
from vorlagen.models import Vorlage


class SitzungQuerySet(models.QuerySet):
    def sichtbar_fuer(self, user):
        # That a Sitzung takes place, and when and where, is public even for a non-public Sitzung (§ 34 GemO BW
        # requires it to be announced); what is hidden is its non-public agenda, decided per TOP below.
        return self.all()

    def kommende(self, jetzt=None):
        return self.filter(beginn__gte=jetzt or timezone.now()).order_by("beginn", "pk")

    def vergangene(self, jetzt=None):
        return self.filter(beginn__lt=jetzt or timezone.now()).order_by("-beginn", "-pk")

    def fuer_liste(self):
        return self.select_related("ausschuss", "ort")

    def in_wahlperiode(self, wahlperiode):
        """The Sitzungen held within ``wahlperiode`` (by the local day of their beginning)."""
        anfang, ende = wahlperiode.zeitraum
        return self.filter(beginn__gte=anfang, beginn__lt=ende)

    def mit_tagesordnung(self, user):
        """Sitzungen with their agenda as ``user`` may see it: every TOP (hidden ones marked by
        ``inhalt_sichtbar``) and the visible Vorlagen of each."""
        tops = (
            Tagesordnungspunkt.objects.mit_sichtbarkeit(user)
            .order_by("-oeffentlich", "reihenfolge", "pk")
            .prefetch_related(
                models.Prefetch("vorlagen", queryset=Vorlage.objects.sichtbar_fuer(user).order_by("jahr", "nummer"))
            )
        )
        return self.prefetch_related(models.Prefetch("tagesordnungspunkte", queryset=tops))


class Sitzung(models.Model):
    """One meeting of one Ausschuss."""

    class Status(models.TextChoices):
        GEPLANT = "geplant", _("geplant")
        EINBERUFEN = "einberufen", _("einberufen")
        ABGESAGT = "abgesagt", _("abgesagt")
        ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")

    ausschuss = models.ForeignKey(
        Ausschuss, verbose_name=_("Ausschuss / Gremium"), on_delete=models.PROTECT, related_name="sitzungen"
    )
    name = models.CharField(
        _("Bezeichnung"),
        max_length=300,
        blank=True,
        help_text=_("Leer lassen für „Sitzung des …“"),
        validators=[keine_steuerzeichen],
    )
    beginn = models.DateTimeField(_("Beginn"), validators=[datum_pruefen])
    ende = models.DateTimeField(_("Ende"), null=True, blank=True, validators=[datum_pruefen])
    ort = models.ForeignKey(Ort, verbose_name=_("Ort"), on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.GEPLANT)
    oeffentlich = models.BooleanField(
        _("öffentlich"),
        default=True,
        help_text=_("Eine nichtöffentliche Sitzung hat nur nichtöffentliche Tagesordnungspunkte."),
    )
    bekanntmachung_am = models.DateField(
        _("ortsüblich bekannt gemacht am"), null=True, blank=True, validators=[datum_pruefen]
    )
    annahmeschluss = models.DateTimeField(
        _("Annahmeschluss"),
        null=True,
        blank=True,
        validators=[datum_pruefen],
        help_text=_(
            "Vorlagen, die nach diesem Zeitpunkt freigegeben oder veröffentlicht werden, sind für diese Sitzung "
            "verspätet; sie stehen im Vorrat mit dem Hinweis „verspätet“."
        ),
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)
    # Name and committee as German full-text vector, written by a trigger on PostgreSQL (migration 0003). It holds
    # nothing of the agenda: a Sitzung is public, its non-public TOPs are not.
    suchvektor = SearchVectorField(_("Suchvektor"), null=True, editable=False)

    objects = SitzungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-beginn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ende__isnull=True) | Q(ende__gt=models.F("beginn")),
                name="sitzung_ende_nach_beginn",
                violation_error_message=_("Das Ende einer Sitzung muss nach ihrem Beginn liegen."),
            ),
            models.CheckConstraint(
                condition=Q(beginn__gte=ZEITPUNKT_MIN, beginn__lt=ZEITPUNKT_BIS)
                & (Q(ende__isnull=True) | Q(ende__gte=ZEITPUNKT_MIN, ende__lt=ZEITPUNKT_BIS)),
                name="sitzung_zeiten_plausibel",
                violation_error_message=_("Beginn und Ende einer Sitzung müssen zwischen 1900 und 2200 liegen."),
            ),
            models.CheckConstraint(
                condition=Q(annahmeschluss__isnull=True)
                | Q(annahmeschluss__gte=ZEITPUNKT_MIN, annahmeschluss__lte=models.F("beginn")),
                name="sitzung_annahmeschluss_vor_beginn",
                violation_error_message=_("Der Annahmeschluss liegt vor dem Beginn der Sitzung."),
            ),
        ]
        indexes = [
            models.Index(fields=["ausschuss", "beginn"], name="sitzung_ausschuss_beginn_idx"),
            # The Sitzungen list (-beginn, -pk), the overview's next Sitzungen and the deep pages' key scan.
            models.Index(fields=["beginn", "id"], name="sitzung_beginn_id_idx"),
        ]

    def __str__(self):
        return f"{self.titel}, {timezone.localtime(self.beginn):%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("sitzungen:sitzung-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.pk and self.ist_einberufen:
            entwuerfe = Vorlage.objects.filter(tagesordnungspunkte__sitzung=self, status=Vorlage.Status.ENTWURF)
            if entwuerfe.exists():
                raise ValidationError({"status": self._entwurf_meldung(entwuerfe.distinct())})
        if self.pk and self.ausschuss_id:
            vorher = Sitzung.objects.filter(pk=self.pk).values_list("ausschuss_id", flat=True).first()
            if vorher not in (None, self.ausschuss_id) and self.beratungen.exists():
                raise ValidationError(
                    {
                        "ausschuss": _(
                            "Auf diese Sitzung verweisen Beratungen; ihr Ausschuss kann nicht mehr geändert werden."
                        )
                    }
                )

    @property
    def titel(self):
        return self.name or _("Sitzung: %(ausschuss)s") % {"ausschuss": self.ausschuss.name}

    @property
    def ist_einberufen(self):
        """Convened (or held): the invitation with its agenda has gone out and is public."""
        return self.status in (self.Status.EINBERUFEN, self.Status.ABGESCHLOSSEN)

    def entwuerfe_ablehnen(self, vorlagen):
        """Refuse draft Vorlagen on the agenda of a convened Sitzung: the invitation would name a paper nobody
        may read yet. Called with the Vorlagen a TOP is about to get (the admin's agenda rows)."""
        if not self.ist_einberufen:
            return
        entwuerfe = [vorlage for vorlage in vorlagen if vorlage.status == Vorlage.Status.ENTWURF]
        if entwuerfe:
            raise ValidationError(self._entwurf_meldung(entwuerfe))

    def _entwurf_meldung(self, entwuerfe):
        return _(
            "Die Sitzung ist %(status)s; auf ihre Tagesordnung gehören nur veröffentlichte Vorlagen. Noch Entwurf: "
            "%(vorlagen)s. Veröffentlichen Sie die Vorlage zuerst oder nehmen Sie sie von der Tagesordnung."
        ) % {
            "status": self.get_status_display(),
            "vorlagen": ", ".join(vorlage.bezeichnung for vorlage in entwuerfe),
        }


class TagesordnungspunktQuerySet(models.QuerySet):
    @staticmethod
    def sichtbar_q(user):
        """The visibility rule for the content of a TOP (title, result, Vorlagen) as a condition."""
        if darf_alles_sehen(user):
            return Q()
        return Q(oeffentlich=True, sitzung__oeffentlich=True) | Q(
            sitzung__ausschuss__in=Ausschuss.objects.mit_mitglied(user)
        )

    def sichtbar_fuer(self, user):
        return self.filter(self.sichtbar_q(user))

    def mit_sichtbarkeit(self, user):
        """All TOPs, each marked whether its content may be shown: hidden ones still appear by number."""
        bedingung = self.sichtbar_q(user)
        if not bedingung:
            return self.annotate(inhalt_sichtbar=Value(True))
        return self.annotate(inhalt_sichtbar=Case(When(bedingung, then=Value(True)), default=Value(False)))

    def mit_beschluss(self):
        """TOPs with a result and a Beschluss text: the list of Beschlüsse and its feed."""
        return self.exclude(ergebnis="").exclude(beschluss="")

    def in_wahlperiode(self, wahlperiode):
        """The TOPs of Sitzungen held within ``wahlperiode``."""
        anfang, ende = wahlperiode.zeitraum
        return self.filter(sitzung__beginn__gte=anfang, sitzung__beginn__lt=ende)


class Tagesordnungspunkt(models.Model):
    """One numbered item of a Sitzung's agenda (Ö 3, N 1)."""

    class Ergebnis(models.TextChoices):
        BESCHLOSSEN = "beschlossen", _("beschlossen")
        GEAENDERT_BESCHLOSSEN = "geaendert_beschlossen", _("mit Änderungen beschlossen")
        ABGELEHNT = "abgelehnt", _("abgelehnt")
        KENNTNIS_GENOMMEN = "kenntnis_genommen", _("zur Kenntnis genommen")
        VERTAGT = "vertagt", _("vertagt")
        VERWIESEN = "verwiesen", _("verwiesen")
        ABGESETZT = "abgesetzt", _("abgesetzt")
        ZURUECKGESTELLT = "zurueckgestellt", _("zurückgestellt")
        ERLEDIGT = "erledigt", _("erledigt")

    sitzung = models.ForeignKey(
        Sitzung, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="tagesordnungspunkte"
    )
    nummer = models.CharField(
        _("Nummer"), max_length=20, help_text=_("z. B. „3“ oder „3.1“"), validators=[keine_steuerzeichen]
    )
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    oeffentlich = models.BooleanField(_("öffentlich"), default=True)
    titel = models.CharField(_("Titel"), max_length=500, validators=[keine_steuerzeichen])
    vorlagen = models.ManyToManyField(
        Vorlage, verbose_name=_("Vorlagen"), blank=True, related_name="tagesordnungspunkte"
    )
    ergebnis = models.CharField(_("Ergebnis"), max_length=30, choices=Ergebnis.choices, blank=True)
    beschluss = models.TextField(_("Beschlusstext"), blank=True)
    beratungsverlauf = models.TextField(
        _("Beratungsverlauf"), blank=True, help_text=_("Für die Niederschrift: Wortmeldungen, Anträge, Verlauf.")
    )
    vertagt_aus = models.ForeignKey(
        "self",
        verbose_name=_("fortgesetzt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fortsetzungen",
        help_text=_("Der vertagte oder abgesetzte Tagesordnungspunkt einer früheren Sitzung, der hier wieder steht."),
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)
    # Title and Beschluss as German full-text vector, written by a trigger on PostgreSQL (migration 0003).
    suchvektor = SearchVectorField(_("Suchvektor"), null=True, editable=False)

    objects = TagesordnungspunktQuerySet.as_manager()

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["sitzung", "-oeffentlich", "reihenfolge", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitzung", "oeffentlich", "nummer"],
                name="top_nummer_eindeutig_je_sitzung",
                violation_error_message=_("Diese TOP-Nummer gibt es in dieser Sitzung schon."),
            ),
            models.CheckConstraint(
                condition=~Q(nummer=""),
                name="top_nummer_nicht_leer",
                violation_error_message=_("Ein Tagesordnungspunkt braucht eine Nummer."),
            ),
            models.CheckConstraint(
                condition=Q(reihenfolge__gte=1),
                name="top_reihenfolge_ab_eins",
                violation_error_message=_("Die Reihenfolge der Tagesordnungspunkte beginnt bei 1."),
            ),
        ]

    def __str__(self):
        return f"{self.bezeichnung} {self.titel}"

    def get_absolute_url(self):
        return reverse("sitzungen:sitzung-detail", kwargs={"pk": self.sitzung_id}) + f"#top-{self.pk}"

    def clean(self):
        super().clean()
        try:
            # Also an unsaved Sitzung: its agenda is entered on the same form.
            sitzung = self.sitzung
        except Sitzung.DoesNotExist:
            sitzung = None
        if self.oeffentlich and sitzung is not None and not sitzung.oeffentlich:
            raise ValidationError(
                {"oeffentlich": _("In einer nichtöffentlichen Sitzung gibt es keine öffentlichen Punkte.")}
            )

    @property
    def bezeichnung(self):
        return f"{'Ö' if self.oeffentlich else 'N'} {self.nummer}"


class BeratungQuerySet(models.QuerySet):
    @staticmethod
    def eigene_sichtbarkeit_q(user):
        """The Beratung's own part of the rule as a condition: public, or of a committee ``user`` sits on.

        Together with a visible Vorlage it makes up ``sichtbar_fuer``. A query that starts from visible Vorlagen
        (the search's committee filter) needs only this part, and a plain condition lets PostgreSQL use it
        inside a subquery of its own instead of nesting the Vorlage rule once more.
        """
        if darf_alles_sehen(user):
            return Q()
        return Q(oeffentlich=True) | Q(ausschuss__in=Ausschuss.objects.mit_mitglied(user))

    def sichtbar_fuer(self, user):
        """A Beratung is at most as visible as its Vorlage; a non-public one only to its committee's members."""
        if darf_alles_sehen(user):
            return self.all()
        return self.filter(self.eigene_sichtbarkeit_q(user), vorlage__in=Vorlage.objects.sichtbar_fuer(user))

    def fuer_beratungsfolge(self):
        return self.select_related("ausschuss", "sitzung", "tagesordnungspunkt")

    def im_vorrat_fuer(self, sitzung):
        """The pool ("Vorrat") of ``sitzung``: the Beratungen of its Gremium not yet planned for any Sitzung whose
        Vorlage is released and not withdrawn, and not already on this Sitzung's agenda.

        Released means ``freigegeben_am`` is set (the Freigabe of its Laufweg) or, for a paper that never went on a
        route, that it is published. Each row is annotated ``eingang`` (when it was released or published, the
        earlier of the two) and ``verspaetet`` (that moment lies after the Sitzung's Annahmeschluss).
        """
        eingang = Coalesce("vorlage__freigegeben_am", "vorlage__veroeffentlicht_am")
        zeilen = (
            self.filter(ausschuss_id=sitzung.ausschuss_id, sitzung__isnull=True, tagesordnungspunkt__isnull=True)
            .filter(Q(vorlage__freigegeben_am__isnull=False) | Q(vorlage__status=Vorlage.Status.VEROEFFENTLICHT))
            .exclude(vorlage__status=Vorlage.Status.ZURUECKGEZOGEN)
            .exclude(vorlage__tagesordnungspunkte__sitzung=sitzung)
            .annotate(eingang=eingang)
        )
        if sitzung.annahmeschluss is None:
            zeilen = zeilen.annotate(verspaetet=Value(False))
        else:
            zeilen = zeilen.annotate(
                verspaetet=Case(When(eingang__gt=sitzung.annahmeschluss, then=Value(True)), default=Value(False))
            )
        return zeilen.select_related("vorlage").order_by(
            "verspaetet", "eingang", "vorlage__jahr", "vorlage__nummer", "pk"
        )


class Beratung(models.Model):
    """One step of a Vorlage's path through the committees (a row of the Beratungsfolge)."""

    class Rolle(models.TextChoices):
        EINBRINGUNG = "einbringung", _("Einbringung")
        VORBERATUNG = "vorberatung", _("Vorberatung")
        BERATUNG = "beratung", _("Beratung")
        BESCHLUSSFASSUNG = "beschlussfassung", _("Beschlussfassung")
        KENNTNISNAHME = "kenntnisnahme", _("Kenntnisnahme")
        ANHOERUNG = "anhoerung", _("Anhörung")

    vorlage = models.ForeignKey(Vorlage, verbose_name=_("Vorlage"), on_delete=models.CASCADE, related_name="beratungen")
    ausschuss = models.ForeignKey(
        Ausschuss, verbose_name=_("Vorlage an"), on_delete=models.PROTECT, related_name="beratungen"
    )
    rolle = models.CharField(_("zur"), max_length=20, choices=Rolle.choices)
    oeffentlich = models.BooleanField(_("öffentlich"), default=True)
    termin = models.DateField(_("Sitzungstermin"), null=True, blank=True, validators=[datum_pruefen])
    sitzung = models.ForeignKey(
        Sitzung,
        verbose_name=_("Sitzung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="beratungen",
    )
    tagesordnungspunkt = models.ForeignKey(
        Tagesordnungspunkt,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="beratungen",
    )
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    ergebnis = models.CharField(_("Ergebnis"), max_length=30, choices=Tagesordnungspunkt.Ergebnis.choices, blank=True)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = BeratungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungsfolge")
        ordering = ["vorlage", "reihenfolge", "termin", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reihenfolge__gte=1),
                name="beratung_reihenfolge_ab_eins",
                violation_error_message=_("Die Reihenfolge der Beratungsfolge beginnt bei 1."),
            ),
            models.CheckConstraint(
                condition=Q(tagesordnungspunkt__isnull=True) | Q(sitzung__isnull=False),
                name="beratung_top_nur_mit_sitzung",
                violation_error_message=_("Eine Beratung mit Tagesordnungspunkt braucht dessen Sitzung."),
            ),
            models.CheckConstraint(
                condition=Q(termin__isnull=True) | Q(termin__gte=DATUM_MIN, termin__lte=DATUM_MAX),
                name="beratung_termin_plausibel",
                violation_error_message=_("Der Sitzungstermin muss zwischen 1900 und 2200 liegen."),
            ),
        ]
        indexes = [
            # The Vorlagen of a committee (list filter, committee page): its Beratungen read by the index alone.
            models.Index(fields=["ausschuss", "vorlage"], name="beratung_ausschuss_vorlage_idx"),
        ]

    def __str__(self):
        return f"{self.ausschuss} – {self.get_rolle_display()}"

    def clean(self):
        super().clean()
        if self.sitzung_id and self.ausschuss_id and self.sitzung.ausschuss_id != self.ausschuss_id:
            raise ValidationError({"sitzung": _("Die Sitzung gehört zu einem anderen Ausschuss.")})
        if self.tagesordnungspunkt_id and self.tagesordnungspunkt.sitzung_id != self.sitzung_id:
            # Not a field error: most forms do not offer the TOP, which the agenda sets.
            raise ValidationError(_("Der Tagesordnungspunkt gehört zu einer anderen Sitzung."))
        if self.sitzung_id and not self.termin:
            self.termin = timezone.localdate(self.sitzung.beginn)

    @property
    def sitzungstermin(self):
        return timezone.localdate(self.sitzung.beginn) if self.sitzung_id else self.termin


class TagesordnungsaenderungQuerySet(models.QuerySet):
    def mit_sichtbarkeit(self, user):
        """Every change, marked ``inhalt_sichtbar`` when ``user`` may read the title: the rule of the TOP
        (``TagesordnungspunktQuerySet.sichtbar_q``) applied to the TOP as it was when the change was recorded, so
        a TOP removed since or turned non-public later does not lose or leak its past."""
        if darf_alles_sehen(user):
            return self.annotate(inhalt_sichtbar=Value(True))
        bedingung = Q(oeffentlich=True, sitzung__oeffentlich=True) | Q(
            sitzung__ausschuss__in=Ausschuss.objects.mit_mitglied(user)
        )
        return self.annotate(inhalt_sichtbar=Case(When(bedingung, then=Value(True)), default=Value(False)))

    def oeffentlich_bekannt(self):
        """The changes after the agenda went out: planning before the Einladung is the clerks' business."""
        return self.filter(nach_einberufung=True)

    def chronologisch(self):
        return self.order_by("zeitpunkt", "pk")


class Tagesordnungsaenderung(models.Model):
    """One change of a Sitzung's agenda, kept when the TOP itself is gone: who put what on, moved, removed,
    renumbered, postponed it, or sent it with a Nachtrag, with the numbers before and after."""

    class Art(models.TextChoices):
        AUFGENOMMEN = "aufgenommen", _("aufgenommen")
        VERSCHOBEN = "verschoben", _("verschoben")
        ENTFERNT = "entfernt", _("entfernt")
        NUMMERIERT = "nummeriert", _("neu nummeriert")
        VERTAGT = "vertagt", _("vertagt")
        AUS_VERTAGUNG = "aus_vertagung", _("aus Vertagung")
        NACHTRAG = "nachtrag", _("mit Nachtrag versandt")

    # Sitzungen are not deleted once public; a planned one deleted takes its planning history with it.
    sitzung = models.ForeignKey(
        Sitzung, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="tagesordnungsaenderungen"
    )
    tagesordnungspunkt = models.ForeignKey(
        Tagesordnungspunkt,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aenderungen",
    )
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    # The TOP as it was: its title, and whether it was public (the visibility of this row, see the queryset).
    titel = models.CharField(_("Titel"), max_length=500, blank=True)
    oeffentlich = models.BooleanField(_("öffentlich"), default=True)
    vorher = models.CharField(_("vorher"), max_length=300, blank=True, help_text=_("z. B. „Ö 3“"))
    nachher = models.CharField(_("nachher"), max_length=300, blank=True, help_text=_("z. B. „Ö 5“"))
    vorlage = models.ForeignKey(
        Vorlage,
        verbose_name=_("Vorlage"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tagesordnungsaenderungen",
    )
    nach_einberufung = models.BooleanField(
        _("nach der Einberufung"),
        default=False,
        help_text=_("Die Sitzung war schon einberufen: die Änderung steht auch auf der öffentlichen Seite."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, validators=[datum_pruefen])

    objects = TagesordnungsaenderungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Änderung der Tagesordnung")
        verbose_name_plural = _("Änderungen der Tagesordnung")
        ordering = ["sitzung", "zeitpunkt", "pk"]
        indexes = [models.Index(fields=["sitzung", "zeitpunkt"], name="to_aenderung_sitzung_zeit_idx")]

    def __str__(self):
        return f"{self.get_art_display()}: {self.vorher} → {self.nachher}"

    def get_absolute_url(self):
        return reverse("sitzungen:sitzung-detail", kwargs={"pk": self.sitzung_id}) + "#tagesordnung-aenderungen"


class TagesordnungsfassungQuerySet(models.QuerySet):
    def der_sitzung(self, sitzung):
        return self.filter(sitzung=sitzung).order_by("nummer")


class Tagesordnungsfassung(models.Model):
    """One published version of a convened Sitzung's agenda with its Vorlagen and Anlagen as they were then.

    Recorded by ``sitzungen.fassungen.tagesordnung_fassung_festhalten`` whenever the published agenda changes, so
    a republished Tagesordnung keeps its earlier versions and the public can see what changed and when. The
    snapshot holds non-public TOPs too; the pages show each entry only as the visitor may see it today.
    """

    sitzung = models.ForeignKey(Sitzung, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="fassungen")
    nummer = models.PositiveIntegerField(_("Fassung Nr."))
    veroeffentlicht_am = models.DateTimeField(_("veröffentlicht am"))
    anlass = models.CharField(_("Anlass"), max_length=200, validators=[keine_steuerzeichen])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("festgehalten von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    inhalt = models.JSONField(_("Inhalt"), default=dict, editable=False)
    pruefsumme = models.CharField(_("Prüfsumme"), max_length=64, editable=False)

    objects = TagesordnungsfassungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fassung der Tagesordnung")
        verbose_name_plural = _("Fassungen der Tagesordnung")
        ordering = ["sitzung", "nummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitzung", "nummer"],
                name="tagesordnungsfassung_nummer_eindeutig",
                violation_error_message=_("Diese Fassungsnummer gibt es für diese Sitzung schon."),
            ),
            models.CheckConstraint(
                condition=Q(nummer__gte=1),
                name="tagesordnungsfassung_nummer_ab_eins",
                violation_error_message=_("Die Fassungen einer Tagesordnung werden ab 1 gezählt."),
            ),
            models.CheckConstraint(
                condition=~Q(anlass=""),
                name="tagesordnungsfassung_anlass_nicht_leer",
                violation_error_message=_("Eine Fassung der Tagesordnung braucht einen Anlass."),
            ),
        ]

    def __str__(self):
        return _("Fassung %(nummer)s: %(anlass)s") % {"nummer": self.nummer, "anlass": self.anlass}

    def get_absolute_url(self):
        return reverse("sitzungen:fassung", kwargs={"pk": self.sitzung_id, "nummer": self.nummer})
