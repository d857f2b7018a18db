"""The Einberufung: Einladung and Nachtrag through a real SMTP server, the Frist, the clerk's page, the proof."""

import datetime
import subprocess

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from einberufung.models import Einberufung, Ladung
from einberufung.services import einladung_versenden, nachtrag_versenden
from post.models import Nachricht
from post.versand import faellige_senden
from sitzungen.models import Sitzung
from tests.factories import (
    AusschussFactory,
    MitgliedschaftFactory,
    OrtFactory,
    PersonFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

KANARIE = "KANARIE-NICHTOEFFENTLICH-7f3a"
KANARIE_NEU = "KANARIE-NACHTRAG-NP-91c2"


def _jetzt():
    return timezone.now()


@pytest.fixture
def sitzung():
    ausschuss = AusschussFactory(name="Ausschuss für Umwelt und Technik", ladungsfrist_tage=7)
    beginn = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=14), datetime.time(16, 30))
    )
    sitzung = SitzungFactory(
        ausschuss=ausschuss,
        beginn=beginn,
        status=Sitzung.Status.GEPLANT,
        ort=OrtFactory(bezeichnung="Rathaus", raum="Sitzungssaal 3", strasse="Marktplatz 1"),
    )
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Radweg Neckartalstraße")
    TagesordnungspunktFactory(sitzung=sitzung, nummer="2", reihenfolge=2, titel="Sanierung Hallenbad Vaihingen")
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=3, oeffentlich=False, titel=KANARIE)
    return sitzung


@pytest.fixture
def gremium(sitzung):
    """Mia (member with an account), Sven (deputy, only his account's address), Otto (member without account),
    Nora (member without any address)."""
    ausschuss = sitzung.ausschuss
    personen = {
        "mia": PersonFactory(
            vorname="Mia",
            nachname="Maier",
            email="mia@example.org",
            benutzer=UserFactory(username="mia", email="mia.konto@example.org"),
        ),
        "sven": PersonFactory(
            vorname="Sven", nachname="Schulz", benutzer=UserFactory(username="sven", email="sven@example.org")
        ),
        "otto": PersonFactory(vorname="Otto", nachname="Ohnekonto", email="otto@example.org"),
        "nora": PersonFactory(vorname="Nora", nachname="Niemand"),
    }
    for name, person in personen.items():
        MitgliedschaftFactory(
            person=person, ausschuss=ausschuss, rolle="stellvertretung" if name == "sven" else "mitglied"
        )
    # Left before the Sitzung: not invited.
    MitgliedschaftFactory(
        person=PersonFactory(email="ehemalig@example.org"),
        ausschuss=ausschuss,
        ende=timezone.localdate() - datetime.timedelta(days=1),
    )
    return personen


@pytest.fixture
def clerk():
    user = SachbearbeitungFactory(first_name="Sabine", last_name="Sitzungsdienst")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="einberufung"))
    return user


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def _text(mail):
    return mail.get_body(("plain",)).get_content()


