"""What became of an Antrag or Anfrage (``VorlageQuerySet.mit_antragsstatus``), the Anträge and Anfragen lists with
their filters, and their Atom feeds.

The status is derived, never stored, and derived as the visitor may see it: a non-public Beratung's result or a
Stellungnahme in draft must not tell the public that an Antrag was decided or an Anfrage answered.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories import (
    AusschussFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)
from vorlagen.models import Antragsstatus, Vorlage

pytestmark = pytest.mark.django_db

ANONYM = AnonymousUser()


def status(vorlage, user=ANONYM, **kwargs):
    return Vorlage.objects.mit_antragsstatus(user, **kwargs).get(pk=vorlage.pk).antragsstatus


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
