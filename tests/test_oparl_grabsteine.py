"""Tombstones for objects that leave the public view (issue 6): hidden, set back to draft, made confidential -
served as ``deleted: true`` and listed with modified_since; gone again once the object is public again."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from oparl.models import Tombstone
from tests import test_oparl
from tests.factories import (
    AnlageFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)
from tests.test_oparl import holen, url, validieren
from vorlagen.models import Vorlage
from vorlagen.services import vorlage_veroeffentlichen, vorlage_zurueckziehen

pytestmark = pytest.mark.django_db

validatoren = test_oparl.validatoren


def seit(zeit):
    return zeit.isoformat().replace("+", "%2B")


def vor_einer_sekunde():
    return timezone.now() - datetime.timedelta(seconds=1)


def vorlage_mit_kindern():
    vorlage = VorlageFactory()
    return vorlage, AnlageFactory(vorlage=vorlage), BeratungFactory(vorlage=vorlage)


def altern(*objekte):
    """Move the objects' last change two days back, so that a change now shows in ``modified``."""
    alt = timezone.now() - datetime.timedelta(days=2)
    for objekt in objekte:
        type(objekt).objects.filter(pk=objekt.pk).update(geaendert_am=alt)


def grabstein(pfad):
    return Tombstone.objects.get(pfad=pfad)


@pytest.mark.parametrize(
    ("aenderung", "grund"),
    [
        ({"oeffentlich": False}, Tombstone.Grund.NICHT_OEFFENTLICH),
        ({"vertraulich": True}, Tombstone.Grund.NICHT_OEFFENTLICH),
        ({"status": Vorlage.Status.ENTWURF, "veroeffentlicht_am": None}, Tombstone.Grund.ZURUECKGEZOGEN),
    ],
)
def test_a_paper_leaving_the_public_view_answers_deleted_with_its_files_and_consultations(
    client, validatoren, aenderung, grund
):
    vorlage, anlage, beratung = vorlage_mit_kindern()
    erstellt = holen(client, url("paper", pk=vorlage.pk))["created"]
    vorher = vor_einer_sekunde()
    for feld, wert in aenderung.items():
        setattr(vorlage, feld, wert)
    vorlage.save()
    for name, pk in (("paper", vorlage.pk), ("file", anlage.pk), ("consultation", beratung.pk)):
        objekt = holen(client, url(name, pk=pk))
        validieren(validatoren, objekt)
        assert objekt["deleted"] is True and objekt["modified"] >= objekt["created"]
        assert grabstein(f"{name}/{pk}").grund == grund
        liste = {"paper": "paper", "file": "file", "consultation": "consultation"}[name]
        gefiltert = holen(client, url("liste", liste=liste) + f"?modified_since={seit(vorher)}")["data"]
        assert [o["id"] for o in gefiltert] == [objekt["id"]] and gefiltert[0]["deleted"] is True
        assert holen(client, url("liste", liste=liste))["data"] == []
    assert holen(client, url("paper", pk=vorlage.pk))["created"] == erstellt


def test_a_withdrawn_paper_stays_public_as_on_the_site_marked_by_keyword(client):
    vorlage, anlage, _ = vorlage_mit_kindern()
    vorlage_zurueckziehen(vorlage=vorlage)
    paper = holen(client, url("paper", pk=vorlage.pk))
    assert "deleted" not in paper and paper["keyword"] == ["zurückgezogen"]
    assert paper["auxiliaryFile"][0]["id"].endswith(f"/file/{anlage.pk}")
    assert not Tombstone.objects.exists()
    assert client.get(vorlage.get_absolute_url()).status_code == 200


def test_a_paper_public_again_loses_its_tombstones_and_its_children_count_as_changed(client):
    vorlage, _, _ = vorlage_mit_kindern()
    vorlage.oeffentlich = False
    vorlage.save()
    assert Tombstone.objects.count() == 3
    vorher = vor_einer_sekunde()
    vorlage.oeffentlich = True
    vorlage.save()
    assert not Tombstone.objects.exists()
    paper = holen(client, url("paper", pk=vorlage.pk))
    assert "deleted" not in paper and len(paper["auxiliaryFile"]) == 1
    # A client that asks for what changed since it saw the tombstones gets the File and Consultation back.
    for liste in ("file", "consultation"):
        daten = holen(client, url("liste", liste=liste) + f"?modified_since={seit(vorher)}")["data"]
        assert len(daten) == 1 and "deleted" not in daten[0]


def test_publishing_a_draft_leaves_no_tombstone_and_a_never_public_paper_stays_a_plain_404(client):
    entwurf = VorlageFactory(entwurf=True)
    anlage = AnlageFactory(vorlage=entwurf)
    entwurf.titel = "Noch ein Entwurf"
    entwurf.save()
    holen(client, url("paper", pk=entwurf.pk), status=404)
    holen(client, url("file", pk=anlage.pk), status=404)
    vertraulich = VorlageFactory(vertraulich=True)
    vertraulich.oeffentlich = False
    vertraulich.save()
    holen(client, url("paper", pk=vertraulich.pk), status=404)
    assert not Tombstone.objects.exists()
    vorlage_veroeffentlichen(vorlage=entwurf)
    assert "deleted" not in holen(client, url("paper", pk=entwurf.pk))
    assert not Tombstone.objects.exists()


