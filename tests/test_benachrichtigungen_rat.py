"""Notifications for councillors (issue 18, item 3): what reaches her, through the real SMTP server, read only
through the visibility rule; sofort and täglich; nothing twice; the one-click unsubscribe; the settings page."""

import datetime

import pytest
from django.conf import settings
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demodaten.zugaenge import RATSMITGLIED_BENUTZERNAME, demo_zugaenge_anlegen
from einberufung.models import Einberufung
from konten.models import Benachrichtigungseinstellung
from konten.services import (
    ABMELDE_GUELTIG,
    ABMELDE_SALZ,
    abmelde_token,
    benachrichtigungen_einstellen,
    benachrichtigungen_senden,
)
from post.models import Nachricht
from post.versand import faellige_senden
from sitzungen.models import Tagesordnungspunkt
from tests.factories import (
    AusschussFactory,
    BenachrichtigungseinstellungFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    NiederschriftFactory,
    PersonFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db

TAEGLICH = Benachrichtigungseinstellung.Rhythmus.TAEGLICH
SOFORT = Benachrichtigungseinstellung.Rhythmus.SOFORT


def vorhin(minuten=10):
    return timezone.now() - datetime.timedelta(minutes=minuten)


def ratsmitglied(ausschuss, **einstellung):
    """A councillor with a seat today in ``ausschuss`` and notifications chosen (everything, daily, by default)."""
    benutzer = UserFactory(first_name="Erika", last_name="Muster")
    MitgliedschaftFactory(person=PersonFactory(benutzer=benutzer), ausschuss=ausschuss)
    BenachrichtigungseinstellungFactory(benutzer=benutzer, gesendet_bis=vorhin(60), **einstellung)
    return benutzer


def vorlage_in(ausschuss, titel, **felder):
    felder.setdefault("veroeffentlicht_am", vorhin())
    vorlage = VorlageFactory(titel=titel, **felder)
    BeratungFactory(vorlage=vorlage, ausschuss=ausschuss)
    return vorlage


def senden(rhythmus=TAEGLICH, jetzt=None):
    """The command's work, then the outbox handed to the SMTP server."""
    anzahl = benachrichtigungen_senden(rhythmus=rhythmus, jetzt=jetzt)
    faellige_senden()
    return anzahl


def text_von(mail):
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def top_in(sitzung, **felder):
    """A TOP entered ten minutes ago (the run's window ends a minute before now)."""
    top = TagesordnungspunktFactory(sitzung=sitzung, **felder)
    Tagesordnungspunkt.objects.filter(pk=top.pk).update(erstellt_am=vorhin(), geaendert_am=vorhin())
    top.refresh_from_db()
    return top


@pytest.fixture
def welt():
    eigen = AusschussFactory(name="Ausschuss für Umwelt und Technik", slug="uta")
    fremd = AusschussFactory(name="Verwaltungsausschuss", slug="va")
    return eigen, fremd


def test_the_digest_names_what_is_new_in_her_gremien_in_german_with_links_and_unsubscribe_headers(smtp, welt):
    eigen, _ = welt
    rat = ratsmitglied(eigen)
    vorlage = vorlage_in(eigen, "Neue Radwege im Stuttgarter Westen")
    sitzung = SitzungFactory(ausschuss=eigen)
    top = top_in(sitzung=sitzung, titel="Haushalt 2027: Zwischenbericht")
    Einberufung.objects.create(
        sitzung=sitzung,
        art="einladung",
        nummer=0,
        versendet_am=vorhin(120),
        ladungsfrist_tage=7,
        frist_eingehalten=True,
    )
    Einberufung.objects.create(
        sitzung=sitzung,
        art="nachtrag",
        nummer=1,
        versendet_am=vorhin(),
        ladungsfrist_tage=7,
        frist_eingehalten=True,
    )
    alt = SitzungFactory(ausschuss=eigen, beginn=timezone.now() - datetime.timedelta(days=14))
    NiederschriftFactory(sitzung=alt, veroeffentlicht_am=vorhin())

    assert senden() == 1

    (mail,) = smtp.an(rat.email)
    assert mail["Subject"].startswith("Tägliche Zusammenfassung aus Ihren Gremien vom ")
    text = text_von(mail)
    assert "Guten Tag Erika Muster," in text
    assert "hier ist Ihre tägliche Zusammenfassung" in text
    assert f"Neue Vorlagen\n\n- {vorlage.bezeichnung}: Neue Radwege im Stuttgarter Westen" in text, text
    assert f"  {settings.RATSINFO_BASIS_URL}{vorlage.get_absolute_url()}\n" in text
    assert "Geänderte Tagesordnungen" in text and f"{top.bezeichnung} Haushalt 2027: Zwischenbericht (neu)" in text
    assert "Nachträge zur Einberufung\n\n- Sitzung: Ausschuss für Umwelt und Technik am " in text
    assert "Uhr – 1. Nachtrag\n" in text
    assert "Veröffentlichte Niederschriften" in text and reverse("protokoll:niederschrift", args=[alt.pk]) in text
    # Every link is absolute.
    for zeile in text.splitlines():
        if "/" in zeile and zeile.strip().startswith(("http", "/")):
            assert zeile.strip().startswith(("http://", "https://")), zeile
    # RFC 8058: the one-click unsubscribe link, in the text as well, and the settings page.
    abbestellen = mail["List-Unsubscribe"]
    assert (
        abbestellen.startswith(f"<{settings.RATSINFO_BASIS_URL}/")
        and "/konto/benachrichtigungen/abbestellen/" in abbestellen
    )
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert abbestellen.strip("<>") in text
    assert reverse("konto:benachrichtigungen") in text
    nachricht = Nachricht.objects.get()
    assert nachricht.art == Nachricht.Art.ZUSAMMENFASSUNG
    assert nachricht.empfaenger == rat


def test_a_non_public_vorlage_reaches_members_of_its_gremium_only_and_drafts_reach_nobody(smtp, welt):
    eigen, fremd = welt
    rat = ratsmitglied(eigen)
    vorlage_in(eigen, "kanarie-eigen-nichtoeffentlich", oeffentlich=False)
    vorlage_in(fremd, "kanarie-fremd-nichtoeffentlich", oeffentlich=False)
    vorlage_in(fremd, "kanarie-fremd-oeffentlich")  # public, but not of her Gremien: not her news
    vorlage_in(eigen, "kanarie-entwurf", status=Vorlage.Status.ENTWURF, veroeffentlicht_am=None)
    vorlage_in(eigen, "kanarie-vertraulich", vertraulich=True)
    sitzung_fremd = SitzungFactory(ausschuss=fremd)
    top_in(sitzung=sitzung_fremd, oeffentlich=False, titel="kanarie-fremd-top")
    top_in(sitzung=SitzungFactory(ausschuss=eigen), oeffentlich=False, titel="kanarie-eigen-top")

    senden()

    text = text_von(smtp.an(rat.email)[0])
    assert "kanarie-eigen-nichtoeffentlich" in text
    assert "kanarie-eigen-top" in text
    for kanarie in ("fremd-nichtoeffentlich", "fremd-oeffentlich", "entwurf", "vertraulich", "fremd-top"):
        assert f"kanarie-{kanarie}" not in text


def test_a_councillor_who_left_the_gremium_is_told_nothing_of_it(smtp, welt):
    eigen, _ = welt
    rat = ratsmitglied(eigen)
    rat.person.mitgliedschaften.update(ende=timezone.localdate() - datetime.timedelta(days=1))
    vorlage_in(eigen, "kanarie-nach-dem-ausscheiden", oeffentlich=False)
    assert senden() == 0
    assert smtp.empfangen == []


def test_sofort_and_taeglich_are_sent_by_their_own_run(smtp, welt):
    eigen, _ = welt
    sofort = ratsmitglied(eigen, rhythmus=SOFORT)
    taeglich = ratsmitglied(eigen)
    vorlage_in(eigen, "Lärmaktionsplan")

    assert senden(SOFORT) == 1
    (mail,) = smtp.empfangen
    assert mail.envelope_to == [sofort.email]
    assert mail["Subject"] == "Neuigkeiten aus Ihren Gremien"
    assert "es gibt Neuigkeiten aus Ihren Gremien" in text_von(mail)
    assert Nachricht.objects.get().art == Nachricht.Art.BENACHRICHTIGUNG

    assert senden(TAEGLICH) == 1
    assert len(smtp.an(taeglich.email)) == 1
    assert len(smtp.an(sofort.email)) == 1


def test_nothing_is_repeated_on_a_second_run_and_later_news_comes_next_time(smtp, welt):
    eigen, _ = welt
    rat = ratsmitglied(eigen, rhythmus=SOFORT)
    vorlage_in(eigen, "Erste Vorlage")
    assert senden(SOFORT) == 1
    assert senden(SOFORT) == 0
    assert len(smtp.an(rat.email)) == 1
    einstellung = Benachrichtigungseinstellung.objects.get(benutzer=rat)
    assert einstellung.gesendet_bis > vorhin(5)

    # Published after the mark: the next run reports it, and only it.
    vorlage_in(eigen, "Zweite Vorlage", veroeffentlicht_am=einstellung.gesendet_bis + datetime.timedelta(seconds=1))
    assert senden(SOFORT, jetzt=timezone.now() + datetime.timedelta(minutes=2)) == 1
    zweite = text_von(smtp.an(rat.email)[1])
    assert "Zweite Vorlage" in zweite and "Erste Vorlage" not in zweite


def test_no_news_no_mail_and_no_address_or_inactive_nothing(smtp, welt):
    eigen, _ = welt
    ruhig = ratsmitglied(AusschussFactory())
    ohne_adresse = ratsmitglied(eigen)
    ohne_adresse.email = ""
    ohne_adresse.save()
    inaktiv = ratsmitglied(eigen)
    inaktiv.is_active = False
    inaktiv.save()
    nichts_gewaehlt = ratsmitglied(
        eigen, neue_vorlagen=False, tagesordnung=False, nachtraege=False, niederschriften=False
    )
    vorlage_in(eigen, "Neue Vorlage")

    assert senden() == 0
    assert smtp.empfangen == []
    assert not Nachricht.objects.exists()
    for benutzer in (ruhig, ohne_adresse, inaktiv, nichts_gewaehlt):
        assert benutzer.email == "" or not smtp.an(benutzer.email)


def test_only_the_chosen_kinds_are_reported(smtp, welt):
    eigen, _ = welt
    rat = ratsmitglied(eigen, neue_vorlagen=False, tagesordnung=True, nachtraege=False, niederschriften=False)
    vorlage_in(eigen, "kanarie-nicht-gewaehlt")
    top_in(sitzung=SitzungFactory(ausschuss=eigen), titel="Gewählter Punkt")
    senden()
    text = text_von(smtp.an(rat.email)[0])
    assert "Gewählter Punkt" in text and "kanarie-nicht-gewaehlt" not in text


def test_the_command_queues_the_mails_for_the_worker(smtp, welt, django_capture_on_commit_callbacks):
    eigen, _ = welt
    rat = ratsmitglied(eigen)
    vorlage_in(eigen, "Vorlage für die Zusammenfassung")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("benachrichtigungen_senden")
    assert smtp.empfangen == []  # sofort: she chose the digest
    with django_capture_on_commit_callbacks(execute=True):
        call_command("benachrichtigungen_senden", "--taeglich")
    assert "Vorlage für die Zusammenfassung" in text_von(smtp.an(rat.email)[0])
    assert Nachricht.objects.get().status == Nachricht.Status.GESENDET


def test_a_clerk_with_notifications_is_not_sent_drafts(smtp, welt):
    eigen, _ = welt
    sachbearbeitung = SachbearbeitungFactory()
    MitgliedschaftFactory(person=PersonFactory(benutzer=sachbearbeitung), ausschuss=eigen)
    BenachrichtigungseinstellungFactory(benutzer=sachbearbeitung, gesendet_bis=vorhin(60))
    vorlage_in(eigen, "kanarie-entwurf", status=Vorlage.Status.ENTWURF, veroeffentlicht_am=None)
    vorlage_in(eigen, "Veröffentlicht")
    senden()
    text = text_von(smtp.an(sachbearbeitung.email)[0])
    assert "Veröffentlicht" in text and "kanarie-entwurf" not in text


# One-click unsubscribe (RFC 8058)


def test_one_click_post_without_csrf_token_switches_everything_off(welt):
    rat = ratsmitglied(welt[0])
    client = Client(enforce_csrf_checks=True)
    url = reverse("konto:benachrichtigungen-abbestellen", kwargs={"token": abmelde_token(rat)})
    antwort = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert antwort.status_code == 200
    assert "Sie erhalten keine Benachrichtigungen mehr" in antwort.content.decode()
    einstellung = Benachrichtigungseinstellung.objects.get(benutzer=rat)
    assert not einstellung.irgendwas_gewaehlt
    # Again: still fine.
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200


def test_the_unsubscribe_link_asks_first_on_a_get(client, welt):
    rat = ratsmitglied(welt[0])
    url = reverse("konto:benachrichtigungen-abbestellen", kwargs={"token": abmelde_token(rat)})
    antwort = client.get(url)
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Alle Benachrichtigungen abbestellen" in inhalt and 'method="post"' in inhalt
    assert Benachrichtigungseinstellung.objects.get(benutzer=rat).irgendwas_gewaehlt


@pytest.mark.parametrize("art", ["gefaelscht", "abgelaufen", "fremder-salz", "kaputt", "unbekannt"])
def test_a_forged_or_expired_unsubscribe_link_gives_a_clear_400(client, welt, art):
    rat = ratsmitglied(welt[0])
    token = {
        "gefaelscht": abmelde_token(rat)[:-3] + "xyz",
        "abgelaufen": None,
        "fremder-salz": signing.dumps(rat.pk, salt="etwas-anderes"),
        "kaputt": "%%%:::",
        "unbekannt": signing.dumps(999999, salt=ABMELDE_SALZ),
    }[art]
    if art == "abgelaufen":
        token = _alter_token(rat.pk)
    url = reverse("konto:benachrichtigungen-abbestellen", kwargs={"token": token})
    for antwort in (client.get(url), client.post(url, {"List-Unsubscribe": "One-Click"})):
        assert antwort.status_code == 400
        inhalt = antwort.content.decode()
        assert "Dieser Link zum Abbestellen funktioniert nicht" in inhalt
        assert ("abgelaufen" in inhalt) if art == "abgelaufen" else ("ungültig" in inhalt)
    assert Benachrichtigungseinstellung.objects.get(benutzer=rat).irgendwas_gewaehlt


def _alter_token(wert):
    """A token as ``abmelde_token`` makes it, signed at a moment longer ago than it stays valid."""
    vorher = timezone.now() - ABMELDE_GUELTIG - datetime.timedelta(days=1)

    class AlterSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(vorher.timestamp()))

    return AlterSigner(salt=ABMELDE_SALZ).sign_object(wert, compress=False)