def _einladen(django_capture_on_commit_callbacks, sitzung, clerk, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return einladung_versenden(sitzung=sitzung, user=clerk, **kwargs)


def test_the_einladung_reaches_every_member_with_an_address_and_names_the_non_public_tops_only_to_those_who_may_see(
    smtp, sitzung, gremium, clerk, django_capture_on_commit_callbacks, settings
):
    settings.RATSINFO_BASIS_URL = "https://ratsinfo.example.org"
    versand = _einladen(
        django_capture_on_commit_callbacks, sitzung, clerk, weitere_empfaenger=[("Presse", "presse@example.org")]
    )

    assert [person.name for person in versand.ohne_adresse] == ["Nora Niemand"]
    assert sorted(n.envelope_to[0] for n in smtp.empfangen) == [
        "mia@example.org",
        "otto@example.org",
        "presse@example.org",
        "sven@example.org",
    ]
    (mia,) = smtp.an("mia@example.org")
    assert mia["Subject"].startswith("Einladung: Sitzung: Ausschuss für Umwelt und Technik am ")
    text = _text(mia)
    assert "Guten Tag Mia Maier," in text
    assert "hiermit werden Sie zu der folgenden Sitzung eingeladen" in text
    assert "Gremium: Ausschuss für Umwelt und Technik" in text
    assert "16:30 Uhr" in text
    assert "Ort: Rathaus, Sitzungssaal 3, Marktplatz 1" in text
    assert "Ö 1  Radweg Neckartalstraße" in text
    assert f"N 1  {KANARIE}" in text
    assert f"https://ratsinfo.example.org{reverse('druck:tagesordnung', kwargs={'pk': sitzung.pk})}" in text
    assert f"https://ratsinfo.example.org{reverse('druck:mappe', kwargs={'pk': sitzung.pk})}" in text
    assert f"https://ratsinfo.example.org{sitzung.get_absolute_url()}" in text
    assert not mia.is_multipart() or not list(mia.iter_attachments())
    assert KANARIE in _text(smtp.an("sven@example.org")[0])
    for ohne_recht in ("otto@example.org", "presse@example.org"):
        (mail,) = smtp.an(ohne_recht)
        assert KANARIE not in mail.as_string()
        assert "Ö 2  Sanierung Hallenbad Vaihingen" in _text(mail)
        assert "Nichtöffentliche" not in _text(mail)

    einberufung = versand.einberufung
    assert einberufung.frist_eingehalten and einberufung.ladungsfrist_tage == 7
    assert einberufung.mitglieder_anzahl == 4 and einberufung.ohne_adresse == ["Nora Niemand"]
    ladungen = {ladung.name: ladung for ladung in einberufung.ladungen.select_related("nachricht")}
    assert ladungen["Sven Schulz"].rolle == Ladung.Rolle.STELLVERTRETUNG
    assert ladungen["Presse"].rolle == Ladung.Rolle.WEITERE and ladungen["Presse"].person is None
    assert ladungen["Mia Maier"].nichtoeffentlich and not ladungen["Otto Ohnekonto"].nichtoeffentlich
    assert ladungen["Mia Maier"].nachricht.empfaenger == gremium["mia"].benutzer
    assert {ladung.nachricht.status for ladung in ladungen.values()} == {Nachricht.Status.GESENDET}
    assert ladungen["Mia Maier"].nachricht.message_id == mia["Message-ID"]
    sitzung.refresh_from_db()
    assert sitzung.status == Sitzung.Status.EINBERUFEN
    assert LogEntry.objects.filter(object_id=str(sitzung.pk), change_message__contains="Einladung an 4").exists()


def test_a_late_einladung_needs_the_notfall_reason_and_records_it(
    smtp, sitzung, gremium, clerk, django_capture_on_commit_callbacks
):
    spaet = sitzung.beginn - datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as fehler:
        einladung_versenden(sitzung=sitzung, user=clerk, jetzt=spaet)
    assert "Die Ladungsfrist von 7 Tagen ist nicht eingehalten (noch 3 Tage" in fehler.value.messages[0]
    assert not Einberufung.objects.exists() and not Nachricht.objects.exists()

    versand = _einladen(
        django_capture_on_commit_callbacks, sitzung, clerk, jetzt=spaet, notfall_begruendung="Hochwasser am Neckar"
    )
    assert not versand.einberufung.frist_eingehalten
    assert versand.einberufung.notfall_begruendung == "Hochwasser am Neckar"
    assert "Grund (Notfall, § 34 Abs. 2 GemO): Hochwasser am Neckar" in _text(smtp.an("mia@example.org")[0])


def test_an_einladung_sent_exactly_at_the_frist_keeps_it_and_drops_a_needless_reason(sitzung, gremium, clerk):
    genau = sitzung.beginn - datetime.timedelta(days=7)
    versand = einladung_versenden(sitzung=sitzung, user=clerk, jetzt=genau, notfall_begruendung="vorsorglich")
    assert versand.einberufung.frist_eingehalten
    assert versand.einberufung.notfall_begruendung == ""


def test_the_gremium_without_its_own_frist_takes_the_setting(sitzung, gremium, clerk, settings):
    settings.RATSINFO_LADUNGSFRIST_TAGE = 20
    sitzung.ausschuss.ladungsfrist_tage = None
    sitzung.ausschuss.save()
    with pytest.raises(ValidationError, match="Ladungsfrist von 20 Tagen"):
        einladung_versenden(sitzung=sitzung, user=clerk)


def test_a_second_einladung_is_refused(sitzung, gremium, clerk):
    einladung_versenden(sitzung=sitzung, user=clerk)
    with pytest.raises(ValidationError, match="bereits eingeladen"):
        einladung_versenden(sitzung=sitzung, user=clerk)
    assert Einberufung.objects.count() == 1


def test_no_einladung_to_a_cancelled_or_begun_sitzung(sitzung, gremium, clerk):
    with pytest.raises(ValidationError, match="begonnen"):
        einladung_versenden(sitzung=sitzung, user=clerk, jetzt=sitzung.beginn + datetime.timedelta(minutes=1))
    sitzung.status = Sitzung.Status.ABGESAGT
    sitzung.save()
    with pytest.raises(ValidationError, match="abgesagt"):
        einladung_versenden(sitzung=sitzung, user=clerk)


def test_a_nachtrag_lists_the_changes_each_recipient_may_see(
    smtp, sitzung, gremium, clerk, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError, match="Vor einem Nachtrag"):
        nachtrag_versenden(sitzung=sitzung, user=clerk)
    _einladen(django_capture_on_commit_callbacks, sitzung, clerk, weitere_empfaenger=[("Presse", "presse@example.org")])
    with pytest.raises(ValidationError, match="nicht geändert"):
        nachtrag_versenden(sitzung=sitzung, user=clerk)
    smtp.postfach.zuruecksetzen()

    tops = {top.titel: top for top in sitzung.tagesordnungspunkte.all()}
    TagesordnungspunktFactory(sitzung=sitzung, nummer="3", reihenfolge=3, titel="Baumschutzsatzung")
    tops["Sanierung Hallenbad Vaihingen"].titel = "Sanierung und Erweiterung Hallenbad Vaihingen"
    tops["Sanierung Hallenbad Vaihingen"].save()
    tops["Radweg Neckartalstraße"].delete()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="2", reihenfolge=4, oeffentlich=False, titel=KANARIE_NEU)

    with django_capture_on_commit_callbacks(execute=True):
        versand = nachtrag_versenden(sitzung=sitzung, user=clerk, weitere_empfaenger=[("Presse", "presse@example.org")])
    assert versand.einberufung.nummer == 1 and versand.einberufung.art == Einberufung.Art.NACHTRAG
    (mia,) = smtp.an("mia@example.org")
    assert mia["Subject"].startswith("1. Nachtrag zur Einladung: ")
    text = _text(mia)
    assert "die Tagesordnung der folgenden Sitzung hat sich geändert (1. Nachtrag zur Einladung):" in text
    assert "Neu: Ö 3 Baumschutzsatzung" in text
    assert (
        "Neuer Titel: Ö 2 Sanierung und Erweiterung Hallenbad Vaihingen (bisher: Sanierung Hallenbad Vaihingen)" in text
    )
    assert "Abgesetzt: Ö 1 Radweg Neckartalstraße" in text
    assert f"Neu: N 2 {KANARIE_NEU}" in text
    for ohne_recht in ("otto@example.org", "presse@example.org"):
        (mail,) = smtp.an(ohne_recht)
        text = _text(mail)
        assert "Neu: Ö 3 Baumschutzsatzung" in text and "Abgesetzt: Ö 1 Radweg" in text
        assert KANARIE_NEU not in mail.as_string() and KANARIE not in mail.as_string()
    assert KANARIE_NEU in versand.einberufung.aenderungen


