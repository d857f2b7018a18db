"""Impossible data is refused three times: by the model's validation (services, imports), by the database when
validation is bypassed, and in the admin form with the constraint's own sentence."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from druck.models import Druckstueck
from oparlimport.models import Datei
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from tests.factories import (
    AnlageFactory,
    AnlageSeiteFactory,
    BeratungFactory,
    DruckstueckFactory,
    MitgliedschaftFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)
from tests.test_admin import admin_url, formulardaten, neue_zeile
from vorlagen.models import Anlage, AnlageSeite, Vorlage

pytestmark = pytest.mark.django_db


def abgelehnt(objekt, meldung):
    with pytest.raises(ValidationError) as fehler:
        objekt.full_clean()
    assert meldung in fehler.value.messages, fehler.value.messages


def datenbank_verweigert(model, pk, **werte):
    # update() skips every validation: only the database's constraint stands in the way.
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**werte)


# Model validation and database ---------------------------------------------------------------------------------------


def test_vorlage_date_outside_1900_to_2200_is_refused():
    vorlage = VorlageFactory()
    vorlage.datum = datetime.date(1850, 1, 1)

    abgelehnt(vorlage, "Das Datum einer Vorlage muss zwischen 1900 und 2200 liegen.")
    datenbank_verweigert(Vorlage, vorlage.pk, datum=datetime.date(2500, 1, 1))


def test_anlage_order_starts_at_one():
    anlage = AnlageFactory()
    anlage.reihenfolge = 0

    abgelehnt(anlage, "Die Reihenfolge einer Anlage beginnt bei 1.")
    datenbank_verweigert(Anlage, anlage.pk, reihenfolge=0)


def test_page_of_an_anlage_starts_at_one():
    seite = AnlageSeiteFactory()
    seite.nummer = 0

    abgelehnt(seite, "Seiten werden ab 1 gezählt.")
    datenbank_verweigert(AnlageSeite, seite.pk, nummer=0)


def test_top_needs_a_number():
    top = TagesordnungspunktFactory()
    top.nummer = ""

    with pytest.raises(ValidationError) as fehler:
        top.full_clean()
    assert "nummer" in fehler.value.message_dict
    datenbank_verweigert(Tagesordnungspunkt, top.pk, nummer="")


def test_top_order_starts_at_one():
    top = TagesordnungspunktFactory()
    top.reihenfolge = 0

    abgelehnt(top, "Die Reihenfolge der Tagesordnungspunkte beginnt bei 1.")
    datenbank_verweigert(Tagesordnungspunkt, top.pk, reihenfolge=0)


def test_beratung_order_starts_at_one():
    beratung = BeratungFactory()
    beratung.reihenfolge = 0

    abgelehnt(beratung, "Die Reihenfolge der Beratungsfolge beginnt bei 1.")
    datenbank_verweigert(Beratung, beratung.pk, reihenfolge=0)


def test_beratung_with_a_top_needs_its_sitzung():
    top = TagesordnungspunktFactory()
    beratung = BeratungFactory(ausschuss=top.sitzung.ausschuss, sitzung=top.sitzung, tagesordnungspunkt=top)
    beratung.sitzung = None

    abgelehnt(beratung, "Eine Beratung mit Tagesordnungspunkt braucht dessen Sitzung.")
    datenbank_verweigert(Beratung, beratung.pk, sitzung=None)


def test_druckstueck_progress_is_a_percentage():
    druckstueck = DruckstueckFactory()
    druckstueck.fortschritt = 101

    abgelehnt(druckstueck, "Der Fortschritt liegt zwischen 0 und 100 Prozent.")
    datenbank_verweigert(Druckstueck, druckstueck.pk, fortschritt=250)


def test_finished_druckstueck_has_a_file_and_a_time():
    druckstueck = DruckstueckFactory()
    druckstueck.fertig_am = None

    abgelehnt(druckstueck, "Ein fertiges Druckstück hat eine Datei und einen Fertigstellungszeitpunkt.")
    datenbank_verweigert(Druckstueck, druckstueck.pk, datei="")
    # Waiting or failed ones have neither, and that is fine.
    Druckstueck.objects.filter(pk=druckstueck.pk).update(status=Druckstueck.Status.FEHLER, datei="", fertig_am=None)


def test_oparl_file_belongs_to_a_vorlage_or_a_sitzung():
    datei = Datei(oparl_id="https://oparl.example.org/file/1", rolle="mainFile")

    abgelehnt(datei, "Eine Datei gehört entweder zu einer Vorlage oder zu einer Sitzung.")
    datei.vorlage, datei.sitzung = VorlageFactory(), SitzungFactory()
    abgelehnt(datei, "Eine Datei gehört entweder zu einer Vorlage oder zu einer Sitzung.")
    with pytest.raises(IntegrityError), transaction.atomic():
        datei.save()


def test_oparl_file_order_starts_at_one():
    vorlage = VorlageFactory()
    datei = Datei.objects.create(oparl_id="https://oparl.example.org/file/2", rolle="mainFile", vorlage=vorlage)
    datei.reihenfolge = 0

    abgelehnt(datei, "Die Reihenfolge der Dateien beginnt bei 1.")
    datenbank_verweigert(Datei, datei.pk, reihenfolge=0)


def test_existing_end_before_begin_constraints_still_hold():
    sitzung = SitzungFactory()
    datenbank_verweigert(Sitzung, sitzung.pk, ende=sitzung.beginn - datetime.timedelta(hours=1))
    mitgliedschaft = MitgliedschaftFactory(beginn=datetime.date(2024, 7, 25))
    mitgliedschaft.ende = datetime.date(2024, 1, 1)
    abgelehnt(mitgliedschaft, "Eine Mitgliedschaft kann nicht enden, bevor sie beginnt.")


# A convened Sitzung and draft Vorlagen -------------------------------------------------------------------------------


def test_convened_sitzung_refuses_a_draft_vorlage_on_its_agenda():
    sitzung = SitzungFactory(status=Sitzung.Status.EINBERUFEN)
    entwurf = VorlageFactory(entwurf=True, nummer=17, jahr=2026)

    with pytest.raises(ValidationError, match="GRDrs 17/2026"):
        sitzung.entwuerfe_ablehnen([entwurf])
    sitzung.entwuerfe_ablehnen([VorlageFactory()])


def test_planned_sitzung_may_hold_a_draft_on_its_agenda():
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    top = TagesordnungspunktFactory(sitzung=sitzung)
    top.vorlagen.add(VorlageFactory(entwurf=True))

    sitzung.entwuerfe_ablehnen(top.vorlagen.all())
    sitzung.full_clean()


def test_convening_a_sitzung_with_a_draft_on_its_agenda_is_refused():
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    TagesordnungspunktFactory(sitzung=sitzung).vorlagen.add(VorlageFactory(entwurf=True))
    sitzung.status = Sitzung.Status.EINBERUFEN

    with pytest.raises(ValidationError) as fehler:
        sitzung.full_clean()

    assert "nur veröffentlichte Vorlagen" in " ".join(fehler.value.message_dict["status"])


# In the admin -------------------------------------------------------------------------------------------------------


def test_admin_refuses_a_vorlage_date_out_of_range(sachbearbeitung_client):
    vorlage = VorlageFactory()
    url = admin_url(Vorlage, "change", vorlage.pk)

    antwort = sachbearbeitung_client.post(url, formulardaten(sachbearbeitung_client.get(url)) | {"datum": "1850-01-01"})

    assert antwort.status_code == 200
    assert "Das Datum einer Vorlage muss zwischen 1900 und 2200 liegen." in antwort.content.decode()


def test_admin_refuses_anlage_order_zero(sachbearbeitung_client):
    anlage = AnlageFactory()
    url = admin_url(Vorlage, "change", anlage.vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"anlagen-0-reihenfolge": "0"}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "Die Reihenfolge einer Anlage beginnt bei 1." in antwort.content.decode()
    anlage.refresh_from_db()
    assert anlage.reihenfolge == 1


def test_admin_refuses_top_order_zero(sachbearbeitung_client):
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(daten, "tagesordnungspunkte", nummer="1", reihenfolge="0", titel="Begrüßung", oeffentlich=True)

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "Die Reihenfolge der Tagesordnungspunkte beginnt bei 1." in antwort.content.decode()


def test_admin_refuses_a_draft_on_the_agenda_of_a_convened_sitzung(sachbearbeitung_client):
    sitzung = SitzungFactory(status=Sitzung.Status.EINBERUFEN)
    entwurf = VorlageFactory(entwurf=True, nummer=17, jahr=2026)
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(
        daten, "tagesordnungspunkte", nummer="1", reihenfolge="1", titel="Neu", oeffentlich=True, vorlagen=[entwurf.pk]
    )

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "auf ihre Tagesordnung gehören nur veröffentlichte Vorlagen" in inhalt
    assert "GRDrs 17/2026" in inhalt
    assert not sitzung.tagesordnungspunkte.exists()


def test_admin_takes_a_published_vorlage_on_the_agenda_of_a_convened_sitzung(sachbearbeitung_client):
    sitzung = SitzungFactory(status=Sitzung.Status.EINBERUFEN)
    vorlage = VorlageFactory()
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(
        daten, "tagesordnungspunkte", nummer="1", reihenfolge="1", titel="Neu", oeffentlich=True, vorlagen=[vorlage.pk]
    )

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    assert list(sitzung.tagesordnungspunkte.get().vorlagen.all()) == [vorlage]


def test_admin_refuses_to_convene_a_sitzung_with_a_draft_on_its_agenda(sachbearbeitung_client):
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    TagesordnungspunktFactory(sitzung=sitzung).vorlagen.add(VorlageFactory(entwurf=True))
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"status": Sitzung.Status.EINBERUFEN}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "nur veröffentlichte Vorlagen" in antwort.content.decode()
    sitzung.refresh_from_db()
    assert sitzung.status == Sitzung.Status.GEPLANT
