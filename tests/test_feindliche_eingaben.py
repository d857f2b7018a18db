"""Hostile query parameters on every public list, search, filter, calendar and feed, and the OParl list filters.

Property-based (hypothesis): whatever a client sends — NUL bytes, huge numbers, dates out of range, unicode, the
same parameter twice, broken percent-escapes — a page answers with a page, a 400, a 404 or a redirect, never a 5xx.
The test client raises the view's exception itself, so a failure shows the traceback of the 500 that would have been.

Every page test runs twice: with the count cache and the page cache on, as production has them (tests/conftest.py),
and with both off, as the embedded default has the page cache. An invalid filter gave a 500 only with the count
cache on (issue 14), which the tests had switched off.
"""

import unicodedata
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gremien.models import Ausschuss, Dienststelle, Ort
from sitzungen.models import Sitzung, Tagesordnungspunkt
from tests.factories import (
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    DienststelleFactory,
    OrtFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)
from tests.test_admin import formulardaten
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db

# No example database: nothing is written into the checkout, and a failure prints its example to reproduce it.
EINSTELLUNGEN = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BESONDERE_WERTE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "1e308",
    "9" * 30,
    "-" + "9" * 30,
    "99999999999999999999999999999999",
    "2026-11-27",
    "27.11.2026",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2026-02-30",
    "9999-12-31T23:59:59+14:00",
    "999999999-01-01T00:00:00",
    "2026-11-27T10:00:00 01:00",
    "0001-01-01T00:00:00-23:59",
    "9999-12-31T23:59:59.999999-23:59",
    "true",
    "NaN",
    "inf",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "ä" * 3000,
    "\U0001f600",
    "\u202e",
    "GRDrs 952/2021",
    "GRDrs 9999999999/2021",
    "1/99999",
]

werte = st.one_of(
    st.sampled_from(BESONDERE_WERTE),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers().map(str),
    st.dates().map(str),
    st.datetimes().map(lambda zeit: zeit.isoformat()),
)


def abfrage(namen):
    """Query strings over the given parameter names plus unknown ones, each possibly repeated."""
    paar = st.tuples(st.one_of(st.sampled_from(namen), st.sampled_from(["page", "sort", "o", "x", ""])), werte)
    return st.lists(paar, max_size=6).map(lambda paare: urlencode(paare, quote_via=quote))


ROHE_ABFRAGEN = ["%ff%fe", "%", "page=%zz", "a=%00&a=%00", "&&&==&", "page[]=1", "q=" + "%e4" * 50]


@pytest.fixture(params=["caches_an", "caches_aus"])
def caches(request, settings):
    """Both ways a site runs: the caches on (the default of the tests, as in production) or off."""
    if request.param == "caches_aus":
        request.getfixturevalue("ohne_caches")
    return request.param


@pytest.fixture
def daten(db):
    ausschuss = AusschussFactory(slug="gemeinderat")
    sitzung = SitzungFactory(ausschuss=ausschuss)
    vorlage = VorlageFactory()
    AnlageFactory(vorlage=vorlage)
    BeratungFactory(vorlage=vorlage, ausschuss=ausschuss, sitzung=sitzung)
    TagesordnungspunktFactory(sitzung=sitzung)
    return {"ausschuss": ausschuss, "sitzung": sitzung, "vorlage": vorlage}


def pruefen(client, pfad, query):
    antwort = client.get(f"{pfad}?{query}" if query else pfad)
    assert antwort.status_code < 500, (pfad, query, antwort.status_code)
    return antwort


