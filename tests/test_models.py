import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gremien.sichtbarkeit import darf_sehen
from sitzungen.models import Beratung, Tagesordnungspunkt
from sitzungen.services import beratungsfolge_abgleichen
from tests.factories import (
    AnlageFactory,
    BeratungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage
from vorlagen.services import vorlage_veroeffentlichen, vorlage_zurueckziehen

pytestmark = pytest.mark.django_db


def neue_vorlage(**felder):
    """An unsaved Vorlage like a clerk's form would build it."""
    vorlage = VorlageFactory.build(dienststelle=VorlageFactory().dienststelle, kennung="", **felder)
    return vorlage


# Vorlage: numbers


def test_vorlage_is_written_like_the_city_writes_it():
    assert VorlageFactory(nummer=952, jahr=2021).bezeichnung == "GRDrs 952/2021"
    assert VorlageFactory(nummer=952, jahr=2021, zusatz="Neufassung").bezeichnung == "GRDrs 952/2021 Neufassung"
    assert VorlageFactory(art=Vorlage.Art.ANTRAG, nummer=12, jahr=2026).bezeichnung == "Antrag 12/2026"


def test_vorlage_address_is_readable_and_spells_out_umlauts():
    vorlage = neue_vorlage(nummer=952, jahr=2021, zusatz="Ergänzung")
    vorlage.full_clean()
    assert vorlage.kennung == "grdrs-952-2021-ergaenzung"


def test_duplicate_number_in_a_year_is_refused_by_validation():
    VorlageFactory(art=Vorlage.Art.MITTEILUNGSVORLAGE, nummer=952, jahr=2021)
    doppelt = neue_vorlage(art=Vorlage.Art.BESCHLUSSVORLAGE, nummer=952, jahr=2021)

    with pytest.raises(ValidationError) as fehler:
        doppelt.full_clean()

    assert "Diese Nummer ist in diesem Jahr schon vergeben." in str(fehler.value)


def test_duplicate_number_in_a_year_is_refused_by_the_database():
    VorlageFactory(art=Vorlage.Art.MITTEILUNGSVORLAGE, nummer=952, jahr=2021)
    with pytest.raises(IntegrityError), transaction.atomic():
        VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE, nummer=952, jahr=2021, kennung="anders")


def test_same_number_is_allowed_in_another_year_another_series_or_as_neufassung():
    VorlageFactory(nummer=952, jahr=2021)
    for felder in [
        {"nummer": 952, "jahr": 2001},
        {"nummer": 952, "jahr": 2021, "art": Vorlage.Art.ANTRAG},
        {"nummer": 952, "jahr": 2021, "zusatz": "Neufassung"},
    ]:
        vorlage = neue_vorlage(**felder)
        vorlage.full_clean()
        vorlage.save()


def test_number_of_a_published_vorlage_cannot_change():
    vorlage = VorlageFactory(nummer=952, jahr=2021)
    vorlage.nummer = 953
    with pytest.raises(ValidationError, match="nicht mehr geändert"):
        vorlage.full_clean()


def test_number_of_a_draft_can_change_and_moves_its_address():
    vorlage = VorlageFactory(nummer=952, jahr=2021, entwurf=True)
    vorlage.nummer = 953
    vorlage.full_clean()
    assert vorlage.kennung == "grdrs-953-2021"


def test_published_vorlage_without_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        VorlageFactory(status=Vorlage.Status.VEROEFFENTLICHT, veroeffentlicht_am=None)


# Vorlage: services


def test_publishing_a_draft_makes_it_public_and_records_who_and_when():
    clerk = UserFactory(is_staff=True)
    entwurf = VorlageFactory(entwurf=True)
    assert not darf_sehen(None, entwurf)

    vorlage_veroeffentlichen(vorlage=entwurf, user=clerk)

    entwurf.refresh_from_db()
    assert entwurf.status == Vorlage.Status.VEROEFFENTLICHT
    assert entwurf.veroeffentlicht_am is not None
    assert darf_sehen(None, entwurf)
    eintrag = LogEntry.objects.get(object_id=str(entwurf.pk))
    assert eintrag.user == clerk
    assert eintrag.change_message == "Veröffentlicht."


def test_publishing_twice_keeps_the_first_date():
    erster = timezone.now() - datetime.timedelta(days=3)
    vorlage = VorlageFactory(entwurf=True)
    vorlage_veroeffentlichen(vorlage=vorlage, jetzt=erster)
    vorlage_veroeffentlichen(vorlage=vorlage)
    vorlage.refresh_from_db()
    assert vorlage.veroeffentlicht_am == erster


def test_publishing_an_invalid_vorlage_is_refused_and_changes_nothing():
    vorlage = VorlageFactory(entwurf=True)
    Vorlage.objects.filter(pk=vorlage.pk).update(titel="")
    vorlage.refresh_from_db()
    with pytest.raises(ValidationError):
        vorlage_veroeffentlichen(vorlage=vorlage)
    vorlage.refresh_from_db()
    assert vorlage.status == Vorlage.Status.ENTWURF


