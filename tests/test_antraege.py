"""What became of an Antrag or Anfrage (``VorlageQuerySet.mit_antragsstatus``), the Anträge and Anfragen lists with
their filters, and their Atom feeds.

The status is derived, never stored, and derived as the visitor may see it: a non-public Beratung's result or a
Stellungnahme in draft must not tell the public that an Antrag was decided or an Anfrage answered.
"""

import datetime
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from gremien.models import Ausschuss
from tests.factories import (
    AusschussFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UrheberFactory,
    UserFactory,
    VorlageFactory,
    WahlperiodeFactory,
)
from vorlagen.filters import AntragFilter
from vorlagen.models import Antragsstatus, Vorlage

pytestmark = pytest.mark.django_db

ANONYM = AnonymousUser()


def status(vorlage, user=ANONYM, **kwargs):
    """The status as the annotation derives it, checked against the pages' way (``antragsstatus_nachladen``)."""
    in_sql = Vorlage.objects.mit_antragsstatus(user, **kwargs).get(pk=vorlage.pk).antragsstatus
    nachgeladen = Vorlage.objects.antragsstatus_nachladen(user, **kwargs).get(pk=vorlage.pk).antragsstatus
    assert nachgeladen == in_sql
    return in_sql


def antrag(**kwargs):
    return VorlageFactory(art=Vorlage.Art.ANTRAG, **kwargs)


def anfrage(**kwargs):
    return VorlageFactory(art=Vorlage.Art.ANFRAGE, **kwargs)


def mitglied_von(ausschuss):
    user = UserFactory()
    MitgliedschaftFactory(person=PersonFactory(benutzer=user), ausschuss=ausschuss)
    return user


def test_a_new_antrag_without_beratung_is_eingegangen():
    assert status(antrag()) == Antragsstatus.EINGEGANGEN


def test_an_antrag_on_a_beratungsfolge_without_result_is_in_beratung():
    a = antrag()
    BeratungFactory(vorlage=a)
    assert status(a) == Antragsstatus.IN_BERATUNG


def test_an_antrag_on_an_agenda_without_result_is_in_beratung():
    a = antrag()
    TagesordnungspunktFactory().vorlagen.add(a)
    assert status(a) == Antragsstatus.IN_BERATUNG


@pytest.mark.parametrize(
    ("ergebnis", "erwartet"),
    [
        ("beschlossen", Antragsstatus.BESCHLOSSEN),
        ("geaendert_beschlossen", Antragsstatus.BESCHLOSSEN),
        ("abgelehnt", Antragsstatus.ABGELEHNT),
        ("vertagt", Antragsstatus.IN_BERATUNG),
        ("kenntnis_genommen", Antragsstatus.IN_BERATUNG),
    ],
)
def test_the_result_of_a_beratung_decides_the_antrag(ergebnis, erwartet):
    a = antrag()
    BeratungFactory(vorlage=a, ergebnis=ergebnis)
    assert status(a) == erwartet


def test_the_last_deciding_beratung_of_the_beratungsfolge_wins():
    a = antrag()
    BeratungFactory(vorlage=a, reihenfolge=1, ergebnis="abgelehnt")
    BeratungFactory(vorlage=a, reihenfolge=2, ergebnis="beschlossen")
    BeratungFactory(vorlage=a, reihenfolge=3, ergebnis="vertagt")
    assert status(a) == Antragsstatus.BESCHLOSSEN


def test_a_top_result_decides_when_no_beratung_has_one():
    a = antrag()
    top = TagesordnungspunktFactory(ergebnis="abgelehnt")
    top.vorlagen.add(a)
    assert status(a) == Antragsstatus.ABGELEHNT


def test_settled_by_a_grdrs_beats_a_result():
    a = antrag()
    BeratungFactory(vorlage=a, ergebnis="beschlossen")
    grdrs = VorlageFactory()
    grdrs.erledigte_antraege.add(a)
    assert status(a) == Antragsstatus.ERLEDIGT


