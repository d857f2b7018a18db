"""The Niederschrift (§ 38 GemO BW): its workflow, its page, its PDF and the Beschlussauszug per TOP."""

import datetime
import io
import re
import subprocess

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from protokoll.models import Niederschrift
from protokoll.services import (
    niederschrift_entwerfen,
    niederschrift_genehmigen,
    niederschrift_unterzeichnen,
    niederschrift_veroeffentlichen,
)
from tests.factories import (
    AbstimmungFactory,
    AnwesenheitFactory,
    AusschussFactory,
    BefangenheitFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    StimmeFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)
from tests.test_admin import formulardaten, neue_zeile
from tests.test_druck import einzeilig, pdf_bytes, pdftotext

pytestmark = pytest.mark.django_db

HEUTE = datetime.date(2021, 12, 1)


@pytest.fixture
def sitzung():
    ausschuss = AusschussFactory(name="Internationaler Ausschuss")
    beginn = timezone.make_aware(datetime.datetime(2021, 11, 24, 15, 0))
    sitzung = SitzungFactory(ausschuss=ausschuss, beginn=beginn, status="abgeschlossen")
    vorsitz = PersonFactory(vorname="Miriam", nachname="Sauter")
    MitgliedschaftFactory(person=vorsitz, ausschuss=ausschuss, rolle="vorsitz", beginn=datetime.date(2019, 7, 25))
    for vorname, nachname in (("Lena", "Brenner"), ("Andreas", "Kübler"), ("Sevgi", "Aydın")):
        person = PersonFactory(vorname=vorname, nachname=nachname)
        MitgliedschaftFactory(person=person, ausschuss=ausschuss, beginn=datetime.date(2019, 7, 25))
        AnwesenheitFactory(sitzung=sitzung, person=person)
    AnwesenheitFactory(sitzung=sitzung, person=vorsitz)
    AnwesenheitFactory(sitzung=sitzung, person=PersonFactory(vorname="Ulrike", nachname="Renz"), status="entschuldigt")
    return sitzung


def person(sitzung, nachname):
    return sitzung.anwesenheiten.get(person__nachname=nachname).person


def unterzeichnet(sitzung):
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    niederschrift_unterzeichnen(
        niederschrift=niederschrift, rolle="vorsitz", person=person(sitzung, "Sauter"), datum=HEUTE
    )
    for nachname in ("Brenner", "Kübler"):
        niederschrift_unterzeichnen(
            niederschrift=niederschrift, rolle="mitglied", person=person(sitzung, nachname), datum=HEUTE
        )
    niederschrift_unterzeichnen(
        niederschrift=niederschrift, rolle="schriftfuehrung", name="Petra Schreiber", datum=HEUTE
    )
    niederschrift.refresh_from_db()
    return niederschrift


def spaeter(sitzung, tage=28, **kwargs):
    return SitzungFactory(ausschuss=sitzung.ausschuss, beginn=sitzung.beginn + datetime.timedelta(days=tage), **kwargs)


# The workflow


def test_the_draft_opens_with_date_place_vorsitz_attendance_and_beschlussfaehigkeit(sitzung):
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)

    assert niederschrift.status == Niederschrift.Status.ENTWURF
    text = niederschrift.einleitung
    assert "Mittwoch, 24. November 2021, Beginn 15:00 Uhr" in text
    assert "Ort: Rathaus" in text
    assert "Vorsitz: Miriam Sauter" in text
    assert "Anwesend: Sevgi Aydın, Lena Brenner, Andreas Kübler, Miriam Sauter" in text
    assert "Entschuldigt: Ulrike Renz" in text
    assert "4 von 4 stimmberechtigten Mitgliedern sind anwesend" in text
    assert "schließt die Sitzung um 17:00 Uhr" in niederschrift.schluss


def test_a_new_draft_follows_the_record_but_keeps_what_the_clerk_wrote(sitzung):
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    AnwesenheitFactory(
        sitzung=sitzung, person=PersonFactory(vorname="Kwame", nachname="Mensah"), status="unentschuldigt"
    )
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    assert "Unentschuldigt: Kwame Mensah" in niederschrift.einleitung

    niederschrift.einleitung = "Von Hand: Die Vorsitzende eröffnet die Sitzung."
    niederschrift.schluss = "Von Hand geschlossen."
    niederschrift.save()
    sitzung.anwesenheiten.filter(person__nachname="Mensah").delete()
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    assert niederschrift.einleitung == "Von Hand: Die Vorsitzende eröffnet die Sitzung."
    assert niederschrift.schluss == "Von Hand geschlossen."
    assert "Mensah" not in niederschrift.einleitung_vorschlag
    assert Niederschrift.objects.count() == 1


