"""The record of a Sitzung: who attended, who was befangen, how each TOP was voted, the Niederschrift with its
signatures, and the Sitzung's own documents (§§ 18, 37, 38 GemO BW).

The result and the Beschluss text of a TOP stay on ``Tagesordnungspunkt`` (where the agenda, the search and OParl
already read them); this app adds what happens around them. Visibility follows the TOP: a vote, a Befangenheit or
a Stimme is seen by whoever may see its TOP's content. Attendance is public, as in the Niederschrift's public part.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gremien.models import Person
from gremien.sichtbarkeit import angemeldet, darf_alles_sehen, mitglied_q
from ratsinfo.validators import datum_pruefen, keine_steuerzeichen
from sitzungen.models import Sitzung, Tagesordnungspunkt
from vorlagen.models import Anlage, Vorlage, anlagen_storage, dateiangaben_uebernehmen
from vorlagen.validators import DATEINAME_MAX_ZEICHEN


class AnwesenheitQuerySet(models.QuerySet):
    def sichtbar_fuer(self, user):
        # Who attended is part of the public record of every Sitzung (the Niederschrift names them); the TOPs
        # someone came or left at are shown by their number only, like hidden TOPs on the agenda.
        return self.all()

    def anwesend(self):
        return self.filter(status=Anwesenheit.Status.ANWESEND)

    def im_zeitraum(self, von, bis):
        """Attendance at the Sitzungen that began from ``von`` to ``bis`` (dates, both included)."""
        return self.filter(sitzung__beginn__date__gte=von, sitzung__beginn__date__lte=bis)

    def sitzungsgeld(self, von, bis):
        """Per person, the Sitzungen she attended in the period, for the Hauptamt's Sitzungsgeld: one row per
        person with ``sitzungen`` (distinct Sitzungen where she was present, also in Vertretung) and
        ``davon_vertretung``. A cancelled Sitzung earns nothing."""
        anwesend = self.anwesend().im_zeitraum(von, bis).exclude(sitzung__status=Sitzung.Status.ABGESAGT)
        return (
            anwesend.values("person_id", "person__nachname", "person__vorname", "person__fraktion__name")
            .annotate(
                sitzungen=models.Count("sitzung", distinct=True),
                davon_vertretung=models.Count("sitzung", distinct=True, filter=Q(vertritt__isnull=False)),
            )
            .order_by("person__nachname", "person__vorname", "person_id")
        )


class Anwesenheit(models.Model):
    """One person's attendance at one Sitzung: present (from/until which TOP), excused or absent."""

    class Status(models.TextChoices):
        ANWESEND = "anwesend", _("anwesend")
        ENTSCHULDIGT = "entschuldigt", _("entschuldigt")
        UNENTSCHULDIGT = "unentschuldigt", _("unentschuldigt")

    sitzung = models.ForeignKey(
        Sitzung, verbose_name=_("Sitzung"), on_delete=models.PROTECT, related_name="anwesenheiten"
    )
    person = models.ForeignKey(Person, verbose_name=_("Person"), on_delete=models.PROTECT, related_name="anwesenheiten")
    status = models.CharField(_("Anwesenheit"), max_length=20, choices=Status.choices, default=Status.ANWESEND)
    stimmberechtigt = models.BooleanField(
        _("stimmberechtigt"),
        default=True,
        help_text=_("Sachkundige Einwohner und nicht vertretende Stellvertreter haben kein Stimmrecht."),
    )
    ab_top = models.ForeignKey(
        Tagesordnungspunkt,
        verbose_name=_("anwesend ab TOP"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer: von Beginn an."),
    )
    bis_top = models.ForeignKey(
        Tagesordnungspunkt,
        verbose_name=_("anwesend bis einschließlich TOP"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer: bis zum Ende."),
    )
    vertritt = models.ForeignKey(
        Person,
        verbose_name=_("in Vertretung für"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vertretungen",
    )
    bemerkung = models.CharField(_("Bemerkung"), max_length=300, blank=True, validators=[keine_steuerzeichen])
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = AnwesenheitQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        ordering = ["sitzung", "person__nachname", "person__vorname", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitzung", "person"],
                name="anwesenheit_einmal_je_person_und_sitzung",
                violation_error_message=_("Für diese Person ist die Anwesenheit in dieser Sitzung schon erfasst."),
            ),
            models.CheckConstraint(
                condition=Q(vertritt__isnull=True) | ~Q(vertritt=models.F("person")),
                name="anwesenheit_vertritt_nicht_sich_selbst",
                violation_error_message=_("Eine Person kann nicht sich selbst vertreten."),
            ),
            models.CheckConstraint(
                condition=Q(status="anwesend") | Q(ab_top__isnull=True, bis_top__isnull=True, vertritt__isnull=True),
                name="anwesenheit_zeiten_nur_bei_anwesenden",
                violation_error_message=_("Kommen, Gehen und Vertretung gibt es nur bei Anwesenden."),
            ),
        ]
        indexes = [models.Index(fields=["person", "sitzung"], name="anwesenheit_person_idx")]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()}"

    def clean(self):
        super().clean()
        for feld in ("ab_top", "bis_top"):
            top = getattr(self, feld)
            if top is not None and top.sitzung_id != self.sitzung_id:
                raise ValidationError({feld: _("Der Tagesordnungspunkt gehört zu einer anderen Sitzung.")})


class AmTopQuerySet(models.QuerySet):
    """Rows that belong to a TOP and are seen exactly when its content is."""

    top_pfad = "tagesordnungspunkt"

    def sichtbar_fuer(self, user):
        if darf_alles_sehen(user):
            return self.all()
        return self.filter(**{f"{self.top_pfad}__in": Tagesordnungspunkt.objects.sichtbar_fuer(user)})


class Befangenheit(models.Model):
    """A member with a personal interest in a TOP (§ 18 GemO BW): leaves, neither deliberates nor votes."""

    tagesordnungspunkt = models.ForeignKey(
        Tagesordnungspunkt,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.PROTECT,
        related_name="befangenheiten",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("Person"), on_delete=models.PROTECT, related_name="befangenheiten"
    )
    grund = models.TextField(_("Grund / Vermerk"), blank=True)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    objects = AmTopQuerySet.as_manager()

    class Meta:
        verbose_name = _("Befangenheit")
        verbose_name_plural = _("Befangenheiten")
        ordering = ["tagesordnungspunkt", "person__nachname", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tagesordnungspunkt", "person"],
                name="befangenheit_einmal_je_person_und_top",
                violation_error_message=_("Diese Person ist bei diesem Tagesordnungspunkt schon als befangen erfasst."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.tagesordnungspunkt.bezeichnung}"


class Abstimmung(models.Model):
    """One vote on a TOP: counted (Ja/Nein/Enthaltung), namentlich (a Stimme per person) or einstimmig.

    A TOP may have several (an Änderungsantrag first, then the Beschlussantrag), in ``reihenfolge``. The counts of a
    namentliche Abstimmung are kept equal to its Stimmen by the service that records them.
    """

    class Art(models.TextChoices):
        OFFEN = "offen", _("offen, Stimmen gezählt")
        EINSTIMMIG = "einstimmig", _("einstimmig")
        NAMENTLICH = "namentlich", _("namentlich")

    tagesordnungspunkt = models.ForeignKey(
        Tagesordnungspunkt,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.PROTECT,
        related_name="abstimmungen",
    )
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    gegenstand = models.CharField(
        _("Gegenstand"),
        max_length=300,
        blank=True,
        help_text=_("Leer: der Beschlussantrag. Sonst z. B. „Änderungsantrag der SPD-Fraktion“."),
        validators=[keine_steuerzeichen],
    )
    art = models.CharField(_("Art der Abstimmung"), max_length=20, choices=Art.choices, default=Art.OFFEN)
    ja = models.PositiveSmallIntegerField(_("Ja"), default=0)
    nein = models.PositiveSmallIntegerField(_("Nein"), default=0)
    enthaltung = models.PositiveSmallIntegerField(_("Enthaltung"), default=0)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = AmTopQuerySet.as_manager()

    class Meta:
        verbose_name = _("Abstimmung")
        verbose_name_plural = _("Abstimmungen")
        ordering = ["tagesordnungspunkt", "reihenfolge", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tagesordnungspunkt", "reihenfolge"],
                name="abstimmung_reihenfolge_eindeutig_je_top",
                violation_error_message=_("Diese Abstimmung gibt es bei diesem Tagesordnungspunkt schon."),
            ),
            models.CheckConstraint(
                condition=Q(ja__gte=0, nein__gte=0, enthaltung__gte=0),
                name="abstimmung_stimmen_nicht_negativ",
                violation_error_message=_("Stimmenzahlen können nicht negativ sein."),
            ),
            models.CheckConstraint(
                condition=~Q(art="einstimmig") | Q(nein=0),
                name="abstimmung_einstimmig_ohne_gegenstimmen",
                violation_error_message=_("Eine einstimmige Abstimmung hat keine Gegenstimmen."),
            ),
            models.CheckConstraint(
                condition=Q(reihenfolge__gte=1),
                name="abstimmung_reihenfolge_ab_eins",
                violation_error_message=_("Die Reihenfolge der Abstimmungen beginnt bei 1."),
            ),
        ]

    def __str__(self):
        return f"{self.tagesordnungspunkt.bezeichnung}: {self.ja}/{self.nein}/{self.enthaltung}"

    @property
    def angenommen(self):
        # § 37 Abs. 6 GemO BW: a motion is carried by a majority of the votes cast; Enthaltungen do not count.
        return self.ja > self.nein


class StimmeQuerySet(AmTopQuerySet):
    top_pfad = "abstimmung__tagesordnungspunkt"


class Stimme(models.Model):
    """One person's vote in a namentliche Abstimmung. A befangen member has none: the database refuses it."""

    class Wert(models.TextChoices):
        JA = "ja", _("Ja")
        NEIN = "nein", _("Nein")
        ENTHALTUNG = "enthaltung", _("Enthaltung")

    abstimmung = models.ForeignKey(
        Abstimmung, verbose_name=_("Abstimmung"), on_delete=models.CASCADE, related_name="stimmen"
    )
    person = models.ForeignKey(Person, verbose_name=_("Person"), on_delete=models.PROTECT, related_name="stimmen")
    stimme = models.CharField(_("Stimme"), max_length=20, choices=Wert.choices)

    objects = StimmeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        ordering = ["abstimmung", "person__nachname", "person__vorname", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["abstimmung", "person"],
                name="stimme_einmal_je_person_und_abstimmung",
                violation_error_message=_("Diese Person hat in dieser Abstimmung schon eine Stimme."),
            ),
        ]
        indexes = [models.Index(fields=["person", "abstimmung"], name="stimme_person_idx")]

    def __str__(self):
        return f"{self.person}: {self.get_stimme_display()}"