def test_withdrawn_beats_everything():
    a = antrag(status=Vorlage.Status.ZURUECKGEZOGEN)
    BeratungFactory(vorlage=a, ergebnis="beschlossen")
    VorlageFactory().erledigte_antraege.add(a)
    assert status(a) == Antragsstatus.ZURUECKGEZOGEN


def test_other_vorlagenarten_have_no_status():
    vorlage = VorlageFactory()
    BeratungFactory(vorlage=vorlage, ergebnis="beschlossen")
    assert status(vorlage) is None


def test_a_non_public_result_does_not_tell_the_public_that_an_antrag_was_decided():
    ausschuss = AusschussFactory()
    a = antrag()
    BeratungFactory(vorlage=a, ausschuss=ausschuss, oeffentlich=False, ergebnis="beschlossen")
    assert status(a) == Antragsstatus.EINGEGANGEN
    assert status(a, UserFactory()) == Antragsstatus.EINGEGANGEN
    assert status(a, mitglied_von(ausschuss)) == Antragsstatus.BESCHLOSSEN
    assert status(a, SachbearbeitungFactory()) == Antragsstatus.BESCHLOSSEN


def test_a_non_public_top_result_stays_with_those_who_may_see_it():
    ausschuss = AusschussFactory()
    a = antrag()
    top = TagesordnungspunktFactory(
        sitzung=SitzungFactory(ausschuss=ausschuss), oeffentlich=False, ergebnis="beschlossen"
    )
    top.vorlagen.add(a)
    assert status(a) == Antragsstatus.EINGEGANGEN
    assert status(a, mitglied_von(ausschuss)) == Antragsstatus.BESCHLOSSEN


def test_a_public_result_stays_the_public_status_when_a_later_non_public_one_differs():
    ausschuss = AusschussFactory()
    a = antrag()
    BeratungFactory(vorlage=a, reihenfolge=1, ergebnis="abgelehnt")
    BeratungFactory(vorlage=a, ausschuss=ausschuss, reihenfolge=2, oeffentlich=False, ergebnis="beschlossen")
    assert status(a) == Antragsstatus.ABGELEHNT
    assert status(a, mitglied_von(ausschuss)) == Antragsstatus.BESCHLOSSEN


def test_a_draft_grdrs_does_not_settle_the_antrag_for_the_public():
    a = antrag()
    VorlageFactory(entwurf=True).erledigte_antraege.add(a)
    assert status(a) == Antragsstatus.EINGEGANGEN
    assert status(a, SachbearbeitungFactory()) == Antragsstatus.ERLEDIGT


def test_an_anfrage_without_answer_is_offen_and_overdue_after_its_date():
    heute = timezone.localdate()
    f = anfrage(antwort_bis=heute)
    assert status(f) == Antragsstatus.OFFEN
    assert status(f, stichtag=heute + datetime.timedelta(days=1)) == Antragsstatus.UEBERFAELLIG
    assert status(anfrage()) == Antragsstatus.OFFEN


def test_a_published_stellungnahme_answers_an_anfrage():
    f = anfrage(antwort_bis=datetime.date(2021, 1, 1))
    VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=f)
    assert status(f) == Antragsstatus.BEANTWORTET


def test_a_draft_or_non_public_stellungnahme_does_not_answer_the_anfrage_for_the_public():
    f = anfrage(antwort_bis=datetime.date(2021, 1, 1))
    VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=f, entwurf=True)
    VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=f, oeffentlich=False)
    assert status(f) == Antragsstatus.UEBERFAELLIG
    assert status(f, SachbearbeitungFactory()) == Antragsstatus.BEANTWORTET


def test_an_anfrage_settled_by_a_grdrs_is_beantwortet():
    f = anfrage()
    VorlageFactory().erledigte_antraege.add(f)
    assert status(f) == Antragsstatus.BEANTWORTET


