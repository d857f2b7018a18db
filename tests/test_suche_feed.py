"""The Atom feed of a search (issue 18): the newest public hits of the query, for the anonymous visitor whoever
asks, 400 with the reason on bad parameters, announced on the search page."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AusschussFactory,
    BeratungFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, **parameter):
    return client.get(reverse("suche:feed"), parameter)


def eintraege(antwort):
    wurzel = ET.fromstring(antwort.content)
    return [(e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href")) for e in wurzel.iter(f"{ATOM}entry")]


def test_the_feed_lists_the_newest_public_hits_of_the_query(client):
    alt = VorlageFactory(titel="Streuobstwiese am Killesberg", datum=datetime.date(2020, 1, 1))
    neu = VorlageFactory(titel="Streuobstwiese in Weilimdorf", datum=datetime.date(2026, 11, 1))
    VorlageFactory(titel="Etwas anderes")

    antwort = feed(client, q="Streuobstwiese")

    assert antwort.status_code == 200
    assert antwort["Content-Type"].startswith("application/atom+xml")
    titel = [t for t, _ in eintraege(antwort)]
    assert titel == [f"{neu.bezeichnung}: {neu.titel}", f"{alt.bezeichnung}: {alt.titel}"]
    assert eintraege(antwort)[0][1].endswith(neu.get_absolute_url())
    wurzel = ET.fromstring(antwort.content)
    assert wurzel.findtext(f"{ATOM}title").startswith("Suche: Streuobstwiese")


def test_the_feed_keeps_the_filters_of_the_search(client):
    gremium = AusschussFactory(slug="umwelt")
    drin = VorlageFactory(titel="Baumschutz im Gremium")
    BeratungFactory(vorlage=drin, ausschuss=gremium)
    VorlageFactory(titel="Baumschutz anderswo")
    TagesordnungspunktFactory(titel="Baumschutz als TOP", sitzung=SitzungFactory(ausschuss=gremium))

    titel = " ".join(t for t, _ in eintraege(feed(client, q="Baumschutz", ausschuss="umwelt", typ="vorlage")))

    assert "Baumschutz im Gremium" in titel
    assert "anderswo" not in titel and "als TOP" not in titel


def test_the_feed_shows_only_what_the_anonymous_visitor_may_see_even_to_a_clerk(client):
    VorlageFactory(titel="Kanarienvogel öffentlich")
    VorlageFactory(titel="Kanarienvogel nichtöffentlich", oeffentlich=False)
    VorlageFactory(titel="Kanarienvogel Entwurf", entwurf=True)
    VorlageFactory(titel="Kanarienvogel vertraulich", vertraulich=True)
    sitzung = SitzungFactory(oeffentlich=False)
    TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=False, titel="Kanarienvogel Personalsache")
    client.force_login(SachbearbeitungFactory())

    antwort = feed(client, q="Kanarienvogel")

    text = antwort.content.decode()
    assert "Kanarienvogel öffentlich" in text
    for verborgen in ("nichtöffentlich", "Entwurf", "vertraulich", "Personalsache"):
        assert verborgen not in text


@pytest.mark.parametrize(
    ("parameter", "grund"),
    [
        ({}, "Suchbegriff"),
        ({"q": "   "}, "Suchbegriff"),
        ({"q": "Haushalt", "von": "gestern"}, "Zeitraum von"),
        ({"q": "Haushalt", "typ": "alles"}, "Art des Treffers"),
        ({"q": "Haushalt", "ausschuss": "gibt-es-nicht"}, "Ausschuss"),
        ({"q": "Haushalt", "art": "<script>"}, "Vorlagenart"),
    ],
)
def test_bad_parameters_answer_400_with_the_reason(client, parameter, grund):
    antwort = feed(client, **parameter)
    assert antwort.status_code == 400
    assert grund in antwort.content.decode()


def test_odd_input_is_no_search_syntax_and_no_error(client):
    VorlageFactory(titel="Radverkehr")
    for q in ['"Rad', "Rad & | ! :* <->", "x" * 2000]:
        assert feed(client, q=q).status_code == 200
    # A NUL byte is refused by the form, as on the search page: 400 with the reason.
    antwort = feed(client, q="Rad\x00verkehr")
    assert antwort.status_code == 400
    assert antwort.content.decode().startswith("Ungültige Parameter der Suche. Suchbegriff: ")


def test_the_search_page_announces_and_links_its_feed(client):
    VorlageFactory(titel="Stadtbahn")
    antwort = client.get(reverse("suche:suche"), {"q": "Stadtbahn", "typ": "vorlage", "page": "1"})
    text = antwort.content.decode()
    feed_url = f"{reverse('suche:feed')}?q=Stadtbahn&amp;typ=vorlage"
    kopf = '<link rel="alternate" type="application/atom+xml" title="Suche: Stadtbahn (Atom)"'
    assert f'{kopf} href="{feed_url}">' in text
    assert f'<a href="{feed_url}" type="application/atom+xml">Neue Treffer dieser Suche als Feed (Atom)</a>' in text


def test_the_feed_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for i in range(3):
        VorlageFactory(titel=f"Wohnungsbau {i}", veroeffentlicht_am=timezone.now())
    with django_assert_max_num_queries(8) as wenige:
        feed(client, q="Wohnungsbau")
    for i in range(30):
        VorlageFactory(titel=f"Wohnungsbau mehr {i}")
    with django_assert_max_num_queries(len(wenige)):
        antwort = feed(client, q="Wohnungsbau")
    assert len(eintraege(antwort)) == 30
    assert Vorlage.objects.count() == 33
