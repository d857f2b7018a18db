"""The search over Vorlagen, Sitzungen, TOPs, the pages of Anlagen and Sitzungsdokumente, built only from
``sichtbar_fuer`` querysets.

Every kind starts from its model's ``sichtbar_fuer(user)`` (the pages of an Anlage from
``AnlageSeite.objects.sichtbar_fuer``, which asks ``Anlage.objects.sichtbar_fuer``), so hits, counts, snippets and
suggestions can only come from what the user may see. At most GRENZE hits per kind are read and ranked, on
PostgreSQL all kinds in one query; their ``(typ, id, rang, datum, seite)`` rows are merged, sorted and paged in
Python, and only the rows of the page shown are loaded as objects, with their snippets — a fixed number of queries
whatever the number of hits.

On PostgreSQL the stored, GIN-indexed ``suchvektor`` columns are matched with ``to_tsquery('german', …)``
(prefixes, phrases), ranked with ``ts_rank`` (weights A–C) and cut into snippets by ``ts_headline``. On SQLite
every word must occur in one of the same fields (``icontains``) and snippets are cut in Python.
"""

import collections
import contextlib
import dataclasses
import datetime
import difflib
import html
import threading

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramSimilarity
from django.db import OperationalError, connection, connections, transaction
from django.db.models import BooleanField, Case, F, FloatField, Func, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Length, TruncDate
from django.utils import timezone
from django.utils.safestring import mark_safe

from protokoll.models import Sitzungsdokument
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from suche.abfrage import Suchbegriff
from suche.models import Suchwort
from vorlagen.models import AnlageSeite, Urheber, Vorlage, nummer_lesen

VORLAGE, SITZUNG, TOP, ANLAGE, DOKUMENT = "vorlage", "sitzung", "top", "anlage", "dokument"
TYPEN = [VORLAGE, SITZUNG, TOP, ANLAGE, DOKUMENT]

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
# The compiled candidate SQL of anonymous searches per shape (Suche._sql_schluessel), oldest shape out first.
_KANDIDATEN_SQL = collections.OrderedDict()
_KANDIDATEN_SQL_SPERRE = threading.Lock()  # threads of one worker share it
KANDIDATEN_SQL_GROESSE = 256
# "offen" of a count: the true number is larger ("mehr als n"), or may be ("mindestens n").
MEHR, MINDESTENS = "mehr", "mindestens"

# The fields each kind is searched in on SQLite (on PostgreSQL the triggers put the same into the vectors). A
# Vorlage is also found by its Urheber's names (URHEBER_FELDER, through a subquery: no duplicate rows).
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
    DOKUMENT: ["titel", "text"],
}
URHEBER_FELDER = ["fraktion__name", "fraktion__kurzname", "person__titel", "person__vorname", "person__nachname"]


def ist_postgresql():
    return connection.vendor == "postgresql"


class GleichEinem(Func):
    """``ausdruck = ANY(array)``: PostgreSQL compares with every element of an array (e.g. an ``ArraySubquery``)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        links, links_params = compiler.compile(self.source_expressions[0])
        rechts, rechts_params = compiler.compile(self.source_expressions[1])
        return f"{links} = ANY({rechts})", [*links_params, *rechts_params]


class Zeitueberschreitung(Exception):
    """The search's queries took longer than ``RATSINFO_SUCHE_ZEITLIMIT_MS``; the page says so instead."""


# SQLSTATE query_canceled: what PostgreSQL answers when statement_timeout ends a query.
ABGEBROCHEN = "57014"