def test_a_withdrawn_anfrage_is_zurueckgezogen():
    f = anfrage(status=Vorlage.Status.ZURUECKGEZOGEN, antwort_bis=datetime.date(2021, 1, 1))
    assert status(f) == Antragsstatus.ZURUECKGEZOGEN


def test_the_status_can_be_filtered_on():
    a = antrag()
    BeratungFactory(vorlage=a, ergebnis="beschlossen")
    antrag()
    beschlossen = Vorlage.objects.mit_antragsstatus(ANONYM).filter(antragsstatus=Antragsstatus.BESCHLOSSEN)
    assert list(beschlossen) == [a]
    assert beschlossen.get().antragsstatus_anzeige == "beschlossen"


# The lists ------------------------------------------------------------------------------------------------------------


def urheber(vorlage, *autoren):
    for reihenfolge, autor in enumerate(autoren, start=1):
        feld = "fraktion" if isinstance(autor, Ausschuss) else "person"
        UrheberFactory(vorlage=vorlage, reihenfolge=reihenfolge, **{feld: autor})
    return vorlage


def fraktion(name, slug):
    return AusschussFactory(name=name, slug=slug, art=Ausschuss.Art.FRAKTION)


def zeilen(antwort):
    return [vorlage.pk for vorlage in antwort.context["vorlagen"]]


def test_the_antraege_list_shows_number_title_authors_in_order_date_and_status(client):
    spd, gruene = fraktion("SPD-Fraktion", "spd"), fraktion("Fraktion Grüne", "gruene")
    person = PersonFactory(vorname="Erika", nachname="Muster")
    a = urheber(antrag(nummer=123, jahr=2026, titel="Mehr Bänke am Neckar"), gruene, person, spd)
    BeratungFactory(vorlage=a)
    anfrage()

    antwort = client.get(reverse("vorlagen:antraege"))

    assert antwort.status_code == 200
    assert zeilen(antwort) == [a.pk]
    # The list, not the filter form (which names the Fraktionen too).
    inhalt = antwort.content.decode().split('<ul class="liste">', 1)[1]
    assert "Antrag 123/2026" in inhalt and "Mehr Bänke am Neckar" in inhalt
    assert inhalt.index("Fraktion Grüne") < inhalt.index("Erika Muster") < inhalt.index("SPD-Fraktion")
    assert "Stand: in Beratung" in inhalt
    assert "9. November 2021" in inhalt


def test_the_anfragen_list_shows_only_anfragen_with_their_status(client):
    f = anfrage(antwort_bis=datetime.date(2021, 12, 1))
    antrag()

    antwort = client.get(reverse("vorlagen:anfragen"))

    assert zeilen(antwort) == [f.pk]
    assert "Stand: überfällig" in antwort.content.decode()


def test_a_settled_antrag_links_the_grdrs_that_settled_it(client):
    a = antrag()
    grdrs = VorlageFactory(nummer=952, jahr=2021)
    grdrs.erledigte_antraege.add(a)
    entwurf = VorlageFactory(nummer=953, jahr=2021, entwurf=True)
    entwurf.erledigte_antraege.add(a)

    for url in (reverse("vorlagen:antraege"), a.get_absolute_url()):
        inhalt = client.get(url).content.decode()
        assert "Stand: erledigt" in inhalt
        assert f'<a href="{grdrs.get_absolute_url()}">GRDrs 952/2021</a>' in inhalt
        assert "953/2021" not in inhalt


def test_the_vorlage_page_and_the_vorlagen_list_show_the_status_of_an_antrag(client):
    a = antrag()
    BeratungFactory(vorlage=a, ergebnis="abgelehnt")
    VorlageFactory()

    assert "Stand: abgelehnt" in client.get(a.get_absolute_url()).content.decode()
    assert client.get(reverse("vorlagen:liste")).content.decode().count("Stand: ") == 1


