"""Every public page runs a fixed number of SQL queries, however many rows it shows (DESIGN invariant 4)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    DateiFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    SitzungsdokumentFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)

pytestmark = pytest.mark.django_db

KLEIN, GROSS = 5, 50


def abfragen(client, url, benutzer=None):
    if benutzer:
        client.force_login(benutzer)
    with CaptureQueriesContext(connection) as erfasst:
        antwort = client.get(url)
    assert antwort.status_code == 200
    return len(erfasst)


def daten_anlegen(anzahl, ausschuss, sitzung, vorlage, person, fraktion):
    jetzt = timezone.now()
    for i in range(anzahl):
        andere = AusschussFactory()
        SitzungFactory(ausschuss=ausschuss, beginn=jetzt + datetime.timedelta(days=i + 1))
        SitzungFactory(ausschuss=ausschuss, beginn=jetzt - datetime.timedelta(days=i + 1))
        neue = VorlageFactory()
        BeratungFactory(vorlage=neue, ausschuss=ausschuss)
        BeratungFactory(vorlage=vorlage, ausschuss=andere)
        AnlageFactory(vorlage=vorlage)
        # Imported files without a stored copy, linked at the original on both detail pages.
        DateiFactory(vorlage=vorlage, access_url=f"https://alt.example.org/v{i}.pdf")
        DateiFactory(vorlage=None, sitzung=sitzung, download_url=f"https://alt.example.org/s{i}.pdf")
        # The Sitzung's own documents, public and not, listed under their heading (protokoll.seiten).
        SitzungsdokumentFactory(sitzung=sitzung, oeffentlich=i % 2 == 0, reihenfolge=i + 1)
        vorlage.vorliegende_antraege.add(VorlageFactory(art="antrag"))
        top = TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=i % 2 == 0)
        top.vorlagen.add(neue, VorlageFactory(entwurf=True))
        MitgliedschaftFactory(ausschuss=ausschuss, person=person if i == 0 else PersonFactory(fraktion=fraktion))
        MitgliedschaftFactory(person=person)


@pytest.fixture
def welt():
    ausschuss = AusschussFactory(slug="ia")
    return {
        "ausschuss": ausschuss,
        "sitzung": SitzungFactory(ausschuss=ausschuss),
        "vorlage": VorlageFactory(),
        "person": PersonFactory(),
        "fraktion": AusschussFactory(art="fraktion"),
    }


SEITEN = {
    "startseite": lambda w: reverse("startseite"),
    "gremien": lambda w: reverse("sitzungen:ausschuss-liste"),
    "ausschuss": lambda w: w["ausschuss"].get_absolute_url(),
    "sitzungen": lambda w: reverse("sitzungen:sitzung-liste"),
    "sitzungen gefiltert": lambda w: reverse("sitzungen:sitzung-liste") + "?ausschuss=ia&zeitraum=kommende",
    "sitzung": lambda w: w["sitzung"].get_absolute_url(),
    "vorlagen": lambda w: reverse("vorlagen:liste"),
    "vorlagen gefiltert": lambda w: reverse("vorlagen:liste") + "?ausschuss=ia&art=beschlussvorlage&q=Vorlage",
    "vorlage": lambda w: w["vorlage"].get_absolute_url(),
    "person": lambda w: w["person"].get_absolute_url(),
}


# A fixed number, but more than the others: the Sitzung page also reads its record (attendance, votes with their
# Stimmen, Befangenheiten), its documents and its Niederschrift, each one query whatever the number of TOPs. The
# Vorlage page reads its versions (earlier and later Fassungen) and the derived status, the person page the
# person's Anträge and Anfragen and the Fraktion history (issues 19, 20): one query each, whatever the number.
HOECHSTENS = {"sitzung": 16, "vorlage": 14, "person": 14}


@pytest.mark.parametrize("seite", SEITEN)
@pytest.mark.parametrize("als_sachbearbeitung", [False, True], ids=["anonym", "sachbearbeitung"])
def test_page_runs_the_same_number_of_queries_for_5_and_50_rows(
    client, welt, seite, als_sachbearbeitung, sachbearbeitung, django_assert_max_num_queries
):
    benutzer = sachbearbeitung if als_sachbearbeitung else None
    url = SEITEN[seite](welt)
    daten_anlegen(KLEIN, **welt)
    bei_wenigen = abfragen(client, url, benutzer)

    daten_anlegen(GROSS - KLEIN, **welt)

    with django_assert_max_num_queries(bei_wenigen):
        antwort = client.get(url)
    assert antwort.status_code == 200
    assert bei_wenigen <= HOECHSTENS.get(seite, 12)
