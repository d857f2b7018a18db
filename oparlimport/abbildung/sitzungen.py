"""Meeting and its embedded AgendaItems: number, order and publicity of each item."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from gremien.models import Ausschuss, Ort, Person
from oparlimport.abbildung.basis import Abbildung
from oparlimport.abruf import AbrufFehler
from oparlimport.lesen import Uebersprungen, grund_von, id_von, ids_von, klartext, liste_von, zeitpunkt_von
from protokoll.models import Anwesenheit
from sitzungen.models import Sitzung, Tagesordnungspunkt

PRAEFIX = re.compile(r"^(?P<art>[ÖN])\s+(?=\d)")


def ergebnis(text):
    text = (text or "").lower()
    for woerter, wert in (
        (("abgelehnt",), Tagesordnungspunkt.Ergebnis.ABGELEHNT),
        (("vertagt",), Tagesordnungspunkt.Ergebnis.VERTAGT),
        (("abgesetzt",), Tagesordnungspunkt.Ergebnis.ABGESETZT),
        (("zurückgestellt",), Tagesordnungspunkt.Ergebnis.ZURUECKGESTELLT),
        (("kenntnis",), Tagesordnungspunkt.Ergebnis.KENNTNIS_GENOMMEN),
        (("geändert", "änderung"), Tagesordnungspunkt.Ergebnis.GEAENDERT_BESCHLOSSEN),
        (("verwiesen",), Tagesordnungspunkt.Ergebnis.VERWIESEN),
        (("erledigt",), Tagesordnungspunkt.Ergebnis.ERLEDIGT),
        (
            ("beschlossen", "einstimmig", "ja-stimmen", "mehrheitlich", "zugestimmt", "angenommen"),
            Tagesordnungspunkt.Ergebnis.BESCHLOSSEN,
        ),
    ):
        if any(wort in text for wort in woerter):
            return wert
    return ""


def ergebnis_vollstaendig(text, wert):
    """Whether ``wert`` says all of ``text``: the result exactly as one of our choices reads in German (as our own
    API writes it). Anything more ("einstimmig, 0 Enthaltungen", "ohne") is kept in the Beschluss text."""
    with translation.override("de"):
        return bool(wert) and text.strip().lower() == str(Tagesordnungspunkt.Ergebnis(wert).label).lower()


class SitzungenAbbildung(Abbildung):
    """Meeting and its AgendaItems."""

    def sitzung(self, objekt):
        if self._unveraendert(objekt):
            self.bericht.zaehlen("Meeting", "unveraendert")
            return
        # Validate first: a malformed list found after writing would leave counts of a rolled-back record.
        for feld in (
            "agendaItem",
            "auxiliaryFile",
        ):
            liste_von(objekt, feld)
        ausschuss = next(
            (h for h in (self._ziel(i, Ausschuss) for i in ids_von(objekt.get("organization"))) if h), None
        )
        if ausschuss is None:
            raise Uebersprungen("kein importiertes Gremium")
        beginn = zeitpunkt_von(objekt.get("start"))
        if beginn is None:
            raise Uebersprungen("ohne Beginn")
        ende = zeitpunkt_von(objekt.get("end"))
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
                    self.bericht.ueberspringen("Location", f"nicht abrufbar: {grund_von(fehler)}", location)
                    location = None
            else:
                ort = Ort.objects.filter(pk=ziel.object_id).first()
        if isinstance(location, dict):
            try:
                with self._sicherung():
                    ort = self.ort(location, eltern=objekt)
            except (Uebersprungen, ValidationError, IntegrityError) as grund:
                self.bericht.ueberspringen("Location", f"ungültig: {str(grund)[:120]}", id_von(location))
        if objekt.get("cancelled") is True:
            status = Sitzung.Status.ABGESAGT
        elif "durchgef" in klartext(objekt.get("meetingState")).lower() or beginn < timezone.now():
            status = Sitzung.Status.ABGESCHLOSSEN
        elif "einge" in klartext(objekt.get("meetingState")).lower():
            status = Sitzung.Status.EINBERUFEN
        else:
            status = Sitzung.Status.GEPLANT
        punkte = self._tagesordnung(liste_von(objekt, "agendaItem"))
        werte = {
            "ausschuss_id": ausschuss.object_id,
            "name": klartext(objekt.get("name"), 300),
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
        eintraege += [(d, "auxiliaryFile", n) for n, d in enumerate(liste_von(objekt, "auxiliaryFile"), 1)]
        self._dateien(eintraege, sitzung=sitzung, eltern=objekt)
        self._teilnehmer(objekt, sitzung)

    def _teilnehmer(self, objekt, sitzung):
        """Meeting.participant: present, for the Persons this source delivered (one insert for all of them).

        An Anwesenheit already recorded (by the clerks, or by an earlier run) stays as it is: OParl knows only who
        took part, not who was excused or came late.
        """
        wert = objekt.get("participant")
        if wert is not None and not isinstance(wert, list):
            # Attendance is a detail of the Meeting: a malformed list costs only itself.
            grund = f"participant ist keine Liste, sondern {type(wert).__name__}"
            self.bericht.ueberspringen("Anwesenheit", grund, id_von(objekt))
            return
        personen = []
        for oparl_id in ids_von(wert):
            ziel = self._ziel(oparl_id, Person)
            if ziel is None:
                self.bericht.ueberspringen("Anwesenheit", "Person nicht importiert", oparl_id)
            elif ziel.object_id not in personen:
                personen.append(ziel.object_id)
        if personen:
            Anwesenheit.objects.bulk_create(
                [Anwesenheit(sitzung=sitzung, person_id=pk) for pk in personen], ignore_conflicts=True
            )

    def _tagesordnung(self, items):
        """Number, order and publicity of each agenda item.

        Non-public only where the source says so (``public: false``) or the operator's rule for this source names
        it: a heading such as "Nichtöffentliche Sitzung" is no statement of the source about the items after it
        (Hürtgenwald published their names), so it is not taken as one. Headings stay on the agenda as items
        without a Vorlage, with their files.
        """
        punkte, oeffentlich, vergeben = [], True, set()
        for position, item in enumerate(items, 1):
            if not isinstance(item, dict) or not id_von(item):
                continue
            name = klartext(item.get("name"))
            if self.nichtoeffentlich_ab and not item.get("consultation") and self.nichtoeffentlich_ab.fullmatch(name):
                oeffentlich = False
            # Without "order" (common) the position in the list is the order.
            reihenfolge = item["order"] if isinstance(item.get("order"), int) and item["order"] > 0 else position
            punkt_oeffentlich = item["public"] if isinstance(item.get("public"), bool) else oeffentlich
            nummer = klartext(item.get("number")).rstrip(".").strip() or str(reihenfolge)
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
                    "nummer": klartext(nummer, 20),
                    "reihenfolge": min(reihenfolge, 32767),
                }
            )
        return punkte

    def top(self, punkt, *, sitzung, eltern):
        item = punkt["objekt"]
        liste_von(item, "auxiliaryFile")
        modified = item.get("modified") or eltern.get("modified")
        titel = klartext(item.get("name"), 500) or f"TOP {punkt['nummer']}"
        ergebnistext = klartext(item.get("result"))
        wert = ergebnis(ergebnistext)
        # A result text that is more than one of our choices is kept, never lost.
        beschluss = "\n\n".join(
            t
            for t in [
                klartext(item.get("resolutionText"), zeilen=True),
                f"Ergebnis: {ergebnistext}" if ergebnistext and not ergebnis_vollstaendig(ergebnistext, wert) else "",
            ]
            if t
        )
        werte = {
            "sitzung": sitzung,
            "nummer": punkt["nummer"],
            "reihenfolge": punkt["reihenfolge"],
            "oeffentlich": punkt["oeffentlich"] and sitzung.oeffentlich,
            "titel": titel,
            "ergebnis": wert,
            "beschluss": beschluss,
        }
        top = self._speichern(Tagesordnungspunkt, item, werte, typ="AgendaItem", modified=modified)
        self._tops[top.pk] = top
        eintraege = [(item.get("resolutionFile"), "resolutionFile", 1)]
        eintraege += [(d, "auxiliaryFile", n) for n, d in enumerate(liste_von(item, "auxiliaryFile"), 2)]
        self._dateien(eintraege, sitzung=sitzung, eltern=eltern)
        return top