@contextlib.contextmanager
def zeitlimit(using="default"):
    """Run the queries of one search in a transaction whose statements may take ``RATSINFO_SUCHE_ZEITLIMIT_MS``
    each, and turn a query ended by that limit into ``Zeitueberschreitung``.

    A pathological query (a long list of common prefixes with a rare filter, say) must not hold a web process and
    a database backend for minutes. The settings are local to the transaction, so the limit never reaches other
    queries on a persistent connection. Without it, psycopg's ``QueryCanceled`` would be an ``OperationalError``,
    which ``betrieb.ausfall`` reports as an unreachable database (503). On SQLite there is no such limit.
    """
    verbindung = connections[using]
    try:
        with contextlib.ExitStack() as stapel:
            if verbindung.vendor == "postgresql":
                stapel.enter_context(transaction.atomic(using=using))
                with verbindung.cursor() as cursor:
                    # Also without parallel workers and JIT: each query reads a few hundred rows, and starting
                    # workers or compiling cost more than they save (a phrase over Anlage pages under load: 110-620
                    # ms with two workers, 88-115 ms without; docs/benchmarks.md).
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true), "
                        "set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)",
                        [str(settings.RATSINFO_SUCHE_ZEITLIMIT_MS)],
                    )
            yield
    except OperationalError as fehler:
        if getattr(fehler.__cause__, "sqlstate", None) == ABGEBROCHEN:
            raise Zeitueberschreitung from fehler
        raise


def verbunden(trenner, *felder):
    """PostgreSQL: the fields joined by ``trenner``, for ts_headline. One ``concat_ws`` compiles in a fraction of the
    time of ``Concat``, whose nested pairs each get a COALESCE (the fields are never NULL)."""
    return Func(Value(trenner), *map(F, felder), function="CONCAT_WS", output_field=TextField())


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
    """The sorted hit rows ``(typ, id, rang, datum, seite)`` for the paginator: at most GRENZE per kind, already
    read and ranked by ``Suche.kandidaten``, so a page is a slice of a list."""

    def __init__(self, zeilen=(), anzahl=0):
        self.zeilen = list(zeilen)
        self.anzahl = anzahl

    def count(self):
        return self.anzahl

    def __len__(self):
        return self.anzahl

    def __getitem__(self, index):
        return self.zeilen[index]