def test_an_inquorate_meeting_is_said_so_in_the_draft(sitzung):
    sitzung.anwesenheiten.filter(person__nachname__in=["Brenner", "Kübler", "Aydın"]).delete()
    assert "nicht beschlussfähig: 1 von 4" in niederschrift_entwerfen(sitzung=sitzung).einleitung


def test_four_signatures_make_it_unterzeichnet_then_genehmigt_in_a_later_sitzung_then_published(sitzung):
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    niederschrift_unterzeichnen(
        niederschrift=niederschrift, rolle="vorsitz", person=person(sitzung, "Sauter"), datum=HEUTE
    )
    niederschrift.refresh_from_db()
    assert niederschrift.status == Niederschrift.Status.ENTWURF
    niederschrift = unterzeichnet_weiter(sitzung, niederschrift)
    assert niederschrift.status == Niederschrift.Status.UNTERZEICHNET
    assert [u.name for u in niederschrift.unterschriften.order_by("pk")] == [
        "Miriam Sauter",
        "Lena Brenner",
        "Andreas Kübler",
        "Petra Schreiber",
    ]

    niederschrift_veroeffentlichen(niederschrift=niederschrift)
    folgesitzung = spaeter(sitzung)
    niederschrift = niederschrift_genehmigen(niederschrift=niederschrift, sitzung=folgesitzung)
    niederschrift.refresh_from_db()
    assert niederschrift.status == Niederschrift.Status.GENEHMIGT
    assert niederschrift.genehmigt_in == folgesitzung
    assert niederschrift.veroeffentlicht_am is not None
    assert list(folgesitzung.genehmigte_niederschriften.all()) == [niederschrift]


def unterzeichnet_weiter(sitzung, niederschrift):
    for nachname in ("Brenner", "Kübler"):
        niederschrift_unterzeichnen(
            niederschrift=niederschrift, rolle="mitglied", person=person(sitzung, nachname), datum=HEUTE
        )
    niederschrift_unterzeichnen(
        niederschrift=niederschrift, rolle="schriftfuehrung", name="Petra Schreiber", datum=HEUTE
    )
    niederschrift.refresh_from_db()
    return niederschrift


def test_a_draft_is_neither_published_nor_genehmigt(sitzung):
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    with pytest.raises(ValidationError, match="Entwurf wird nicht veröffentlicht"):
        niederschrift_veroeffentlichen(niederschrift=niederschrift)
    with pytest.raises(ValidationError, match="nur eine unterzeichnete Niederschrift"):
        niederschrift_genehmigen(niederschrift=niederschrift, sitzung=spaeter(sitzung))
    niederschrift.refresh_from_db()
    assert niederschrift.veroeffentlicht_am is None
    assert niederschrift.status == Niederschrift.Status.ENTWURF


def test_genehmigen_is_refused_in_an_earlier_sitzung_the_same_one_or_another_gremium(sitzung):
    niederschrift = unterzeichnet(sitzung)
    with pytest.raises(ValidationError, match="späteren Sitzung"):
        niederschrift_genehmigen(niederschrift=niederschrift, sitzung=spaeter(sitzung, tage=-7))
    with pytest.raises(ValidationError, match="späteren Sitzung"):
        niederschrift_genehmigen(niederschrift=niederschrift, sitzung=sitzung)
    andere = SitzungFactory(beginn=sitzung.beginn + datetime.timedelta(days=7))
    with pytest.raises(ValidationError, match="desselben Gremiums"):
        niederschrift_genehmigen(niederschrift=niederschrift, sitzung=andere)
    niederschrift.refresh_from_db()
    assert niederschrift.status == Niederschrift.Status.UNTERZEICHNET


