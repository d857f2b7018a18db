"""The Niederschrift of the seed's Sitzung (Internationaler Ausschuss, 24.11.2021): signed, genehmigt in the
Ausschuss's later Sitzung and published, with the Beratungsverlauf of its TOPs.

It is written through the services of ``protokoll`` like a clerk would, and only what is missing: the attendance
it needs is taken as recorded (the recording part of the demo may have written it) and added where absent, and a
Niederschrift already genehmigt and published is left alone, so a second run writes nothing.
"""

import datetime

from demodaten.kalender import MI
from demodaten.vorlagen import IA
from gremien.models import Person
from protokoll import services
from protokoll.models import Anwesenheit, Niederschrift, Unterschrift
from sitzungen.models import Sitzung

SEED_TAG = datetime.date(2021, 11, 24)
UNTERZEICHNET_AM = datetime.date(2021, 12, 1)
SCHRIFTFUEHRUNG = "Petra Schreiber"

# (Vorname, Nachname): status, stimmberechtigt. The chair first, then the members, then a sachkundige Einwohnerin.
ANWESENHEIT = [
    (("Miriam", "Sauter"), Anwesenheit.Status.ANWESEND, True),
    (("Lena", "Brenner"), Anwesenheit.Status.ANWESEND, True),
    (("Sevgi", "Aydın"), Anwesenheit.Status.ANWESEND, True),
    (("Andreas", "Kübler"), Anwesenheit.Status.ANWESEND, True),
    (("Ulrike", "Renz"), Anwesenheit.Status.ENTSCHULDIGT, True),
    (("Elena", "Petrović"), Anwesenheit.Status.ANWESEND, False),
]

BERATUNGSVERLAUF = {
    "1": "Frau Dr. Sauter führt in die Vorlage ein und dankt den Partnern des Bündnisses für zwanzig Jahre "
    "Zusammenarbeit. Die Verwaltung stellt die Jubiläumsbroschüre vor.\n\n"
    "Frau Aydın (Bündnis 90/Die Grünen) würdigt die Arbeit der Migrantenorganisationen und bittet, die "
    "interkulturelle Öffnung der Verwaltung im nächsten Bericht eigens darzustellen. Herr Kübler (CDU) schließt "
    "sich dem Dank an. Frau Petrović regt an, die Broschüre auch in leichter Sprache zu veröffentlichen; die "
    "Verwaltung sagt eine Prüfung zu.",
    "2": "Keine Bekanntgaben. Wortmeldungen liegen nicht vor.",
}

BESCHLUSSFAEHIGKEIT = (
    "Die Vorsitzende stellt die ordnungsgemäße und rechtzeitige Einberufung sowie die Beschlussfähigkeit fest. Zu "
    "Urkundspersonen werden Frau Brenner und Frau Aydın bestellt."
)