def test_a_nachtrag_with_only_non_public_changes_reaches_only_those_who_may_see_them(
    smtp, sitzung, gremium, clerk, django_capture_on_commit_callbacks
):
    _einladen(django_capture_on_commit_callbacks, sitzung, clerk, weitere_empfaenger=[("Presse", "presse@example.org")])
    smtp.postfach.zuruecksetzen()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="2", reihenfolge=4, oeffentlich=False, titel=KANARIE_NEU)
    with django_capture_on_commit_callbacks(execute=True):
        versand = nachtrag_versenden(sitzung=sitzung, user=clerk, weitere_empfaenger=[("Presse", "presse@example.org")])
    assert sorted(n.envelope_to[0] for n in smtp.empfangen) == ["mia@example.org", "sven@example.org"]
    assert sorted(versand.ohne_aenderung) == ["Otto Ohnekonto", "Presse"]


def test_a_failing_mail_server_loses_nothing_and_the_page_shows_the_failure(
    smtp, sitzung, gremium, clerk, clerk_client, django_capture_on_commit_callbacks
):
    smtp.data_antwort = "451 4.3.0 Bitte später"
    _einladen(django_capture_on_commit_callbacks, sitzung, clerk)
    assert set(Nachricht.objects.values_list("status", flat=True)) == {Nachricht.Status.WARTEND}
    assert smtp.empfangen == []
    seite = clerk_client.get(reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk})).content.decode()
    assert "451 4.3.0 Bitte später" in seite and "wartend: 3" in seite

    smtp.rcpt_antwort["otto@example.org"] = "550 5.1.1 Unbekannt"
    smtp.data_antwort = None
    assert faellige_senden(jetzt=timezone.now() + datetime.timedelta(hours=1)) == (2, 1, 0)
    seite = clerk_client.get(reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk})).content.decode()
    assert "550 5.1.1 Unbekannt" in seite
    assert "1 Nachricht konnte nicht zugestellt werden." in seite
    assert "Eingeladen am" in seite and "an 3 von 4 Mitgliedern" in seite and "Frist eingehalten" in seite
    assert "Nora Niemand" in seite

    smtp.rcpt_antwort.clear()
    with django_capture_on_commit_callbacks(execute=True):
        antwort = clerk_client.post(reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk}), {"aktion": "erneut"})
    assert antwort.status_code == 302
    assert not Nachricht.objects.exclude(status=Nachricht.Status.GESENDET).exists()
    assert len(smtp.an("otto@example.org")) == 1