def test_a_signed_niederschrift_is_not_drafted_signed_or_published_again(sitzung):
    niederschrift = unterzeichnet(sitzung)
    with pytest.raises(ValidationError, match="nur vor der Unterzeichnung"):
        niederschrift_entwerfen(sitzung=sitzung)
    with pytest.raises(ValidationError, match="nicht erneut unterzeichnet"):
        niederschrift_unterzeichnen(
            niederschrift=niederschrift, rolle="mitglied", person=person(sitzung, "Aydın"), datum=HEUTE
        )
    niederschrift_veroeffentlichen(niederschrift=niederschrift)
    with pytest.raises(ValidationError, match="schon veröffentlicht"):
        niederschrift_veroeffentlichen(niederschrift=niederschrift)


def test_urkundspersonen_are_members_present_with_a_vote_and_only_two(sitzung):
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    with pytest.raises(ValidationError, match="nicht als stimmberechtigtes Mitglied anwesend"):
        niederschrift_unterzeichnen(
            niederschrift=niederschrift, rolle="mitglied", person=person(sitzung, "Renz"), datum=HEUTE
        )
    with pytest.raises(ValidationError, match="wählen Sie die Person"):
        niederschrift_unterzeichnen(niederschrift=niederschrift, rolle="mitglied", name="Irgendwer", datum=HEUTE)
    with pytest.raises(ValidationError, match="erst nach der Sitzung"):
        niederschrift_unterzeichnen(
            niederschrift=niederschrift, rolle="vorsitz", person=person(sitzung, "Sauter"), datum=HEUTE.replace(month=1)
        )
    for nachname in ("Brenner", "Kübler"):
        niederschrift_unterzeichnen(
            niederschrift=niederschrift, rolle="mitglied", person=person(sitzung, nachname), datum=HEUTE
        )
    with pytest.raises(ValidationError, match="zwei Urkundspersonen, nicht mehr"):
        niederschrift_unterzeichnen(
            niederschrift=niederschrift, rolle="mitglied", person=person(sitzung, "Aydın"), datum=HEUTE
        )


# The page


@pytest.fixture
def protokoll(sitzung):
    """A published Niederschrift with a public TOP (counted vote, a Befangenheit) and a non-public one (namentlich)."""
    vorlage = VorlageFactory(titel="Bündnis für Integration")
    oeffentlich = TagesordnungspunktFactory(
        sitzung=sitzung,
        nummer="1",
        titel="20 Jahre Bündnis für Integration",
        ergebnis="kenntnis_genommen",
        beschluss="Der Ausschuss nimmt den Bericht zur Kenntnis.",
        beratungsverlauf="Frau Aydın dankt der Verwaltung für den Bericht.",
    )
    oeffentlich.vorlagen.set([vorlage])
    AbstimmungFactory(tagesordnungspunkt=oeffentlich, art="einstimmig", ja=3, enthaltung=0)
    BefangenheitFactory(tagesordnungspunkt=oeffentlich, person=person(sitzung, "Kübler"), grund="Vorstand des Trägers")
    geheim = TagesordnungspunktFactory(
        sitzung=sitzung,
        nummer="1",
        oeffentlich=False,
        titel="Grundstücksgeschäft Geheimweg",
        ergebnis="abgelehnt",
        beschluss="Verkauf an die Bietergemeinschaft Geheim.",
        beratungsverlauf="Vertrauliche Aussprache über den Kaufpreis.",
    )
    abstimmung = AbstimmungFactory(tagesordnungspunkt=geheim, art="namentlich", ja=1, nein=1)
    StimmeFactory(abstimmung=abstimmung, person=person(sitzung, "Brenner"), stimme="ja")
    StimmeFactory(abstimmung=abstimmung, person=person(sitzung, "Aydın"), stimme="nein")
    niederschrift = unterzeichnet(sitzung)
    niederschrift_veroeffentlichen(niederschrift=niederschrift)
    return niederschrift_genehmigen(niederschrift=niederschrift, sitzung=spaeter(sitzung))


def mitglied_von(sitzung):
    benutzer = UserFactory()
    MitgliedschaftFactory(person=PersonFactory(benutzer=benutzer), ausschuss=sitzung.ausschuss)
    return benutzer


