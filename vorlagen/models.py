import re
import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss, Dienststelle, Person
from gremien.sichtbarkeit import angemeldet, darf_alles_sehen, dienststellen_von, mitglied_q
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN, ZEITPUNKT_BIS, ZEITPUNKT_MIN
from ratsinfo.validators import datum_pruefen, keine_steuerzeichen
from vorlagen.validators import DATEINAME_MAX_ZEICHEN, dateiname_pruefen


class Vorlagenart(models.TextChoices):
    MITTEILUNGSVORLAGE = "mitteilungsvorlage", _("Mitteilungsvorlage")
    BESCHLUSSVORLAGE = "beschlussvorlage", _("Beschlussvorlage")
    ANTRAG = "antrag", _("Antrag")
    ANFRAGE = "anfrage", _("Anfrage")
    STELLUNGNAHME = "stellungnahme", _("Stellungnahme")


# Mitteilungs- and Beschlussvorlagen share the Gemeinderatsdrucksache numbers; Anträge, Anfragen and
# Stellungnahmen are counted in series of their own, so "Antrag 12/2021" and "GRDrs 12/2021" coexist.
NUMMERNKREISE = {
    Vorlagenart.MITTEILUNGSVORLAGE: "GRDrs",
    Vorlagenart.BESCHLUSSVORLAGE: "GRDrs",
    Vorlagenart.ANTRAG: "Antrag",
    Vorlagenart.ANFRAGE: "Anfrage",
    Vorlagenart.STELLUNGNAHME: "Stellungnahme",
}

# "952/2021", "GRDrs 952/2021", "Antrag 12/2026": a number leads straight to its Vorlage (list filter and search).
NUMMER_MUSTER = re.compile(r"^\s*(?:(?P<kreis>[a-zäöü]+)\.?\s*)?(?P<nummer>\d{1,7})\s*/\s*(?P<jahr>\d{4})\s*$", re.I)


def nummer_lesen(text):
    """``(nummer, jahr, arten)`` when ``text`` is a Vorlage number, else ``None``; ``arten`` empty: any series
    (also for a series name we do not know, as the list filter always did)."""
    treffer = NUMMER_MUSTER.match(text or "")
    if not treffer:
        return None
    kreis = (treffer["kreis"] or "").lower()
    arten = [art for art, name in NUMMERNKREISE.items() if name.lower() == kreis]
    return int(treffer["nummer"]), int(treffer["jahr"]), arten


def nummernkreis_von(art):
    """The series an ``art`` is counted in, as the unique constraint on the numbers groups them."""
    return NUMMERNKREISE.get(art, art)


# A draft without a number has no address of its own yet; this prefix with a random part keeps its kennung unique
# until its number is given. No series and no Vorlagenart begins with it, so it never meets a numbered address.
ENTWURF_KENNUNG = "entwurf-"


class Bezugsart(models.TextChoices):
    NEUFASSUNG = "neufassung", _("Neufassung")
    ERGAENZUNG = "ergaenzung", _("Ergänzung")


class Antragsstatus(models.TextChoices):
    """What became of an Antrag or Anfrage, derived from its Beratungen and links (``mit_antragsstatus``)."""

    # Anträge
    EINGEGANGEN = "eingegangen", _("eingegangen")
    IN_BERATUNG = "in_beratung", _("in Beratung")
    BESCHLOSSEN = "beschlossen", _("beschlossen")
    ABGELEHNT = "abgelehnt", _("abgelehnt")
    ERLEDIGT = "erledigt", _("erledigt")
    # Anfragen
    OFFEN = "offen", _("offen")
    BEANTWORTET = "beantwortet", _("beantwortet")
    UEBERFAELLIG = "ueberfaellig", _("überfällig")
    # both
    ZURUECKGEZOGEN = "zurueckgezogen", _("zurückgezogen")


# The results of a Beratung or TOP that decide an Antrag (the values of sitzungen' Ergebnis, which vorlagen must not
# import): the last of them on the Beratungsfolge says what became of it.
ERGEBNISSE_BESCHLOSSEN = ("beschlossen", "geaendert_beschlossen")
ERGEBNIS_ABGELEHNT = "abgelehnt"
ENTSCHEIDENDE_ERGEBNISSE = (*ERGEBNISSE_BESCHLOSSEN, ERGEBNIS_ABGELEHNT)


class VorlageQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._antragsstatus_fuer = None

    def _clone(self):
        klon = super()._clone()
        klon._antragsstatus_fuer = self._antragsstatus_fuer
        return klon

    def _fetch_all(self):
        neu_gelesen = self._result_cache is None
        super()._fetch_all()
        if (
            neu_gelesen
            and self._antragsstatus_fuer is not None
            and issubclass(self._iterable_class, models.query.ModelIterable)
            and "antragsstatus" not in self.query.annotations
        ):
            antragsstatus_setzen(self._result_cache, *self._antragsstatus_fuer)

    def nach_nummer(self, text):
        """The Vorlagen with the number written in ``text`` ("GRDrs 952/2021"); none if it is not a number."""
        gelesen = nummer_lesen(text)
        if gelesen is None:
            return self.none()
        nummer, jahr, arten = gelesen
        bedingung = Q(nummer=nummer, jahr=jahr)
        if arten:
            bedingung &= Q(art__in=arten)
        return self.filter(bedingung)

    def im_nummernkreis(self, art, jahr):
        """The Vorlagen counted in the same series and year as a Vorlage of ``art`` in ``jahr``."""
        kreis = nummernkreis_von(art)
        arten = [andere for andere in Vorlage.Art.values if nummernkreis_von(andere) == kreis]
        return self.filter(art__in=arten, jahr=jahr)

    def veroeffentlicht(self):
        return self.exclude(status=Vorlage.Status.ENTWURF)

    def sichtbar_fuer(self, user):
        """The visibility rule for Vorlagen (see ``gremien.sichtbarkeit``)."""
        if darf_alles_sehen(user):
            return self.all()
        if not angemeldet(user):
            return self.veroeffentlicht().filter(vertraulich=False, oeffentlich=True)
        veroeffentlicht = ~Q(status=Vorlage.Status.ENTWURF) & Q(vertraulich=False)
        # Staff of an Amt also see the drafts they work on (issue 19); that part is a subquery of ids, so rows are
        # not multiplied, and for a user without a Dienststelle it is empty. Anonymous visitors never reach it.
        return self.filter(
            (veroeffentlicht & (Q(oeffentlich=True) | Q(pk__in=self.im_gremium_von(user))))
            | Q(pk__in=self.in_arbeit_bei(user))
        )

    def im_gremium_von(self, user):
        """Vorlagen on the Beratungsfolge of a committee ``user`` sits on today, as a subquery of their ids."""
        return Vorlage.objects.filter(mitglied_q(user, ueber="beratungen__ausschuss__")).values("pk")

    def in_arbeit_bei(self, user):
        """Drafts ``user`` works on in the administration, as a subquery of their ids (issue 19): the drafts of a
        Dienststelle she belongs to today, and the drafts on whose running Laufweg her Dienststelle has a step that
        is open or already decided (who co-signed follows the text until the Freigabe). The Laufweg lives in
        ``mitzeichnung`` above; it is reached by the reverse relation only."""
        dienststellen = dienststellen_von(user)
        return (
            Vorlage.objects.filter(status=Vorlage.Status.ENTWURF)
            .filter(
                Q(dienststelle__in=dienststellen)
                | Q(
                    laufwege__status="laufend",
                    laufwege__schritte__dienststelle__in=dienststellen,
                    laufwege__schritte__status__in=["offen", "zugestimmt", "mit_anmerkung", "einspruch"],
                )
            )
            .values("pk")
        )

    def fuer_liste(self):
        return self.select_related("dienststelle")

    def ohne_langtexte(self):
        """Without the long texts and the search vector: for short lists that print number, title and dates."""
        return self.defer(*(feld for feld in TEXTFELDER if feld != "titel"), "mitzeichnung", "suchvektor")

    def mit_urhebern(self):
        """Prefetch the signatories (Fraktion or Person) in the order signed: one query for any number of papers."""
        return self.prefetch_related(urheber_prefetch())

    def mit_antworten(self, user):
        """Prefetch, as far as ``user`` may see them, the Stellungnahmen answering each paper (``sichtbare_antworten``,
        oldest first) and the Anfrage or Antrag a Stellungnahme answers (``sichtbare_anfrage``, or None)."""
        return self.prefetch_related(*antworten_prefetches(user))

    def neueste(self):
        return self.order_by("-datum", "-jahr", "-nummer", "-pk")

    def in_wahlperiode(self, wahlperiode):
        """The Vorlagen dated within ``wahlperiode`` (a Vorlage belongs to the term of its date)."""
        return self.filter(datum__gte=wahlperiode.beginn, datum__lte=wahlperiode.ende)

    def mit_antragsstatus(self, user, stichtag=None):
        """Each row annotated with ``antragsstatus`` (an ``Antragsstatus`` value; ``None`` for other Vorlagenarten),
        derived as ``user`` may see it, never stored.

        An Antrag, the first that applies:

        1. zurückgezogen: the Vorlage's status says so;
        2. erledigt: a GRDrs ``user`` may see lists it among its "Erledigte Anfragen/Anträge" (``erledigt_durch``);
        3. beschlossen / abgelehnt: the last visible Beratung of the Beratungsfolge with a deciding result (beschlossen,
           mit Änderungen beschlossen, abgelehnt) — or, without such a Beratung, the last visible TOP it stood on with
           one — says which;
        4. in Beratung: it has a visible Beratung or stands on a visible TOP, without a deciding result yet;
        5. eingegangen: otherwise.

        An Anfrage: zurückgezogen; beantwortet (a Stellungnahme ``user`` may see answers it, or a visible GRDrs
        settled it); überfällig (``antwort_bis`` has passed by ``stichtag``, today by default); offen.

        Only what ``user`` may see counts (``gremien.sichtbarkeit``): the result of a non-public Beratung or TOP, or a
        Stellungnahme still in draft, never turns the public's status to "beschlossen" or "beantwortet". Beratung and
        TOP live in sitzungen, which vorlagen must not import: the reverse relations name their models.
        """
        beratung_model = Vorlage.beratungen.rel.related_model
        top_model = Vorlage.tagesordnungspunkte.rel.related_model
        sichtbare_vorlagen = Vorlage.objects.sichtbar_fuer(user)
        beratungen = beratung_model.objects.filter(beratung_model.objects.eigene_sichtbarkeit_q(user)).filter(
            vorlage=OuterRef("pk")
        )
        tops = top_model.objects.filter(top_model.objects.sichtbar_q(user)).filter(vorlagen=OuterRef("pk"))
        entscheidend = ENTSCHEIDENDE_ERGEBNISSE
        letzte_beratung = (
            beratungen.filter(ergebnis__in=entscheidend)
            .order_by("-reihenfolge", F("termin").desc(nulls_last=True), "-pk")
            .values("ergebnis")[:1]
        )
        letzter_top = (
            tops.filter(ergebnis__in=entscheidend)
            .order_by("-sitzung__beginn", "-reihenfolge", "-pk")
            .values("ergebnis")[:1]
        )
        erledigt_durch = Vorlage.erledigte_antraege.through.objects.filter(
            to_vorlage=OuterRef("pk"), from_vorlage__in=sichtbare_vorlagen
        )
        beantwortet = sichtbare_vorlagen.filter(anfrage=OuterRef("pk"))
        heute = stichtag or timezone.localdate()
        status = Antragsstatus
        return self.annotate(
            antragsergebnis=Coalesce(Subquery(letzte_beratung), Subquery(letzter_top)),
            antragsstatus=Case(
                When(~Q(art__in=(Vorlagenart.ANTRAG, Vorlagenart.ANFRAGE)), then=Value(None)),
                When(status=Vorlage.Status.ZURUECKGEZOGEN, then=Value(status.ZURUECKGEZOGEN)),
                # Anfragen
                When(
                    Q(art=Vorlagenart.ANFRAGE) & (Exists(beantwortet) | Exists(erledigt_durch)),
                    then=Value(status.BEANTWORTET),
                ),
                When(art=Vorlagenart.ANFRAGE, antwort_bis__lt=heute, then=Value(status.UEBERFAELLIG)),
                When(art=Vorlagenart.ANFRAGE, then=Value(status.OFFEN)),
                # Anträge
                When(Exists(erledigt_durch), then=Value(status.ERLEDIGT)),
                When(antragsergebnis__in=ERGEBNISSE_BESCHLOSSEN, then=Value(status.BESCHLOSSEN)),
                When(antragsergebnis=ERGEBNIS_ABGELEHNT, then=Value(status.ABGELEHNT)),
                When(Exists(beratungen) | Exists(tops), then=Value(status.IN_BERATUNG)),
                default=Value(status.EINGEGANGEN),
                output_field=CharField(),
            ),
        )

    def antragsstatus_nachladen(self, user, stichtag=None):
        """Each Vorlage read from this queryset gets ``antragsstatus`` by the rule of ``mit_antragsstatus``, worked
        out after reading, like a prefetch (``antragsstatus_setzen``): for the lists and pages that show the
        status without filtering on it. The annotation costs about 20 ms of Python to build for every query, the
        reading afterwards two to four small queries (benchmarks/bench_personen.py). A queryset that already has the
        annotation (the status filter of the Anträge list) keeps it."""
        klon = self._chain()
        klon._antragsstatus_fuer = (user, stichtag)
        return klon

    def antraege(self):
        return self.filter(art=Vorlagenart.ANTRAG)

    def anfragen(self):
        return self.filter(art=Vorlagenart.ANFRAGE)


