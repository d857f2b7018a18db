"""The search over Vorlagen, Sitzungen, TOPs and the pages of Anlagen, built only from ``sichtbar_fuer`` querysets.

Every kind starts from its model's ``sichtbar_fuer(user)`` (the pages of an Anlage from
``AnlageSeite.objects.sichtbar_fuer``, which asks ``Anlage.objects.sichtbar_fuer``), so hits, counts, snippets and
suggestions can only come from what the user may see. The kinds are united into one list of
``(typ, id, rang, datum, seite)`` rows, sorted and paged in the database; only the rows of the page shown are
loaded as objects, with their snippets — a fixed number of queries whatever the number of hits.

On PostgreSQL the stored, GIN-indexed ``suchvektor`` columns are matched with ``to_tsquery('german', …)``
(prefixes, phrases), ranked with ``ts_rank`` (weights A–C) and cut into snippets by ``ts_headline``. On SQLite
every word must occur in one of the same fields (``icontains``) and snippets are cut in Python.
"""

import contextlib
import dataclasses
import difflib
import html

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramSimilarity
from django.db import OperationalError, connection, connections, transaction
from django.db.models import Case, F, FloatField, IntegerField, Max, Min, Q, TextField, Value, When
from django.db.models.functions import Concat, Length, TruncDate
from django.utils.safestring import mark_safe

from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from suche.abfrage import Suchbegriff
from suche.models import Suchwort
from vorlagen.models import AnlageSeite, Vorlage, nummer_lesen

VORLAGE, SITZUNG, TOP, ANLAGE = "vorlage", "sitzung", "top", "anlage"
TYPEN = [VORLAGE, SITZUNG, TOP, ANLAGE]

# Snippet markers: control characters no document contains, replaced by <mark> after the text is escaped.
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONEN = {
    "start_sel": START,
    "stop_sel": STOP,
    "max_words": 35,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}
AUSSCHNITT_ZEICHEN = 90  # on each side of the first hit, for the snippets cut in Python

# At most this many hits per kind are counted, ranked and listed ("mehr als 200"): a word on half of 600,000
# pages would otherwise be counted and ranked in full before the 20 shown are taken.
GRENZE = 200
# Pages read (at most) to find up to GRENZE Anlagen with a hit. Reading pages is the most expensive part of a
# phrase or a filtered search (each page's vector is checked), so it is kept at two per Anlage: an Anlage has ~2
# pages on average; when many pages of the same Anlagen hit, the count says "mindestens".
SEITEN_JE_ANLAGE = 2
# "offen" of a count: the true number is larger ("mehr als n"), or may be ("mindestens n").
MEHR, MINDESTENS = "mehr", "mindestens"

# The fields each kind is searched in on SQLite (on PostgreSQL the triggers put the same into the vectors).
FELDER = {
    VORLAGE: [
        "titel",
        "aktenzeichen",
        "zusatz",
        "beschlussantrag",
        "bericht",
        "begruendung",
        "finanzielle_auswirkungen",
        "mitzeichnung",
    ],
    SITZUNG: ["name", "ausschuss__name", "ausschuss__kurzname"],
    TOP: ["titel", "beschluss"],
    ANLAGE: ["text", "anlage__titel"],
}


def ist_postgresql():
    return connection.vendor == "postgresql"


class Zeitueberschreitung(Exception):
    """The search's queries took longer than ``RATSINFO_SUCHE_ZEITLIMIT_MS``; the page says so instead."""


# SQLSTATE query_canceled: what PostgreSQL answers when statement_timeout ends a query.
ABGEBROCHEN = "57014"


@contextlib.contextmanager
def zeitlimit(using="default"):
    """Run the queries of one search in a transaction whose statements may take ``RATSINFO_SUCHE_ZEITLIMIT_MS``
    each, and turn a query ended by that limit into ``Zeitueberschreitung``.

    A pathological query (a long list of common prefixes with a rare filter, say) must not hold a web process and
    a database backend for minutes. ``SET LOCAL`` ends with the transaction, so the limit never reaches other
    queries on a persistent connection. Without it, psycopg's ``QueryCanceled`` would be an ``OperationalError``,
    which ``ratsinfo.ausfall`` reports as an unreachable database (503). On SQLite there is no such limit.
    """
    verbindung = connections[using]
    try:
        with contextlib.ExitStack() as stapel:
            if verbindung.vendor == "postgresql":
                stapel.enter_context(transaction.atomic(using=using))
                with verbindung.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true)", [str(settings.RATSINFO_SUCHE_ZEITLIMIT_MS)]
                    )
            yield
    except OperationalError as fehler:
        if getattr(fehler.__cause__, "sqlstate", None) == ABGEBROCHEN:
            raise Zeitueberschreitung from fehler
        raise


