"""Impossible data is refused three times: by the model's validation (services, imports), by the database when
validation is bypassed, and in the admin form with the constraint's own sentence."""

import datetime
import os
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from druck.models import Druckstueck
from gremien.models import Mitgliedschaft, Person
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


# Dates outside 1900–2200 (issue 14) --------------------------------------------------------------------------------

AUSSERHALB = "Das Datum muss zwischen 1900 und 2200 liegen."
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = datetime.UTC
MINUS_FUENF = datetime.timezone(datetime.timedelta(hours=-5))


def feld_abgelehnt(objekt, feld, meldung=AUSSERHALB):
    with pytest.raises(ValidationError) as fehler:
        objekt.full_clean()
    assert meldung in fehler.value.message_dict.get(feld, []), fehler.value.message_dict


@pytest.mark.parametrize(
    "beginn",
    [
        # As typed in the admin: "01.01.0001 00:00" (a BC timestamp in UTC).
        datetime.datetime(1, 1, 1, tzinfo=BERLIN),
        # As an OParl source sent it: year 10000 in UTC.
        datetime.datetime(9999, 12, 31, 23, tzinfo=MINUS_FUENF),
        datetime.datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
        datetime.datetime(2201, 1, 1, tzinfo=UTC),
    ],
)
def test_sitzung_begin_outside_1900_to_2200_is_refused(beginn):
    sitzung = SitzungFactory()
    sitzung.beginn, sitzung.ende = beginn, None

    feld_abgelehnt(sitzung, "beginn")


def test_sitzung_times_at_the_bounds_are_accepted():
    sitzung = SitzungFactory(
        beginn=datetime.datetime(1900, 1, 1, tzinfo=UTC), ende=datetime.datetime(2200, 12, 31, 23, 59, tzinfo=UTC)
    )

    sitzung.full_clean()


def test_database_refuses_sitzung_times_outside_1900_to_2200():
    sitzung = SitzungFactory()

    datenbank_verweigert(Sitzung, sitzung.pk, beginn=datetime.datetime(1850, 1, 1, tzinfo=UTC), ende=None)
    datenbank_verweigert(Sitzung, sitzung.pk, ende=datetime.datetime(2201, 1, 1, tzinfo=UTC))


def test_sitzung_end_outside_1900_to_2200_is_refused():
    sitzung = SitzungFactory()
    sitzung.ende = datetime.datetime(2201, 1, 1, tzinfo=UTC)

    feld_abgelehnt(sitzung, "ende")


def test_mitgliedschaft_dates_outside_1900_to_2200_are_refused():
    mitgliedschaft = MitgliedschaftFactory(beginn=datetime.date(2024, 7, 25))
    mitgliedschaft.beginn = datetime.date(1, 1, 1)
    feld_abgelehnt(mitgliedschaft, "beginn")
    mitgliedschaft.beginn, mitgliedschaft.ende = datetime.date(2024, 7, 25), datetime.date(9999, 12, 31)
    feld_abgelehnt(mitgliedschaft, "ende")

    datenbank_verweigert(Mitgliedschaft, mitgliedschaft.pk, beginn=datetime.date(1850, 1, 1))
    datenbank_verweigert(Mitgliedschaft, mitgliedschaft.pk, ende=datetime.date(2201, 1, 1))


def test_beratung_date_outside_1900_to_2200_is_refused():
    beratung = BeratungFactory()
    beratung.termin = datetime.date(1, 1, 1)

    feld_abgelehnt(beratung, "termin")
    datenbank_verweigert(Beratung, beratung.pk, termin=datetime.date(2300, 1, 1))


def test_vorlage_publication_time_outside_1900_to_2200_is_refused():
    vorlage = VorlageFactory()
    vorlage.veroeffentlicht_am = datetime.datetime(
        9999, 12, 31, 23, tzinfo=datetime.timezone(-datetime.timedelta(hours=5))
    )

    feld_abgelehnt(vorlage, "veroeffentlicht_am")
    datenbank_verweigert(Vorlage, vorlage.pk, veroeffentlicht_am=datetime.datetime(1850, 1, 1, tzinfo=UTC))


def test_admin_refuses_a_sitzung_in_year_one_and_keeps_the_old_date(sachbearbeitung_client):
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    beginn = sitzung.beginn
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"beginn_0": "01.01.0001", "beginn_1": "00:00"}
    daten |= {"ende_0": "", "ende_1": ""}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert AUSSERHALB in antwort.content.decode()
    sitzung.refresh_from_db()
    assert sitzung.beginn == beginn
    # The pages that broke on such a row still open.
    assert sachbearbeitung_client.get(admin_url(Sitzung, "changelist")).status_code == 200
    assert sachbearbeitung_client.get(sitzung.ausschuss.get_absolute_url()).status_code == 200


