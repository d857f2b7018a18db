"""Versions of a convened Sitzung's Tagesordnung: recorded on change, the diff, the public pages (issue 19, 5)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from einberufung.services import einladung_versenden, nachtrag_versenden
from protokoll.services import top_vertagen
from sitzungen.fassungen import tagesordnung_erfassen, tagesordnung_fassung_festhalten, unterschiede
from sitzungen.models import Sitzung, Tagesordnungsfassung
from tests.factories import (
    AnlageFactory,
    AusschussFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
    pdf_bauen,
)
from tests.test_admin import formulardaten, neue_zeile
from vorlagen.models import Anlage

pytestmark = pytest.mark.django_db


def test_a_version_is_recorded_only_when_the_sitzung_is_convened():
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    TagesordnungspunktFactory(sitzung=sitzung)

    assert tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung") is None

    sitzung.status = Sitzung.Status.EINBERUFEN
    sitzung.save()
    fassung = tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")
    assert fassung.nummer == 1
    assert fassung.anlass == "Einladung"
    assert [top["titel"] for top in fassung.inhalt["tops"]] == [sitzung.tagesordnungspunkte.get().titel]


def test_a_version_is_recorded_only_when_the_agenda_changed():
    sitzung = SitzungFactory()
    top = TagesordnungspunktFactory(sitzung=sitzung)
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")

    assert tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Änderung durch den Sitzungsdienst") is None

    top.titel = "Ein neuer Titel"
    top.save()
    zweite = tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Änderung durch den Sitzungsdienst")
    assert zweite.nummer == 2
    assert Tagesordnungsfassung.objects.filter(sitzung=sitzung).count() == 2


def test_a_replaced_anlage_on_the_agenda_records_a_new_version():
    sitzung = SitzungFactory()
    vorlage = VorlageFactory()
    TagesordnungspunktFactory(sitzung=sitzung).vorlagen.add(vorlage)
    anlage = AnlageFactory(vorlage=vorlage)
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")

    anlage.datei = ContentFile(pdf_bauen(seiten=3), name="neu.pdf")
    anlage.full_clean()
    anlage.save()
    zweite = tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Nachtrag 1")

    assert zweite is not None
    assert [
        aenderung["art"] for aenderung in unterschiede(zweite.sitzung.fassungen.get(nummer=1).inhalt, zweite.inhalt)
    ] == ["anlage_ersetzt"]
    assert tagesordnung_erfassen(sitzung) == zweite.inhalt


def _sitzung_mit_gremium():
    ausschuss = AusschussFactory(name="Ausschuss für Umwelt und Technik", ladungsfrist_tage=7)
    beginn = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=14), datetime.time(16, 30))
    )
    sitzung = SitzungFactory(ausschuss=ausschuss, beginn=beginn, status=Sitzung.Status.GEPLANT)
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Radweg Neckartalstraße")
    MitgliedschaftFactory(
        person=PersonFactory(vorname="Mia", nachname="Maier", email="mia@example.org"), ausschuss=ausschuss
    )
    return sitzung


def test_the_einladung_and_each_nachtrag_record_a_version(smtp, django_capture_on_commit_callbacks):
    sitzung = _sitzung_mit_gremium()
    clerk = SachbearbeitungFactory()
    with django_capture_on_commit_callbacks(execute=True):
        einladung_versenden(sitzung=sitzung, user=clerk)
    assert smtp.an("mia@example.org")
    (erste,) = sitzung.fassungen.all()
    assert (erste.nummer, erste.anlass, erste.user) == (1, "Einladung", clerk)

    TagesordnungspunktFactory(sitzung=sitzung, nummer="2", reihenfolge=2, titel="Baumschutzsatzung")
    with django_capture_on_commit_callbacks(execute=True):
        nachtrag_versenden(sitzung=sitzung, user=clerk)

    zweite = sitzung.fassungen.get(nummer=2)
    assert zweite.anlass == "Nachtrag 1"
    assert [(a["art"], a["top"]["titel"]) for a in unterschiede(erste.inhalt, zweite.inhalt)] == [
        ("top_neu", "Baumschutzsatzung")
    ]


def test_a_vertagter_top_put_on_a_convened_sitzung_records_a_version():
    top = TagesordnungspunktFactory(ergebnis="vertagt", titel="Sanierung der Schule")
    spaeter = SitzungFactory(ausschuss=top.sitzung.ausschuss, beginn=top.sitzung.beginn + datetime.timedelta(days=14))
    TagesordnungspunktFactory(sitzung=spaeter, nummer="1", reihenfolge=1)
    tagesordnung_fassung_festhalten(sitzung=spaeter, anlass="Einladung")

    top_vertagen(tagesordnungspunkt=top, sitzung=spaeter)

    zweite = spaeter.fassungen.get(nummer=2)
    assert zweite.anlass.startswith("Vertagt aus der Sitzung vom ")
    assert [top["titel"] for top in zweite.inhalt["tops"]][-1] == "Sanierung der Schule"


def test_the_clerk_changing_a_convened_agenda_in_the_admin_records_a_version(sachbearbeitung_client):
    sitzung = SitzungFactory()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Alter Titel")
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")
    url = reverse("admin:sitzungen_sitzung_change", args=[sitzung.pk])
    daten = formulardaten(sachbearbeitung_client.get(url))
    daten["tagesordnungspunkte-0-titel"] = "Neuer Titel"
    antwort = sachbearbeitung_client.post(url, daten)
    assert antwort.status_code == 302, antwort.context["adminform"].form.errors if antwort.context else antwort

    zweite = sitzung.fassungen.get(nummer=2)
    assert zweite.anlass == "Änderung durch den Sitzungsdienst"
    assert [a["art"] for a in unterschiede(sitzung.fassungen.get(nummer=1).inhalt, zweite.inhalt)] == ["top_umbenannt"]


# --- The diff function --------------------------------------------------------------------------------------------


def _top(top_id, nummer, titel, *, oeffentlich=True, vorlagen=()):
    return {
        "id": top_id,
        "bezeichnung": f"{'Ö' if oeffentlich else 'N'} {nummer}",
        "nummer": str(nummer),
        "reihenfolge": top_id,
        "oeffentlich": oeffentlich,
        "titel": titel,
        "vorlagen": list(vorlagen),
    }


def _vorlage(vorlage_id, *anlagen):
    return {
        "id": vorlage_id,
        "bezeichnung": f"GRDrs {vorlage_id}/2026",
        "titel": f"Vorlage {vorlage_id}",
        "kennung": f"grdrs-{vorlage_id}-2026",
        "anlagen": list(anlagen),
    }


def _anlage(anlage_id, identitaet="a.pdf|100", titel=None):
    return {
        "id": anlage_id,
        "titel": titel or f"Anlage {anlage_id}",
        "dateiname": "a.pdf",
        "groesse": 100,
        "oeffentlich": True,
        "vertraulich": False,
        "identitaet": identitaet,
    }


def _arten(alt, neu):
    return [(a["art"], a["top"]["id"]) for a in unterschiede({"tops": alt}, {"tops": neu})]


def test_the_diff_of_a_first_version_is_empty():
    assert unterschiede(None, {"tops": [_top(1, 1, "A")]}) == []


def test_the_diff_finds_tops_added_removed_and_retitled():
    alt = [_top(1, 1, "Radweg"), _top(2, 2, "Hallenbad")]
    neu = [_top(2, 2, "Hallenbad und Sauna"), _top(3, 3, "Baumschutz")]
    assert _arten(alt, neu) == [("top_umbenannt", 2), ("top_neu", 3), ("top_entfernt", 1)]


def test_the_diff_finds_a_top_moved_by_number_or_by_position():
    alt = [_top(1, 1, "A"), _top(2, 2, "B"), _top(3, 3, "C")]
    umnummeriert = [_top(1, 1, "A"), _top(2, 3, "B"), _top(3, 2, "C")]
    assert _arten(alt, umnummeriert) == [("top_verschoben", 2), ("top_verschoben", 3)]
    nichtoeffentlich = [_top(1, 1, "A"), _top(2, 2, "B"), _top(3, 1, "C", oeffentlich=False)]
    assert _arten(alt, nichtoeffentlich) == [("top_verschoben", 3)]
    # Same numbers, another order (the clerk changed only the Reihenfolge).
    umgestellt = [_top(2, 2, "B"), _top(1, 1, "A"), _top(3, 3, "C")]
    assert _arten(alt, umgestellt) == [("top_verschoben", 2), ("top_verschoben", 1)]


def test_a_top_added_before_others_moves_only_those_whose_number_changed():
    alt = [_top(1, 1, "A"), _top(2, 2, "B")]
    neu = [_top(9, 1, "Neu"), _top(1, 2, "A"), _top(2, 3, "B")]
    assert _arten(alt, neu) == [("top_neu", 9), ("top_verschoben", 1), ("top_verschoben", 2)]


def test_the_diff_finds_vorlagen_and_anlagen_added_replaced_renamed_and_removed():
    alt = [_top(1, 1, "A", vorlagen=[_vorlage(10, _anlage(100), _anlage(101), _anlage(102)), _vorlage(11)])]
    neu = [
        _top(
            1,
            1,
            "A",
            vorlagen=[
                _vorlage(10, _anlage(100, identitaet="b.pdf|200"), _anlage(101, titel="Lageplan"), _anlage(103)),
                _vorlage(12),
            ],
        )
    ]
    aenderungen = unterschiede({"tops": alt}, {"tops": neu})
    assert [(a["art"], a["vorlage"]["id"], a.get("anlage", {}).get("id")) for a in aenderungen] == [
        ("anlage_ersetzt", 10, 100),
        ("anlage_umbenannt", 10, 101),
        ("anlage_neu", 10, 103),
        ("anlage_entfernt", 10, 102),
        ("vorlage_neu", 12, None),
        ("vorlage_entfernt", 11, None),
    ]
    assert aenderungen[0]["vorher"]["identitaet"] == "a.pdf|100"


# --- The pages ----------------------------------------------------------------------------------------------------

GEHEIM = "GEHEIMER-TITEL-9d1e"
GEHEIM_NEU = "GEHEIM-UMBENANNT-77ab"


@pytest.fixture
def geaenderte_sitzung(db):
    """A convened public Sitzung of a Gremium with member Mia: version 1 with Ö 1 (a Vorlage with an Anlage) and a
    non-public N 1; version 2 with the Anlage replaced, a new Ö 2, N 1 retitled and given a Vorlage."""
    sitzung = SitzungFactory(ausschuss=AusschussFactory(name="Ausschuss für Wirtschaft"))
    vorlage = VorlageFactory(titel="Gewerbegebiet Weilimdorf")
    anlage = AnlageFactory(vorlage=vorlage, titel="Lageplan", dateiname="lageplan.pdf")
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Gewerbegebiet").vorlagen.add(vorlage)
    geheim = TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=2, oeffentlich=False, titel=GEHEIM)
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")

    anlage.datei = ContentFile(pdf_bauen(seiten=2), name="lageplan-neu.pdf")
    anlage.full_clean()
    anlage.save()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="2", reihenfolge=3, titel="Haushaltsplan")
    geheim.titel = GEHEIM_NEU
    geheim.save()
    geheim.vorlagen.add(VorlageFactory(titel="GEHEIME-VORLAGE-33", oeffentlich=False))
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Nachtrag 1")
    mia = UserFactory(username="mia")
    MitgliedschaftFactory(person=PersonFactory(benutzer=mia), ausschuss=sitzung.ausschuss)
    return sitzung, mia


def _html(client, name, sitzung, **kwargs):
    antwort = client.get(reverse(name, kwargs={"pk": sitzung.pk, **kwargs}))
    assert antwort.status_code == 200
    return antwort.content.decode()


def test_the_versions_page_shows_each_change_with_its_date_and_cause_to_anonymous_visitors(client, geaenderte_sitzung):
    sitzung, _mia = geaenderte_sitzung
    html = _html(client, "sitzungen:fassungen", sitzung)
    assert "Fassung 2: Nachtrag 1" in html and "Fassung 1: Einladung" in html
    assert "Neu auf der Tagesordnung:</strong> Ö 2 Haushaltsplan" in html
    assert "Anlage ersetzt:" in html and "lageplan-neu.pdf" in html
    assert "Erste veröffentlichte Fassung." in html
    for geheim in (GEHEIM, GEHEIM_NEU, "GEHEIME-VORLAGE-33"):
        assert geheim not in html


def test_a_non_public_top_appears_to_anonymous_visitors_by_number_only_on_a_version(client, geaenderte_sitzung):
    sitzung, _mia = geaenderte_sitzung
    for nummer in (1, 2):
        html = _html(client, "sitzungen:fassung", sitzung, nummer=nummer)
        assert "N 1" in html and "Gewerbegebiet Weilimdorf" in html
        assert GEHEIM not in html and GEHEIM_NEU not in html and "GEHEIME-VORLAGE-33" not in html


def test_members_and_clerks_see_the_non_public_changes(client, geaenderte_sitzung, sachbearbeitung):
    sitzung, mia = geaenderte_sitzung
    client.force_login(mia)
    html = _html(client, "sitzungen:fassungen", sitzung)
    assert f"Neuer Titel:</strong> N 1 {GEHEIM_NEU}" in html and f"(bisher: {GEHEIM})" in html
    # The Vorlage is non-public but the member's committee does not deliberate it: the rule hides it from her.
    assert "GEHEIME-VORLAGE-33" not in html
    client.force_login(sachbearbeitung)
    html = _html(client, "sitzungen:fassungen", sitzung)
    assert GEHEIM_NEU in html and "GEHEIME-VORLAGE-33" in html
    assert GEHEIM in _html(client, "sitzungen:fassung", sitzung, nummer=1)


def test_only_the_current_file_of_an_anlage_is_linked_on_a_version(client, geaenderte_sitzung):
    sitzung, _mia = geaenderte_sitzung
    anlage = sitzung.tagesordnungspunkte.get(nummer="1", oeffentlich=True).vorlagen.get().anlagen.get()
    assert anlage.get_absolute_url() not in _html(client, "sitzungen:fassung", sitzung, nummer=1)
    assert anlage.get_absolute_url() in _html(client, "sitzungen:fassung", sitzung, nummer=2)


def test_a_version_that_does_not_exist_answers_404(client, geaenderte_sitzung):
    sitzung, _mia = geaenderte_sitzung
    for nummer in (0, 3):
        assert client.get(reverse("sitzungen:fassung", kwargs={"pk": sitzung.pk, "nummer": nummer})).status_code == 404
    assert client.get(reverse("sitzungen:fassungen", kwargs={"pk": 999999})).status_code == 404


def test_the_sitzung_page_links_to_the_versions_only_when_the_agenda_changed(client, geaenderte_sitzung):
    sitzung, _mia = geaenderte_sitzung
    assert "Diese Tagesordnung wurde einmal geändert" in _html(client, "sitzungen:sitzung-detail", sitzung)
    einmal = SitzungFactory()
    tagesordnung_fassung_festhalten(sitzung=einmal, anlass="Einladung")
    assert "Diese Tagesordnung wurde" not in _html(client, "sitzungen:sitzung-detail", einmal)


def _sitzung_mit_tops(anzahl):
    sitzung = SitzungFactory()
    for nummer in range(1, anzahl + 1):
        vorlage = VorlageFactory()
        AnlageFactory(vorlage=vorlage)
        TagesordnungspunktFactory(sitzung=sitzung, nummer=str(nummer), reihenfolge=nummer).vorlagen.add(vorlage)
        TagesordnungspunktFactory(sitzung=sitzung, nummer=str(nummer), reihenfolge=nummer, oeffentlich=False)
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")
    for anlage in Anlage.objects.filter(vorlage__tagesordnungspunkte__sitzung=sitzung):
        anlage.datei = ContentFile(pdf_bauen(), name="neu.pdf")
        anlage.full_clean()
        anlage.save()
    TagesordnungspunktFactory(sitzung=sitzung, nummer=str(anzahl + 1), reihenfolge=anzahl + 1)
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Nachtrag 1")
    tagesordnung_fassung_festhalten(
        sitzung=TagesordnungspunktFactory(sitzung=sitzung, nummer="99", reihenfolge=99).sitzung, anlass="Nachtrag 2"
    )
    return sitzung


@pytest.mark.parametrize("persona", ["anonym", "mitglied", "sitzungsdienst"])
def test_the_version_pages_run_the_same_number_of_queries_for_2_and_12_tops(
    client, django_assert_max_num_queries, persona
):
    klein, gross = _sitzung_mit_tops(2), _sitzung_mit_tops(12)
    if persona == "mitglied":
        mia = UserFactory(username="mia")
        person = PersonFactory(benutzer=mia)
        for sitzung in (klein, gross):
            MitgliedschaftFactory(person=person, ausschuss=sitzung.ausschuss)
        client.force_login(mia)
    elif persona == "sitzungsdienst":
        client.force_login(SachbearbeitungFactory())
    for name, kwargs in (("sitzungen:fassungen", {}), ("sitzungen:fassung", {"nummer": 2})):
        with CaptureQueriesContext(connection) as kleine:
            assert client.get(reverse(name, kwargs={"pk": klein.pk, **kwargs})).status_code == 200
        with django_assert_max_num_queries(len(kleine)):
            antwort = client.get(reverse(name, kwargs={"pk": gross.pk, **kwargs}))
        assert antwort.status_code == 200
        assert antwort.content.decode().count("Anlage ersetzt:") == 12


def test_the_demo_has_a_convened_sitzung_whose_nachtrag_added_a_top(client, demodaten):
    from demodaten.fassungen import NACHTRAG_TOP

    sitzung = Sitzung.objects.get(fassungen__anlass="Nachtrag 1")
    erste, zweite = sitzung.fassungen.order_by("nummer")
    assert (erste.anlass, zweite.anlass) == ("Einladung", "Nachtrag 1")
    assert erste.veroeffentlicht_am < zweite.veroeffentlicht_am
    assert [(a["art"], a["top"]["titel"]) for a in unterschiede(erste.inhalt, zweite.inhalt)] == [
        ("top_neu", NACHTRAG_TOP)
    ]
    assert "Diese Tagesordnung wurde einmal geändert" in _html(client, "sitzungen:sitzung-detail", sitzung)
    assert f"Neu auf der Tagesordnung:</strong> Ö 7 {NACHTRAG_TOP}" in _html(client, "sitzungen:fassungen", sitzung)


def test_an_anlage_added_in_the_vorlage_admin_records_a_version_of_each_convened_agenda(sachbearbeitung_client):
    vorlage = VorlageFactory()
    einberufen, geplant = SitzungFactory(), SitzungFactory(status=Sitzung.Status.GEPLANT)
    for sitzung in (einberufen, geplant):
        TagesordnungspunktFactory(sitzung=sitzung).vorlagen.add(vorlage)
    tagesordnung_fassung_festhalten(sitzung=einberufen, anlass="Einladung")
    url = reverse("admin:vorlagen_vorlage_change", args=[vorlage.pk])
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(
        daten, "anlagen", titel="Lageplan", reihenfolge="1", datei=SimpleUploadedFile("lageplan.pdf", pdf_bauen())
    )

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 302
    zweite = einberufen.fassungen.get(nummer=2)
    assert zweite.anlass == f"Änderung an {vorlage.bezeichnung}"
    assert [a["art"] for a in unterschiede(einberufen.fassungen.get(nummer=1).inhalt, zweite.inhalt)] == ["anlage_neu"]
    assert not geplant.fassungen.exists()
