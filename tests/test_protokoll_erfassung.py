"""Issue 17, item 1: the services that record a Sitzung as it happens (protokoll/services.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from protokoll import services
from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Stimme
from sitzungen.models import Beratung, Tagesordnungspunkt
from tests.factories import (
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def gremium():
    """A Sitzung of a Gremium with four voting members, one sachkundige Einwohnerin and one Stellvertreter."""
    sitzung = SitzungFactory()
    ausschuss = sitzung.ausschuss
    mitglieder = [MitgliedschaftFactory(ausschuss=ausschuss).person for _ in range(4)]
    sachkundig = MitgliedschaftFactory(ausschuss=ausschuss, rolle="sachkundig").person
    stellvertreter = MitgliedschaftFactory(ausschuss=ausschuss, rolle="stellvertretung").person
    tops = [TagesordnungspunktFactory(sitzung=sitzung, nummer=str(i), reihenfolge=i) for i in (1, 2, 3)]
    return sitzung, tops, mitglieder, sachkundig, stellvertreter


def test_vorbelegen_gives_each_member_one_row_and_leaves_stellvertreter_out(gremium):
    sitzung, _tops, mitglieder, sachkundig, stellvertreter = gremium
    neu = services.anwesenheiten_vorbelegen(sitzung=sitzung)
    assert {a.person for a in neu} == {*mitglieder, sachkundig}
    assert Anwesenheit.objects.get(sitzung=sitzung, person=sachkundig).stimmberechtigt is False
    assert all(Anwesenheit.objects.get(sitzung=sitzung, person=p).stimmberechtigt for p in mitglieder)
    assert services.anwesenheiten_vorbelegen(sitzung=sitzung) == []  # a second time changes nothing
    assert not Anwesenheit.objects.filter(person=stellvertreter).exists()


def test_stellvertretung_votes_only_in_place_of_a_member(gremium):
    sitzung, _tops, mitglieder, _sachkundig, stellvertreter = gremium
    ohne = services.anwesenheit_erfassen(sitzung=sitzung, person=stellvertreter)
    assert ohne.stimmberechtigt is False
    services.anwesenheit_erfassen(sitzung=sitzung, person=mitglieder[0], status="entschuldigt")
    mit = services.anwesenheit_erfassen(sitzung=sitzung, person=stellvertreter, vertritt=mitglieder[0])
    assert mit.pk == ohne.pk and mit.stimmberechtigt is True


def test_a_member_is_represented_only_once(gremium):
    sitzung, _tops, mitglieder, sachkundig, stellvertreter = gremium
    services.anwesenheit_erfassen(sitzung=sitzung, person=stellvertreter, vertritt=mitglieder[0])
    with pytest.raises(ValidationError, match="schon vertreten"):
        services.anwesenheit_erfassen(sitzung=sitzung, person=sachkundig, vertritt=mitglieder[0])


def test_absent_people_have_no_times_and_times_must_be_in_order(gremium):
    sitzung, tops, mitglieder, *_ = gremium
    entschuldigt = services.anwesenheit_erfassen(
        sitzung=sitzung, person=mitglieder[0], status="entschuldigt", ab_top=tops[1]
    )
    assert entschuldigt.ab_top is None
    with pytest.raises(ValidationError, match="„Anwesend bis“ liegt vor „anwesend ab“"):
        services.anwesenheit_erfassen(sitzung=sitzung, person=mitglieder[1], ab_top=tops[2], bis_top=tops[0])
    fremder_top = TagesordnungspunktFactory()
    with pytest.raises(ValidationError, match="anderen Sitzung"):
        services.anwesenheit_erfassen(sitzung=sitzung, person=mitglieder[1], ab_top=fremder_top)


def test_befangenheit_is_idempotent_and_refused_after_a_namentliche_stimme(gremium):
    sitzung, tops, mitglieder, *_ = gremium
    services.anwesenheiten_vorbelegen(sitzung=sitzung)
    erste = services.befangenheit_erfassen(tagesordnungspunkt=tops[0], person=mitglieder[0])
    assert services.befangenheit_erfassen(tagesordnungspunkt=tops[0], person=mitglieder[0]) == erste
    services.befangenheit_aufheben(tagesordnungspunkt=tops[0], person=mitglieder[0])
    services.befangenheit_aufheben(tagesordnungspunkt=tops[0], person=mitglieder[0])
    assert not Befangenheit.objects.exists()
    services.abstimmung_erfassen(tagesordnungspunkt=tops[1], art="namentlich", stimmen={mitglieder[1]: "ja"})
    with pytest.raises(ValidationError, match="schon namentlich abgestimmt"):
        services.befangenheit_erfassen(tagesordnungspunkt=tops[1], person=mitglieder[1])


def test_offene_abstimmung_counts_are_checked_against_those_present_and_not_befangen(gremium):
    sitzung, tops, mitglieder, *_ = gremium
    services.anwesenheiten_vorbelegen(sitzung=sitzung)  # 4 voting members and a sachkundige Einwohnerin
    services.befangenheit_erfassen(tagesordnungspunkt=tops[0], person=mitglieder[0])
    abstimmung = services.abstimmung_erfassen(tagesordnungspunkt=tops[0], art="offen", ja=2, nein=1)
    assert (abstimmung.ja, abstimmung.nein, abstimmung.enthaltung) == (2, 1, 0)
    with pytest.raises(ValidationError, match="4 Stimmen, aber nur 3 stimmberechtigte"):
        services.abstimmung_erfassen(tagesordnungspunkt=tops[0], art="offen", ja=2, nein=1, enthaltung=1)
    abstimmung.refresh_from_db()
    assert abstimmung.enthaltung == 0  # the refused write left the record as it was


def test_the_same_vote_sent_twice_is_one_abstimmung(gremium):
    sitzung, tops, *_ = gremium
    services.anwesenheiten_vorbelegen(sitzung=sitzung)
    for _ in range(2):
        services.abstimmung_erfassen(tagesordnungspunkt=tops[0], art="offen", ja=3, nein=1)
    assert Abstimmung.objects.filter(tagesordnungspunkt=tops[0]).count() == 1


def test_einstimmig_counts_all_present_entitled_members_as_ja(gremium):
    sitzung, tops, mitglieder, *_ = gremium
    services.anwesenheiten_vorbelegen(sitzung=sitzung)
    services.anwesenheit_erfassen(sitzung=sitzung, person=mitglieder[3], bis_top=tops[0])
    abstimmung = services.abstimmung_erfassen(tagesordnungspunkt=tops[1], art="einstimmig", enthaltung=1)
    assert (abstimmung.ja, abstimmung.nein, abstimmung.enthaltung) == (2, 0, 1)
    with pytest.raises(ValidationError, match="keine Gegenstimmen"):
        services.abstimmung_erfassen(tagesordnungspunkt=tops[1], art="einstimmig", nein=1)


def test_namentlich_keeps_the_counts_equal_to_its_stimmen(gremium):
    sitzung, tops, mitglieder, *_ = gremium
    services.anwesenheiten_vorbelegen(sitzung=sitzung)
    stimmen = {mitglieder[0]: "ja", mitglieder[1]: "nein", mitglieder[2]: "enthaltung"}
    abstimmung = services.abstimmung_erfassen(tagesordnungspunkt=tops[0], art="namentlich", stimmen=stimmen, ja=9)
    assert (abstimmung.ja, abstimmung.nein, abstimmung.enthaltung) == (1, 1, 1)
    stimmen = {mitglieder[0]: "nein", mitglieder[3]: "nein"}
    abstimmung = services.abstimmung_erfassen(tagesordnungspunkt=tops[0], art="namentlich", stimmen=stimmen)
    assert (abstimmung.ja, abstimmung.nein, abstimmung.enthaltung) == (0, 2, 0)
    assert dict(Stimme.objects.values_list("person", "stimme")) == {mitglieder[0].pk: "nein", mitglieder[3].pk: "nein"}
    services.abstimmung_erfassen(tagesordnungspunkt=tops[0], art="offen", ja=1)
    assert not Stimme.objects.exists()


def test_namentlich_refuses_befangene_absent_and_unentitled_people_with_a_german_message(gremium):
    sitzung, tops, mitglieder, sachkundig, _stellvertreter = gremium
    services.anwesenheiten_vorbelegen(sitzung=sitzung)
    services.befangenheit_erfassen(tagesordnungspunkt=tops[0], person=mitglieder[0])
    services.anwesenheit_erfassen(sitzung=sitzung, person=mitglieder[1], status="unentschuldigt")
    for person, meldung in (
        (mitglieder[0], "befangen und stimmt nicht mit"),
        (mitglieder[1], "nicht als anwesend und stimmberechtigt erfasst"),
        (sachkundig, "nicht als anwesend und stimmberechtigt erfasst"),
    ):
        with pytest.raises(ValidationError, match=meldung):
            services.abstimmung_erfassen(tagesordnungspunkt=tops[0], art="namentlich", stimmen={person: "ja"})
    with pytest.raises(ValidationError, match="Ja, Nein oder Enthaltung"):
        services.abstimmung_erfassen(
            tagesordnungspunkt=tops[0], art="namentlich", stimmen={mitglieder[2]: "vielleicht"}
        )
    with pytest.raises(ValidationError, match="nur bei einer namentlichen"):
        services.abstimmung_erfassen(tagesordnungspunkt=tops[0], art="offen", stimmen={mitglieder[2]: "ja"})
    assert not Abstimmung.objects.exists()


def test_ergebnis_prefills_the_beschluss_from_the_beschlussantrag_and_moves_the_beratungen():
    vorlage = VorlageFactory(beschlussantrag="Der Gemeinderat beschließt die Sanierung.")
    top = TagesordnungspunktFactory()
    top.vorlagen.add(vorlage)
    beratung = BeratungFactory(vorlage=vorlage, ausschuss=top.sitzung.ausschuss, sitzung=top.sitzung)
    beratung.tagesordnungspunkt = top
    beratung.save()
    services.ergebnis_erfassen(tagesordnungspunkt=top, ergebnis="beschlossen")
    top.refresh_from_db()
    assert top.beschluss == "Der Gemeinderat beschließt die Sanierung."
    assert Beratung.objects.get(pk=beratung.pk).ergebnis == "beschlossen"
    services.ergebnis_erfassen(tagesordnungspunkt=top, ergebnis="abgelehnt", beschluss="Abgelehnt wie beantragt.")
    top.refresh_from_db()
    assert top.beschluss == "Abgelehnt wie beantragt."
    assert Beratung.objects.get(pk=beratung.pk).ergebnis == "abgelehnt"


def test_ergebnis_keeps_a_beratung_result_set_by_hand():
    top = TagesordnungspunktFactory()
    beratung = BeratungFactory(ausschuss=top.sitzung.ausschuss, sitzung=top.sitzung, ergebnis="erledigt")
    beratung.tagesordnungspunkt = top
    beratung.save()
    services.ergebnis_erfassen(tagesordnungspunkt=top, ergebnis="kenntnis_genommen")
    assert Beratung.objects.get(pk=beratung.pk).ergebnis == "erledigt"


def test_ergebnis_refuses_an_unknown_result():
    with pytest.raises(ValidationError):
        services.ergebnis_erfassen(tagesordnungspunkt=TagesordnungspunktFactory(), ergebnis="vielleicht")


def test_a_vertagter_top_goes_onto_a_later_sitzung_with_its_vorlagen_and_history():
    vorlage = VorlageFactory()
    top = TagesordnungspunktFactory(ergebnis="vertagt", titel="Sanierung der Schule")
    top.vorlagen.add(vorlage)
    spaeter = SitzungFactory(ausschuss=top.sitzung.ausschuss, beginn=top.sitzung.beginn + datetime.timedelta(days=14))
    TagesordnungspunktFactory(sitzung=spaeter, nummer="1", reihenfolge=1)
    neu = services.top_vertagen(tagesordnungspunkt=top, sitzung=spaeter)
    assert (neu.sitzung, neu.vertagt_aus, neu.titel, neu.nummer, neu.reihenfolge) == (
        spaeter,
        top,
        "Sanierung der Schule",
        "2",
        2,
    )
    assert list(neu.vorlagen.all()) == [vorlage]
    assert Beratung.objects.filter(vorlage=vorlage, tagesordnungspunkt=neu, sitzung=spaeter).exists()
    assert services.top_vertagen(tagesordnungspunkt=top, sitzung=spaeter) == neu  # sent twice: one TOP
    assert Tagesordnungspunkt.objects.get(pk=top.pk).ergebnis == "vertagt"


def test_top_vertagen_refuses_wrong_results_gremien_and_dates():
    top = TagesordnungspunktFactory(ergebnis="beschlossen")
    spaeter = SitzungFactory(ausschuss=top.sitzung.ausschuss, beginn=top.sitzung.beginn + datetime.timedelta(days=14))
    with pytest.raises(ValidationError, match="Nur ein vertagter"):
        services.top_vertagen(tagesordnungspunkt=top, sitzung=spaeter)
    top.ergebnis = "abgesetzt"
    with pytest.raises(ValidationError, match="desselben Gremiums"):
        services.top_vertagen(tagesordnungspunkt=top, sitzung=SitzungFactory(beginn=spaeter.beginn))
    frueher = SitzungFactory(ausschuss=top.sitzung.ausschuss, beginn=top.sitzung.beginn - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="spätere Sitzung"):
        services.top_vertagen(tagesordnungspunkt=top, sitzung=frueher)


def test_anwesenheit_of_a_stranger_is_not_stimmberechtigt():
    anwesenheit = services.anwesenheit_erfassen(sitzung=SitzungFactory(), person=PersonFactory())
    assert anwesenheit.stimmberechtigt is False


def test_the_demo_records_the_seed_sitzung_and_a_gemeinderat_with_namentlich_and_befangenheit(demodaten):
    from protokoll.beschlussfaehigkeit import Sitzungsstand
    from sitzungen.models import Sitzung

    seed = Sitzung.objects.get(beginn__date=datetime.date(2021, 11, 24))
    assert seed.anwesenheiten.filter(status="anwesend").count() >= 3
    assert seed.anwesenheiten.filter(status="entschuldigt").count() == 1
    assert seed.tagesordnungspunkte.get(nummer="1", oeffentlich=True).ergebnis == "kenntnis_genommen"

    namentlich = Abstimmung.objects.get(art="namentlich")
    gemeinderat = namentlich.tagesordnungspunkt.sitzung
    assert gemeinderat.ausschuss.slug == "gemeinderat"
    assert namentlich.stimmen.count() == namentlich.ja + namentlich.nein + namentlich.enthaltung > 0
    assert namentlich.angenommen
    befangenheit = Befangenheit.objects.get(tagesordnungspunkt__sitzung=gemeinderat)
    stand = Sitzungsstand(gemeinderat)
    assert stand.beschlussfaehigkeit(befangenheit.tagesordnungspunkt_id).befangen == 1
    assert stand.beschlussfaehigkeit().beschlussfaehig
    assert gemeinderat.anwesenheiten.exclude(ab_top=None).count() == 1