def test_withdrawn_vorlage_stays_public_but_a_draft_cannot_be_withdrawn():
    vorlage = VorlageFactory()
    vorlage_zurueckziehen(vorlage=vorlage)
    assert darf_sehen(None, vorlage)
    with pytest.raises(ValidationError):
        vorlage_zurueckziehen(vorlage=VorlageFactory(entwurf=True))


def test_anlage_is_as_visible_as_its_vorlage():
    oeffentlich = AnlageFactory()
    im_entwurf = AnlageFactory(vorlage__entwurf=True)
    assert darf_sehen(None, oeffentlich)
    assert not darf_sehen(None, im_entwurf)


# Sitzung and Tagesordnung


def test_sitzung_ending_before_it_begins_is_refused_by_validation_and_database():
    sitzung = SitzungFactory.build(ausschuss=SitzungFactory().ausschuss, ort=None)
    sitzung.ende = sitzung.beginn - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="Ende einer Sitzung"):
        sitzung.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        sitzung.save()


def test_top_number_twice_in_one_sitzung_is_refused_but_o1_and_n1_may_coexist():
    top = TagesordnungspunktFactory(nummer="1")
    TagesordnungspunktFactory(sitzung=top.sitzung, nummer="1", oeffentlich=False)

    doppelt = Tagesordnungspunkt(sitzung=top.sitzung, nummer="1", titel="Nochmal", reihenfolge=3)
    with pytest.raises(ValidationError, match="TOP-Nummer"):
        doppelt.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        doppelt.save()


def test_public_top_in_a_non_public_sitzung_is_refused():
    top = Tagesordnungspunkt(sitzung=SitzungFactory(oeffentlich=False), nummer="1", titel="Offen", oeffentlich=True)
    with pytest.raises(ValidationError, match="keine öffentlichen Punkte"):
        top.full_clean()


def test_beratung_in_a_sitzung_of_another_committee_is_refused():
    beratung = BeratungFactory.build(
        vorlage=VorlageFactory(), ausschuss=SitzungFactory().ausschuss, sitzung=SitzungFactory()
    )
    with pytest.raises(ValidationError, match="anderen Ausschuss"):
        beratung.full_clean()


def test_top_content_is_hidden_from_the_public_in_non_public_parts_and_sitzungen():
    offen = TagesordnungspunktFactory()
    nichtoeffentlich = TagesordnungspunktFactory(oeffentlich=False)
    in_geschlossener = TagesordnungspunktFactory(sitzung__oeffentlich=False, oeffentlich=False)
    sichtbar = set(Tagesordnungspunkt.objects.sichtbar_fuer(None))
    assert sichtbar == {offen}
    markiert = {top.pk: top.inhalt_sichtbar for top in Tagesordnungspunkt.objects.mit_sichtbarkeit(None)}
    assert markiert == {offen.pk: True, nichtoeffentlich.pk: False, in_geschlossener.pk: False}


# Beratungsfolge follows the agenda


def test_agenda_ties_the_planned_beratung_to_its_top():
    geplant = BeratungFactory(termin=datetime.date(2021, 11, 24), rolle=Beratung.Rolle.KENNTNISNAHME)
    sitzung = SitzungFactory(
        ausschuss=geplant.ausschuss,
        beginn=timezone.make_aware(datetime.datetime(2021, 11, 24, 15)),
        ende=None,
    )
    top = TagesordnungspunktFactory(sitzung=sitzung, ergebnis="kenntnis_genommen")
    top.vorlagen.add(geplant.vorlage)

    beratungsfolge_abgleichen(sitzung=sitzung)

    geplant.refresh_from_db()
    assert geplant.sitzung == sitzung
    assert geplant.tagesordnungspunkt == top
    assert geplant.rolle == Beratung.Rolle.KENNTNISNAHME
    assert geplant.ergebnis == "kenntnis_genommen"
    assert Beratung.objects.count() == 1


def test_agenda_adds_a_beratung_when_none_was_planned_and_is_idempotent():
    top = TagesordnungspunktFactory()
    vorlage = VorlageFactory()
    top.vorlagen.add(vorlage)

    beratungsfolge_abgleichen(sitzung=top.sitzung)
    beratungsfolge_abgleichen(sitzung=top.sitzung)

    beratung = Beratung.objects.get()
    assert (beratung.vorlage, beratung.ausschuss, beratung.tagesordnungspunkt) == (
        vorlage,
        top.sitzung.ausschuss,
        top,
    )
    assert beratung.termin == timezone.localdate(top.sitzung.beginn)


def test_vorlage_taken_off_the_agenda_releases_its_beratung():
    top = TagesordnungspunktFactory()
    vorlage = VorlageFactory()
    top.vorlagen.add(vorlage)
    beratungsfolge_abgleichen(sitzung=top.sitzung)

    top.vorlagen.remove(vorlage)
    beratungsfolge_abgleichen(sitzung=top.sitzung)

    beratung = Beratung.objects.get()
    assert beratung.sitzung is None
    assert beratung.tagesordnungspunkt is None


def test_beratung_tied_to_a_sitzung_by_hand_is_kept():
    sitzung = SitzungFactory()
    beratung = BeratungFactory(ausschuss=sitzung.ausschuss, sitzung=sitzung)
    beratungsfolge_abgleichen(sitzung=sitzung)
    beratung.refresh_from_db()
    assert beratung.sitzung == sitzung
