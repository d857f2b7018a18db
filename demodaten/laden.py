"""Load the demo data into the database: one transaction, validated, idempotent.

Every object is found by its natural key (Ausschuss slug, Dienststelle name, Ort Bezeichnung + Raum, Vorlage
Kennung, Anlage Vorlage + Titel, Beratung Vorlage + Reihenfolge, Sitzung Ausschuss + Beginn, TOP Sitzung +
öffentlich + Nummer, Sitzungsdokument Sitzung + Titel, Person Vorname + Nachname, Mitgliedschaft Person + Ausschuss
+ Rolle + Beginn). A missing
object is created, one that differs from the data is updated, and one that matches is not written at all: a second
run writes nothing. Nothing is deleted, and a Person's user account is left alone (the demo accounts are made by
``zugaenge``). Writes with side effects go through the services (publishing, withdrawal, the Beratungsfolge).
"""

import datetime
import mimetypes
from collections import Counter
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from demodaten import dokumente as dokumentdaten
from demodaten import gremien, pdf
from demodaten import mitzeichnung as mitzeichnungsdaten
from demodaten import personen as personendaten
from demodaten import sitzungen as sitzungsdaten
from demodaten import vorlagen as vorlagendaten
from demodaten import vorrat as vorratdaten
from demodaten.abonnements import abonnements_laden
from demodaten.einberufung import einberufung_laden
from demodaten.fassungen import fassungen_laden
from demodaten.kalender import Kalender, montag_der_woche
from demodaten.niederschrift import niederschrift_laden
from demodaten.protokoll import protokolle_laden
from gremien.models import Ausschuss, Dienststelle, Mitgliedschaft, Ort, Person, Wahlperiode
from gremien.services import foto_setzen, wahlperiode_speichern
from protokoll.models import Sitzungsdokument, sitzungsdokument_pfad
from protokoll.services import sitzungsdokument_text_aktualisieren
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from sitzungen.services import beratungsfolge_abgleichen
from vorlagen.models import Anlage, Vorlage, anlage_pfad
from vorlagen.services import (
    anlage_text_aktualisieren,
    urheber_setzen,
    vorlage_veroeffentlichen,
    vorlage_zurueckziehen,
)

# Any Monday: the data is evaluated once against it to learn where the marker Vorlage sits in the calendar.
_PROBE_MONTAG = datetime.date(2001, 1, 1)


class DemodatenFehler(Exception):
    """The demo data cannot be loaded: the data modules contradict each other, or the database holds the data
    of a run for another week."""


@dataclass
class Ergebnis:
    wochenbeginn: datetime.date
    aus_frueherem_lauf: bool
    angelegt: Counter = field(default_factory=Counter)
    geaendert: Counter = field(default_factory=Counter)

    @property
    def geschrieben(self):
        return sum(self.angelegt.values()) + sum(self.geaendert.values())


def wochenbeginn_bestimmen(*, stichtag=None, heute=None):
    """The Monday the relative dates count from, and whether it was taken from an earlier run.

    The date of the marker Vorlage of an earlier run gives that run's Monday back, so the data keeps its dates;
    otherwise it is the Monday of ``stichtag`` or of this week. A ``stichtag`` in another week than the earlier
    run's is refused: the Sitzungen are keyed by their start, so it would add a second set beside the first.
    """
    probe = _eintrag(vorlagendaten.vorlagen(Kalender(_PROBE_MONTAG)), vorlagendaten.MARKER)
    abstand = probe["datum"] - _PROBE_MONTAG
    frueher = (
        Vorlage.objects.filter(art=probe["art"], nummer=probe["nummer"], zusatz="", titel=probe["titel"])
        .order_by("-datum")
        .values_list("datum", flat=True)
        .first()
    )
    if frueher is not None and (frueher - abstand).weekday() == 0:
        montag = frueher - abstand
        if stichtag is not None and montag_der_woche(stichtag) != montag:
            raise DemodatenFehler(
                f"Die Demodaten wurden schon für die Woche ab {montag:%d.%m.%Y} geladen; ein anderer Stichtag "
                "geht nur auf einer leeren Datenbank."
            )
        return montag, True
    return montag_der_woche(stichtag or heute or timezone.localdate()), False