def test_the_lists_show_no_draft_or_non_public_antrag_to_the_public(client):
    sichtbar = antrag()
    antrag(entwurf=True)
    antrag(oeffentlich=False)
    antrag(vertraulich=True)

    assert zeilen(client.get(reverse("vorlagen:antraege"))) == [sichtbar.pk]


def test_the_fraktion_filter_takes_the_slug(client):
    spd = fraktion("SPD", "spd")
    von_spd = urheber(antrag(), fraktion("Grüne", "gruene"), spd)
    urheber(antrag(), fraktion("FDP", "fdp"))

    assert zeilen(client.get(reverse("vorlagen:antraege"), {"fraktion": "spd"})) == [von_spd.pk]


def test_the_person_filter_takes_the_id(client):
    person = PersonFactory()
    von_ihr = urheber(anfrage(), person)
    urheber(anfrage(), PersonFactory())

    assert zeilen(client.get(reverse("vorlagen:anfragen"), {"person": person.pk})) == [von_ihr.pk]


def test_the_status_filter(client):
    beschlossen = antrag()
    BeratungFactory(vorlage=beschlossen, ergebnis="beschlossen")
    antrag()

    assert zeilen(client.get(reverse("vorlagen:antraege"), {"status": "beschlossen"})) == [beschlossen.pk]
    assert len(zeilen(client.get(reverse("vorlagen:antraege"), {"status": "eingegangen"}))) == 1


def test_the_status_filter_offers_the_statuses_of_its_list(client):
    antraege = client.get(reverse("vorlagen:antraege")).context["filter"].form.fields["status"].choices
    anfragen = client.get(reverse("vorlagen:anfragen")).context["filter"].form.fields["status"].choices

    assert "in_beratung" in dict(antraege) and "beantwortet" not in dict(antraege)
    assert "beantwortet" in dict(anfragen) and "in_beratung" not in dict(anfragen)


def test_the_gremium_filter_counts_only_beratungen_the_visitor_may_see(client):
    ausschuss = AusschussFactory(slug="umwelt")
    oeffentlich = antrag()
    BeratungFactory(vorlage=oeffentlich, ausschuss=ausschuss)
    geheim = antrag()
    BeratungFactory(vorlage=geheim, ausschuss=ausschuss, oeffentlich=False)
    antrag()

    assert zeilen(client.get(reverse("vorlagen:antraege"), {"ausschuss": "umwelt"})) == [oeffentlich.pk]
    client.force_login(mitglied_von(ausschuss))
    assert set(zeilen(client.get(reverse("vorlagen:antraege"), {"ausschuss": "umwelt"}))) == {
        oeffentlich.pk,
        geheim.pk,
    }


def test_the_wahlperiode_and_date_filters(client):
    wahlperiode = WahlperiodeFactory(beginn=datetime.date(2019, 7, 1), ende=datetime.date(2024, 6, 30))
    alt = antrag(datum=datetime.date(2018, 5, 1))
    neu = antrag(datum=datetime.date(2021, 5, 1))

    url = reverse("vorlagen:antraege")
    assert zeilen(client.get(url, {"wahlperiode": wahlperiode.pk})) == [neu.pk]
    assert zeilen(client.get(url, {"von": "2021-01-01"})) == [neu.pk]
    assert zeilen(client.get(url, {"bis": "2020-12-31"})) == [alt.pk]


def test_the_text_filter_searches_titles_and_numbers(client):
    baenke = antrag(titel="Mehr Bänke am Neckar", nummer=77, jahr=2026)
    antrag(titel="Radweg Schlossplatz")

    url = reverse("vorlagen:antraege")
    assert zeilen(client.get(url, {"q": "bänke"})) == [baenke.pk]
    assert zeilen(client.get(url, {"q": "Antrag 77/2026"})) == [baenke.pk]