def niederschrift_laden(kal, ergebnis):
    sitzung = Sitzung.objects.select_related("ausschuss", "ort").get(
        ausschuss__slug=IA, beginn=kal.zeit(SEED_TAG, "15:00")
    )
    vorhanden = Niederschrift.objects.filter(sitzung=sitzung).first()
    if vorhanden is not None and vorhanden.status == Niederschrift.Status.GENEHMIGT and vorhanden.veroeffentlicht_am:
        return
    _anwesenheit(sitzung, ergebnis)
    for top in sitzung.tagesordnungspunkte.filter(oeffentlich=True, nummer__in=BERATUNGSVERLAUF):
        if not top.beratungsverlauf:
            top.beratungsverlauf = BERATUNGSVERLAUF[top.nummer]
            top.full_clean()
            top.save()
            ergebnis.geaendert["Tagesordnungspunkt"] += 1

    niederschrift = vorhanden
    if niederschrift is None or niederschrift.status == Niederschrift.Status.ENTWURF:
        niederschrift = services.niederschrift_entwerfen(sitzung=sitzung)
        if niederschrift.einleitung == niederschrift.einleitung_vorschlag:
            # As the clerk does: the record knows no seats of that term, so she states the Beschlussfähigkeit.
            zeilen = niederschrift.einleitung.split("\n")
            niederschrift.einleitung = "\n".join([*zeilen[:-1], BESCHLUSSFAEHIGKEIT])
            niederschrift.full_clean()
            niederschrift.save()
        ergebnis.angelegt["Niederschrift"] += vorhanden is None
        _unterschriften(niederschrift, sitzung, ergebnis)
        niederschrift.refresh_from_db()
    if niederschrift.veroeffentlicht_am is None:
        services.niederschrift_veroeffentlichen(niederschrift=niederschrift)
        ergebnis.geaendert["Niederschrift"] += 1
    niederschrift.refresh_from_db()
    if niederschrift.status == Niederschrift.Status.UNTERZEICHNET:
        spaeter = Sitzung.objects.get(ausschuss__slug=IA, beginn=kal.zeit((-3, MI), "15:00"))
        services.niederschrift_genehmigen(niederschrift=niederschrift, sitzung=spaeter)
        ergebnis.geaendert["Niederschrift"] += 1


def _anwesenheit(sitzung, ergebnis):
    for (vorname, nachname), status, stimmberechtigt in ANWESENHEIT:
        person = Person.objects.get(vorname=vorname, nachname=nachname)
        if Anwesenheit.objects.filter(sitzung=sitzung, person=person).exists():
            continue
        anwesenheit = Anwesenheit(sitzung=sitzung, person=person, status=status, stimmberechtigt=stimmberechtigt)
        anwesenheit.full_clean()
        anwesenheit.save()
        ergebnis.angelegt["Anwesenheit"] += 1


def _unterschriften(niederschrift, sitzung, ergebnis):
    rollen = list(niederschrift.unterschriften.values_list("rolle", "person_id"))
    vorsitz = Person.objects.get(vorname="Miriam", nachname="Sauter")
    fehlend = []
    if (Unterschrift.Rolle.VORSITZ, vorsitz.pk) not in rollen:
        fehlend.append({"rolle": Unterschrift.Rolle.VORSITZ, "person": vorsitz})
    # The Urkundspersonen among those present with a vote, as the recording left them.
    stimmberechtigt = {
        a.person_id: a.person
        for a in sitzung.anwesenheiten.anwesend().filter(stimmberechtigt=True).select_related("person")
    }
    gezeichnet = [person_id for rolle, person_id in rollen if rolle == Unterschrift.Rolle.MITGLIED]
    # Brenner and Aydın as the Urkundspersonen; should the recording have left one of them absent or without a vote,
    # another member present signs instead.
    bevorzugt = [("Lena", "Brenner"), ("Sevgi", "Aydın")]
    kandidaten = sorted(
        (p for p in stimmberechtigt.values() if p.pk != vorsitz.pk),
        key=lambda p: (
            bevorzugt.index((p.vorname, p.nachname)) if (p.vorname, p.nachname) in bevorzugt else 2,
            p.nachname,
        ),
    )
    for person in kandidaten:
        if person.pk not in gezeichnet and len(gezeichnet) < services.URKUNDSPERSONEN:
            fehlend.append({"rolle": Unterschrift.Rolle.MITGLIED, "person": person})
            gezeichnet.append(person.pk)
    if Unterschrift.Rolle.SCHRIFTFUEHRUNG not in [rolle for rolle, _person in rollen]:
        fehlend.append({"rolle": Unterschrift.Rolle.SCHRIFTFUEHRUNG, "name": SCHRIFTFUEHRUNG})
    for unterschrift in fehlend:
        services.niederschrift_unterzeichnen(niederschrift=niederschrift, datum=UNTERZEICHNET_AM, **unterschrift)
        ergebnis.angelegt["Unterschrift"] += 1