@transaction.atomic
def alle_vorlagen(kal):
    """Every Vorlage of the demo: those of ``demodaten.vorlagen`` and the one waiting in a pool (``vorrat``)."""
    return [*vorlagendaten.vorlagen(kal), *vorratdaten.vorlagen(kal)]


def demodaten_laden(*, stichtag=None, jetzt=None) -> Ergebnis:
    jetzt = jetzt or timezone.now()
    montag, aus_frueherem_lauf = wochenbeginn_bestimmen(stichtag=stichtag, heute=timezone.localdate(jetzt))
    kal = Kalender(montag)
    vorlagen = alle_vorlagen(kal)
    sitzungen = sitzungsdaten.sitzungen(kal)
    personen = personendaten.personen(kal)
    pruefen(vorlagen, sitzungen)
    personen_pruefen(personen, gremien.ausschuesse())

    lauf = _Lauf(Ergebnis(wochenbeginn=montag, aus_frueherem_lauf=aus_frueherem_lauf), jetzt=jetzt)
    ausschuesse = lauf.ausschuesse(gremien.ausschuesse())
    dienststellen = lauf.dienststellen(gremien.dienststellen())
    orte = lauf.orte(gremien.orte())
    lauf.wahlperioden(personendaten.wahlperioden(montag))
    # The people of the Dienststellen who decide the routes of Mitzeichnung and Freigabe (issue 19).
    lauf.konten = mitzeichnungsdaten.konten_laden(lauf.ergebnis, dienststellen=dienststellen)
    # The people first: an Antrag or Anfrage is published with its signatories (Urheber).
    lauf.personen(personen, ausschuesse)
    vorlagen_nach_schluessel = lauf.vorlagen(vorlagen, dienststellen, ausschuesse)
    mitzeichnungsdaten.entwuerfe_laden(
        lauf.ergebnis, vorlagen=vorlagen_nach_schluessel, dienststellen=dienststellen, konten=lauf.konten, jetzt=jetzt
    )
    lauf.anlagen(vorlagen, vorlagen_nach_schluessel)
    lauf.beratungen(vorlagen, vorlagen_nach_schluessel, ausschuesse)
    angelegte_sitzungen = lauf.sitzungen(sitzungen, ausschuesse, orte, vorlagen_nach_schluessel)
    lauf.sitzungsdokumente(dokumentdaten.dokumente(kal), ausschuesse)
    # The record of two past Sitzungen, once the people who attended them are there.
    protokolle_laden(lauf.ergebnis, ausschuesse=ausschuesse)
    # The Einladung of the seed's Sitzung, sent in time (issue 18).
    einberufung_laden(lauf.ergebnis, ausschuesse=ausschuesse)
    # An Einladung and a Nachtrag of next week's Verwaltungsausschuss: two versions of its agenda (issue 19).
    fassungen_laden(lauf.ergebnis, ausschuesse=ausschuesse)
    if lauf.ergebnis.geschrieben:
        # Only when something changed: the service saves every Beratung it ties, and a rerun writes nothing.
        for sitzung in angelegte_sitzungen:
            beratungsfolge_abgleichen(sitzung=sitzung)
    niederschrift_laden(kal, lauf.ergebnis)
    # The agenda from the pool: an Annahmeschluss and a Vorlage waiting in the pool (issue 19).
    vorratdaten.vorrat_laden(lauf.ergebnis, kal=kal, ausschuesse=ausschuesse)
    # A citizen following the Gemeinderat by e-mail (issue 18).
    abonnements_laden(lauf.ergebnis, jetzt=jetzt)
    return lauf.ergebnis


def _eintrag(vorlagen, schluessel):
    return next(eintrag for eintrag in vorlagen if eintrag["schluessel"] == schluessel)


