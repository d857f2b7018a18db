"""The agenda from the pool in the demo (issue 19): the Ausschuss für Kultur und Medien meets on Friday in two
weeks (planned, see ``demodaten.sitzungen``). Its Sitzung has an Annahmeschluss on the Friday before, and one
published Vorlage whose Beratungsfolge names the Ausschuss on that day waits in its pool ("Vorrat"), not yet on
the agenda: the clerk puts it on at /verwaltung/sitzungen/<pk>/tagesordnung/.

The Vorlage is an ordinary entry of the demo's Vorlagen (loaded with them); the Annahmeschluss is set through
``sitzungen.services.annahmeschluss_setzen``, only when it differs, so a second run writes nothing.
"""

from demodaten.kalender import FR, MO
from demodaten.vorlagen import AKR, KENNTNISNAHME, KMA, MITTEILUNGSVORLAGE, OEFFENTLICH, absaetze, beratung, vorlage
from sitzungen.models import Sitzung
from sitzungen.services import annahmeschluss_setzen

SITZUNG_TAG = (2, FR)
SITZUNG_BEGINN = "14:00"
ANNAHMESCHLUSS = ((1, FR), "12:00")


def vorlagen(kal):
    t = kal.tag
    return [
        vorlage(
            "stadtbibliothek-oeffnungszeiten",
            MITTEILUNGSVORLAGE,
            1193,
            t(0, MO),
            AKR,
            "Stadtbibliothek: Erfahrungen mit den erweiterten Öffnungszeiten am Sonntag",
            bericht=absaetze(
                "Seit einem Jahr ist die Stadtbibliothek am Mailänder Platz auch sonntags von 11 bis 17 Uhr "
                "geöffnet. Im Durchschnitt kamen an einem Sonntag 3.400 Besucherinnen und Besucher, vor allem "
                "Familien und Studierende.",
                "Die Verwaltung schlägt vor, das Angebot fortzuführen und auf zwei Stadtteilbibliotheken zu erweitern.",
            ),
            unterzeichnet_von="Dr. Fabian Mayer",
            unterzeichnet_funktion="Erster Bürgermeister",
            beratungen=[beratung(KMA, KENNTNISNAHME, OEFFENTLICH, t(*SITZUNG_TAG))],
        ),
    ]


def vorrat_laden(ergebnis, *, kal, ausschuesse):
    sitzung = Sitzung.objects.filter(ausschuss=ausschuesse[KMA], beginn=kal.zeit(SITZUNG_TAG, SITZUNG_BEGINN)).first()
    schluss = kal.zeit(*ANNAHMESCHLUSS)
    if sitzung is None or sitzung.annahmeschluss == schluss:
        return
    annahmeschluss_setzen(sitzung=sitzung, annahmeschluss=schluss)
    ergebnis.geaendert["Sitzung"] += 1