def test_pagination_keeps_the_filters(client, settings):
    spd = fraktion("SPD", "spd")
    for _ in range(25):
        urheber(antrag(), spd)

    antwort = client.get(reverse("vorlagen:antraege"), {"fraktion": "spd"})

    assert "?fraktion=spd&amp;page=2" in antwort.content.decode()


@pytest.mark.parametrize(
    ("parameter", "feld", "meldung"),
    [
        ({"fraktion": "gibtsnicht"}, "fraktion", "keine gültige Auswahl"),
        ({"person": "999999999"}, "person", "keine gültige Auswahl"),
        ({"person": "abc"}, "person", "keine gültige Auswahl"),
        ({"status": "offen"}, "status", "keine gültige Auswahl"),
        ({"von": "1850-01-01"}, "von", "Das Datum muss zwischen 1900 und 2200 liegen."),
    ],
)
def test_an_invalid_filter_value_shows_the_error_and_an_empty_list(client, parameter, feld, meldung):
    antrag()

    antwort = client.get(reverse("vorlagen:antraege"), parameter)

    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert meldung in inhalt.split(f'id="id_{feld}_error"', 1)[1].split("</p>", 1)[0]
    assert "Keine Anträge gefunden." in inhalt


@pytest.mark.parametrize("name", ["vorlagen:antraege", "vorlagen:anfragen"])
def test_the_lists_need_the_same_queries_for_2_and_12_rows(client, django_assert_max_num_queries, name):
    art = Vorlage.Art.ANTRAG if name == "vorlagen:antraege" else Vorlage.Art.ANFRAGE
    spd = fraktion("SPD", "spd")

    def anlegen(anzahl):
        for _ in range(anzahl):
            v = urheber(VorlageFactory(art=art), spd, PersonFactory())
            BeratungFactory(vorlage=v, ergebnis="beschlossen")
            VorlageFactory().erledigte_antraege.add(v)
            VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=v)

    def abfragen():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as erfasst:
            assert client.get(reverse(name), {"fraktion": "spd"}).status_code == 200
        return len(erfasst.captured_queries)

    anlegen(2)
    bei_zwei = abfragen()
    anlegen(10)
    with django_assert_max_num_queries(bei_zwei):
        antwort = client.get(reverse(name), {"fraktion": "spd"})
    assert len(antwort.context["vorlagen"]) == 12


# The feeds ------------------------------------------------------------------------------------------------------------


def atom(antwort):
    assert antwort.status_code == 200
    assert antwort["Content-Type"].startswith("application/atom+xml")
    wurzel = ElementTree.fromstring(antwort.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert wurzel.tag == "{http://www.w3.org/2005/Atom}feed"
    return [eintrag.find("a:title", ns).text for eintrag in wurzel.findall("a:entry", ns)]


def test_the_antraege_feed_applies_the_filters_and_shows_the_public_only(client):
    spd = fraktion("SPD", "spd")
    urheber(antrag(titel="Von der SPD"), spd)
    urheber(antrag(titel="Entwurf der SPD", entwurf=True), spd)
    urheber(antrag(titel="Geheim von der SPD", oeffentlich=False), spd)
    urheber(antrag(titel="Von anderen"), fraktion("FDP", "fdp"))
    client.force_login(SachbearbeitungFactory())

    titel = atom(client.get(reverse("oeffentlich:feed-antraege"), {"fraktion": "spd"}))

    assert len(titel) == 1 and titel[0].endswith("Von der SPD")


def test_the_feed_status_is_the_publics(client):
    a = antrag(titel="Nichtöffentlich beschlossen")
    BeratungFactory(vorlage=a, oeffentlich=False, ergebnis="beschlossen")
    client.force_login(SachbearbeitungFactory())

    assert atom(client.get(reverse("oeffentlich:feed-antraege"), {"status": "beschlossen"})) == []
    inhalt = client.get(reverse("oeffentlich:feed-antraege")).content.decode()
    assert "Stand: eingegangen" in inhalt


def test_the_anfragen_feed_lists_anfragen_with_the_filters(client):
    f = anfrage(titel="Wann kommt der Bus?")
    VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=f)
    anfrage(titel="Noch offen")
    antrag(titel="Ein Antrag")

    titel = atom(client.get(reverse("oeffentlich:feed-anfragen")))
    assert [t.split(": ", 1)[1] for t in titel] == ["Noch offen", "Wann kommt der Bus?"]
    titel = atom(client.get(reverse("oeffentlich:feed-anfragen"), {"status": "beantwortet"}))
    assert len(titel) == 1 and titel[0].endswith("Wann kommt der Bus?")