def pruefen(vorlagen, sitzungen):
    """Check the data modules agree with each other before anything is written."""
    schluessel = Counter(eintrag["schluessel"] for eintrag in vorlagen)
    doppelt = [name for name, anzahl in schluessel.items() if anzahl > 1]
    if doppelt:
        raise DemodatenFehler(f"Doppelte Schlüssel: {doppelt}")
    nach_schluessel = {eintrag["schluessel"]: eintrag for eintrag in vorlagen}
    for eintrag in vorlagen:
        for verweis in eintrag["vorliegende"] + eintrag["erledigte"] + [eintrag["bezug"] or eintrag["schluessel"]]:
            if verweis not in nach_schluessel:
                raise DemodatenFehler(f"{eintrag['schluessel']} verweist auf unbekannte Vorlage {verweis}.")
        if eintrag["anfrage"]:
            frueher = [e["schluessel"] for e in vorlagen[: vorlagen.index(eintrag)]]
            if eintrag["anfrage"] not in frueher:
                raise DemodatenFehler(f"{eintrag['schluessel']} beantwortet {eintrag['anfrage']}: davor aufführen.")
    for sitzung in sitzungen:
        tag = timezone.localdate(sitzung["beginn"])
        if not sitzung["oeffentlich"] and sitzung["oe"]:
            raise DemodatenFehler(f"Nichtöffentliche Sitzung {sitzung['ausschuss']} {tag} hat öffentliche TOPs.")
        for top in sitzung["oe"] + sitzung["n"]:
            for verweis in top["vorlagen"]:
                if verweis not in nach_schluessel:
                    raise DemodatenFehler(f"TOP in {sitzung['ausschuss']} {tag}: unbekannte Vorlage {verweis}.")
                passend = [
                    beratung
                    for beratung in nach_schluessel[verweis]["beratungen"]
                    if beratung["ausschuss"] == sitzung["ausschuss"] and beratung["termin"] == tag
                ]
                if len(passend) != 1:
                    raise DemodatenFehler(
                        f"{verweis} braucht genau eine geplante Beratung in {sitzung['ausschuss']} am {tag}."
                    )


def personen_pruefen(personen, ausschuesse):
    """Check the people refer to known committees and Fraktionen, once each, before anything is written."""
    arten = {ausschuss["slug"]: ausschuss["art"] for ausschuss in ausschuesse}
    namen = Counter((eintrag["vorname"], eintrag["nachname"]) for eintrag in personen)
    doppelt = [" ".join(name) for name, anzahl in namen.items() if anzahl > 1]
    if doppelt:
        raise DemodatenFehler(f"Doppelte Personen: {doppelt}")
    for eintrag in personen:
        name = f"{eintrag['vorname']} {eintrag['nachname']}"
        if eintrag["fraktion"] is not None and arten.get(eintrag["fraktion"]) != Ausschuss.Art.FRAKTION:
            raise DemodatenFehler(f"{name}: {eintrag['fraktion']} ist keine Fraktion der Demodaten.")
        sitze = Counter((sitz["ausschuss"], sitz["rolle"], sitz["beginn"]) for sitz in eintrag["mitgliedschaften"])
        for (slug, _rolle, _beginn), anzahl in sitze.items():
            if slug not in arten:
                raise DemodatenFehler(f"{name}: unbekanntes Gremium {slug}.")
            if anzahl > 1:
                raise DemodatenFehler(f"{name}: doppelte Mitgliedschaft in {slug}.")