def _sortierschluessel(nach_datum):
    """Newest first or best first, the other as the tie-break, then kind and id: the same order on every page."""
    if nach_datum:
        return lambda z: (-z[3].toordinal(), -z[2], z[0], z[1])
    return lambda z: (-z[2], -z[3].toordinal(), z[0], z[1])


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
        self._kandidaten = {}

    # Matching, per kind

    def _treffer_q(self, typ):
        """SQLite: every word (and phrase, as written) in one of the kind's fields."""
        bedingung = Q()
        for teil in [*self.begriff.woerter, *(" ".join(phrase) for phrase in self.begriff.phrasen)]:
            oder = Q()
            for feld in FELDER[typ]:
                oder |= Q(**{f"{feld}__icontains": teil})
            if typ == VORLAGE:
                urheber = Q()
                for feld in URHEBER_FELDER:
                    urheber |= Q(**{f"{feld}__icontains": teil})
                oder |= Q(pk__in=Urheber.objects.filter(urheber).values("vorlage_id"))
            bedingung &= oder
        return bedingung

    def _passend(self, queryset, typ):
        if self.postgresql:
            return queryset.filter(suchvektor=self._query)
        return queryset.filter(self._treffer_q(typ))

    def _rang(self, typ):
        """The rank of a hit: ``ts_rank`` with the weights A-C; on SQLite a title hit counts more."""
        if self.nummer:
            return Value({VORLAGE: 1.0, TOP: 0.5}[typ], output_field=FloatField())
        if self.postgresql:
            return SearchRank(F("suchvektor"), self._query)
        erstes = (self.begriff.alle_woerter() or [""])[0]
        titel = {VORLAGE: "titel", SITZUNG: "name", TOP: "titel", ANLAGE: "anlage__titel", DOKUMENT: "titel"}[typ]
        return Case(
            When(**{f"{titel}__icontains": erstes}, then=Value(1.0)), default=Value(0.5), output_field=FloatField()
        )

    def _im_ausschuss(self, vorlage):
        """Condition: the Vorlage at the lookup ``vorlage`` has a Beratung in the chosen committee that the user may
        see (as in the Vorlagen list's filter).

        Only the Beratung's own part of the rule is needed: the kinds filtered here start from visible Vorlagen
        already. On PostgreSQL the committee's Vorlagen are read once into an array (an InitPlan), which the
        planner matches against the few candidates instead of joining every Beratung of the committee.
        """
        beratungen = (
            Beratung.objects.filter(Beratung.objects.eigene_sichtbarkeit_q(self.user), ausschuss=self.ausschuss)
            .order_by()  # the default order would join every Vorlage of the committee to sort by its date
            .values("vorlage_id")
        )
        if self.postgresql:
            return GleichEinem(F(vorlage), ArraySubquery(beratungen))
        return Q(**{f"{vorlage}__in": beratungen})

    def vorlagen(self):
        qs = Vorlage.objects.sichtbar_fuer(self.user)
        if self.ausschuss:
            qs = qs.filter(self._im_ausschuss("pk"))
        if self.von:
            qs = qs.filter(datum__gte=self.von)
        if self.bis:
            qs = qs.filter(datum__lte=self.bis)
        if self.art:
            qs = qs.filter(art=self.art)
        if self.nummer:
            return qs.nach_nummer(self.begriff.text)
        return self._passend(qs, VORLAGE)

    def _wie_die_sitzung(self, qs, sitzung=""):
        """The committee and period filters for a kind that has its Gremium and date from a Sitzung (at the lookup
        ``sitzung``, e.g. ``"sitzung__"``; empty for the Sitzung itself)."""
        if self.ausschuss:
            qs = qs.filter(**{f"{sitzung}ausschuss": self.ausschuss})
        if self.von:
            qs = qs.filter(**{f"{sitzung}beginn__date__gte": self.von})
        if self.bis:
            qs = qs.filter(**{f"{sitzung}beginn__date__lte": self.bis})
        return qs

    def sitzungen(self):
        if self.nummer or self.art:
            return None  # a Sitzung has no number and no Vorlagenart
        return self._passend(self._wie_die_sitzung(Sitzung.objects.sichtbar_fuer(self.user)), SITZUNG)

    def tops(self):
        qs = self._wie_die_sitzung(Tagesordnungspunkt.objects.sichtbar_fuer(self.user), "sitzung__")
        if self.art or self.nummer:
            vorlagen = Vorlage.objects.sichtbar_fuer(self.user)
            if self.art:
                vorlagen = vorlagen.filter(art=self.art)
            if self.nummer:
                vorlagen = vorlagen.nach_nummer(self.begriff.text)
            zuordnung = Tagesordnungspunkt.vorlagen.through.objects.filter(vorlage__in=vorlagen)
            qs = qs.filter(pk__in=zuordnung.values("tagesordnungspunkt"))
        if self.nummer:
            return qs
        return self._passend(qs, TOP)

    def seiten(self):
        if self.nummer:
            return None
        qs = AnlageSeite.objects.sichtbar_fuer(self.user)
        if self.ausschuss:
            qs = qs.filter(self._im_ausschuss("anlage__vorlage_id"))
        if self.von:
            qs = qs.filter(anlage__vorlage__datum__gte=self.von)
        if self.bis:
            qs = qs.filter(anlage__vorlage__datum__lte=self.bis)
        if self.art:
            qs = qs.filter(anlage__vorlage__art=self.art)
        return self._passend(qs, ANLAGE)

    def dokumente(self):
        if self.nummer or self.art:
            return None  # a Sitzungsdokument has no number and no Vorlagenart
        return self._passend(
            self._wie_die_sitzung(Sitzungsdokument.objects.sichtbar_fuer(self.user), "sitzung__"), DOKUMENT
        )

    # Candidates: at most GRENZE hits per kind, found by the index, ranked without visiting every hit

    DATUMSFELD = {
        VORLAGE: "datum",
        SITZUNG: "beginn",
        TOP: "sitzung__beginn",
        ANLAGE: "anlage__vorlage__datum",
        DOKUMENT: "sitzung__beginn",
    }
    DATUM = {
        VORLAGE: F("datum"),
        SITZUNG: TruncDate("beginn"),
        TOP: TruncDate("sitzung__beginn"),
        ANLAGE: F("anlage__vorlage__datum"),
        DOKUMENT: TruncDate("sitzung__beginn"),
    }

    def _treffer(self, typ):
        """The visible hits of one kind with the filters, unranked; None when the kind cannot have any."""
        return {
            VORLAGE: self.vorlagen,
            SITZUNG: self.sitzungen,
            TOP: self.tops,
            ANLAGE: self.seiten,
            DOKUMENT: self.dokumente,
        }[typ]()

    def kandidaten(self, typ):
        """``(zeilen, anzahl, offen)`` of one kind: the rows ``(typ, id, rang, datum, seite)`` of at most GRENZE
        visible hits (an Anlage once, with its best page's rank and its first page with a hit), how many hits that
        is, and whether there are (``MEHR``) or may be (``MINDESTENS``) more. All kinds are read at once, by
        ``_kandidaten_lesen``."""
        if not self._kandidaten:
            self._kandidaten = self._kandidaten_lesen()
        return self._kandidaten[typ]

    def _kandidaten_abfrage(self, typ):
        """The candidate rows ``(t, oid, r, d, s)`` of one kind as a queryset, or None if it cannot have any.

        It reads ``LIMIT GRENZE + 1`` visible hits (for Anlagen: pages) in the order the index finds them (newest
        first when the kind is listed by date or a period is set), and ranks and dates just those: the rank is
        computed for the rows the ``LIMIT`` lets through, so neither the count nor the ranking visits every hit of
        a common word, and each vector is read once.
        """
        treffer = self._treffer(typ)
        if treffer is None:
            return None
        treffer = treffer.order_by()
        if (self.nach_datum and self.typ in ("", typ)) or self.von or self.bis:
            # Sorted by date, only the kinds listed are read newest first: of the others only the count is shown.
            # With a period, the newest hits in it are read too: the database then walks the date index instead of
            # trying the Vorlagen one by one in id order against the period (Anlagen of 2020-2021 with
            # "Wohnungsbau": 140 -> 20 ms on the benchmark data). Not so with a committee: that was slower.
            treffer = treffer.order_by(f"-{self.DATUMSFELD[typ]}", "-pk")
        grenze = GRENZE * SEITEN_JE_ANLAGE if typ == ANLAGE else GRENZE
        zeilen = treffer.annotate(t=Value(typ), r=self._rang(typ), d=self.DATUM[typ])
        if typ == ANLAGE:
            zeilen = zeilen.annotate(oid=F("anlage_id"), s=F("nummer"))
        else:
            zeilen = zeilen.annotate(oid=F("pk"), s=Value(0, output_field=IntegerField()))
        return zeilen.values_list("t", "oid", "r", "d", "s")[: grenze + 1]

    def _kandidaten_union(self):
        """PostgreSQL: the kinds' queries in one ``UNION ALL`` (one round trip instead of five)."""
        teile = [abfrage for abfrage in map(self._kandidaten_abfrage, TYPEN) if abfrage is not None]
        if not teile:
            return None
        # .order_by(): a union takes the first model's default order, which would sort by unselected columns.
        return teile[0].union(*teile[1:], all=True).order_by() if len(teile) > 1 else teile[0]

    def _sql_schluessel(self):
        """The shape of the candidate query of an anonymous search on PostgreSQL: everything but the words.

        Searches of one shape differ only in the tsquery parameter, so the SQL the ORM compiles for the first is
        kept (``_KANDIDATEN_SQL``) and run with the next one's words: building and compiling the four-part query
        costs 5-7 ms, as much as running it for a rare word. Logged-in users (whose rule depends on their seats
        and the day) and number searches are built afresh every time.
        """
        if not self.postgresql or self.nummer or getattr(self.user, "is_authenticated", False):
            return None
        return (
            self.typ,
            self.nach_datum,
            getattr(self.ausschuss, "pk", self.ausschuss),
            self.von,
            self.bis,
            self.art,
            timezone.get_current_timezone_name(),
            GRENZE,
            SEITEN_JE_ANLAGE,
        )

    def _kandidaten_zeilen(self):
        """The rows ``(t, oid, r, d, s)`` of the candidate query, from the kept SQL where its shape is known."""
        if not self.postgresql:
            # SQLite allows no LIMIT in a part of a compound query; its "round trips" cost nothing anyway.
            abfragen = [self._kandidaten_abfrage(typ) for typ in TYPEN]
            return [zeile for abfrage in abfragen if abfrage is not None for zeile in abfrage]
        schluessel = self._sql_schluessel()
        if schluessel is None:
            union = self._kandidaten_union()
            return list(union) if union is not None else []
        tsquery = self.begriff.tsquery()
        gespeichert = _KANDIDATEN_SQL.get(schluessel)
        if gespeichert is None:
            union = self._kandidaten_union()
            if union is None:
                return []
            sql, parameter = union.query.sql_with_params()
            stellen = [i for i, wert in enumerate(parameter) if wert == tsquery]
            # Kept only if the words are all that varies: no instant of "now" baked in (a rule that looks at the
            # clock must be evaluated anew), and the tsquery found where it goes.
            if not stellen or any(isinstance(wert, datetime.datetime) for wert in parameter):
                return list(union)
            gespeichert = (sql, tuple(parameter), stellen)
            with _KANDIDATEN_SQL_SPERRE:
                if len(_KANDIDATEN_SQL) >= KANDIDATEN_SQL_GROESSE:
                    _KANDIDATEN_SQL.popitem(last=False)
                _KANDIDATEN_SQL[schluessel] = gespeichert
        sql, parameter, stellen = gespeichert
        parameter = list(parameter)
        for stelle in stellen:
            parameter[stelle] = tsquery
        with connection.cursor() as cursor:
            cursor.execute(sql, parameter)
            return cursor.fetchall()

    def _kandidaten_lesen(self):
        """The candidates of every kind, grouped by kind (on PostgreSQL read in one query, ``UNION ALL``)."""
        zeilen = {typ: [] for typ in TYPEN}
        for zeile in self._kandidaten_zeilen():
            zeilen[zeile[0]].append(zeile)
        ergebnis = {}
        for typ in TYPEN:
            if typ != ANLAGE:
                gelesen = zeilen[typ]
                ergebnis[typ] = (self._beste(gelesen), min(len(gelesen), GRENZE), MEHR if len(gelesen) > GRENZE else "")
                continue
            anlagen = {}
            for _t, anlage, r, d, nummer in zeilen[ANLAGE]:
                beste = anlagen.get(anlage)
                anlagen[anlage] = (
                    (ANLAGE, anlage, r, d, nummer)
                    if beste is None
                    else (ANLAGE, anlage, max(beste[2], r), d, min(beste[4], nummer))
                )
            if len(anlagen) > GRENZE:
                offen = MEHR
            elif len(zeilen[ANLAGE]) > GRENZE * SEITEN_JE_ANLAGE:
                offen = MINDESTENS  # more pages with hits, maybe of Anlagen already found
            else:
                offen = ""
            ergebnis[ANLAGE] = (self._beste(list(anlagen.values())), min(len(anlagen), GRENZE), offen)
        return ergebnis

    def _beste(self, zeilen):
        """The first GRENZE rows in the order of the page (one more was read to know that there are more)."""
        if len(zeilen) <= GRENZE:
            return zeilen
        return sorted(zeilen, key=_sortierschluessel(self.nach_datum))[:GRENZE]

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
        """All rows of the kinds listed, in the order of the page: ranked per kind, merged here."""
        anzahlen = self.anzahlen()
        typen = [self.typ] if self.typ else [typ for typ in TYPEN if anzahlen.get(typ)]
        zeilen = [zeile for typ in typen for zeile in self.kandidaten(typ)[0]]
        return Treffermenge(sorted(zeilen, key=_sortierschluessel(self.nach_datum)), len(zeilen))

    # The objects of one page, with their snippets

    def _headline(self, ausdruck):
        return SearchHeadline(ausdruck, self._query, config="german", **HEADLINE_OPTIONEN)

    def laden(self, zeilen):
        """Treffer objects for the rows of one page, in their order: one query per kind on the page."""
        ids = {typ: [z[1] for z in zeilen if z[0] == typ] for typ in TYPEN}
        geladen = {}
        woerter = self.begriff.alle_woerter()
        texte = verbunden(" ", "beschlussantrag", "bericht", "begruendung", "finanzielle_auswirkungen")
        if ids[VORLAGE]:
            # The stored search vectors are the largest columns and no page shows them.
            qs = (
                Vorlage.objects.sichtbar_fuer(self.user)
                .filter(pk__in=ids[VORLAGE])
                .select_related("dienststelle")
                .defer("suchvektor")
                .order_by()  # the rows come back in the page's order below, not the model's
            )
            if self.postgresql and not self.nummer:
                qs = qs.annotate(schnipsel=self._headline(texte))
            for v in qs:
                roh = getattr(v, "schnipsel", None)
                if roh is None:
                    roh = ausschnitt(" ".join([v.beschlussantrag, v.bericht, v.begruendung]), woerter)
                geladen[VORLAGE, v.pk] = (v, roh)
        if ids[SITZUNG]:
            sitzungen = Sitzung.objects.sichtbar_fuer(self.user).filter(pk__in=ids[SITZUNG]).fuer_liste()
            for s in sitzungen.defer("suchvektor"):
                geladen[SITZUNG, s.pk] = (s, "")
        if ids[TOP]:
            qs = (
                Tagesordnungspunkt.objects.sichtbar_fuer(self.user)
                .filter(pk__in=ids[TOP])
                .select_related("sitzung__ausschuss")
                .defer("suchvektor", "sitzung__suchvektor")
                .order_by()
            )
            if self.postgresql and not self.nummer:
                qs = qs.annotate(schnipsel=self._headline(verbunden(" – ", "titel", "beschluss")))
            for t in qs:
                roh = getattr(t, "schnipsel", None)
                geladen[TOP, t.pk] = (t, roh if roh is not None else ausschnitt(f"{t.titel} – {t.beschluss}", woerter))
        if ids[ANLAGE]:
            bedingung = Q(pk__in=[])
            for z in zeilen:
                if z[0] == ANLAGE:
                    bedingung |= Q(anlage_id=z[1], nummer=z[4])
            qs = (
                AnlageSeite.objects.sichtbar_fuer(self.user)
                .filter(bedingung)
                .select_related("anlage__vorlage")
                .defer("suchvektor", "anlage__vorlage__suchvektor")
                .order_by()
            )
            if self.postgresql:
                # The snippet is cut in the database: the page's text need not travel.
                qs = qs.annotate(schnipsel=self._headline(F("text"))).defer("text")
            for seite in qs:
                roh = getattr(seite, "schnipsel", None)
                geladen[ANLAGE, seite.anlage_id] = (seite, roh if roh is not None else ausschnitt(seite.text, woerter))
        if ids[DOKUMENT]:
            qs = (
                Sitzungsdokument.objects.sichtbar_fuer(self.user)
                .filter(pk__in=ids[DOKUMENT])
                .select_related("sitzung__ausschuss")
                .defer("suchvektor", "sitzung__suchvektor")
                .order_by()
            )
            if self.postgresql:
                qs = qs.annotate(schnipsel=self._headline(F("text"))).defer("text")
            for dokument in qs:
                roh = getattr(dokument, "schnipsel", None)
                geladen[DOKUMENT, dokument.pk] = (
                    dokument,
                    roh if roh is not None else ausschnitt(dokument.text, woerter),
                )
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
        teile = [qs.order_by().values("pk") for qs in map(andere._treffer, TYPEN) if qs is not None]
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
