"""Citizens follow a Gremium, a Vorlage, a Person or a search by e-mail, without an account (issue 18, item 4).

Every mail goes through the real SMTP server of ``tests/smtp.py``; the outbox sends it once the request's
transaction commits (``django_capture_on_commit_callbacks``).
"""

import datetime
import re
import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from abonnements import links, services
from abonnements.forms import einwilligung_text
from abonnements.models import Abonnement, Abonnent
from post.models import Nachricht
from tests.factories import (
    AbonnementFactory,
    AbonnentFactory,
    AusschussFactory,
    NachrichtFactory,
    PersonFactory,
    SachbearbeitungFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db

ADRESSE = "buergerin@example.org"


def neu(**query):
    return f"{reverse('abo:neu')}?{urlencode(query)}"


def anmelden(client, capture, query, adresse=ADRESSE, rhythmus="taeglich", **kwargs):
    with capture(execute=True):
        return client.post(neu(**query), {"adresse": adresse, "rhythmus": rhythmus, "einwilligung": "on"}, **kwargs)


def link_aus(mail, name):
    """The path of the first link to the URL name ``name`` in the mail's text."""
    text = mail.get_body(("plain",)).get_content()
    praefix = reverse(name, kwargs={"signatur" if name == "abo:bestaetigen" else "token": "X"}).rsplit("X", 1)[0]
    gefunden = re.search(rf"https?://\S*?({re.escape(praefix)}\S+)", text)
    assert gefunden, text
    return gefunden[1]


@pytest.fixture
def gremium(db):
    return AusschussFactory(name="Gemeinderat", slug="gemeinderat")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


# Subscribing ------------------------------------------------------------------------------------------------------


def test_the_pages_of_gremium_vorlage_person_and_search_offer_to_follow_by_mail(client, gremium):
    vorlage = VorlageFactory(titel="Radweg Neckartal")
    person = PersonFactory()
    for seite, ziel in [
        (gremium.get_absolute_url(), neu(gremium=gremium.slug)),
        (vorlage.get_absolute_url(), neu(vorlage=vorlage.kennung)),
        (person.get_absolute_url(), neu(person=person.pk)),
        (f"{reverse('suche:suche')}?q=Radweg&typ=vorlage", f"{reverse('abo:neu')}?typ=vorlage&amp;suche=Radweg"),
    ]:
        inhalt = client.get(seite).content.decode()
        assert "Per E-Mail folgen" in inhalt, seite
        assert f'href="{ziel}"' in inhalt, (seite, ziel)


def test_the_subscribe_page_names_what_is_followed_and_asks_for_consent(client, gremium):
    antwort = client.get(neu(gremium="gemeinderat"))
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Gemeinderat" in inhalt
    assert einwilligung_text() in inhalt
    assert reverse("abo:datenschutz") in inhalt
    assert "private" in antwort["Cache-Control"]


def test_subscribing_stores_an_unconfirmed_subscription_with_the_consent_and_mails_a_german_link(
    client, smtp, capture, gremium
):
    vorher = timezone.now()
    antwort = anmelden(
        client, capture, {"gremium": "gemeinderat"}, adresse="Buergerin@Example.org", rhythmus="woechentlich"
    )
    assert antwort.status_code == 200
    assert "Bitte bestätigen Sie Ihre Adresse" in antwort.content.decode()

    abonnent = Abonnent.objects.get()
    assert abonnent.adresse == ADRESSE
    assert abonnent.einwilligung_text == einwilligung_text()
    assert abonnent.einwilligung_am >= vorher
    abonnement = abonnent.abonnements.get()
    assert (abonnement.art, abonnement.ausschuss, abonnement.rhythmus) == ("gremium", gremium, "woechentlich")
    assert abonnement.bestaetigt_am is None

    (mail,) = smtp.an(ADRESSE)
    assert mail["Subject"] == "Bitte bestätigen Sie Ihr Abonnement: Gemeinderat"
    assert mail["Auto-Submitted"] == "auto-generated"
    text = mail.get_body(("plain",)).get_content()
    assert "Guten Tag," in text
    assert "Gemeinderat (wöchentlich)" in text
    assert "Der Link gilt 3 Tage." in text
    assert "http://testserver" not in text  # absolute from RATSINFO_BASIS_URL, not from the request
    assert reverse("abo:datenschutz") in text
    nachricht = Nachricht.objects.get()
    assert (nachricht.art, nachricht.status, nachricht.message_id) == ("bestaetigung", "gesendet", mail["Message-ID"])


def test_the_link_confirms_on_the_button_not_on_opening(client, smtp, capture, gremium):
    anmelden(client, capture, {"gremium": "gemeinderat"})
    pfad = link_aus(smtp.an(ADRESSE)[0], "abo:bestaetigen")

    antwort = client.get(pfad)
    assert antwort.status_code == 200
    assert "Abonnement bestätigen" in antwort.content.decode()
    assert Abonnement.objects.get().bestaetigt_am is None  # a mail scanner opening the link confirms nothing

    antwort = client.post(pfad)
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Abonnement bestätigt" in inhalt
    abonnement = Abonnement.objects.get()
    assert abonnement.bestaetigt_am is not None
    assert abonnement.gesendet_bis == abonnement.bestaetigt_am  # news from now on, not the past
    assert abonnement.abonnent.get_absolute_url() in inhalt


def test_a_reused_link_says_it_was_used(client, smtp, capture, gremium):
    anmelden(client, capture, {"gremium": "gemeinderat"})
    pfad = link_aus(smtp.an(ADRESSE)[0], "abo:bestaetigen")
    client.post(pfad)
    for antwort in (client.get(pfad), client.post(pfad)):
        assert antwort.status_code == 410
        assert "bereits verwendet" in antwort.content.decode()


def test_an_expired_link_says_so_and_confirms_nothing(client, gremium):
    abonnement = AbonnementFactory(ausschuss=gremium, bestaetigt_am=None, gesendet_bis=None)

    class VorVierTagen(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 4 * 24 * 3600)

    signatur = VorVierTagen(salt=services.SIGNATUR_SALZ).sign(abonnement.token)
    pfad = reverse("abo:bestaetigen", kwargs={"signatur": signatur})
    for antwort in (client.get(pfad), client.post(pfad)):
        assert antwort.status_code == 410
        assert "abgelaufen" in antwort.content.decode()
    abonnement.refresh_from_db()
    assert abonnement.bestaetigt_am is None


@pytest.mark.parametrize(
    "signatur",
    ["erfunden", "abc:def:ghi", "x" * 300, "%C3%A4"],
)
def test_a_forged_link_is_refused_with_a_reason(client, gremium, signatur):
    AbonnementFactory(ausschuss=gremium, bestaetigt_am=None)
    antwort = client.post(reverse("abo:bestaetigen", kwargs={"signatur": signatur}))
    assert antwort.status_code == 400
    assert "ungültig" in antwort.content.decode()
    assert not Abonnement.objects.bestaetigt().exists()


def test_a_link_to_a_token_signed_with_another_salt_is_forged(client, gremium):
    abonnement = AbonnementFactory(ausschuss=gremium, bestaetigt_am=None)
    signatur = signing.TimestampSigner(salt="anderes").sign(abonnement.token)
    assert client.get(reverse("abo:bestaetigen", kwargs={"signatur": signatur})).status_code == 400


def test_a_link_of_a_subscription_already_unsubscribed_is_gone(client, gremium):
    abonnement = AbonnementFactory(ausschuss=gremium, bestaetigt_am=None)
    signatur = services.bestaetigungs_signatur(abonnement)
    abonnement.delete()
    antwort = client.get(reverse("abo:bestaetigen", kwargs={"signatur": signatur}))
    assert antwort.status_code == 410
    assert "gibt es nicht mehr" in antwort.content.decode()


def test_the_same_subscription_is_not_stored_twice(client, smtp, capture, gremium):
    anmelden(client, capture, {"gremium": "gemeinderat"})
    anmelden(client, capture, {"gremium": "gemeinderat"}, adresse="BUERGERIN@example.org", rhythmus="woechentlich")
    abonnement = Abonnement.objects.get()
    assert abonnement.rhythmus == "woechentlich"
    assert len(smtp.an(ADRESSE)) == 2  # a second link for the one subscription

    client.post(link_aus(smtp.an(ADRESSE)[-1], "abo:bestaetigen"))
    antwort = anmelden(client, capture, {"gremium": "gemeinderat"})
    # The page reads the same; the mail tells the owner she already follows it.
    assert "Bitte bestätigen Sie Ihre Adresse" in antwort.content.decode()
    assert Abonnement.objects.count() == 1
    letzte = smtp.an(ADRESSE)[-1]
    assert letzte["Subject"] == "Sie folgen bereits: Gemeinderat"
    assert link_aus(letzte, "abo:verwalten") == abonnement.abonnent.get_absolute_url()


def test_a_second_subscription_of_the_address_updates_the_consent_when_confirmed(client, smtp, capture, gremium):
    abonnent = AbonnentFactory(adresse=ADRESSE, einwilligung_text="alt")
    AbonnementFactory(abonnent=abonnent, ausschuss=gremium)
    person = PersonFactory(vorname="Petra", nachname="Muster")
    anmelden(client, capture, {"person": person.pk})
    abonnent.refresh_from_db()
    assert abonnent.einwilligung_text == "alt"  # a stranger's unconfirmed request changes nothing
    client.post(link_aus(smtp.an(ADRESSE)[-1], "abo:bestaetigen"))
    abonnent.refresh_from_db()
    assert abonnent.einwilligung_text == einwilligung_text()
    assert abonnent.abonnements.bestaetigt().count() == 2


def test_a_search_is_followed_with_its_filters(client, smtp, capture, gremium):
    query = {"suche": "  Radweg   Neckartal ", "typ": "vorlage", "ausschuss": "gemeinderat", "von": "2026-01-01"}
    anmelden(client, capture, {**query, "sortierung": "datum", "page": "3"})
    anmelden(
        client,
        capture,
        {"von": "2026-01-01", "ausschuss": "gemeinderat", "typ": "vorlage", "suche": "Radweg Neckartal"},
    )
    abonnement = Abonnement.objects.get()
    assert abonnement.art == "suche"
    assert abonnement.suchbegriff == "Radweg Neckartal"
    assert abonnement.suchfilter == {"ausschuss": "gemeinderat", "typ": "vorlage", "von": "2026-01-01"}
    assert smtp.an(ADRESSE)[0]["Subject"] == "Bitte bestätigen Sie Ihr Abonnement: „Radweg Neckartal“"


def test_a_vorlage_is_followed_by_number_or_id(client, smtp, capture):
    vorlage = VorlageFactory()
    anmelden(client, capture, {"vorlage": vorlage.kennung})
    anmelden(client, capture, {"vorlage": str(vorlage.pk)}, adresse="zweite@example.org")
    assert list(Abonnement.objects.values_list("vorlage", flat=True)) == [vorlage.pk, vorlage.pk]


@pytest.mark.parametrize(
    "felder",
    [
        {"status": Vorlage.Status.ENTWURF},
        {"oeffentlich": False},
        {"vertraulich": True},
    ],
    ids=["entwurf", "nichtoeffentlich", "vertraulich"],
)
def test_a_vorlage_the_public_may_not_see_cannot_be_followed(client, smtp, capture, sachbearbeitung_client, felder):
    vorlage = VorlageFactory(titel="kanarie-geheim", **felder)
    # Not even by a clerk who sees it: the mails go to an address, not to her account.
    for c in (client, sachbearbeitung_client):
        for wert in (vorlage.kennung, str(vorlage.pk)):
            antwort = c.get(neu(vorlage=wert))
            assert antwort.status_code == 404
            inhalt = antwort.content.decode()
            assert "nicht öffentlich" in inhalt
            assert "kanarie-geheim" not in inhalt
            assert anmelden(c, capture, {"vorlage": wert}).status_code == 404
    assert not Abonnent.objects.exists()
    assert smtp.empfangen == []


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"gremium": "gibt-es-nicht"},
        {"vorlage": "grdrs-99999-2021"},
        {"vorlage": "99999999999999999999"},
        {"person": "abc"},
        {"person": "99999999"},
        {"suche": "   "},
        {"suche": "Radweg", "von": "2026-13-45"},
        {"suche": "Radweg", "von": "0001-01-01"},
        {"suche": "Radweg", "ausschuss": "gibt-es-nicht"},
        {"suche": "Radweg", "art": "unsinn"},
        {"suche": "Radweg", "typ": "unsinn"},
        {"gremium": "\x00"},
        {"suche": "Rad\x00weg"},
        {"suche": "Radweg", "von": "2026-01-01\x00"},
    ],
)
def test_what_cannot_be_followed_gives_a_clear_german_page_not_an_error(client, gremium, query):
    antwort = client.get(neu(**query))
    assert antwort.status_code == 404
    assert 'role="alert"' in antwort.content.decode()