def test_the_published_niederschrift_shows_public_tops_to_everyone_and_non_public_ones_to_members(client, protokoll):
    adresse = reverse("protokoll:niederschrift", kwargs={"pk": protokoll.sitzung_id})
    text = einzeilig(client.get(adresse).content.decode())
    assert "20 Jahre Bündnis für Integration" in text
    assert "Frau Aydın dankt der Verwaltung" in text
    assert "einstimmig" in text
    assert "Vorstand des Trägers" in text
    assert "zur Kenntnis genommen" in text
    assert "Petra Schreiber" in text
    assert "Ulrike Renz" in text
    assert "N 1" in text
    for geheim in ("Geheimweg", "Kaufpreis", "Bietergemeinschaft", "Namentliche Abstimmung"):
        assert geheim not in text

    client.force_login(mitglied_von(protokoll.sitzung))
    text = einzeilig(client.get(adresse).content.decode())
    assert "Grundstücksgeschäft Geheimweg" in text
    assert "Vertrauliche Aussprache über den Kaufpreis" in text
    assert "Namentliche Abstimmung" in text
    assert re.search(r"Lena Brenner</th><td>Ja", text)


def test_a_draft_niederschrift_is_seen_by_clerks_only(client, sitzung, sachbearbeitung):
    niederschrift_entwerfen(sitzung=sitzung)
    adresse = reverse("protokoll:niederschrift", kwargs={"pk": sitzung.pk})
    assert client.get(adresse).status_code == 404
    client.force_login(mitglied_von(sitzung))
    assert client.get(adresse).status_code == 404
    sachbearbeitung.user_permissions.add(
        Permission.objects.get(content_type__app_label="vorlagen", codename="nichtoeffentliches_sehen")
    )
    client.force_login(sachbearbeitung)
    antwort = client.get(adresse)
    assert antwort.status_code == 200
    assert "Entwurf – nicht veröffentlicht" in antwort.content.decode()
    assert client.get(reverse("protokoll:niederschrift", kwargs={"pk": 999999})).status_code == 404


def test_the_approving_sitzung_records_the_genehmigung(client, protokoll):
    folgesitzung = protokoll.genehmigt_in
    folge = niederschrift_entwerfen(sitzung=folgesitzung)
    folge.veroeffentlicht_am = timezone.now()
    folge.save()
    text = client.get(reverse("protokoll:niederschrift", kwargs={"pk": folgesitzung.pk})).content.decode()
    assert "Genehmigung der Niederschrift vom 24.11.2021" in text
    assert "genehmigt in der Sitzung vom" in client.get(protokoll.get_absolute_url()).content.decode()
    sitzungsseite = client.get(folgesitzung.get_absolute_url()).content.decode()
    assert "In dieser Sitzung genehmigt: Niederschrift vom 24.11.2021" in sitzungsseite
    assert protokoll.get_absolute_url() in sitzungsseite


def test_the_sitzung_page_links_the_published_niederschrift(client, protokoll, sitzung):
    text = client.get(sitzung.get_absolute_url()).content.decode()
    assert reverse("protokoll:niederschrift", kwargs={"pk": sitzung.pk}) in text
    assert reverse("druck:niederschrift", kwargs={"pk": sitzung.pk}) in text


def niederschrift_mit_tops(anzahl):
    sitzung = SitzungFactory(beginn=timezone.make_aware(datetime.datetime(2021, 11, 24, 15, 0)))
    personen = []
    for _i in range(4):
        mitglied = MitgliedschaftFactory(ausschuss=sitzung.ausschuss, beginn=datetime.date(2019, 1, 1)).person
        AnwesenheitFactory(sitzung=sitzung, person=mitglied)
        personen.append(mitglied)
    for i in range(anzahl):
        top = TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=i % 2 == 0, beratungsverlauf=f"Verlauf {i}")
        top.vorlagen.set([VorlageFactory()])
        abstimmung = AbstimmungFactory(tagesordnungspunkt=top, art="namentlich", ja=1, nein=1)
        StimmeFactory(abstimmung=abstimmung, person=personen[0])
        StimmeFactory(abstimmung=abstimmung, person=personen[1], stimme="nein")
        BefangenheitFactory(tagesordnungspunkt=top, person=personen[2])
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    niederschrift.veroeffentlicht_am = timezone.now()
    niederschrift.save()
    return sitzung