class NiederschriftQuerySet(models.QuerySet):
    def sichtbar_fuer(self, user):
        """A published Niederschrift is seen by everyone, its non-public TOPs only as the TOP rule allows (the
        views and the PDF read the TOPs through ``Tagesordnungspunkt.objects.mit_sichtbarkeit``); a draft only by
        the Sitzungsdienst."""
        if darf_alles_sehen(user):
            return self.all()
        return self.filter(veroeffentlicht_am__isnull=False)

    def fuer_seite(self):
        return self.select_related("sitzung__ausschuss", "sitzung__ort", "genehmigt_in__ausschuss").prefetch_related(
            models.Prefetch("unterschriften", queryset=Unterschrift.objects.order_by("rolle", "pk"))
        )


class Niederschrift(models.Model):
    """The minutes of a Sitzung (§ 38 GemO BW): drafted from the record, signed, genehmigt in a later Sitzung.

    The text of each TOP's Beratung is ``Tagesordnungspunkt.beratungsverlauf``, so it is as visible as its TOP;
    here are the parts that belong to the whole Sitzung.
    """

    class Status(models.TextChoices):
        ENTWURF = "entwurf", _("Entwurf")
        UNTERZEICHNET = "unterzeichnet", _("unterzeichnet")
        GENEHMIGT = "genehmigt", _("genehmigt")

    sitzung = models.OneToOneField(
        Sitzung, verbose_name=_("Sitzung"), on_delete=models.PROTECT, related_name="niederschrift"
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.ENTWURF)
    einleitung = models.TextField(
        _("Eröffnung"),
        blank=True,
        help_text=_("Eröffnung, ordnungsgemäße Einberufung, Beschlussfähigkeit, Urkundspersonen."),
    )
    schluss = models.TextField(_("Schluss"), blank=True)
    # The opening last proposed from the record: an einleitung that still equals it was not edited by the clerk,
    # so a new draft may replace it (protokoll.services.niederschrift_entwerfen).
    einleitung_vorschlag = models.TextField(_("Vorschlag der Eröffnung"), blank=True, editable=False)
    genehmigt_in = models.ForeignKey(
        Sitzung,
        verbose_name=_("genehmigt in der Sitzung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="genehmigte_niederschriften",
    )
    veroeffentlicht_am = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = NiederschriftQuerySet.as_manager()

    class Meta:
        verbose_name = _("Niederschrift")
        verbose_name_plural = _("Niederschriften")
        ordering = ["-sitzung__beginn", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(genehmigt_in__isnull=True) | ~Q(genehmigt_in=models.F("sitzung")),
                name="niederschrift_nicht_in_eigener_sitzung_genehmigt",
                violation_error_message=_("Eine Niederschrift wird in einer späteren Sitzung genehmigt."),
            ),
            models.CheckConstraint(
                condition=Q(status="genehmigt", genehmigt_in__isnull=False)
                | (~Q(status="genehmigt") & Q(genehmigt_in__isnull=True)),
                name="niederschrift_genehmigt_mit_sitzung",
                violation_error_message=_("Eine genehmigte Niederschrift nennt die Sitzung, die sie genehmigt hat."),
            ),
        ]

    def __str__(self):
        return _("Niederschrift: %(sitzung)s") % {"sitzung": self.sitzung}

    def get_absolute_url(self):
        return reverse("protokoll:niederschrift", kwargs={"pk": self.sitzung_id})


