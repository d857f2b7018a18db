"""The OParl importer's walk: System → Body → lists, page by page, and the summary of a run.

Split by concern: ``abruf`` fetches (allowlist, byte caps, deadlines), ``lesen`` reads and checks what a source
sends, ``abbildung.*`` maps each OParl type onto our models, and this module walks the lists and reports.

Writes go page by page (one transaction per list page, a savepoint per object): a run that breaks off keeps
every finished page, and a rerun skips what it has already seen (``Herkunft.modified`` unchanged), so it resumes.
"""

import re
from collections import Counter, defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from gremien.models import Ausschuss, Dienststelle, Mitgliedschaft, Ort, Person, Wahlperiode
from oparlimport.abbildung.dateien import DateienAbbildung
from oparlimport.abbildung.gremien import GremienAbbildung
from oparlimport.abbildung.sitzungen import SitzungenAbbildung
from oparlimport.abbildung.vorlagen import VorlagenAbbildung
from oparlimport.abruf import Abruf, AbrufFehler
from oparlimport.lesen import Uebersprungen, grund_von, id_von, klartext, typ_von
from oparlimport.models import Datei, Herkunft
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from vorlagen.models import Vorlage


def quelle_von(system_url):
    """The name of a source in Herkunft and Datei: host (with a port other than the default) and path of the System
    URL, without the scheme, so that the same source over http and https stays one."""
    teile = urlsplit(system_url)
    host = (teile.hostname or "").lower().rstrip(".")
    if teile.port and teile.port not in (80, 443):
        host = f"{host}:{teile.port}"
    return f"{host}{teile.path.rstrip('/')}"[:300]


def _mit_filter(url, filter_):
    """``url`` with the modified_since filter, unless the server's own link already carries it."""
    if not filter_:
        return url
    teile = urlsplit(url)
    abfrage = dict(parse_qsl(teile.query))
    for schluessel, wert in filter_.items():
        abfrage.setdefault(schluessel, wert)
    return urlunsplit(teile._replace(query=urlencode(abfrage)))


def _naechste_seite(url):
    """Guess the next page when a page could not be read: most servers count ``?page=n``."""
    teile = urlsplit(url)
    abfrage = dict(parse_qsl(teile.query))
    try:
        seite = int(abfrage.get("page", "1"))
    except ValueError:
        return None
    abfrage["page"] = str(seite + 1)
    return urlunsplit(teile._replace(query=urlencode(abfrage)))


class Bericht:
    """Counts per OParl type and the reasons for skipped objects: the summary at the end of a run."""

    ARTEN = ("angelegt", "aktualisiert", "geloescht", "unveraendert", "uebersprungen")

    def __init__(self):
        self.zahlen = defaultdict(Counter)
        self.gruende = defaultdict(Counter)
        self.beispiele = defaultdict(list)
        self.meldungen = []

    def zaehlen(self, typ, art):
        self.zahlen[typ][art] += 1

    def ueberspringen(self, typ, grund, oparl_id=None):
        self.zahlen[typ]["uebersprungen"] += 1
        self.gruende[typ][grund] += 1
        if oparl_id and len(self.beispiele[(typ, grund)]) < 3:
            self.beispiele[(typ, grund)].append(oparl_id)

    def summe(self, art):
        return sum(zahlen[art] for zahlen in self.zahlen.values())

    def zeilen(self):
        zeilen = ["Zusammenfassung (angelegt / aktualisiert / gelöscht / unverändert / übersprungen):"]
        for typ in sorted(self.zahlen):
            z = self.zahlen[typ]
            zeilen.append(f"  {typ:<16} " + " / ".join(str(z[art]) for art in self.ARTEN))
        summen = " / ".join(str(self.summe(art)) for art in self.ARTEN)
        zeilen.append(f"  {'gesamt':<16} {summen}")
        if self.gruende:
            zeilen.append("Übersprungen:")
            for typ in sorted(self.gruende):
                for grund, anzahl in self.gruende[typ].most_common():
                    beispiele = ", ".join(self.beispiele[(typ, grund)])
                    zeilen.append(f"  {typ}: {anzahl} × {grund}" + (f" (z. B. {beispiele})" if beispiele else ""))
        for meldung in self.meldungen:
            zeilen.append(f"Hinweis: {meldung}")
        return zeilen