@pytest.mark.parametrize("mitglied", [False, True])
def test_the_niederschrift_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, mitglied):
    wenige, viele = niederschrift_mit_tops(5), niederschrift_mit_tops(60)
    if mitglied:
        benutzer = mitglied_von(wenige)
        MitgliedschaftFactory(person=benutzer.person, ausschuss=viele.ausschuss)
        client.force_login(benutzer)
    with django_assert_max_num_queries(20) as wenige_abfragen:
        assert client.get(reverse("protokoll:niederschrift", kwargs={"pk": wenige.pk})).status_code == 200
    with django_assert_max_num_queries(len(wenige_abfragen)):
        antwort = client.get(reverse("protokoll:niederschrift", kwargs={"pk": viele.pk}))
    assert antwort.status_code == 200
    assert ("Verlauf 59" in antwort.content.decode()) is mitglied


# The PDFs


def test_the_niederschrift_pdf_reads_like_a_german_niederschrift(client, protokoll):
    antwort = client.get(reverse("druck:niederschrift", kwargs={"pk": protokoll.sitzung_id}))
    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "application/pdf"
    assert "Niederschrift-" in antwort["Content-Disposition"]
    text = einzeilig(pdftotext(pdf_bytes(antwort)))
    for erwartet in (
        "Niederschrift über die Sitzung",
        "Mittwoch, 24. November 2021",
        "Eröffnung",
        "Vorsitz: Miriam Sauter",
        "Anwesenheit",
        "Ulrike Renz entschuldigt",
        "Öffentlicher Teil",
        "Ö 1 20 Jahre Bündnis für Integration",
        "Frau Aydın dankt der Verwaltung für den Bericht.",
        "Wegen Befangenheit nicht beteiligt",
        "Ergebnis: zur Kenntnis genommen",
        "Der Ausschuss nimmt den Bericht zur Kenntnis.",
        "N 1 nichtöffentlich",
        "Unterschriften",
        "Schriftführung Petra Schreiber 01.12.2021",
        "genehmigt in der Sitzung vom 22.12.2021",
    ):
        assert erwartet in text, erwartet
    assert "Geheimweg" not in text and "Kaufpreis" not in text


def test_members_get_the_non_public_part_of_the_niederschrift_pdf_in_their_own_copy(client, protokoll):
    client.force_login(mitglied_von(protokoll.sitzung))
    text = einzeilig(
        pdftotext(pdf_bytes(client.get(reverse("druck:niederschrift", kwargs={"pk": protokoll.sitzung_id}))))
    )
    assert "N 1 Grundstücksgeschäft Geheimweg" in text
    assert "Vertrauliche Aussprache über den Kaufpreis." in text
    assert "Namentliche Abstimmung" in text
    assert "Persönliches Exemplar für" in text


def test_the_niederschrift_pdf_is_pdf_a_2u_and_tagged(client, protokoll, tmp_path):
    inhalt = pdf_bytes(client.get(reverse("druck:niederschrift", kwargs={"pk": protokoll.sitzung_id})))
    datei = tmp_path / "niederschrift.pdf"
    datei.write_bytes(inhalt)
    info = subprocess.run(["pdfinfo", datei], capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Title:\s+Niederschrift: Internationaler Ausschuss, 24.11.2021$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    leser = PdfReader(io.BytesIO(inhalt))
    assert leser.trailer["/Root"]["/Lang"] == "de-DE"
    xmp = leser.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)2', xmp)
    assert re.search(r'pdfaid:conformance(="|>)U', xmp)
    schriften = subprocess.run(["pdffonts", datei], capture_output=True, check=True).stdout.decode().splitlines()[2:]
    assert schriften
    for zeile in schriften:
        assert re.search(r"\byes\s+yes\s+yes\b", zeile), zeile


def test_a_draft_has_no_pdf_for_the_public(client, sitzung):
    niederschrift_entwerfen(sitzung=sitzung)
    assert client.get(reverse("druck:niederschrift", kwargs={"pk": sitzung.pk})).status_code == 404