SEITEN = {
    "vorlagen:liste": ["q", "ausschuss", "art", "von", "bis", "jahr", "page"],
    "sitzungen:sitzung-liste": ["ausschuss", "zeitraum", "von", "bis", "status", "page"],
    "sitzungen:ausschuss-liste": ["page", "art"],
    "suche:suche": ["q", "ausschuss", "von", "bis", "art", "typ", "sortierung", "page"],
    "oeffentlich:kalender": ["ausschuss", "jahr", "monat"],
    "oeffentlich:ical-alle": ["ausschuss"],
    "oeffentlich:feed-vorlagen": ["page"],
    "vorlagen:antraege": ["q", "fraktion", "person", "status", "ausschuss", "wahlperiode", "von", "bis", "page"],
    "vorlagen:anfragen": ["q", "fraktion", "person", "status", "ausschuss", "wahlperiode", "von", "bis", "page"],
    "oeffentlich:feed-antraege": ["q", "fraktion", "person", "status", "ausschuss", "wahlperiode", "von", "bis"],
    "oeffentlich:feed-anfragen": ["q", "fraktion", "person", "status", "ausschuss", "wahlperiode", "von", "bis"],
    "oeffentlich:feed-sitzungen": ["page"],
    "oeffentlich:sitemap": ["p"],
    "startseite": ["page"],
}


def _url(name):
    try:
        return reverse(name)
    except Exception:
        # A name that moved is a broken test, not a pass.
        pytest.fail(f"URL {name} gibt es nicht")


@pytest.mark.parametrize("name", SEITEN)
def test_public_page_never_answers_5xx_to_hostile_parameters(client, daten, caches, name):
    pfad = _url(name)

    @EINSTELLUNGEN
    @given(query=abfrage(SEITEN[name]))
    def eigenschaft(query):
        pruefen(client, pfad, query)

    eigenschaft()
    for query in ROHE_ABFRAGEN:
        pruefen(client, pfad, query)


def test_pages_with_ids_in_the_path_never_answer_5xx(client, daten, caches):
    # Eighteen requests per example: fewer examples keep the file fast.
    @settings(EINSTELLUNGEN, max_examples=10)
    @given(
        zahl=st.one_of(st.integers(min_value=0), st.sampled_from([0, 2**31, 2**63, 2**64, 10**30])),
        text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30),
        query=abfrage(["ausschuss", "page"]),
    )
    def eigenschaft(zahl, text, query):
        sitzung, vorlage, ausschuss = daten["sitzung"], daten["vorlage"], daten["ausschuss"]
        pfade = [
            reverse("sitzungen:sitzung-detail", kwargs={"pk": zahl}),
            reverse("sitzungen:person-detail", kwargs={"pk": zahl}),
            reverse("oeffentlich:ical-sitzung", kwargs={"pk": zahl}),
            reverse("oeffentlich:kalender-monat", kwargs={"jahr": zahl, "monat": zahl % 20}),
            reverse("druck:tagesordnung", kwargs={"pk": zahl}),
            reverse("vorlagen:anlage", kwargs={"kennung": vorlage.kennung, "pk": zahl, "dateiname": "a.pdf"}),
            reverse("oparl:meeting", kwargs={"pk": zahl}),
            reverse("oparl:body", kwargs={"pk": zahl}),
            reverse("oparl:paper", kwargs={"pk": zahl}),
            reverse("oparl:file-download", kwargs={"pk": zahl}),
            f"/gremien/{quote(text, safe='')}/",
            f"/vorlagen/{quote(text, safe='')}/",
            f"/gremien/{quote(text, safe='')}.ics",
            f"/oparl/v1.1/{quote(text, safe='')}",
            f"/oparl/v1.1/body/1/{quote(text, safe='')}",
            sitzung.get_absolute_url(),
            vorlage.get_absolute_url(),
            ausschuss.get_absolute_url(),
        ]
        for pfad in pfade:
            pruefen(client, pfad, query)

    eigenschaft()


OPARL_FILTER = ["created_since", "created_until", "modified_since", "modified_until", "limit", "page", "omit_internal"]