# The settings page


def test_the_settings_page_asks_for_login(client):
    antwort = client.get(reverse("konto:benachrichtigungen"))
    assert antwort.status_code == 302 and reverse("konto:anmelden") in antwort["Location"]


def test_the_settings_page_stores_the_choice_and_starts_the_window_now(client, welt):
    benutzer = UserFactory()
    client.force_login(benutzer)
    antwort = client.get(reverse("konto:benachrichtigungen"))
    inhalt = antwort.content.decode()
    assert antwort.status_code == 200
    assert "<h1>Benachrichtigungen per E-Mail</h1>" in inhalt
    assert '<label for="id_neue_vorlagen">Neue Vorlagen in meinen Gremien</label>' in inhalt
    assert "<legend>Wie oft?</legend>" in inhalt
    vorher = timezone.now()
    antwort = client.post(
        reverse("konto:benachrichtigungen"),
        {"neue_vorlagen": "on", "nachtraege": "on", "rhythmus": "sofort"},
    )
    assert antwort.status_code == 302
    einstellung = Benachrichtigungseinstellung.objects.get(benutzer=benutzer)
    assert (einstellung.neue_vorlagen, einstellung.tagesordnung, einstellung.nachtraege) == (True, False, True)
    assert einstellung.rhythmus == SOFORT
    assert einstellung.gesendet_bis >= vorher
    assert "Ihre Auswahl ist gespeichert." in client.get(antwort["Location"]).content.decode()