def test_the_beschlussauszug_of_a_top_is_as_visible_as_the_top(client, protokoll):
    oeffentlich, geheim = protokoll.sitzung.tagesordnungspunkte.order_by("-oeffentlich")
    adresse = reverse("druck:beschlussauszug", kwargs={"pk": protokoll.sitzung_id, "top": oeffentlich.pk})
    antwort = client.get(adresse)
    assert "Beschlussauszug-" in antwort["Content-Disposition"]
    text = einzeilig(pdftotext(pdf_bytes(antwort)))
    for erwartet in (
        "Beschlussauszug",
        "Internationaler Ausschuss",
        "Ö 1 20 Jahre Bündnis für Integration",
        "Ergebnis: zur Kenntnis genommen",
        "Der Ausschuss nimmt den Bericht zur Kenntnis.",
        "Für die Richtigkeit des Auszugs",
    ):
        assert erwartet in text, erwartet

    geheim_adresse = reverse("druck:beschlussauszug", kwargs={"pk": protokoll.sitzung_id, "top": geheim.pk})
    assert client.get(geheim_adresse).status_code == 404
    falsche_sitzung = reverse("druck:beschlussauszug", kwargs={"pk": protokoll.genehmigt_in_id, "top": oeffentlich.pk})
    assert client.get(falsche_sitzung).status_code == 404
    client.force_login(mitglied_von(protokoll.sitzung))
    text = einzeilig(pdftotext(pdf_bytes(client.get(geheim_adresse))))
    # The watermark of the personal copy runs across the page, so the words are looked for one by one.
    for erwartet in ("Grundstücksgeschäft Geheimweg", "Bietergemeinschaft", "Namentliche Abstimmung", "Lena Brenner"):
        assert erwartet in text, erwartet


# The admin: the clerk edits, signs, approves and publishes through the services


def test_the_admin_signs_through_the_service_and_refuses_a_third_urkundsperson(admin_client, sitzung):
    niederschrift = niederschrift_entwerfen(sitzung=sitzung)
    adresse = reverse("admin:protokoll_niederschrift_change", args=[niederschrift.pk])
    daten = formulardaten(admin_client.get(adresse))
    neue_zeile(daten, "unterschriften", rolle="vorsitz", person=str(person(sitzung, "Sauter").pk), datum="2021-12-01")
    for nachname in ("Brenner", "Kübler", "Aydın"):
        neue_zeile(
            daten, "unterschriften", rolle="mitglied", person=str(person(sitzung, nachname).pk), datum="2021-12-01"
        )
    antwort = admin_client.post(adresse, daten)
    assert antwort.status_code == 200
    assert "zwei Urkundspersonen, nicht mehr" in antwort.content.decode()
    assert not niederschrift.unterschriften.exists()

    daten = formulardaten(admin_client.get(adresse))
    neue_zeile(daten, "unterschriften", rolle="vorsitz", person=str(person(sitzung, "Sauter").pk), datum="2021-12-01")
    for nachname in ("Brenner", "Kübler"):
        neue_zeile(
            daten, "unterschriften", rolle="mitglied", person=str(person(sitzung, nachname).pk), datum="2021-12-01"
        )
    neue_zeile(daten, "unterschriften", rolle="schriftfuehrung", name="Petra Schreiber", datum="2021-12-01")
    assert admin_client.post(adresse, daten).status_code == 302
    niederschrift.refresh_from_db()
    assert niederschrift.status == Niederschrift.Status.UNTERZEICHNET
    assert niederschrift.unterschriften.get(rolle="vorsitz").name == "Miriam Sauter"

    folgesitzung = spaeter(sitzung)
    daten = formulardaten(admin_client.get(adresse))
    daten["genehmigen_in"] = str(folgesitzung.pk)
    assert admin_client.post(adresse, daten).status_code == 302
    niederschrift.refresh_from_db()
    assert niederschrift.genehmigt_in == folgesitzung