class _Lauf:
    def __init__(self, ergebnis, *, jetzt):
        self.ergebnis = ergebnis
        self.jetzt = jetzt
        self.konten = {}

    # -- generic -------------------------------------------------------------------------------------------

    def abgleichen(self, modell, vorhanden, schluessel, werte):
        """Create the object, update the fields that differ, or leave it alone. Always validated first."""
        if vorhanden is None:
            objekt = modell(**schluessel, **werte)
            objekt.full_clean()
            objekt.save()
            self.ergebnis.angelegt[modell.__name__] += 1
            return objekt
        unterschiede = {name: wert for name, wert in werte.items() if not _gleich(vorhanden, name, wert)}
        if unterschiede:
            for name, wert in unterschiede.items():
                setattr(vorhanden, name, wert)
            vorhanden.full_clean()
            vorhanden.save()
            self.ergebnis.geaendert[modell.__name__] += 1
        return vorhanden

    def m2m_abgleichen(self, objekt, feld, vorhanden_ids, soll):
        soll_ids = {ziel.pk for ziel in soll}
        if soll_ids != vorhanden_ids:
            getattr(objekt, feld).set(soll_ids)
            self.ergebnis.geaendert[type(objekt).__name__] += 1

    # -- bodies, units, places ------------------------------------------------------------------------------

    def ausschuesse(self, daten):
        vorhanden = {ausschuss.slug: ausschuss for ausschuss in Ausschuss.objects.all()}
        ergebnis = {}
        for werte in daten:
            werte = dict(werte)
            slug = werte.pop("slug")
            ergebnis[slug] = self.abgleichen(Ausschuss, vorhanden.get(slug), {"slug": slug}, werte)
        return ergebnis

    def wahlperioden(self, daten):
        vorhanden = {wahlperiode.name: wahlperiode for wahlperiode in Wahlperiode.objects.all()}
        for werte in daten:
            wahlperiode = vorhanden.get(werte["name"])
            if wahlperiode is None:
                wahlperiode_speichern(**werte)
                self.ergebnis.angelegt["Wahlperiode"] += 1
            elif (wahlperiode.beginn, wahlperiode.ende) != (werte["beginn"], werte["ende"]):
                wahlperiode_speichern(**werte, wahlperiode=wahlperiode)
                self.ergebnis.geaendert["Wahlperiode"] += 1

    def dienststellen(self, daten):
        vorhanden = {dienststelle.name: dienststelle for dienststelle in Dienststelle.objects.all()}
        ergebnis = {}
        for werte in daten:  # units above come first in the list
            werte = dict(werte)
            name = werte.pop("name")
            oben = werte.pop("uebergeordnet")
            werte["uebergeordnet"] = ergebnis[oben] if oben else None
            ergebnis[name] = self.abgleichen(Dienststelle, vorhanden.get(name), {"name": name}, werte)
        return ergebnis

    def orte(self, daten):
        vorhanden = {(ort.bezeichnung, ort.raum): ort for ort in Ort.objects.all()}
        ergebnis = {}
        for schluessel, werte in daten.items():
            werte = dict(werte)
            natuerlich = {"bezeichnung": werte.pop("bezeichnung"), "raum": werte.pop("raum")}
            ergebnis[schluessel] = self.abgleichen(
                Ort, vorhanden.get((natuerlich["bezeichnung"], natuerlich["raum"])), natuerlich, werte
            )
        return ergebnis

    # -- Vorlagen ------------------------------------------------------------------------------------------

    def vorlagen(self, daten, dienststellen, ausschuesse):
        vorhanden = {vorlage.kennung: vorlage for vorlage in Vorlage.objects.all()}
        personen = {(person.vorname, person.nachname): person for person in Person.objects.all()}
        felder = [
            "art",
            "nummer",
            "jahr",
            "zusatz",
            "datum",
            "aktenzeichen",
            "titel",
            "beschlussantrag",
            "bericht",
            "begruendung",
            "finanzielle_auswirkungen",
            "mitzeichnung",
            "unterzeichnet_von",
            "unterzeichnet_funktion",
            "oeffentlich",
            "vertraulich",
        ]
        ergebnis = {}
        for eintrag in daten:
            werte = {name: eintrag[name] for name in felder}
            werte["dienststelle"] = dienststellen[eintrag["dienststelle"]]
            werte["antwort_bis"] = eintrag["antwort_bis"]
            werte["anfrage"] = ergebnis[eintrag["anfrage"]] if eintrag["anfrage"] else None
            kennung = Vorlage(art=werte["art"], nummer=werte["nummer"], jahr=werte["jahr"], zusatz=werte["zusatz"])
            kennung = kennung.kennung_berechnen()
            vorlage = self.abgleichen(Vorlage, vorhanden.get(kennung), {"kennung": kennung}, werte)
            if eintrag["urheber"]:
                # Through the service, which writes nothing when they are already there (a second run).
                urheber = [ausschuesse[wer] if isinstance(wer, str) else personen[wer] for wer in eintrag["urheber"]]
                urheber_setzen(vorlage=vorlage, urheber=urheber)
            if eintrag["schluessel"] == mitzeichnungsdaten.SEED and vorlage.status == Vorlage.Status.ENTWURF:
                # Its route is gone while it is a draft, as in the city: released, then published.
                mitzeichnungsdaten.seed_vor_veroeffentlichung(self.ergebnis, vorlage=vorlage, konten=self.konten)
            self.status_abgleichen(vorlage, eintrag)
            ergebnis[eintrag["schluessel"]] = vorlage

        # The versions after every Vorlage exists (a Neufassung may come before its original in the list);
        # validated through abgleichen like the rest.
        for eintrag in daten:
            werte = {
                "bezug": ergebnis[eintrag["bezug"]] if eintrag["bezug"] else None,
                "bezugsart": eintrag["bezugsart"],
                "unterschiede_im_pdf": eintrag["unterschiede_im_pdf"],
            }
            vorlage = ergebnis[eintrag["schluessel"]]
            self.abgleichen(Vorlage, vorlage, {"kennung": vorlage.kennung}, werte)

        vorliegend = _m2m_ids(Vorlage.vorliegende_antraege.through, "from_vorlage_id", "to_vorlage_id")
        erledigt = _m2m_ids(Vorlage.erledigte_antraege.through, "from_vorlage_id", "to_vorlage_id")
        for eintrag in daten:
            vorlage = ergebnis[eintrag["schluessel"]]
            soll = [ergebnis[verweis] for verweis in eintrag["vorliegende"]]
            self.m2m_abgleichen(vorlage, "vorliegende_antraege", vorliegend[vorlage.pk], soll)
            soll = [ergebnis[verweis] for verweis in eintrag["erledigte"]]
            self.m2m_abgleichen(vorlage, "erledigte_antraege", erledigt[vorlage.pk], soll)
        return ergebnis

    def status_abgleichen(self, vorlage, eintrag):
        """Publish and withdraw through the services; a published Vorlage is never turned back into a draft."""
        soll = eintrag["status"]
        if soll == Vorlage.Status.ENTWURF or vorlage.status == soll:
            return
        if vorlage.status == Vorlage.Status.ENTWURF:
            # Published on the morning of its date, as the city does; never in the future.
            morgens = datetime.datetime.combine(
                eintrag["datum"], datetime.time(10), tzinfo=timezone.get_current_timezone()
            )
            vorlage_veroeffentlichen(vorlage=vorlage, jetzt=min(morgens, self.jetzt))
            self.ergebnis.geaendert["Vorlage"] += 1
        if soll == Vorlage.Status.ZURUECKGEZOGEN and vorlage.status == Vorlage.Status.VEROEFFENTLICHT:
            vorlage_zurueckziehen(vorlage=vorlage)
            self.ergebnis.geaendert["Vorlage"] += 1

    def anlagen(self, daten, vorlagen):
        vorhanden = {(anlage.vorlage_id, anlage.titel): anlage for anlage in Anlage.objects.all()}
        for eintrag in daten:
            vorlage = vorlagen[eintrag["schluessel"]]
            for reihenfolge, daten_anlage in enumerate(eintrag["anlagen"], start=1):
                titel, dateiname = daten_anlage["titel"], daten_anlage["dateiname"]
                werte = {
                    "reihenfolge": reihenfolge,
                    "oeffentlich": daten_anlage["oeffentlich"],
                    "vertraulich": daten_anlage["vertraulich"],
                }
                anlage = vorhanden.get((vorlage.pk, titel))
                if anlage is None:
                    anlage = Anlage(vorlage=vorlage, titel=titel, **werte)
                    self.datei_setzen(anlage, dateiname)
                    anlage.full_clean()
                    anlage.save()
                    # The demo files are small: their text is read at once, so the search finds it right away.
                    anlage_text_aktualisieren(anlage_id=anlage.pk)
                    self.ergebnis.angelegt["Anlage"] += 1
                    continue
                self.abgleichen(Anlage, anlage, {}, werte)
                if not anlage.datei or not anlage.datei.storage.exists(anlage.datei.name):
                    # The database survived, the file did not (a cleared media folder): put it back.
                    self.datei_setzen(anlage, dateiname)
                    anlage.full_clean()
                    anlage.save()
                    self.ergebnis.geaendert["Anlage"] += 1

    @staticmethod
    def datei_setzen(anlage, dateiname, pfad=anlage_pfad):
        """Give the Anlage (or Sitzungsdokument, with its ``pfad``) its file through the FileField; reuse an
        identical file a former run left behind."""
        inhalt = pdf.inhalt(dateiname)
        storage = anlage.datei.storage
        ziel = pfad(anlage, dateiname)
        if storage.exists(ziel):
            with storage.open(ziel, "rb") as datei:
                gleich = datei.read() == inhalt
            if gleich:
                anlage.datei.name = ziel
                anlage.dateiname = dateiname
                anlage.mime_typ = mimetypes.guess_type(dateiname)[0] or "application/octet-stream"
                anlage.groesse = len(inhalt)
                return
        # An uncommitted upload: Anlage.clean() takes Dateiname, Dateityp and Größe from it.
        anlage.datei = ContentFile(inhalt, name=dateiname)

    def beratungen(self, daten, vorlagen, ausschuesse):
        vorhanden = {(beratung.vorlage_id, beratung.reihenfolge): beratung for beratung in Beratung.objects.all()}
        for eintrag in daten:
            vorlage = vorlagen[eintrag["schluessel"]]
            for reihenfolge, beratung in enumerate(eintrag["beratungen"], start=1):
                werte = {
                    "ausschuss": ausschuesse[beratung["ausschuss"]],
                    "rolle": beratung["rolle"],
                    "oeffentlich": beratung["oeffentlich"],
                    "termin": beratung["termin"],
                }
                # Steps on an agenda get their result from the TOP; only steps without a Sitzung carry their own.
                if beratung["ergebnis"]:
                    werte["ergebnis"] = beratung["ergebnis"]
                self.abgleichen(
                    Beratung,
                    vorhanden.get((vorlage.pk, reihenfolge)),
                    {"vorlage": vorlage, "reihenfolge": reihenfolge},
                    werte,
                )

    # -- Sitzungen -----------------------------------------------------------------------------------------

    def sitzungen(self, daten, ausschuesse, orte, vorlagen):
        vorhanden = {(sitzung.ausschuss_id, sitzung.beginn): sitzung for sitzung in Sitzung.objects.all()}
        tops = {(top.sitzung_id, top.oeffentlich, top.nummer): top for top in Tagesordnungspunkt.objects.all()}
        top_vorlagen = _m2m_ids(Tagesordnungspunkt.vorlagen.through, "tagesordnungspunkt_id", "vorlage_id")
        ergebnis = []
        for eintrag in daten:
            ausschuss = ausschuesse[eintrag["ausschuss"]]
            sitzung = self.abgleichen(
                Sitzung,
                vorhanden.get((ausschuss.pk, eintrag["beginn"])),
                {"ausschuss": ausschuss, "beginn": eintrag["beginn"]},
                {
                    "ende": eintrag["ende"],
                    "ort": orte[eintrag["ort"]],
                    "status": eintrag["status"],
                    "oeffentlich": eintrag["oeffentlich"],
                },
            )
            for oeffentlich, liste in ((True, eintrag["oe"]), (False, eintrag["n"])):
                for nummer, daten_top in enumerate(liste, start=1):
                    betroffen = [vorlagen[verweis] for verweis in daten_top["vorlagen"]]
                    top = self.abgleichen(
                        Tagesordnungspunkt,
                        tops.get((sitzung.pk, oeffentlich, str(nummer))),
                        {"sitzung": sitzung, "oeffentlich": oeffentlich, "nummer": str(nummer)},
                        {
                            "titel": daten_top["titel"] or _top_titel(betroffen),
                            "reihenfolge": nummer,
                            "ergebnis": daten_top["ergebnis"],
                            "beschluss": daten_top["beschluss"],
                        },
                    )
                    self.m2m_abgleichen(top, "vorlagen", top_vorlagen[top.pk], betroffen)
            ergebnis.append(sitzung)
        return ergebnis

    def sitzungsdokumente(self, daten, ausschuesse):
        sitzungen = {(sitzung.ausschuss_id, sitzung.beginn): sitzung for sitzung in Sitzung.objects.all()}
        vorhanden = {(dokument.sitzung_id, dokument.titel): dokument for dokument in Sitzungsdokument.objects.all()}
        for eintrag in daten:
            sitzung = sitzungen.get((ausschuesse[eintrag["ausschuss"]].pk, eintrag["beginn"]))
            if sitzung is None:
                raise DemodatenFehler(f"Sitzungsdokument {eintrag['titel']}: keine Sitzung am {eintrag['beginn']}.")
            werte = {name: eintrag[name] for name in ["art", "oeffentlich", "reihenfolge"]}
            dokument = vorhanden.get((sitzung.pk, eintrag["titel"]))
            if dokument is None:
                dokument = Sitzungsdokument(sitzung=sitzung, titel=eintrag["titel"], **werte)
                self.datei_setzen(dokument, eintrag["dateiname"], sitzungsdokument_pfad)
                dokument.full_clean()
                dokument.save()
                # As with the Anlagen: the text is read at once, so the search finds it right away.
                sitzungsdokument_text_aktualisieren(dokument_id=dokument.pk)
                self.ergebnis.angelegt["Sitzungsdokument"] += 1
                continue
            self.abgleichen(Sitzungsdokument, dokument, {}, werte)
            if not dokument.datei or not dokument.datei.storage.exists(dokument.datei.name):
                self.datei_setzen(dokument, eintrag["dateiname"], sitzungsdokument_pfad)
                dokument.full_clean()
                dokument.save()
                self.ergebnis.geaendert["Sitzungsdokument"] += 1

    # -- Personen ------------------------------------------------------------------------------------------

    def foto(self, person, dateiname, einwilligung_am):
        """The person's photo with the date of her consent, once (a second run finds it in place)."""
        if person.foto and person.foto_einwilligung_am == einwilligung_am:
            return
        foto_setzen(person=person, inhalt=_foto_lesen(dateiname), endung=".jpg", einwilligung_am=einwilligung_am)
        self.ergebnis.geaendert["Person"] += 1

    def personen(self, daten, ausschuesse):
        vorhanden = {(person.vorname, person.nachname): person for person in Person.objects.all()}
        sitze = {
            (sitz.person_id, sitz.ausschuss_id, sitz.rolle, sitz.beginn): sitz for sitz in Mitgliedschaft.objects.all()
        }
        for eintrag in daten:
            natuerlich = {"vorname": eintrag["vorname"], "nachname": eintrag["nachname"]}
            werte = {
                name: eintrag[name] for name in ["titel", "partei", "kontakt_veroeffentlichen", "email", "telefon"]
            }
            werte["fraktion"] = ausschuesse[eintrag["fraktion"]] if eintrag["fraktion"] else None
            person = self.abgleichen(
                Person, vorhanden.get((natuerlich["vorname"], natuerlich["nachname"])), natuerlich, werte
            )
            if eintrag.get("foto"):
                self.foto(person, eintrag["foto"], eintrag["foto_einwilligung_am"])
            for sitz in eintrag["mitgliedschaften"]:
                ausschuss = ausschuesse[sitz["ausschuss"]]
                self.abgleichen(
                    Mitgliedschaft,
                    sitze.get((person.pk, ausschuss.pk, sitz["rolle"], sitz["beginn"])),
                    {"person": person, "ausschuss": ausschuss, "rolle": sitz["rolle"], "beginn": sitz["beginn"]},
                    {"ende": sitz["ende"]},
                )


def _foto_lesen(dateiname):
    return (pdf.DATEIEN_VERZEICHNIS / dateiname).read_bytes()


def _top_titel(vorlagen):
    """A TOP about Vorlagen is titled like the first one; further ones are named by their number."""
    erste, *weitere = vorlagen
    return "; ".join([erste.titel, *(vorlage.bezeichnung for vorlage in weitere)])


def _gleich(objekt, name, wert):
    feld = objekt._meta.get_field(name)
    if feld.is_relation:
        return getattr(objekt, feld.attname) == (wert.pk if wert is not None else None)
    return getattr(objekt, name) == wert


def _m2m_ids(through, von, nach):
    ids = {}
    for links, rechts in through.objects.values_list(von, nach):
        ids.setdefault(links, set()).add(rechts)
    return _LeereMengen(ids)


class _LeereMengen(dict):
    def __missing__(self, schluessel):
        return set()
