"""Issue 7: Sitzungskalender, iCal, Atom feeds, sitemap, information pages, English, security headers."""

import datetime
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zoneinfo

import icalendar
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from sitzungen.models import Sitzung
from tests.factories import (
    AusschussFactory,
    BeratungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def ical(client, url):
    antwort = client.get(url)
    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(antwort.content), antwort.content.decode()


def ereignisse(kalender):
    return list(kalender.walk("VEVENT"))


def atom_eintraege(client, url):
    antwort = client.get(url)
    assert antwort.status_code == 200
    assert antwort["Content-Type"].startswith("application/atom+xml")
    return [eintrag.findtext(f"{ATOM}title") for eintrag in ET.fromstring(antwort.content).iter(f"{ATOM}entry")]


def clerk():
    benutzer = UserFactory(is_staff=True)
    benutzer.user_permissions.add(Permission.objects.get(codename="nichtoeffentliches_sehen"))
    return benutzer


# iCal


def test_ical_of_one_sitzung_is_valid_rfc5545_in_berlin_time_with_a_stable_uid(client, settings):
    settings.RATSINFO_UID_DOMAIN = "ratsinfo.stuttgart.example"
    beginn = datetime.datetime(2030, 7, 3, 16, 30, tzinfo=BERLIN)
    sitzung = SitzungFactory(beginn=beginn, ende=beginn + datetime.timedelta(hours=2), ausschuss__name="Gemeinderat")

    kalender, text = ical(client, reverse("oeffentlich:ical-sitzung", kwargs={"pk": sitzung.pk}))

    assert kalender["VERSION"] == "2.0" and kalender["PRODID"]
    assert [tz["TZID"] for tz in kalender.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (ereignis,) = ereignisse(kalender)
    assert ereignis["UID"] == f"sitzung-{sitzung.pk}@ratsinfo.stuttgart.example"
    assert "DTSTART;TZID=Europe/Berlin:20300703T163000" in text
    assert "DTEND;TZID=Europe/Berlin:20300703T183000" in text
    assert ereignis.decoded("DTSTART") == beginn
    for pflicht in ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "SUMMARY", "URL"):
        assert pflicht in ereignis, pflicht
    assert ereignis["STATUS"] == "CONFIRMED"
    assert "Gemeinderat" in ereignis["SUMMARY"]
    assert str(ereignis["URL"]).endswith(sitzung.get_absolute_url())
    assert all(len(zeile.encode()) <= 75 for zeile in text.split("\r\n")), "lines are folded at 75 octets"
    # The same Sitzung fetched again is the same event.
    assert (
        ereignisse(ical(client, reverse("oeffentlich:ical-sitzung", kwargs={"pk": sitzung.pk}))[0])[0]["UID"]
        == ereignis["UID"]
    )


def test_ical_reflects_a_changed_and_a_cancelled_sitzung_with_a_higher_sequence(client):
    sitzung = SitzungFactory()
    url = reverse("oeffentlich:ical-sitzung", kwargs={"pk": sitzung.pk})
    vorher = ereignisse(ical(client, url)[0])[0]

    Sitzung.objects.filter(pk=sitzung.pk).update(
        status=Sitzung.Status.ABGESAGT, geaendert_am=sitzung.geaendert_am + datetime.timedelta(minutes=5)
    )
    nachher = ereignisse(ical(client, url)[0])[0]

    assert nachher["UID"] == vorher["UID"]
    assert nachher["STATUS"] == "CANCELLED"
    assert int(nachher["SEQUENCE"]) > int(vorher["SEQUENCE"])
    assert nachher.decoded("LAST-MODIFIED") > vorher.decoded("LAST-MODIFIED")


def test_a_changed_top_counts_as_a_change_of_its_sitzung_in_ical(client):
    top = TagesordnungspunktFactory(titel="Alter Titel")
    url = reverse("oeffentlich:ical-sitzung", kwargs={"pk": top.sitzung.pk})
    vorher = ereignisse(ical(client, url)[0])[0]

    type(top).objects.filter(pk=top.pk).update(
        titel="Neuer Titel", geaendert_am=top.geaendert_am + datetime.timedelta(hours=1)
    )
    nachher = ereignisse(ical(client, url)[0])[0]

    assert "Neuer Titel" in nachher["DESCRIPTION"]
    assert int(nachher["SEQUENCE"]) > int(vorher["SEQUENCE"])


def test_ical_never_shows_non_public_top_titles_even_to_a_clerk(client):
    sitzung = SitzungFactory()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", titel="Öffentlicher Punkt")
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", oeffentlich=False, titel="Grundstücksgeschäft geheim")
    client.force_login(clerk())

    for url in (
        reverse("oeffentlich:ical-sitzung", kwargs={"pk": sitzung.pk}),
        reverse("oeffentlich:ical-alle"),
        reverse("oeffentlich:ical-ausschuss", kwargs={"slug": sitzung.ausschuss.slug}),
    ):
        _kalender, text = ical(client, url)
        entfaltet = text.replace("\r\n ", "")
        assert "Öffentlicher Punkt" in entfaltet, url
        assert "Grundstücksgeschäft" not in entfaltet, url
        assert "N 1" in entfaltet, url


def test_ical_of_a_committee_holds_its_sitzungen_only_and_the_feed_of_all_leaves_out_old_ones(client):
    eigene = SitzungFactory(ausschuss__slug="verwaltungsausschuss")
    fremde = SitzungFactory(ausschuss__slug="bezirksbeirat-mitte")
    alt = SitzungFactory(ausschuss=eigene.ausschuss, beginn=timezone.now() - datetime.timedelta(days=800))

    ausschuss_kalender, _ = ical(client, reverse("oeffentlich:ical-ausschuss", kwargs={"slug": "verwaltungsausschuss"}))
    alle, _ = ical(client, reverse("oeffentlich:ical-alle"))

    uid = "sitzung-{}@" + settings.RATSINFO_UID_DOMAIN
    assert {str(e["UID"]) for e in ereignisse(ausschuss_kalender)} == {uid.format(eigene.pk)}
    assert {str(e["UID"]) for e in ereignisse(alle)} == {uid.format(eigene.pk), uid.format(fremde.pk)}
    assert uid.format(alt.pk) not in {str(e["UID"]) for e in ereignisse(alle)}
    assert client.get(reverse("oeffentlich:ical-ausschuss", kwargs={"slug": "gibt-es-nicht"})).status_code == 404


# Atom feeds


def test_vorlagen_feed_is_atom_and_lists_only_what_the_public_may_see_even_for_a_clerk(client):
    VorlageFactory(titel="Öffentliche Vorlage")
    VorlageFactory(titel="Entwurf im Feed", entwurf=True)
    VorlageFactory(titel="Nichtöffentlich im Feed", oeffentlich=False)
    VorlageFactory(titel="Vertraulich im Feed", vertraulich=True)
    client.force_login(clerk())

    titel = atom_eintraege(client, reverse("oeffentlich:feed-vorlagen"))

    assert any("Öffentliche Vorlage" in t for t in titel)
    assert not [t for t in titel if "im Feed" in t]


def test_committee_feed_lists_vorlagen_through_public_beratungen_only(client):
    ausschuss = AusschussFactory(slug="umwelt")
    BeratungFactory(ausschuss=ausschuss, vorlage__titel="Beraten in Umwelt")
    BeratungFactory(ausschuss=ausschuss, vorlage__titel="Nichtöffentlich beraten", oeffentlich=False)
    VorlageFactory(titel="Anderswo beraten")

    titel = atom_eintraege(client, reverse("oeffentlich:feed-vorlagen-ausschuss", kwargs={"slug": "umwelt"}))

    assert len(titel) == 1 and "Beraten in Umwelt" in titel[0]


def test_sitzungen_feed_lists_upcoming_sitzungen_and_marks_cancelled_ones(client):
    SitzungFactory(ausschuss__name="Kommender Ausschuss")
    SitzungFactory(ausschuss__name="Abgesagter Ausschuss", status=Sitzung.Status.ABGESAGT)
    SitzungFactory(ausschuss__name="Vergangener Ausschuss", beginn=timezone.now() - datetime.timedelta(days=3))

    titel = " | ".join(atom_eintraege(client, reverse("oeffentlich:feed-sitzungen")))

    assert "Kommender Ausschuss" in titel
    assert "Abgesagt: Sitzung: Abgesagter Ausschuss" in titel
    assert "Vergangener Ausschuss" not in titel


def test_every_page_announces_the_feeds_in_its_head(client):
    text = client.get(reverse("startseite")).content.decode()
    feed = reverse("oeffentlich:feed-vorlagen")
    assert f'type="application/atom+xml" title="Neue Vorlagen (Atom)" href="{feed}"' in text
    assert f'href="{reverse("oeffentlich:feed-sitzungen")}"' in text
    assert f'type="text/calendar" title="Alle Sitzungen (iCal)" href="{reverse("oeffentlich:ical-alle")}"' in text


# Sitemap


def test_sitemap_index_points_to_paginated_sections_without_drafts(client, monkeypatch):
    from oeffentlich.sitemaps import VorlageSitemap

    monkeypatch.setattr(VorlageSitemap, "limit", 2)
    sichtbar = [VorlageFactory() for _ in range(3)]
    entwurf = VorlageFactory(entwurf=True)
    nichtoeffentlich = VorlageFactory(oeffentlich=False)

    index = ET.fromstring(client.get(reverse("oeffentlich:sitemap")).content)
    orte = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert any(o.endswith("/sitemap-vorlagen.xml") for o in orte)
    assert any(o.endswith("/sitemap-vorlagen.xml?p=2") for o in orte), orte

    urls = []
    for seite in (1, 2):
        antwort = client.get(reverse("oeffentlich:sitemap-abschnitt", kwargs={"section": "vorlagen"}), {"p": seite})
        urls += [loc.text for loc in ET.fromstring(antwort.content).iter(f"{SITEMAP}loc")]
    assert sorted(u.removeprefix("http://testserver") for u in urls) == sorted(v.get_absolute_url() for v in sichtbar)
    assert entwurf.get_absolute_url() not in " ".join(urls)
    assert nichtoeffentlich.get_absolute_url() not in " ".join(urls)


# Sitzungskalender


def test_calendar_redirects_to_the_current_month_and_keeps_the_committee(client):
    heute = timezone.localdate()
    antwort = client.get(reverse("oeffentlich:kalender"), {"ausschuss": "gemeinderat"})
    ziel = reverse("oeffentlich:kalender-monat", kwargs={"jahr": heute.year, "monat": heute.month})
    assert antwort.status_code == 302
    assert antwort["Location"] == f"{ziel}?ausschuss=gemeinderat"


def test_calendar_month_shows_each_sitzung_on_its_day_with_links_to_neighbouring_months(client):
    sitzung = SitzungFactory(beginn=datetime.datetime(2030, 3, 6, 17, 0, tzinfo=BERLIN), ausschuss__kurzname="VA")
    andere = SitzungFactory(beginn=datetime.datetime(2030, 3, 20, 9, 0, tzinfo=BERLIN), ausschuss__slug="technik")
    SitzungFactory(beginn=datetime.datetime(2030, 5, 6, 17, 0, tzinfo=BERLIN))

    text = client.get(reverse("oeffentlich:kalender-monat", kwargs={"jahr": 2030, "monat": 3})).content.decode()

    assert "<caption>März 2030</caption>" in text
    assert '<th scope="col"><abbr title="Montag">Mo</abbr></th>' in text
    assert f'href="{sitzung.get_absolute_url()}">17:00 VA</a>' in text
    assert andere.get_absolute_url() in text
    assert reverse("oeffentlich:kalender-monat", kwargs={"jahr": 2030, "monat": 2}) in text
    assert reverse("oeffentlich:kalender-monat", kwargs={"jahr": 2030, "monat": 4}) in text
    assert text.count('<li class="eintrag') == 2, "the list of the month holds its two Sitzungen"

    gefiltert = client.get(
        reverse("oeffentlich:kalender-monat", kwargs={"jahr": 2030, "monat": 3}), {"ausschuss": "technik"}
    ).content.decode()
    assert andere.get_absolute_url() in gefiltert
    assert sitzung.get_absolute_url() not in gefiltert
    assert f"{reverse('oeffentlich:kalender-monat', kwargs={'jahr': 2030, 'monat': 4})}?ausschuss=technik" in gefiltert


def test_calendar_year_change_and_impossible_months(client):
    text = client.get(reverse("oeffentlich:kalender-monat", kwargs={"jahr": 2030, "monat": 12})).content.decode()
    assert reverse("oeffentlich:kalender-monat", kwargs={"jahr": 2031, "monat": 1}) in text
    assert client.get(reverse("oeffentlich:kalender-monat", kwargs={"jahr": 2030, "monat": 0})).status_code == 404
    assert client.get(reverse("oeffentlich:kalender-monat", kwargs={"jahr": 9999, "monat": 1})).status_code == 404


# Information pages


def test_accessibility_statement_names_the_configured_feedback_contact(client, settings):
    settings.RATSINFO_BARRIEREFREIHEIT_KONTAKT = "barrierefrei@stuttgart.example"
    text = client.get(reverse("oeffentlich:barrierefreiheit")).content.decode()
    assert "<h1>Erklärung zur Barrierefreiheit</h1>" in text
    assert 'href="mailto:barrierefrei@stuttgart.example"' in text


def test_footer_links_the_accessibility_statement_and_leichte_sprache(client):
    text = client.get(reverse("startseite")).content.decode()
    assert f'href="{reverse("oeffentlich:barrierefreiheit")}"' in text
    assert f'href="{reverse("oeffentlich:leichte-sprache")}"' in text
    leicht = client.get(reverse("oeffentlich:leichte-sprache")).content.decode()
    assert "Was ist diese Internet-Seite?" in leicht


# English


def test_english_page_shows_english_strings_and_english_dates(client):
    SitzungFactory(beginn=datetime.datetime(2030, 3, 6, 17, 0, tzinfo=BERLIN), ausschuss__name="Gemeinderat")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    liste = client.get(reverse("sitzungen:sitzung-liste")).content.decode()
    kalender = client.get(reverse("oeffentlich:kalender-monat", kwargs={"jahr": 2030, "monat": 3})).content.decode()

    assert '<html lang="en">' in liste
    assert "<h1>Meetings</h1>" in liste
    assert "Wed, 6 March 2030" in liste or "Wed, 6. March 2030" in liste
    assert "<caption>March 2030</caption>" in kalender
    assert "Skip to content" in liste
    assert "Sitzungen" not in liste.split("<main", 1)[1].split("</main>")[0].replace("Gemeinderat", "")


def test_german_stays_the_default_even_for_an_english_browser(client):
    SitzungFactory(beginn=datetime.datetime(2030, 3, 6, 17, 0, tzinfo=BERLIN))
    text = client.get(reverse("sitzungen:sitzung-liste"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de">' in text and "<h1>Sitzungen</h1>" in text and "März 2030" in text


def test_language_switch_is_a_post_form_that_sets_the_cookie_and_returns_to_the_page(client):
    seite = reverse("sitzungen:sitzung-liste")
    text = client.get(seite).content.decode()
    assert f'action="{reverse("set_language")}"' in text
    assert 'name="language" value="en" lang="en">English</button>' in text

    antwort = client.post(reverse("set_language"), {"language": "en", "next": seite})

    assert antwort.status_code == 302 and antwort["Location"] == seite
    assert antwort.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'value="de" lang="de">Deutsch</button>' in client.get(seite).content.decode()


def test_every_msgid_of_the_english_catalogue_is_translated():
    po = (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
    eintraege = po.split("\n\n")[1:]
    leer = [e for e in eintraege if e.rstrip().endswith('msgstr ""') and 'msgid ""\n' not in e]
    assert not leer, f"{len(leer)} untranslated, e.g. {leer[:3]}"


# Security headers


def test_pages_send_a_content_security_policy_without_inline_script(client):
    antwort = client.get(reverse("startseite"))
    richtlinie = antwort["Content-Security-Policy"]
    assert "default-src 'self'" in richtlinie
    assert "script-src 'self' 'nonce-" in richtlinie or "script-src 'self'" in richtlinie
    assert "frame-ancestors 'none'" in richtlinie
    assert "unsafe-inline" not in richtlinie
    assert "<script" not in antwort.content.decode() or "nonce=" in antwort.content.decode()


def test_deploy_checks_report_nothing_with_production_variables(tmp_path):
    umgebung = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "RATSINFO_"))
    }
    umgebung.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x7#kP2!vQ9@mL4$wR8^tY1&zB6*nC3(jH5)fD0_gS-eA+uI=oK",
        DJANGO_ALLOWED_HOSTS="ratsinfo.stuttgart.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'produktion.sqlite3'}",
        DJANGO_DEFAULT_FROM_EMAIL="ratsinfo@stuttgart.example",
        RATSINFO_DATA_DIR=str(tmp_path),
    )
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=umgebung,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr
    assert "System check identified no issues" in ergebnis.stdout, ergebnis.stdout + ergebnis.stderr


def test_the_committed_english_mo_is_compiled_from_the_po(tmp_path):
    """The .mo is committed so the site speaks English without gettext installed; it must match the .po."""
    import gettext
    import shutil

    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) fehlt; CI installiert es")
    ordner = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
    frisch = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(frisch), str(ordner / "django.po")], check=True)
    with (ordner / "django.mo").open("rb") as eingecheckt, frisch.open("rb") as neu:
        assert gettext.GNUTranslations(eingecheckt)._catalog == gettext.GNUTranslations(neu)._catalog, (
            "make messages ausführen und locale/en/LC_MESSAGES/django.mo mit einchecken"
        )
