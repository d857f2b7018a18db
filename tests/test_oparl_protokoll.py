"""The record of a Sitzung in the OParl API (issue 17, item 5): Meeting.participant and the Meeting's Files from its
Sitzungsdokumente, AgendaItem.result/resolutionText/resolutionFile, and votes, Befangenheiten and attendance as the
vendor extension ``ratsinfo:`` - valid against the 1.1 schemas and through the one visibility rule."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oparl.abbildung import LISTEN
from protokoll.models import Sitzungsdokument
from tests import test_oparl
from tests.factories import (
    AbstimmungFactory,
    AnlageFactory,
    AnwesenheitFactory,
    BefangenheitFactory,
    PersonFactory,
    SitzungFactory,
    SitzungsdokumentFactory,
    StimmeFactory,
    TagesordnungspunktFactory,
)
from tests.test_oparl import holen, regeln_pruefen, url, validieren

Art = Sitzungsdokument.Art
# The schema validators of the OParl tests, as a fixture of this module too.
validatoren = test_oparl.validatoren


def test_a_meeting_names_its_participants_and_its_files_by_the_art_of_each_document(client, db, validatoren):
    sitzung = SitzungFactory()
    anwesend = AnwesenheitFactory(sitzung=sitzung)
    spaeter_da = TagesordnungspunktFactory(sitzung=sitzung)
    kommt_spaeter = AnwesenheitFactory(sitzung=sitzung, ab_top=spaeter_da)
    vertreten = PersonFactory()
    vertreter = AnwesenheitFactory(sitzung=sitzung, vertritt=vertreten, stimmberechtigt=True)
    entschuldigt = AnwesenheitFactory(sitzung=sitzung, status="entschuldigt")
    einladung = SitzungsdokumentFactory(sitzung=sitzung, art=Art.EINLADUNG, reihenfolge=1)
    zweite_einladung = SitzungsdokumentFactory(sitzung=sitzung, art=Art.EINLADUNG, reihenfolge=2)
    niederschrift = SitzungsdokumentFactory(
        sitzung=sitzung, art=Art.NIEDERSCHRIFT, reihenfolge=3, text="Text der Niederschrift"
    )
    wortprotokoll = SitzungsdokumentFactory(sitzung=sitzung, art=Art.WORTPROTOKOLL, reihenfolge=4)
    praesentation = SitzungsdokumentFactory(sitzung=sitzung, art=Art.PRAESENTATION, reihenfolge=5)

    meeting = holen(client, url("meeting", pk=sitzung.pk))
    validieren(validatoren, meeting)
    regeln_pruefen(meeting, "Meeting")

    def person(a):
        return url_absolut("person", a.person_id)

    assert set(meeting["participant"]) == {person(anwesend), person(kommt_spaeter), person(vertreter)}
    assert meeting["invitation"]["id"] == url_absolut("sitzungsdokument", einladung.pk)
    assert meeting["resultsProtocol"]["id"] == url_absolut("sitzungsdokument", niederschrift.pk)
    assert meeting["resultsProtocol"]["text"] == "Text der Niederschrift"
    assert meeting["verbatimProtocol"]["id"] == url_absolut("sitzungsdokument", wortprotokoll.pk)
    # A second Einladung (a Nachtrag filed as one) is not lost: it joins the other files.
    assert [f["id"] for f in meeting["auxiliaryFile"]] == [
        url_absolut("sitzungsdokument", zweite_einladung.pk),
        url_absolut("sitzungsdokument", praesentation.pk),
    ]
    # The site's download as accessUrl, ours with Content-Disposition: attachment as downloadUrl.
    assert meeting["invitation"]["accessUrl"].endswith(einladung.get_absolute_url())
    assert meeting["invitation"]["downloadUrl"] == url_absolut("sitzungsdokument-download", einladung.pk)
    # Embedded copies leave out the link back; fetched on its own, the File names its Meeting.
    assert "meeting" not in meeting["invitation"]
    datei = holen(client, meeting["invitation"]["id"])
    validieren(validatoren, datei)
    assert datei["meeting"] == [meeting["id"]]
    assert {k: v for k, v in datei.items() if k != "meeting"} == meeting["invitation"]

    anwesenheit = {eintrag["person"]: eintrag for eintrag in meeting["ratsinfo:anwesenheit"]}
    assert anwesenheit[person(entschuldigt)] == {
        "person": person(entschuldigt),
        "status": "entschuldigt",
        "stimmberechtigt": True,
    }
    assert anwesenheit[person(kommt_spaeter)]["abTagesordnungspunkt"] == url_absolut("agendaitem", spaeter_da.pk)
    assert anwesenheit[person(vertreter)]["vertritt"] == url_absolut("person", vertreten.pk)


def url_absolut(name, pk):
    from oparl.abbildung import oparl_url

    return oparl_url(name, pk=pk)


def test_a_meeting_without_a_record_carries_none_of_the_new_properties(client, db, validatoren):
    meeting = holen(client, url("meeting", pk=SitzungFactory().pk))
    validieren(validatoren, meeting)
    neu = {"participant", "invitation", "resultsProtocol", "verbatimProtocol", "auxiliaryFile", "ratsinfo:anwesenheit"}
    assert not neu & set(meeting)


def test_omit_internal_leaves_out_the_embedded_files_of_a_meeting(client, db):
    sitzung = SitzungFactory()
    for art in (Art.EINLADUNG, Art.NIEDERSCHRIFT, Art.WORTPROTOKOLL, Art.SONSTIGES):
        SitzungsdokumentFactory(sitzung=sitzung, art=art)
    AnwesenheitFactory(sitzung=sitzung)
    (meeting,) = holen(client, url("liste", liste="meeting") + "?omit_internal=true")["data"]
    assert not {"invitation", "resultsProtocol", "verbatimProtocol", "auxiliaryFile"} & set(meeting)
    assert meeting["participant"]


def test_sitzungsdokument_files_have_ids_of_their_own_beside_the_anlagen_in_the_file_list(client, db, validatoren):
    anlage = AnlageFactory()
    dokument = SitzungsdokumentFactory()
    # Both tables count from 1: equal pks must still give different ids.
    assert url_absolut("file", anlage.pk) != url_absolut("sitzungsdokument", anlage.pk)
    liste = holen(client, url("liste", liste="file") + "?limit=100")
    ids = [f["id"] for f in liste["data"]]
    assert url_absolut("file", anlage.pk) in ids
    assert url_absolut("sitzungsdokument", dokument.pk) in ids
    assert len(ids) == len(set(ids))
    for datei in liste["data"]:
        validieren(validatoren, datei)
    assert "sitzungsdokument" in LISTEN["file"]


def test_the_download_url_of_a_sitzungsdokument_sends_it_as_an_attachment(client, db):
    dokument = SitzungsdokumentFactory(dateiname="einladung.pdf")
    antwort = client.get(reverse("oparl:sitzungsdokument-download", kwargs={"pk": dokument.pk}))
    assert antwort.status_code == 200
    assert antwort["Content-Disposition"].startswith("attachment") and "einladung.pdf" in antwort["Content-Disposition"]
    assert b"".join(antwort.streaming_content).startswith(b"%PDF")


def test_non_public_documents_and_those_of_non_public_sitzungen_are_not_in_the_api(client, db):
    offen = SitzungFactory()
    geheim = SitzungsdokumentFactory(sitzung=offen, oeffentlich=False, titel="kanarie nichtöffentlich")
    in_geheimer_sitzung = SitzungsdokumentFactory(
        sitzung=SitzungFactory(oeffentlich=False), art=Art.NIEDERSCHRIFT, titel="kanarie geheime Sitzung"
    )
    for dokument in (geheim, in_geheimer_sitzung):
        assert holen(client, url("sitzungsdokument", pk=dokument.pk), status=404)["type"].endswith("Error")
        download = client.get(reverse("oparl:sitzungsdokument-download", kwargs={"pk": dokument.pk}))
        assert download.status_code == 404
    texte = json.dumps(holen(client, url("meeting", pk=offen.pk)))
    texte += json.dumps(holen(client, url("meeting", pk=in_geheimer_sitzung.sitzung_id)))
    texte += "".join(json.dumps(holen(client, url("liste", liste=liste) + "?limit=100")) for liste in LISTEN)
    assert "kanarie" not in texte


def test_a_document_that_leaves_the_public_view_leaves_a_tombstone_and_its_meeting_changes(client, db, validatoren):
    dokument = SitzungsdokumentFactory(art=Art.EINLADUNG)
    vorher = holen(client, url("meeting", pk=dokument.sitzung_id))
    assert "invitation" in vorher
    dokument.oeffentlich = False
    dokument.save()
    grabstein = holen(client, url("sitzungsdokument", pk=dokument.pk))
    validieren(validatoren, grabstein)
    assert grabstein["deleted"] is True
    assert grabstein["accessUrl"] == url_absolut("sitzungsdokument-download", dokument.pk)
    assert client.get(reverse("oparl:sitzungsdokument-download", kwargs={"pk": dokument.pk})).status_code == 404
    nachher = holen(client, url("meeting", pk=dokument.sitzung_id))
    assert "invitation" not in nachher and nachher["modified"] >= vorher["modified"]
    seit = "2000-01-01T00:00:00"
    geloescht = holen(client, url("liste", liste="file") + f"?modified_since={seit}&limit=100")["data"]
    assert any(f["id"] == grabstein["id"] and f.get("deleted") for f in geloescht)


def test_an_agenda_item_carries_result_resolution_votes_and_befangenheit(client, db, validatoren):
    top = TagesordnungspunktFactory(ergebnis="beschlossen", beschluss="Der Gemeinderat beschließt den Bebauungsplan.")
    befangen = BefangenheitFactory(tagesordnungspunkt=top, grund="Grundstücksnachbar")
    AbstimmungFactory(tagesordnungspunkt=top, reihenfolge=1, gegenstand="Änderungsantrag", ja=3, nein=9, enthaltung=1)
    namentlich = AbstimmungFactory(tagesordnungspunkt=top, reihenfolge=2, art="namentlich", ja=1, nein=1)
    ja = StimmeFactory(abstimmung=namentlich, stimme="ja")
    nein = StimmeFactory(abstimmung=namentlich, stimme="nein")

    punkt = holen(client, url("agendaitem", pk=top.pk))
    validieren(validatoren, punkt)
    regeln_pruefen(punkt, "AgendaItem")
    assert punkt["result"] == "beschlossen"
    assert punkt["resolutionText"] == "Der Gemeinderat beschließt den Bebauungsplan."
    assert punkt["ratsinfo:befangen"] == [url_absolut("person", befangen.person_id)]
    # The reason is a note of the Sitzungsdienst, not part of the published record.
    assert "Grundstücksnachbar" not in json.dumps(punkt)
    erste, zweite = punkt["ratsinfo:abstimmungen"]
    assert erste == {
        "reihenfolge": 1,
        "gegenstand": "Änderungsantrag",
        "art": "offen",
        "ja": 3,
        "nein": 9,
        "enthaltung": 1,
    }
    assert zweite["art"] == "namentlich" and "gegenstand" not in zweite
    assert {(s["person"], s["stimme"]) for s in zweite["stimmen"]} == {
        (url_absolut("person", ja.person_id), "ja"),
        (url_absolut("person", nein.person_id), "nein"),
    }
    meeting = holen(client, url("meeting", pk=top.sitzung_id))
    validieren(validatoren, meeting)
    assert meeting["agendaItem"][0] == {k: v for k, v in punkt.items() if k != "meeting"}


@pytest.mark.parametrize("sitzung_oeffentlich", [True, False])
def test_a_non_public_agenda_item_shows_neither_result_nor_resolution_nor_votes(
    client, db, validatoren, sitzung_oeffentlich
):
    sitzung = SitzungFactory(oeffentlich=sitzung_oeffentlich)
    top = TagesordnungspunktFactory(
        sitzung=sitzung, oeffentlich=False, ergebnis="abgelehnt", titel="kanarie titel", beschluss="kanarie beschluss"
    )
    BefangenheitFactory(tagesordnungspunkt=top)
    abstimmung = AbstimmungFactory(tagesordnungspunkt=top, art="namentlich", gegenstand="kanarie gegenstand", ja=1)
    StimmeFactory(abstimmung=abstimmung)
    AnwesenheitFactory(sitzung=sitzung, bis_top=top)

    punkt = holen(client, url("agendaitem", pk=top.pk))
    meeting = holen(client, url("meeting", pk=sitzung.pk))
    validieren(validatoren, punkt)
    validieren(validatoren, meeting)
    assert set(punkt) == {"id", "type", "created", "modified", "meeting", "number", "order", "public", "name"}
    texte = json.dumps(punkt) + json.dumps(meeting)
    texte += "".join(json.dumps(holen(client, url("liste", liste=liste) + "?limit=100")) for liste in LISTEN)
    assert "kanarie" not in texte and "abgelehnt" not in texte and "ratsinfo:abstimmungen" not in texte
    # Attendance is public, and names the TOP someone left after by its AgendaItem (which shows its number only).
    assert meeting["ratsinfo:anwesenheit"][0]["bisTagesordnungspunkt"] == punkt["id"]


def test_recording_a_vote_changes_the_modified_of_its_agenda_item_and_meeting(client, db):
    top = TagesordnungspunktFactory()
    vorher = holen(client, url("meeting", pk=top.sitzung_id))["modified"]
    abstimmung = AbstimmungFactory(tagesordnungspunkt=top)
    spaeter = timezone.now() + datetime.timedelta(hours=1)
    abstimmung.geaendert_am = spaeter
    type(abstimmung).objects.filter(pk=abstimmung.pk).update(geaendert_am=spaeter)
    abstimmung.tagesordnungspunkt.save(update_fields=["titel"])  # the page cache notices saves
    erwartet = spaeter.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")
    meeting = holen(client, url("meeting", pk=top.sitzung_id))
    assert meeting["modified"] == erwartet > vorher
    assert holen(client, url("agendaitem", pk=top.pk))["modified"] == erwartet
    bis = (spaeter - datetime.timedelta(minutes=1)).isoformat().replace("+", "%2B")
    for liste, objekt in (("meeting", meeting["id"]), ("agendaItem", url_absolut("agendaitem", top.pk))):
        assert [o["id"] for o in holen(client, url("liste", liste=liste) + f"?modified_since={bis}")["data"]] == [
            objekt
        ]


def test_deleting_a_vote_changes_the_agenda_item(client, db):
    top = TagesordnungspunktFactory()
    abstimmung = AbstimmungFactory(tagesordnungspunkt=top)
    vorher = top.geaendert_am
    abstimmung.delete()
    top.refresh_from_db()
    assert top.geaendert_am > vorher
    assert "ratsinfo:abstimmungen" not in holen(client, url("agendaitem", pk=top.pk))


def sitzungen_mit_protokoll(anzahl):
    for i in range(anzahl):
        sitzung = SitzungFactory()
        tops = [TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=j % 3 != 2, beschluss="B") for j in range(3)]
        for top in tops:
            abstimmung = AbstimmungFactory(tagesordnungspunkt=top, art="namentlich")
            StimmeFactory(abstimmung=abstimmung)
            BefangenheitFactory(tagesordnungspunkt=top)
        AnwesenheitFactory(sitzung=sitzung, ab_top=tops[1])
        AnwesenheitFactory(sitzung=sitzung, status="entschuldigt")
        for art in (Art.EINLADUNG, Art.NIEDERSCHRIFT, Art.TISCHVORLAGE):
            SitzungsdokumentFactory(sitzung=sitzung, art=art, oeffentlich=i % 2 == 0 or art != Art.TISCHVORLAGE)


@pytest.mark.parametrize("liste", ["meeting", "agendaItem", "file"])
def test_meeting_agenda_item_and_file_list_pages_run_a_fixed_number_of_queries(client, db, liste):
    def zaehlen():
        with CaptureQueriesContext(connection) as erfasst:
            antwort = client.get(url("liste", liste=liste) + "?limit=100")
        assert antwort.status_code == 200
        return len(erfasst), len(antwort.json()["data"])

    sitzungen_mit_protokoll(2)
    klein, zeilen_klein = zaehlen()
    sitzungen_mit_protokoll(12)
    gross, zeilen_gross = zaehlen()
    assert zeilen_gross > zeilen_klein
    assert klein == gross, (liste, klein, gross)


# AgendaItem.resolutionFile: the Beschlussauszug PDF of druck (URL name druck:beschlussauszug).


def test_with_the_beschlussauszug_view_a_decided_public_agenda_item_has_a_resolution_file(client, db, validatoren):
    top = TagesordnungspunktFactory(beschluss="Beschlossen.")
    ohne_beschluss = TagesordnungspunktFactory(sitzung=top.sitzung)
    geheim = TagesordnungspunktFactory(sitzung=top.sitzung, oeffentlich=False, beschluss="Geheim.")
    punkt = holen(client, url("agendaitem", pk=top.pk))
    validieren(validatoren, punkt)
    datei = punkt["resolutionFile"]
    assert datei["id"] == url_absolut("beschlussauszug", top.pk)
    assert datei["accessUrl"].endswith(reverse("druck:beschlussauszug", kwargs={"pk": top.sitzung_id, "top": top.pk}))
    einzeln = holen(client, datei["id"])
    validieren(validatoren, einzeln)
    assert einzeln["agendaItem"] == [punkt["id"]] and einzeln["meeting"] == [punkt["meeting"]]
    assert "resolutionFile" not in holen(client, url("agendaitem", pk=ohne_beschluss.pk))
    holen(client, url("beschlussauszug", pk=geheim.pk), status=404)
    holen(client, url("beschlussauszug", pk=ohne_beschluss.pk), status=404)
    ids = [f["id"] for f in holen(client, url("liste", liste="file") + "?limit=100")["data"]]
    assert ids == [datei["id"]]


@pytest.fixture
def demodaten(demodaten):
    """The demo data with a record on one public Sitzung, until the demo data carries one of its own."""
    from sitzungen.models import Sitzung

    sitzung = Sitzung.objects.filter(oeffentlich=True, tagesordnungspunkte__oeffentlich=True).first()
    top = sitzung.tagesordnungspunkte.filter(oeffentlich=True).first()
    top.beschluss = top.beschluss or "Beschlossen wie beantragt."
    top.save()
    abstimmung = AbstimmungFactory(tagesordnungspunkt=top, art="namentlich", ja=1)
    StimmeFactory(abstimmung=abstimmung)
    BefangenheitFactory(tagesordnungspunkt=top)
    AnwesenheitFactory(sitzung=sitzung)
    for art in (Art.EINLADUNG, Art.NIEDERSCHRIFT, Art.PRAESENTATION):
        SitzungsdokumentFactory(sitzung=sitzung, art=art)


crawl = test_oparl.crawl


def test_the_whole_api_with_a_record_follows_the_schemas_and_embedded_files_match_their_objects(
    client, crawl, validatoren
):
    typen = {adresse.split("/oparl/v1.1/")[1].split("/")[0] for adresse in crawl["objekte"]}
    assert {"sitzungsdokument", "beschlussauszug"} <= typen
    test_oparl.test_every_embedded_object_can_be_fetched_at_its_id_and_then_names_its_parent(client, crawl, validatoren)
