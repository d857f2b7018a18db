"""The OParl importer's pages (issue 15): one transaction for an honest page, and still each object isolated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oparlimport.abruf import Abruf
from oparlimport.models import Herkunft
from oparlimport.services import oparl_importieren
from tests.factories import VorlageFactory
from tests.oparl_server import OparlServer
from tests.test_oparl_import import GREMIUM, PDF_DATEI, kleines_system, papier
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with OparlServer() as server:
        yield server


def importieren(url):
    abruf = Abruf(wartezeit=0, versuche=1, timeout=5)
    try:
        return oparl_importieren(system_url=url, abruf=abruf)
    finally:
        abruf.schliessen()


def mit_datei(n, **extra):
    return papier(n, mainFile=PDF_DATEI | {"id": f"BASIS/file/{n}"}, **extra)


def test_eine_ehrliche_seite_braucht_keinen_savepoint_je_objekt(server):
    url = kleines_system(server, organisationen=[GREMIUM], papiere=[mit_datei(n) for n in range(1, 21)])

    with CaptureQueriesContext(connection) as abfragen:
        bericht = importieren(url)

    assert bericht.zahlen["Paper"]["angelegt"] == 20
    assert bericht.zahlen["File"]["angelegt"] == 20
    savepoints = [a for a in abfragen.captured_queries if a["sql"].startswith("SAVEPOINT")]
    # One per page and a few for the run itself (the test's own transaction turns each page into one), not one or
    # two per Vorlage as before.
    assert len(savepoints) < 10


def test_ein_fehler_in_der_seite_ueberspringt_nur_sein_objekt_und_die_anderen_aenderungen_bleiben(server):
    url = kleines_system(server, organisationen=[GREMIUM], papiere=[mit_datei(n) for n in range(1, 4)])
    importieren(url)
    neu = "2021-02-01T10:00:00+01:00"
    unbekannt = {"id": "BASIS/consultation/1", "meeting": "BASIS/meeting/unbekannt", "role": "Beratung"}
    server.json(
        "/body/1/paper",
        {
            "data": [
                mit_datei(1, name="Vorlage 1 geändert", modified=neu),
                # Fails after its Vorlage is written: the fast pass of the page is taken back and replayed.
                mit_datei(2, name="Vorlage 2 geändert", modified=neu, consultation=[unbekannt]),
                mit_datei(3, name="Vorlage 3 geändert", modified=neu),
            ],
            "pagination": {},
            "links": {},
        },
    )

    bericht = importieren(url)

    titel = set(Vorlage.objects.values_list("titel", flat=True))
    assert titel == {"Vorlage 1 geändert", "Vorlage 2 geändert", "Vorlage 3 geändert"}
    assert bericht.zahlen["Paper"]["aktualisiert"] == 3
    assert bericht.zahlen["Consultation"]["uebersprungen"] == 1
    assert bericht.gruende["Consultation"] == {"weder Sitzung noch Gremium importiert": 1}
    assert set(Herkunft.objects.filter(typ="Paper").values_list("modified", flat=True)) == {neu}
    assert importieren(url).zahlen["Paper"]["unveraendert"] == 3


def test_eine_schon_vergebene_nummer_wird_auch_innerhalb_einer_seite_erkannt(server):
    VorlageFactory(nummer=7, jahr=2021, titel="Von Hand")
    url = kleines_system(
        server,
        organisationen=[GREMIUM],
        papiere=[papier(1, reference="7/2021"), papier(2, reference="8/2021"), papier(3, reference="8/2021")],
    )

    bericht = importieren(url)

    assert bericht.zahlen["Paper"]["angelegt"] == 3
    nummern = set(Vorlage.objects.values_list("nummer", "zusatz"))
    assert nummern == {(7, ""), (7, "(OParl 1)"), (8, ""), (8, "(OParl 3)")}
