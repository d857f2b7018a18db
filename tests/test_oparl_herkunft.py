"""Issue 6, importer side: tombstones picked up with --since, and the redirect from a source's original ids and
web addresses (``/oparl/herkunft/?id=…``) to our objects."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from oparl.models import Tombstone
from oparlimport.models import Datei, Herkunft
from tests import test_oparl_import
from tests.factories import (
    MINI_PDF,
    AnlageFactory,
    AusschussFactory,
    DienststelleFactory,
    HerkunftFactory,
    SachbearbeitungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)
from tests.test_oparl_import import PDF_DATEI, importieren, kleines_system, liste, papier
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}

server = test_oparl_import.server


def herkunft_url(adresse):
    return reverse("oparlimport:herkunft") + "?" + urlencode({"id": adresse})


def oparl(name, pk):
    return settings.RATSINFO_OPARL_BASIS_URL + reverse(f"oparl:{name}", kwargs={"pk": pk})


# -- importer ----------------------------------------------------------------------------------------------------


def test_since_hides_a_deleted_paper_and_its_file_our_api_answers_deleted_and_a_rerun_changes_nothing(server, client):
    url = kleines_system(
        server,
        papiere=[
            papier(1, mainFile=PDF_DATEI, web="BASIS/vo020.asp?VOLFDNR=1"),
            papier(2, mainFile=PDF_DATEI | {"id": "BASIS/file/2", "accessUrl": "BASIS/files/2.pdf"}),
        ],
    )
    server.routen["/files/1.pdf"] = server.routen["/files/2.pdf"] = (200, MINI_PDF)
    importieren(url, dateien=True)
    eins, zwei = Vorlage.objects.order_by("nummer")
    assert Herkunft.objects.get(oparl_id=f"{server.basis}/paper/1").web == f"{server.basis}/vo020.asp?VOLFDNR=1"
    anlage_zwei = Datei.objects.get(oparl_id=f"{server.basis}/file/2").anlage

    seit = "2021-06-01T00:00:00+02:00"
    gefiltert = "?" + urlencode({"modified_since": seit})
    spaeter = "2021-07-01T10:00:00+02:00"
    server.json("/body/1/paper" + gefiltert, liste([{"id": "BASIS/paper/1", "modified": spaeter, "deleted": True}]))
    server.json("/body/1/meeting" + gefiltert, liste([]))
    server.json("/body/1/organization" + gefiltert, liste([]))
    server.json("/body/1/agendaItem" + gefiltert, liste([]))
    body = server.routen["/bodies"][1].decode().replace('"name"', f'"file": "{server.basis}/body/1/file", "name"')
    server.routen["/bodies"] = (200, body.encode())
    server.json("/body/1/file" + gefiltert, liste([{"id": "BASIS/file/2", "modified": spaeter, "deleted": True}]))

    bericht = importieren(url, seit=seit)

    assert bericht.zahlen["Paper"]["geloescht"] == 1 and bericht.zahlen["File"]["geloescht"] == 1
    assert any("gesamt" in zeile and " / 2 / " in zeile for zeile in bericht.zeilen())
    eins.refresh_from_db()
    assert (eins.status, eins.oeffentlich) == (Vorlage.Status.ZURUECKGEZOGEN, False)
    assert client.get(reverse("oparl:paper", kwargs={"pk": eins.pk})).json()["deleted"] is True
    anlage_zwei.refresh_from_db()
    assert not anlage_zwei.oeffentlich
    assert client.get(reverse("oparl:file", kwargs={"pk": anlage_zwei.pk})).json()["deleted"] is True
    assert "deleted" not in client.get(reverse("oparl:paper", kwargs={"pk": zwei.pk})).json()
    grabsteine = list(Tombstone.objects.values_list("pfad", "geloescht_am"))

    wieder = importieren(url, seit=seit)
    assert (wieder.summe("angelegt"), wieder.summe("aktualisiert"), wieder.summe("geloescht")) == (0, 0, 0)
    assert list(Tombstone.objects.values_list("pfad", "geloescht_am")) == grabsteine

    # The source publishes the paper again: the same record is public again, and its tombstone goes.
    noch_spaeter = "2021-08-01T10:00:00+02:00"
    server.json("/body/1/paper" + gefiltert, liste([papier(1, modified=noch_spaeter)]))
    importieren(url, seit=seit)
    eins.refresh_from_db()
    assert (eins.status, eins.oeffentlich) == (Vorlage.Status.VEROEFFENTLICHT, True)
    assert "deleted" not in client.get(reverse("oparl:paper", kwargs={"pk": eins.pk})).json()
    assert Vorlage.objects.count() == 2


# -- redirect ----------------------------------------------------------------------------------------------------


def test_an_original_id_redirects_to_our_page_and_with_json_to_our_oparl_object(client):
    herkunft = HerkunftFactory()
    vorlage = herkunft.objekt
    antwort = client.get(herkunft_url(herkunft.oparl_id))
    assert antwort.status_code == 302 and antwort["Location"] == vorlage.get_absolute_url()
    assert "Accept" in antwort["Vary"]
    antwort = client.get(herkunft_url(herkunft.oparl_id), **JSON)
    assert antwort.status_code == 302 and antwort["Location"] == oparl("paper", vorlage.pk)
    assert "Accept" in antwort["Vary"]


def test_an_old_web_address_redirects_also_with_the_other_scheme(client):
    top = TagesordnungspunktFactory()
    HerkunftFactory(objekt=top, typ="AgendaItem", web="http://alt.example.org/to020.asp?TOLFDNR=7")
    for adresse in ("http://alt.example.org/to020.asp?TOLFDNR=7", "https://alt.example.org/to020.asp?TOLFDNR=7"):
        antwort = client.get(herkunft_url(adresse))
        assert antwort.status_code == 302 and antwort["Location"] == top.get_absolute_url()
    antwort = client.get(herkunft_url("http://alt.example.org/to020.asp?TOLFDNR=7"), **JSON)
    assert antwort["Location"] == oparl("agendaitem", top.pk)


def test_an_unknown_or_missing_id_answers_with_the_reason(client):
    antwort = client.get(herkunft_url("https://alt.example.org/oparl/paper/999"))
    assert antwort.status_code == 404 and "nicht bekannt" in antwort.content.decode()
    antwort = client.get(herkunft_url("https://alt.example.org/oparl/paper/999"), **JSON)
    assert antwort.status_code == 404 and antwort.json()["type"] == "https://schema.oparl.org/1.1/Error"
    assert "nicht bekannt" in antwort.json()["message"]
    antwort = client.get(reverse("oparlimport:herkunft"))
    assert antwort.status_code == 400 and "Parameter id" in antwort.content.decode()


def test_a_hidden_or_deleted_object_answers_404_to_whoever_may_not_see_it(client):
    entwurf = HerkunftFactory(objekt=VorlageFactory(entwurf=True))
    for kopf in ({}, JSON):
        antwort = client.get(herkunft_url(entwurf.oparl_id), **kopf)
        assert antwort.status_code == 404, kopf
    nicht_oeffentlicher_top = HerkunftFactory(objekt=TagesordnungspunktFactory(oeffentlich=False), typ="AgendaItem")
    assert client.get(herkunft_url(nicht_oeffentlicher_top.oparl_id)).status_code == 404
    geloescht = HerkunftFactory()
    Vorlage.objects.filter(pk=geloescht.object_id).delete()
    antwort = client.get(herkunft_url(geloescht.oparl_id))
    assert antwort.status_code == 404 and "nicht mehr" in antwort.content.decode()
    # The clerk who may see drafts is led to it.
    client.force_login(SachbearbeitungFactory())
    antwort = client.get(herkunft_url(entwurf.oparl_id))
    assert antwort.status_code == 302


def test_a_file_leads_to_its_anlage_once_downloaded_and_pages_without_html_say_so(client):
    anlage = AnlageFactory()
    datei = Datei.objects.create(oparl_id="https://alt.example.org/oparl/file/1", vorlage=anlage.vorlage, rolle="x")
    herkunft = HerkunftFactory(objekt=datei, oparl_id=datei.oparl_id, typ="File")
    antwort = client.get(herkunft_url(herkunft.oparl_id))
    assert antwort.status_code == 404 and "nicht übernommen" in antwort.content.decode()
    datei.anlage = anlage
    datei.save()
    antwort = client.get(herkunft_url(herkunft.oparl_id), **JSON)
    assert antwort.status_code == 302 and antwort["Location"] == oparl("file", anlage.pk)
    dienststelle = HerkunftFactory(objekt=DienststelleFactory(), typ="Organization")
    antwort = client.get(herkunft_url(dienststelle.oparl_id))
    assert antwort.status_code == 404 and "keine eigene Seite" in antwort.content.decode()
    gremium = HerkunftFactory(objekt=AusschussFactory(), typ="Organization")
    assert (
        client.get(herkunft_url(gremium.oparl_id))["Location"]
        == gremium.content_type.get_object_for_this_type(pk=gremium.object_id).get_absolute_url()
    )
