"""The page cache for anonymous visitors (betrieb.seitencache): what is stored, for whom, and when it is stale."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import SachbearbeitungFactory, VorlageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seiten_cache(settings):
    from betrieb.seitencache import LOKAL

    settings.RATSINFO_SEITEN_CACHE_SEKUNDEN = 60
    cache.clear()
    LOKAL.clear()
    yield
    cache.clear()
    LOKAL.clear()


def test_anonymous_page_is_served_from_the_cache(client, django_assert_num_queries):
    VorlageFactory(titel="Erste Vorlage")
    assert "Erste Vorlage" in client.get(reverse("vorlagen:liste")).content.decode()
    with django_assert_num_queries(0):
        antwort = client.get(reverse("vorlagen:liste"))
    assert antwort.status_code == 200
    assert "Erste Vorlage" in antwort.content.decode()


def test_a_write_makes_the_stored_page_stale(client):
    vorlage = VorlageFactory(titel="Alter Titel")
    client.get(vorlage.get_absolute_url())
    vorlage.titel = "Neuer Titel"
    vorlage.save()
    assert "Neuer Titel" in client.get(vorlage.get_absolute_url()).content.decode()


def test_each_visitor_gets_an_own_csrf_token(client):
    client.get(reverse("startseite"))
    erste = Client(enforce_csrf_checks=True)
    zweite = Client(enforce_csrf_checks=True)
    seite_1 = erste.get(reverse("startseite"))
    seite_2 = zweite.get(reverse("startseite"))
    token_1 = seite_1.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    token_2 = seite_2.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert "@@" not in token_1 and token_1 != token_2
    # The token of the cached page works with the visitor's cookie: the language switch still posts.
    antwort = zweite.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token_2})
    assert antwort.status_code == 302


def test_logged_in_visitors_never_get_or_fill_the_cache(client):
    VorlageFactory(titel="Öffentliche Vorlage")
    entwurf = VorlageFactory(titel="Geheimer Entwurf", entwurf=True)
    client.force_login(SachbearbeitungFactory())
    assert "Geheimer Entwurf" in client.get(reverse("vorlagen:liste")).content.decode()
    client.logout()
    client.cookies.clear()
    anonym = client.get(reverse("vorlagen:liste")).content.decode()
    assert "Geheimer Entwurf" not in anonym
    assert entwurf.titel not in anonym


def test_the_language_is_part_of_the_key(client, settings):
    client.get(reverse("startseite"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(reverse("startseite"))["Content-Language"] == "en"
    assert '<html lang="en"' in client.get(reverse("startseite")).content.decode()


def test_cache_off_with_zero_seconds(client, settings):
    settings.RATSINFO_SEITEN_CACHE_SEKUNDEN = 0
    client.get(reverse("vorlagen:liste"))
    with CaptureQueriesContext(connection) as erfasst:
        client.get(reverse("vorlagen:liste"))
    assert len(erfasst) > 0


def test_a_write_is_not_counted_when_the_cache_is_off(settings):
    from betrieb.seitencache import version

    settings.RATSINFO_SEITEN_CACHE_SEKUNDEN = 0
    vorher = version()
    VorlageFactory()
    assert version() == vorher


def test_a_response_that_varies_by_accept_is_never_stored(client):
    from django.http import HttpResponse

    from betrieb.seitencache import SeitenCacheMiddleware

    antwort = HttpResponse("x", content_type="text/html")
    antwort["Vary"] = "Accept-Language, Cookie"
    assert SeitenCacheMiddleware.speicherbar(antwort)
    antwort["Vary"] = "Accept, Cookie"
    assert not SeitenCacheMiddleware.speicherbar(antwort)


def test_a_broken_cache_gives_the_page_not_an_error(client, monkeypatch, settings):
    settings.RATSINFO_ANZAHL_CACHE_SEKUNDEN = 60
    VorlageFactory(titel="Trotzdem da")

    def kaputt(*args, **kwargs):
        raise ConnectionError("Redis nicht erreichbar")

    monkeypatch.setattr(cache, "get", kaputt)
    monkeypatch.setattr(cache, "get_or_set", kaputt)
    monkeypatch.setattr(cache, "set", kaputt)
    monkeypatch.setattr(cache, "incr", kaputt)
    antwort = client.get(reverse("vorlagen:liste"))
    assert antwort.status_code == 200
    assert "Trotzdem da" in antwort.content.decode()
    VorlageFactory(titel="Geschrieben trotz Cache-Ausfall")


def test_a_page_in_demand_comes_from_the_process_not_from_redis(client, monkeypatch):
    VorlageFactory(titel="Oft gelesen")
    client.get(reverse("vorlagen:liste"))
    gelesen = []
    echtes_get = cache.get
    monkeypatch.setattr(cache, "get", lambda schluessel, *a, **k: gelesen.append(schluessel) or echtes_get(schluessel))
    assert "Oft gelesen" in client.get(reverse("vorlagen:liste")).content.decode()
    assert not [schluessel for schluessel in gelesen if schluessel.startswith("seite:")]


def test_a_write_in_another_process_makes_the_local_copy_stale(client):
    from betrieb.seitencache import VERSION

    vorlage = VorlageFactory(titel="Vorher")
    client.get(vorlage.get_absolute_url())
    # Another web process wrote: it raised the version in Redis; this process's signals never fired.
    type(vorlage).objects.filter(pk=vorlage.pk).update(titel="Nachher")
    cache.incr(VERSION)
    assert "Nachher" in client.get(vorlage.get_absolute_url()).content.decode()


def test_the_local_copies_stay_within_their_megabytes(settings):
    from betrieb.seitencache import LokalerSpeicher

    settings.RATSINFO_SEITEN_CACHE_LOKAL_MB = 1
    speicher = LokalerSpeicher()
    bis = time.time() + 60
    for i in range(5):
        speicher.set(f"seite-{i}", (200, [], b"x" * 300_000, bis))
    assert speicher.bytes <= 1024 * 1024
    assert speicher.get("seite-0") is None and speicher.get("seite-4") is not None
    speicher.set("zu-gross", (200, [], b"x" * 2_000_000, bis))
    assert speicher.get("zu-gross") is None


def test_a_local_copy_ends_when_the_stored_page_ends_not_later(client, monkeypatch):
    from betrieb import seitencache
    from vorlagen.models import Vorlage

    vorlage = VorlageFactory(titel="Vorher")
    jetzt = time.time()
    monkeypatch.setattr(seitencache.time, "time", lambda: jetzt)
    client.get(reverse("vorlagen:liste"))  # stored for the fixture's 60 seconds
    seitencache.LOKAL.clear()  # as in another web process, which has no copy of its own yet
    monkeypatch.setattr(seitencache.time, "time", lambda: jetzt + 59)
    assert "Vorher" in client.get(reverse("vorlagen:liste")).content.decode()
    # A write the data version does not see (a bulk update) shows once the stored page's own time is over.
    Vorlage.objects.filter(pk=vorlage.pk).update(titel="Nachher")
    monkeypatch.setattr(seitencache.time, "time", lambda: jetzt + 61)
    assert "Nachher" in client.get(reverse("vorlagen:liste")).content.decode()