def test_the_clerk_previews_then_sends_the_einladung_from_the_page(
    smtp, sitzung, gremium, clerk_client, django_capture_on_commit_callbacks
):
    url = reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk})
    seite = clerk_client.get(url).content.decode()
    assert "Zu dieser Sitzung wurde noch nicht eingeladen." in seite and "Einladung versenden" in seite
    daten = {"art": "einladung", "notfall_begruendung": "", "weitere_empfaenger": "Presse <presse@example.org>"}

    vorschau = clerk_client.post(url, {**daten, "aktion": "vorschau"})
    assert vorschau.status_code == 200
    text = vorschau.content.decode()
    assert "Jetzt versenden" in text and "Guten Tag Vorname Nachname," in text and "Radweg Neckartalstraße" in text
    assert not Nachricht.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        antwort = clerk_client.post(url, {**daten, "aktion": "senden"})
    assert antwort.status_code == 302
    assert len(smtp.empfangen) == 4
    seite = clerk_client.get(url).content.decode()
    assert "an 3 von 4 Mitgliedern" in seite and "Nachtrag versenden" in seite
    assert "Ohne E-Mail-Adresse, bitte auf anderem Weg laden: Nora Niemand" in seite


def test_bad_input_on_the_page_gives_form_errors_not_a_500(sitzung, gremium, clerk_client):
    url = reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk})
    antwort = clerk_client.post(
        url,
        {"aktion": "vorschau", "art": "einladung", "weitere_empfaenger": "Presse <presse@example.org>\nkeine adresse"},
    )
    assert antwort.status_code == 200
    assert "Zeile 2 ist keine gültige Angabe „Name &lt;adresse&gt;“: keine adresse" in antwort.content.decode()
    assert 'aria-invalid="true"' in antwort.content.decode()

    sitzung.beginn = timezone.now() + datetime.timedelta(days=2)
    sitzung.ende = sitzung.beginn + datetime.timedelta(hours=2)
    sitzung.save()
    antwort = clerk_client.post(url, {"aktion": "senden", "art": "einladung"})
    assert "Ladungsfrist von 7 Tagen ist nicht eingehalten" in antwort.content.decode()
    assert not Einberufung.objects.exists()
    assert clerk_client.post(url, {"aktion": "senden", "art": "quatsch"}).status_code == 400
    assert clerk_client.post(url, {"aktion": "quatsch"}).status_code == 400
    antwort = clerk_client.post(url, {"aktion": "bekanntmachung", "bekanntmachung_am": "kein-datum"})
    assert antwort.status_code == 200 and "Datum" in antwort.content.decode()