def test_the_admin_actions_draft_and_publish_and_say_what_failed(admin_client, sitzung):
    entwurf = niederschrift_entwerfen(sitzung=SitzungFactory())
    fertig = unterzeichnet(sitzung)
    antwort = admin_client.post(
        reverse("admin:protokoll_niederschrift_changelist"),
        {"action": "veroeffentlichen", ACTION_CHECKBOX_NAME: [entwurf.pk, fertig.pk]},
        follow=True,
    )
    text = antwort.content.decode()
    assert "1 Niederschrift veröffentlicht." in text
    assert "1 Niederschrift nicht veröffentlicht" in text
    fertig.refresh_from_db()
    entwurf.refresh_from_db()
    assert fertig.veroeffentlicht_am is not None and entwurf.veroeffentlicht_am is None

    entwurf.einleitung = ""
    entwurf.save()
    antwort = admin_client.post(
        reverse("admin:protokoll_niederschrift_changelist"),
        {"action": "entwerfen", ACTION_CHECKBOX_NAME: [entwurf.pk]},
        follow=True,
    )
    assert "1 Entwurf aktualisiert." in antwort.content.decode()
    entwurf.refresh_from_db()
    assert "Anwesend:" in entwurf.einleitung


def test_a_new_niederschrift_in_the_admin_starts_from_the_record(admin_client, sitzung):
    antwort = admin_client.post(
        reverse("admin:protokoll_niederschrift_add"),
        {
            "sitzung": sitzung.pk,
            "einleitung": "",
            "schluss": "",
            "unterschriften-TOTAL_FORMS": "0",
            "unterschriften-INITIAL_FORMS": "0",
        },
    )
    assert antwort.status_code == 302
    assert "Vorsitz: Miriam Sauter" in Niederschrift.objects.get(sitzung=sitzung).einleitung


def test_the_clerk_writes_the_beratungsverlauf_of_every_top_on_one_page(admin_client, protokoll, sitzung):
    niederschrift = niederschrift_entwerfen(sitzung=SitzungFactory())
    top = TagesordnungspunktFactory(sitzung=niederschrift.sitzung)
    adresse = reverse("admin:protokoll_niederschrift_tagesordnung", args=[niederschrift.pk])
    assert admin_client.get(adresse).status_code == 200
    daten = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(top.pk),
        "form-0-beratungsverlauf": "Herr Kübler fragt nach den Kosten.",
        "form-0-beschluss": "Beschlossen wie beantragt.",
    }
    assert admin_client.post(adresse, daten).status_code == 302
    top.refresh_from_db()
    assert top.beratungsverlauf == "Herr Kübler fragt nach den Kosten."

    # Signed: the text stays as signed.
    gesperrt = reverse("admin:protokoll_niederschrift_tagesordnung", args=[protokoll.pk])
    oeffentlich = protokoll.sitzung.tagesordnungspunkte.order_by("-oeffentlich", "reihenfolge", "pk").first()
    daten = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(oeffentlich.pk),
        "form-0-beratungsverlauf": "Nachträglich geändert.",
        "form-0-beschluss": "",
    }
    assert "nicht mehr geändert" in admin_client.post(gesperrt, daten).content.decode()
    oeffentlich.refresh_from_db()
    assert oeffentlich.beratungsverlauf == "Frau Aydın dankt der Verwaltung für den Bericht."


# The demo data


def test_the_seed_sitzung_has_a_signed_genehmigt_and_published_niederschrift(client, demodaten):
    niederschrift = Niederschrift.objects.select_related("sitzung", "genehmigt_in").get(
        sitzung__ausschuss__slug="internationaler-ausschuss", sitzung__beginn__date=datetime.date(2021, 11, 24)
    )
    assert niederschrift.status == Niederschrift.Status.GENEHMIGT
    assert niederschrift.veroeffentlicht_am is not None
    assert niederschrift.genehmigt_in.ausschuss_id == niederschrift.sitzung.ausschuss_id
    assert niederschrift.genehmigt_in.beginn > niederschrift.sitzung.beginn
    assert sorted(niederschrift.unterschriften.values_list("rolle", flat=True)) == [
        "mitglied",
        "mitglied",
        "schriftfuehrung",
        "vorsitz",
    ]
    text = einzeilig(client.get(niederschrift.get_absolute_url()).content.decode())
    assert "zwanzig Jahre Zusammenarbeit" in text
    assert "Beschlussfähigkeit fest" in text
    assert (
        reverse("protokoll:niederschrift", kwargs={"pk": niederschrift.sitzung_id})
        in client.get(niederschrift.sitzung.get_absolute_url()).content.decode()
    )
    folge = einzeilig(client.get(niederschrift.genehmigt_in.get_absolute_url()).content.decode())
    assert "In dieser Sitzung genehmigt: Niederschrift vom 24.11.2021" in folge