def test_a_bad_rhythm_is_a_form_error_not_a_500(client):
    client.force_login(UserFactory())
    antwort = client.post(reverse("konto:benachrichtigungen"), {"neue_vorlagen": "on", "rhythmus": "stündlich"})
    assert antwort.status_code == 200
    assert 'role="alert"' in antwort.content.decode()
    assert not Benachrichtigungseinstellung.objects.exists()


def test_changing_the_choice_keeps_the_window_so_nothing_is_skipped(welt):
    rat = ratsmitglied(welt[0])
    vorher = Benachrichtigungseinstellung.objects.get(benutzer=rat).gesendet_bis
    benachrichtigungen_einstellen(
        benutzer=rat, neue_vorlagen=True, tagesordnung=False, nachtraege=False, niederschriften=False, rhythmus=SOFORT
    )
    assert Benachrichtigungseinstellung.objects.get(benutzer=rat).gesendet_bis == vorher


def test_meine_sitzungen_links_to_the_settings(client):
    client.force_login(UserFactory())
    assert reverse("konto:benachrichtigungen") in client.get(reverse("konto:meine-sitzungen")).content.decode()


# Constant queries per batch


@pytest.mark.parametrize("anzahl", [2, 12])
def test_a_batch_costs_the_same_queries_whatever_its_size(django_assert_max_num_queries, welt, anzahl):
    eigen, fremd = welt
    for nummer in range(anzahl):
        ratsmitglied(eigen if nummer % 2 else fremd)
    for nummer in range(anzahl):
        vorlage_in(eigen if nummer % 2 else fremd, f"Vorlage {nummer}", oeffentlich=bool(nummer % 3))
        sitzung = SitzungFactory(ausschuss=eigen if nummer % 2 else fremd)
        top_in(sitzung=sitzung)
        Einberufung.objects.create(
            sitzung=sitzung,
            art="einladung",
            nummer=0,
            versendet_am=vorhin(120),
            ladungsfrist_tage=7,
            frist_eingehalten=True,
        )
        Einberufung.objects.create(
            sitzung=sitzung,
            art="nachtrag",
            nummer=1,
            versendet_am=vorhin(),
            ladungsfrist_tage=7,
            frist_eingehalten=True,
        )
        alt = SitzungFactory(
            ausschuss=eigen if nummer % 2 else fremd, beginn=timezone.now() - datetime.timedelta(days=3)
        )
        NiederschriftFactory(sitzung=alt, veroeffentlicht_am=vorhin())
    # One batch: its settings with their users, two for the permissions, per kind of news whether anything
    # happened at all, the UNION and the load (twelve), the mails stored and the marks moved, four savepoints; then
    # the read that finds no further batch and its two savepoints. Twenty-four, for two users as for twelve.
    with django_assert_max_num_queries(24):
        assert benachrichtigungen_senden(rhythmus=TAEGLICH) == anzahl
    texte = [nachricht.text for nachricht in Nachricht.objects.all()]
    assert all("Neue Vorlagen" in text and "Nachträge zur Einberufung" in text for text in texte)