def test_a_fraktion_cannot_be_followed_as_a_gremium(client):
    AusschussFactory(art="fraktion", slug="fraktion-x")
    assert client.get(neu(gremium="fraktion-x")).status_code == 404


@pytest.mark.parametrize(
    ("daten", "fehler"),
    [
        ({"adresse": "keine-adresse", "rhythmus": "taeglich", "einwilligung": "on"}, "gültige E-Mail-Adresse"),
        ({"adresse": ADRESSE, "rhythmus": "taeglich"}, "Ohne Ihre Einwilligung"),
        ({"adresse": ADRESSE, "rhythmus": "stuendlich", "einwilligung": "on"}, "keine gültige Auswahl"),
    ],
)
def test_bad_input_is_a_form_error(client, smtp, capture, gremium, daten, fehler):
    with capture(execute=True):
        antwort = client.post(neu(gremium="gemeinderat"), daten)
    assert antwort.status_code == 400
    inhalt = antwort.content.decode()
    assert fehler in inhalt
    assert "aria-describedby" in inhalt
    assert not Abonnent.objects.exists()
    assert smtp.empfangen == []


def test_unconfirmed_requests_are_deleted_with_their_address_once_the_link_expired(client, smtp, capture, gremium):
    alt = AbonnementFactory(ausschuss=gremium, bestaetigt_am=None, gesendet_bis=None)
    NachrichtFactory(adresse=alt.abonnent.adresse, art=Nachricht.Art.BESTAETIGUNG)
    Abonnement.objects.filter(pk=alt.pk).update(erstellt_am=timezone.now() - datetime.timedelta(days=4))
    bestaetigt = AbonnementFactory(ausschuss=gremium)
    Abonnement.objects.filter(pk=bestaetigt.pk).update(erstellt_am=timezone.now() - datetime.timedelta(days=40))
    anmelden(client, capture, {"gremium": "gemeinderat"})
    assert not Abonnent.objects.filter(pk=alt.abonnent_id).exists()
    assert not Nachricht.objects.filter(adresse=alt.abonnent.adresse).exists()
    assert Abonnement.objects.filter(pk=bestaetigt.pk).exists()


