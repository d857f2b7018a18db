"""The citizens' digests (issue 18, item 4): built through the one rule for the anonymous visitor, one German mail
per address through the real SMTP server, never a hidden canary, nothing twice."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from abonnements.models import Abonnement, Abonnent
from abonnements.zusammenfassung import stapel_einreihen, zusammenfassungen_einreihen
from post.models import Nachricht
from post.versand import faellige_senden
from tests.factories import (
    AbonnementFactory,
    AbstimmungFactory,
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    NiederschriftFactory,
    PersonFactory,
    SitzungFactory,
    StimmeFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db

KANARIE = "KANARIE-geheim"


@pytest.fixture(autouse=True)
def abo_adressen(settings):
    settings.RATSINFO_BASIS_URL = "https://ratsinfo.example.org"


def _jetzt():
    return timezone.now() + datetime.timedelta(minutes=1)


def abonnieren(adresse="buerger@example.org", *, tage=2, rhythmus=Abonnement.Rhythmus.TAEGLICH, **gegenstand):
    """A confirmed subscription, confirmed ``tage`` days ago (so whatever the test creates now is new to it)."""
    abonnent, _ = Abonnent.objects.get_or_create(
        adresse=adresse,
        defaults={"einwilligung_am": timezone.now(), "einwilligung_text": "Ich willige ein."},
    )
    art = (
        next(a for a in ("ausschuss", "vorlage", "person") if a in gegenstand)
        if set(gegenstand)
        - {
            "suchbegriff",
            "suchfilter",
        }
        else "suche"
    )
    art = {"ausschuss": "gremium"}.get(art, art)
    return Abonnement.objects.create(
        abonnent=abonnent,
        art=art,
        rhythmus=rhythmus,
        bestaetigt_am=timezone.now() - datetime.timedelta(days=tage),
        **gegenstand,
    )


def senden(django_capture_on_commit_callbacks, jetzt=None):
    with django_capture_on_commit_callbacks(execute=True):
        ergebnis = zusammenfassungen_einreihen(jetzt=jetzt or _jetzt())
    return ergebnis


def text_von(mail):
    return mail.get_body(("plain",)).get_content()


def test_a_gremium_digest_brings_new_vorlagen_sitzungen_results_and_niederschriften_in_german(
    smtp, django_capture_on_commit_callbacks
):
    gremium = AusschussFactory(name="Ausschuss für Umwelt und Technik")
    abo = abonnieren(ausschuss=gremium)
    vorlage = VorlageFactory(titel="Radweg in der Tübinger Straße")
    BeratungFactory(vorlage=vorlage, ausschuss=gremium)
    sitzung = SitzungFactory(ausschuss=gremium)
    TagesordnungspunktFactory(sitzung=sitzung, titel="Radweg beschließen", ergebnis="beschlossen")
    NiederschriftFactory(sitzung=SitzungFactory(ausschuss=gremium), veroeffentlicht_am=timezone.now())

    ergebnis = senden(django_capture_on_commit_callbacks)

    assert ergebnis.nachrichten == 1
    (mail,) = smtp.an("buerger@example.org")
    text = text_von(mail)
    assert mail["Subject"].startswith("Ratsinformation: ")
    assert "Guten Tag," in text
    assert "== Gremium: Ausschuss für Umwelt und Technik ==" in text
    assert "Neue Vorlage: " in text and "Radweg in der Tübinger Straße" in text
    assert "https://ratsinfo.example.org" + vorlage.get_absolute_url() in text
    assert "Neue Sitzung: " in text
    assert "Ö " in text and "Radweg beschließen – Ergebnis: beschlossen" in text
    assert "Niederschrift veröffentlicht: " in text
    assert "Dieses Abonnement abbestellen:" in text
    abbestellen = "https://ratsinfo.example.org" + reverse("abo:abbestellen", kwargs={"token": abo.token})
    assert abbestellen in text
    # One subscription: the header ends exactly that one, with one click (RFC 8058).
    assert mail["List-Unsubscribe"] == f"<{abbestellen}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    nachricht = Nachricht.objects.get()
    assert nachricht.art == Nachricht.Art.ZUSAMMENFASSUNG and nachricht.status == Nachricht.Status.GESENDET
    abo.refresh_from_db()
    assert abo.gesendet_bis is not None


def test_one_mail_per_address_groups_her_subscriptions_and_the_header_leads_to_deleting_all(
    smtp, django_capture_on_commit_callbacks
):
    gremium = AusschussFactory()
    vorlage = VorlageFactory(titel="Haushalt 2027")
    BeratungFactory(vorlage=vorlage, ausschuss=gremium)
    abonnieren(ausschuss=gremium)
    abonnieren(vorlage=vorlage)
    abonnieren("andere@example.org", vorlage=vorlage)

    senden(django_capture_on_commit_callbacks)

    (mail,) = smtp.an("buerger@example.org")
    text = text_von(mail)
    assert text.count("Dieses Abonnement abbestellen:") == 2
    assert "== Vorlage: " in text and "Die Vorlage wurde veröffentlicht." in text
    abonnent = Abonnent.objects.get(adresse="buerger@example.org")
    verwalten = "https://ratsinfo.example.org" + reverse("abo:verwalten", kwargs={"token": abonnent.token})
    assert verwalten in text
    alle = reverse("abo:alle-abbestellen", kwargs={"token": abonnent.token})
    assert mail["List-Unsubscribe"] == f"<https://ratsinfo.example.org{alle}>"
    assert len(smtp.an("andere@example.org")) == 1
    # RFC 8058: the mail client POSTs without a CSRF token; the whole digest stops, the other reader keeps hers.
    antwort = Client(enforce_csrf_checks=True).post(
        alle, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert antwort.status_code == 200
    assert not Abonnent.objects.filter(adresse="buerger@example.org").exists()
    assert Abonnent.objects.filter(adresse="andere@example.org").exists()


def test_the_all_unsubscribe_page_asks_first_and_an_unknown_address_gets_a_clear_404(client):
    abonnent = AbonnementFactory(bestaetigt_am=timezone.now()).abonnent
    seite = client.get(reverse("abo:alle-abbestellen", kwargs={"token": abonnent.token}))
    assert seite.status_code == 200
    assert "Alle abbestellen und Adresse löschen" in seite.content.decode()
    assert Abonnent.objects.filter(pk=abonnent.pk).exists()
    weg = client.post(reverse("abo:alle-abbestellen", kwargs={"token": "gibt-es-nicht"}))
    assert weg.status_code == 404
    assert "nicht (mehr) gespeichert" in weg.content.decode()


def test_no_canary_of_hidden_content_reaches_a_digest(smtp, django_capture_on_commit_callbacks):
    gremium = AusschussFactory()
    person = PersonFactory()
    abonnieren(ausschuss=gremium)
    abonnieren(person=person)
    abonnieren(suchbegriff="Kanarie")
    for verborgen in (
        VorlageFactory(titel=f"{KANARIE} nichtöffentlich", oeffentlich=False),
        VorlageFactory(titel=f"{KANARIE} vertraulich", vertraulich=True),
        VorlageFactory(titel=f"{KANARIE} Entwurf", entwurf=True),
    ):
        BeratungFactory(vorlage=verborgen, ausschuss=gremium)
    offen = VorlageFactory(titel="Öffentliche Vorlage")
    BeratungFactory(vorlage=offen, ausschuss=gremium, oeffentlich=False)
    AnlageFactory(vorlage=offen, titel=f"{KANARIE} Anlage", oeffentlich=False)
    sitzung = SitzungFactory(ausschuss=gremium)
    TagesordnungspunktFactory(sitzung=sitzung, titel="Öffentlicher Punkt")
    geheim = TagesordnungspunktFactory(
        sitzung=sitzung, titel=f"{KANARIE} Personalsache", oeffentlich=False, ergebnis="beschlossen"
    )
    StimmeFactory(person=person, abstimmung=AbstimmungFactory(tagesordnungspunkt=geheim, art="namentlich"))
    NiederschriftFactory(sitzung=sitzung, einleitung=f"{KANARIE} Entwurf der Niederschrift")

    senden(django_capture_on_commit_callbacks)

    texte = [text_von(mail) + str(mail["Subject"]) for mail in smtp.empfangen]
    assert texte, "the public agenda of the new Sitzung is news"
    for text in texte:
        assert KANARIE.lower() not in text.lower()
    assert "Öffentlicher Punkt" in "".join(texte)
    assert "Niederschrift veröffentlicht" not in "".join(texte)  # a draft


def test_a_second_run_repeats_nothing_and_a_later_one_brings_only_what_is_new(smtp, django_capture_on_commit_callbacks):
    vorlage = VorlageFactory()
    abo = abonnieren(vorlage=vorlage)
    erster = _jetzt()
    senden(django_capture_on_commit_callbacks, erster)
    assert len(smtp.empfangen) == 1

    # The same day again (a manual re-run): not due.
    assert senden(django_capture_on_commit_callbacks, erster + datetime.timedelta(hours=1)).adressen == 0
    # The next day without news: due, but nothing to say, so no mail; the window moves on.
    zweiter = erster + datetime.timedelta(days=1)
    assert senden(django_capture_on_commit_callbacks, zweiter).nachrichten == 0
    abo.refresh_from_db()
    assert abo.gesendet_bis == zweiter

    anlage = AnlageFactory(vorlage=vorlage, titel="Lageplan")
    type(anlage).objects.filter(pk=anlage.pk).update(erstellt_am=zweiter + datetime.timedelta(hours=2))
    senden(django_capture_on_commit_callbacks, zweiter + datetime.timedelta(days=1))
    assert len(smtp.empfangen) == 2
    text = text_von(smtp.empfangen[-1])
    assert "Neue Anlage: Lageplan" in text
    assert "Die Vorlage wurde veröffentlicht." not in text


def test_weekly_subscriptions_wait_a_week_daily_ones_do_not(smtp, django_capture_on_commit_callbacks):
    gremium = AusschussFactory()
    BeratungFactory(ausschuss=gremium)
    taeglich = abonnieren("taeglich@example.org", ausschuss=gremium, tage=2)
    woechentlich = abonnieren(
        "woechentlich@example.org", ausschuss=gremium, tage=2, rhythmus=Abonnement.Rhythmus.WOECHENTLICH
    )
    jetzt = _jetzt()
    senden(django_capture_on_commit_callbacks, jetzt)
    assert len(smtp.an("taeglich@example.org")) == 1
    assert smtp.an("woechentlich@example.org") == []
    woechentlich.refresh_from_db()
    assert woechentlich.gesendet_bis is None

    # Confirmed two days before the first run: six days later the week is not over, seven days later it is.
    senden(django_capture_on_commit_callbacks, jetzt + datetime.timedelta(days=4))
    assert smtp.an("woechentlich@example.org") == []
    senden(django_capture_on_commit_callbacks, jetzt + datetime.timedelta(days=5))
    assert len(smtp.an("woechentlich@example.org")) == 1
    assert len(smtp.an("taeglich@example.org")) == 1  # the daily one had it already
    taeglich.refresh_from_db()
    assert taeglich.gesendet_bis == jetzt + datetime.timedelta(days=5)


def test_a_subscription_whose_vorlage_became_non_public_sends_nothing_and_fails_nothing(
    smtp, django_capture_on_commit_callbacks
):
    weg = VorlageFactory(titel=f"{KANARIE} zurück im Entwurf")
    abonnieren(vorlage=weg)
    nichtoeffentlich = VorlageFactory(titel=f"{KANARIE} nicht mehr öffentlich")
    abonnieren("zweite@example.org", vorlage=nichtoeffentlich)
    Vorlage.objects.filter(pk=weg.pk).update(status=Vorlage.Status.ENTWURF)
    Vorlage.objects.filter(pk=nichtoeffentlich.pk).update(oeffentlich=False)
    AnlageFactory(vorlage=weg)

    ergebnis = senden(django_capture_on_commit_callbacks)

    assert ergebnis.fehler == 0 and ergebnis.nachrichten == 0
    assert smtp.empfangen == []


def test_one_broken_subscription_does_not_stop_the_others(smtp, django_capture_on_commit_callbacks, monkeypatch):
    from abonnements import zusammenfassung

    gut = VorlageFactory()
    kaputt = VorlageFactory()
    abonnieren("gut@example.org", vorlage=gut)
    defekt = abonnieren("kaputt@example.org", vorlage=kaputt)
    original = zusammenfassung.Neuigkeiten._vorlage_eintraege

    def manchmal_kaputt(self, abonnement, seit, bis):
        if abonnement.pk == defekt.pk:
            raise RuntimeError("kaputt")
        return original(self, abonnement, seit, bis)

    monkeypatch.setattr(zusammenfassung.Neuigkeiten, "_vorlage_eintraege", manchmal_kaputt)
    ergebnis = senden(django_capture_on_commit_callbacks)

    assert ergebnis.fehler == 1 and ergebnis.nachrichten == 1
    assert len(smtp.an("gut@example.org")) == 1
    defekt.refresh_from_db()
    assert defekt.gesendet_bis is None  # tried again next time


def test_a_person_digest_brings_public_roll_call_votes_and_new_memberships(smtp, django_capture_on_commit_callbacks):
    person = PersonFactory(vorname="Erika", nachname="Muster")
    abonnieren(person=person)
    gremium = AusschussFactory(name="Sozialausschuss")
    MitgliedschaftFactory(person=person, ausschuss=gremium)
    top = TagesordnungspunktFactory(titel="Neue Kita", sitzung=SitzungFactory(ausschuss=gremium))
    StimmeFactory(person=person, abstimmung=AbstimmungFactory(tagesordnungspunkt=top, art="namentlich"), stimme="ja")

    senden(django_capture_on_commit_callbacks)

    text = text_von(smtp.an("buerger@example.org")[0])
    assert "Neue Mitgliedschaft: Sozialausschuss" in text
    assert "Namentliche Abstimmung in " in text and "Neue Kita: Ja" in text


def test_a_search_digest_brings_new_public_hits_with_its_filters(smtp, django_capture_on_commit_callbacks):
    gremium = AusschussFactory(slug="umwelt")
    im_gremium = VorlageFactory(titel="Baumschutzsatzung für die Innenstadt")
    BeratungFactory(vorlage=im_gremium, ausschuss=gremium)
    VorlageFactory(titel="Baumschutzsatzung anderswo")
    abonnieren(suchbegriff="Baumschutzsatzung", suchfilter={"ausschuss": "umwelt", "typ": "vorlage"})
    abonnieren("kaputter-filter@example.org", suchbegriff="Baumschutzsatzung", suchfilter={"von": "kein Datum"})

    ergebnis = senden(django_capture_on_commit_callbacks)

    assert ergebnis.fehler == 0
    text = text_von(smtp.an("buerger@example.org")[0])
    assert "== Suche: „Baumschutzsatzung“ ==" in text
    assert "Vorlage: " in text and "Baumschutzsatzung für die Innenstadt" in text
    assert "anderswo" not in text
    assert smtp.an("kaputter-filter@example.org") == []


def test_an_unconfirmed_subscription_gets_no_digest(smtp, django_capture_on_commit_callbacks):
    vorlage = VorlageFactory()
    abo = abonnieren(vorlage=vorlage)
    Abonnement.objects.filter(pk=abo.pk).update(bestaetigt_am=None)
    assert senden(django_capture_on_commit_callbacks).adressen == 0
    assert smtp.empfangen == []


def _bestand(n):
    """``n`` addresses, each with a Gremium, a Vorlage, a Person and a search subscription that all have news."""
    for i in range(n):
        gremium = AusschussFactory()
        vorlage = VorlageFactory(titel=f"Stadtbahn {i}")
        BeratungFactory(vorlage=vorlage, ausschuss=gremium)
        AnlageFactory(vorlage=vorlage)
        sitzung = SitzungFactory(ausschuss=gremium)
        top = TagesordnungspunktFactory(sitzung=sitzung, ergebnis="beschlossen")
        person = PersonFactory()
        MitgliedschaftFactory(person=person, ausschuss=gremium)
        StimmeFactory(person=person, abstimmung=AbstimmungFactory(tagesordnungspunkt=top, art="namentlich"))
        NiederschriftFactory(sitzung=sitzung, veroeffentlicht_am=timezone.now())
        adresse = f"leser{i}@example.org"
        abonnieren(adresse, ausschuss=gremium)
        abonnieren(adresse, vorlage=vorlage)
        abonnieren(adresse, person=person)
        abonnieren(adresse, suchbegriff="Stadtbahn", suchfilter={"typ": "vorlage"})


@pytest.mark.parametrize("anzahl", [2, 12])
def test_a_batch_takes_a_fixed_number_of_queries_whatever_its_size(
    anzahl, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    _bestand(anzahl)
    ids = list(Abonnent.objects.values_list("pk", flat=True))
    # Building and queueing a batch (the sending is post's, measured in its own tests); on PostgreSQL one more,
    # which turns JIT off for the batch's transaction.
    with django_assert_max_num_queries(21 if connection.vendor == "postgresql" else 20):
        ergebnis = stapel_einreihen(abonnent_ids=ids, jetzt=_jetzt())
    assert ergebnis.nachrichten == anzahl and ergebnis.fehler == 0
    assert Nachricht.objects.count() == anzahl


def test_the_command_prints_its_counts(smtp, django_capture_on_commit_callbacks, capsys):
    abonnieren(vorlage=VorlageFactory())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("abonnements_senden")
    ausgabe = capsys.readouterr().out
    assert "1 Zusammenfassungen eingereiht für 1 Adressen" in ausgabe
    assert len(smtp.empfangen) == 1


def test_messages_wait_in_the_outbox_when_the_server_is_down(smtp, django_capture_on_commit_callbacks):
    abonnieren(vorlage=VorlageFactory())
    smtp.abschalten()
    senden(django_capture_on_commit_callbacks)
    assert Nachricht.objects.get().status == Nachricht.Status.WARTEND
    smtp.einschalten()
    Nachricht.objects.update(naechster_versuch=None)
    faellige_senden()
    assert len(smtp.empfangen) == 1


def test_a_changed_sitzung_lists_what_changed_on_its_agenda_not_all_of_it(smtp, django_capture_on_commit_callbacks):
    gremium = AusschussFactory()
    abo = abonnieren(ausschuss=gremium)
    sitzung = SitzungFactory(ausschuss=gremium)
    TagesordnungspunktFactory(sitzung=sitzung, titel="Unverändert")
    erster = _jetzt()
    senden(django_capture_on_commit_callbacks, erster)
    assert "Unverändert" in text_von(smtp.an("buerger@example.org")[0])

    spaeter = erster + datetime.timedelta(hours=2)
    TagesordnungspunktFactory(sitzung=sitzung, titel="Nachgereicht", ergebnis="vertagt")
    sitzung.tagesordnungspunkte.filter(titel="Nachgereicht").update(geaendert_am=spaeter)
    senden(django_capture_on_commit_callbacks, erster + datetime.timedelta(days=1))

    text = text_von(smtp.an("buerger@example.org")[-1])
    assert "Sitzung geändert: " in text
    assert "Nachgereicht – Ergebnis: vertagt" in text
    assert "Unverändert" not in text
    abo.refresh_from_db()
    assert abo.gesendet_bis == erster + datetime.timedelta(days=1)


def test_a_search_digest_names_twenty_hits_and_leads_to_the_search_for_the_rest(
    smtp, django_capture_on_commit_callbacks
):
    for i in range(22):
        VorlageFactory(titel=f"Schulsanierung {i}")
    abonnieren(suchbegriff="Schulsanierung", suchfilter={"typ": "vorlage"})

    senden(django_capture_on_commit_callbacks)

    text = text_von(smtp.an("buerger@example.org")[0])
    assert text.count("Vorlage: ") == 20
    assert "… und 2 weitere neue Treffer dieser Suche" in text
    assert "https://ratsinfo.example.org" + reverse("suche:suche") + "?typ=vorlage&q=Schulsanierung" in text


def test_a_run_reads_the_news_once_and_later_batches_take_them_from_its_store(smtp, django_capture_on_commit_callbacks):
    from django.test.utils import CaptureQueriesContext

    from abonnements.zusammenfassung import Vorrat

    gremium = AusschussFactory()
    BeratungFactory(vorlage=VorlageFactory(titel="Stadtbahn nach Vaihingen"), ausschuss=gremium)
    for adresse in ("erste@example.org", "zweite@example.org"):
        abonnieren(adresse, ausschuss=gremium)
        abonnieren(adresse, suchbegriff="Stadtbahn", suchfilter={"typ": "vorlage"})
    erste, zweite = Abonnent.objects.order_by("pk")
    jetzt = _jetzt()
    vorrat = Vorrat(jetzt)
    with django_capture_on_commit_callbacks(execute=True):
        with CaptureQueriesContext(connection) as ohne_vorrat:
            stapel_einreihen(abonnent_ids=[erste.pk], jetzt=jetzt, vorrat=vorrat)
        with CaptureQueriesContext(connection) as mit_vorrat:
            stapel_einreihen(abonnent_ids=[zweite.pk], jetzt=jetzt, vorrat=vorrat)

    # The second batch reads no news: only its subscriptions, the outbox and the windows.
    assert len(mit_vorrat) < len(ohne_vorrat) - 5
    for adresse in ("erste@example.org", "zweite@example.org"):
        text = text_von(smtp.an(adresse)[0])
        assert "Neue Vorlage: " in text and "== Suche: „Stadtbahn“ ==" in text
        assert text.count("Stadtbahn nach Vaihingen") == 2  # the Gremium's part and the search's part


def test_a_later_batch_with_an_earlier_window_still_gets_its_older_news(smtp, django_capture_on_commit_callbacks):
    gremium = AusschussFactory()
    alt = VorlageFactory(titel="Seilbahn zum Fernsehturm")
    BeratungFactory(vorlage=alt, ausschuss=gremium)
    Vorlage.objects.filter(pk=alt.pk).update(veroeffentlicht_am=timezone.now() - datetime.timedelta(days=3))
    neu = VorlageFactory(titel="Stadtbahn nach Vaihingen")
    BeratungFactory(vorlage=neu, ausschuss=gremium)
    gestern = abonnieren("gestern@example.org", ausschuss=gremium)
    Abonnement.objects.filter(pk=gestern.pk).update(gesendet_bis=timezone.now() - datetime.timedelta(days=1))
    abonnieren("neu@example.org", tage=5, ausschuss=gremium)
    abonnieren("neu@example.org", tage=5, suchbegriff="Seilbahn")
    abonnieren("gestern-suche@example.org", tage=1, suchbegriff="Seilbahn")

    with django_capture_on_commit_callbacks(execute=True):
        # One address per batch: the first batch reads the news of the last day only, the second needs more.
        ergebnis = zusammenfassungen_einreihen(jetzt=_jetzt(), stapel=1)

    assert ergebnis.fehler == 0 and ergebnis.nachrichten == 2
    text = text_von(smtp.an("gestern@example.org")[0])
    assert "Stadtbahn nach Vaihingen" in text and "Seilbahn" not in text
    text = text_von(smtp.an("neu@example.org")[0])
    assert "Stadtbahn nach Vaihingen" in text and "Neue Vorlage: " in text
    assert text.count("Seilbahn zum Fernsehturm") == 2  # the Gremium's part and the search's part
    assert smtp.an("gestern-suche@example.org") == []