def test_a_hidden_file_leaves_a_tombstone_and_moves_its_papers_modified(client, validatoren):
    vorlage, anlage, beratung = vorlage_mit_kindern()
    andere = AnlageFactory(vorlage=vorlage, oeffentlich=False)
    altern(vorlage, anlage, beratung)
    vorher_modified = holen(client, url("paper", pk=vorlage.pk))["modified"]
    vorher = vor_einer_sekunde()
    anlage.refresh_from_db()
    anlage.vertraulich = True
    anlage.save()
    datei = holen(client, url("file", pk=anlage.pk))
    validieren(validatoren, datei)
    assert datei["deleted"] is True and grabstein(f"file/{anlage.pk}").grund == Tombstone.Grund.NICHT_OEFFENTLICH
    paper = holen(client, url("paper", pk=vorlage.pk))
    assert paper["modified"] > vorher_modified and paper["auxiliaryFile"] == []
    geaendert = holen(client, url("liste", liste="paper") + f"?modified_since={seit(vorher)}")["data"]
    assert [p["id"] for p in geaendert] == [paper["id"]]
    # The non-public Anlage was never in the API: saving it leaves nothing.
    andere.titel = "Anders"
    andere.save()
    holen(client, url("file", pk=andere.pk), status=404)


def test_a_hidden_consultation_leaves_a_tombstone_and_comes_back_when_public(client):
    vorlage, _, beratung = vorlage_mit_kindern()
    beratung.oeffentlich = False
    beratung.save()
    assert holen(client, url("consultation", pk=beratung.pk))["deleted"] is True
    assert holen(client, url("paper", pk=vorlage.pk))["consultation"] == []
    beratung.oeffentlich = True
    beratung.save()
    assert "deleted" not in holen(client, url("consultation", pk=beratung.pk))
    assert not Tombstone.objects.exists()


def test_deleting_a_child_moves_its_parents_modified(client):
    vorlage, anlage, beratung = vorlage_mit_kindern()
    top = TagesordnungspunktFactory(sitzung=SitzungFactory())
    mitgliedschaft = MitgliedschaftFactory()
    eltern = [
        (vorlage, "paper", anlage),
        (top.sitzung, "meeting", top),
        (mitgliedschaft.person, "person", mitgliedschaft),
    ]
    altern(*(objekt for objekt, _, _ in eltern), anlage, beratung, top, mitgliedschaft)
    if top.sitzung.ort:
        altern(top.sitzung.ort)
    vorher = {name: holen(client, url(name, pk=objekt.pk))["modified"] for objekt, name, _ in eltern}
    anlage_pk = anlage.pk
    for _, _, kind in eltern:
        kind.delete()
    for objekt, name, _ in eltern:
        assert holen(client, url(name, pk=objekt.pk))["modified"] > vorher[name], name
    assert grabstein(f"file/{anlage_pk}").grund == Tombstone.Grund.GELOESCHT


def test_deleting_a_hidden_paper_keeps_its_tombstone_and_reason(client):
    vorlage, _, _ = vorlage_mit_kindern()
    vorlage.oeffentlich = False
    vorlage.save()
    pk = vorlage.pk
    vorlage.delete()
    assert holen(client, url("paper", pk=pk))["deleted"] is True
    assert grabstein(f"paper/{pk}").grund == Tombstone.Grund.NICHT_OEFFENTLICH


def test_clerks_see_in_the_admin_what_left_the_api_and_why_but_cannot_change_it(client):
    vorlage, _, _ = vorlage_mit_kindern()
    vorlage.vertraulich = True
    vorlage.save()
    sachbearbeitung = UserFactory(is_staff=True)
    sachbearbeitung.user_permissions.add(Permission.objects.get(codename="view_tombstone"))
    client.force_login(sachbearbeitung)
    liste = client.get(reverse("admin:oparl_tombstone_changelist") + "?grund=nicht_oeffentlich")
    assert liste.status_code == 200 and f"paper/{vorlage.pk}" in liste.content.decode()
    assert "nicht mehr öffentlich" in liste.content.decode()
    assert client.get(reverse("admin:oparl_tombstone_add")).status_code == 403
    seite = client.get(reverse("admin:oparl_tombstone_change", args=[grabstein(f"paper/{vorlage.pk}").pk]))
    assert seite.status_code == 200 and f"/oparl/v1.1/paper/{vorlage.pk}" in seite.content.decode()


def test_a_consultation_leaving_or_entering_the_view_moves_its_agenda_item_and_meeting(client):
    top = TagesordnungspunktFactory()
    beratung = BeratungFactory(
        vorlage=VorlageFactory(), ausschuss=top.sitzung.ausschuss, sitzung=top.sitzung, tagesordnungspunkt=top
    )
    altern(top, top.sitzung, *([top.sitzung.ort] if top.sitzung.ort else []))
    vorher = holen(client, url("agendaitem", pk=top.pk))
    assert vorher["consultation"].endswith(f"/consultation/{beratung.pk}")
    beratung.oeffentlich = False
    beratung.save()
    danach = holen(client, url("agendaitem", pk=top.pk))
    assert "consultation" not in danach and danach["modified"] > vorher["modified"]
    assert holen(client, url("meeting", pk=top.sitzung_id))["modified"] > vorher["modified"]
    beratung.oeffentlich = True
    beratung.save()
    altern(top, top.sitzung)
    vor_dem_loeschen = holen(client, url("agendaitem", pk=top.pk))["modified"]
    beratung.delete()
    assert holen(client, url("agendaitem", pk=top.pk))["modified"] > vor_dem_loeschen
