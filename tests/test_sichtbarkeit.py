"""The visibility rule (gremien/sichtbarkeit.py) at its edges, through the querysets and ``darf_sehen``.

Every check asks both routes: the list route (``Model.objects.sichtbar_fuer(user)``) and the single-object
predicate (``darf_sehen``); for TOPs also the annotation the agenda pages use (``mit_sichtbarkeit``). They must
agree, or lists and detail pages could disagree.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.utils import timezone

from gremien.models import Ausschuss, Mitgliedschaft
from gremien.sichtbarkeit import darf_sehen
from sitzungen.models import Tagesordnungspunkt
from tests.factories import (
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    GroupFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)

pytestmark = pytest.mark.django_db

HEUTE = timezone.localdate
EIN_TAG = datetime.timedelta(days=1)


def sichtbar(user, bestand):
    """The names of the objects in ``bestand`` that ``user`` may see; all routes of the rule must agree."""
    namen = set()
    for name, objekt in bestand.items():
        model = type(objekt)
        in_liste = objekt.pk in set(model.objects.sichtbar_fuer(user).values_list("pk", flat=True))
        assert darf_sehen(user, objekt) == in_liste, f"darf_sehen and sichtbar_fuer disagree on {name}"
        if model is Tagesordnungspunkt:
            markiert = model.objects.mit_sichtbarkeit(user).get(pk=objekt.pk).inhalt_sichtbar
            assert bool(markiert) == in_liste, f"mit_sichtbarkeit and sichtbar_fuer disagree on {name}"
        if in_liste:
            namen.add(name)
    return namen


@pytest.fixture
def ausschuss():
    return AusschussFactory(name="Ausschuss für Kanten", slug="kanten")


@pytest.fixture
def bestand(ausschuss):
    """Public and non-public matters of one committee, one of each kind."""
    b = {}
    b["vorlage_oeffentlich"] = VorlageFactory()
    b["beratung_oeffentlich"] = BeratungFactory(vorlage=b["vorlage_oeffentlich"], ausschuss=ausschuss)
    b["anlage_oeffentlich"] = AnlageFactory(vorlage=b["vorlage_oeffentlich"])
    b["anlage_np"] = AnlageFactory(vorlage=b["vorlage_oeffentlich"], oeffentlich=False)
    b["vorlage_np"] = VorlageFactory(oeffentlich=False)
    b["beratung_np"] = BeratungFactory(vorlage=b["vorlage_np"], ausschuss=ausschuss, oeffentlich=False)
    b["anlage_von_vorlage_np"] = AnlageFactory(vorlage=b["vorlage_np"])
    sitzung = SitzungFactory(ausschuss=ausschuss)
    b["top_oeffentlich"] = TagesordnungspunktFactory(sitzung=sitzung)
    b["top_np"] = TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=False)
    b["top_np"].vorlagen.set([b["vorlage_np"]])
    return b


OEFFENTLICH = {"vorlage_oeffentlich", "beratung_oeffentlich", "anlage_oeffentlich", "top_oeffentlich"}
GREMIUM = OEFFENTLICH | {"anlage_np", "vorlage_np", "beratung_np", "anlage_von_vorlage_np", "top_np"}


def konto_mit_sitz(ausschuss, **mitgliedschaft):
    """A user whose Person has one seat in ``ausschuss`` (current unless dates say otherwise)."""
    person = PersonFactory(benutzer=UserFactory(password=None))
    MitgliedschaftFactory(person=person, ausschuss=ausschuss, **mitgliedschaft)
    return person.benutzer


def sachbearbeitung_mit_recht():
    user = UserFactory(password=None, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="nichtoeffentliches_sehen"))
    return user


def test_anonymous_visitors_see_only_public_content(bestand):
    assert sichtbar(AnonymousUser(), bestand) == OEFFENTLICH
    assert sichtbar(None, bestand) == OEFFENTLICH


def test_member_of_the_committee_sees_its_nonpublic_matters(ausschuss, bestand):
    assert sichtbar(konto_mit_sitz(ausschuss), bestand) == GREMIUM


def test_membership_ended_yesterday_gives_no_access(ausschuss, bestand):
    user = konto_mit_sitz(ausschuss, beginn=HEUTE() - datetime.timedelta(days=400), ende=HEUTE() - EIN_TAG)

    assert sichtbar(user, bestand) == OEFFENTLICH


def test_membership_ending_today_still_gives_access(ausschuss, bestand):
    user = konto_mit_sitz(ausschuss, beginn=HEUTE() - datetime.timedelta(days=400), ende=HEUTE())

    assert sichtbar(user, bestand) == GREMIUM


def test_membership_starting_tomorrow_gives_no_access_yet(ausschuss, bestand):
    assert sichtbar(konto_mit_sitz(ausschuss, beginn=HEUTE() + EIN_TAG), bestand) == OEFFENTLICH


def test_membership_starting_today_gives_access(ausschuss, bestand):
    assert sichtbar(konto_mit_sitz(ausschuss, beginn=HEUTE()), bestand) == GREMIUM


def test_deputy_has_access(ausschuss, bestand):
    user = konto_mit_sitz(ausschuss, rolle=Mitgliedschaft.Rolle.STELLVERTRETUNG)

    assert sichtbar(user, bestand) == GREMIUM


def test_sachkundige_einwohnerin_has_access(ausschuss, bestand):
    user = konto_mit_sitz(ausschuss, rolle=Mitgliedschaft.Rolle.SACHKUNDIG)

    assert sichtbar(user, bestand) == GREMIUM


@pytest.mark.parametrize("rolle", Mitgliedschaft.Rolle.values)
def test_every_role_on_the_committee_gives_access(ausschuss, bestand, rolle):
    assert sichtbar(konto_mit_sitz(ausschuss, rolle=rolle), bestand) == GREMIUM


def test_user_whose_person_has_no_membership_sees_only_public_content(bestand):
    person = PersonFactory(benutzer=UserFactory(password=None))

    assert sichtbar(person.benutzer, bestand) == OEFFENTLICH


def test_user_without_a_person_sees_only_public_content(bestand):
    assert sichtbar(UserFactory(password=None), bestand) == OEFFENTLICH


def test_seat_on_another_committee_gives_no_access(bestand):
    assert sichtbar(konto_mit_sitz(AusschussFactory()), bestand) == OEFFENTLICH


def test_ended_membership_is_not_revived_by_a_current_seat_elsewhere(ausschuss, bestand):
    """Start, end and person of the membership are checked on the same Mitgliedschaft row."""
    user = konto_mit_sitz(ausschuss, beginn=HEUTE() - datetime.timedelta(days=400), ende=HEUTE() - EIN_TAG)
    MitgliedschaftFactory(person=user.person, ausschuss=AusschussFactory())

    assert sichtbar(user, bestand) == OEFFENTLICH


def test_ended_membership_is_not_revived_by_someone_elses_current_seat(ausschuss, bestand):
    user = konto_mit_sitz(ausschuss, beginn=HEUTE() - datetime.timedelta(days=400), ende=HEUTE() - EIN_TAG)
    konto_mit_sitz(ausschuss)

    assert sichtbar(user, bestand) == OEFFENTLICH


def test_future_membership_is_not_brought_forward_by_an_ended_one(ausschuss, bestand):
    user = konto_mit_sitz(ausschuss, beginn=HEUTE() + EIN_TAG)
    MitgliedschaftFactory(person=user.person, ausschuss=AusschussFactory())
    MitgliedschaftFactory(
        person=user.person, ausschuss=ausschuss, beginn=HEUTE() - datetime.timedelta(days=400), ende=HEUTE() - EIN_TAG
    )

    assert sichtbar(user, bestand) == OEFFENTLICH


def test_membership_counts_on_the_day_of_the_request_not_of_the_sitzung(ausschuss):
    """Documented decision: whoever sits on the committee today reads its non-public history, a former member not."""
    vor_einem_jahr = timezone.now() - datetime.timedelta(days=365)
    alte_sitzung = SitzungFactory(ausschuss=ausschuss, beginn=vor_einem_jahr)
    alter_top = TagesordnungspunktFactory(sitzung=alte_sitzung, oeffentlich=False)
    neu_dabei = konto_mit_sitz(ausschuss, beginn=HEUTE() - EIN_TAG)
    damals_dabei = konto_mit_sitz(
        ausschuss, beginn=HEUTE() - datetime.timedelta(days=800), ende=HEUTE() - datetime.timedelta(days=30)
    )

    assert sichtbar(neu_dabei, {"top": alter_top}) == {"top"}
    assert sichtbar(damals_dabei, {"top": alter_top}) == set()


def test_inactive_user_gets_no_access(ausschuss, bestand):
    user = konto_mit_sitz(ausschuss)
    user.is_active = False
    user.save()

    assert sichtbar(user, bestand) == OEFFENTLICH


def test_inactive_clerk_with_the_permission_gets_no_access(bestand):
    user = UserFactory(password=None, is_staff=True, is_active=False)
    user.user_permissions.add(Permission.objects.get(codename="nichtoeffentliches_sehen"))

    assert sichtbar(user, bestand) == OEFFENTLICH


def test_sitzung_changed_from_nonpublic_to_public_shows_its_public_tops_but_not_its_nonpublic_ones(ausschuss):
    sitzung = SitzungFactory(ausschuss=ausschuss, oeffentlich=False)
    # A TOP marked public in a non-public Sitzung: the admin refuses to enter it, but data changed in two steps
    # (the TOP first, then the Sitzung) passes through this state.
    tops = {
        "top_oeffentlich": TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=True),
        "top_np": TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=False),
    }
    mitglied = konto_mit_sitz(ausschuss)
    assert sichtbar(AnonymousUser(), tops) == set()
    assert sichtbar(mitglied, tops) == set(tops)
    assert darf_sehen(AnonymousUser(), sitzung), "a Sitzung itself is public, only its agenda is not"

    sitzung.oeffentlich = True
    sitzung.save()

    assert sichtbar(AnonymousUser(), tops) == {"top_oeffentlich"}
    assert sichtbar(konto_mit_sitz(AusschussFactory()), tops) == {"top_oeffentlich"}
    assert sichtbar(mitglied, tops) == set(tops)


def test_sitzung_changed_from_public_to_nonpublic_hides_its_whole_agenda(ausschuss, bestand):
    sitzung = bestand["top_oeffentlich"].sitzung
    sitzung.oeffentlich = False
    sitzung.save()

    assert "top_oeffentlich" not in sichtbar(AnonymousUser(), bestand)
    assert "top_oeffentlich" in sichtbar(konto_mit_sitz(ausschuss), bestand)


def test_draft_vorlage_on_a_public_agenda_shows_the_top_but_not_the_vorlage(ausschuss):
    entwurf = VorlageFactory(entwurf=True)
    top = TagesordnungspunktFactory(sitzung=SitzungFactory(ausschuss=ausschuss))
    top.vorlagen.set([entwurf])
    dinge = {
        "top": top,
        "entwurf": entwurf,
        "beratung": BeratungFactory(vorlage=entwurf, ausschuss=ausschuss),
        "anlage": AnlageFactory(vorlage=entwurf),
    }

    assert sichtbar(AnonymousUser(), dinge) == {"top"}
    # Drafts stay invisible to councillors, also to the members of the committee that will deliberate them.
    assert sichtbar(konto_mit_sitz(ausschuss), dinge) == {"top"}
    assert sichtbar(sachbearbeitung_mit_recht(), dinge) == set(dinge)


def test_withdrawn_vorlage_stays_visible():
    vorlage = VorlageFactory(status="zurueckgezogen")

    assert darf_sehen(AnonymousUser(), vorlage)


def test_nonpublic_anlage_of_a_public_vorlage_is_for_the_committees_of_its_beratungsfolge(ausschuss):
    vorlage = VorlageFactory()
    BeratungFactory(vorlage=vorlage, ausschuss=ausschuss)
    dinge = {"vorlage": vorlage, "anlage": AnlageFactory(vorlage=vorlage, oeffentlich=False)}

    assert sichtbar(AnonymousUser(), dinge) == {"vorlage"}
    assert sichtbar(konto_mit_sitz(AusschussFactory()), dinge) == {"vorlage"}
    assert sichtbar(konto_mit_sitz(ausschuss), dinge) == {"vorlage", "anlage"}
    assert sichtbar(sachbearbeitung_mit_recht(), dinge) == {"vorlage", "anlage"}


def test_nonpublic_anlage_of_a_public_vorlage_without_beratungsfolge_is_for_clerks_only(ausschuss):
    vorlage = VorlageFactory()
    dinge = {"vorlage": vorlage, "anlage": AnlageFactory(vorlage=vorlage, oeffentlich=False)}

    assert sichtbar(konto_mit_sitz(ausschuss), dinge) == {"vorlage"}
    assert sichtbar(sachbearbeitung_mit_recht(), dinge) == {"vorlage", "anlage"}


def test_nonpublic_beratung_is_for_its_own_committee_only(ausschuss):
    anderer = AusschussFactory()
    vorlage = VorlageFactory()
    dinge = {
        "hier": BeratungFactory(vorlage=vorlage, ausschuss=ausschuss, oeffentlich=False),
        "dort": BeratungFactory(vorlage=vorlage, ausschuss=anderer, oeffentlich=False),
    }

    assert sichtbar(AnonymousUser(), dinge) == set()
    assert sichtbar(konto_mit_sitz(ausschuss), dinge) == {"hier"}
    assert sichtbar(konto_mit_sitz(anderer), dinge) == {"dort"}


def test_vertraulich_is_hidden_even_from_members(ausschuss, bestand):
    vertrauliche = VorlageFactory(vertraulich=True)
    BeratungFactory(vorlage=vertrauliche, ausschuss=ausschuss, oeffentlich=False)
    dinge = {
        "vorlage": vertrauliche,
        "anlage_der_vertraulichen": AnlageFactory(vorlage=vertrauliche),
        "vertrauliche_anlage_einer_oeffentlichen": AnlageFactory(
            vorlage=bestand["vorlage_oeffentlich"], vertraulich=True
        ),
        "vertrauliche_anlage_einer_np": AnlageFactory(vorlage=bestand["vorlage_np"], vertraulich=True),
        "beratung": vertrauliche.beratungen.get(),
    }
    top = TagesordnungspunktFactory(sitzung=bestand["top_np"].sitzung, oeffentlich=False)
    top.vorlagen.set([vertrauliche])

    assert sichtbar(AnonymousUser(), dinge) == set()
    assert sichtbar(konto_mit_sitz(ausschuss), dinge) == set()
    assert sichtbar(konto_mit_sitz(ausschuss, rolle=Mitgliedschaft.Rolle.VORSITZ), dinge) == set()
    assert sichtbar(sachbearbeitung_mit_recht(), dinge) == set(dinge)


def test_clerk_with_the_permission_sees_everything(bestand):
    bestand["entwurf"] = VorlageFactory(entwurf=True)
    bestand["vertraulich"] = VorlageFactory(vertraulich=True)

    assert sichtbar(sachbearbeitung_mit_recht(), bestand) == set(bestand)


def test_permission_through_a_group_is_enough(bestand):
    gruppe = GroupFactory(name="Sitzungsdienst")
    gruppe.permissions.add(Permission.objects.get(codename="nichtoeffentliches_sehen"))
    user = UserFactory(password=None, is_staff=True)
    user.groups.add(gruppe)

    assert sichtbar(user, bestand) == set(bestand)


def test_staff_without_the_permission_gets_no_extra_access(bestand):
    user = UserFactory(password=None, is_staff=True)
    # Even the right to edit Vorlagen in the admin is not the right to see non-public content on the site.
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_vorlage", "change_vorlage"]))
    bestand["entwurf"] = VorlageFactory(entwurf=True)

    assert sichtbar(user, bestand) == OEFFENTLICH


def test_superuser_sees_everything(bestand):
    bestand["entwurf"] = VorlageFactory(entwurf=True)
    bestand["vertraulich"] = VorlageFactory(vertraulich=True)
    bestand["vertrauliche_anlage"] = AnlageFactory(vorlage=bestand["vorlage_oeffentlich"], vertraulich=True)
    bestand["top_np_sitzung"] = TagesordnungspunktFactory(
        sitzung=SitzungFactory(oeffentlich=False, ausschuss=AusschussFactory()), oeffentlich=False
    )

    assert sichtbar(UserFactory(password=None, is_superuser=True), bestand) == set(bestand)


def test_two_memberships_of_one_person_in_one_committee_do_not_duplicate_rows(ausschuss, bestand):
    user = konto_mit_sitz(ausschuss, beginn=HEUTE() - datetime.timedelta(days=400))
    MitgliedschaftFactory(
        person=user.person, ausschuss=ausschuss, rolle=Mitgliedschaft.Rolle.VORSITZ, beginn=HEUTE() - EIN_TAG
    )
    # And a Vorlage that comes before the committee twice.
    BeratungFactory(vorlage=bestand["vorlage_np"], ausschuss=ausschuss, oeffentlich=False)
    BeratungFactory(vorlage=bestand["vorlage_oeffentlich"], ausschuss=ausschuss, oeffentlich=False)

    assert sichtbar(user, bestand) == GREMIUM
    for model in {type(objekt) for objekt in bestand.values()}:
        zeilen = list(model.objects.sichtbar_fuer(user).values_list("pk", flat=True))
        assert len(zeilen) == len(set(zeilen)), model
        assert model.objects.sichtbar_fuer(user).count() == len(set(zeilen)), model
    tops = list(Tagesordnungspunkt.objects.mit_sichtbarkeit(user).values_list("pk", flat=True))
    assert len(tops) == len(set(tops)) == Tagesordnungspunkt.objects.count()
    assert list(Ausschuss.objects.mit_mitglied(user)) == [ausschuss]