def test_the_bekanntmachung_is_recorded_from_the_page(sitzung, clerk_client):
    url = reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk})
    antwort = clerk_client.post(url, {"aktion": "bekanntmachung", "bekanntmachung_am": "2026-01-15"})
    assert antwort.status_code == 302
    sitzung.refresh_from_db()
    assert sitzung.bekanntmachung_am == datetime.date(2026, 1, 15)
    assert LogEntry.objects.filter(change_message__contains="Bekanntmachung am 15.01.2026").exists()


def test_only_clerks_with_the_permission_get_the_pages(client, sitzung, gremium):
    urls = [
        reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk}),
        reverse("einberufung:nachweis", kwargs={"pk": sitzung.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login
    client.force_login(gremium["mia"].benutzer)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"aktion": "senden", "art": "einladung"}).status_code in (404, 405)
    client.force_login(SachbearbeitungFactory())  # staff, but without the Einberufung's permissions
    for url in urls:
        assert client.get(url).status_code == 404
    nur_ansehen = SachbearbeitungFactory()
    nur_ansehen.user_permissions.add(Permission.objects.get(codename="view_einberufung"))
    client.force_login(nur_ansehen)
    assert client.get(urls[0]).status_code == 200
    assert client.post(urls[0], {"aktion": "senden", "art": "einladung"}).status_code == 403
    assert not Einberufung.objects.exists()


def _gremium_mit(anzahl, sitzung):
    for i in range(anzahl):
        MitgliedschaftFactory(
            person=PersonFactory(email=f"m{i}@example.org" if i % 5 else ""), ausschuss=sitzung.ausschuss
        )


@pytest.mark.parametrize("mitglieder", [3, 30])
def test_the_clerks_page_needs_the_same_queries_for_any_number_of_members(
    mitglieder, sitzung, clerk, clerk_client, django_assert_max_num_queries, django_capture_on_commit_callbacks, smtp
):
    _gremium_mit(mitglieder, sitzung)
    _einladen(django_capture_on_commit_callbacks, sitzung, clerk)
    TagesordnungspunktFactory(sitzung=sitzung, nummer="9", reihenfolge=9, titel="Nachgereicht")
    with django_capture_on_commit_callbacks(execute=True):
        nachtrag_versenden(sitzung=sitzung, user=clerk)
    url = reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk})
    clerk_client.get(url)  # the session and permissions, once
    with django_assert_max_num_queries(12):
        antwort = clerk_client.get(url)
    assert antwort.status_code == 200


def test_the_nachweis_pdf_lists_every_recipient_with_status_answer_and_message_id(
    smtp, sitzung, gremium, clerk, clerk_client, django_capture_on_commit_callbacks, tmp_path
):
    sitzung.bekanntmachung_am = timezone.localdate()
    sitzung.save()
    smtp.rcpt_antwort["otto@example.org"] = "550 5.1.1 Unbekannt"
    versand = _einladen(
        django_capture_on_commit_callbacks,
        sitzung,
        clerk,
        weitere_empfaenger=[("Presse", "presse@example.org")],
    )
    antwort = clerk_client.get(reverse("einberufung:nachweis", kwargs={"pk": sitzung.pk}))
    assert antwort.status_code == 200 and antwort["Content-Type"] == "application/pdf"
    assert "no-store" in antwort["Cache-Control"]
    pdf = tmp_path / "nachweis.pdf"
    pdf.write_bytes(antwort.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    text = " ".join(text.split())
    assert "Nachweis der Einberufung" in text
    assert "Ausschuss für Umwelt und Technik" in text
    assert "eingehalten (7 Tage)" in text
    assert "Sabine Sitzungsdienst" in text
    assert timezone.localdate().strftime("%d.%m.%Y") in text
    assert "3 von 4 geladen, dazu 1 weitere Empfänger" in text and "Nora Niemand" in text
    for name in ("Mia Maier", "Sven Schulz", "Otto Ohnekonto", "Presse"):
        assert name in text
    assert "550 5.1.1 Unbekannt" in text and "fehlgeschlagen" in text
    mia = versand.einberufung.ladungen.get(name="Mia Maier").nachricht
    assert mia.message_id.strip("<>").split("@")[0][:12] in text.replace("\n", "")
    assert KANARIE not in text