class Importer(GremienAbbildung, SitzungenAbbildung, VorlagenAbbildung, DateienAbbildung):
    """One import run. Use ``oparl_importieren`` rather than this class directly."""

    LISTEN = ("organization", "person", "membership", "locationList", "meeting", "paper")
    NUR_EINGEBETTET = {"agendaItem": "AgendaItem", "consultation": "Consultation", "file": "File"}

    def __init__(
        self, *, abruf, quelle, seit=None, dateien=False, dienststelle=None, ausgabe=None, nichtoeffentlich_ab=None
    ):
        self.abruf = abruf
        # The operator's rule for this source: a heading whose whole name matches starts the non-public part.
        self.nichtoeffentlich_ab = re.compile(nichtoeffentlich_ab, re.I) if nichtoeffentlich_ab else None
        self.quelle = quelle
        self.filter = {"modified_since": seit} if seit else {}
        self.dateien = dateien
        self.dienststelle_name = dienststelle or settings.RATSINFO_OPARL_IMPORT_DIENSTSTELLE
        self.ausgabe = ausgabe or (lambda zeile: None)
        self.bericht = Bericht()
        self.herkunft = {h.oparl_id: h for h in Herkunft.objects.filter(quelle=quelle).select_related("content_type")}
        self._neue_herkuenfte = []
        # Cached Herkunft rows changed since the last committed page, with their values before (see _zuruecknehmen).
        self._geaenderte_herkuenfte = []
        # In a page's fast pass (see _seite): objects run without a savepoint of their own.
        self._schnell = False
        # The numbers taken among a Paper page's candidates, during its fast pass only (_nummern_vormerken).
        self._nummern = None
        self._ausstehend = {}
        # Sitzungen and TOPs written in this run, by pk: their Beratungen (in the paper list, read later) need them,
        # and a query for each of the thousands of Beratungen would be a tenth of a large import's round trips.
        self._sitzungen, self._tops = {}, {}
        # The version links of the Papers read, linked after all lists (VorlagenAbbildung, fassungen_verknuepfen).
        self._fassungsbezuege = {}
        self.ct = {
            modell: ContentType.objects.get_for_model(modell)
            for modell in (
                Ausschuss,
                Dienststelle,
                Person,
                Mitgliedschaft,
                Ort,
                Sitzung,
                Tagesordnungspunkt,
                Vorlage,
                Beratung,
                Datei,
                Wahlperiode,
            )
        }
        self._fallback = None
        self.heute = timezone.localdate()

    # -- walking -------------------------------------------------------------------------------------------------

    def laufen(self, system_url):
        try:
            system = self.abruf.json(system_url)
        except AbrufFehler as fehler:
            raise AbrufFehler(f"Das System-Objekt ist nicht lesbar: {fehler.grund}") from fehler
        if typ_von(system) != "System" or not system.get("body"):
            raise AbrufFehler(f"{system_url} ist kein OParl-System-Objekt (type System mit body fehlt).")
        version = klartext(system.get("oparlVersion")) or klartext(system.get("type"))
        self.ausgabe(f"OParl-System {system.get('name') or system_url} ({version})")
        for body in (b for seite in self._seiten_lesen(system["body"], "Body", filter_=False) for b in seite):
            if typ_von(body) != "Body":
                self.bericht.ueberspringen("Body", "kein Body-Objekt", id_von(body))
                continue
            self.ausgabe(f"Körperschaft: {body.get('name') or body.get('id')}")
            self.bericht.zaehlen("Body", "unveraendert")
            # With a membership list (OParl 1.1) referenced memberships of a Person come from it, not one by one.
            self._hat_liste_membership = bool(body.get("membership"))
            if isinstance(body.get("location"), dict):
                self._in_seite(lambda o=body["location"]: self.ort(o), "Location", body["location"])
                self._ausstehende_schreiben()
            for liste in [*self.LISTEN, *self.NUR_EINGEBETTET, "legislativeTermList"]:
                if body.get(liste) is not None and not isinstance(body[liste], str):
                    self.bericht.meldungen.append(f"Body: {liste} ist keine Adresse; übersprungen.")
                    body[liste] = None
            self._wahlperioden(body)
            if body.get("paper"):
                # Made outside any object's savepoint: created inside one that is then rolled back, the cached
                # record would no longer exist for the next Vorlage.
                self._fallback_dienststelle()
            for liste in self.LISTEN:
                if body.get(liste):
                    self._liste(body[liste], liste)
            for liste, typ in self.NUR_EINGEBETTET.items():
                if body.get(liste):
                    self._nur_eingebettet(body[liste], typ)
        self._ausstehende_schreiben()
        self.fassungen_verknuepfen()
        if self.dateien:
            self.dateien_herunterladen()
        return self.bericht

    def _wahlperioden(self, body):
        """The Body's terms, embedded (1.0 and 1.1) and in ``legislativeTermList`` (1.1): first, as they are
        few and the rest refers to their dates only. A term listed by URL alone is fetched."""
        terme = body.get("legislativeTerm")
        eingebettet = terme if isinstance(terme, list) else [terme] if terme else []
        with transaction.atomic():
            for term in eingebettet:
                if isinstance(term, str):
                    try:
                        term = self.abruf.json(term)
                    except AbrufFehler as fehler:
                        self.bericht.ueberspringen("LegislativeTerm", f"nicht abrufbar: {grund_von(fehler)}", term)
                        continue
                self._in_seite(lambda t=term: self.wahlperiode(t), "LegislativeTerm", term)
            self._ausstehende_schreiben()
        self._geaenderte_herkuenfte.clear()
        if body.get("legislativeTermList"):
            for seite in self._seiten_lesen(body["legislativeTermList"], "LegislativeTerm"):
                self._seite(seite, "LegislativeTerm", lambda objekt: self.wahlperiode(objekt))

    def _seiten_lesen(self, url, typ, filter_=True):
        """The objects of a list, page by page; bare arrays, 404s and unreadable pages are reported, not fatal."""
        url = _mit_filter(url, self.filter if filter_ else None)
        gesehen = set()
        seite = fehlschlaege = 0
        while url and url not in gesehen:
            gesehen.add(url)
            seite += 1
            try:
                antwort = self.abruf.json(url)
                fehlschlaege = 0
            except AbrufFehler as fehler:
                fehlschlaege += 1
                if (fehler.status is not None and 400 <= fehler.status < 500) or not fehler.wiederholen:
                    self.bericht.meldungen.append(f"Liste {typ} nicht lesbar ({fehler.grund}); übersprungen.")
                    return
                self.bericht.meldungen.append(f"{typ}-Seite {seite} übersprungen: {fehler.grund}")
                self.bericht.ueberspringen(typ, "Listenseite nicht lesbar", url)
                # Without the page we do not know its next link; most servers count ?page=n. Three unreadable
                # pages in a row: the server is down, not one page broken; the rest of the list waits for a rerun.
                url = _naechste_seite(url) if fehlschlaege < 3 else None
                if url and url in gesehen:
                    return
                continue
            if isinstance(antwort, list):
                # Some servers answer a list with a bare array instead of {data, links}: one page.
                daten, url = antwort, None
            elif isinstance(antwort, dict) and isinstance(antwort.get("data"), list):
                daten = antwort["data"]
                links = antwort.get("links")
                naechste = links.get("next") if isinstance(links, dict) else None
                if naechste is not None and not isinstance(naechste, str):
                    self.bericht.meldungen.append(f"{typ}-Seite {seite}: links.next ist keine Adresse; Liste endet.")
                    naechste = None
                url = _mit_filter(naechste, self.filter if filter_ else None) if naechste else None
            elif isinstance(antwort, dict) and typ_von(antwort):
                daten, url = [antwort], None
            else:
                self.bericht.meldungen.append(f"{typ}-Seite {seite}: keine OParl-Liste; übersprungen.")
                return
            self.ausgabe(f"{typ}: Seite {seite}, {len(daten)} Objekte")
            yield daten

    def _liste(self, url, liste):
        typ = {
            "organization": "Organization",
            "person": "Person",
            "membership": "Membership",
            "locationList": "Location",
            "meeting": "Meeting",
            "paper": "Paper",
        }[liste]
        verarbeiten = {
            "Organization": self.organisation,
            "Person": self.person,
            "Membership": self.mitgliedschaft,
            "Location": self.ort,
            "Meeting": self.sitzung,
            "Paper": self.vorlage,
        }[typ]
        for seite in self._seiten_lesen(url, typ):
            self._seite(seite, typ, verarbeiten)

    def _seite(self, objekte, typ, verarbeiten):
        # One transaction per page: a failure later in the run keeps everything committed so far. First without a
        # savepoint per object (the honest page); only when an object fails, again with one per object.
        if self._seite_schnell(objekte, typ, verarbeiten):
            return
        with transaction.atomic():
            for objekt in objekte:
                self._in_seite(lambda o=objekt: self._objekt(o, typ, verarbeiten), typ, objekt)
            self._ausstehende_schreiben()
        self._geaenderte_herkuenfte.clear()

    def _objekt(self, objekt, typ, verarbeiten):
        if not isinstance(objekt, dict) or not id_von(objekt):
            raise Uebersprungen("kein OParl-Objekt (id fehlt)")
        if objekt.get("deleted") is True:
            self.loeschen(objekt, typ)
            return
        if typ_von(objekt) not in (typ, None):
            raise Uebersprungen(f"unerwarteter Typ {typ_von(objekt)}")
        verarbeiten(objekt)

    def _nur_eingebettet(self, url, typ):
        """The 1.1 lists of objects we take embedded in their Meeting or Paper: only their tombstones matter here
        (a deleted AgendaItem need not change its Meeting's list); the rest came with the parent."""
        for objekt in (o for seite in self._seiten_lesen(url, typ) for o in seite):
            oparl_id = id_von(objekt)
            if isinstance(objekt, dict) and objekt.get("deleted") is True:
                self._in_seite(lambda o=objekt: self.loeschen(o, typ), typ, objekt)
            elif oparl_id not in self.herkunft:
                self.bericht.ueberspringen(typ, "nur eingebettet in Meeting/Paper unterstützt", oparl_id)