def test_admin_refuses_a_membership_beginning_before_1900(sachbearbeitung_client):
    mitgliedschaft = MitgliedschaftFactory(beginn=datetime.date(2024, 7, 25))
    url = admin_url(Person, "change", mitgliedschaft.person.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    zeile = next(name for name in daten if name.endswith("-beginn") and daten[name])
    daten[zeile] = "1800-01-01"

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert AUSSERHALB in antwort.content.decode()


# An existing installation with such a row: the migration names it and changes nothing ------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_stops_with_a_sentence_naming_rows_outside_the_range():
    sitzung = SitzungFactory()
    call_command("migrate", "sitzungen", "0005", verbosity=0)
    try:
        # On PostgreSQL as the admin stored it (a BC timestamp, which Python cannot even read back); SQLite keeps
        # what Python can write.
        falsch = (
            datetime.datetime(1, 1, 1, tzinfo=BERLIN)
            if connection.vendor == "postgresql"
            else datetime.datetime(1850, 1, 1, tzinfo=UTC)
        )
        Sitzung.objects.filter(pk=sitzung.pk).update(beginn=falsch, ende=None)

        with pytest.raises(CommandError) as fehler:
            call_command("migrate", "sitzungen", verbosity=0)

        meldung = str(fehler.value)
        assert f"Sitzung {sitzung.pk}, Beginn = " in meldung
        assert 'UPDATE "sitzungen_sitzung" SET "beginn" = ' in meldung
        assert "Die Migration hat nichts verändert." in meldung
        assert MigrationRecorder(connection).migration_qs.filter(app="sitzungen", name__startswith="0006").count() == 0

        Sitzung.objects.filter(pk=sitzung.pk).update(beginn=datetime.datetime(2024, 3, 1, 17, tzinfo=BERLIN))
        call_command("migrate", "sitzungen", verbosity=0)
        datenbank_verweigert(Sitzung, sitzung.pk, beginn=datetime.datetime(1850, 1, 1, tzinfo=UTC))
    finally:
        # Migrated forward first: the Sitzung's delete asks the tables of the apps above (protokoll) too.
        call_command("migrate", verbosity=0)
        Sitzung.objects.filter(pk=sitzung.pk).delete()


# Anlage file names the storage cannot keep ----------------------------------------------------------------------------


def gutachten_pdf():
    """A real one-page PDF with text, written by WeasyPrint as the PDFs of a city are."""
    from weasyprint import HTML

    return HTML(
        string='<html lang="de"><body><h1>Gutachten</h1><p>Lärmschutz an der Neckarstraße.</p></body></html>'
    ).write_pdf()


@pytest.mark.parametrize(
    ("dateiname", "meldung"),
    [
        ("a" * 197 + ".pdf", "er hat 201 Zeichen, erlaubt sind 200"),
        ("b" * 251 + ".pdf", "er hat 255 Zeichen, erlaubt sind 200"),
        # 154 characters, but 304 bytes: the file system counts bytes.
        ("Ä" * 150 + ".pdf", "er belegt 304 Bytes, erlaubt sind 247"),
    ],
)
def test_admin_refuses_a_file_name_the_storage_cannot_keep(sachbearbeitung_client, dateiname, meldung):
    vorlage = VorlageFactory()
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    datei = SimpleUploadedFile(dateiname, gutachten_pdf(), content_type="application/pdf")
    neue_zeile(daten, "anlagen", titel="Gutachten", datei=datei, reihenfolge="1")

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Der Dateiname ist" in inhalt and meldung in inhalt
    assert "Der Speicher" not in inhalt and "Der Speicherplatz" not in inhalt
    assert not vorlage.anlagen.exists()
    speicher = Anlage._meta.get_field("datei").storage
    assert not speicher.exists("vorlagen") or not any(os.scandir(speicher.path("vorlagen")))


@pytest.mark.parametrize("dateiname", ["c" * 196 + ".pdf", "Ä" * 120 + ".pdf"])
def test_admin_keeps_a_long_file_name_within_the_limits(sachbearbeitung_client, dateiname):
    vorlage = VorlageFactory()
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    datei = SimpleUploadedFile(dateiname, gutachten_pdf(), content_type="application/pdf")
    neue_zeile(daten, "anlagen", titel="Gutachten", datei=datei, reihenfolge="1")

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    anlage = vorlage.anlagen.get()
    assert anlage.dateiname == dateiname
    assert client_laedt(sachbearbeitung_client, anlage).startswith(b"%PDF")


def client_laedt(client, anlage):
    return b"".join(client.get(anlage.get_absolute_url()).streaming_content)