def test_oparl_list_filters_never_answer_5xx(client, daten, caches):
    from oparl.abbildung import LISTEN

    pfade = [reverse("oparl:body-liste"), *(reverse("oparl:liste", kwargs={"liste": liste}) for liste in LISTEN)]

    @EINSTELLUNGEN
    @given(query=abfrage(OPARL_FILTER), liste=st.sampled_from(pfade))
    def eigenschaft(query, liste):
        antwort = pruefen(client, liste, query)
        if antwort.status_code == 400:
            # The client's mistake, said in an OParl error object, not a bare page.
            assert antwort["Content-Type"].startswith("application/json")
            assert antwort.json()["type"] == "https://schema.oparl.org/1.1/Error" or "message" in antwort.json()

    eigenschaft()


@pytest.mark.parametrize(
    "wert", ["999999999-01-01T00:00:00", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "+275760-09-13"]
)
@pytest.mark.parametrize("name", ["created_since", "created_until", "modified_since", "modified_until"])
def test_oparl_date_out_of_range_is_a_400_error_object(client, daten, name, wert):
    antwort = client.get(reverse("oparl:liste", kwargs={"liste": "paper"}), {name: wert})

    assert antwort.status_code == 400
    assert antwort.json()["type"] == "https://schema.oparl.org/1.1/Error"


@pytest.mark.parametrize("name", ["oeffentlich:kalender", "oeffentlich:ical-alle", "sitzungen:sitzung-liste"])
def test_nul_byte_in_calendar_parameters_is_not_a_server_error(client, daten, name):
    antwort = client.get(reverse(name), {"ausschuss": "gemein\x00derat"}, follow=True)

    assert antwort.status_code in {200, 400, 404}


# Invalid filter values: the form's error, an empty list, a 200 -------------------------------------------------------

UNGUELTIGE_FILTER = [
    ("vorlagen:liste", {"art": "x"}, "art", "keine gültige Auswahl"),
    ("vorlagen:liste", {"ausschuss": "gibtsnicht"}, "ausschuss", "keine gültige Auswahl"),
    ("vorlagen:liste", {"ausschuss": "999999999"}, "ausschuss", "keine gültige Auswahl"),
    ("vorlagen:liste", {"von": "2024-13-01"}, "von", "gültiges Datum"),
    ("vorlagen:liste", {"von": "1850-01-01"}, "von", "Das Datum muss zwischen 1900 und 2200 liegen."),
    ("vorlagen:liste", {"bis": "2201-01-01"}, "bis", "Das Datum muss zwischen 1900 und 2200 liegen."),
    ("vorlagen:liste", {"jahr": "1800"}, "jahr", "1900"),
    ("sitzungen:sitzung-liste", {"status": "x"}, "status", "keine gültige Auswahl"),
    ("sitzungen:sitzung-liste", {"von": "0001-01-01"}, "von", "Das Datum muss zwischen 1900 und 2200 liegen."),
    ("sitzungen:sitzung-liste", {"ausschuss": "999999999"}, "ausschuss", "keine gültige Auswahl"),
    ("vorlagen:antraege", {"fraktion": "gibtsnicht"}, "fraktion", "keine gültige Auswahl"),
    ("vorlagen:antraege", {"person": "999999999"}, "person", "keine gültige Auswahl"),
    ("vorlagen:antraege", {"status": "offen"}, "status", "keine gültige Auswahl"),
    ("vorlagen:anfragen", {"status": "beschlossen"}, "status", "keine gültige Auswahl"),
    ("vorlagen:anfragen", {"wahlperiode": "x"}, "wahlperiode", "keine gültige Auswahl"),
    ("vorlagen:anfragen", {"bis": "2201-01-01"}, "bis", "Das Datum muss zwischen 1900 und 2200 liegen."),
]


