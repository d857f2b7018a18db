"""What the public and councillors see of the record of a Sitzung (issue 17, items 4 and 6): the Sitzung page, the
Vorlage page, the person page, the list of Beschlüsse with its Atom feed, and the Sitzungsgeld for the Hauptamt."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from protokoll.sitzungsgeld import zelle
from sitzungen.models import Sitzung
from tests.factories import (
    AbstimmungFactory,
    AnwesenheitFactory,
    AusschussFactory,
    BefangenheitFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    StimmeFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def vor(tagen):
    return timezone.now() - datetime.timedelta(days=tagen)


def text(client, url):
    antwort = client.get(url)
    assert antwort.status_code == 200, url
    return antwort.content.decode()


@pytest.fixture
def sitzung():
    """A held public Sitzung: a public TOP with votes of every kind and a Befangenheit, a non-public TOP whose
    record carries canaries, and attendance of every kind."""
    sitzung = SitzungFactory(beginn=vor(10), status=Sitzung.Status.ABGESCHLOSSEN, ausschuss__name="Bauausschuss")
    oeffentlich = TagesordnungspunktFactory(
        sitzung=sitzung, nummer="1", reihenfolge=1, titel="Neubau Kita", ergebnis="beschlossen", beschluss="Bauen."
    )
    zweiter = TagesordnungspunktFactory(sitzung=sitzung, nummer="2", reihenfolge=2, titel="Radweg")
    geheim = TagesordnungspunktFactory(
        sitzung=sitzung,
        nummer="1",
        reihenfolge=3,
        oeffentlich=False,
        titel="kanarie-geheim-titel",
        ergebnis="beschlossen",
        beschluss="kanarie-geheim-beschluss",
    )
    anna = PersonFactory(vorname="Anna", nachname="Alt")
    bert = PersonFactory(vorname="Bert", nachname="Bau")
    cora = PersonFactory(vorname="Cora", nachname="Chor")
    dora = PersonFactory(vorname="Dora", nachname="Dorn")
    emil = PersonFactory(vorname="Emil", nachname="Eck")
    AnwesenheitFactory(sitzung=sitzung, person=anna, bis_top=zweiter)
    AnwesenheitFactory(sitzung=sitzung, person=bert, ab_top=zweiter, vertritt=emil, bemerkung="kam später")
    AnwesenheitFactory(sitzung=sitzung, person=cora, status="entschuldigt")
    AnwesenheitFactory(sitzung=sitzung, person=dora, status="unentschuldigt")
    AbstimmungFactory(tagesordnungspunkt=oeffentlich, reihenfolge=1, gegenstand="Änderungsantrag", ja=3, nein=2)
    namentlich = AbstimmungFactory(tagesordnungspunkt=oeffentlich, reihenfolge=2, art="namentlich", ja=1, nein=1)
    StimmeFactory(abstimmung=namentlich, person=anna, stimme="ja")
    StimmeFactory(abstimmung=namentlich, person=bert, stimme="nein")
    AbstimmungFactory(tagesordnungspunkt=zweiter, art="einstimmig", ja=5)
    BefangenheitFactory(tagesordnungspunkt=oeffentlich, person=cora, grund="Grundstücksnachbarin")
    geheime_abstimmung = AbstimmungFactory(
        tagesordnungspunkt=geheim, art="namentlich", gegenstand="kanarie-geheim-gegenstand", ja=1
    )
    StimmeFactory(abstimmung=geheime_abstimmung, person=anna, stimme="ja")
    BefangenheitFactory(tagesordnungspunkt=geheim, person=bert, grund="kanarie-geheim-grund")
    return {"sitzung": sitzung, "oeffentlich": oeffentlich, "geheim": geheim, "anna": anna, "bert": bert}


def mitglied_von(ausschuss):
    benutzer = UserFactory()
    MitgliedschaftFactory(person=PersonFactory(benutzer=benutzer), ausschuss=ausschuss)
    return benutzer


# The Sitzung page


def test_sitzung_page_shows_attendance_with_times_vertretung_and_absences(client, sitzung):
    seite = text(client, sitzung["sitzung"].get_absolute_url())

    assert 'id="anwesenheit"' in seite
    assert "bis Ö 2" in seite
    assert "ab Ö 2" in seite
    assert "in Vertretung für Emil Eck" in seite
    assert "kam später" in seite
    for status in ("entschuldigt", "unentschuldigt"):
        assert f'<td data-label="Anwesenheit">{status}</td>' in seite


def test_sitzung_page_shows_votes_namentlich_einstimmig_and_befangenheit_of_visible_tops(client, sitzung):
    seite = text(client, sitzung["sitzung"].get_absolute_url())

    assert "Änderungsantrag:</strong> 3 Ja, 2 Nein, 0 Enthaltungen" in seite
    assert "(namentlich)" in seite
    assert '<dt>Ja</dt><dd><a href="' in seite and ">Anna Alt</a></dd>" in seite
    assert ">Bert Bau</a></dd>" in seite
    assert "einstimmig" in seite
    assert "Cora Chor – Grundstücksnachbarin" in seite
    assert "Bauen." in seite


def test_sitzung_page_shows_nothing_of_the_record_of_a_hidden_top(client, sitzung):
    anonym = text(client, sitzung["sitzung"].get_absolute_url())
    client.force_login(mitglied_von(sitzung["sitzung"].ausschuss))
    mitglied = text(client, sitzung["sitzung"].get_absolute_url())

    for kanarie in ("titel", "beschluss", "gegenstand", "grund"):
        assert f"kanarie-geheim-{kanarie}" not in anonym
        assert f"kanarie-geheim-{kanarie}" in mitglied


def sitzung_mit_tops(anzahl, ausschuss):
    sitzung = SitzungFactory(ausschuss=ausschuss, beginn=vor(3))
    personen = [PersonFactory() for _ in range(4)]
    for person in personen:
        AnwesenheitFactory(sitzung=sitzung, person=person)
    for i in range(anzahl):
        top = TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=i % 3 != 0, ergebnis="beschlossen", beschluss="B")
        top.vorlagen.add(VorlageFactory())
        AbstimmungFactory(tagesordnungspunkt=top, reihenfolge=1, ja=2)
        namentlich = AbstimmungFactory(tagesordnungspunkt=top, reihenfolge=2, art="namentlich", ja=2)
        StimmeFactory(abstimmung=namentlich, person=personen[0])
        StimmeFactory(abstimmung=namentlich, person=personen[1])
        BefangenheitFactory(tagesordnungspunkt=top, person=personen[2])
    return sitzung


@pytest.mark.parametrize("angemeldet", [False, True], ids=["anonym", "mitglied"])
def test_sitzung_page_runs_the_same_number_of_queries_for_5_and_60_tops(
    client, angemeldet, django_assert_max_num_queries
):
    ausschuss = AusschussFactory()
    if angemeldet:
        client.force_login(mitglied_von(ausschuss))
    klein = sitzung_mit_tops(5, ausschuss)
    gross = sitzung_mit_tops(60, ausschuss)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as erfasst:
        assert client.get(klein.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(erfasst)):
        antwort = client.get(gross.get_absolute_url())
    assert antwort.status_code == 200
    assert antwort.content.decode().count('class="top-abstimmung"') == 2 * 60 - (2 * 20 if not angemeldet else 0)


# The Vorlage page


def test_vorlage_page_shows_each_beratungs_result_and_the_votes_of_a_visible_top_with_a_link(client, sitzung):
    vorlage = VorlageFactory()
    for top in (sitzung["oeffentlich"], sitzung["geheim"]):
        top.vorlagen.add(vorlage)
        BeratungFactory(
            vorlage=vorlage,
            ausschuss=top.sitzung.ausschuss,
            sitzung=top.sitzung,
            tagesordnungspunkt=top,
            ergebnis="beschlossen",
            oeffentlich=top.oeffentlich,
        )

    seite = text(client, vorlage.get_absolute_url())

    assert "3 Ja, 2 Nein, 0 Enthaltungen" in seite
    assert f'href="{sitzung["oeffentlich"].get_absolute_url()}"' in seite
    assert f'href="{sitzung["geheim"].get_absolute_url()}"' not in seite
    assert "1 Ja, 0 Nein" not in seite  # the vote of the hidden TOP


def test_vorlage_page_runs_the_same_number_of_queries_for_5_and_50_beratungen_with_votes(
    client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def vorlage_mit_beratungen(anzahl):
        vorlage = VorlageFactory()
        for i in range(anzahl):
            top = TagesordnungspunktFactory(sitzung__beginn=vor(i + 1), oeffentlich=i % 2 == 0, ergebnis="beschlossen")
            AbstimmungFactory(tagesordnungspunkt=top, ja=4)
            BeratungFactory(
                vorlage=vorlage,
                ausschuss=top.sitzung.ausschuss,
                sitzung=top.sitzung,
                tagesordnungspunkt=top,
                oeffentlich=top.oeffentlich,
            )
        return vorlage

    wenige = vorlage_mit_beratungen(5)
    viele = vorlage_mit_beratungen(50)

    with CaptureQueriesContext(connection) as erfasst:
        assert client.get(wenige.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(erfasst)):
        antwort = client.get(viele.get_absolute_url())
    assert antwort.content.decode().count("4 Ja, 0 Nein, 0 Enthaltungen") == 25


# The person page


def test_person_page_counts_attendance_in_the_last_twelve_months_by_default(client, sitzung):
    anna = sitzung["anna"]
    AnwesenheitFactory(person=anna, sitzung=SitzungFactory(beginn=vor(400)), status="entschuldigt")
    AnwesenheitFactory(person=anna, sitzung=SitzungFactory(beginn=vor(30)), status="entschuldigt")

    antwort = client.get(anna.get_absolute_url())
    zahlen = dict(antwort.context["anwesenheit_zahlen"])

    assert zahlen == {"anwesend": 1, "entschuldigt": 1, "unentschuldigt": 0}
    assert len(antwort.context["anwesenheiten"]) == 2


def test_person_page_counts_attendance_in_a_chosen_period(client, sitzung):
    anna = sitzung["anna"]
    alt = vor(400)
    AnwesenheitFactory(person=anna, sitzung=SitzungFactory(beginn=alt), status="unentschuldigt")
    tag = timezone.localdate(alt).isoformat()

    antwort = client.get(f"{anna.get_absolute_url()}?von={tag}&bis={tag}")

    assert dict(antwort.context["anwesenheit_zahlen"]) == {"anwesend": 0, "entschuldigt": 0, "unentschuldigt": 1}


@pytest.mark.parametrize(
    "abfrage, meldung",
    [
        ("von=kein-datum", "Bitte ein gültiges Datum eingeben."),
        ("von=0001-01-01", "Das Datum muss zwischen 1900 und 2200 liegen."),
        ("von=2024-05-01&bis=2024-01-01", "„Von“ muss vor „Bis“ liegen oder derselbe Tag sein."),
    ],
)
def test_person_page_answers_an_invalid_period_with_a_german_error_and_no_rows(client, sitzung, abfrage, meldung):
    antwort = client.get(f"{sitzung['anna'].get_absolute_url()}?{abfrage}")

    assert antwort.status_code == 200
    assert meldung in antwort.content.decode()
    assert not antwort.context["anwesenheiten"]
    assert not antwort.context["stimmen_seite"].object_list


def test_person_page_lists_namentliche_votes_only_of_tops_the_user_may_see(client, sitzung):
    anna = sitzung["anna"]
    anonym = text(client, anna.get_absolute_url())
    client.force_login(mitglied_von(sitzung["sitzung"].ausschuss))
    mitglied = text(client, anna.get_absolute_url())

    assert "Neubau Kita" in anonym
    assert "kanarie-geheim" not in anonym
    assert "kanarie-geheim-titel" in mitglied and "kanarie-geheim-gegenstand" in mitglied


def person_mit_stimmen(anzahl, ausschuss):
    person = PersonFactory()
    for i in range(anzahl):
        sitzung = SitzungFactory(ausschuss=ausschuss, beginn=vor(1 + i % 300))
        AnwesenheitFactory(sitzung=sitzung, person=person) if i < 50 else None
        top = TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=i % 2 == 0)
        StimmeFactory(abstimmung__tagesordnungspunkt=top, person=person, stimme="nein")
    return person


def test_person_page_pages_the_votes_and_keeps_the_period(client):
    person = person_mit_stimmen(60, AusschussFactory())
    von = (timezone.localdate() - datetime.timedelta(days=300)).isoformat()

    seite = text(client, f"{person.get_absolute_url()}?von={von}&page=1")

    assert f'href="?von={von}&amp;page=2"' in seite


def test_person_page_runs_the_same_number_of_queries_for_10_and_500_votes(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ausschuss = AusschussFactory()
    client.force_login(mitglied_von(ausschuss))
    wenige = person_mit_stimmen(10, ausschuss)
    viele = person_mit_stimmen(500, ausschuss)

    with CaptureQueriesContext(connection) as erfasst:
        assert client.get(wenige.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(erfasst)):
        antwort = client.get(viele.get_absolute_url())
    assert antwort.status_code == 200
    assert antwort.context["stimmen_seite"].paginator.count == 500


# The list of Beschlüsse and its feed


def test_beschluesse_list_shows_visible_beschluesse_newest_first(client, sitzung):
    neuer = TagesordnungspunktFactory(
        sitzung=SitzungFactory(beginn=vor(2)), titel="Neuerer Beschluss", ergebnis="abgelehnt", beschluss="Nein."
    )
    TagesordnungspunktFactory(sitzung=SitzungFactory(beginn=vor(1)), titel="Ohne Ergebnis", beschluss="x")

    anonym = client.get(reverse("oeffentlich:beschluesse"))
    client.force_login(mitglied_von(sitzung["sitzung"].ausschuss))
    mitglied = client.get(reverse("oeffentlich:beschluesse"))

    assert list(anonym.context["beschluesse"]) == [neuer, sitzung["oeffentlich"]]
    assert "kanarie-geheim" not in anonym.content.decode()
    assert "3 Ja, 2 Nein, 0 Enthaltungen" in anonym.content.decode()
    assert list(mitglied.context["beschluesse"]) == [neuer, sitzung["oeffentlich"], sitzung["geheim"]]


def test_beschluesse_list_filters_by_committee_and_date(client, sitzung):
    anderer = TagesordnungspunktFactory(
        sitzung=SitzungFactory(beginn=vor(40), ausschuss__slug="umwelt"), ergebnis="beschlossen", beschluss="Ja."
    )
    tag = timezone.localdate(vor(40)).isoformat()
    url = reverse("oeffentlich:beschluesse")

    assert list(client.get(f"{url}?ausschuss=umwelt").context["beschluesse"]) == [anderer]
    assert list(client.get(f"{url}?von={tag}&bis={tag}").context["beschluesse"]) == [anderer]
    slug = sitzung["sitzung"].ausschuss.slug
    assert list(client.get(f"{url}?ausschuss={slug}").context["beschluesse"]) == [sitzung["oeffentlich"]]


@pytest.mark.parametrize("abfrage", ["von=kein-datum", "bis=0001-01-01", "ausschuss=gibt-es-nicht"])
def test_beschluesse_list_answers_invalid_filters_with_a_german_error_and_an_empty_list(client, sitzung, abfrage):
    antwort = client.get(f"{reverse('oeffentlich:beschluesse')}?{abfrage}")

    assert antwort.status_code == 200
    assert not list(antwort.context["beschluesse"])
    assert 'class="fehler"' in antwort.content.decode()


def test_beschluesse_list_pages_keep_the_filters(client, settings):
    ausschuss = AusschussFactory(slug="rat")
    for i in range(settings.PAGINATE_BY + 1):
        TagesordnungspunktFactory(
            sitzung__ausschuss=ausschuss, sitzung__beginn=vor(i + 1), ergebnis="beschlossen", beschluss="B"
        )

    seite = text(client, f"{reverse('oeffentlich:beschluesse')}?ausschuss=rat")

    assert 'href="?ausschuss=rat&amp;page=2"' in seite


def test_beschluesse_list_runs_the_same_number_of_queries_for_5_and_50_rows(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def anlegen(anzahl):
        for _ in range(anzahl):
            top = TagesordnungspunktFactory(sitzung__beginn=vor(2), ergebnis="beschlossen", beschluss="B")
            top.vorlagen.add(VorlageFactory())
            AbstimmungFactory(tagesordnungspunkt=top, ja=1)

    url = reverse("oeffentlich:beschluesse")
    anlegen(5)
    with CaptureQueriesContext(connection) as erfasst:
        client.get(url)
    anlegen(45)
    with django_assert_max_num_queries(len(erfasst)):
        assert client.get(url).status_code == 200


def atom(client, url):
    antwort = client.get(url)
    assert antwort.status_code == 200
    assert antwort["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(antwort.content)


def test_beschluesse_feed_is_valid_atom_with_the_public_beschluesse_even_for_a_member(client, sitzung):
    client.force_login(mitglied_von(sitzung["sitzung"].ausschuss))

    feed = atom(client, reverse("oeffentlich:feed-beschluesse"))
    eintraege = list(feed.iter(f"{ATOM}entry"))

    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}title") == "Beschlüsse"
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    assert len(eintraege) == 1
    eintrag = eintraege[0]
    assert eintrag.findtext(f"{ATOM}title") == "Bauausschuss: Ö 1 Neubau Kita"
    assert eintrag.find(f"{ATOM}link").get("href").endswith(sitzung["oeffentlich"].get_absolute_url())
    assert eintrag.findtext(f"{ATOM}id") and eintrag.findtext(f"{ATOM}updated")
    assert "Bauen." in eintrag.findtext(f"{ATOM}summary")
    assert b"kanarie-geheim" not in client.get(reverse("oeffentlich:feed-beschluesse")).content


def test_beschluesse_feed_takes_the_filters_of_the_list(client, sitzung):
    TagesordnungspunktFactory(
        sitzung=SitzungFactory(beginn=vor(40), ausschuss__slug="umwelt"),
        titel="Umweltbeschluss",
        ergebnis="beschlossen",
        beschluss="Ja.",
    )
    url = reverse("oeffentlich:feed-beschluesse")

    titel = [e.findtext(f"{ATOM}title") for e in atom(client, f"{url}?ausschuss=umwelt").iter(f"{ATOM}entry")]
    leer = list(atom(client, f"{url}?von=kein-datum").iter(f"{ATOM}entry"))

    assert len(titel) == 1 and "Umweltbeschluss" in titel[0]
    assert leer == []


def test_beschluesse_feed_escapes_markup_and_drops_control_characters(client):
    top = TagesordnungspunktFactory(
        sitzung__beginn=vor(1), titel="Titel", ergebnis="beschlossen", beschluss="<script>alert(1)</script>\x0bText"
    )
    top.titel = "Mit\x07Glocke"  # as from an import before the validator
    top.save()

    antwort = client.get(reverse("oeffentlich:feed-beschluesse"))
    eintrag = next(ET.fromstring(antwort.content).iter(f"{ATOM}entry"))

    assert b"\x07" not in antwort.content and b"\x0b" not in antwort.content
    assert eintrag.findtext(f"{ATOM}title").endswith("Mit Glocke")
    assert "&lt;script&gt;" in eintrag.findtext(f"{ATOM}summary")


# Sitzungsgeld


@pytest.fixture
def hauptamt(client):
    benutzer = UserFactory(is_staff=True)
    benutzer.user_permissions.add(Permission.objects.get(codename="view_sitzungsgeld"))
    client.force_login(benutzer)
    return client


@pytest.fixture
def sitzungsgeld_daten():
    heute = timezone.localdate()
    anna = PersonFactory(vorname="Anna", nachname="Alt", fraktion=AusschussFactory(art="fraktion", name="=SUMME(A1)"))
    bert = PersonFactory(vorname="-Bert", nachname="@Bau")
    for tage in (5, 6):
        AnwesenheitFactory(sitzung=SitzungFactory(beginn=vor(tage)), person=anna)
    AnwesenheitFactory(sitzung=SitzungFactory(beginn=vor(7)), person=anna, vertritt=bert)
    AnwesenheitFactory(sitzung=SitzungFactory(beginn=vor(8)), person=anna, status="entschuldigt")
    AnwesenheitFactory(sitzung=SitzungFactory(beginn=vor(9), status=Sitzung.Status.ABGESAGT), person=anna)
    AnwesenheitFactory(sitzung=SitzungFactory(beginn=vor(500)), person=anna)
    AnwesenheitFactory(sitzung=SitzungFactory(beginn=vor(5)), person=bert)
    return {"von": (heute - datetime.timedelta(days=30)).isoformat(), "bis": heute.isoformat()}


def csv_zeilen(antwort):
    inhalt = antwort.content.decode("utf-8")
    assert inhalt.startswith("\ufeff")
    return list(csv.reader(io.StringIO(inhalt[1:]), delimiter=";"))


def test_sitzungsgeld_csv_counts_each_sitzung_once_per_person_and_is_safe_for_excel(hauptamt, sitzungsgeld_daten):
    antwort = hauptamt.get(reverse("admin:protokoll_sitzungsgeld_csv"), sitzungsgeld_daten)

    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in antwort["Content-Disposition"]
    zeilen = csv_zeilen(antwort)
    assert zeilen[0] == ["Nachname", "Vorname", "Fraktion", "Sitzungen", "davon in Vertretung"]
    assert zeilen[1:] == [["'@Bau", "'-Bert", "", "1", "0"], ["Alt", "Anna", "'=SUMME(A1)", "3", "1"]]


@pytest.mark.parametrize(
    "wert, erwartet", [("=1+1", "'=1+1"), ("+49", "'+49"), ("-x", "'-x"), ("@a", "'@a"), ("a=b", "a=b"), (3, 3)]
)
def test_sitzungsgeld_cells_starting_a_formula_are_prefixed(wert, erwartet):
    assert zelle(wert) == erwartet


def test_sitzungsgeld_csv_refuses_an_invalid_period_with_a_german_reason(hauptamt):
    antwort = hauptamt.get(reverse("admin:protokoll_sitzungsgeld_csv"), {"von": "2024-05-01", "bis": "2024-01-01"})

    assert antwort.status_code == 400
    assert "„Von“ muss vor „Bis“ liegen" in antwort.content.decode()


def test_sitzungsgeld_admin_view_shows_the_period_form_and_the_table(hauptamt, sitzungsgeld_daten):
    antwort = hauptamt.get(reverse("admin:protokoll_sitzungsgeld_changelist"), sitzungsgeld_daten)
    seite = antwort.content.decode()

    assert antwort.status_code == 200
    assert '<th scope="row">Alt, Anna</th>' in seite
    assert "<td>3</td>" in seite
    assert reverse("admin:protokoll_sitzungsgeld_csv") in seite
    assert 'name="von"' in seite and 'name="bis"' in seite


def test_sitzungsgeld_is_linked_from_the_admin_index(hauptamt):
    assert reverse("admin:protokoll_sitzungsgeld_changelist") in hauptamt.get(reverse("admin:index")).content.decode()


def test_sitzungsgeld_needs_its_permission(client, sitzungsgeld_daten):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("admin:protokoll_sitzungsgeld_changelist")).status_code == 403
    assert client.get(reverse("admin:protokoll_sitzungsgeld_csv"), sitzungsgeld_daten).status_code == 403
    client.logout()
    assert client.get(reverse("admin:protokoll_sitzungsgeld_csv")).status_code == 302
