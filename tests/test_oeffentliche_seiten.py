import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sitzungen.models import Sitzung
from tests.factories import (
    MINI_PDF,
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db


def inhalt(antwort):
    return antwort.content.decode()


# Übersicht


def test_startseite_shows_next_sitzungen_and_newest_published_vorlagen(client):
    kommende = SitzungFactory(ausschuss__name="Internationaler Ausschuss")
    vergangene = SitzungFactory(beginn=timezone.now() - datetime.timedelta(days=30), ausschuss__name="Ältestenrat")
    VorlageFactory(titel="Veröffentlichte Vorlage")
    VorlageFactory(titel="Geheimer Entwurf", entwurf=True)

    antwort = client.get(reverse("startseite"))

    assert antwort.status_code == 200
    text = inhalt(antwort)
    assert kommende.ausschuss.name in text
    assert vergangene.ausschuss.name not in text
    assert "Veröffentlichte Vorlage" in text
    assert "Geheimer Entwurf" not in text
    assert 'href="#inhalt"' in text, "skip link"


# Gremien


def test_gremien_list_groups_committees_and_leaves_out_fraktionen(client):
    AusschussFactory(name="Verwaltungsausschuss", art="ausschuss")
    AusschussFactory(name="Bezirksbeirat Botnang", art="bezirksbeirat")
    AusschussFactory(name="Fraktion Beispiel", art="fraktion")

    text = inhalt(client.get(reverse("sitzungen:ausschuss-liste")))

    assert "Verwaltungsausschuss" in text
    assert "Bezirksbeirat Botnang" in text
    assert "Fraktion Beispiel" not in text


def test_ausschuss_page_shows_its_upcoming_and_past_sitzungen_and_its_vorlagen(client):
    ausschuss = AusschussFactory(name="Internationaler Ausschuss")
    andere = AusschussFactory(name="Sportausschuss")
    SitzungFactory(ausschuss=ausschuss, beginn=timezone.now() + datetime.timedelta(days=3))
    SitzungFactory(ausschuss=ausschuss, beginn=timezone.now() - datetime.timedelta(days=3))
    BeratungFactory(ausschuss=ausschuss, vorlage__titel="Bündnis für Integration")
    BeratungFactory(ausschuss=andere, vorlage__titel="Neue Sporthalle")
    BeratungFactory(ausschuss=ausschuss, vorlage__titel="Entwurf im Ausschuss", vorlage__entwurf=True)

    antwort = client.get(ausschuss.get_absolute_url())

    text = inhalt(antwort)
    assert len(antwort.context["kommende_sitzungen"]) == 1
    assert len(antwort.context["vergangene_sitzungen"]) == 1
    assert "Bündnis für Integration" in text
    assert "Neue Sporthalle" not in text
    assert "Entwurf im Ausschuss" not in text


def test_unknown_ausschuss_answers_404(client):
    assert client.get(reverse("sitzungen:ausschuss-detail", kwargs={"slug": "gibt-es-nicht"})).status_code == 404


# Sitzungen


@pytest.fixture
def sitzungsplan():
    ia = AusschussFactory(name="Internationaler Ausschuss", slug="ia")
    va = AusschussFactory(name="Verwaltungsausschuss", slug="va")
    jetzt = timezone.now()
    return {
        "ia_kommend": SitzungFactory(ausschuss=ia, beginn=jetzt + datetime.timedelta(days=5)),
        "ia_vergangen": SitzungFactory(
            ausschuss=ia, beginn=jetzt - datetime.timedelta(days=40), status=Sitzung.Status.ABGESCHLOSSEN
        ),
        "va_kommend": SitzungFactory(ausschuss=va, beginn=jetzt + datetime.timedelta(days=12)),
        "va_abgesagt": SitzungFactory(
            ausschuss=va, beginn=jetzt + datetime.timedelta(days=20), status=Sitzung.Status.ABGESAGT
        ),
    }


def sitzungen_der_liste(client, **parameter):
    antwort = client.get(reverse("sitzungen:sitzung-liste"), parameter)
    assert antwort.status_code == 200
    return set(antwort.context["sitzungen"]), antwort


def test_sitzungen_list_filters_by_ausschuss(client, sitzungsplan):
    gefunden, _ = sitzungen_der_liste(client, ausschuss="ia")
    assert gefunden == {sitzungsplan["ia_kommend"], sitzungsplan["ia_vergangen"]}


def test_sitzungen_list_filters_by_zeitraum_and_orders_upcoming_first_to_last(client, sitzungsplan):
    antwort = client.get(reverse("sitzungen:sitzung-liste"), {"zeitraum": "kommende"})
    assert list(antwort.context["sitzungen"]) == [
        sitzungsplan["ia_kommend"],
        sitzungsplan["va_kommend"],
        sitzungsplan["va_abgesagt"],
    ]
    gefunden, _ = sitzungen_der_liste(client, zeitraum="vergangene")
    assert gefunden == {sitzungsplan["ia_vergangen"]}


def test_sitzungen_list_filters_by_date_range(client, sitzungsplan):
    heute = timezone.localdate()
    gefunden, _ = sitzungen_der_liste(
        client,
        von=(heute + datetime.timedelta(days=1)).isoformat(),
        bis=(heute + datetime.timedelta(days=15)).isoformat(),
    )
    assert gefunden == {sitzungsplan["ia_kommend"], sitzungsplan["va_kommend"]}


def test_sitzungen_list_accepts_german_dates(client, sitzungsplan):
    heute = timezone.localdate()
    gefunden, _ = sitzungen_der_liste(client, von=(heute + datetime.timedelta(days=15)).strftime("%d.%m.%Y"))
    assert gefunden == {sitzungsplan["va_abgesagt"]}


def test_sitzungen_list_filters_by_status(client, sitzungsplan):
    gefunden, _ = sitzungen_der_liste(client, status="abgesagt")
    assert gefunden == {sitzungsplan["va_abgesagt"]}


def test_sitzungen_list_combines_filters(client, sitzungsplan):
    gefunden, _ = sitzungen_der_liste(client, ausschuss="va", zeitraum="kommende", status="einberufen")
    assert gefunden == {sitzungsplan["va_kommend"]}


@pytest.mark.parametrize(
    "parameter",
    [
        {"von": "31.02.2021"},
        {"bis": "gestern"},
        {"ausschuss": "gibt-es-nicht"},
        {"status": "verschoben"},
        {"zeitraum": "immer"},
    ],
)
def test_sitzungen_list_answers_bad_filter_values_with_a_form_error(client, sitzungsplan, parameter):
    antwort = client.get(reverse("sitzungen:sitzung-liste"), parameter)
    assert antwort.status_code == 200
    assert antwort.context["filter"].errors
    assert 'class="fehler"' in inhalt(antwort)


def test_sitzung_page_shows_public_tops_and_only_number_of_non_public_ones(client):
    sitzung = SitzungFactory(ausschuss__name="Gemeinderat")
    vorlage = VorlageFactory(titel="Haushalt 2027")
    oeffentlich = TagesordnungspunktFactory(sitzung=sitzung, nummer="1", titel="Haushaltsberatungen")
    oeffentlich.vorlagen.add(vorlage)
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", oeffentlich=False, titel="Grundstück Kanalstraße 7")

    antwort = client.get(sitzung.get_absolute_url())

    text = inhalt(antwort)
    assert "Haushaltsberatungen" in text
    assert vorlage.get_absolute_url() in text
    assert "N 1" in text
    assert "Grundstück Kanalstraße 7" not in text
    assert "nichtöffentlich" in text


def test_sitzung_page_hides_draft_vorlagen_on_a_public_top(client):
    sitzung = SitzungFactory()
    top = TagesordnungspunktFactory(sitzung=sitzung, titel="Öffentlicher Punkt")
    entwurf = VorlageFactory(entwurf=True, titel="Noch nicht freigegeben")
    top.vorlagen.add(entwurf)

    text = inhalt(client.get(sitzung.get_absolute_url()))

    assert "Öffentlicher Punkt" in text
    assert entwurf.get_absolute_url() not in text


def test_clerk_sees_titles_of_non_public_tops(sachbearbeitung_client):
    sitzung = SitzungFactory()
    TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=False, titel="Personalangelegenheit Amtsleitung")

    assert "Personalangelegenheit Amtsleitung" in inhalt(sachbearbeitung_client.get(sitzung.get_absolute_url()))