class Vorlage(models.Model):
    """A paper put before the council: Mitteilungsvorlage, Beschlussvorlage, Antrag, Anfrage, Stellungnahme."""

    Art = Vorlagenart
    Bezugsart = Bezugsart
    Antragsstatus = Antragsstatus

    class Status(models.TextChoices):
        ENTWURF = "entwurf", _("Entwurf")
        VEROEFFENTLICHT = "veroeffentlicht", _("veröffentlicht")
        ZURUECKGEZOGEN = "zurueckgezogen", _("zurückgezogen")

    art = models.CharField(_("Vorlagenart"), max_length=30, choices=Art.choices)
    nummer = models.PositiveIntegerField(
        _("Nummer"),
        null=True,
        blank=True,
        help_text=_(
            "Leer lassen: „Nummer vergeben (registrieren)“ gibt die nächste freie Nummer des Nummernkreises im "
            "Jahr. Von Hand nur für Vorlagen, die schon eine Nummer haben (ältere Papiere, Nachträge)."
        ),
    )
    jahr = models.PositiveSmallIntegerField(_("Jahr"))
    zusatz = models.CharField(
        _("Zusatz"),
        max_length=50,
        blank=True,
        help_text=_("z. B. „Neufassung“ oder „Ergänzung“"),
        validators=[keine_steuerzeichen],
    )
    kennung = models.SlugField(_("Kennung in der Adresse"), max_length=120, editable=False)
    datum = models.DateField(_("Datum"))
    dienststelle = models.ForeignKey(
        Dienststelle,
        verbose_name=_("federführende Dienststelle"),
        on_delete=models.PROTECT,
        related_name="vorlagen",
    )
    aktenzeichen = models.CharField(_("Aktenzeichen"), max_length=100, blank=True, validators=[keine_steuerzeichen])
    titel = models.CharField(_("Titel"), max_length=500, validators=[keine_steuerzeichen])

    beschlussantrag = models.TextField(_("Beschlussantrag"), blank=True)
    bericht = models.TextField(_("Bericht"), blank=True)
    begruendung = models.TextField(_("Begründung"), blank=True)
    finanzielle_auswirkungen = models.TextField(_("Finanzielle Auswirkungen"), blank=True)
    mitzeichnung = models.TextField(_("Mitzeichnung der beteiligten Stellen"), blank=True)
    vorliegende_antraege = models.ManyToManyField(
        "self",
        verbose_name=_("Vorliegende Anfragen/Anträge"),
        symmetrical=False,
        blank=True,
        related_name="vorliegend_bei",
    )
    erledigte_antraege = models.ManyToManyField(
        "self",
        verbose_name=_("Erledigte Anfragen/Anträge"),
        symmetrical=False,
        blank=True,
        related_name="erledigt_durch",
    )
    bezug = models.ForeignKey(
        "self",
        verbose_name=_("Neufassung von / Ergänzung zu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="folgefassungen",
        help_text=_("Die frühere Vorlage, die diese ersetzt (Neufassung) oder ergänzt (Ergänzung)."),
    )
    bezugsart = models.CharField(_("Art des Bezugs"), max_length=20, choices=Bezugsart.choices, blank=True)
    unterschiede_im_pdf = models.BooleanField(
        _("Unterschiede zur früheren Fassung als Anhang ins PDF"),
        default=False,
        help_text=_(
            "Nur bei einer Neufassung oder Ergänzung: das PDF bekommt den Anhang „Änderungen gegenüber der früheren "
            "Fassung“ (im öffentlichen PDF nur, wenn die frühere Fassung öffentlich ist)."
        ),
    )
    anfrage = models.ForeignKey(
        "self",
        verbose_name=_("Antwort auf die Anfrage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stellungnahmen",
        help_text=_("Bei einer Stellungnahme: die Anfrage (oder der Antrag), die sie beantwortet."),
    )
    antwort_bis = models.DateField(
        _("Antwort erbeten bis"),
        null=True,
        blank=True,
        validators=[datum_pruefen],
        help_text=_("Bei einer Anfrage: bis wann die Verwaltung antworten soll."),
    )
    unterzeichnet_von = models.CharField(
        _("Unterzeichnet von"), max_length=200, blank=True, validators=[keine_steuerzeichen]
    )
    unterzeichnet_funktion = models.CharField(
        _("Funktion der Unterzeichnenden"), max_length=200, blank=True, validators=[keine_steuerzeichen]
    )

    oeffentlich = models.BooleanField(
        _("öffentlich"),
        default=True,
        help_text=_(
            "Nichtöffentliche Vorlagen sehen nur die Mitglieder der Gremien ihrer Beratungsfolge und der "
            "Sitzungsdienst."
        ),
    )
    vertraulich = models.BooleanField(
        _("vertraulich"),
        default=False,
        help_text=_("z. B. Personalangelegenheiten: nur der Sitzungsdienst sieht die Vorlage, auch kein Ratsmitglied."),
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.ENTWURF)
    veroeffentlicht_am = models.DateTimeField(
        _("veröffentlicht am"), null=True, blank=True, editable=False, validators=[datum_pruefen]
    )
    nummer_vergeben_am = models.DateTimeField(
        _("Nummer vergeben am"), null=True, blank=True, editable=False, validators=[datum_pruefen]
    )
    freigegeben_am = models.DateTimeField(
        _("freigegeben am"),
        null=True,
        blank=True,
        editable=False,
        validators=[datum_pruefen],
        help_text=_(
            "Wann die Freigabe (Bürgermeister/-in, Referent/-in) erteilt wurde; erst dann kommt sie in den "
            "Vorrat für die Tagesordnungen."
        ),
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)
    # German full-text vector, written by a database trigger on PostgreSQL (migration 0003); unused on SQLite.
    suchvektor = SearchVectorField(_("Suchvektor"), null=True, editable=False)

    objects = VorlageQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-datum", "-jahr", "-nummer"]
        permissions = [("nichtoeffentliches_sehen", _("Kann Entwürfe und nichtöffentliche Inhalte sehen"))]
        constraints = [
            models.UniqueConstraint(
                Case(
                    *(When(art=art, then=Value(kreis)) for art, kreis in NUMMERNKREISE.items()),
                    default=F("art"),
                ),
                "jahr",
                "nummer",
                "zusatz",
                name="vorlage_nummer_eindeutig_je_jahr",
                violation_error_message=_("Diese Nummer ist in diesem Jahr schon vergeben."),
            ),
            models.UniqueConstraint(
                "kennung",
                name="vorlage_kennung_eindeutig",
                violation_error_message=_("Eine Vorlage mit dieser Nummer gibt es schon."),
            ),
            models.CheckConstraint(
                condition=Q(jahr__gte=1900, jahr__lte=2200),
                name="vorlage_jahr_plausibel",
                violation_error_message=_("Das Jahr muss zwischen 1900 und 2200 liegen."),
            ),
            models.CheckConstraint(
                condition=Q(datum__gte=DATUM_MIN, datum__lte=DATUM_MAX),
                name="vorlage_datum_plausibel",
                violation_error_message=_("Das Datum einer Vorlage muss zwischen 1900 und 2200 liegen."),
            ),
            models.CheckConstraint(
                condition=Q(veroeffentlicht_am__isnull=True)
                | Q(veroeffentlicht_am__gte=ZEITPUNKT_MIN, veroeffentlicht_am__lt=ZEITPUNKT_BIS),
                name="vorlage_veroeffentlicht_am_plausibel",
                violation_error_message=_("Das Veröffentlichungsdatum muss zwischen 1900 und 2200 liegen."),
            ),
            models.CheckConstraint(
                condition=Q(status="entwurf") | Q(veroeffentlicht_am__isnull=False),
                name="vorlage_veroeffentlicht_mit_datum",
                violation_error_message=_("Eine veröffentlichte Vorlage braucht ein Veröffentlichungsdatum."),
            ),
            # Only a draft may wait for its number: the number is the published paper's name and address.
            models.CheckConstraint(
                condition=Q(status="entwurf") | Q(nummer__isnull=False),
                name="vorlage_veroeffentlicht_mit_nummer",
                violation_error_message=_("Eine veröffentlichte Vorlage braucht eine Nummer."),
            ),
            models.CheckConstraint(
                condition=(Q(bezug__isnull=True) & Q(bezugsart="")) | (Q(bezug__isnull=False) & ~Q(bezugsart="")),
                name="vorlage_bezug_mit_art",
                violation_error_message=_("Neufassung oder Ergänzung: bitte die frühere Vorlage und die Art angeben."),
            ),
            models.CheckConstraint(
                condition=Q(bezug__isnull=True) | ~Q(bezug=F("pk")),
                name="vorlage_bezug_nicht_selbst",
                violation_error_message=_("Eine Vorlage kann nicht sich selbst neu fassen oder ergänzen."),
            ),
            models.CheckConstraint(
                condition=Q(unterschiede_im_pdf=False) | Q(bezug__isnull=False),
                name="vorlage_unterschiede_nur_mit_bezug",
                violation_error_message=_("Nur eine Neufassung oder Ergänzung hat eine frühere Fassung."),
            ),
            models.CheckConstraint(
                condition=Q(anfrage__isnull=True) | ~Q(anfrage=F("pk")),
                name="vorlage_antwort_nicht_auf_sich",
                violation_error_message=_("Eine Stellungnahme kann nicht sich selbst beantworten."),
            ),
            # Migration 0011 clears values that break these two before adding them (see there).
            models.CheckConstraint(
                condition=Q(antwort_bis__isnull=True) | Q(art="anfrage"),
                name="vorlage_antwort_bis_nur_anfrage",
                violation_error_message=_("„Antwort erbeten bis“ gibt es nur bei einer Anfrage."),
            ),
            models.CheckConstraint(
                condition=Q(anfrage__isnull=True) | Q(art="stellungnahme"),
                name="vorlage_anfrage_nur_stellungnahme",
                violation_error_message=_(
                    "Nur eine Stellungnahme beantwortet eine Anfrage oder einen Antrag („Antwort auf die Anfrage“)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(nummer_vergeben_am__isnull=True) | Q(nummer__isnull=False),
                name="vorlage_vergeben_mit_nummer",
                violation_error_message=_("Eine registrierte Vorlage braucht eine Nummer."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-datum"], name="vorlage_status_datum_idx"),
            # The search (migration 0004_suche_tempo): hits of Anlagen read by their Vorlage's date, and the
            # "Zeitraum" filter, walk this index instead of sorting or scanning every Vorlage.
            models.Index(fields=["-datum", "-id"], name="vorlage_datum_suche_idx"),
            # The Vorlagen list in its order (``neueste``): page 1 reads 20 index entries, a deep page's key scan
            # walks the index instead of sorting 100,000 rows. The columns of the public rule come last, so that
            # scan and the count read the index alone (an index-only scan) and not 20,000 rows of the table.
            models.Index(
                fields=["-datum", "-jahr", "-nummer", "-id", "status", "oeffentlich", "vertraulich"],
                name="vorlage_liste_idx",
            ),
            # The highest number of a series and year (nummer_vergeben), read while the series' counter is
            # locked: from the index's entries of the year instead of a scan of every Vorlage.
            models.Index(fields=["art", "jahr", "nummer"], name="vorlage_nummernkreis_idx"),
        ]

    def __str__(self):
        return f"{self.bezeichnung} – {self.titel}"

    def get_absolute_url(self):
        return reverse("vorlagen:detail", kwargs={"kennung": self.kennung})

    def clean(self):
        super().clean()
        neue_kennung = self.kennung_berechnen()
        if self.pk and self.kennung and neue_kennung != self.kennung and self.ist_veroeffentlicht:
            # The number is part of the permanent address of a published Vorlage.
            raise ValidationError(
                _("Die Nummer einer veröffentlichten Vorlage kann nicht mehr geändert werden."),
            )
        self.kennung = neue_kennung
        if (
            self.art == Vorlagenart.STELLUNGNAHME
            and self.anfrage_id is not None
            and self.anfrage.art not in URHEBER_ARTEN
        ):
            # Across rows, so no CheckConstraint: a trigger of migration 0011 holds it in the database too.
            raise ValidationError(
                {"anfrage": _("Eine Stellungnahme beantwortet eine Anfrage oder einen Antrag, keine andere Vorlage.")}
            )
        self.bezug_pruefen()

    def bezug_pruefen(self):
        """The rules of a version's link (docs/sitzungsdienst.md, "Neufassung und Ergänzung"): the earlier paper
        is dated no later than this one, is no draft once this one is published, belongs to the same
        Nummernkreis for a Neufassung, and the chain of versions never leads back to this one."""
        if self.bezug_id is None:
            if self.unterschiede_im_pdf:
                raise ValidationError(
                    {"unterschiede_im_pdf": _("Nur eine Neufassung oder Ergänzung hat eine frühere Fassung.")}
                )
            return
        bezug = self.bezug
        if self.pk and bezug.pk == self.pk:
            raise ValidationError({"bezug": _("Eine Vorlage kann nicht sich selbst neu fassen oder ergänzen.")})
        if self.datum and bezug.datum > self.datum:
            raise ValidationError({"bezug": _("Die frühere Fassung muss älter sein als diese Vorlage.")})
        if self.ist_veroeffentlicht and not bezug.ist_veroeffentlicht:
            raise ValidationError(
                {"bezug": _("Eine veröffentlichte Vorlage kann sich nicht auf einen Entwurf beziehen.")}
            )
        if self.bezugsart == Bezugsart.NEUFASSUNG and nummernkreis_von(bezug.art) != nummernkreis_von(self.art):
            raise ValidationError(
                {"bezug": _("Eine Neufassung gehört zum selben Nummernkreis wie die Vorlage, die sie ersetzt.")}
            )
        if self.pk:
            gesehen, weiter = {bezug.pk}, bezug.bezug_id
            while weiter is not None and weiter not in gesehen:
                if weiter == self.pk:
                    raise ValidationError({"bezug": _("Diese Verknüpfung ergäbe einen Kreis von Fassungen.")})
                gesehen.add(weiter)
                weiter = Vorlage.objects.filter(pk=weiter).values_list("bezug_id", flat=True).first()

    @property
    def nummernkreis(self):
        # Not .get(art, default): the display name (a translated choice) would be looked up every time.
        return NUMMERNKREISE.get(self.art) or self.get_art_display()

    @property
    def bezeichnung(self):
        """The number as the city writes it: ``GRDrs 952/2021 Neufassung``; a draft may have none yet."""
        if self.nummer is None:
            text = gettext("%(kreis)s ohne Nummer") % {"kreis": self.nummernkreis}
        else:
            text = f"{self.nummernkreis} {self.nummer}/{self.jahr}"
        return f"{text} {self.zusatz}" if self.zusatz else text

    @property
    def ist_veroeffentlicht(self):
        return self.status != self.Status.ENTWURF

    def kennung_berechnen(self):
        if self.nummer is None:
            if self.kennung and self.kennung.startswith(ENTWURF_KENNUNG):
                return self.kennung
            return f"{ENTWURF_KENNUNG}{secrets.token_hex(6)}"
        teile = [self.nummernkreis, str(self.nummer), str(self.jahr), self.zusatz]
        text = "-".join(teil for teil in teile if teil)
        for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            text = text.replace(umlaut, ersatz).replace(umlaut.upper(), ersatz.capitalize())
        return slugify(text)

    @property
    def antragsstatus_anzeige(self):
        """The label of the ``antragsstatus`` annotated by ``mit_antragsstatus`` (empty without it)."""
        code = getattr(self, "antragsstatus", None)
        return Antragsstatus(code).label if code else ""

    @property
    def hat_urheber(self):
        """An Antrag or Anfrage names its signatories (Fraktionen, Persons) instead of a Dienststelle."""
        return self.art in URHEBER_ARTEN

    @property
    def antwort_ueberfaellig(self):
        """An Anfrage whose answer date has passed without a Stellungnahme the reader may see (``mit_antworten``)."""
        return (
            self.art == Vorlagenart.ANFRAGE
            and self.antwort_bis is not None
            and self.antwort_bis < timezone.localdate()
            and not getattr(self, "sichtbare_antworten", [])
        )

    def abschnitte(self):
        """The text sections in the order a Stuttgart GRDrs prints them, leaving out empty ones."""
        felder = ["beschlussantrag", "bericht", "begruendung", "finanzielle_auswirkungen"]
        return [
            (self._meta.get_field(feld).verbose_name, getattr(self, feld)) for feld in felder if getattr(self, feld)
        ]


def urheber_prefetch():
    return models.Prefetch("urheber", queryset=Urheber.objects.select_related("fraktion", "person"))


def antworten_prefetches(user):
    sichtbare = Vorlage.objects.sichtbar_fuer(user)
    return [
        models.Prefetch("stellungnahmen", queryset=sichtbare.order_by("datum", "pk"), to_attr="sichtbare_antworten"),
        models.Prefetch("anfrage", queryset=sichtbare, to_attr="sichtbare_anfrage"),
    ]


def antragsstatus_setzen(vorlagen, user, stichtag=None):
    """Set ``antragsstatus`` on Vorlagen already read (a page of a list), as ``VorlageQuerySet.mit_antragsstatus``
    derives it for ``user``, from at most four small queries asked only for the kinds that need them.

    The same rule in the same order as the annotation, read from the rows instead of subqueries; tests/test_antraege.py
    checks every case with both."""
    status = Antragsstatus
    offen = {}
    for vorlage in vorlagen:
        vorlage.antragsstatus = None
        if vorlage.art not in URHEBER_ARTEN:
            continue
        if vorlage.status == Vorlage.Status.ZURUECKGEZOGEN:
            vorlage.antragsstatus = status.ZURUECKGEZOGEN
        else:
            offen[vorlage.pk] = vorlage
    if not offen:
        return
    # Two queries, not one with OR over a join: each of these is an index lookup, the OR a scan of every Vorlage.
    sichtbare = Vorlage.objects.sichtbar_fuer(user)
    erledigt = set(
        Vorlage.erledigte_antraege.through.objects.filter(
            to_vorlage__in=list(offen), from_vorlage__in=sichtbare
        ).values_list("to_vorlage_id", flat=True)
    )
    beantwortet = set()
    if anfragen := [pk for pk, vorlage in offen.items() if vorlage.art == Vorlagenart.ANFRAGE and pk not in erledigt]:
        beantwortet = set(sichtbare.filter(anfrage__in=anfragen).order_by().values_list("anfrage_id", flat=True))
    antraege = [pk for pk, vorlage in offen.items() if vorlage.art == Vorlagenart.ANTRAG and pk not in erledigt]
    beraten, beratungsergebnis, top_ergebnis = set(), {}, {}
    if antraege:
        # The last deciding Beratung of the Beratungsfolge (by reihenfolge, then the later termin, one without a
        # termin last), else the last deciding TOP (the latest Sitzung): the orderings of ``mit_antragsstatus``.
        beratung_model = Vorlage.beratungen.rel.related_model
        top_model = Vorlage.tagesordnungspunkte.rel.related_model
        beratungen = (
            beratung_model.objects.filter(beratung_model.objects.eigene_sichtbarkeit_q(user))
            .filter(vorlage__in=antraege)
            .order_by()
            .values_list("vorlage_id", "ergebnis", "reihenfolge", "termin", "pk")
        )
        tops = (
            top_model.objects.filter(top_model.objects.sichtbar_q(user))
            .filter(vorlagen__in=antraege)
            .order_by()
            .values_list("vorlagen", "ergebnis", "sitzung__beginn", "reihenfolge", "pk")
        )
        mit_beratung, beratungsergebnis = _letzte_entscheidungen(
            (vorlage_id, ergebnis, (reihenfolge, termin is not None, termin, pk))
            for vorlage_id, ergebnis, reihenfolge, termin, pk in beratungen
        )
        auf_top, top_ergebnis = _letzte_entscheidungen(
            (vorlage_id, ergebnis, (beginn, reihenfolge, pk)) for vorlage_id, ergebnis, beginn, reihenfolge, pk in tops
        )
        beraten = mit_beratung | auf_top
    heute = stichtag or timezone.localdate()
    for pk, vorlage in offen.items():
        if vorlage.art == Vorlagenart.ANFRAGE:
            if pk in beantwortet or pk in erledigt:
                vorlage.antragsstatus = status.BEANTWORTET
            elif vorlage.antwort_bis is not None and vorlage.antwort_bis < heute:
                vorlage.antragsstatus = status.UEBERFAELLIG
            else:
                vorlage.antragsstatus = status.OFFEN
            continue
        ergebnis = beratungsergebnis.get(pk) or top_ergebnis.get(pk)
        if pk in erledigt:
            vorlage.antragsstatus = status.ERLEDIGT
        elif ergebnis in ERGEBNISSE_BESCHLOSSEN:
            vorlage.antragsstatus = status.BESCHLOSSEN
        elif ergebnis == ERGEBNIS_ABGELEHNT:
            vorlage.antragsstatus = status.ABGELEHNT
        elif pk in beraten:
            vorlage.antragsstatus = status.IN_BERATUNG
        else:
            vorlage.antragsstatus = status.EINGEGANGEN


def _letzte_entscheidungen(zeilen):
    """From rows ``(vorlage_id, ergebnis, rang)``: the Vorlagen that have any row, and for each the deciding result
    of its row with the highest ``rang``."""
    vorlagen, letzte = set(), {}
    for vorlage_id, ergebnis, rang in zeilen:
        vorlagen.add(vorlage_id)
        if ergebnis in ENTSCHEIDENDE_ERGEBNISSE and (vorlage_id not in letzte or rang > letzte[vorlage_id][0]):
            letzte[vorlage_id] = (rang, ergebnis)
    return vorlagen, {vorlage_id: ergebnis for vorlage_id, (rang, ergebnis) in letzte.items()}


def urheber_und_antworten_laden(vorlagen, user):
    """For Vorlagen already read (a detail page): what ``mit_urhebern`` and ``mit_antworten`` prefetch, asked only
    for the kinds that have it, so the page of a GRDrs reads nothing more and an Antrag's page two queries."""
    unterschrieben = [vorlage for vorlage in vorlagen if vorlage.hat_urheber]
    antworten = [vorlage for vorlage in vorlagen if vorlage.anfrage_id is not None]
    stellungnahmen, anfrage = antworten_prefetches(user)
    if unterschrieben:
        models.prefetch_related_objects(unterschrieben, urheber_prefetch(), stellungnahmen)
    if antworten:
        models.prefetch_related_objects(antworten, anfrage)


# The kinds of Vorlage that are signed by Fraktionen or councillors (``Urheber``) and that a Stellungnahme answers.
URHEBER_ARTEN = (Vorlagenart.ANTRAG, Vorlagenart.ANFRAGE)

# The fields that make up a Vorlage's text: what a Mitzeichnung agrees to and what a version's diff compares.
TEXTFELDER = ("titel", "beschlussantrag", "bericht", "begruendung", "finanzielle_auswirkungen")


class Textstand(models.Model):
    """One state of a Vorlage's text (``TEXTFELDER``), kept as it was: the version a Mitzeichnung or Freigabe saw.

    Identified per Vorlage by the checksum of its content, so saving an unchanged text adds no row
    (``vorlagen.services.textstand_festhalten``). Rows are never changed or deleted while a decision points to them.
    """

    vorlage = models.ForeignKey(
        Vorlage, verbose_name=_("Vorlage"), on_delete=models.CASCADE, related_name="textstaende"
    )
    pruefsumme = models.CharField(_("Prüfsumme"), max_length=64, editable=False)
    inhalt = models.JSONField(_("Inhalt"), default=dict, help_text=_("Die Textfelder der Vorlage zu diesem Stand."))
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    erstellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erstellt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Textstand")
        verbose_name_plural = _("Textstände")
        ordering = ["vorlage", "erstellt_am", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vorlage", "pruefsumme"],
                name="textstand_eindeutig_je_vorlage",
                violation_error_message=_("Diesen Textstand gibt es schon."),
            ),
        ]

    def __str__(self):
        return _("%(vorlage)s, Textstand vom %(datum)s") % {
            "vorlage": self.vorlage.bezeichnung,
            "datum": timezone.localtime(self.erstellt_am).strftime("%d.%m.%Y %H:%M") if self.erstellt_am else "–",
        }


class Urheber(models.Model):
    """Who signed an Antrag or Anfrage, in the order of the signatures: a Fraktion or a Person (OParl
    ``originatorOrganization`` / ``originatorPerson``). A Vorlage of the administration has its Dienststelle instead."""

    vorlage = models.ForeignKey(Vorlage, verbose_name=_("Vorlage"), on_delete=models.CASCADE, related_name="urheber")
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    fraktion = models.ForeignKey(
        Ausschuss,
        verbose_name=_("Fraktion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"art": Ausschuss.Art.FRAKTION},
        related_name="urheberschaften",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("Person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="urheberschaften",
    )

    class Meta:
        verbose_name = _("Antragsteller/-in")
        verbose_name_plural = _("Antragsteller/-innen")
        ordering = ["vorlage", "reihenfolge", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(fraktion__isnull=False) & Q(person__isnull=True))
                | (Q(fraktion__isnull=True) & Q(person__isnull=False)),
                name="urheber_fraktion_oder_person",
                violation_error_message=_("Bitte genau eine Fraktion oder eine Person angeben."),
            ),
            models.UniqueConstraint(
                fields=["vorlage", "fraktion"],
                condition=Q(fraktion__isnull=False),
                name="urheber_fraktion_einmal",
                violation_error_message=_("Diese Fraktion steht schon unter dieser Vorlage."),
            ),
            models.UniqueConstraint(
                fields=["vorlage", "person"],
                condition=Q(person__isnull=False),
                name="urheber_person_einmal",
                violation_error_message=_("Diese Person steht schon unter dieser Vorlage."),
            ),
            models.CheckConstraint(
                condition=Q(reihenfolge__gte=1),
                name="urheber_reihenfolge_ab_eins",
                violation_error_message=_("Die Reihenfolge beginnt bei 1."),
            ),
        ]

    def __str__(self):
        return str(self.fraktion or self.person)

    def get_absolute_url(self):
        # A signature has no page of its own: it is shown on its Vorlage's page.
        return self.vorlage.get_absolute_url()

    def clean(self):
        super().clean()
        vorlage = getattr(self, "vorlage", None)
        if vorlage is not None and vorlage.art not in URHEBER_ARTEN:
            raise ValidationError(
                _("Antragstellerinnen und Antragsteller gibt es nur bei Anträgen und Anfragen."), code="art"
            )

    @property
    def name(self):
        return self.fraktion.name if self.fraktion_id else self.person.name

    @property
    def ziel(self):
        """The page the name links to: the Fraktion's or the Person's."""
        return self.fraktion if self.fraktion_id else self.person


class Nummernzaehler(models.Model):
    """The last number given in a Nummernkreis and year (``vorlagen.services.nummer_vergeben``).

    One row per series and year, locked while a number is given: clerks registering at the same moment wait for
    each other and get consecutive numbers. It remembers a number even when its draft is deleted, so no number
    is given twice.
    """

    nummernkreis = models.CharField(_("Nummernkreis"), max_length=30)
    jahr = models.PositiveSmallIntegerField(_("Jahr"))
    letzte_nummer = models.PositiveIntegerField(_("zuletzt vergebene Nummer"), default=0)

    class Meta:
        verbose_name = _("Nummernzähler")
        verbose_name_plural = _("Nummernzähler")
        ordering = ["-jahr", "nummernkreis"]
        constraints = [
            models.UniqueConstraint(
                fields=["nummernkreis", "jahr"],
                name="nummernzaehler_eindeutig_je_kreis_und_jahr",
                violation_error_message=_("Für diesen Nummernkreis gibt es in diesem Jahr schon einen Zähler."),
            ),
            models.CheckConstraint(
                condition=Q(jahr__gte=1900, jahr__lte=2200),
                name="nummernzaehler_jahr_plausibel",
                violation_error_message=_("Das Jahr muss zwischen 1900 und 2200 liegen."),
            ),
        ]

    def __str__(self):
        return f"{self.nummernkreis} {self.jahr}: {self.letzte_nummer}"


def anlagen_storage():
    return storages["anlagen"]


def anlage_pfad(anlage, dateiname):
    return f"vorlagen/{anlage.vorlage.jahr}/{anlage.vorlage.kennung}/{dateiname}"


def dateiangaben_uebernehmen(objekt):
    """Check a new upload in ``objekt.datei`` and take its metadata once, for ``clean()`` of an Anlage or of any
    model that holds its file like one (``datei``, ``dateiname``, ``mime_typ``, ``groesse``).

    Metadata of a new upload is taken once here, so lists never have to ask the storage. A stored file is not
    checked again.
    """
    if not objekt.datei or objekt.datei._committed:
        return
    from vorlagen.dateipruefung import datei_pruefen

    dateiname = PurePath(objekt.datei.name).name
    try:
        dateiname_pruefen(dateiname)
        art = datei_pruefen(objekt.datei.file)
    except ValidationError as fehler:
        raise ValidationError({"datei": fehler}) from fehler
    objekt.dateiname = dateiname
    # The type found in the content, not the one the name suggests.
    objekt.mime_typ = art.mime_typ
    objekt.groesse = objekt.datei.size


class AnlageQuerySet(models.QuerySet):
    def sichtbar_fuer(self, user):
        """An Anlage is at most as visible as its Vorlage; a non-public one only to the Vorlage's committees."""
        if darf_alles_sehen(user):
            return self.all()
        sichtbar = self.filter(vorlage__in=Vorlage.objects.sichtbar_fuer(user), vertraulich=False)
        if not angemeldet(user):
            return sichtbar.filter(oeffentlich=True)
        # The Anlagen of a draft the Amt works on are part of its work, non-public ones included (issue 19).
        return sichtbar.filter(
            Q(oeffentlich=True)
            | Q(vorlage__in=Vorlage.objects.im_gremium_von(user))
            | Q(vorlage__in=Vorlage.objects.in_arbeit_bei(user))
        )


class Anlage(models.Model):
    """A document attached to a Vorlage, usually a PDF."""

    class Textstatus(models.TextChoices):
        AUSSTEHEND = "ausstehend", _("ausstehend")
        FERTIG = "fertig", _("Text gelesen")
        KEIN_TEXT = "kein_text", _("kein Text (Scan ohne Texterkennung)")
        FEHLER = "fehler", _("Fehler beim Lesen")

    vorlage = models.ForeignKey(Vorlage, verbose_name=_("Vorlage"), on_delete=models.CASCADE, related_name="anlagen")
    titel = models.CharField(_("Titel"), max_length=300, validators=[keine_steuerzeichen])
    datei = models.FileField(_("Datei"), upload_to=anlage_pfad, storage=anlagen_storage, max_length=300)
    dateiname = models.CharField(_("Dateiname"), max_length=DATEINAME_MAX_ZEICHEN, editable=False)
    mime_typ = models.CharField(_("Dateityp"), max_length=100, editable=False)
    groesse = models.PositiveBigIntegerField(_("Größe in Bytes"), default=0, editable=False)
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)
    oeffentlich = models.BooleanField(
        _("öffentlich"),
        default=True,
        help_text=_("Eine nichtöffentliche Anlage einer öffentlichen Vorlage sehen nur die beratenden Gremien."),
    )
    vertraulich = models.BooleanField(_("vertraulich"), default=False, help_text=_("Nur der Sitzungsdienst."))
    textstatus = models.CharField(
        _("Textstatus"), max_length=20, choices=Textstatus.choices, default=Textstatus.AUSSTEHEND, editable=False
    )
    seitenzahl = models.PositiveIntegerField(_("Seiten"), default=0, editable=False)
    text_gelesen_am = models.DateTimeField(_("Text gelesen am"), null=True, blank=True, editable=False)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = AnlageQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["reihenfolge", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reihenfolge__gte=1),
                name="anlage_reihenfolge_ab_eins",
                violation_error_message=_("Die Reihenfolge einer Anlage beginnt bei 1."),
            ),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse(
            "vorlagen:anlage",
            kwargs={"kennung": self.vorlage.kennung, "pk": self.pk, "dateiname": self.dateiname or "datei"},
        )

    def clean(self):
        super().clean()
        dateiangaben_uebernehmen(self)


class AnlageSeiteQuerySet(models.QuerySet):
    def sichtbar_fuer(self, user):
        """A page's text is exactly as visible as its Anlage."""
        return self.filter(anlage__in=Anlage.objects.sichtbar_fuer(user))


class AnlageSeite(models.Model):
    """The extracted text of one page of an Anlage: search hits inside an Anlage can name their page."""

    anlage = models.ForeignKey(Anlage, verbose_name=_("Anlage"), on_delete=models.CASCADE, related_name="seiten")
    nummer = models.PositiveIntegerField(_("Seite"))
    text = models.TextField(_("Text"), blank=True)
    # Written by a database trigger on PostgreSQL (migration 0003), together with the Anlage's title.
    suchvektor = SearchVectorField(_("Suchvektor"), null=True, editable=False)

    objects = AnlageSeiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Seite einer Anlage")
        verbose_name_plural = _("Seiten von Anlagen")
        ordering = ["anlage", "nummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["anlage", "nummer"],
                name="anlageseite_nummer_eindeutig",
                violation_error_message=_("Diese Seite gibt es in dieser Anlage schon."),
            ),
            models.CheckConstraint(
                condition=Q(nummer__gte=1),
                name="anlageseite_nummer_ab_eins",
                violation_error_message=_("Seiten werden ab 1 gezählt."),
            ),
        ]

    def __str__(self):
        return _("%(anlage)s, Seite %(nummer)s") % {"anlage": self.anlage, "nummer": self.nummer}


class AnlageAbruf(models.Model):
    """A download of an Anlage that the public may not see: councillors' access to confidential papers is logged."""

    anlage = models.ForeignKey(Anlage, verbose_name=_("Anlage"), on_delete=models.CASCADE, related_name="abrufe")
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.PROTECT,
        related_name="anlage_abrufe",
    )
    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Abruf einer nichtöffentlichen Anlage")
        verbose_name_plural = _("Abrufe nichtöffentlicher Anlagen")
        ordering = ["-zeitpunkt"]

    def __str__(self):
        return f"{self.benutzer} – {self.anlage} – {timezone.localtime(self.zeitpunkt):%d.%m.%Y %H:%M}"