class Unterschrift(models.Model):
    """A signature under a Niederschrift: the Vorsitz, two members and the Schriftführer (§ 38 Abs. 2 GemO BW)."""

    class Rolle(models.TextChoices):
        VORSITZ = "vorsitz", _("Vorsitz")
        MITGLIED = "mitglied", _("Mitglied (Urkundsperson)")
        SCHRIFTFUEHRUNG = "schriftfuehrung", _("Schriftführung")

    niederschrift = models.ForeignKey(
        Niederschrift, verbose_name=_("Niederschrift"), on_delete=models.PROTECT, related_name="unterschriften"
    )
    rolle = models.CharField(_("Rolle"), max_length=20, choices=Rolle.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("Person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unterschriften",
        help_text=_("Leer bei einer Schriftführerin aus der Verwaltung; dann genügt der Name."),
    )
    name = models.CharField(_("Name"), max_length=200, validators=[keine_steuerzeichen])
    datum = models.DateField(_("unterzeichnet am"), validators=[datum_pruefen])

    class Meta:
        verbose_name = _("Unterschrift")
        verbose_name_plural = _("Unterschriften")
        ordering = ["niederschrift", "rolle", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["niederschrift", "rolle"],
                condition=Q(rolle__in=["vorsitz", "schriftfuehrung"]),
                name="unterschrift_vorsitz_und_schriftfuehrung_einmal",
                violation_error_message=_("Vorsitz und Schriftführung unterschreiben je einmal."),
            ),
            models.UniqueConstraint(
                fields=["niederschrift", "name"],
                name="unterschrift_einmal_je_name",
                violation_error_message=_("Diese Person hat schon unterschrieben."),
            ),
        ]

    def __str__(self):
        return f"{self.get_rolle_display()}: {self.name}"


