"""Paper and its embedded Consultations: number, kind, Dienststelle, and the link to Sitzung and TOP."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gremien.models import Ausschuss, Dienststelle, Person
from oparlimport.abbildung.basis import Abbildung
from oparlimport.lesen import BERLIN, Uebersprungen, datum_von, id_von, ids_von, klartext, liste_von, zeitpunkt_von
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from vorlagen.models import NUMMERNKREISE, URHEBER_ARTEN, Vorlage
from vorlagen.services import urheber_setzen

# "102/2002", "7/2018 1. Ergänzung", "GRDrs 952/2021": number, year, and whatever follows as Zusatz.
REFERENZ = re.compile(r"^\s*(?:[A-Za-zÄÖÜäöüß]+\.?\s*)?(?P<nummer>\d{1,7})\s*/\s*(?P<jahr>\d{4})\b\s*(?P<zusatz>.*)$")


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


# "Neufassung", "2. Neufassung", "3. Neufassung": the marker of a Neufassung in the Zusatz, with its ordinal.
NEUFASSUNG = re.compile(r"(?:(?P<n>\d+)\s*\.\s*)?neufassung", re.I)


def neufassung_ordnung(zusatz):
    """0 for a paper without the Neufassung marker, 1 for "Neufassung", n for "n. Neufassung"."""
    treffer = NEUFASSUNG.search(zusatz or "")
    if treffer is None:
        return 0
    return int(treffer["n"]) if treffer["n"] else 1


def beratungsrolle(objekt):
    text = klartext(objekt.get("role")).lower()
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


class VorlagenAbbildung(Abbildung):
    """Paper and its Consultations."""

    def vorlage(self, objekt):
        if self._unveraendert(objekt):
            self.bericht.zaehlen("Paper", "unveraendert")
            return
        # Validate first: a malformed list found after writing would leave counts of a rolled-back record.
        for feld in (
            "consultation",
            "auxiliaryFile",
        ):
            liste_von(objekt, feld)
        herkunft = self.herkunft.get(id_von(objekt))
        if herkunft is not None and herkunft.content_type_id != self.ct[Vorlage].pk:
            herkunft = None
        # Also a Vorlage the source had deleted and now sends again: it is the same record, made public again.
        vorher = Vorlage.objects.filter(pk=herkunft.object_id).first() if herkunft else None
        referenz = klartext(objekt.get("reference"))
        datum = datum_von(objekt.get("date")) or datum_von(objekt.get("created")) or datum_von(objekt.get("modified"))
        if datum is None:
            raise Uebersprungen("ohne Datum")
        art = vorlagenart(objekt.get("paperType"))
        treffer = REFERENZ.match(referenz)
        if treffer and 1900 <= int(treffer["jahr"]) <= 2200:
            nummer, jahr, zusatz = int(treffer["nummer"]), int(treffer["jahr"]), klartext(treffer["zusatz"], 50)
        else:
            # No number we can read: Nummer 0 of the paper's year marks it, the reference is kept as Zusatz, so
            # number, search and URL still carry what the city wrote.
            nummer, jahr = 0, datum.year
            zusatz = klartext(referenz or id_von(objekt).rstrip("/").rsplit("/", 1)[-1], 50)
        if vorher is None:
            kreis = NUMMERNKREISE.get(art, art)
            gleiche_arten = [a for a, k in NUMMERNKREISE.items() if k == kreis] or [art]
            if self._nummer_belegt(gleiche_arten, jahr, nummer, zusatz):
                # The same number from another paper (two series merged into one here): keep both.
                zusatz = klartext(f"{zusatz} (OParl {id_von(objekt).rstrip('/').rsplit('/', 1)[-1]})", 50)
        veroeffentlicht = zeitpunkt_von(objekt.get("created"))
        if datum_von(objekt.get("date")):
            veroeffentlicht = datetime.datetime.combine(datum_von(objekt["date"]), datetime.time(), tzinfo=BERLIN)
        dienststelle = None
        for oparl_id in ids_von(objekt.get("underDirectionOf")) + ids_von(objekt.get("originatorOrganization")):
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
            "titel": klartext(objekt.get("name"), 500) or referenz or "Vorlage",
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
            daten={"reference": referenz, "paperType": klartext(objekt.get("paperType"))},
        )
        if vorher is None and self._nummern is not None:
            self._nummern[2].add((vorlage.art, vorlage.jahr, vorlage.nummer, vorlage.zusatz))
        ober, verwandt = ids_von(objekt.get("superordinatedPaper")), ids_von(objekt.get("relatedPaper"))
        if ober or verwandt:
            # Linked after the whole run (fassungen_verknuepfen): the other paper may come on a later page.
            self._fassungsbezuege[id_von(objekt)] = (ober, verwandt)
        self._urheber(objekt, vorlage)
        for n, beratung in enumerate(liste_von(objekt, "consultation"), 1):
            if isinstance(beratung, dict):
                self._in_seite(
                    lambda b=beratung, n=n: self.beratung(b, vorlage=vorlage, reihenfolge=n, eltern=objekt),
                    "Consultation",
                    beratung,
                )
        dateien = [("mainFile", objekt.get("mainFile"))] + [
            ("auxiliaryFile", d) for d in liste_von(objekt, "auxiliaryFile")
        ]
        self._dateien([(d, rolle, n) for n, (rolle, d) in enumerate(dateien, 1)], vorlage=vorlage, eltern=objekt)

    def _urheber(self, objekt, vorlage):
        """``originatorPerson`` and ``originatorOrganization`` as the Urheber of an Antrag or Anfrage, Persons
        first, then Fraktionen, each in the source's order (OParl keeps the two lists apart, so their mutual order
        is unknown). Persons and Organizations are imported before Papers, so their ids resolve through the
        Herkunft. Skipped with a reason: ids we never imported, Organizations that are no Fraktion (for a paper of
        the administration ``originatorOrganization`` names its Dienststelle, see ``vorlage``), and originators of
        papers that are no Antrag or Anfrage. Without any originator we know, existing Urheber stay."""
        personen_ids = ids_von(objekt.get("originatorPerson"))
        organisationen_ids = ids_von(objekt.get("originatorOrganization"))
        if not personen_ids and not organisationen_ids:
            return
        if vorlage.art not in URHEBER_ARTEN:
            if personen_ids:
                self.bericht.ueberspringen("Urheber", "Person als Urheber einer Vorlage der Verwaltung", id_von(objekt))
            return
        personen, fraktionen = [], []
        for oparl_id in personen_ids:
            ziel = self._ziel(oparl_id, Person)
            if ziel is None:
                self.bericht.ueberspringen("Urheber", "Person nicht importiert", oparl_id)
            else:
                personen.append(ziel.object_id)
        for oparl_id in organisationen_ids:
            ziel = self._ziel(oparl_id, Ausschuss, Dienststelle)
            if ziel is None:
                self.bericht.ueberspringen("Urheber", "Organisation nicht importiert", oparl_id)
            elif ziel.content_type_id == self.ct[Ausschuss].pk:
                fraktionen.append(ziel.object_id)
        gefunden_personen = Person.objects.in_bulk(personen) if personen else {}
        gefunden_fraktionen = Ausschuss.objects.in_bulk(fraktionen) if fraktionen else {}
        urheber = [gefunden_personen[pk] for pk in personen if pk in gefunden_personen]
        for pk in fraktionen:
            ausschuss = gefunden_fraktionen.get(pk)
            if ausschuss is not None and ausschuss.art == Ausschuss.Art.FRAKTION:
                urheber.append(ausschuss)
            elif ausschuss is not None:
                self.bericht.ueberspringen("Urheber", "Organisation ist keine Fraktion", id_von(objekt))
        if urheber:
            urheber_setzen(vorlage=vorlage, urheber=urheber)

    def _nummern_vormerken(self, objekte):
        """Before a Paper page's fast pass: the numbers its papers may take, read in one query instead of one per
        new Vorlage. Only for the fast pass: a rollback takes back Vorlagen this set then still holds, so the
        replay asks the database (``_nummern`` is None there)."""
        jahre, nummern = set(), {0}
        for objekt in objekte:
            if not isinstance(objekt, dict):
                continue
            treffer = REFERENZ.match(klartext(objekt.get("reference")))
            if treffer:
                jahre.add(int(treffer["jahr"]))
                nummern.add(int(treffer["nummer"]))
            for feld in ("date", "created", "modified"):
                wert = objekt.get(feld)
                if isinstance(wert, str) and wert[:4].isdigit():
                    jahre.add(int(wert[:4]))
        belegt = set(
            Vorlage.objects.filter(jahr__in=jahre, nummer__in=nummern).values_list("art", "jahr", "nummer", "zusatz")
        )
        self._nummern = (jahre, nummern, belegt)

    def _nummer_belegt(self, arten, jahr, nummer, zusatz):
        if self._nummern is not None and jahr in self._nummern[0] and nummer in self._nummern[1]:
            # Every Vorlage with this year and number was read before the page (or written in it since).
            return any((art, jahr, nummer, zusatz) in self._nummern[2] for art in arten)
        return Vorlage.objects.filter(art__in=arten, jahr=jahr, nummer=nummer, zusatz=zusatz).exists()

    def beratung(self, objekt, *, vorlage, reihenfolge, eltern):
        modified = objekt.get("modified") or eltern.get("modified")
        sitzung_ziel = self._ziel(id_von(objekt.get("meeting")), Sitzung)
        top_ziel = self._ziel(id_von(objekt.get("agendaItem")), Tagesordnungspunkt)
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
                (h.object_id for h in (self._ziel(i, Ausschuss) for i in ids_von(objekt.get("organization"))) if h),
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

    # -- versions: Neufassung and Ergänzung ---------------------------------------------------------------------

    def fassungen_verknuepfen(self):
        """The versions between imported Papers (docs/import.md): ``superordinatedPaper`` makes this paper an
        Ergänzung of that one; a ``relatedPaper`` with the same number whose Zusatz is one Neufassung earlier ("" before
        "Neufassung" before "2. Neufassung") makes it a Neufassung. Other relatedPaper (vorliegende Anträge and the
        like) stay unmapped, as before. Run once after all lists, so that papers arriving in any order find each
        other; a link to itself, to an unknown paper, a cycle or an ambiguous one is skipped with its reason."""
        for oparl_id, (ober, verwandt) in self._fassungsbezuege.items():
            herkunft = self._ziel(oparl_id, Vorlage)
            if herkunft is None:
                continue  # the paper itself was skipped; its reason is in the report already
            try:
                with transaction.atomic():
                    self._fassung_verknuepfen(herkunft.object_id, oparl_id, ober, verwandt)
            except Uebersprungen as grund:
                self.bericht.ueberspringen("Paper-Fassung", str(grund), oparl_id)
            except (ValidationError, IntegrityError) as fehler:
                meldung = " ".join(getattr(fehler, "messages", None) or [str(fehler)])
                self.bericht.ueberspringen("Paper-Fassung", meldung, oparl_id)
        self._fassungsbezuege.clear()

    def _fassung_verknuepfen(self, pk, oparl_id, ober, verwandt):
        vorlage = Vorlage.objects.select_for_update().get(pk=pk)
        if oparl_id in ober or oparl_id in verwandt:
            raise Uebersprungen("Verweis auf sich selbst")
        if ober:
            if len(set(ober)) > 1:
                raise Uebersprungen("mehrere superordinatedPaper")
            ziel = self._ziel(ober[0], Vorlage)
            if ziel is None:
                raise Uebersprungen("superordinatedPaper unbekannt oder nicht importiert")
            bezug, art = Vorlage.objects.get(pk=ziel.object_id), Vorlage.Bezugsart.ERGAENZUNG
        else:
            eigene = neufassung_ordnung(vorlage.zusatz)
            if not eigene:
                return  # relatedPaper of a paper that is no Neufassung: nothing to map
            kandidaten = {}
            for anderes in verwandt:
                ziel = self._ziel(anderes, Vorlage)
                if ziel is not None:
                    kandidaten[ziel.object_id] = anderes
            frueher = [
                v
                for v in Vorlage.objects.filter(pk__in=kandidaten, nummer=vorlage.nummer, jahr=vorlage.jahr)
                if neufassung_ordnung(v.zusatz) < eigene
            ]
            if not frueher:
                return  # no earlier version of the same number among them
            hoechste = max(neufassung_ordnung(v.zusatz) for v in frueher)
            frueher = [v for v in frueher if neufassung_ordnung(v.zusatz) == hoechste]
            if len(frueher) > 1:
                raise Uebersprungen("Neufassung nicht eindeutig (mehrere frühere Fassungen)")
            bezug, art = frueher[0], Vorlage.Bezugsart.NEUFASSUNG
        if (vorlage.bezug_id, vorlage.bezugsart) == (bezug.pk, art):
            self.bericht.zaehlen("Paper-Fassung", "unveraendert")
            return
        vorlage.bezug, vorlage.bezugsart = bezug, art
        # Validated like a clerk's link: older, not a draft, same series, no cycle (Vorlage.bezug_pruefen).
        vorlage.full_clean(validate_unique=False)
        vorlage.save(update_fields=["bezug", "bezugsart", "geaendert_am"])
        self.bericht.zaehlen("Paper-Fassung", "aktualisiert")
