"""Councillors' accounts: German login with throttling (also for the admin), logout, password reset and change,
and the page "Meine Sitzungen"."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from konten.drossel import ADRESSE_FAKTOR
from ratsinfo.clientadresse import client_ip
from tests.factories import (
    AusschussFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)

pytestmark = pytest.mark.django_db

PASSWORT = "geheim-123"  # UserFactory's
SPERRMELDUNG = "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in 15 Minuten erneut."


@pytest.fixture(autouse=True)
def leerer_cache(settings):
    """Failure counters live in the cache: every test starts without any, with a small limit."""
    settings.RATSINFO_ANMELDUNG_MAX_FEHLVERSUCHE = 3
    settings.RATSINFO_ANMELDUNG_SPERRE_SEKUNDEN = 900
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ratsmitglied():
    return UserFactory(username="hmayer", email="h.mayer@example.org")


def anmelden(client, benutzername, passwort, url_name="konto:anmelden", **extra):
    return client.post(reverse(url_name), {"username": benutzername, "password": passwort}, **extra)


def angemeldet(client):
    return SESSION_KEY in client.session


# --- Login ---------------------------------------------------------------------------------------------------


def test_login_page_renders_in_german_with_labelled_fields(client):
    antwort = client.get(reverse("konto:anmelden"))

    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert '<html lang="de">' in html
    assert html.count("<h1") == 1
    assert "<h1>Anmelden</h1>" in html
    assert '<label for="id_username">Benutzername</label>' in html
    assert '<label for="id_password">Passwort</label>' in html
    assert reverse("konto:passwort-vergessen") in html


def test_correct_login_redirects_to_meine_sitzungen(client, ratsmitglied):
    antwort = anmelden(client, "hmayer", PASSWORT)

    assert antwort.status_code == 302
    assert antwort.url == reverse("konto:meine-sitzungen")
    assert angemeldet(client)


def test_login_follows_a_safe_next_parameter_only(client, ratsmitglied):
    ziel = reverse("sitzungen:sitzung-liste")
    antwort = client.post(
        reverse("konto:anmelden"), {"username": "hmayer", "password": PASSWORT, "next": "https://example.com/"}
    )
    assert antwort.url == reverse("konto:meine-sitzungen")

    client.logout()
    antwort = client.post(reverse("konto:anmelden"), {"username": "hmayer", "password": PASSWORT, "next": ziel})
    assert antwort.url == ziel


def test_wrong_password_shows_an_announced_error(client, ratsmitglied):
    antwort = anmelden(client, "hmayer", "falsch")

    assert antwort.status_code == 200
    assert 'role="alert"' in antwort.content.decode()
    assert "Benutzername oder Passwort ist falsch." in antwort.content.decode()
    assert not angemeldet(client)


def test_unknown_username_gets_the_same_error_as_a_wrong_password(client, ratsmitglied):
    falsches_passwort = anmelden(client, "hmayer", "falsch")
    unbekannt = anmelden(client, "niemand", "falsch")

    assert falsches_passwort.context["form"].errors == unbekannt.context["form"].errors


def test_after_too_many_failures_even_the_correct_password_is_refused(client, ratsmitglied):
    for _ in range(3):
        anmelden(client, "hmayer", "falsch")

    antwort = anmelden(client, "hmayer", PASSWORT)

    assert antwort.status_code == 200
    assert SPERRMELDUNG in antwort.content.decode()
    assert not angemeldet(client)


def test_a_locked_login_is_refused_without_checking_the_password(client, ratsmitglied):
    for _ in range(3):
        anmelden(client, "hmayer", "falsch")

    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        anmelden(client, "hmayer", PASSWORT)

    authenticate.assert_not_called()


def test_lock_counts_every_spelling_of_the_username(client, ratsmitglied):
    for name in ["hmayer", "HMayer", " HMAYER "]:
        anmelden(client, name, "falsch")

    antwort = anmelden(client, "hmayer", PASSWORT)

    assert SPERRMELDUNG in antwort.content.decode()


def test_lock_message_takes_its_minutes_from_the_setting(client, ratsmitglied, settings):
    settings.RATSINFO_ANMELDUNG_SPERRE_SEKUNDEN = 60
    for _ in range(3):
        anmelden(client, "hmayer", "falsch")

    antwort = anmelden(client, "hmayer", PASSWORT)

    assert "Bitte versuchen Sie es in 1 Minute erneut." in antwort.content.decode()


def test_lock_does_not_reveal_whether_the_username_exists(client, ratsmitglied):
    for _ in range(3):
        anmelden(client, "niemand", "falsch", REMOTE_ADDR="10.0.0.1")
        anmelden(client, "hmayer", "falsch", REMOTE_ADDR="10.0.0.2")

    unbekannt = anmelden(client, "niemand", "falsch", REMOTE_ADDR="10.0.0.1")
    bekannt = anmelden(client, "hmayer", "falsch", REMOTE_ADDR="10.0.0.2")

    assert unbekannt.context["form"].errors == bekannt.context["form"].errors
    assert SPERRMELDUNG in str(bekannt.context["form"].errors)


def test_failures_from_elsewhere_do_not_lock_the_owner_out(client, ratsmitglied):
    # Someone who knows her username fails again and again from their own address(es), also beyond the limit.
    for angreifer in ["203.0.113.5", "203.0.113.6"]:
        for _ in range(3 * ADRESSE_FAKTOR):
            anmelden(client, "hmayer", "falsch", REMOTE_ADDR=angreifer)
    assert SPERRMELDUNG in anmelden(client, "hmayer", PASSWORT, REMOTE_ADDR="203.0.113.5").content.decode()

    von_zuhause = anmelden(client, "hmayer", PASSWORT, REMOTE_ADDR="198.51.100.20")

    assert von_zuhause.status_code == 302
    assert angemeldet(client)


def test_the_owners_login_lifts_the_lock_for_her_name_at_every_address(client, ratsmitglied):
    for _ in range(3):
        anmelden(client, "hmayer", "falsch", REMOTE_ADDR="192.0.2.50")
    assert anmelden(client, "hmayer", PASSWORT, REMOTE_ADDR="198.51.100.20").status_code == 302
    client.logout()

    # The shared office address is free again for her (its own counter for all names stays).
    assert anmelden(client, "hmayer", PASSWORT, REMOTE_ADDR="192.0.2.50").status_code == 302


def test_failures_from_one_address_lock_that_address_for_every_username(client, ratsmitglied):
    # Three failures lock a username; an address shared by many people gets four times as many.
    for nummer in range(3 * ADRESSE_FAKTOR):
        anmelden(client, f"person{nummer}", "falsch", REMOTE_ADDR="192.0.2.7")

    von_dort = anmelden(client, "hmayer", PASSWORT, REMOTE_ADDR="192.0.2.7")
    assert SPERRMELDUNG in von_dort.content.decode()
    assert not angemeldet(client)

    von_anderswo = anmelden(client, "hmayer", PASSWORT, REMOTE_ADDR="198.51.100.1")
    assert von_anderswo.status_code == 302


def test_successful_login_clears_the_username_counter(client, ratsmitglied):
    for _ in range(2):
        anmelden(client, "hmayer", "falsch", REMOTE_ADDR="192.0.2.1")
    assert anmelden(client, "hmayer", PASSWORT, REMOTE_ADDR="192.0.2.1").status_code == 302
    client.logout()

    # From another address (the first one's counter is not cleared by a login), two more failures.
    for _ in range(2):
        anmelden(client, "hmayer", "falsch", REMOTE_ADDR="192.0.2.2")

    assert anmelden(client, "hmayer", PASSWORT, REMOTE_ADDR="192.0.2.2").status_code == 302


def test_admin_login_is_throttled_too(client, sachbearbeitung):
    name = sachbearbeitung.get_username()
    for _ in range(3):
        anmelden(client, name, "falsch", url_name="admin:login")

    antwort = anmelden(client, name, PASSWORT, url_name="admin:login")

    assert antwort.status_code == 200
    assert SPERRMELDUNG in antwort.content.decode()
    assert not angemeldet(client)


def test_failures_on_the_councillors_login_count_for_the_admin_login(client, sachbearbeitung):
    name = sachbearbeitung.get_username()
    for _ in range(3):
        anmelden(client, name, "falsch")

    antwort = anmelden(client, name, PASSWORT, url_name="admin:login")

    assert SPERRMELDUNG in antwort.content.decode()


def test_admin_login_still_admits_staff_only(client, ratsmitglied, sachbearbeitung):
    assert anmelden(client, "hmayer", PASSWORT, url_name="admin:login").status_code == 200
    assert not angemeldet(client)

    assert anmelden(client, sachbearbeitung.get_username(), PASSWORT, url_name="admin:login").status_code == 302
    assert angemeldet(client)


def test_client_address_is_remote_addr_unless_a_proxy_header_is_configured(settings):
    anfrage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.3")

    settings.RATSINFO_PROXY_IP_HEADER = ""
    assert client_ip(anfrage) == "10.0.0.1"

    # Only the entry the proxy appended counts; the ones before it were sent by the client.
    settings.RATSINFO_PROXY_IP_HEADER = "X-Forwarded-For"
    assert client_ip(anfrage) == "198.51.100.3"

    settings.RATSINFO_PROXY_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(anfrage) == "10.0.0.1"  # header missing: fall back
    anfrage.META["HTTP_X_REAL_IP"] = "kein-ip"
    assert client_ip(anfrage) == "10.0.0.1"  # garbage: fall back


# --- Header, logout, password ----------------------------------------------------------------------------------


def test_header_offers_login_to_anonymous_visitors(client):
    html = client.get(reverse("startseite")).content.decode()

    assert f'href="{reverse("konto:anmelden")}?next=/"' in html
    assert ">Anmelden</a>" in html
    assert reverse("konto:abmelden") not in html


def test_header_shows_name_meine_sitzungen_and_logout_button_when_logged_in(client, ratsmitglied):
    PersonFactory(vorname="Hanna", nachname="Mayer", titel="Dr.", benutzer=ratsmitglied)
    client.force_login(ratsmitglied)

    html = client.get(reverse("startseite")).content.decode()

    assert "Dr. Hanna Mayer" in html
    assert f'href="{reverse("konto:meine-sitzungen")}"' in html
    assert f'<form class="kopf-konto" method="post" action="{reverse("konto:abmelden")}">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert ">Anmelden</a>" not in html


def test_logout_via_post(client, ratsmitglied):
    client.force_login(ratsmitglied)

    assert client.get(reverse("konto:abmelden")).status_code == 405
    assert angemeldet(client)

    antwort = client.post(reverse("konto:abmelden"))

    assert antwort.status_code == 302
    assert antwort.url == reverse("startseite")
    assert not angemeldet(client)


def test_password_reset_sends_a_german_mail_whose_link_sets_a_new_password(client, ratsmitglied, mailoutbox):
    seite = client.get(reverse("konto:passwort-vergessen"))
    assert "<h1>Passwort vergessen</h1>" in seite.content.decode()

    antwort = client.post(reverse("konto:passwort-vergessen"), {"email": "h.mayer@example.org"})
    assert antwort.url == reverse("konto:passwort-vergessen-gesendet")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["h.mayer@example.org"]
    assert mail.subject == "Neues Passwort für die Ratsinformation der Landeshauptstadt Stuttgart"
    assert "Guten Tag," in mail.body
    assert "Ihr Benutzername: hmayer" in mail.body
    pfad = re.search(r"http://testserver(/\S+)", mail.body).group(1)
    assert resolve(pfad).view_name == "konto:passwort-neu"

    formular = client.get(pfad, follow=True)
    assert formular.context["validlink"]
    neues_passwort = "Sitzungsgeld-Tabelle-2025"
    fertig = client.post(
        formular.redirect_chain[-1][0], {"new_password1": neues_passwort, "new_password2": neues_passwort}
    )

    assert fertig.url == reverse("konto:passwort-neu-fertig")
    ratsmitglied.refresh_from_db()
    assert ratsmitglied.check_password(neues_passwort)
    assert client.get(pfad).context["validlink"] is False  # used once
    assert anmelden(client, "hmayer", neues_passwort).status_code == 302


def test_password_reset_lifts_a_lock_on_the_username(client, ratsmitglied, mailoutbox):
    for _ in range(3):
        anmelden(client, "hmayer", "falsch", REMOTE_ADDR="192.0.2.1")
    client.post(reverse("konto:passwort-vergessen"), {"email": "h.mayer@example.org"})
    pfad = re.search(r"http://testserver(/\S+)", mailoutbox[0].body).group(1)
    formular = client.get(pfad, follow=True)
    client.post(
        formular.redirect_chain[-1][0], {"new_password1": "Neu-und-lang-42", "new_password2": "Neu-und-lang-42"}
    )

    assert anmelden(client, "hmayer", "Neu-und-lang-42", REMOTE_ADDR="192.0.2.2").status_code == 302


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, mailoutbox):
    antwort = client.post(reverse("konto:passwort-vergessen"), {"email": "unbekannt@example.org"})

    assert antwort.url == reverse("konto:passwort-vergessen-gesendet")
    assert mailoutbox == []


RESET_ADRESSE = (
    "Für diese E-Mail-Adresse wurden in kurzer Zeit schon mehrere Links angefordert. Bitte sehen Sie in Ihrem "
    "Postfach nach (auch im Spam-Ordner) oder versuchen Sie es in 60 Minuten erneut."
)
RESET_CLIENT = (
    "Von Ihrem Anschluss wurden in kurzer Zeit zu viele Links angefordert. Bitte versuchen Sie es in 60 Minuten erneut."
)


def link_anfordern(client, email, **extra):
    return client.post(reverse("konto:passwort-vergessen"), {"email": email}, **extra)


def test_password_reset_mails_to_one_address_are_limited(client, ratsmitglied, mailoutbox, settings):
    settings.RATSINFO_PASSWORT_MAILS_JE_ADRESSE = 3
    for nummer in range(3):
        # From different addresses, as a bot net would send them, and in any spelling of the address.
        antwort = link_anfordern(client, "H.Mayer@example.org", REMOTE_ADDR=f"203.0.113.{nummer}")
        assert antwort.url == reverse("konto:passwort-vergessen-gesendet")

    antwort = link_anfordern(client, "h.mayer@example.org", REMOTE_ADDR="203.0.113.99")

    assert antwort.status_code == 429
    assert RESET_ADRESSE in antwort.content.decode()
    assert 'role="alert"' in antwort.content.decode()
    assert len(mailoutbox) == 3


def test_password_reset_limit_reads_the_same_for_an_unknown_address(client, ratsmitglied, mailoutbox, settings):
    settings.RATSINFO_PASSWORT_MAILS_JE_ADRESSE = 2
    antworten = {}
    for email in ["h.mayer@example.org", "unbekannt@example.org"]:
        for nummer in range(3):
            antworten[email] = link_anfordern(client, email, REMOTE_ADDR=f"203.0.113.{nummer}")

    bekannt, unbekannt = antworten.values()
    assert bekannt.status_code == unbekannt.status_code == 429
    assert bekannt.context["form"].errors == unbekannt.context["form"].errors
    assert len(mailoutbox) == 2


def test_password_reset_requests_from_one_client_are_limited(client, ratsmitglied, mailoutbox, settings):
    settings.RATSINFO_PASSWORT_ANFRAGEN_JE_CLIENT = 10
    for nummer in range(10):
        link_anfordern(client, f"person{nummer}@example.org", REMOTE_ADDR="192.0.2.7")

    von_dort = link_anfordern(client, "h.mayer@example.org", REMOTE_ADDR="192.0.2.7")
    assert von_dort.status_code == 429
    assert RESET_CLIENT in von_dort.content.decode()
    assert mailoutbox == []

    von_anderswo = link_anfordern(client, "h.mayer@example.org", REMOTE_ADDR="198.51.100.1")
    assert von_anderswo.url == reverse("konto:passwort-vergessen-gesendet")
    assert len(mailoutbox) == 1


def test_password_change_for_logged_in_users(client, ratsmitglied):
    assert client.get(reverse("konto:passwort-aendern")).url.startswith(reverse("konto:anmelden"))

    client.force_login(ratsmitglied)
    seite = client.get(reverse("konto:passwort-aendern"))
    assert "<h1>Passwort ändern</h1>" in seite.content.decode()

    antwort = client.post(
        reverse("konto:passwort-aendern"),
        {"old_password": PASSWORT, "new_password1": "Haushaltsplan-2026!", "new_password2": "Haushaltsplan-2026!"},
    )

    assert antwort.url == reverse("konto:passwort-geaendert")
    ratsmitglied.refresh_from_db()
    assert ratsmitglied.check_password("Haushaltsplan-2026!")
    assert angemeldet(client)


# --- Meine Sitzungen -----------------------------------------------------------------------------------------


def in_tagen(tage, stunde=17):
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=tage), datetime.time(stunde))
    )


@pytest.fixture
def mitglied(ratsmitglied):
    """A councillor on the Verwaltungsausschuss (current) and formerly on the Sozialausschuss (ended)."""
    person = PersonFactory(vorname="Hanna", nachname="Mayer", benutzer=ratsmitglied)
    va = AusschussFactory(name="Verwaltungsausschuss", slug="va")
    sozial = AusschussFactory(name="Sozial- und Gesundheitsausschuss", slug="sga")
    MitgliedschaftFactory(person=person, ausschuss=va, rolle="stellvertretung")
    MitgliedschaftFactory(
        person=person,
        ausschuss=sozial,
        beginn=timezone.localdate() - datetime.timedelta(days=800),
        ende=timezone.localdate() - datetime.timedelta(days=1),
    )
    return {"user": ratsmitglied, "person": person, "va": va, "sozial": sozial}


def test_meine_sitzungen_requires_login(client):
    url = reverse("konto:meine-sitzungen")

    antwort = client.get(url)

    assert antwort.status_code == 302
    assert antwort.url == f"{reverse('konto:anmelden')}?next={url}"


def test_meine_sitzungen_shows_upcoming_sitzungen_of_her_committees_with_non_public_tops(client, mitglied):
    sitzung = SitzungFactory(ausschuss=mitglied["va"], beginn=in_tagen(3), oeffentlich=False)
    TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=False, titel="Grundstücksverkauf Neckarpark")
    offen = SitzungFactory(ausschuss=mitglied["va"], beginn=in_tagen(10))
    top = TagesordnungspunktFactory(sitzung=offen, oeffentlich=False, titel="Personalangelegenheit Amt 10")
    beraten_im_va = VorlageFactory(oeffentlich=False, nummer=77)
    BeratungFactory(vorlage=beraten_im_va, ausschuss=mitglied["va"])
    top.vorlagen.add(
        beraten_im_va,
        VorlageFactory(oeffentlich=False, nummer=78),  # non-public, not on her committee's Beratungsfolge
        VorlageFactory(entwurf=True, nummer=79),
    )
    TagesordnungspunktFactory(sitzung=offen, titel="Haushalt 2026")
    client.force_login(mitglied["user"])

    antwort = client.get(reverse("konto:meine-sitzungen"))

    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert html.count("<h1") == 1
    assert "Verwaltungsausschuss" in html
    assert "Stellvertretung" in html
    assert sitzung.get_absolute_url() in html
    assert offen.get_absolute_url() in html
    assert "Grundstücksverkauf Neckarpark" in html
    assert "Personalangelegenheit Amt 10" in html
    assert "Haushalt 2026" in html
    # Which Vorlagen of a TOP show is the rule's decision (gremien.sichtbarkeit), not this page's:
    assert "GRDrs 77/2021" in html  # non-public, but her committee advises on it
    assert "GRDrs 78/2021" not in html  # non-public and not before her committee
    assert "GRDrs 79/2021" not in html  # a draft stays hidden from councillors
    assert html.index("Grundstücksverkauf Neckarpark") < html.index("Haushalt 2026")  # soonest first


def test_meine_sitzungen_does_not_show_sitzungen_of_other_committees(client, mitglied):
    andere = SitzungFactory(ausschuss=AusschussFactory(name="Ausschuss für Klima und Umwelt"), beginn=in_tagen(2))
    TagesordnungspunktFactory(sitzung=andere, oeffentlich=False, titel="Geheimes aus dem Klimaausschuss")
    client.force_login(mitglied["user"])

    html = client.get(reverse("konto:meine-sitzungen")).content.decode()

    assert "Ausschuss für Klima und Umwelt" not in html
    assert "Geheimes aus dem Klimaausschuss" not in html
    assert "Für Ihre Gremien sind zurzeit keine Sitzungen geplant." in html


def test_meine_sitzungen_leaves_out_committees_whose_membership_has_ended(client, mitglied):
    frueher = SitzungFactory(ausschuss=mitglied["sozial"], beginn=in_tagen(4))
    TagesordnungspunktFactory(sitzung=frueher, oeffentlich=False, titel="Heimunterbringung Einzelfall")
    client.force_login(mitglied["user"])

    html = client.get(reverse("konto:meine-sitzungen")).content.decode()

    assert "Sozial- und Gesundheitsausschuss" not in html
    assert "Heimunterbringung Einzelfall" not in html
    assert frueher.get_absolute_url() not in html


def test_meine_sitzungen_leaves_out_past_sitzungen_but_keeps_todays(client, mitglied):
    vorbei = SitzungFactory(ausschuss=mitglied["va"], beginn=in_tagen(-1))
    heute = SitzungFactory(ausschuss=mitglied["va"], beginn=timezone.now() - datetime.timedelta(minutes=30))
    client.force_login(mitglied["user"])

    html = client.get(reverse("konto:meine-sitzungen")).content.decode()

    assert vorbei.get_absolute_url() not in html
    assert heute.get_absolute_url() in html


def test_meine_sitzungen_explains_itself_to_a_user_without_person(client, ratsmitglied):
    client.force_login(ratsmitglied)

    antwort = client.get(reverse("konto:meine-sitzungen"))

    assert antwort.status_code == 200
    assert "noch keiner Person im Ratsinformationssystem zugeordnet" in antwort.content.decode()


KLEIN, GROSS = 3, 15


def sitzungen_anlegen(anzahl, mitglied):
    for i in range(anzahl):
        ausschuss = AusschussFactory()
        MitgliedschaftFactory(person=mitglied["person"], ausschuss=ausschuss)
        for gremium in (mitglied["va"], ausschuss, mitglied["sozial"]):
            sitzung = SitzungFactory(ausschuss=gremium, beginn=in_tagen(i + 1), oeffentlich=i % 2 == 0)
            for oeffentlich in (False, sitzung.oeffentlich):
                top = TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=oeffentlich)
                top.vorlagen.add(VorlageFactory(), VorlageFactory(oeffentlich=False), VorlageFactory(entwurf=True))


def test_meine_sitzungen_runs_a_constant_number_of_queries(client, mitglied, django_assert_max_num_queries):
    url = reverse("konto:meine-sitzungen")
    client.force_login(mitglied["user"])
    sitzungen_anlegen(KLEIN, mitglied)
    with CaptureQueriesContext(connection) as erfasst:
        assert client.get(url).status_code == 200
    bei_wenigen = len(erfasst)

    sitzungen_anlegen(GROSS - KLEIN, mitglied)

    with django_assert_max_num_queries(bei_wenigen):
        antwort = client.get(url)
    assert antwort.status_code == 200
    assert len(antwort.context["sitzungen"]) == 2 * GROSS
    assert bei_wenigen <= 9  # session, user, person, 2 × permissions, memberships, Sitzungen, TOPs, Vorlagen