@pytest.mark.parametrize(("name", "parameter", "feld", "meldung"), UNGUELTIGE_FILTER)
def test_invalid_filter_value_shows_the_error_at_its_field_and_an_empty_list(
    client, daten, caches, name, parameter, feld, meldung
):
    antwort = client.get(reverse(name), parameter)

    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    fehler = inhalt.split(f'id="id_{feld}_error"', 1)[1].split("</p>", 1)[0]
    assert meldung in fehler
    # Linked to its field, so a screen reader reads the error with the field.
    feld_html = inhalt.split(f'name="{feld}"', 1)[1].split(">", 1)[0]
    assert f'aria-describedby="id_{feld}_error"' in feld_html
    assert 'aria-invalid="true"' in feld_html
    leer = (
        "Keine Vorlagen gefunden.",
        "Keine Sitzungen gefunden.",
        "Keine Anträge gefunden.",
        "Keine Anfragen gefunden.",
    )
    assert any(meldung in inhalt for meldung in leer)


def test_bookmark_with_a_renamed_committee_slug_shows_the_error(client, daten, caches):
    url = reverse("sitzungen:sitzung-liste")
    assert client.get(url, {"ausschuss": "gemeinderat"}).status_code == 200
    ausschuss = daten["ausschuss"]
    ausschuss.slug = "gemeinderat-stuttgart"
    ausschuss.save()

    antwort = client.get(url, {"ausschuss": "gemeinderat"})

    assert antwort.status_code == 200
    assert 'id="id_ausschuss_error"' in antwort.content.decode()
    assert client.get(reverse("vorlagen:liste"), {"ausschuss": "gemeinderat"}).status_code == 200


def test_search_refuses_a_period_outside_1900_to_2200(client, daten, caches):
    antwort = client.get(reverse("suche:suche"), {"q": "Vorlage", "von": "0001-01-01"})

    assert antwort.status_code == 200
    assert "Das Datum muss zwischen 1900 und 2200 liegen." in antwort.content.decode()


# Control characters and markup in names: iCal and the Atom feeds ----------------------------------------------------

# What older rows and imported sources hold (written past the validator). NUL is left out: PostgreSQL cannot store it.
STEUERZEICHEN = ["Haupt-\r\nausschuss", "Sitzung\x0bneu", "Tab\tund\x1bEscape", "Zeile\u2028Trenner", "C1\x85Zeichen"]


def _namen_setzen(sitzung, vorlage, name):
    Sitzung.objects.filter(pk=sitzung.pk).update(name=name)
    Ausschuss.objects.filter(pk=sitzung.ausschuss_id).update(name=f"Ausschuss {name}")
    Ort.objects.filter(pk=sitzung.ort_id).update(bezeichnung=f"Ort {name}", raum=name)
    Tagesordnungspunkt.objects.filter(sitzung=sitzung).update(titel=f"TOP {name}")
    Dienststelle.objects.filter(pk=vorlage.dienststelle_id).update(name=f"Amt {name}")
    Vorlage.objects.filter(pk=vorlage.pk).update(titel=f"Vorlage {name}")


def _ohne_steuerzeichen(text):
    return not any(unicodedata.category(zeichen) == "Cc" or zeichen in "\u2028\u2029" for zeichen in text)


@pytest.mark.parametrize("name", STEUERZEICHEN)
def test_control_characters_in_stored_names_do_not_break_ical_or_feeds(client, daten, caches, name):
    sitzung, vorlage = daten["sitzung"], daten["vorlage"]
    _namen_setzen(sitzung, vorlage, name)
    ausschuss = Ausschuss.objects.get(pk=sitzung.ausschuss_id)

    for url in [
        reverse("oeffentlich:ical-sitzung", kwargs={"pk": sitzung.pk}),
        reverse("oeffentlich:ical-alle"),
        reverse("oeffentlich:ical-ausschuss", kwargs={"slug": ausschuss.slug}),
    ]:
        antwort = client.get(url)
        assert antwort.status_code == 200, url
        kalender = icalendar.Calendar.from_ical(antwort.content)
        ereignis = kalender.walk("VEVENT")[0]
        for feld in ["SUMMARY", "LOCATION"]:
            assert _ohne_steuerzeichen(str(ereignis[feld])), (feld, ereignis[feld])
        assert _ohne_steuerzeichen(str(kalender["X-WR-CALNAME"]))
        # The description keeps its lines, and nothing else.
        assert all(_ohne_steuerzeichen(zeile) for zeile in str(ereignis["DESCRIPTION"]).split("\n"))

    for url in [
        reverse("oeffentlich:feed-sitzungen"),
        reverse("oeffentlich:feed-vorlagen"),
        reverse("oeffentlich:feed-vorlagen-ausschuss", kwargs={"slug": ausschuss.slug}),
    ]:
        antwort = client.get(url)
        assert antwort.status_code == 200, url
        baum = ElementTree.fromstring(antwort.content)
        texte = [element.text or "" for element in baum.iter()]
        assert all(_ohne_steuerzeichen(text.replace("\n", "")) for text in texte)


