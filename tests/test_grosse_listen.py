"""The lists of Vorlagen and Sitzungen at scale (issue 8): deep pages by deferred join, the count cache."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sitzungen.models import Sitzung
from tests.factories import (
    AusschussFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    UserFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db


@pytest.fixture
def anzahl_cache(settings):
    settings.RATSINFO_ANZAHL_CACHE_SEKUNDEN = 60
    cache.clear()
    yield
    cache.clear()


def vorlagen_anlegen(anzahl):
    # Few distinct dates, so the order leans on year, number and pk as tie-breakers.
    for i in range(anzahl):
        VorlageFactory(datum=datetime.date(2021, 1, 1 + i % 3), jahr=2021 - i % 2)


def sitzungen_anlegen(anzahl):
    ausschuss = AusschussFactory()
    beginn = timezone.now() - datetime.timedelta(days=30)
    for i in range(anzahl):
        # Pairs of Sitzungen at the same time: the pk decides their order.
        SitzungFactory(ausschuss=ausschuss, beginn=beginn - datetime.timedelta(days=i // 2))


def pks(response, name):
    return [objekt.pk for objekt in response.context[name]]


def test_deep_vorlagen_page_shows_the_rows_of_a_plain_offset(client):
    vorlagen_anlegen(65)
    erwartet = list(Vorlage.objects.sichtbar_fuer(None).neueste().values_list("pk", flat=True))
    for seite in (1, 2, 3, 4):
        response = client.get(reverse("vorlagen:liste"), {"page": seite})
        assert pks(response, "vorlagen") == erwartet[(seite - 1) * 20 : seite * 20]


def test_deep_sitzungen_page_shows_the_rows_of_a_plain_offset(client):
    sitzungen_anlegen(45)
    erwartet = list(Sitzung.objects.order_by("-beginn", "-pk").values_list("pk", flat=True))
    for seite in (2, 3):
        response = client.get(reverse("sitzungen:sitzung-liste"), {"page": seite})
        assert pks(response, "sitzungen") == erwartet[(seite - 1) * 20 : seite * 20]


def test_deep_page_keeps_the_filters(client):
    ausschuss = AusschussFactory()
    for i in range(45):
        vorlage = VorlageFactory(datum=datetime.date(2021, 1, 1 + i % 28))
        if i % 2:
            BeratungFactory(vorlage=vorlage, ausschuss=ausschuss)
    response = client.get(reverse("vorlagen:liste"), {"ausschuss": ausschuss.slug, "page": 2})
    erwartet = list(
        Vorlage.objects.filter(beratungen__ausschuss=ausschuss).neueste().values_list("pk", flat=True)[20:40]
    )
    assert pks(response, "vorlagen") == erwartet
    assert response.context["paginator"].count == 22


def test_page_beyond_the_end_shows_the_last_page(client):
    vorlagen_anlegen(25)
    response = client.get(reverse("vorlagen:liste"), {"page": 1000})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    assert len(response.context["vorlagen"]) == 5


def abfragen(client, url, daten):
    with CaptureQueriesContext(connection) as erfasst:
        assert client.get(url, daten).status_code == 200
    return len(erfasst)


@pytest.mark.parametrize(
    ("name", "anlegen"), [("vorlagen:liste", vorlagen_anlegen), ("sitzungen:sitzung-liste", sitzungen_anlegen)]
)
def test_deep_page_runs_the_same_queries_at_two_sizes(
    client, django_assert_max_num_queries, ohne_caches, name, anlegen
):
    # Caches off: the test counts the queries of rendering the page, which a stored page or count would skip.
    anlegen(45)
    klein = abfragen(client, reverse(name), {"page": 2})
    anlegen(120)
    with django_assert_max_num_queries(klein):
        client.get(reverse(name), {"page": 5})
    assert abfragen(client, reverse(name), {"page": 5}) == klein


def test_count_is_cached_for_anonymous_visitors(client, anzahl_cache):
    vorlagen_anlegen(3)
    assert client.get(reverse("vorlagen:liste")).context["paginator"].count == 3
    VorlageFactory()
    # The rows are current, the count may lag for RATSINFO_ANZAHL_CACHE_SEKUNDEN.
    response = client.get(reverse("vorlagen:liste"))
    assert response.context["paginator"].count == 3
    assert len(response.context["vorlagen"]) == 4


def test_count_is_not_cached_without_seconds(client, settings):
    settings.RATSINFO_ANZAHL_CACHE_SEKUNDEN = 0
    vorlagen_anlegen(3)
    client.get(reverse("vorlagen:liste"))
    VorlageFactory()
    assert client.get(reverse("vorlagen:liste")).context["paginator"].count == 4


def test_councillor_count_is_neither_cached_nor_shared_with_the_public(client, anzahl_cache):
    ausschuss = AusschussFactory()
    benutzer = UserFactory()
    MitgliedschaftFactory(ausschuss=ausschuss, person=PersonFactory(benutzer=benutzer))
    vorlagen_anlegen(3)
    BeratungFactory(vorlage=VorlageFactory(oeffentlich=False), ausschuss=ausschuss)

    client.force_login(benutzer)
    assert client.get(reverse("vorlagen:liste")).context["paginator"].count == 4
    client.logout()
    assert client.get(reverse("vorlagen:liste")).context["paginator"].count == 3

    client.force_login(benutzer)
    VorlageFactory()
    # Counted afresh for her: the new Vorlage shows at once, and the cached public count is not hers.
    assert client.get(reverse("vorlagen:liste")).context["paginator"].count == 5


def test_count_cache_keys_differ_by_filter(client, anzahl_cache):
    ausschuss = AusschussFactory()
    vorlagen_anlegen(3)
    BeratungFactory(ausschuss=ausschuss)
    assert client.get(reverse("vorlagen:liste")).context["paginator"].count == 4
    response = client.get(reverse("vorlagen:liste"), {"ausschuss": ausschuss.slug})
    assert response.context["paginator"].count == 1
