"""What every type's mapping shares: the Herkunft cache, writing a record, isolating an object, tombstones."""

import contextlib
import copy
import functools

from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q

from gremien.models import Ausschuss, Dienststelle
from oparlimport.lesen import Uebersprungen, id_von, klartext, web_von
from oparlimport.models import Datei, Herkunft
from sitzungen.models import Sitzung
from vorlagen.models import Vorlage
from vorlagen.services import vorlage_zurueckziehen

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


# Everything _in_seite isolates: reported as the object's reason for being skipped, the run goes on.
ISOLIERT = (Uebersprungen, ValidationError, IntegrityError, SuspiciousOperation, *FEHLERHAFT)


class Wiederholen(Exception):
    """An object failed in a page's fast pass (no savepoint per object): the page is taken back as a whole and
    replayed object by object, each in its own savepoint, so that the failing one is skipped alone."""


@functools.cache
def _fremdschluessel(modell):
    return [feld.name for feld in modell._meta.concrete_fields if feld.many_to_one or feld.one_to_one]


class Abbildung:
    """Base of the type mappings. The attributes it uses (``herkunft``, ``_ausstehend``, ``_neue_herkuenfte``,
    ``ct``, ``bericht``, ``quelle``, ``abruf`` ...) are set by ``oparlimport.services.Importer.__init__``."""

    def _in_seite(self, aufgabe, typ, objekt):
        if self._schnell:
            # No savepoint: the honest page pays one transaction, not one savepoint per object (they were half of
            # a large import's round trips). A failure takes back the whole page, which _seite then replays.
            try:
                aufgabe()
            except ISOLIERT as fehler:
                raise Wiederholen from fehler
            return
        marke = len(self._neue_herkuenfte)
        geaendert = len(self._geaenderte_herkuenfte)
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
        self._zuruecknehmen(marke, geaendert)
        self.bericht.ueberspringen(typ, grund, id_von(objekt))

    @contextlib.contextmanager
    def _sicherung(self):
        """A savepoint around a part of an object that may fail on its own (the object goes on without it); in a
        page's fast pass none: a failure there replays the page instead."""
        if not self._schnell:
            with transaction.atomic():
                yield
            return
        try:
            yield
        except ISOLIERT as fehler:
            raise Wiederholen from fehler

    def _herkunft_aendern(self, herkunft):
        """Remember a cached Herkunft's values before they change, to restore them when the change is rolled back
        (a later object, or the replay of the page, must see what the database holds)."""
        self._geaenderte_herkuenfte.append((herkunft, dict(herkunft.__dict__), dict(herkunft._state.fields_cache)))

    def _zuruecknehmen(self, marke, geaendert):
        """Take the caches back to what they were at ``marke``/``geaendert``, after a rollback to that point."""
        for oparl_id in self._neue_herkuenfte[marke:]:
            self.herkunft.pop(oparl_id, None)
            self._ausstehend.pop(oparl_id, None)
        del self._neue_herkuenfte[marke:]
        for herkunft, werte, cache in reversed(self._geaenderte_herkuenfte[geaendert:]):
            herkunft.__dict__.update(werte)
            herkunft._state.fields_cache = cache
        del self._geaenderte_herkuenfte[geaendert:]

    def _seite_schnell(self, objekte, typ, verarbeiten):
        """One list page in one transaction without a savepoint per object; False when an object failed, the
        transaction is rolled back and the caches and counts are as before."""
        marke, geaendert = len(self._neue_herkuenfte), len(self._geaenderte_herkuenfte)
        sitzungen, tops = set(self._sitzungen), set(self._tops)
        bericht = copy.deepcopy(
            (self.bericht.zahlen, self.bericht.gruende, self.bericht.beispiele, self.bericht.meldungen)
        )
        try:
            with transaction.atomic():
                self._schnell = True
                try:
                    if typ == "Paper":
                        self._nummern_vormerken(objekte)
                    for objekt in objekte:
                        self._in_seite(lambda o=objekt: self._objekt(o, typ, verarbeiten), typ, objekt)
                finally:
                    self._schnell = False
                    self._nummern = None
                self._ausstehende_schreiben()
        except Wiederholen:
            self._zuruecknehmen(marke, geaendert)
            for neu in set(self._sitzungen) - sitzungen:
                del self._sitzungen[neu]
            for neu in set(self._tops) - tops:
                del self._tops[neu]
            self.bericht.zahlen, self.bericht.gruende, self.bericht.beispiele, self.bericht.meldungen = bericht
            return False
        # Nothing to take back any more: the page is committed.
        self._geaenderte_herkuenfte.clear()
        return True

    # -- mapping helpers ------------------------------------------------------------------------------------------

    def _unveraendert(self, objekt):
        herkunft = self.herkunft.get(id_von(objekt))
        modified = klartext(objekt.get("modified"))
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
        oparl_id = id_von(objekt)
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
        neu_modified = klartext(modified if modified is not None else objekt.get("modified"))
        web = web_von(objekt)
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
                self._herkunft_aendern(herkunft)
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
        return klartext(f"{wert} (importiert)", laenge) if belegt else wert

    def _fallback_dienststelle(self):
        if self._fallback is None:
            self._fallback, _ = Dienststelle.objects.get_or_create(
                name=self.dienststelle_name, defaults={"art": Dienststelle.Art.AMT}
            )
        return self._fallback

    # -- tombstones -----------------------------------------------------------------------------------------------

    def loeschen(self, objekt, typ):
        """A ``deleted: true`` object: withdraw a Vorlage, delete others unless something protects them."""
        oparl_id = id_von(objekt)
        herkunft = self.herkunft.get(oparl_id)
        modified = klartext(objekt.get("modified"))
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
        elif isinstance(instanz, Datei) and (instanz.anlage_id or instanz.sitzungsdokument_id):
            # The downloaded copy stays for the record (a later undeletion finds it), hidden from the public.
            self._verbergen(instanz.anlage or instanz.sitzungsdokument)
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
        self._herkunft_aendern(herkunft)
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