@pytest.mark.parametrize(
    "parameter", [{"fraktion": "gibtsnicht"}, {"status": "erfunden"}, {"von": "2024-13-01"}, {"person": "x"}]
)
def test_an_invalid_feed_filter_is_a_400_that_names_the_field(client, parameter):
    antwort = client.get(reverse("oeffentlich:feed-antraege"), parameter)

    assert antwort.status_code == 400
    inhalt = antwort.content.decode()
    assert inhalt.startswith("Ungültiger Filter:")
    feld = AntragFilter.base_filters[next(iter(parameter))].label
    assert str(feld) in inhalt


def test_the_lists_link_their_feed_with_the_filters(client):
    fraktion("SPD", "spd")
    inhalt = client.get(reverse("vorlagen:antraege"), {"fraktion": "spd", "page": "1"}).content.decode()

    feed = reverse("oeffentlich:feed-antraege") + "?fraktion=spd"
    assert f'<link rel="alternate" type="application/atom+xml" title="Anträge (Atom)" href="{feed}">' in inhalt
    assert f'<a href="{feed}" type="application/atom+xml">' in inhalt


def test_each_persona_sees_the_antraege_the_rule_allows_with_the_status_it_may_see(client):
    ausschuss = AusschussFactory(slug="ausschuss-a")
    oeffentlich = antrag(titel="Öffentlicher Antrag")
    BeratungFactory(vorlage=oeffentlich, ausschuss=ausschuss, oeffentlich=False, ergebnis="beschlossen")
    nichtoeffentlich = antrag(titel="Nichtöffentlicher Antrag", oeffentlich=False)
    BeratungFactory(vorlage=nichtoeffentlich, ausschuss=ausschuss, oeffentlich=False)
    entwurf = antrag(titel="Entwurf eines Antrags", entwurf=True)
    personas = {
        "anonym": None,
        "nichtmitglied": mitglied_von(AusschussFactory()),
        "mitglied": mitglied_von(ausschuss),
        "sitzungsdienst": SachbearbeitungFactory(),
    }
    erwartet = {
        "anonym": ({oeffentlich.pk}, "eingegangen"),
        "nichtmitglied": ({oeffentlich.pk}, "eingegangen"),
        "mitglied": ({oeffentlich.pk, nichtoeffentlich.pk}, "beschlossen"),
        "sitzungsdienst": ({oeffentlich.pk, nichtoeffentlich.pk, entwurf.pk}, "beschlossen"),
    }
    for persona, user in personas.items():
        client.logout()
        if user:
            client.force_login(user)
        antwort = client.get(reverse("vorlagen:antraege"))
        zeilen_erwartet, stand = erwartet[persona]
        assert set(zeilen(antwort)) == zeilen_erwartet, persona
        zeile = next(v for v in antwort.context["vorlagen"] if v.pk == oeffentlich.pk)
        assert zeile.antragsstatus == stand, persona
        seite = client.get(oeffentlich.get_absolute_url()).content.decode()
        assert f"Stand: {stand}" in seite, persona
        assert client.get(entwurf.get_absolute_url()).status_code == (200 if persona == "sitzungsdienst" else 404)