def test_the_demo_councillor_has_the_daily_digest_chosen_and_keeps_her_own_choice():
    demo_zugaenge_anlegen()
    einstellung = Benachrichtigungseinstellung.objects.get(benutzer__username=RATSMITGLIED_BENUTZERNAME)
    assert einstellung.rhythmus == TAEGLICH
    assert einstellung.neue_vorlagen and einstellung.tagesordnung and einstellung.nachtraege
    assert einstellung.niederschriften
    Benachrichtigungseinstellung.objects.filter(pk=einstellung.pk).update(rhythmus=SOFORT, niederschriften=False)
    demo_zugaenge_anlegen()
    einstellung.refresh_from_db()
    assert (einstellung.rhythmus, einstellung.niederschriften) == (SOFORT, False)


def test_the_mails_unsubscribe_link_is_https_in_production_and_one_click_works(smtp, welt, settings):
    settings.RATSINFO_BASIS_URL = "https://ratsinfo.stuttgart.de"
    rat = ratsmitglied(welt[0], rhythmus=SOFORT)
    vorlage_in(welt[0], "Vorlage mit Abmeldelink")
    senden(SOFORT)
    (mail,) = smtp.an(rat.email)
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://ratsinfo.stuttgart.de/konto/benachrichtigungen/abbestellen/")
    assert "https://ratsinfo.stuttgart.de/konto/benachrichtigungen/\n" in text_von(mail)
    # What a mail program does with the two headers (RFC 8058): POST the body to the link, no cookie, no token.
    antwort = Client(enforce_csrf_checks=True).post(
        link.removeprefix("https://ratsinfo.stuttgart.de"),
        mail["List-Unsubscribe-Post"],
        content_type="application/x-www-form-urlencoded",
    )
    assert antwort.status_code == 200
    assert not Benachrichtigungseinstellung.objects.get(benutzer=rat).irgendwas_gewaehlt
    vorlage_in(welt[0], "Nach dem Abbestellen")
    assert senden(SOFORT, jetzt=timezone.now() + datetime.timedelta(minutes=2)) == 0


def test_a_run_without_any_news_asks_nothing_per_user(django_assert_max_num_queries, welt):
    for _ in range(5):
        ratsmitglied(welt[0])
    # The batch, the permissions, one "anything new?" per kind, the mark, savepoints; and the closing read.
    with django_assert_max_num_queries(13):
        assert benachrichtigungen_senden(rhythmus=TAEGLICH) == 0
