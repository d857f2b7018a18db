"""The OParl importer: walks System → Body → lists and upserts into our models.

Writes go page by page (one transaction per list page, a savepoint per object): a run that breaks off keeps
every finished page, and a rerun skips what it has already seen (``Herkunft.modified`` unchanged), so it resumes.
"""

import datetime
import functools
import mimetypes
import re
from collections import Counter, defaultdict
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from oparlimport.abruf import Abruf, AbrufFehler
from oparlimport.models import Datei, Herkunft
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN, datum_im_rahmen
from sitzungen.models import Ausschuss, Beratung, Mitgliedschaft, Ort, Person, Sitzung, Tagesordnungspunkt
from vorlagen.models import NUMMERNKREISE, Anlage, Dienststelle, Vorlage
from vorlagen.services import vorlage_zurueckziehen

BERLIN = ZoneInfo("Europe/Berlin")

# "102/2002", "7/2018 1. Ergänzung", "GRDrs 952/2021": number, year, and whatever follows as Zusatz.
REFERENZ = re.compile(r"^\s*(?:[A-Za-zÄÖÜäöüß]+\.?\s*)?(?P<nummer>\d{1,7})\s*/\s*(?P<jahr>\d{4})\b\s*(?P<zusatz>.*)$")
PRAEFIX = re.compile(r"^(?P<art>[ÖN])\s+(?=\d)")


# Control characters (NUL above all, which PostgreSQL refuses in text) are removed from what the source sends;
# in one-line fields line breaks and tabs become spaces. Stripped rather than skipped: the name is still the
# source's name, and the object is not lost for an invisible character.
STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ZEILENUMBRUCH = re.compile(r"[\t\n\r\u2028\u2029]+")
DATEINAME_STAMM = 100
# What a malformed object raises in our mapping: a number where a list belongs, a too large number, a string the
# storage refuses. Caught per object, reported with its kind, so one bad object never stops the run.
FEHLERHAFT = (
    TypeError,
    ValueError,
    AttributeError,
    KeyError,
    IndexError,
    OverflowError,
    RecursionError,
    DataError,
    OSError,
)


class Uebersprungen(Exception):
    """This object cannot be imported; the reason goes into the summary and the run goes on."""


def _typ(objekt):
    typ = objekt.get("type") if isinstance(objekt, dict) else None
    return typ.rstrip("/").rsplit("/", 1)[-1] if isinstance(typ, str) else None


@functools.cache
def _fremdschluessel(modell):
    return [feld.name for feld in modell._meta.concrete_fields if feld.many_to_one or feld.one_to_one]


def _text(wert, laenge=None, *, zeilen=False):
    if isinstance(wert, list):
        wert = ", ".join(str(teil) for teil in wert if teil)
    text = STEUERZEICHEN.sub("", str(wert)) if wert is not None else ""
    if not zeilen:
        text = ZEILENUMBRUCH.sub(" ", text)
    # str.strip() also removes the trailing non-breaking spaces some vendors leave in postal codes.
    text = text.strip()
    if laenge and len(text) > laenge:
        text = text[: laenge - 1].rstrip() + "…"
    return text


def _ausserhalb(wert):
    return Uebersprungen(f"Datum {str(wert)[:40]} außerhalb von {DATUM_MIN:%d.%m.%Y} bis {DATUM_MAX:%d.%m.%Y}")


def _datum(wert):
    """A date, None for none or an unreadable one; a date outside the accepted range skips the object."""
    if not isinstance(wert, str) or len(wert) < 10:
        return None
    try:
        datum = datetime.date.fromisoformat(wert[:10])
    except ValueError:
        return None
    if not datum_im_rahmen(datum):
        raise _ausserhalb(wert)
    return datum


def _zeitpunkt(wert):
    if not isinstance(wert, str):
        return None
    try:
        zeit = datetime.datetime.fromisoformat(wert)
    except ValueError:
        return None
    zeit = zeit if timezone.is_aware(zeit) else zeit.replace(tzinfo=BERLIN)
    try:
        im_rahmen = datum_im_rahmen(zeit)
    except OverflowError:
        # 0001-01-01T00:00:00+14:00 is before year 1 in UTC: not even comparable.
        im_rahmen = False
    if not im_rahmen:
        raise _ausserhalb(wert)
    return zeit


def _grund(fehler):
    """The reason of an AbrufFehler without the address it ends with: the summary groups by reason and lists
    example ids, so the address would make every file a reason of its own."""
    grund = re.sub(r":? (?:https?|file|ftp|gopher)://\S*$", "", fehler.grund)
    return grund[:160]


def _liste_von(objekt, feld):
    """The list in ``objekt[feld]``; a number or string where OParl has a list skips the object."""
    wert = objekt.get(feld)
    if wert is None:
        return []
    if not isinstance(wert, list):
        raise Uebersprungen(f"{feld} ist keine Liste, sondern {type(wert).__name__}")
    return wert


def _ganzzahl(wert, hoechstens=2**62):
    return wert if isinstance(wert, int) and not isinstance(wert, bool) and 0 <= wert <= hoechstens else None


def sicherer_dateiname(name, mime_typ=""):
    """A bare file name of bounded length: no folders (``../``), no control or special characters."""
    name = _text(name).replace("\\", "/").rsplit("/", 1)[-1]
    stamm, punkt, endung = name.rpartition(".")
    if not punkt:
        stamm, endung = name, ""
    stamm = re.sub(r"[^\w\-. ]+", "_", stamm).strip(" ._")[:DATEINAME_STAMM].strip(" ._") or "datei"
    endung = re.sub(r"[^A-Za-z0-9]", "", endung)[:10].lower()
    if not endung:
        endung = (mimetypes.guess_extension(mime_typ or "") or "").lstrip(".")
    return f"{stamm}.{endung}" if endung else stamm


def _id(wert):
    """The id of a referenced or embedded object."""
    if isinstance(wert, dict):
        wert = wert.get("id")
    # Our Herkunft holds 500 characters; an id with control characters is no URL.
    if not isinstance(wert, str) or not wert or len(wert) > 500 or STEUERZEICHEN.search(wert):
        return None
    return wert