# Unsubscribing ----------------------------------------------------------------------------------------------------


def test_the_unsubscribe_headers_of_every_digest(settings):
    settings.RATSINFO_BASIS_URL = "https://ratsinfo.example.de"
    abonnement = AbonnementFactory()
    url = f"https://ratsinfo.example.de{reverse('abo:abbestellen', kwargs={'token': abonnement.token})}"
    assert links.abbestellen_url(abonnement) == url
    assert links.kopfzeilen(abonnement) == {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert links.verwalten_url(abonnement.abonnent) == (
        f"https://ratsinfo.example.de{reverse('abo:verwalten', kwargs={'token': abonnement.abonnent.token})}"
    )


def test_unsubscribing_shows_a_button_and_deletes_on_post(client):
    abonnement = AbonnementFactory()
    weiteres = AbonnementFactory(abonnent=abonnement.abonnent)
    pfad = abonnement.get_absolute_url()
    antwort = client.get(pfad)
    assert antwort.status_code == 200
    assert "Abbestellen" in antwort.content.decode()
    assert Abonnement.objects.filter(pk=abonnement.pk).exists()

    antwort = client.post(pfad)
    assert antwort.status_code == 200
    assert "Das Abonnement ist abbestellt" in antwort.content.decode()
    assert not Abonnement.objects.filter(pk=abonnement.pk).exists()
    assert Abonnement.objects.filter(pk=weiteres.pk).exists()
    assert Abonnent.objects.filter(pk=abonnement.abonnent_id).exists()  # she still follows something


def test_the_last_unsubscribe_deletes_the_address_and_its_mails(client):
    abonnement = AbonnementFactory(abonnent=AbonnentFactory(adresse=ADRESSE))
    for art in (Nachricht.Art.BESTAETIGUNG, Nachricht.Art.ZUSAMMENFASSUNG):
        NachrichtFactory(adresse="Buergerin@example.org", art=art)
    einladung = NachrichtFactory(adresse=ADRESSE, art=Nachricht.Art.EINLADUNG)  # the proof of an Einberufung stays
    fremd = NachrichtFactory(adresse="andere@example.org", art=Nachricht.Art.ZUSAMMENFASSUNG)

    antwort = client.post(abonnement.get_absolute_url())
    assert "Ihre E-Mail-Adresse, Ihre Einwilligung und die an Sie geschickten E-Mails sind gelöscht" in (
        antwort.content.decode()
    )
    assert not Abonnent.objects.exists()
    assert list(Nachricht.objects.order_by("pk")) == [einladung, fremd]


def test_a_mail_client_unsubscribes_with_one_post_without_csrf_token(smtp, capture, gremium):
    """RFC 8058: the client POSTs ``List-Unsubscribe=One-Click`` to the URL of the List-Unsubscribe header."""
    abonnement = AbonnementFactory(ausschuss=gremium)
    url = links.kopfzeilen(abonnement)["List-Unsubscribe"].strip("<>")
    mailprogramm = Client(enforce_csrf_checks=True)
    antwort = mailprogramm.post(
        urlsplit(url).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert antwort.status_code == 200
    assert not Abonnement.objects.exists()
    assert not Abonnent.objects.exists()


def test_an_unknown_unsubscribe_token_is_a_clear_404(client):
    for methode in (client.get, client.post):
        antwort = methode(reverse("abo:abbestellen", kwargs={"token": "gibt-es-nicht"}))
        assert antwort.status_code == 404
        assert "Vielleicht haben Sie es schon abbestellt" in antwort.content.decode()


# Managing ---------------------------------------------------------------------------------------------------------


def test_the_manage_page_lists_the_subscriptions_and_hides_what_became_non_public(client, gremium):
    abonnent = AbonnentFactory(adresse=ADRESSE)
    AbonnementFactory(abonnent=abonnent, ausschuss=gremium)
    vorlage = VorlageFactory(titel="kanarie-zurueckgezogen")
    AbonnementFactory(abonnent=abonnent, art="vorlage", ausschuss=None, vorlage=vorlage)
    AbonnementFactory(
        abonnent=abonnent, art="suche", ausschuss=None, suchbegriff="Radweg", suchfilter={"typ": "vorlage"}
    )
    Vorlage.objects.filter(pk=vorlage.pk).update(oeffentlich=False)

    antwort = client.get(abonnent.get_absolute_url())
    assert antwort.status_code == 200
    assert "private" in antwort["Cache-Control"]
    inhalt = antwort.content.decode()
    assert ADRESSE in inhalt
    assert "Gemeinderat" in inhalt
    assert "nicht mehr öffentlich" in inhalt
    assert "kanarie-zurueckgezogen" not in inhalt
    assert vorlage.kennung not in inhalt
    assert "„Radweg“" in inhalt
    assert "q=Radweg&amp;typ=vorlage" in inhalt


def test_the_manage_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    abonnent = AbonnentFactory()

    def abrufen():
        with django_assert_max_num_queries(6):
            assert client.get(abonnent.get_absolute_url()).status_code == 200

    AbonnementFactory(abonnent=abonnent)
    abrufen()
    for _ in range(10):
        AbonnementFactory(abonnent=abonnent)
        AbonnementFactory(abonnent=abonnent, art="vorlage", ausschuss=None, vorlage=VorlageFactory())
        AbonnementFactory(abonnent=abonnent, art="person", ausschuss=None, person=PersonFactory())
    abrufen()


def test_the_rhythm_is_changed_and_one_subscription_deleted_on_the_manage_page(client):
    abonnent = AbonnentFactory()
    erstes, zweites = AbonnementFactory(abonnent=abonnent), AbonnementFactory(abonnent=abonnent)
    url = abonnent.get_absolute_url()

    antwort = client.post(url, {"aktion": "rhythmus", "abonnement": erstes.pk, "rhythmus": "woechentlich"}, follow=True)
    assert "Der Rhythmus ist geändert." in antwort.content.decode()
    erstes.refresh_from_db()
    assert erstes.rhythmus == "woechentlich"

    antwort = client.post(url, {"aktion": "loeschen", "abonnement": zweites.pk}, follow=True)
    assert f"Das Abonnement „{zweites.gegenstand_text()}“ ist gelöscht." in antwort.content.decode()
    assert list(abonnent.abonnements.all()) == [erstes]

    antwort = client.post(url, {"aktion": "loeschen", "abonnement": erstes.pk})
    assert antwort.status_code == 200
    assert not Abonnent.objects.exists()


def test_delete_all_removes_the_address_and_its_mails(client):
    abonnent = AbonnentFactory(adresse=ADRESSE)
    AbonnementFactory.create_batch(3, abonnent=abonnent)
    NachrichtFactory(adresse=ADRESSE, art=Nachricht.Art.ZUSAMMENFASSUNG)
    antwort = client.post(abonnent.get_absolute_url(), {"aktion": "alle_loeschen"})
    assert antwort.status_code == 200
    assert "sind gelöscht" in antwort.content.decode()
    assert not Abonnent.objects.exists()
    assert not Abonnement.objects.exists()
    assert not Nachricht.objects.exists()
    assert client.get(abonnent.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "daten",
    [
        {"aktion": "rhythmus", "abonnement": "fremd", "rhythmus": "taeglich"},
        {"aktion": "rhythmus", "abonnement": "12345678901234567890", "rhythmus": "taeglich"},
        {"aktion": "rhythmus", "rhythmus": "taeglich"},
        {"aktion": "rhythmus", "abonnement": "EIGENES", "rhythmus": "stuendlich"},
        {"aktion": "unbekannt", "abonnement": "EIGENES"},
        {"aktion": "loeschen", "abonnement": "FREMDES"},
    ],
)
def test_bad_input_on_the_manage_page_is_a_400_with_the_reason(client, daten):
    abonnement = AbonnementFactory()
    fremdes = AbonnementFactory()
    ersetzt = {"EIGENES": str(abonnement.pk), "FREMDES": str(fremdes.pk)}
    daten = {name: ersetzt.get(wert, wert) for name, wert in daten.items()}
    antwort = client.post(abonnement.abonnent.get_absolute_url(), daten)
    assert antwort.status_code == 400
    assert 'role="alert"' in antwort.content.decode()
    assert Abonnement.objects.count() == 2
    abonnement.refresh_from_db()
    assert abonnement.rhythmus == "taeglich"


def test_an_unknown_manage_token_is_a_clear_404(client):
    antwort = client.get(reverse("abo:verwalten", kwargs={"token": "gibt-es-nicht"}))
    assert antwort.status_code == 404
    assert "einen neuen schicken lassen" in antwort.content.decode()


def test_the_manage_link_is_mailed_only_to_a_known_address_and_the_answer_is_the_same(client, smtp, capture):
    abonnent = AbonnentFactory(adresse=ADRESSE)
    AbonnementFactory(abonnent=abonnent)
    url = reverse("abo:verwaltungslink")
    assert client.get(url).status_code == 200

    antworten = []
    for adresse in (ADRESSE, "unbekannt@example.org"):
        with capture(execute=True):
            antwort = client.post(url, {"adresse": adresse})
        assert antwort.status_code == 200
        # Only the address typed in and the form's fresh CSRF token differ.
        antworten.append(re.sub(r'value="[^"]*"', "", antwort.content.decode().replace(adresse, "ADRESSE")))
    assert antworten[0] == antworten[1]
    (mail,) = smtp.empfangen
    assert mail.envelope_to == [ADRESSE]
    assert mail["Subject"] == "Ihre Abonnements verwalten"
    assert link_aus(mail, "abo:verwalten") == abonnent.get_absolute_url()
    assert not Abonnent.objects.filter(adresse="unbekannt@example.org").exists()


# Throttling -------------------------------------------------------------------------------------------------------


def test_sign_ups_are_limited_per_address(client, smtp, capture, settings, gremium):
    settings.RATSINFO_ABO_ANFRAGEN_JE_ADRESSE = 2
    for nummer in range(2):
        assert anmelden(client, capture, {"gremium": "gemeinderat"}, REMOTE_ADDR=f"10.0.0.{nummer}").status_code == 200
    antwort = anmelden(
        client, capture, {"gremium": "gemeinderat"}, adresse="BUERGERIN@example.org", REMOTE_ADDR="10.0.0.9"
    )
    assert antwort.status_code == 429
    assert (
        "Für diese E-Mail-Adresse wurden in kurzer Zeit schon mehrere E-Mails angefordert" in antwort.content.decode()
    )
    assert len(smtp.an(ADRESSE)) == 2
    # The manage link counts against the same limit: nobody floods a mailbox by switching forms.
    with capture(execute=True):
        antwort = client.post(reverse("abo:verwaltungslink"), {"adresse": ADRESSE}, REMOTE_ADDR="10.0.0.8")
    assert antwort.status_code == 429
    assert len(smtp.an(ADRESSE)) == 2


def test_sign_ups_are_limited_per_client_address(client, smtp, capture, settings, gremium):
    settings.RATSINFO_ABO_ANFRAGEN_JE_CLIENT = 3
    for nummer in range(3):
        antwort = anmelden(client, capture, {"gremium": "gemeinderat"}, adresse=f"b{nummer}@example.org")
        assert antwort.status_code == 200
    antwort = anmelden(client, capture, {"gremium": "gemeinderat"}, adresse="b9@example.org")
    assert antwort.status_code == 429
    assert "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Anfragen" in antwort.content.decode()
    assert not Abonnent.objects.filter(adresse="b9@example.org").exists()
    assert len(smtp.empfangen) == 3
    # Another client is not affected.
    assert (
        anmelden(
            client, capture, {"gremium": "gemeinderat"}, adresse="b9@example.org", REMOTE_ADDR="10.1.1.1"
        ).status_code
        == 200
    )


def test_the_throttle_counts_unknown_addresses_too_so_it_reveals_nothing(client, smtp, capture, settings):
    settings.RATSINFO_ABO_ANFRAGEN_JE_ADRESSE = 1
    url = reverse("abo:verwaltungslink")
    with capture(execute=True):
        assert client.post(url, {"adresse": "niemand@example.org"}).status_code == 200
        assert client.post(url, {"adresse": "niemand@example.org"}).status_code == 429


# Privacy notice and admin -----------------------------------------------------------------------------------------


def test_the_privacy_notice_names_what_is_stored_why_how_long_and_how_to_delete(client, settings):
    settings.RATSINFO_DATENSCHUTZ_KONTAKT = "datenschutz@stuttgart.example"
    antwort = client.get(reverse("abo:datenschutz"))
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    for text in (
        "Ihre E-Mail-Adresse",
        "Zeitpunkt Ihrer Einwilligung und ihren genauen Wortlaut",
        "Ihre Abonnements",
        "die an Sie geschickten E-Mails",
        "Wozu",
        "Wie lange",
        "innerhalb von 3 Tagen",
        "Wie Sie Ihre Daten löschen",
        "datenschutz@stuttgart.example",
        reverse("abo:verwaltungslink"),
    ):
        assert text in inhalt, text
    # Linked in every page's footer.
    assert f'href="{reverse("abo:datenschutz")}"' in client.get(reverse("startseite")).content.decode()


def test_a_clerk_deletes_an_address_in_the_admin_with_its_mails(client):
    sachbearbeitung = SachbearbeitungFactory()
    from demodaten.zugaenge import gruppe_sitzungsdienst

    sachbearbeitung.groups.add(gruppe_sitzungsdienst())
    client.force_login(sachbearbeitung)
    abonnent = AbonnentFactory(adresse=ADRESSE)
    AbonnementFactory.create_batch(2, abonnent=abonnent)
    NachrichtFactory(adresse=ADRESSE, art=Nachricht.Art.ZUSAMMENFASSUNG)
    aendern = reverse("admin:abonnements_abonnent_change", args=[abonnent.pk])
    antwort = client.get(aendern)
    assert antwort.status_code == 200
    assert abonnent.einwilligung_text in antwort.content.decode()
    assert client.get(reverse("admin:abonnements_abonnent_add")).status_code == 403

    antwort = client.post(reverse("admin:abonnements_abonnent_delete", args=[abonnent.pk]), {"post": "yes"})
    assert antwort.status_code == 302
    assert not Abonnent.objects.exists()
    assert not Nachricht.objects.exists()


# Demo data --------------------------------------------------------------------------------------------------------


def test_the_demo_data_has_a_citizen_following_the_gemeinderat(demodaten, client):
    from demodaten.laden import demodaten_laden

    abonnement = Abonnement.objects.select_related("abonnent", "ausschuss").get()
    assert abonnement.abonnent.adresse == "buergerin@example.org"
    assert abonnement.ausschuss.slug == "gemeinderat"
    assert abonnement.bestaetigt_am is not None
    assert abonnement.abonnent.einwilligung_text == einwilligung_text()
    assert "Gemeinderat" in client.get(abonnement.abonnent.get_absolute_url()).content.decode()
    ergebnis = demodaten_laden()
    assert "Abonnement" not in ergebnis.angelegt
    assert Abonnement.objects.count() == 1


@pytest.mark.parametrize("name", ["abo:abbestellen", "abo:verwalten", "abo:bestaetigen"])
def test_control_characters_in_a_link_are_refused_not_an_error(client, name):
    schluessel = "signatur" if name == "abo:bestaetigen" else "token"
    pfad = reverse(name, kwargs={schluessel: "abc"}).replace("abc", "a%00b")
    for methode in (client.get, client.post):
        assert methode(pfad).status_code in (400, 404)
