"""The record of a Sitzung kept by the database itself, and the one rule of the Beschlussfähigkeit."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from protokoll.beschlussfaehigkeit import Beschlussfaehigkeit, Sitzungsstand
from protokoll.models import Anwesenheit
from tests.factories import (
    AbstimmungFactory,
    AnwesenheitFactory,
    BefangenheitFactory,
    MitgliedschaftFactory,
    NiederschriftFactory,
    PersonFactory,
    SitzungFactory,
    StimmeFactory,
    TagesordnungspunktFactory,
)

pytestmark = pytest.mark.django_db


def test_a_befangen_member_can_not_get_a_vote_recorded():
    befangenheit = BefangenheitFactory()
    abstimmung = AbstimmungFactory(tagesordnungspunkt=befangenheit.tagesordnungspunkt, art="namentlich")
    with pytest.raises(IntegrityError), transaction.atomic():
        StimmeFactory(abstimmung=abstimmung, person=befangenheit.person)


def test_a_member_who_voted_can_not_be_marked_befangen_afterwards():
    stimme = StimmeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BefangenheitFactory(tagesordnungspunkt=stimme.abstimmung.tagesordnungspunkt, person=stimme.person)


def test_befangen_at_one_top_still_votes_on_another():
    befangenheit = BefangenheitFactory()
    anderer = TagesordnungspunktFactory(sitzung=befangenheit.tagesordnungspunkt.sitzung)
    StimmeFactory(
        abstimmung=AbstimmungFactory(tagesordnungspunkt=anderer, art="namentlich"), person=befangenheit.person
    )


def test_attendance_is_recorded_once_per_person_and_sitzung():
    anwesenheit = AnwesenheitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AnwesenheitFactory(sitzung=anwesenheit.sitzung, person=anwesenheit.person)


def test_vote_counts_can_not_be_negative_and_einstimmig_has_no_nein():
    with pytest.raises(IntegrityError), transaction.atomic():
        AbstimmungFactory(art="einstimmig", ja=5, nein=1)
    abstimmung = AbstimmungFactory(ja=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(abstimmung).objects.filter(pk=abstimmung.pk).update(ja=-1)


def test_a_niederschrift_is_genehmigt_only_by_a_later_sitzung():
    niederschrift = NiederschriftFactory()
    frueher = SitzungFactory(
        ausschuss=niederschrift.sitzung.ausschuss, beginn=niederschrift.sitzung.beginn - datetime.timedelta(days=7)
    )
    niederschrift.status = "genehmigt"
    niederschrift.genehmigt_in = frueher
    with pytest.raises(IntegrityError), transaction.atomic():
        niederschrift.save()
    niederschrift.genehmigt_in = niederschrift.sitzung
    with pytest.raises(IntegrityError), transaction.atomic():
        niederschrift.save()
    niederschrift.genehmigt_in = SitzungFactory(
        ausschuss=niederschrift.sitzung.ausschuss, beginn=niederschrift.sitzung.beginn + datetime.timedelta(days=28)
    )
    niederschrift.save()


@pytest.mark.parametrize(
    ("mitglieder", "anwesend", "befangen", "erwartet"),
    [
        (10, 6, 0, True),
        (10, 5, 0, False),  # exactly half is not more than half
        (10, 3, 3, True),  # § 37 Abs. 2 Satz 2: only the Befangenheit keeps it below half, a quarter suffices
        (10, 2, 4, False),  # fewer than a quarter
        (10, 2, 0, False),
        (0, 0, 0, False),
    ],
)
def test_beschlussfaehigkeit_follows_section_37(mitglieder, anwesend, befangen, erwartet):
    assert Beschlussfaehigkeit(mitglieder=mitglieder, anwesend=anwesend, befangen=befangen).beschlussfaehig is erwartet


def test_sitzungsstand_counts_arrivals_departures_and_befangene_per_top(django_assert_num_queries):
    sitzung = SitzungFactory()
    tops = [TagesordnungspunktFactory(sitzung=sitzung, nummer=str(i), reihenfolge=i) for i in range(1, 4)]
    personen = [MitgliedschaftFactory(ausschuss=sitzung.ausschuss).person for _ in range(4)]
    AnwesenheitFactory(sitzung=sitzung, person=personen[0])
    AnwesenheitFactory(sitzung=sitzung, person=personen[1], ab_top=tops[1])
    AnwesenheitFactory(sitzung=sitzung, person=personen[2], bis_top=tops[0])
    AnwesenheitFactory(sitzung=sitzung, person=personen[3], status=Anwesenheit.Status.ENTSCHULDIGT)
    AnwesenheitFactory(sitzung=sitzung, person=PersonFactory(), stimmberechtigt=False)
    BefangenheitFactory(tagesordnungspunkt=tops[2], person=personen[0])

    with django_assert_num_queries(4):
        stand = Sitzungsstand(sitzung)
    assert stand.mitglieder == 4
    assert [len(stand.stimmberechtigt_bei(top.pk)) for top in tops] == [2, 2, 1]
    assert stand.beschlussfaehigkeit(tops[0].pk).beschlussfaehig is False  # 2 of 4
    assert stand.beschlussfaehigkeit(tops[2].pk) == Beschlussfaehigkeit(mitglieder=4, anwesend=1, befangen=1)