def _ids(wert):
    if wert is None:
        return []
    if not isinstance(wert, list):
        wert = [wert]
    return [i for i in (_id(w) for w in wert) if i]


def koordinaten(geojson):
    """``(lon, lat, vertauscht)`` of a GeoJSON point. Some vendors write [lat, lon]; for Germany the ranges tell
    (latitude 47–56, longitude 5–16 do not overlap)."""
    try:
        a, b = (float(x) for x in geojson["geometry"]["coordinates"][:2])
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if 47 <= a <= 56 and 5 <= b <= 16:
        return b, a, True
    return a, b, False


def vorlagenart(papiertyp):
    text = (papiertyp or "").lower()
    if "stellungnahme" in text:
        return Vorlage.Art.STELLUNGNAHME
    if "anfrage" in text and "beantwortung" not in text and "antwort" not in text:
        return Vorlage.Art.ANFRAGE
    if "antrag" in text:
        return Vorlage.Art.ANTRAG
    if any(wort in text for wort in ("mitteilung", "information", "bericht", "beantwortung", "antwort")):
        return Vorlage.Art.MITTEILUNGSVORLAGE
    # Beschlussvorlage, Tischvorlage, Dringlichkeitsvorlage and unknown kinds: something is to be decided.
    return Vorlage.Art.BESCHLUSSVORLAGE


def ausschussart(objekt):
    typ = _text(objekt.get("organizationType")).lower()
    name = " ".join(_text(objekt.get(f)) for f in ("name", "shortName", "classification")).lower()
    if "fraktion" in typ or typ.startswith("partei"):
        return Ausschuss.Art.FRAKTION
    if re.search(r"\b(gemeinderat|stadtrat|rat der stadt|kreistag|stadtverordnetenversammlung)\b", name):
        return Ausschuss.Art.GEMEINDERAT
    if "bezirksbeirat" in name or "bezirksvertretung" in name:
        return Ausschuss.Art.BEZIRKSBEIRAT
    if "beirat" in name:
        return Ausschuss.Art.BEIRAT
    if "ausschuss" in name or "ausschuss" in typ:
        return Ausschuss.Art.AUSSCHUSS
    return Ausschuss.Art.SONSTIGES


def ist_dienststelle(objekt):
    typ = _text(objekt.get("organizationType")).lower()
    return "dienststelle" in typ or "verwaltung" in typ


def mitgliedsrolle(rolle):
    text = (rolle or "").lower()
    leitung = any(wort in text for wort in ("vorsitz", "bürgermeister", "vorsteher"))
    if "stellv" in text and leitung:
        return Mitgliedschaft.Rolle.STELLV_VORSITZ
    if "vertret" in text or "stellv" in text:
        return Mitgliedschaft.Rolle.STELLVERTRETUNG
    if leitung:
        return Mitgliedschaft.Rolle.VORSITZ
    if "sachkundig" in text:
        return Mitgliedschaft.Rolle.SACHKUNDIG
    return Mitgliedschaft.Rolle.MITGLIED


def beratungsrolle(objekt):
    text = _text(objekt.get("role")).lower()
    for wort, rolle in (
        ("einbring", Beratung.Rolle.EINBRINGUNG),
        ("vorberat", Beratung.Rolle.VORBERATUNG),
        ("kenntnis", Beratung.Rolle.KENNTNISNAHME),
        ("anhör", Beratung.Rolle.ANHOERUNG),
        ("beschluss", Beratung.Rolle.BESCHLUSSFASSUNG),
        ("entscheid", Beratung.Rolle.BESCHLUSSFASSUNG),
    ):
        if wort in text:
            return rolle
    if objekt.get("authoritative") is True:
        return Beratung.Rolle.BESCHLUSSFASSUNG
    return Beratung.Rolle.BERATUNG


def ergebnis(text):
    text = (text or "").lower()
    for woerter, wert in (
        (("abgelehnt",), Tagesordnungspunkt.Ergebnis.ABGELEHNT),
        (("vertagt",), Tagesordnungspunkt.Ergebnis.VERTAGT),
        (("abgesetzt",), Tagesordnungspunkt.Ergebnis.ABGESETZT),
        (("zurückgestellt",), Tagesordnungspunkt.Ergebnis.ZURUECKGESTELLT),
        (("kenntnis",), Tagesordnungspunkt.Ergebnis.KENNTNIS_GENOMMEN),
        (("geändert", "änderung"), Tagesordnungspunkt.Ergebnis.GEAENDERT_BESCHLOSSEN),
        (
            ("beschlossen", "einstimmig", "ja-stimmen", "mehrheitlich", "zugestimmt", "angenommen"),
            Tagesordnungspunkt.Ergebnis.BESCHLOSSEN,
        ),
    ):
        if any(wort in text for wort in woerter):
            return wert
    return ""


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


def _web(objekt):
    """The ``web`` address of an object, if it is an http(s) URL that fits the field."""
    web = _text(objekt.get("web"))
    return web if web.startswith(("http://", "https://")) and len(web) <= 1000 else ""


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


