"""Imported files without a stored copy are linked at the original on the Vorlage and Sitzung pages (issue 15)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    DateiFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
)
from tests.oparl_server import OparlServer
from tests.test_oparl_feindlich import datei, importieren
from tests.test_oparl_import import kleines_system, papier
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with OparlServer() as server:
        yield server


def links_beim_original(html):
    return re.findall(r'<a href="([^"]*)" rel="noopener external">([^<]*)</a>', html)


def test_die_vorlage_verlinkt_eine_importierte_datei_ohne_kopie_beim_original(server, client):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/1.pdf", name="Bericht.pdf"))])
    importieren(url)

    antwort = client.get(Vorlage.objects.get().get_absolute_url())

    assert links_beim_original(antwort.text) == [
        (f"{server.basis}/files/1.pdf", "Bericht.pdf (beim Original, externe Seite)")
    ]
    assert "Keine Anlagen." not in antwort.text


def test_die_datei_einer_verborgenen_vorlage_erscheint_nirgends(server, client, sachbearbeitung):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/1.pdf", name="Bericht.pdf"))])
    importieren(url)
    vorlage = Vorlage.objects.get()
    # Saved as the admin does, so the page cache learns of it.
    vorlage.oeffentlich = False
    vorlage.save()

    antwort = client.get(vorlage.get_absolute_url())

    assert antwort.status_code == 404
    assert "files/1.pdf" not in antwort.text
    # The clerk sees the page and the link: the rule, not the link, decides.
    client.force_login(sachbearbeitung)
    assert len(links_beim_original(client.get(vorlage.get_absolute_url()).text)) == 1


def test_die_sitzung_verlinkt_ihre_dateien_beim_original(client):
    sitzung = SitzungFactory(oeffentlich=True)
    DateiFactory(
        vorlage=None, sitzung=sitzung, rolle="invitation", name="Einladung", access_url="https://alt.example.org/e.pdf"
    )

    antwort = client.get(sitzung.get_absolute_url())

    assert links_beim_original(antwort.text) == [
        ("https://alt.example.org/e.pdf", "Einladung (beim Original, externe Seite)")
    ]


def test_die_dateien_einer_sitzung_mit_nichtoeffentlichem_top_sieht_nur_das_gremium(client):
    sitzung = SitzungFactory(oeffentlich=True)
    TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=False)
    DateiFactory(vorlage=None, sitzung=sitzung, name="Protokoll", access_url="https://alt.example.org/p.pdf")
    mitglied = UserFactory()
    MitgliedschaftFactory(ausschuss=sitzung.ausschuss, person=PersonFactory(benutzer=mitglied))

    antwort = client.get(sitzung.get_absolute_url())
    assert antwort.status_code == 200
    assert "p.pdf" not in antwort.text

    client.force_login(mitglied)
    assert len(links_beim_original(client.get(sitzung.get_absolute_url()).text)) == 1


def test_die_vorlage_liest_ihre_dateien_beim_original_mit_gleich_vielen_abfragen(client):
    vorlage = Vorlage.objects.get(pk=DateiFactory(access_url="https://alt.example.org/0.pdf").vorlage_id)

    def zaehlen():
        with CaptureQueriesContext(connection) as erfasst:
            antwort = client.get(vorlage.get_absolute_url())
        return len(erfasst), len(links_beim_original(antwort.text))

    DateiFactory.create_batch(4, vorlage=vorlage, access_url="https://alt.example.org/a.pdf")
    bei_wenigen, links = zaehlen()
    assert links == 5
    DateiFactory.create_batch(45, vorlage=vorlage, download_url="https://alt.example.org/d.pdf")
    assert zaehlen() == (bei_wenigen, 50)


def test_der_link_beim_original_ist_ins_englische_uebersetzt(client):
    sitzung = SitzungFactory(oeffentlich=True)
    DateiFactory(vorlage=None, sitzung=sitzung, name="Einladung", access_url="https://alt.example.org/e.pdf")
    client.cookies["django_language"] = "en"

    antwort = client.get(sitzung.get_absolute_url())

    assert links_beim_original(antwort.text) == [
        ("https://alt.example.org/e.pdf", "Einladung (at the original, external site)")
    ]
