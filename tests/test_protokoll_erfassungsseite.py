"""Issue 17, item 1: the clerk's recording page, without JavaScript (forms) and with it (JSON)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Stimme
from tests.factories import (
    MitgliedschaftFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def sitzung_mit(anzahl_tops, anzahl_mitglieder=5):
    sitzung = SitzungFactory()
    mitglieder = [MitgliedschaftFactory(ausschuss=sitzung.ausschuss).person for _ in range(anzahl_mitglieder)]
    tops = []
    for i in range(1, anzahl_tops + 1):
        top = TagesordnungspunktFactory(sitzung=sitzung, nummer=str(i), reihenfolge=i)
        top.vorlagen.add(VorlageFactory(beschlussantrag=f"Beschlussantrag {i}"))
        tops.append(top)
    return sitzung, tops, mitglieder


def adresse(sitzung):
    return reverse("protokoll:erfassung", kwargs={"pk": sitzung.pk})


@pytest.fixture
def sachbearbeitung(client):
    client.force_login(SachbearbeitungFactory())
    return client


def test_anonymous_visitors_are_sent_to_the_login(client):
    sitzung, _tops, _m = sitzung_mit(1)
    antwort = client.get(adresse(sitzung))
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("konto:anmelden"))
    assert client.post(adresse(sitzung), {"aktion": "vorbelegen"}).status_code == 302
    assert not Anwesenheit.objects.exists()


def test_a_councillor_and_staff_without_the_permission_get_a_404(client):
    sitzung, _tops, mitglieder = sitzung_mit(1)
    mitglieder[0].benutzer = UserFactory()
    mitglieder[0].save()
    ohne_recht = UserFactory(is_staff=True)
    ohne_recht.user_permissions.add(Permission.objects.get(codename="nichtoeffentliches_sehen"))
    for benutzer in (mitglieder[0].benutzer, ohne_recht):
        client.force_login(benutzer)
        assert client.get(adresse(sitzung)).status_code == 404
        assert client.post(adresse(sitzung), {"aktion": "vorbelegen"}).status_code == 404
    assert not Anwesenheit.objects.exists()


def test_the_clerk_sees_members_tops_and_the_prefilled_beschlussantrag(sachbearbeitung):
    sitzung, tops, mitglieder = sitzung_mit(2)
    antwort = sachbearbeitung.get(adresse(sitzung))
    assert antwort.status_code == 200
    text = antwort.content.decode()
    for person in mitglieder:
        assert f'id="person-{person.pk}"' in text
    for top in tops:
        assert f'id="top-{top.pk}"' in text
    assert 'placeholder="Beschlussantrag 1"' in text
    assert 'aria-live="polite"' in text
    assert "Nicht beschlussfähig: 0 von 5" in text
    assert "js/erfassung.js" in text


def test_a_form_without_javascript_saves_and_returns_to_its_row(sachbearbeitung):
    sitzung, _tops, mitglieder = sitzung_mit(1)
    antwort = sachbearbeitung.post(
        adresse(sitzung), {"aktion": "anwesenheit", "person": mitglieder[0].pk, "status": "entschuldigt"}
    )
    assert antwort.status_code == 302
    assert antwort["Location"] == adresse(sitzung) + f"#person-{mitglieder[0].pk}"
    assert Anwesenheit.objects.get(person=mitglieder[0]).status == "entschuldigt"
    assert "Gespeichert." in sachbearbeitung.get(antwort["Location"]).content.decode()


def test_bad_input_without_javascript_shows_the_german_reason_with_status_400(sachbearbeitung):
    sitzung, tops, _mitglieder = sitzung_mit(1)
    sachbearbeitung.post(adresse(sitzung), {"aktion": "vorbelegen"})
    antwort = sachbearbeitung.post(
        adresse(sitzung), {"aktion": "abstimmung", "tagesordnungspunkt": tops[0].pk, "art": "offen", "ja": "9"}
    )
    assert antwort.status_code == 400
    text = antwort.content.decode()
    assert "9 Stimmen, aber nur 5 stimmberechtigte" in text
    assert f'href="#top-{tops[0].pk}"' in text
    antwort = sachbearbeitung.post(adresse(sitzung), {"aktion": "anwesenheit", "person": "x", "status": "weg"})
    assert antwort.status_code == 400
    assert "Person:" in antwort.content.decode()
    assert sachbearbeitung.post(adresse(sitzung), {"aktion": "gibt-es-nicht"}).status_code == 400


def test_json_answers_with_the_new_beschlussfaehigkeit_and_counts(sachbearbeitung):
    sitzung, tops, mitglieder = sitzung_mit(1)
    for person in mitglieder[:2]:
        daten = sachbearbeitung.post(
            adresse(sitzung), {"aktion": "anwesenheit", "person": person.pk, "status": "anwesend"}, **JSON
        ).json()
    assert daten["ok"] is True and daten["meldung"] == "gespeichert"
    assert daten["stand"]["sitzung"]["beschlussfaehig"] is False
    daten = sachbearbeitung.post(
        adresse(sitzung), {"aktion": "anwesenheit", "person": mitglieder[2].pk, "status": "anwesend"}, **JSON
    ).json()
    assert daten["stand"]["sitzung"]["beschlussfaehig"] is True
    assert daten["stand"]["tops"][str(tops[0].pk)]["anwesend"] == 3
    daten = sachbearbeitung.post(
        adresse(sitzung),
        {"aktion": "abstimmung", "tagesordnungspunkt": tops[0].pk, "art": "einstimmig", "enthaltung": "1"},
        **JSON,
    ).json()
    assert daten["abstimmung"] == {"ja": 2, "nein": 0, "enthaltung": 1}
    antwort = sachbearbeitung.post(
        adresse(sitzung), {"aktion": "abstimmung", "tagesordnungspunkt": tops[0].pk, "art": "offen", "ja": 4}, **JSON
    )
    assert antwort.status_code == 400
    assert antwort.json()["fehler"][0].startswith("4 Stimmen, aber nur 3")


def test_a_resend_after_a_lost_connection_records_nothing_twice(sachbearbeitung):
    sitzung, tops, mitglieder = sitzung_mit(1)
    sachbearbeitung.post(adresse(sitzung), {"aktion": "vorbelegen"})
    abstimmung = {
        "aktion": "abstimmung",
        "tagesordnungspunkt": tops[0].pk,
        "art": "namentlich",
        f"stimme-{mitglieder[0].pk}": "ja",
        f"stimme-{mitglieder[1].pk}": "nein",
        f"stimme-{mitglieder[2].pk}": "",
    }
    befangenheit = {"aktion": "befangenheit", "tagesordnungspunkt": tops[0].pk, "befangen": [mitglieder[4].pk]}
    for _ in range(2):
        for daten in (befangenheit, abstimmung):
            assert sachbearbeitung.post(adresse(sitzung), daten, **JSON).status_code == 200
        assert sachbearbeitung.post(adresse(sitzung), {"aktion": "vorbelegen"}, **JSON).status_code == 200
    assert Anwesenheit.objects.count() == 5
    assert Befangenheit.objects.count() == 1
    assert Abstimmung.objects.count() == 1
    assert Stimme.objects.count() == 2
    assert Abstimmung.objects.values_list("ja", "nein", "enthaltung").get() == (1, 1, 0)


def test_a_befangen_members_vote_is_refused_in_german_on_the_page(sachbearbeitung):
    sitzung, tops, mitglieder = sitzung_mit(1)
    sachbearbeitung.post(adresse(sitzung), {"aktion": "vorbelegen"})
    sachbearbeitung.post(
        adresse(sitzung), {"aktion": "befangenheit", "tagesordnungspunkt": tops[0].pk, "befangen": [mitglieder[0].pk]}
    )
    antwort = sachbearbeitung.post(
        adresse(sitzung),
        {
            "aktion": "abstimmung",
            "tagesordnungspunkt": tops[0].pk,
            "art": "namentlich",
            f"stimme-{mitglieder[0].pk}": "ja",
        },
        **JSON,
    )
    assert antwort.status_code == 400
    assert "ist bei Ö 1 befangen und stimmt nicht mit" in antwort.json()["fehler"][0]


def test_ergebnis_and_vertagen_through_the_page(sachbearbeitung):
    sitzung, tops, _mitglieder = sitzung_mit(1)
    spaeter = SitzungFactory(ausschuss=sitzung.ausschuss, beginn=sitzung.beginn + datetime.timedelta(days=7))
    daten = sachbearbeitung.post(
        adresse(sitzung), {"aktion": "ergebnis", "tagesordnungspunkt": tops[0].pk, "ergebnis": "beschlossen"}, **JSON
    ).json()
    assert daten["beschluss"] == "Beschlussantrag 1"
    sachbearbeitung.post(
        adresse(sitzung), {"aktion": "ergebnis", "tagesordnungspunkt": tops[0].pk, "ergebnis": "vertagt"}
    )
    assert "Auf spätere Sitzung setzen" in sachbearbeitung.get(adresse(sitzung)).content.decode()
    for _ in range(2):
        antwort = sachbearbeitung.post(
            adresse(sitzung), {"aktion": "vertagen", "tagesordnungspunkt": tops[0].pk, "ziel": spaeter.pk}
        )
        assert antwort.status_code == 302
    assert spaeter.tagesordnungspunkte.get().vertagt_aus == tops[0]


def test_a_top_hidden_from_the_clerk_can_not_be_recorded(client):
    sitzung, tops, _mitglieder = sitzung_mit(1)
    tops[0].oeffentlich = False
    tops[0].save()
    benutzer = UserFactory(is_staff=True)
    benutzer.user_permissions.add(Permission.objects.get(codename="change_anwesenheit"))
    client.force_login(benutzer)
    text = client.get(adresse(sitzung)).content.decode()
    assert tops[0].titel not in text
    antwort = client.post(
        adresse(sitzung), {"aktion": "ergebnis", "tagesordnungspunkt": tops[0].pk, "ergebnis": "beschlossen"}
    )
    assert antwort.status_code == 400
    tops[0].refresh_from_db()
    assert tops[0].ergebnis == ""


@pytest.mark.parametrize("anzahl_tops", [5, 60])
def test_the_page_runs_a_constant_number_of_queries(sachbearbeitung, django_assert_max_num_queries, anzahl_tops):
    sitzung, tops, mitglieder = sitzung_mit(anzahl_tops, anzahl_mitglieder=12)
    sachbearbeitung.post(adresse(sitzung), {"aktion": "vorbelegen"})
    for top in tops[:3]:
        sachbearbeitung.post(
            adresse(sitzung),
            {
                "aktion": "abstimmung",
                "tagesordnungspunkt": top.pk,
                "art": "namentlich",
                f"stimme-{mitglieder[1].pk}": "ja",
            },
        )
    with django_assert_max_num_queries(20):
        assert sachbearbeitung.get(adresse(sitzung)).status_code == 200


def test_the_sitzung_admin_leads_to_the_recording_page(sachbearbeitung):
    sitzung, _tops, _mitglieder = sitzung_mit(1)
    for seite in (
        reverse("admin:sitzungen_sitzung_changelist"),
        reverse("admin:sitzungen_sitzung_change", args=[sitzung.pk]),
    ):
        assert f'href="{adresse(sitzung)}"' in sachbearbeitung.get(seite).content.decode()