def test_unknown_sitzung_answers_404(client):
    assert client.get(reverse("sitzungen:sitzung-detail", kwargs={"pk": 999999})).status_code == 404


# Vorlagen


@pytest.fixture
def vorlagen():
    ia = AusschussFactory(name="Internationaler Ausschuss", slug="ia")
    gr = AusschussFactory(name="Gemeinderat", slug="gr")
    integration = VorlageFactory(
        nummer=952, jahr=2001, datum=datetime.date(2001, 10, 11), titel="Bündnis für Integration: Grundlagen"
    )
    jubilaeum = VorlageFactory(
        art=Vorlage.Art.MITTEILUNGSVORLAGE,
        nummer=1005,
        jahr=2021,
        datum=datetime.date(2021, 11, 9),
        titel="20 Jahre Stuttgarter Bündnis für Integration",
    )
    antrag = VorlageFactory(
        art=Vorlage.Art.ANTRAG, nummer=952, jahr=2001, datum=datetime.date(2001, 5, 2), titel="Mehr Radwege"
    )
    entwurf = VorlageFactory(entwurf=True, titel="Integration Entwurf", nummer=1, jahr=2026)
    # Two steps in the same committee: the Vorlage must still be listed once.
    BeratungFactory(vorlage=integration, ausschuss=ia, rolle="einbringung")
    BeratungFactory(vorlage=integration, ausschuss=ia, rolle="vorberatung")
    BeratungFactory(vorlage=integration, ausschuss=gr, rolle="beschlussfassung")
    BeratungFactory(vorlage=jubilaeum, ausschuss=ia, rolle="kenntnisnahme")
    BeratungFactory(vorlage=entwurf, ausschuss=ia)
    return {"integration": integration, "jubilaeum": jubilaeum, "antrag": antrag, "entwurf": entwurf}