def altbestand_zuordnen(system_url, quelle):
    """Records imported before ids were tied to their source have no ``quelle``: they belong to the source whose
    scheme and host their ids carry (the only thing a source cannot make up about another's ids)."""
    teile = urlsplit(system_url)
    praefix = f"{teile.scheme}://{teile.netloc}/"
    with transaction.atomic():
        Herkunft.objects.filter(quelle="", oparl_id__startswith=praefix).update(quelle=quelle)
        Datei.objects.filter(quelle="", oparl_id__startswith=praefix).update(quelle=quelle)


def oparl_importieren(
    *, system_url, abruf=None, seit=None, dateien=False, dienststelle=None, ausgabe=None, nichtoeffentlich_ab=None
):
    """Import everything the OParl system at ``system_url`` offers; returns the Bericht (summary).

    Not one transaction: every list page commits on its own (see the module docstring).
    """
    eigener = abruf is None
    abruf = abruf or Abruf()
    try:
        abruf.quelle(system_url)
        quelle = quelle_von(system_url)
        altbestand_zuordnen(system_url, quelle)
        importer = Importer(
            abruf=abruf,
            quelle=quelle,
            seit=seit,
            dateien=dateien,
            dienststelle=dienststelle,
            ausgabe=ausgabe,
            nichtoeffentlich_ab=nichtoeffentlich_ab,
        )
        return importer.laufen(system_url)
    finally:
        if eigener:
            abruf.schliessen()