def sitzungsdokument_pfad(dokument, dateiname):
    return f"sitzungen/{dokument.sitzung.beginn:%Y}/{dokument.sitzung_id}/{dateiname}"


class SitzungsdokumentQuerySet(models.QuerySet):
    def sichtbar_fuer(self, user):
        """Public documents of a public Sitzung for everyone; the others for the Gremium's members and clerks."""
        if darf_alles_sehen(user):
            return self.all()
        oeffentlich = Q(oeffentlich=True, sitzung__oeffentlich=True)
        if not angemeldet(user):
            return self.filter(oeffentlich)
        return self.filter(oeffentlich | mitglied_q(user, ueber="sitzung__ausschuss__"))


class Sitzungsdokument(models.Model):
    """A file of the Sitzung itself, not of a Vorlage: Einladung, Nachtrag, Tischvorlage, Präsentation, Niederschrift,
    Wortprotokoll. The file mechanics (upload check, text, download) follow those of the Anlagen."""

    class Art(models.TextChoices):
        EINLADUNG = "einladung", _("Einladung")
        NACHTRAG = "nachtrag", _("Nachtrag")
        TISCHVORLAGE = "tischvorlage", _("Tischvorlage")
        PRAESENTATION = "praesentation", _("Präsentation")
        NIEDERSCHRIFT = "niederschrift", _("Niederschrift")
        WORTPROTOKOLL = "wortprotokoll", _("Wortprotokoll")
        SONSTIGES = "sonstiges", _("Sonstiges")

    sitzung = models.ForeignKey(Sitzung, verbose_name=_("Sitzung"), on_delete=models.PROTECT, related_name="dokumente")
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    titel = models.CharField(_("Titel"), max_length=300, validators=[keine_steuerzeichen])
    # The same private storage as the Anlagen: no file has an address of its own, the download view asks the rule.
    datei = models.FileField(_("Datei"), upload_to=sitzungsdokument_pfad, storage=anlagen_storage, max_length=300)
    dateiname = models.CharField(_("Dateiname"), max_length=DATEINAME_MAX_ZEICHEN, editable=False)
    mime_typ = models.CharField(_("Dateityp"), max_length=100, editable=False)
    groesse = models.PositiveBigIntegerField(_("Größe in Bytes"), default=0, editable=False)
    textstatus = models.CharField(
        _("Textstatus"),
        max_length=20,
        choices=Anlage.Textstatus.choices,
        default=Anlage.Textstatus.AUSSTEHEND,
        editable=False,
    )
    seitenzahl = models.PositiveIntegerField(_("Seiten"), default=0, editable=False)
    text = models.TextField(_("Text"), blank=True, editable=False)
    text_gelesen_am = models.DateTimeField(_("Text gelesen am"), null=True, blank=True, editable=False)
    oeffentlich = models.BooleanField(
        _("öffentlich"),
        default=True,
        help_text=_("Ein nichtöffentliches Dokument sehen nur die Mitglieder des Gremiums und der Sitzungsdienst."),
    )
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)
    # Written by a database trigger on PostgreSQL (migration 0005_dokumente_suche) from title and text.
    suchvektor = SearchVectorField(_("Suchvektor"), null=True, editable=False)

    objects = SitzungsdokumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzungsdokument")
        verbose_name_plural = _("Sitzungsdokumente")
        ordering = ["sitzung", "reihenfolge", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reihenfolge__gte=1),
                name="sitzungsdokument_reihenfolge_ab_eins",
                violation_error_message=_("Die Reihenfolge beginnt bei 1."),
            ),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse(
            "protokoll:dokument",
            kwargs={"sitzung": self.sitzung_id, "pk": self.pk, "dateiname": self.dateiname or "datei"},
        )

    def clean(self):
        super().clean()
        # The same check and metadata as an Anlage's upload: what an Anlage refuses, a Sitzung refuses too.
        dateiangaben_uebernehmen(self)

    @property
    def ist_pdf(self):
        return self.mime_typ.split(";")[0].strip() == "application/pdf"


