"""Wahlperioden (issue 20, item 4): the model and its rules, the filters of every list, OParl LegislativeTerm, the
importer's mapping and the demo data."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gremien.models import Mitgliedschaft, Wahlperiode
from gremien.services import wahlperiode_speichern
from oparl.models import Tombstone
from oparlimport.models import Herkunft
from protokoll.beschlussfaehigkeit import Sitzungsstand
from sitzungen.models import Sitzung, Tagesordnungspunkt
from tests.factories import (
    AusschussFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
    WahlperiodeFactory,
)
from tests.oparl_server import OparlServer, huertgenwald_laden
from tests.test_oparl import holen, validatoren, validieren  # noqa: F401 (the fixture)
from tests.test_oparl_import import importieren, kleines_system

pytestmark = pytest.mark.django_db

D = datetime.date


def zeitpunkt(tag, stunde=17):
    return timezone.make_aware(datetime.datetime.combine(tag, datetime.time(stunde)))


@pytest.fixture
def perioden():
    return {
        "alt": wahlperiode_speichern(name="2019–2024", beginn=D(2019, 7, 25), ende=D(2024, 7, 24)),
        "neu": wahlperiode_speichern(name="2024–2029", beginn=D(2024, 7, 25), ende=D(2029, 7, 24)),
    }


# The model ---------------------------------------------------------------------------------------------------------


def test_the_end_must_come_after_the_beginning_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Wahlperiode.objects.create(name="verkehrt", beginn=D(2024, 7, 25), ende=D(2024, 7, 25))


def test_dates_outside_1900_to_2200_are_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Wahlperiode.objects.create(name="Zukunft", beginn=D(2199, 1, 1), ende=D(2205, 1, 1))


def test_the_service_says_in_german_why_the_dates_are_wrong():
    with pytest.raises(ValidationError) as fehler:
        wahlperiode_speichern(name="verkehrt", beginn=D(2029, 7, 24), ende=D(2024, 7, 25))
    assert "Eine Wahlperiode muss nach ihrem Beginn enden." in fehler.value.messages


def test_an_overlapping_wahlperiode_is_refused_with_the_other_named(perioden):
    with pytest.raises(ValidationError) as fehler:
        wahlperiode_speichern(name="2022–2027", beginn=D(2022, 1, 1), ende=D(2026, 12, 31))
    # The latest overlapping term is named.
    meldung = "Die Wahlperiode überschneidet sich mit der Wahlperiode 2024–2029 (25.07.2024–24.07.2029)."
    assert fehler.value.messages == [meldung]
    assert Wahlperiode.objects.count() == 2


def test_the_database_refuses_an_overlap_that_bypasses_the_form(perioden):
    # One shared day is enough: both ends count.
    with pytest.raises(IntegrityError), transaction.atomic():
        Wahlperiode.objects.create(name="Rand", beginn=D(2029, 7, 24), ende=D(2030, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Wahlperiode.objects.filter(pk=perioden["alt"].pk).update(ende=D(2024, 8, 1))


def test_adjacent_terms_and_a_change_of_one_term_itself_are_fine(perioden):
    naechste = wahlperiode_speichern(name="2029–2034", beginn=D(2029, 7, 25), ende=D(2034, 7, 24))
    wahlperiode_speichern(name="2029–2034", beginn=D(2029, 7, 25), ende=D(2034, 7, 31), wahlperiode=naechste)
    assert Wahlperiode.objects.get(pk=naechste.pk).ende == D(2034, 7, 31)


def test_aktuelle_and_zu_datum_find_the_term_of_a_day(perioden):
    assert list(Wahlperiode.objects.zu_datum(D(2021, 11, 24))) == [perioden["alt"]]
    assert list(Wahlperiode.objects.zu_datum(D(2024, 7, 25))) == [perioden["neu"]]
    assert not Wahlperiode.objects.zu_datum(D(2030, 1, 1)).exists()
    assert Wahlperiode.objects.aktuelle(stichtag=D(2024, 7, 24)).get() == perioden["alt"]
    heute = timezone.localdate()
    assert list(Wahlperiode.objects.aktuelle()) == list(Wahlperiode.objects.zu_datum(heute))


def test_sitzungen_vorlagen_and_seats_belong_to_a_term_by_their_dates(perioden):
    alt, neu = perioden["alt"], perioden["neu"]
    # The last evening of the old term and the first morning of the new one, in local time.
    spaet = SitzungFactory(beginn=zeitpunkt(D(2024, 7, 24), 23))
    frueh = SitzungFactory(beginn=zeitpunkt(D(2024, 7, 25), 0))
    assert list(Sitzung.objects.in_wahlperiode(alt)) == [spaet]
    assert list(Sitzung.objects.in_wahlperiode(neu)) == [frueh]
    top = TagesordnungspunktFactory(sitzung=spaet)
    assert list(Tagesordnungspunkt.objects.in_wahlperiode(alt)) == [top]
    vorlage = VorlageFactory(datum=D(2024, 7, 24))
    assert list(vorlage.__class__.objects.in_wahlperiode(alt)) == [vorlage]
    # A chair's seat across both terms belongs to both.
    durchgehend = MitgliedschaftFactory(beginn=D(2020, 1, 1), ende=None)
    nur_alt = MitgliedschaftFactory(beginn=D(2019, 7, 25), ende=D(2024, 7, 24))
    assert set(Mitgliedschaft.objects.in_wahlperiode(alt)) == {durchgehend, nur_alt}
    assert set(Mitgliedschaft.objects.in_wahlperiode(neu)) == {durchgehend}


# The admin ---------------------------------------------------------------------------------------------------------


def test_the_admin_refuses_an_overlap_with_a_german_message(admin_client, perioden):
    antwort = admin_client.post(
        reverse("admin:gremien_wahlperiode_add"),
        {"name": "2022–2027", "beginn": "01.01.2022", "ende": "31.12.2026"},
    )
    assert antwort.status_code == 200
    assert "überschneidet sich mit der Wahlperiode" in antwort.content.decode()
    assert Wahlperiode.objects.count() == 2


# The lists ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def welt(perioden):
    gremium = AusschussFactory(slug="gr", name="Gemeinderat", art="gemeinderat")
    alt_sitzung = SitzungFactory(ausschuss=gremium, beginn=zeitpunkt(D(2021, 11, 24)), name="Sitzung alt")
    neu_sitzung = SitzungFactory(ausschuss=gremium, beginn=zeitpunkt(D(2025, 3, 5)), name="Sitzung neu")
    for sitzung, titel in [(alt_sitzung, "Beschluss-alt"), (neu_sitzung, "Beschluss-neu")]:
        TagesordnungspunktFactory(sitzung=sitzung, titel=titel, ergebnis="beschlossen", beschluss="Ja")
    return {
        **perioden,
        "gremium": gremium,
        "vorlage_alt": VorlageFactory(datum=D(2021, 11, 9), titel="Vorlage-alt"),
        "vorlage_neu": VorlageFactory(datum=D(2025, 2, 1), titel="Vorlage-neu"),
    }


LISTEN = [
    ("vorlagen:liste", "Vorlage-alt", "Vorlage-neu"),
    ("sitzungen:sitzung-liste", 'datetime="2021-11-24T', 'datetime="2025-03-05T'),
    ("oeffentlich:beschluesse", "Beschluss-alt", "Beschluss-neu"),
]


@pytest.mark.parametrize(("name", "alt", "neu"), LISTEN)
def test_every_list_shows_all_terms_by_default_and_one_when_chosen(client, welt, name, alt, neu):
    alles = client.get(reverse(name)).content.decode()
    assert alt in alles and neu in alles
    assert 'name="wahlperiode"' in alles and "alle Wahlperioden" in alles

    nur_alt = client.get(reverse(name), {"wahlperiode": welt["alt"].pk}).content.decode()
    assert alt in nur_alt and neu not in nur_alt
    assert f'<option value="{welt["alt"].pk}" selected>2019–2024</option>' in nur_alt
    nur_neu = client.get(reverse(name), {"wahlperiode": welt["neu"].pk}).content.decode()
    assert neu in nur_neu and alt not in nur_neu


@pytest.mark.parametrize(("name", "alt", "neu"), LISTEN)
@pytest.mark.parametrize("wert", ["999999", "zwei", "1 OR 1=1", "\x00"])
def test_an_invalid_wahlperiode_is_the_fields_german_error_not_a_500(client, welt, name, alt, neu, wert):
    antwort = client.get(reverse(name), {"wahlperiode": wert})
    assert antwort.status_code in {200, 400}
    if antwort.status_code == 200:
        inhalt = antwort.content.decode()
        fehler = inhalt.split('id="id_wahlperiode_error"', 1)[1].split("</p>", 1)[0]
        assert "keine gültige Auswahl" in fehler or "Nullzeichen sind nicht erlaubt." in fehler
        assert alt not in inhalt.split("</form>", 1)[1] and neu not in inhalt.split("</form>", 1)[1]


def test_the_beschluesse_feed_takes_the_wahlperiode_too(client, welt):
    feed = client.get(reverse("oeffentlich:feed-beschluesse"), {"wahlperiode": welt["alt"].pk}).content.decode()
    assert "Beschluss-alt" in feed and "Beschluss-neu" not in feed
    leer = client.get(reverse("oeffentlich:feed-beschluesse"), {"wahlperiode": "kaputt"})
    assert leer.status_code == 200 and "Beschluss-" not in leer.content.decode()


def test_pagination_keeps_the_wahlperiode(client, welt, settings):
    for nummer in range(settings.PAGINATE_BY + 1):
        VorlageFactory(datum=D(2021, 1, 1) + datetime.timedelta(days=nummer))
    inhalt = client.get(reverse("vorlagen:liste"), {"wahlperiode": welt["alt"].pk}).content.decode()
    assert f"?wahlperiode={welt['alt'].pk}&amp;page=2" in inhalt


def test_the_gremium_page_shows_todays_members_and_those_of_a_chosen_term(client, welt):
    gremium = welt["gremium"]
    heute = timezone.localdate()
    MitgliedschaftFactory(ausschuss=gremium, person=PersonFactory(nachname="Heutig"), beginn=D(2024, 7, 25))
    MitgliedschaftFactory(
        ausschuss=gremium, person=PersonFactory(nachname="Ehemalig"), beginn=D(2019, 7, 25), ende=D(2024, 7, 24)
    )
    assert heute >= D(2024, 7, 25)

    standard = client.get(gremium.get_absolute_url()).content.decode()
    assert "Heutig" in standard and "Ehemalig" not in standard
    assert "heute (aktuelle Mitglieder)" in standard

    frueher = client.get(gremium.get_absolute_url(), {"wahlperiode": welt["alt"].pk}).content.decode()
    assert "Ehemalig" in frueher and "Heutig" not in frueher
    assert "Mitglieder in der Wahlperiode 2019–2024" in frueher
    assert "25.07.2019 – 24.07.2024" in frueher

    falsch = client.get(gremium.get_absolute_url(), {"wahlperiode": "gibtsnicht"})
    assert falsch.status_code == 200
    assert 'id="id_wahlperiode_error"' in falsch.content.decode()
    assert "Heutig" not in falsch.content.decode()


def test_the_person_page_shows_every_seat_or_those_of_a_term(client, welt):
    person = PersonFactory()
    alt = AusschussFactory(name="Ausschuss-alt")
    neu = AusschussFactory(name="Ausschuss-neu")
    MitgliedschaftFactory(person=person, ausschuss=alt, beginn=D(2019, 7, 25), ende=D(2024, 7, 24))
    MitgliedschaftFactory(person=person, ausschuss=neu, beginn=D(2024, 7, 25))

    alles = client.get(person.get_absolute_url()).content.decode()
    assert "Ausschuss-alt" in alles and "Ausschuss-neu" in alles
    frueher = client.get(person.get_absolute_url(), {"wahlperiode": welt["alt"].pk}).content.decode()
    assert "In der Wahlperiode 2019–2024" in frueher
    assert "Ausschuss-alt" in frueher and "Ausschuss-neu" not in frueher
    falsch = client.get(person.get_absolute_url(), {"wahlperiode": "-1"})
    assert falsch.status_code == 200 and 'id="id_wahlperiode_error"' in falsch.content.decode()


def _abfragen(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as erfasst:
        assert client.get(url).status_code == 200
    return len(erfasst)


@pytest.mark.parametrize("seite", ["vorlagen", "sitzungen", "beschluesse", "gremium", "person"])
def test_filtered_pages_run_the_same_number_of_queries_for_few_and_many_rows(
    client, welt, seite, django_assert_max_num_queries
):
    gremium, person = welt["gremium"], PersonFactory()
    alt = welt["alt"].pk
    urls = {
        "vorlagen": f"{reverse('vorlagen:liste')}?wahlperiode={alt}",
        "sitzungen": f"{reverse('sitzungen:sitzung-liste')}?wahlperiode={alt}",
        "beschluesse": f"{reverse('oeffentlich:beschluesse')}?wahlperiode={alt}",
        "gremium": f"{gremium.get_absolute_url()}?wahlperiode={alt}",
        "person": f"{person.get_absolute_url()}?wahlperiode={alt}",
    }

    def anlegen(anzahl):
        for nummer in range(anzahl):
            tag = D(2020, 1, 1) + datetime.timedelta(days=nummer)
            VorlageFactory(datum=tag)
            sitzung = SitzungFactory(ausschuss=gremium, beginn=zeitpunkt(tag))
            TagesordnungspunktFactory(sitzung=sitzung, ergebnis="beschlossen", beschluss="Ja")
            MitgliedschaftFactory(ausschuss=gremium, beginn=tag, ende=D(2024, 7, 24))
            MitgliedschaftFactory(person=person, beginn=tag, ende=D(2024, 7, 24))
        WahlperiodeFactory()

    anlegen(3)
    wenige = _abfragen(client, urls[seite], django_assert_max_num_queries)
    anlegen(20)
    with django_assert_max_num_queries(wenige):
        assert client.get(urls[seite]).status_code == 200


# OParl -------------------------------------------------------------------------------------------------------------


def test_legislative_terms_are_objects_of_their_own_embedded_in_the_body_and_listed(client, perioden, validatoren):  # noqa: F811
    body = holen(client, reverse("oparl:body", kwargs={"pk": 1}))
    validieren(validatoren, body)
    eingebettet = body["legislativeTerm"]
    assert [term["name"] for term in eingebettet] == ["2019–2024", "2024–2029"]
    assert "body" not in eingebettet[0]
    # The Body changed when its terms did.
    assert body["modified"] >= eingebettet[1]["modified"]

    term = holen(client, eingebettet[0]["id"])
    validieren(validatoren, term)
    assert term["id"].endswith(reverse("oparl:legislativeterm", kwargs={"pk": perioden["alt"].pk}))
    assert term["body"] == body["id"]
    assert (term["startDate"], term["endDate"]) == ("2019-07-25", "2024-07-24")
    assert {k: v for k, v in term.items() if k != "body"} == eingebettet[0]
    assert "?wahlperiode=" in term["web"]

    liste = holen(client, body["legislativeTermList"])
    assert {t["id"] for t in liste["data"]} == {t["id"] for t in eingebettet}
    for objekt in liste["data"]:
        validieren(validatoren, objekt)


def test_a_deleted_legislative_term_leaves_a_tombstone(client, perioden, validatoren):  # noqa: F811
    adresse = reverse("oparl:legislativeterm", kwargs={"pk": perioden["alt"].pk})
    perioden["alt"].delete()
    assert Tombstone.objects.filter(typ="legislativeterm").count() == 1
    grabstein = client.get(adresse)
    assert grabstein.status_code == 200 and grabstein.json()["deleted"] is True
    validieren(validatoren, grabstein.json())


# The importer ------------------------------------------------------------------------------------------------------


def term(n, name=None, beginn="2014-06-01", ende="2020-10-31", **extra):
    return {
        "id": f"BASIS/term/{n}",
        "type": "https://schema.oparl.org/1.1/LegislativeTerm",
        "name": name or f"Wahlperiode {n}",
        "startDate": beginn,
        "endDate": ende,
        "modified": "2020-01-01T00:00:00+01:00",
        **extra,
    }


@pytest.fixture
def server():
    with OparlServer() as server:
        yield server


def test_the_importer_takes_terms_embedded_and_from_the_list_and_skips_bad_ones_with_a_reason(server):
    url = kleines_system(server)
    body = json.loads(server.routen["/bodies"][1])["data"][0]
    body["legislativeTerm"] = [
        term(1, "2014–2020"),
        term(2, beginn=None),  # no start
        term(3, beginn="2020-11-01", ende="2020-10-31"),  # ends before it begins
        term(4, beginn="2019-01-01", ende="2021-01-01"),  # overlaps term 1
        "kein Objekt",
    ]
    body["legislativeTermList"] = "BASIS/body/1/legislativeTerm"
    server.json("/bodies", {"data": [body], "links": {}})
    server.json(
        "/body/1/legislativeTerm",
        {"data": [term(1, "2014–2020"), term(5, "2020–2025", beginn="2020-11-01", ende="2025-10-31")], "links": {}},
    )

    bericht = importieren(url)

    assert list(Wahlperiode.objects.order_by("beginn").values_list("name", "beginn", "ende")) == [
        ("2014–2020", D(2014, 6, 1), D(2020, 10, 31)),
        ("2020–2025", D(2020, 11, 1), D(2025, 10, 31)),
    ]
    gruende = bericht.gruende["LegislativeTerm"]
    assert gruende["ohne Beginn oder Ende"] == 1
    assert gruende["Ende nicht nach Beginn"] == 1
    assert gruende["überschneidet sich mit der Wahlperiode 2014–2020"] == 1
    assert sum(gruende.values()) == 4
    assert bericht.zahlen["LegislativeTerm"]["angelegt"] == 2
    assert Herkunft.objects.filter(typ="LegislativeTerm").count() == 2

    # A second run changes nothing; a tombstone deletes.
    zweiter = importieren(url)
    assert zweiter.zahlen["LegislativeTerm"]["angelegt"] == 0
    assert Wahlperiode.objects.count() == 2
    server.json(
        "/body/1/legislativeTerm",
        {"data": [term(5, deleted=True, modified="2021-01-01T00:00:00+01:00")], "links": {}},
    )
    body["legislativeTerm"] = []
    server.json("/bodies", {"data": [body], "links": {}})
    importieren(url)
    assert list(Wahlperiode.objects.values_list("name", flat=True)) == ["2014–2020"]


def test_huertgenwald_body_with_terms_added_imports_them(server, tmp_path):
    """The real crawl delivers no LegislativeTerm; its Body (OParl 1.0) with two terms embedded, as a 1.0 source
    would send them, the lists left out so the test stays quick."""
    url = huertgenwald_laden(server, tmp_path / "crawl")
    pfad = next(p for p in server.routen if p.endswith("/body"))
    seite = json.loads(server.routen[pfad][1])
    body = seite["data"][0]
    for liste in ("organization", "person", "meeting", "paper"):
        body.pop(liste)
    basis = body["id"]
    body["legislativeTerm"] = [
        {
            "id": f"{basis}/legislativeterm/1",
            "type": "https://schema.oparl.org/1.0/LegislativeTerm",
            "name": "Wahlperiode 2014–2020",
            "startDate": "2014-06-01",
            "endDate": "2020-10-31",
        },
        {"id": f"{basis}/legislativeterm/2", "type": "https://schema.oparl.org/1.0/LegislativeTerm", "name": "2020"},
    ]
    server.routen[pfad] = (200, json.dumps(seite).encode())

    bericht = importieren(url)

    assert Wahlperiode.objects.get().name == "Wahlperiode 2014–2020"
    assert bericht.gruende["LegislativeTerm"] == {"ohne Beginn oder Ende": 1}


# The demo data -----------------------------------------------------------------------------------------------------


def test_the_demo_has_two_terms_and_the_seed_sitzung_has_members_on_its_day(demodaten):
    perioden = list(Wahlperiode.objects.order_by("beginn"))
    assert len(perioden) == 2
    frueher, jetzt = perioden
    assert jetzt == Wahlperiode.objects.aktuelle().get()
    assert frueher.ende == jetzt.beginn - datetime.timedelta(days=1)
    assert (frueher.name, jetzt.name) == ("2019–2024", "2024–2029")

    seed = Sitzung.objects.get(ausschuss__slug="internationaler-ausschuss", beginn__date=D(2021, 11, 24))
    assert Wahlperiode.objects.zu_datum(D(2021, 11, 24)).get() == frueher
    mitglieder = Mitgliedschaft.objects.aktuell(D(2021, 11, 24)).filter(ausschuss=seed.ausschuss)
    assert mitglieder.filter(rolle=Mitgliedschaft.Rolle.MITGLIED).count() >= 5
    assert Mitgliedschaft.objects.aktuell(D(2021, 11, 24)).filter(ausschuss__slug="gemeinderat").count() >= 15
    # Who attended were the members of that day, so the Sitzung was beschlussfähig.
    anwesend = {a.person for a in seed.anwesenheiten.all()}
    assert anwesend and anwesend <= {m.person for m in mitglieder}
    stand = Sitzungsstand(seed).beschlussfaehigkeit()
    assert stand.mitglieder >= 5 and stand.anwesend >= stand.noetig