def vorlagen_der_liste(client, **parameter):
    antwort = client.get(reverse("vorlagen:liste"), parameter)
    assert antwort.status_code == 200
    return list(antwort.context["vorlagen"])


def test_vorlagen_list_shows_published_newest_first_and_never_drafts(client, vorlagen):
    assert vorlagen_der_liste(client) == [vorlagen["jubilaeum"], vorlagen["integration"], vorlagen["antrag"]]


def test_vorlagen_list_shows_drafts_to_clerks(sachbearbeitung_client, vorlagen):
    assert vorlagen["entwurf"] in vorlagen_der_liste(sachbearbeitung_client)


def test_vorlagen_list_filters_by_ausschuss_through_the_beratungsfolge_without_duplicates(client, vorlagen):
    assert vorlagen_der_liste(client, ausschuss="ia") == [vorlagen["jubilaeum"], vorlagen["integration"]]
    assert vorlagen_der_liste(client, ausschuss="gr") == [vorlagen["integration"]]


def test_vorlagen_list_filters_by_art(client, vorlagen):
    assert vorlagen_der_liste(client, art="antrag") == [vorlagen["antrag"]]


def test_vorlagen_list_filters_by_date_range_and_year(client, vorlagen):
    assert vorlagen_der_liste(client, von="2001-06-01", bis="2001-12-31") == [vorlagen["integration"]]
    assert vorlagen_der_liste(client, jahr="2021") == [vorlagen["jubilaeum"]]


def test_vorlagen_text_query_matches_every_word_of_the_title(client, vorlagen):
    assert vorlagen_der_liste(client, q="bündnis integration") == [vorlagen["jubilaeum"], vorlagen["integration"]]
    assert vorlagen_der_liste(client, q="Integration Grundlagen") == [vorlagen["integration"]]


@pytest.mark.parametrize(
    ("anfrage", "erwartet"),
    [("952/2001", {"integration", "antrag"}), ("GRDrs 952/2001", {"integration"}), ("Antrag 952 / 2001", {"antrag"})],
)
def test_vorlagen_query_by_number_finds_that_vorlage(client, vorlagen, anfrage, erwartet):
    assert set(vorlagen_der_liste(client, q=anfrage)) == {vorlagen[name] for name in erwartet}


def test_vorlagen_list_combines_filters(client, vorlagen):
    assert vorlagen_der_liste(client, ausschuss="ia", art="mitteilungsvorlage", q="Jahre", jahr="2021") == [
        vorlagen["jubilaeum"]
    ]
    assert vorlagen_der_liste(client, ausschuss="gr", art="mitteilungsvorlage") == []


