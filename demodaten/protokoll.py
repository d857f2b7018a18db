"""The record of two Sitzungen of the demo, written through the services of ``protokoll`` as a clerk would.

* The seed's Sitzung of the Internationaler Ausschuss on 24.11.2021: who attended, the Ausschuss's members on that
  day (their seats of the term 2019–2024, ``demodaten.personen``). The seed TOP's result "zur Kenntnis genommen"
  comes with the agenda (``demodaten.sitzungen``).
* The Gemeinderat's last Sitzung: attendance (one member excused, one arriving at Ö 2), a unanimous vote, a
  namentliche Abstimmung on the Bäder-Entgelte and a Befangenheit at the non-public Vorkaufsrecht.

Each Sitzung is recorded once: a Sitzung that already has attendance is left alone, so a second run writes nothing.
"""

import datetime

from django.utils import timezone

from demodaten.vorlagen import GR, IA
from gremien.models import Mitgliedschaft
from protokoll import services
from protokoll.models import Anwesenheit
from sitzungen.models import Sitzung

SEED_TAG = datetime.date(2021, 11, 24)

# How the Fraktionen voted in the namentliche Abstimmung on the Bäder-Entgelte (the chair votes with the Ja).
NAMENTLICH = {
    "fraktion-gruene": "ja",
    "fraktion-spd": "ja",
    "fraktion-fdp": "ja",
    "fraktion-cdu": "nein",
    "fraktion-freie-waehler": "enthaltung",
}


def protokolle_laden(ergebnis, *, ausschuesse):
    seed = Sitzung.objects.filter(ausschuss=ausschuesse[IA], beginn__date=SEED_TAG).order_by("beginn").first()
    if seed is not None and not seed.anwesenheiten.exists():
        _seed_erfassen(seed, ergebnis)
    gemeinderat = (
        Sitzung.objects.filter(ausschuss=ausschuesse[GR], beginn__lt=timezone.now())
        .exclude(beginn__date=SEED_TAG)
        .order_by("-beginn")
        .first()
    )
    if gemeinderat is not None and not gemeinderat.anwesenheiten.exists():
        _gemeinderat_erfassen(gemeinderat, ergebnis)


def _seed_erfassen(sitzung, ergebnis):
    # The members of that day (each person once, her strongest role deciding the vote). Loaded after 2029 the
    # demo's earlier term no longer reaches back to 2021: then today's members stand in for them.
    rollen = {}
    am_tag = Mitgliedschaft.objects.aktuell(SEED_TAG).filter(ausschuss=sitzung.ausschuss)
    if not am_tag.exists():
        am_tag = Mitgliedschaft.objects.aktuell().filter(ausschuss=sitzung.ausschuss)
    am_tag = am_tag.exclude(rolle=Mitgliedschaft.Rolle.STELLVERTRETUNG).select_related("person")
    for sitz in am_tag.order_by("person__nachname", "pk"):
        rollen.setdefault(sitz.person, set()).add(sitz.rolle)
    for nummer, (person, rollen_der_person) in enumerate(rollen.items()):
        services.anwesenheit_erfassen(
            sitzung=sitzung,
            person=person,
            # Not everyone came: the last of the list was excused.
            status=Anwesenheit.Status.ENTSCHULDIGT if nummer == len(rollen) - 1 else Anwesenheit.Status.ANWESEND,
            stimmberechtigt=services.stimmberechtigt_nach_rolle(rollen_der_person, vertritt=None),
        )
        ergebnis.angelegt["Anwesenheit"] += 1


def _gemeinderat_erfassen(sitzung, ergebnis):
    tops = {top.bezeichnung: top for top in sitzung.tagesordnungspunkte.all()}
    neu = services.anwesenheiten_vorbelegen(sitzung=sitzung)
    ergebnis.angelegt["Anwesenheit"] += len(neu)
    nach_fraktion = {}
    for anwesenheit in sorted(neu, key=lambda a: (a.person.nachname, a.person.vorname)):
        fraktion = anwesenheit.person.fraktion.slug if anwesenheit.person.fraktion_id else None
        nach_fraktion.setdefault(fraktion, []).append(anwesenheit.person)
    entschuldigt = nach_fraktion["fraktion-fdp"][-1]
    spaeter = nach_fraktion["fraktion-freie-waehler"][0]
    services.anwesenheit_erfassen(sitzung=sitzung, person=entschuldigt, status=Anwesenheit.Status.ENTSCHULDIGT)
    services.anwesenheit_erfassen(sitzung=sitzung, person=spaeter, ab_top=tops["Ö 2"])

    services.abstimmung_erfassen(tagesordnungspunkt=tops["Ö 2"], art="einstimmig")
    stimmen = {
        person: NAMENTLICH.get(fraktion, "ja")
        for fraktion, personen in nach_fraktion.items()
        for person in personen
        if person != entschuldigt
    }
    services.abstimmung_erfassen(tagesordnungspunkt=tops["Ö 3"], art="namentlich", stimmen=stimmen)

    befangen = nach_fraktion["fraktion-cdu"][0]
    services.befangenheit_erfassen(
        tagesordnungspunkt=tops["N 2"],
        person=befangen,
        grund="Eigentümer eines an das Grundstück angrenzenden Flurstücks; hat den Sitzungssaal verlassen.",
    )
    ergebnis.angelegt["Befangenheit"] += 1
    moeglich = len(stimmen) - 1
    services.abstimmung_erfassen(tagesordnungspunkt=tops["N 1"], art="offen", ja=moeglich - 3, nein=2, enthaltung=1)
    services.abstimmung_erfassen(tagesordnungspunkt=tops["N 2"], art="offen", ja=moeglich - 2, nein=1, enthaltung=0)
    ergebnis.angelegt["Abstimmung"] += 4