def markieren(text):
    """Escape a snippet, then turn the markers into <mark>: the text of a document is never trusted as HTML."""
    if not text:
        return ""
    return mark_safe(html.escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def ausschnitt(text, woerter):
    """SQLite: the passage around the first word found, with every word marked."""
    text = " ".join((text or "").split())
    klein = text.lower()
    fundstellen = [klein.find(wort) for wort in woerter if wort and klein.find(wort) >= 0]
    if not fundstellen:
        return text[: 2 * AUSSCHNITT_ZEICHEN] + (" …" if len(text) > 2 * AUSSCHNITT_ZEICHEN else "")
    anfang = max(0, min(fundstellen) - AUSSCHNITT_ZEICHEN)
    ende = min(len(text), min(fundstellen) + AUSSCHNITT_ZEICHEN)
    stueck = text[anfang:ende]
    markiert, i = [], 0
    unten = stueck.lower()
    while i < len(stueck):
        wort = next((w for w in woerter if w and unten.startswith(w, i)), None)
        if wort:
            markiert.append(START + stueck[i : i + len(wort)] + STOP)
            i += len(wort)
        else:
            markiert.append(stueck[i])
            i += 1
    return ("… " if anfang else "") + "".join(markiert) + (" …" if ende < len(text) else "")


@dataclasses.dataclass
class Treffer:
    typ: str
    objekt: object
    rang: float
    datum: object
    ausschnitt: str = ""
    seite: int | None = None


class Treffermenge:
    """The united, sorted hit rows for the paginator: the count is known already, a slice asks the database."""

    def __init__(self, queryset, anzahl):
        self.queryset = queryset
        self.anzahl = anzahl

    def count(self):
        return self.anzahl

    def __len__(self):
        return self.anzahl

    def __getitem__(self, index):
        if self.queryset is None:
            return []
        if not ist_postgresql():
            return list(self.queryset[index])
        # The united rows are at most 4 x GRENZE given ids: starting parallel workers for them took longer than the
        # query itself (17 ms instead of 6 ms on the benchmark data), so this one query runs without them. In a
        # transaction of its own (no savepoint: one more query, not three); inside an outer transaction the
        # setting stays until that one ends, which only spares the page's remaining small queries the workers.
        with (
            transaction.atomic(using=self.queryset.db, savepoint=False),
            connections[self.queryset.db].cursor() as cursor,
        ):
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            return list(self.queryset[index])


class Suche:
    """One search of one user: ``begriff`` (text or ``Suchbegriff``) and the filters of ``SucheFilter``."""

    def __init__(self, *, user, begriff, ausschuss=None, von=None, bis=None, art="", typ="", sortierung=""):
        self.user = user
        self.begriff = begriff if isinstance(begriff, Suchbegriff) else Suchbegriff.lesen(begriff)
        self.ausschuss, self.von, self.bis, self.art = ausschuss, von, bis, art or ""
        self.typ = typ if typ in TYPEN else ""
        self.nach_datum = sortierung == "datum"
        self.postgresql = ist_postgresql()
        # "952/2021", "GRDrs 952/2021": the search is for that Vorlage (and the TOPs that treated it).
        self.nummer = bool(nummer_lesen(self.begriff.text))
        self._query = SearchQuery(self.begriff.tsquery(), config="german", search_type="raw")
        self._nur_rang = False  # True while the rows of already matched candidates are ranked (see ``zeilen``)

    # Matching, per kind

    def _treffer_q(self, typ):
        """SQLite: every word (and phrase, as written) in one of the kind's fields."""
        bedingung = Q()
        for teil in [*self.begriff.woerter, *(" ".join(phrase) for phrase in self.begriff.phrasen)]:
            oder = Q()
            for feld in FELDER[typ]:
                oder |= Q(**{f"{feld}__icontains": teil})
            bedingung &= oder
        return bedingung

    def _passend(self, queryset, typ):
        if self.postgresql:
            if not self._nur_rang:
                queryset = queryset.filter(suchvektor=self._query)
            return queryset.annotate(rang=SearchRank(F("suchvektor"), self._query))
        # Without ranking functions, a hit in the title counts more than one elsewhere.
        erstes = (self.begriff.alle_woerter() or [""])[0]
        titel = {VORLAGE: "titel", SITZUNG: "name", TOP: "titel", ANLAGE: "anlage__titel"}[typ]
        if not self._nur_rang:
            queryset = queryset.filter(self._treffer_q(typ))
        return queryset.annotate(
            rang=Case(
                When(**{f"{titel}__icontains": erstes}, then=Value(1.0)), default=Value(0.5), output_field=FloatField()
            )
        )

    def _ausschuss_vorlagen(self):
        # Only Beratungen the user may see tie a Vorlage to a committee (as in the Vorlagen list's filter).
        return Beratung.objects.sichtbar_fuer(self.user).filter(ausschuss=self.ausschuss).values("vorlage")

    def vorlagen(self):
        qs = Vorlage.objects.sichtbar_fuer(self.user)
        if self.ausschuss:
            qs = qs.filter(pk__in=self._ausschuss_vorlagen())
        if self.von:
            qs = qs.filter(datum__gte=self.von)
        if self.bis:
            qs = qs.filter(datum__lte=self.bis)
        if self.art:
            qs = qs.filter(art=self.art)
        if self.nummer:
            return qs.nach_nummer(self.begriff.text).annotate(rang=Value(1.0, output_field=FloatField()))
        return self._passend(qs, VORLAGE)

    def sitzungen(self):
        qs = Sitzung.objects.sichtbar_fuer(self.user)
        if self.nummer or self.art:
            return qs.none().annotate(rang=Value(0.0, output_field=FloatField()))  # a Sitzung has no Vorlagenart
        if self.ausschuss:
            qs = qs.filter(ausschuss=self.ausschuss)
        if self.von:
            qs = qs.filter(beginn__date__gte=self.von)
        if self.bis:
            qs = qs.filter(beginn__date__lte=self.bis)
        return self._passend(qs, SITZUNG)

    def tops(self):
        qs = Tagesordnungspunkt.objects.sichtbar_fuer(self.user)
        if self.ausschuss:
            qs = qs.filter(sitzung__ausschuss=self.ausschuss)
        if self.von:
            qs = qs.filter(sitzung__beginn__date__gte=self.von)
        if self.bis:
            qs = qs.filter(sitzung__beginn__date__lte=self.bis)
        if self.art or self.nummer:
            vorlagen = Vorlage.objects.sichtbar_fuer(self.user)
            if self.art:
                vorlagen = vorlagen.filter(art=self.art)
            if self.nummer:
                vorlagen = vorlagen.nach_nummer(self.begriff.text)
            zuordnung = Tagesordnungspunkt.vorlagen.through.objects.filter(vorlage__in=vorlagen)
            qs = qs.filter(pk__in=zuordnung.values("tagesordnungspunkt"))
        if self.nummer:
            return qs.annotate(rang=Value(0.5, output_field=FloatField()))
        return self._passend(qs, TOP)

    def seiten(self):
        qs = AnlageSeite.objects.sichtbar_fuer(self.user)
        if self.nummer:
            return qs.none().annotate(rang=Value(0.0, output_field=FloatField()))
        if self.ausschuss:
            qs = qs.filter(anlage__vorlage__in=self._ausschuss_vorlagen())
        if self.von:
            qs = qs.filter(anlage__vorlage__datum__gte=self.von)
        if self.bis:
            qs = qs.filter(anlage__vorlage__datum__lte=self.bis)
        if self.art:
            qs = qs.filter(anlage__vorlage__art=self.art)
        return self._passend(qs, ANLAGE)

    # Candidates: at most GRENZE hits per kind, found by the index without ranking them all

    DATUMSFELD = {VORLAGE: "datum", SITZUNG: "beginn", TOP: "sitzung__beginn", ANLAGE: "anlage__vorlage__datum"}

    def _treffer(self, typ):
        return {VORLAGE: self.vorlagen, SITZUNG: self.sitzungen, TOP: self.tops, ANLAGE: self.seiten}[typ]()

    def kandidaten(self, typ):
        """``(ids, anzahl, offen)`` of one kind: the ids of at most GRENZE visible hits (for Anlagen: of their
        pages with a hit), how many hits that is, and whether there are (or may be) more.

        Only ``LIMIT GRENZE + 1`` rows are read, in the order the index finds them (newest first when the kind is
        listed by date or a period is set), so neither the count nor the ranking has to visit every hit of a
        common word.
        """
        if not hasattr(self, "_kandidaten"):
            self._kandidaten = {}
        if typ in self._kandidaten:
            return self._kandidaten[typ]
        qs = self._treffer(typ).order_by()
        if (self.nach_datum and self.typ in ("", typ)) or self.von or self.bis:
            # Sorted by date, only the kinds listed are read newest first: of the others only the count is shown.
            # With a period, the newest hits in it are read too: the database then walks the date index instead of
            # trying the Vorlagen one by one in id order against the period (Anlagen of 2020-2021 with
            # "Wohnungsbau": 140 -> 20 ms on the benchmark data). Not so with a committee: that was slower.
            qs = qs.order_by(f"-{self.DATUMSFELD[typ]}", "-pk")
        if typ != ANLAGE:
            ids = list(qs.values_list("pk", flat=True)[: GRENZE + 1])
            ergebnis = (ids[:GRENZE], min(len(ids), GRENZE), MEHR if len(ids) > GRENZE else "")
        else:
            seiten_grenze = GRENZE * SEITEN_JE_ANLAGE
            seiten = list(qs.values_list("pk", "anlage_id")[: seiten_grenze + 1])
            anlagen = list(dict.fromkeys(anlage for _pk, anlage in seiten[:seiten_grenze]))
            if len(anlagen) > GRENZE:
                offen = MEHR
            elif len(seiten) > seiten_grenze:
                offen = MINDESTENS  # more pages with hits, maybe of Anlagen already found
            else:
                offen = ""
            behalten = set(anlagen[:GRENZE])
            ids = [pk for pk, anlage in seiten[:seiten_grenze] if anlage in behalten]
            ergebnis = (ids, len(behalten), offen)
        self._kandidaten[typ] = ergebnis
        return ergebnis

    # Rows of the united list: (typ, id, rang, datum, seite)

    def zeilen(self, typ, ids=None):
        """The rows of one kind; with ``ids`` (from ``kandidaten``) only those, ranked without matching again."""
        null = Value(0, output_field=IntegerField())
        self._nur_rang = ids is not None
        try:
            basis = self._treffer(typ)
        finally:
            self._nur_rang = False
        if ids is not None:
            basis = basis.filter(pk__in=ids)
        if typ == ANLAGE:
            # One row per Anlage: its best rank, its first page with a hit.
            qs = basis.values("anlage").annotate(
                t=Value(ANLAGE), oid=F("anlage"), r=Max("rang"), d=Max("anlage__vorlage__datum"), s=Min("nummer")
            )
            return qs.values_list("t", "oid", "r", "d", "s")
        datum = {VORLAGE: F("datum"), SITZUNG: TruncDate("beginn"), TOP: TruncDate("sitzung__beginn")}[typ]
        return basis.annotate(t=Value(typ), oid=F("pk"), r=F("rang"), d=datum, s=null).values_list(
            "t", "oid", "r", "d", "s"
        )

    def anzahlen(self):
        """Hits per kind, at most GRENZE each, with the filters but whatever kind is chosen."""
        if not self.begriff:
            return {}
        return {typ: self.kandidaten(typ)[1] for typ in TYPEN}

    def offen(self, typ=None):
        """Whether the count of one kind (or of all) is a lower bound: MEHR, MINDESTENS or ""."""
        if not self.begriff:
            return ""
        offen = {self.kandidaten(t)[2] for t in ([typ] if typ else TYPEN)}
        return MEHR if MEHR in offen else MINDESTENS if MINDESTENS in offen else ""

    def treffermenge(self):
        anzahlen = self.anzahlen()
        typen = [self.typ] if self.typ else [typ for typ in TYPEN if anzahlen.get(typ)]
        if not typen:
            return Treffermenge(None, 0)
        teile = [self.zeilen(typ, self.kandidaten(typ)[0]).order_by() for typ in typen]
        vereint = teile[0].union(*teile[1:], all=True) if len(teile) > 1 else teile[0]
        reihenfolge = ["-d", "-r"] if self.nach_datum else ["-r", "-d"]
        vereint = vereint.order_by(*reihenfolge, "t", "oid")
        return Treffermenge(vereint, sum(anzahlen.get(typ, 0) for typ in typen))

    # The objects of one page, with their snippets

    def _headline(self, ausdruck):
        return SearchHeadline(ausdruck, self._query, config="german", **HEADLINE_OPTIONEN)

    def laden(self, zeilen):
        """Treffer objects for the rows of one page, in their order: one query per kind on the page."""
        ids = {typ: [z[1] for z in zeilen if z[0] == typ] for typ in TYPEN}
        geladen = {}
        woerter = self.begriff.alle_woerter()
        texte = Concat(
            "beschlussantrag",
            Value(" "),
            "bericht",
            Value(" "),
            "begruendung",
            Value(" "),
            "finanzielle_auswirkungen",
            output_field=TextField(),
        )
        if ids[VORLAGE]:
            qs = Vorlage.objects.sichtbar_fuer(self.user).filter(pk__in=ids[VORLAGE]).select_related("dienststelle")
            if self.postgresql and not self.nummer:
                qs = qs.annotate(schnipsel=self._headline(texte))
            for v in qs:
                roh = getattr(v, "schnipsel", None)
                if roh is None:
                    roh = ausschnitt(" ".join([v.beschlussantrag, v.bericht, v.begruendung]), woerter)
                geladen[VORLAGE, v.pk] = (v, roh)
        if ids[SITZUNG]:
            for s in Sitzung.objects.sichtbar_fuer(self.user).filter(pk__in=ids[SITZUNG]).fuer_liste():
                geladen[SITZUNG, s.pk] = (s, "")
        if ids[TOP]:
            qs = (
                Tagesordnungspunkt.objects.sichtbar_fuer(self.user)
                .filter(pk__in=ids[TOP])
                .select_related("sitzung__ausschuss")
            )
            if self.postgresql and not self.nummer:
                qs = qs.annotate(
                    schnipsel=self._headline(Concat("titel", Value(" – "), "beschluss", output_field=TextField()))
                )
            for t in qs:
                roh = getattr(t, "schnipsel", None)
                geladen[TOP, t.pk] = (t, roh if roh is not None else ausschnitt(f"{t.titel} – {t.beschluss}", woerter))
        if ids[ANLAGE]:
            bedingung = Q(pk__in=[])
            for z in zeilen:
                if z[0] == ANLAGE:
                    bedingung |= Q(anlage_id=z[1], nummer=z[4])
            qs = AnlageSeite.objects.sichtbar_fuer(self.user).filter(bedingung).select_related("anlage__vorlage")
            if self.postgresql:
                qs = qs.annotate(schnipsel=self._headline(F("text")))
            for seite in qs:
                roh = getattr(seite, "schnipsel", None)
                geladen[ANLAGE, seite.anlage_id] = (seite, roh if roh is not None else ausschnitt(seite.text, woerter))
        treffer = []
        for typ, pk, rang, datum, _seite in zeilen:
            if (typ, pk) not in geladen:
                continue
            objekt, roh = geladen[typ, pk]
            if typ == ANLAGE:
                treffer.append(Treffer(typ, objekt.anlage, rang, datum, markieren(roh), seite=objekt.nummer))
            else:
                treffer.append(Treffer(typ, objekt, rang, datum, markieren(roh)))
        return treffer

    # "Meinten Sie …"

    def vorschlag(self):
        """A corrected query when this one finds (almost) nothing and the corrected one finds something visible.

        Candidates come from the word list of public content (``Suchwort``); a candidate is offered only if the
        search with it finds something this user may see, so a suggestion can never reveal a hidden word.
        """
        if self.nummer or not self.begriff or sum(self.anzahlen().values()) >= 1:
            return None
        ersetzungen = {}
        for wort in self.begriff.alle_woerter()[:3]:
            if len(wort) < 4 or wort.isdigit():
                continue
            kandidat = self._naechstes_wort(wort)
            if kandidat and kandidat != wort:
                ersetzungen[wort] = kandidat
        if not ersetzungen:
            return None
        text = self.begriff.ersetzt(ersetzungen)
        andere = Suche(
            user=self.user,
            begriff=text,
            ausschuss=self.ausschuss,
            von=self.von,
            bis=self.bis,
            art=self.art,
        )
        teile = [andere.zeilen(typ).order_by() for typ in TYPEN]
        if not teile[0].union(*teile[1:], all=True).exists():
            return None
        return text

    def _naechstes_wort(self, wort):
        if Suchwort.objects.filter(wort=wort).exists():
            return None
        if self.postgresql:
            return (
                Suchwort.objects.filter(wort__trigram_similar=wort)
                .annotate(aehnlich=TrigramSimilarity("wort", wort))
                .order_by("-aehnlich", "-anzahl", "wort")
                .values_list("wort", flat=True)
                .first()
            )
        kandidaten = Suchwort.objects.annotate(laenge=Length("wort")).filter(
            wort__startswith=wort[0], laenge__gte=len(wort) - 2, laenge__lte=len(wort) + 2
        )
        treffer = difflib.get_close_matches(wort, list(kandidaten.values_list("wort", flat=True)[:5000]), 1, 0.75)
        return treffer[0] if treffer else None