@pytest.mark.parametrize(
    "parameter",
    [{"jahr": "zweitausend"}, {"jahr": "99999999999"}, {"von": "2021-13-01"}, {"ausschuss": "xyz"}, {"art": "brief"}],
)
def test_vorlagen_list_answers_bad_filter_values_with_a_form_error(client, vorlagen, parameter):
    antwort = client.get(reverse("vorlagen:liste"), parameter)
    assert antwort.status_code == 200
    assert antwort.context["filter"].errors


def test_vorlagen_list_survives_a_very_long_query(client, vorlagen):
    antwort = client.get(reverse("vorlagen:liste"), {"q": "Integration " * 1000})
    assert antwort.status_code == 200


def test_pagination_keeps_the_filters_and_an_impossible_page_shows_the_last(client, settings):
    ausschuss = AusschussFactory(slug="gr")
    for _ in range(25):
        BeratungFactory(ausschuss=ausschuss)

    erste = client.get(reverse("vorlagen:liste"), {"ausschuss": "gr", "art": "beschlussvorlage"})
    assert "?ausschuss=gr&amp;art=beschlussvorlage&amp;page=2" in inhalt(erste)

    letzte = client.get(reverse("vorlagen:liste"), {"ausschuss": "gr", "page": "99999"})
    assert letzte.status_code == 200
    assert letzte.context["page_obj"].number == 2
    assert client.get(reverse("vorlagen:liste"), {"page": "abc"}).status_code == 200


def test_vorlage_page_shows_header_sections_beratungsfolge_and_anlagen(client):
    vorlage = VorlageFactory(
        art=Vorlage.Art.MITTEILUNGSVORLAGE,
        nummer=1005,
        jahr=2021,
        titel="20 Jahre Stuttgarter Bündnis für Integration",
        dienststelle__name="Referat Soziales und gesellschaftliche Integration",
        bericht="Erster Absatz.\n\nZweiter Absatz.",
        unterzeichnet_von="Dr. Alexandra Sußmann",
        unterzeichnet_funktion="Bürgermeisterin",
    )
    BeratungFactory(
        vorlage=vorlage, ausschuss__name="Internationaler Ausschuss", rolle="kenntnisnahme", oeffentlich=True
    )
    anlage = AnlageFactory(vorlage=vorlage, titel="Jubiläumsbroschüre")

    antwort = client.get(vorlage.get_absolute_url())

    text = inhalt(antwort)
    assert antwort.status_code == 200
    for erwartet in [
        "GRDrs 1005/2021",
        "Stuttgart, <time",
        "09.11.2021</time>",
        "Referat Soziales und gesellschaftliche Integration",
        "Mitteilungsvorlage",
        "Vorlage an",
        "Sitzungstermin",
        "Internationaler Ausschuss",
        "Kenntnisnahme",
        "öffentlich",
        "24.11.2021",
        "<p>Erster Absatz.</p>",
        "<p>Zweiter Absatz.</p>",
        "Mitzeichnung der beteiligten Stellen:",
        "Vorliegende Anfragen/Anträge:",
        "Erledigte Anfragen/Anträge:",
        "Dr. Alexandra Sußmann",
        "Bürgermeisterin",
        "Jubiläumsbroschüre",
        anlage.get_absolute_url(),
    ]:
        assert erwartet in text, erwartet


def test_vorlage_page_lists_only_visible_related_antraege(client):
    vorlage = VorlageFactory()
    vorliegend = VorlageFactory(art=Vorlage.Art.ANTRAG, titel="Sichtbarer Antrag")
    entwurf = VorlageFactory(art=Vorlage.Art.ANTRAG, titel="Antrag im Entwurf", entwurf=True)
    vorlage.vorliegende_antraege.add(vorliegend, entwurf)

    text = inhalt(client.get(vorlage.get_absolute_url()))

    assert "Sichtbarer Antrag" in text
    assert "Antrag im Entwurf" not in text


def test_draft_vorlage_answers_404_to_the_public_and_opens_for_clerks(client, sachbearbeitung):
    entwurf = VorlageFactory(entwurf=True)
    assert client.get(entwurf.get_absolute_url()).status_code == 404
    client.force_login(sachbearbeitung)
    assert client.get(entwurf.get_absolute_url()).status_code == 200