class Sitzungsgeld(Anwesenheit):
    """The Anwesenheiten seen as the Hauptamt's Sitzungsgeld: the admin shows them per person and period and
    exports them as CSV. A proxy, so the admin index links it and ``protokoll.view_sitzungsgeld`` grants it."""

    class Meta:
        proxy = True
        verbose_name = _("Sitzungsgeld")
        verbose_name_plural = _("Sitzungsgeld")


def tagesordnung_mit_protokoll(user, sitzung):
    """The TOPs of a Sitzung as ``user`` may see them, each with its visible Vorlagen, votes (with the Stimmen) and
    Befangenheiten: hidden TOPs come by number only (``inhalt_sichtbar``) and with none of their record."""
    return (
        Tagesordnungspunkt.objects.mit_sichtbarkeit(user)
        .filter(sitzung=sitzung)
        .order_by("-oeffentlich", "reihenfolge", "pk")
        .prefetch_related(
            models.Prefetch("vorlagen", queryset=Vorlage.objects.sichtbar_fuer(user).order_by("jahr", "nummer")),
            models.Prefetch(
                "abstimmungen",
                queryset=Abstimmung.objects.sichtbar_fuer(user)
                .order_by("reihenfolge", "pk")
                .prefetch_related(
                    models.Prefetch(
                        "stimmen",
                        queryset=Stimme.objects.select_related("person").order_by(
                            "person__nachname", "person__vorname", "pk"
                        ),
                    )
                ),
            ),
            models.Prefetch(
                "befangenheiten",
                queryset=Befangenheit.objects.sichtbar_fuer(user)
                .select_related("person")
                .order_by("person__nachname", "pk"),
            ),
        )
    )


def anwesenheiten_der_sitzung(sitzung):
    return (
        Anwesenheit.objects.filter(sitzung=sitzung)
        .select_related("person", "vertritt", "ab_top", "bis_top")
        .order_by("person__nachname", "person__vorname", "pk")
    )