def test_atom_summaries_escape_the_names_they_are_built_from(client, daten, caches):
    sitzung, vorlage = daten["sitzung"], daten["vorlage"]
    markup = '<img src=x onerror="alert(1)"> & <b>fett</b>'
    _namen_setzen(sitzung, vorlage, markup)
    ausschuss = Ausschuss.objects.get(pk=sitzung.ausschuss_id)

    for url in [
        reverse("oeffentlich:feed-sitzungen"),
        reverse("oeffentlich:feed-vorlagen"),
        reverse("oeffentlich:feed-vorlagen-ausschuss", kwargs={"slug": ausschuss.slug}),
    ]:
        baum = ElementTree.fromstring(client.get(url).content)
        zusammenfassungen = list(baum.iter(f"{ATOM}summary"))
        assert zusammenfassungen, url
        for zusammenfassung in zusammenfassungen:
            # A feed reader unescapes the XML once and renders the result as HTML: it must show the text, not run it.
            if zusammenfassung.get("type") == "html":
                assert "<img" not in zusammenfassung.text and "<b>" not in zusammenfassung.text
                assert "&lt;img" in zusammenfassung.text and "&amp;" in zusammenfassung.text
            else:
                assert markup in zusammenfassung.text


ATOM = "{http://www.w3.org/2005/Atom}"


# Control characters in names are refused where they are typed --------------------------------------------------------

STEUERZEICHEN_MELDUNG = "Bitte ohne Zeilenumbrüche, Tabulatoren oder andere Steuerzeichen eingeben"


@pytest.mark.parametrize(
    ("factory", "feld"),
    [
        (SitzungFactory, "name"),
        (AusschussFactory, "name"),
        (VorlageFactory, "titel"),
        (AnlageFactory, "titel"),
        (TagesordnungspunktFactory, "titel"),
        (OrtFactory, "bezeichnung"),
        (DienststelleFactory, "name"),
        (PersonFactory, "nachname"),
    ],
)
@pytest.mark.parametrize("zeichen", ["\r\n", "\n", "\x0b", "\t", "\x00", "\u2028"])
def test_names_refuse_control_characters(factory, feld, zeichen):
    objekt = factory()
    setattr(objekt, feld, f"Erste{zeichen}Zweite")

    with pytest.raises(ValidationError) as fehler:
        objekt.full_clean()

    assert any(STEUERZEICHEN_MELDUNG in meldung for meldung in fehler.value.message_dict[feld])


def test_multiline_texts_keep_their_line_breaks():
    vorlage = VorlageFactory(bericht="Erster Absatz.\r\n\r\nZweiter Absatz.")
    top = TagesordnungspunktFactory(beschluss="Beschlossen:\n1. dies\n2. das")

    vorlage.full_clean()
    top.full_clean()


def test_admin_refuses_a_sitzung_name_with_a_vertical_tab(sachbearbeitung_client):
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    url = reverse("admin:sitzungen_sitzung_change", args=[sitzung.pk])
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"name": "Sondersitzung\x0bHaushalt"}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert STEUERZEICHEN_MELDUNG in antwort.content.decode()
    sitzung.refresh_from_db()
    assert sitzung.name == ""