def test_withdrawn_vorlage_stays_at_its_address_marked_withdrawn(client):
    vorlage = VorlageFactory(status=Vorlage.Status.ZURUECKGEZOGEN)
    assert "wurde zurückgezogen" in inhalt(client.get(vorlage.get_absolute_url()))


# Anlagen


def test_anlage_download_serves_the_file_inline(client):
    anlage = AnlageFactory(dateiname="broschuere.pdf")

    antwort = client.get(anlage.get_absolute_url())

    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "application/pdf"
    assert antwort["Content-Disposition"].startswith("inline")
    assert b"".join(antwort.streaming_content) == MINI_PDF


def test_anlage_of_a_draft_answers_404(client):
    anlage = AnlageFactory(vorlage__entwurf=True)
    assert client.get(anlage.get_absolute_url()).status_code == 404


def test_anlage_under_an_old_file_name_redirects_to_the_current_one(client):
    anlage = AnlageFactory(dateiname="neu.pdf")
    alt = reverse(
        "vorlagen:anlage", kwargs={"kennung": anlage.vorlage.kennung, "pk": anlage.pk, "dateiname": "alt.pdf"}
    )

    antwort = client.get(alt)

    assert antwort.status_code == 301
    assert antwort["Location"] == anlage.get_absolute_url()


def test_anlage_under_another_vorlage_answers_404(client):
    anlage = AnlageFactory()
    andere = VorlageFactory()
    falsch = reverse(
        "vorlagen:anlage", kwargs={"kennung": andere.kennung, "pk": anlage.pk, "dateiname": anlage.dateiname}
    )
    assert client.get(falsch).status_code == 404


def test_anlage_whose_file_is_missing_answers_404(client):
    anlage = AnlageFactory()
    anlage.datei.storage.delete(anlage.datei.name)
    assert client.get(anlage.get_absolute_url()).status_code == 404


# Non-public Beratungen give nothing away


@pytest.fixture
def nichtoeffentliche_beratung():
    vorlage = VorlageFactory(titel="Neubau Feuerwache")
    BeratungFactory(vorlage=vorlage, ausschuss__name="Gemeinderat", ausschuss__slug="gr")
    BeratungFactory(vorlage=vorlage, ausschuss__name="Ältestenrat", ausschuss__slug="aer", oeffentlich=False)
    return vorlage


def test_non_public_beratung_is_left_out_of_the_public_beratungsfolge(client, nichtoeffentliche_beratung):
    text = inhalt(client.get(nichtoeffentliche_beratung.get_absolute_url()))
    assert "Gemeinderat" in text
    assert "Ältestenrat" not in text


def test_non_public_beratung_does_not_show_through_the_committee_filter_or_page(client, nichtoeffentliche_beratung):
    assert vorlagen_der_liste(client, ausschuss="gr") == [nichtoeffentliche_beratung]
    assert vorlagen_der_liste(client, ausschuss="aer") == []
    seite = client.get(reverse("sitzungen:ausschuss-detail", kwargs={"slug": "aer"}))
    assert "Neubau Feuerwache" not in inhalt(seite)


def test_clerk_sees_the_non_public_beratung(sachbearbeitung_client, nichtoeffentliche_beratung):
    assert "Ältestenrat" in inhalt(sachbearbeitung_client.get(nichtoeffentliche_beratung.get_absolute_url()))
    assert vorlagen_der_liste(sachbearbeitung_client, ausschuss="aer") == [nichtoeffentliche_beratung]


def test_site_is_german_even_for_an_english_browser(client):
    SitzungFactory(beginn=timezone.make_aware(datetime.datetime(2030, 12, 2, 9, 0)))
    antwort = client.get(reverse("startseite"), headers={"accept-language": "en-US,en;q=0.9"})
    text = inhalt(antwort)
    assert "Dezember 2030" in text
    assert 'lang="de"' in text
    assert antwort["Content-Language"] == "de"


def test_dates_follow_the_chosen_language(client, settings):
    SitzungFactory(beginn=timezone.make_aware(datetime.datetime(2030, 3, 6, 9, 0)))
    deutsch = inhalt(client.get(reverse("startseite")))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    englisch = inhalt(client.get(reverse("startseite")))
    assert "Mi, 6. März 2030" in deutsch
    assert "Wed, 6 March 2030" in englisch