class Importer:
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
        self._ausstehend = {}
        # Sitzungen and TOPs written in this run, by pk: their Beratungen (in the paper list, read later) need them,
        # and a query for each of the thousands of Beratungen would be a tenth of a large import's round trips.
        self._sitzungen, self._tops = {}, {}
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
        if _typ(system) != "System" or not system.get("body"):
            raise AbrufFehler(f"{system_url} ist kein OParl-System-Objekt (type System mit body fehlt).")
        version = _text(system.get("oparlVersion")) or _text(system.get("type"))
        self.ausgabe(f"OParl-System {system.get('name') or system_url} ({version})")
        for body in (b for seite in self._seiten_lesen(system["body"], "Body", filter_=False) for b in seite):
            if _typ(body) != "Body":
                self.bericht.ueberspringen("Body", "kein Body-Objekt", _id(body))
                continue
            self.ausgabe(f"Körperschaft: {body.get('name') or body.get('id')}")
            self.bericht.zaehlen("Body", "unveraendert")
            # With a membership list (OParl 1.1) referenced memberships of a Person come from it, not one by one.
            self._hat_liste_membership = bool(body.get("membership"))
            if isinstance(body.get("location"), dict):
                self._in_seite(lambda o=body["location"]: self.ort(o), "Location", body["location"])
                self._ausstehende_schreiben()
            terme = body.get("legislativeTerm")
            for term in terme if isinstance(terme, list) else [terme] if terme else []:
                self.bericht.ueberspringen("LegislativeTerm", "keine Wahlperioden bei uns", _id(term))
            for liste in [*self.LISTEN, *self.NUR_EINGEBETTET, "legislativeTermList"]:
                if body.get(liste) is not None and not isinstance(body[liste], str):
                    self.bericht.meldungen.append(f"Body: {liste} ist keine Adresse; übersprungen.")
                    body[liste] = None
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
            if body.get("legislativeTermList"):
                for term in (t for s in self._seiten_lesen(body["legislativeTermList"], "LegislativeTerm") for t in s):
                    self.bericht.ueberspringen("LegislativeTerm", "keine Wahlperioden bei uns", _id(term))
        self._ausstehende_schreiben()
        if self.dateien:
            self.dateien_herunterladen()
        return self.bericht

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
            elif isinstance(antwort, dict) and _typ(antwort):
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
        # One transaction per page: a failure later in the run keeps everything committed so far.
        with transaction.atomic():
            for objekt in objekte:
                self._in_seite(lambda o=objekt: self._objekt(o, typ, verarbeiten), typ, objekt)
            self._ausstehende_schreiben()

    def _in_seite(self, aufgabe, typ, objekt):
        marke = len(self._neue_herkuenfte)
        try:
            with transaction.atomic():
                aufgabe()
            return
        except Uebersprungen as fehler:
            grund = str(fehler)
        except (ValidationError, IntegrityError) as fehler:
            text = "; ".join(fehler.messages) if isinstance(fehler, ValidationError) else str(fehler)
            grund = f"ungültig: {text[:200]}"
        except SuspiciousOperation as fehler:
            grund = f"unzulässig: {str(fehler)[:120]}"
        except FEHLERHAFT as fehler:
            grund = f"fehlerhaft aufgebaut ({fehler.__class__.__name__}: {str(fehler)[:80]})"
        # The savepoint took back the Herkunft rows written since: so must the cache, or a later object would be
        # matched to a record that does not exist.
        for oparl_id in self._neue_herkuenfte[marke:]:
            self.herkunft.pop(oparl_id, None)
            self._ausstehend.pop(oparl_id, None)
        del self._neue_herkuenfte[marke:]
        self.bericht.ueberspringen(typ, grund, _id(objekt))

    def _objekt(self, objekt, typ, verarbeiten):
        if not isinstance(objekt, dict) or not _id(objekt):
            raise Uebersprungen("kein OParl-Objekt (id fehlt)")
        if objekt.get("deleted") is True:
            self.loeschen(objekt, typ)
            return
        if _typ(objekt) not in (typ, None):
            raise Uebersprungen(f"unerwarteter Typ {_typ(objekt)}")
        verarbeiten(objekt)

    def _nur_eingebettet(self, url, typ):
        """The 1.1 lists of objects we take embedded in their Meeting or Paper: only their tombstones matter here
        (a deleted AgendaItem need not change its Meeting's list); the rest came with the parent."""
        for objekt in (o for seite in self._seiten_lesen(url, typ) for o in seite):
            oparl_id = _id(objekt)
            if isinstance(objekt, dict) and objekt.get("deleted") is True:
                self._in_seite(lambda o=objekt: self.loeschen(o, typ), typ, objekt)
            elif oparl_id not in self.herkunft:
                self.bericht.ueberspringen(typ, "nur eingebettet in Meeting/Paper unterstützt", oparl_id)

    # -- mapping helpers ------------------------------------------------------------------------------------------

    def _unveraendert(self, objekt):
        herkunft = self.herkunft.get(_id(objekt))
        modified = _text(objekt.get("modified"))
        return herkunft is not None and modified and herkunft.modified == modified and not herkunft.geloescht

    def _ziel(self, oparl_id, *modelle):
        herkunft = self.herkunft.get(oparl_id) if oparl_id else None
        if herkunft is None or herkunft.geloescht:
            return None
        if modelle and herkunft.content_type_id not in {self.ct[m].pk for m in modelle}:
            return None
        return herkunft

    def _speichern(self, modell, objekt, werte, *, typ, modified=None, daten=None, suchen=None, vorher=None):
        """Create or update the record for ``objekt`` with ``werte``; validate first; write the Herkunft."""
        oparl_id = _id(objekt)
        herkunft = self.herkunft.get(oparl_id)
        instanz = vorher
        if instanz is None and herkunft is not None and herkunft.content_type_id == self.ct[modell].pk:
            instanz = modell.objects.filter(pk=herkunft.object_id).first()
        if instanz is None and suchen:
            # Only among the records of this source: one made by hand or delivered by another source is never
            # taken over (a name clash gives a new, marked record instead, see _frei).
            instanz = modell.objects.filter(**suchen, pk__in=self._eigene(modell)).first()
        if instanz is None:
            instanz = modell(**werte)
            art = "angelegt"
        else:
            geaendert = [feld for feld, wert in werte.items() if getattr(instanz, feld) != wert]
            for feld in geaendert:
                setattr(instanz, feld, werte[feld])
            art = "aktualisiert" if geaendert else "unveraendert"
        if art != "unveraendert":
            # Uniqueness is left to the database (a savepoint catches it): asking per object would double the
            # queries of a large import for a case the database reports just as well.
            # Foreign keys too: the importer sets them to records it has just read or written, and the database
            # checks them anyway; Django's check is one query per key (a third of a large import's time).
            instanz.full_clean(exclude=_fremdschluessel(modell), validate_unique=False, validate_constraints=False)
            instanz.save()
        neu_modified = _text(modified if modified is not None else objekt.get("modified"))
        web = _web(objekt)
        if herkunft is None:
            # Written with the rest of the page (_ausstehende_schreiben): one insert per page instead of per
            # object; the cache knows it at once.
            herkunft = Herkunft(
                quelle=self.quelle,
                content_type=self.ct[modell],
                object_id=instanz.pk,
                oparl_id=oparl_id,
                typ=typ,
                web=web,
                modified=neu_modified,
                daten=daten or {},
            )
            self.herkunft[oparl_id] = herkunft
            self._ausstehend[oparl_id] = herkunft
            self._neue_herkuenfte.append(oparl_id)
            if art == "unveraendert":
                # An existing record (same place, same number) now known by this id as well.
                art = "aktualisiert"
        else:
            felder = {
                "content_type": self.ct[modell],
                "object_id": instanz.pk,
                "modified": neu_modified,
                "geloescht": False,
                "daten": daten or {},
            }
            if web:
                # A source that stops sending web keeps the old address: the old links still exist out there.
                felder["web"] = web
            if any(getattr(herkunft, f) != w for f, w in felder.items()):
                for f, w in felder.items():
                    setattr(herkunft, f, w)
                if herkunft.pk is not None:  # a pending one is written with its new values
                    herkunft.save()
        self.bericht.zaehlen(typ, art)
        return instanz

    def _eigene(self, modell):
        gespeichert = Herkunft.objects.filter(quelle=self.quelle, content_type=self.ct[modell]).values("object_id")
        ausstehend = [h.object_id for h in self._ausstehend.values() if h.content_type_id == self.ct[modell].pk]
        if not ausstehend:
            return gespeichert
        return modell.objects.filter(Q(pk__in=gespeichert) | Q(pk__in=ausstehend)).values("pk")

    def _ausstehende_schreiben(self):
        """Write the Herkunft rows of the objects imported since the last call; outside any object's savepoint
        (a rolled-back object has already taken its own out, see _in_seite)."""
        if self._ausstehend:
            Herkunft.objects.bulk_create(self._ausstehend.values())
            self._ausstehend.clear()

    def _frei(self, modell, feld, wert, laenge, **weitere):
        """``wert`` if no record outside this source holds it in ``feld`` (with ``weitere``), else marked."""
        belegt = modell.objects.filter(**{feld: wert}, **weitere).exclude(pk__in=self._eigene(modell)).exists()
        return _text(f"{wert} (importiert)", laenge) if belegt else wert

    def _fallback_dienststelle(self):
        if self._fallback is None:
            self._fallback, _ = Dienststelle.objects.get_or_create(
                name=self.dienststelle_name, defaults={"art": Dienststelle.Art.AMT}
            )
        return self._fallback

    # -- types ----------------------------------------------------------------------------------------------------

    def organisation(self, objekt):
        if self._unveraendert(objekt):
            self.bericht.zaehlen("Organization", "unveraendert")
            return
        name = _text(objekt.get("name"), 200) or _text(objekt.get("shortName"), 200)
        if not name:
            raise Uebersprungen("ohne Namen")
        daten = {"organizationType": _text(objekt.get("organizationType"))}
        if ist_dienststelle(objekt):
            if self._ziel(_id(objekt), Dienststelle) is None:
                name = self._frei(Dienststelle, "name", name, 200)
            werte = {"name": name, "kurzname": _text(objekt.get("shortName"), 30)}
            self._speichern(
                Dienststelle,
                objekt,
                werte | {"art": Dienststelle.Art.AMT},
                typ="Organization",
                daten=daten,
                suchen={"name": name},
            )
            return
        herkunft = self._ziel(_id(objekt), Ausschuss)
        ende = _datum(objekt.get("endDate"))
        werte = {
            "name": name,
            "kurzname": _text(objekt.get("shortName"), 30),
            "art": ausschussart(objekt),
            "aktiv": ende is None or ende >= self.heute,
        }
        if herkunft is None:
            # A name taken by a record that came from elsewhere: keep both, tell them apart.
            werte["name"] = self._frei(Ausschuss, "name", name, 200)
            werte["slug"] = self._slug(werte["name"])
        self._speichern(Ausschuss, objekt, werte, typ="Organization", daten=daten)

    def _slug(self, name):
        basis = slugify(name.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"))[:90]
        basis = basis or "gremium"
        slug, n = basis, 1
        while Ausschuss.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{basis}-{n}"
        return slug

    def person(self, objekt):
        if self._unveraendert(objekt):
            self.bericht.zaehlen("Person", "unveraendert")
            return
        # Validate first: a malformed list found after writing would leave counts of a rolled-back record.
        for feld in ("membership",):
            _liste_von(objekt, feld)
        nachname = _text(objekt.get("familyName"), 100)
        vorname = _text(objekt.get("givenName"), 100)
        if not nachname:
            teile = _text(objekt.get("name")).split()
            if not teile:
                raise Uebersprungen("ohne Namen")
            nachname, vorname = teile[-1][:100], vorname or " ".join(teile[:-1])[:100]
        werte = {
            "titel": _text(
                " ".join(objekt["title"]) if isinstance(objekt.get("title"), list) else objekt.get("title"), 50
            ),
            "vorname": vorname or "–",
            "nachname": nachname,
            "email": _text(
                (objekt.get("email") or [""])[0] if isinstance(objekt.get("email"), list) else objekt.get("email"), 254
            ),
            "telefon": _text(objekt.get("phone"), 50),
        }
        # Contact data is stored, but shown only with the person's consent here (kontakt_veroeffentlichen).
        person = self._speichern(Person, objekt, werte, typ="Person")
        fraktionen = []
        for mitgliedschaft in _liste_von(objekt, "membership"):
            if isinstance(mitgliedschaft, dict):
                self._in_seite(
                    lambda m=mitgliedschaft: self.mitgliedschaft(m, person=person, eltern=objekt),
                    "Membership",
                    mitgliedschaft,
                )
                fraktionen.append(mitgliedschaft)
            elif isinstance(mitgliedschaft, str) and not self._hat_liste_membership:
                try:
                    geholt = self.abruf.json(mitgliedschaft)
                except AbrufFehler as fehler:
                    self.bericht.ueberspringen("Membership", f"nicht abrufbar: {_grund(fehler)}", mitgliedschaft)
                    continue
                self._in_seite(lambda m=geholt: self.mitgliedschaft(m, person=person), "Membership", geholt)
                fraktionen.append(geholt)
        self._fraktion_setzen(person, fraktionen)

    _hat_liste_membership = False

    def _fraktion_setzen(self, person, mitgliedschaften):
        kandidaten = []
        for m in mitgliedschaften:
            herkunft = self._ziel(_id(m.get("organization")), Ausschuss)
            if herkunft is None:
                continue
            ende = _datum(m.get("endDate"))
            kandidaten.append(
                (
                    ende is None or ende >= self.heute,
                    _datum(m.get("startDate")) or datetime.date.min,
                    herkunft.object_id,
                )
            )
        fraktion_ids = set(
            Ausschuss.objects.filter(pk__in=[k[2] for k in kandidaten], art=Ausschuss.Art.FRAKTION).values_list(
                "pk", flat=True
            )
        )
        kandidaten = sorted(k for k in kandidaten if k[2] in fraktion_ids)
        fraktion_id = kandidaten[-1][2] if kandidaten and kandidaten[-1][0] else None
        if person.fraktion_id != fraktion_id:
            person.fraktion_id = fraktion_id
            person.save(update_fields=["fraktion", "geaendert_am"])

    def mitgliedschaft(self, objekt, *, person=None, eltern=None):
        if objekt.get("deleted") is True:
            self.loeschen(objekt, "Membership")
            return
        modified = objekt.get("modified") or (eltern or {}).get("modified")
        if self.herkunft.get(_id(objekt)) and self.herkunft[_id(objekt)].modified == _text(modified):
            self.bericht.zaehlen("Membership", "unveraendert")
            return
        if person is None:
            ziel = self._ziel(_id(objekt.get("person")), Person)
            if ziel is None:
                raise Uebersprungen("Person fehlt")
            person = Person.objects.get(pk=ziel.object_id)
        ausschuss = self._ziel(_id(objekt.get("organization")), Ausschuss)
        if ausschuss is None:
            raise Uebersprungen("Gremium fehlt oder ist keins (z. B. Dienststelle)")
        beginn = _datum(objekt.get("startDate"))
        if beginn is None:
            raise Uebersprungen("ohne Beginn")
        werte = {
            "person": person,
            "ausschuss_id": ausschuss.object_id,
            "rolle": mitgliedsrolle(objekt.get("role")),
            "beginn": beginn,
            "ende": _datum(objekt.get("endDate")),
        }
        self._speichern(
            Mitgliedschaft,
            objekt,
            werte,
            typ="Membership",
            modified=modified,
            daten={"role": _text(objekt.get("role"))} if objekt.get("role") else None,
        )

    def ort(self, objekt, *, eltern=None):
        if not isinstance(objekt, dict):
            raise Uebersprungen("kein Location-Objekt")
        modified = objekt.get("modified") or (eltern or {}).get("modified")
        herkunft = self.herkunft.get(_id(objekt))
        if herkunft and herkunft.modified == _text(modified) and not herkunft.geloescht:
            self.bericht.zaehlen("Location", "unveraendert")
            return Ort.objects.filter(pk=herkunft.object_id).first()
        strasse = _text(objekt.get("streetAddress"), 200)
        plz = _text(objekt.get("postalCode"), 10)
        ort = _text(objekt.get("locality"), 100)
        raum = _text(objekt.get("room"), 100)
        anschrift = ", ".join(t for t in [strasse, f"{plz} {ort}".strip()] if t)
        bezeichnung = _text(objekt.get("description"), 200) or raum or anschrift
        if not bezeichnung:
            raise Uebersprungen("ohne Beschreibung und Anschrift")
        daten = {}
        if objekt.get("geojson"):
            punkt = koordinaten(objekt["geojson"])
            daten["geojson"] = objekt["geojson"]
            if punkt:
                # We have no geo fields yet; the point is kept here in GeoJSON order [lon, lat].
                daten["koordinaten"] = [punkt[0], punkt[1]]
                daten["vertauscht"] = punkt[2]
        if herkunft is None or herkunft.geloescht:
            bezeichnung = self._frei(Ort, "bezeichnung", bezeichnung, 200, raum=raum)
        werte = {"bezeichnung": bezeichnung, "raum": raum, "strasse": strasse, "postleitzahl": plz, "ort": ort}
        # Two source locations with the same name and room are one Ort here (ort_eindeutig).
        return self._speichern(
            Ort,
            objekt,
            werte,
            typ="Location",
            modified=modified,
            daten=daten,
            suchen={"bezeichnung": bezeichnung, "raum": raum},
        )

    def sitzung(self, objekt):
        if self._unveraendert(objekt):
            self.bericht.zaehlen("Meeting", "unveraendert")
            return
        # Validate first: a malformed list found after writing would leave counts of a rolled-back record.
        for feld in (
            "agendaItem",
            "auxiliaryFile",
        ):
            _liste_von(objekt, feld)
        ausschuss = next((h for h in (self._ziel(i, Ausschuss) for i in _ids(objekt.get("organization"))) if h), None)
        if ausschuss is None:
            raise Uebersprungen("kein importiertes Gremium")
        beginn = _zeitpunkt(objekt.get("start"))
        if beginn is None:
            raise Uebersprungen("ohne Beginn")
        ende = _zeitpunkt(objekt.get("end"))
        if ende is not None and ende <= beginn:
            ende = None  # "ends when it begins" is a placeholder; our constraint wants an end after the start
        ort = None
        location = objekt.get("location")
        if isinstance(location, str):
            ziel = self._ziel(location, Ort)
            if ziel is None:
                try:
                    location = self.abruf.json(location)
                except AbrufFehler as fehler:
                    self.bericht.ueberspringen("Location", f"nicht abrufbar: {_grund(fehler)}", location)
                    location = None
            else:
                ort = Ort.objects.filter(pk=ziel.object_id).first()
        if isinstance(location, dict):
            with transaction.atomic():
                try:
                    ort = self.ort(location, eltern=objekt)
                except (Uebersprungen, ValidationError, IntegrityError) as grund:
                    self.bericht.ueberspringen("Location", f"ungültig: {str(grund)[:120]}", _id(location))
        if objekt.get("cancelled") is True:
            status = Sitzung.Status.ABGESAGT
        elif "durchgef" in _text(objekt.get("meetingState")).lower() or beginn < timezone.now():
            status = Sitzung.Status.ABGESCHLOSSEN
        elif "einge" in _text(objekt.get("meetingState")).lower():
            status = Sitzung.Status.EINBERUFEN
        else:
            status = Sitzung.Status.GEPLANT
        punkte = self._tagesordnung(_liste_von(objekt, "agendaItem"))
        werte = {
            "ausschuss_id": ausschuss.object_id,
            "name": _text(objekt.get("name"), 300),
            "beginn": beginn,
            "ende": ende,
            "ort": ort,
            "status": status,
            # A Sitzung with only non-public items is non-public; our TOPs may not be public in one.
            "oeffentlich": not punkte or any(p["oeffentlich"] for p in punkte),
        }
        sitzung = self._speichern(Sitzung, objekt, werte, typ="Meeting")
        self._sitzungen[sitzung.pk] = sitzung
        for punkt in punkte:
            self._in_seite(lambda p=punkt: self.top(p, sitzung=sitzung, eltern=objekt), "AgendaItem", punkt["objekt"])
        eintraege = [(objekt.get(rolle), rolle, 1) for rolle in ("invitation", "resultsProtocol", "verbatimProtocol")]
        eintraege += [(d, "auxiliaryFile", n) for n, d in enumerate(_liste_von(objekt, "auxiliaryFile"), 1)]
        self._dateien(eintraege, sitzung=sitzung, eltern=objekt)

    def _tagesordnung(self, items):
        """Number, order and publicity of each agenda item.

        Non-public only where the source says so (``public: false``) or the operator's rule for this source names
        it: a heading such as "Nichtöffentliche Sitzung" is no statement of the source about the items after it
        (Hürtgenwald published their names), so it is not taken as one. Headings stay on the agenda as items
        without a Vorlage, with their files.
        """
        punkte, oeffentlich, vergeben = [], True, set()
        for position, item in enumerate(items, 1):
            if not isinstance(item, dict) or not _id(item):
                continue
            name = _text(item.get("name"))
            if self.nichtoeffentlich_ab and not item.get("consultation") and self.nichtoeffentlich_ab.fullmatch(name):
                oeffentlich = False
            # Without "order" (common) the position in the list is the order.
            reihenfolge = item["order"] if isinstance(item.get("order"), int) and item["order"] > 0 else position
            punkt_oeffentlich = item["public"] if isinstance(item.get("public"), bool) else oeffentlich
            nummer = _text(item.get("number")).rstrip(".").strip() or str(reihenfolge)
            # Our own API (and others) write "Ö 3" / "N 1"; the prefix is the publicity, not part of the number.
            praefix = PRAEFIX.match(nummer)
            if praefix and (praefix["art"] == "Ö") == punkt_oeffentlich:
                nummer = nummer[praefix.end() :]
            if (punkt_oeffentlich, nummer) in vergeben:
                nummer = f"{nummer} ({reihenfolge})"
            vergeben.add((punkt_oeffentlich, nummer))
            punkte.append(
                {
                    "objekt": item,
                    "oeffentlich": punkt_oeffentlich,
                    "nummer": _text(nummer, 20),
                    "reihenfolge": min(reihenfolge, 32767),
                }
            )
        return punkte

    def top(self, punkt, *, sitzung, eltern):
        item = punkt["objekt"]
        _liste_von(item, "auxiliaryFile")
        modified = item.get("modified") or eltern.get("modified")
        titel = _text(item.get("name"), 500) or f"TOP {punkt['nummer']}"
        ergebnistext = _text(item.get("result"))
        beschluss = "\n\n".join(
            t
            for t in [
                _text(item.get("resolutionText"), zeilen=True),
                f"Ergebnis: {ergebnistext}" if ergebnistext else "",
            ]
            if t
        )
        werte = {
            "sitzung": sitzung,
            "nummer": punkt["nummer"],
            "reihenfolge": punkt["reihenfolge"],
            "oeffentlich": punkt["oeffentlich"] and sitzung.oeffentlich,
            "titel": titel,
            "ergebnis": ergebnis(ergebnistext),
            "beschluss": beschluss,
        }
        top = self._speichern(Tagesordnungspunkt, item, werte, typ="AgendaItem", modified=modified)
        self._tops[top.pk] = top
        eintraege = [(item.get("resolutionFile"), "resolutionFile", 1)]
        eintraege += [(d, "auxiliaryFile", n) for n, d in enumerate(_liste_von(item, "auxiliaryFile"), 2)]
        self._dateien(eintraege, sitzung=sitzung, eltern=eltern)
        return top

    def vorlage(self, objekt):
        if self._unveraendert(objekt):
            self.bericht.zaehlen("Paper", "unveraendert")
            return
        # Validate first: a malformed list found after writing would leave counts of a rolled-back record.
        for feld in (
            "consultation",
            "auxiliaryFile",
        ):
            _liste_von(objekt, feld)
        herkunft = self.herkunft.get(_id(objekt))
        if herkunft is not None and herkunft.content_type_id != self.ct[Vorlage].pk:
            herkunft = None
        # Also a Vorlage the source had deleted and now sends again: it is the same record, made public again.
        vorher = Vorlage.objects.filter(pk=herkunft.object_id).first() if herkunft else None
        referenz = _text(objekt.get("reference"))
        datum = _datum(objekt.get("date")) or _datum(objekt.get("created")) or _datum(objekt.get("modified"))
        if datum is None:
            raise Uebersprungen("ohne Datum")
        art = vorlagenart(objekt.get("paperType"))
        treffer = REFERENZ.match(referenz)
        if treffer and 1900 <= int(treffer["jahr"]) <= 2200:
            nummer, jahr, zusatz = int(treffer["nummer"]), int(treffer["jahr"]), _text(treffer["zusatz"], 50)
        else:
            # No number we can read: Nummer 0 of the paper's year marks it, the reference is kept as Zusatz, so
            # number, search and URL still carry what the city wrote.
            nummer, jahr = 0, datum.year
            zusatz = _text(referenz or _id(objekt).rstrip("/").rsplit("/", 1)[-1], 50)
        if vorher is None:
            kreis = NUMMERNKREISE.get(art, art)
            gleiche_arten = [a for a, k in NUMMERNKREISE.items() if k == kreis] or [art]
            if Vorlage.objects.filter(art__in=gleiche_arten, jahr=jahr, nummer=nummer, zusatz=zusatz).exists():
                # The same number from another paper (two series merged into one here): keep both.
                zusatz = _text(f"{zusatz} (OParl {_id(objekt).rstrip('/').rsplit('/', 1)[-1]})", 50)
        veroeffentlicht = _zeitpunkt(objekt.get("created"))
        if _datum(objekt.get("date")):
            veroeffentlicht = datetime.datetime.combine(_datum(objekt["date"]), datetime.time(), tzinfo=BERLIN)
        dienststelle = None
        for oparl_id in _ids(objekt.get("underDirectionOf")) + _ids(objekt.get("originatorOrganization")):
            ziel = self._ziel(oparl_id, Dienststelle)
            if ziel:
                dienststelle = ziel.object_id
                break
        werte = {
            "art": art,
            "nummer": nummer,
            "jahr": jahr,
            "zusatz": zusatz,
            "datum": datum,
            "titel": _text(objekt.get("name"), 500) or referenz or "Vorlage",
            "dienststelle_id": dienststelle or self._fallback_dienststelle().pk,
            "status": Vorlage.Status.VEROEFFENTLICHT,
            "veroeffentlicht_am": veroeffentlicht or timezone.now(),
            "oeffentlich": True,
        }
        if vorher is not None:
            if not herkunft.geloescht:
                # Withdrawn or made non-public here by a clerk stays so; hidden because the source had deleted it
                # is undone (the source publishes it again).
                werte["oeffentlich"] = vorher.oeffentlich
                if vorher.status == Vorlage.Status.ZURUECKGEZOGEN:
                    werte["status"] = vorher.status
            # The number is part of a published Vorlage's permanent URL: it is not changed by a later run.
            for feld in ("art", "nummer", "jahr", "zusatz", "veroeffentlicht_am"):
                werte[feld] = getattr(vorher, feld)
        vorlage = self._speichern(
            Vorlage,
            objekt,
            werte,
            typ="Paper",
            vorher=vorher,
            daten={"reference": referenz, "paperType": _text(objekt.get("paperType"))},
        )
        for n, beratung in enumerate(_liste_von(objekt, "consultation"), 1):
            if isinstance(beratung, dict):
                self._in_seite(
                    lambda b=beratung, n=n: self.beratung(b, vorlage=vorlage, reihenfolge=n, eltern=objekt),
                    "Consultation",
                    beratung,
                )
        dateien = [("mainFile", objekt.get("mainFile"))] + [
            ("auxiliaryFile", d) for d in _liste_von(objekt, "auxiliaryFile")
        ]
        self._dateien([(d, rolle, n) for n, (rolle, d) in enumerate(dateien, 1)], vorlage=vorlage, eltern=objekt)

    def beratung(self, objekt, *, vorlage, reihenfolge, eltern):
        modified = objekt.get("modified") or eltern.get("modified")
        sitzung_ziel = self._ziel(_id(objekt.get("meeting")), Sitzung)
        top_ziel = self._ziel(_id(objekt.get("agendaItem")), Tagesordnungspunkt)
        sitzung = top = None
        if sitzung_ziel:
            sitzung = self._sitzungen.get(sitzung_ziel.object_id)
            sitzung = sitzung or Sitzung.objects.filter(pk=sitzung_ziel.object_id).first()
        if top_ziel:
            top = self._tops.get(top_ziel.object_id) or Tagesordnungspunkt.objects.filter(pk=top_ziel.object_id).first()
        if top is not None and sitzung is not None and top.sitzung_id != sitzung.pk:
            top = None
        if sitzung is not None:
            # The Sitzung's committee is the one that deliberates; our Beratung insists on it.
            ausschuss_id = sitzung.ausschuss_id
        else:
            ausschuss_id = next(
                (h.object_id for h in (self._ziel(i, Ausschuss) for i in _ids(objekt.get("organization"))) if h),
                None,
            )
        if ausschuss_id is None:
            raise Uebersprungen("weder Sitzung noch Gremium importiert")
        werte = {
            "vorlage": vorlage,
            "ausschuss_id": ausschuss_id,
            "rolle": beratungsrolle(objekt),
            "oeffentlich": top.oeffentlich if top else True,
            "termin": timezone.localdate(sitzung.beginn) if sitzung else None,
            "sitzung": sitzung,
            "tagesordnungspunkt": top,
            "reihenfolge": reihenfolge,
            "ergebnis": top.ergebnis if top else "",
        }
        self._speichern(Beratung, objekt, werte, typ="Consultation", modified=modified)
        if top is not None:
            # The agenda's view of the same fact (see docs: TOP.vorlagen and Beratung).
            top.vorlagen.add(vorlage)

    def _dateien(self, eintraege, *, eltern, vorlage=None, sitzung=None):
        """The files of a Paper, Meeting or AgendaItem. New ones are written in bulk: they are the bulk of a large
        import (three per Vorlage in Hürtgenwald), and one savepoint and two inserts each would dominate its time."""
        neu = {}
        for objekt, rolle, reihenfolge in eintraege:
            if not isinstance(objekt, dict) or not _id(objekt):
                continue
            kwargs = {"rolle": rolle, "reihenfolge": reihenfolge, "vorlage": vorlage, "sitzung": sitzung}
            if _id(objekt) in neu:
                continue  # the same File twice in one object (e.g. invitation and auxiliaryFile): once is enough
            if _id(objekt) in self.herkunft:
                self._in_seite(lambda o=objekt, k=kwargs: self.datei(o, eltern=eltern, **k), "File", objekt)
                continue
            try:
                datei = Datei(**self._datei_werte(objekt, **kwargs))
                datei.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as fehler:
                self.bericht.ueberspringen("File", f"ungültig: {'; '.join(fehler.messages)[:200]}", _id(objekt))
                continue
            except Uebersprungen as grund:
                self.bericht.ueberspringen("File", str(grund), _id(objekt))
                continue
            neu[_id(objekt)] = (datei, _text(objekt.get("modified") or eltern.get("modified")))
        if not neu:
            return
        with transaction.atomic():
            Datei.objects.bulk_create([datei for datei, _ in neu.values()])
            herkuenfte = Herkunft.objects.bulk_create(
                Herkunft(
                    quelle=self.quelle,
                    content_type=self.ct[Datei],
                    object_id=datei.pk,
                    oparl_id=datei.oparl_id,
                    typ="File",
                    modified=modified,
                )
                for datei, modified in neu.values()
            )
        for herkunft in herkuenfte:
            self.herkunft[herkunft.oparl_id] = herkunft
            self._neue_herkuenfte.append(herkunft.oparl_id)
            self.bericht.zaehlen("File", "angelegt")

    def _datei_werte(self, objekt, *, rolle, reihenfolge, vorlage, sitzung):
        access_url = _text(objekt.get("accessUrl"), 1000)
        download_url = _text(objekt.get("downloadUrl"), 1000)
        dateiname = _text(objekt.get("fileName")) or PurePosixPath(urlsplit(download_url or access_url).path).name
        mime_typ = _text(objekt.get("mimeType"), 100)
        return {
            "quelle": self.quelle,
            "oparl_id": _id(objekt),
            "vorlage": vorlage,
            "sitzung": sitzung,
            "rolle": rolle,
            "reihenfolge": reihenfolge,
            "name": _text(objekt.get("name"), 500),
            "dateiname": sicherer_dateiname(dateiname, mime_typ) if dateiname else "",
            "mime_typ": mime_typ,
            "datum": _datum(objekt.get("date")),
            "groesse": _ganzzahl(objekt.get("size")),
            "access_url": access_url,
            "download_url": download_url,
        }

    def datei(self, objekt, *, rolle, reihenfolge, eltern, vorlage=None, sitzung=None):
        modified = objekt.get("modified") or eltern.get("modified")
        werte = self._datei_werte(objekt, rolle=rolle, reihenfolge=reihenfolge, vorlage=vorlage, sitzung=sitzung)
        herkunft = self.herkunft.get(_id(objekt))
        wieder_da = herkunft is not None and herkunft.geloescht
        datei = self._speichern(Datei, objekt, werte, typ="File", modified=modified)
        if wieder_da and datei.anlage_id and not datei.anlage.oeffentlich:
            # Hidden because the source had deleted the file (see loeschen): public again with it.
            datei.anlage.oeffentlich = True
            datei.anlage.full_clean(validate_unique=False, validate_constraints=False)
            datei.anlage.save(update_fields=["oeffentlich", "geaendert_am"])

    def dateien_herunterladen(self):
        """Download the files of Vorlagen that have no Anlage yet, also those of earlier runs without --dateien.

        One transaction per file: a download that breaks off loses nothing already stored.
        """
        offen = Datei.objects.filter(quelle=self.quelle, vorlage__isnull=False, anlage__isnull=True).select_related(
            "vorlage"
        )
        for datei in offen.iterator():
            self._in_seite(lambda d=datei: self.herunterladen(d), "File", {"id": datei.oparl_id})

    def herunterladen(self, datei):
        url = datei.download_url or datei.access_url
        if not url:
            raise Uebersprungen("weder accessUrl noch downloadUrl")
        try:
            inhalt = self.abruf.bytes(url)
        except AbrufFehler as fehler:
            self.bericht.ueberspringen("File", f"Inhalt nicht abrufbar: {_grund(fehler)}", datei.oparl_id)
            return
        # Again here: rows of runs before names were made safe may still hold "../" or 296 characters.
        name = sicherer_dateiname(datei.dateiname or "datei", datei.mime_typ)
        anlage = Anlage(vorlage=datei.vorlage, titel=_text(datei.name or name, 300), reihenfolge=datei.reihenfolge)
        anlage.datei = ContentFile(inhalt, name=name)
        anlage.full_clean()
        anlage.save()
        datei.anlage = anlage
        datei.save(update_fields=["anlage", "geaendert_am"])
        self.bericht.zaehlen("Anlage", "angelegt")

    # -- tombstones -----------------------------------------------------------------------------------------------

    def loeschen(self, objekt, typ):
        """A ``deleted: true`` object: withdraw a Vorlage, delete others unless something protects them."""
        oparl_id = _id(objekt)
        herkunft = self.herkunft.get(oparl_id)
        modified = _text(objekt.get("modified"))
        if herkunft is None:
            self.bericht.ueberspringen(typ, "gelöscht, bei uns nie importiert")
            return
        if herkunft.geloescht and herkunft.modified == modified:
            self.bericht.zaehlen(typ, "unveraendert")
            return
        instanz = herkunft.content_type.model_class().objects.filter(pk=herkunft.object_id).first()
        if isinstance(instanz, Vorlage):
            # Withdrawn, as a record for the clerks, and out of the public view: the source no longer publishes
            # it, so neither do we - our own API then answers it as deleted (a tombstone), as the source does.
            if instanz.status == Vorlage.Status.VEROEFFENTLICHT:
                vorlage_zurueckziehen(vorlage=instanz)
            self._verbergen(instanz)
        elif isinstance(instanz, Datei) and instanz.anlage_id:
            # The downloaded copy stays for the record (a later undeletion finds it), hidden from the public.
            self._verbergen(instanz.anlage)
        elif instanz is not None and not (herkunft.typ == "AgendaItem" and isinstance(instanz, Sitzung)):
            try:
                with transaction.atomic():
                    instanz.delete()
            except models.ProtectedError:
                # Something refers to it (a Beratung to a Sitzung, Sitzungen to an Ausschuss): keep the record,
                # the Herkunft says it is gone at the source.
                if isinstance(instanz, Ausschuss) and instanz.aktiv:
                    instanz.aktiv = False
                    instanz.save(update_fields=["aktiv", "geaendert_am"])
        herkunft.geloescht = True
        herkunft.modified = modified
        if herkunft.pk is not None:
            herkunft.save(update_fields=["geloescht", "modified", "geaendert_am"])
        self.bericht.zaehlen(typ, "geloescht")

    def _verbergen(self, instanz):
        if instanz.oeffentlich:
            instanz.oeffentlich = False
            instanz.full_clean(validate_unique=False, validate_constraints=False)
            instanz.save(update_fields=["oeffentlich", "geaendert_am"])


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
