"""Numbers given per Nummernkreis and year when the Sitzungsdienst registers a Vorlage (issue 19, item 3)."""

import datetime
import threading

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections
from django.urls import reverse

from tests.factories import DienststelleFactory, NummernzaehlerFactory, SachbearbeitungFactory, VorlageFactory
from tests.test_admin import admin_url, formulardaten, meldungen
from tests.test_druck import einzeilig, pdf_bytes, pdftotext
from vorlagen.models import Nummernzaehler, Vorlage
from vorlagen.services import nummer_vergeben, vorlage_veroeffentlichen, vorlage_zurueckziehen

GRDRS = Vorlage.Art.BESCHLUSSVORLAGE


def entwurf(**felder):
    return VorlageFactory(ohne_nummer=True, **{"art": GRDRS, "jahr": 2026, **felder})


def vergeben(vorlage, user=None):
    return nummer_vergeben(vorlage=vorlage, user=user).nummer


# The service -------------------------------------------------------------------------------------------------------


def test_numbers_are_consecutive_within_a_series_and_year(db):
    # Mitteilungs- and Beschlussvorlagen share the GRDrs numbers.
    entwuerfe = [entwurf(), entwurf(art=Vorlage.Art.MITTEILUNGSVORLAGE), entwurf()]

    assert [vergeben(vorlage) for vorlage in entwuerfe] == [1, 2, 3]
    assert [Vorlage.objects.get(pk=v.pk).bezeichnung for v in entwuerfe] == [
        "GRDrs 1/2026",
        "GRDrs 2/2026",
        "GRDrs 3/2026",
    ]
    assert Nummernzaehler.objects.get(nummernkreis="GRDrs", jahr=2026).letzte_nummer == 3


def test_each_series_and_each_year_counts_on_its_own(db):
    assert vergeben(entwurf()) == 1
    assert vergeben(entwurf(art=Vorlage.Art.ANTRAG)) == 1
    assert vergeben(entwurf(art=Vorlage.Art.ANFRAGE)) == 1
    assert vergeben(entwurf(jahr=2027)) == 1
    assert vergeben(entwurf()) == 2
    assert vergeben(entwurf(art=Vorlage.Art.ANTRAG)) == 2


def test_numbers_typed_by_hand_or_imported_are_respected(db):
    VorlageFactory(art=Vorlage.Art.MITTEILUNGSVORLAGE, nummer=952, jahr=2026)
    VorlageFactory(art=GRDRS, nummer=17, jahr=2026, zusatz="Neufassung")
    VorlageFactory(art=Vorlage.Art.ANTRAG, nummer=4000, jahr=2026)
    VorlageFactory(art=GRDRS, nummer=5000, jahr=2025)

    assert vergeben(entwurf()) == 953
    assert vergeben(entwurf(art=Vorlage.Art.ANTRAG)) == 4001


def test_a_number_typed_by_hand_after_the_counter_moves_the_next_one_beyond_it(db):
    assert vergeben(entwurf()) == 1
    VorlageFactory(art=GRDRS, nummer=40, jahr=2026)

    assert vergeben(entwurf()) == 41


def test_the_number_of_a_deleted_draft_is_not_given_again(db):
    erster = entwurf()
    assert vergeben(erster) == 1
    erster.delete()

    assert vergeben(entwurf()) == 2


def test_a_withdrawn_vorlage_keeps_its_number_and_the_next_one_follows(db):
    vorlage = entwurf()
    vergeben(vorlage)
    vorlage_veroeffentlichen(vorlage=vorlage)
    vorlage_zurueckziehen(vorlage=vorlage)

    assert vergeben(entwurf()) == 2
    vorlage.refresh_from_db()
    assert (vorlage.nummer, vorlage.kennung) == (1, "grdrs-1-2026")


def test_a_vorlage_with_a_number_gets_no_second_one(db):
    vorlage = entwurf()
    vergeben(vorlage)

    with pytest.raises(ValidationError, match="hat schon eine Nummer"):
        vergeben(Vorlage.objects.get(pk=vorlage.pk))
    with pytest.raises(ValidationError, match="hat schon eine Nummer"):
        vergeben(VorlageFactory(art=GRDRS, nummer=3, jahr=2026))
    assert Nummernzaehler.objects.get().letzte_nummer == 1


def test_an_invalid_draft_is_not_registered_and_uses_up_no_number(db):
    kaputt = entwurf(titel="")

    with pytest.raises(ValidationError):
        vergeben(kaputt)

    assert Vorlage.objects.get(pk=kaputt.pk).nummer is None
    assert vergeben(entwurf()) == 1


def test_registering_writes_only_the_number_not_other_unsaved_changes(db):
    vorlage = entwurf(titel="Gespeichert")
    vorlage.titel = "Nicht gespeichert"

    vergeben(vorlage)

    gespeichert = Vorlage.objects.get(pk=vorlage.pk)
    assert (gespeichert.titel, gespeichert.nummer, gespeichert.nummer_vergeben_am is not None) == (
        "Gespeichert",
        1,
        True,
    )
    assert (vorlage.nummer, vorlage.kennung) == (1, "grdrs-1-2026")


def test_the_registration_is_recorded_in_the_change_log(db):
    clerk = SachbearbeitungFactory()
    vorlage = entwurf()

    nummer_vergeben(vorlage=vorlage, user=clerk)

    eintrag = LogEntry.objects.get(object_id=str(vorlage.pk))
    assert (eintrag.user, eintrag.change_message) == (clerk, "Nummer GRDrs 1/2026 vergeben (registriert).")


# Drafts without a number -------------------------------------------------------------------------------------------


def test_drafts_without_a_number_have_distinct_addresses_until_their_number_gives_the_real_one(db):
    erster, zweiter = entwurf(), entwurf()
    for vorlage in (erster, zweiter):
        vorlage.full_clean()
        vorlage.save()
    assert erster.kennung != zweiter.kennung
    assert erster.kennung.startswith("entwurf-")
    assert erster.bezeichnung == "GRDrs ohne Nummer"
    alte_kennung = erster.kennung
    erster.full_clean()
    assert erster.kennung == alte_kennung  # stable while it waits for its number

    vergeben(erster)

    assert erster.kennung == "grdrs-1-2026"
    assert erster.get_absolute_url() == reverse("vorlagen:detail", kwargs={"kennung": "grdrs-1-2026"})


def test_a_draft_without_a_number_opens_for_the_clerks_only_with_its_pdf_preview(client, sachbearbeitung):
    vorlage = entwurf(titel="Ein Entwurf über Straßenbäume")
    seite = vorlage.get_absolute_url()
    vorschau = reverse("druck:vorlage-vorschau", kwargs={"kennung": vorlage.kennung})

    assert client.get(seite).status_code == 404
    assert client.get(vorschau).status_code == 404
    client.force_login(sachbearbeitung)
    assert "GRDrs ohne Nummer" in client.get(seite).content.decode()
    antwort = client.get(vorschau)
    assert antwort.status_code == 200
    assert "GRDrs-Entwurf-2026.pdf" in antwort["Content-Disposition"]
    assert "Straßenbäume" in einzeilig(pdftotext(pdf_bytes(antwort)))


def test_the_addresses_of_numbered_vorlagen_do_not_change(db):
    vorlage = VorlageFactory(art=Vorlage.Art.MITTEILUNGSVORLAGE, nummer=952, jahr=2021, zusatz="Ergänzung")
    vorlage.full_clean()

    assert vorlage.kennung == "grdrs-952-2021-ergaenzung"


def test_a_draft_without_a_number_cannot_be_published(db):
    vorlage = entwurf()

    with pytest.raises(ValidationError, match="ohne Nummer"):
        vorlage_veroeffentlichen(vorlage=vorlage)
    assert Vorlage.objects.get(pk=vorlage.pk).status == Vorlage.Status.ENTWURF


def test_the_database_refuses_a_published_vorlage_without_a_number(db):
    vorlage = VorlageFactory()

    with pytest.raises(IntegrityError):
        Vorlage.objects.filter(pk=vorlage.pk).update(nummer=None)


# The admin ---------------------------------------------------------------------------------------------------------


def test_admin_action_registers_drafts_in_the_order_of_their_dates(sachbearbeitung_client, sachbearbeitung):
    spaeter = entwurf(datum=datetime.date(2026, 3, 2))
    frueher = entwurf(datum=datetime.date(2026, 3, 1))
    schon_nummeriert = VorlageFactory(art=GRDRS, nummer=7, jahr=2025)

    antwort = sachbearbeitung_client.post(
        admin_url(Vorlage, "changelist"),
        {"action": "nummer_vergeben", ACTION_CHECKBOX_NAME: [spaeter.pk, frueher.pk, schon_nummeriert.pk]},
        follow=True,
    )

    assert antwort.status_code == 200
    assert Vorlage.objects.get(pk=frueher.pk).nummer == 1
    assert Vorlage.objects.get(pk=spaeter.pk).nummer == 2
    assert meldungen(antwort) == [
        "2 Vorlagen registriert: GRDrs 1/2026, GRDrs 2/2026",
        "1 Vorlage nicht registriert: GRDrs 7/2025: GRDrs 7/2025 hat schon eine Nummer.",
    ]
    assert LogEntry.objects.filter(object_id=str(frueher.pk), user=sachbearbeitung).exists()


def test_admin_button_saves_the_draft_and_gives_its_number(sachbearbeitung_client, sachbearbeitung):
    vorlage = entwurf()
    url = admin_url(Vorlage, "change", vorlage.pk)
    seite = sachbearbeitung_client.get(url)
    assert 'name="_nummer_vergeben"' in seite.content.decode()
    daten = formulardaten(seite) | {"titel": "Neuer Titel", "_nummer_vergeben": "1"}

    antwort = sachbearbeitung_client.post(url, daten, follow=True)

    vorlage.refresh_from_db()
    assert (vorlage.titel, vorlage.nummer, vorlage.status) == ("Neuer Titel", 1, Vorlage.Status.ENTWURF)
    assert meldungen(antwort) == ["GRDrs 1/2026 ist gespeichert und registriert."]
    inhalt = antwort.content.decode()
    assert 'name="_nummer_vergeben"' not in inhalt  # registered: nothing left to give
    # The number, and the Art and Jahr that decide its series, can no longer be changed.
    formular = antwort.context["adminform"].form
    assert not {"art", "nummer", "jahr"} & set(formular.fields)


def test_a_registered_vorlage_is_saved_again_with_its_number_unchanged(sachbearbeitung_client):
    vorlage = entwurf()
    vergeben(vorlage)
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"nummer": "99", "jahr": "2020", "titel": "Geändert"}

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    vorlage.refresh_from_db()
    assert (vorlage.titel, vorlage.nummer, vorlage.jahr, vorlage.kennung) == ("Geändert", 1, 2026, "grdrs-1-2026")


def test_a_new_draft_is_saved_without_a_number_and_registered_in_one_go(sachbearbeitung_client):
    url = admin_url(Vorlage, "add")
    daten = formulardaten(sachbearbeitung_client.get(url)) | {
        "art": Vorlage.Art.ANTRAG,
        "nummer": "",
        "jahr": "2026",
        "datum": "2026-12-07",
        "titel": "Ein Antrag",
        "dienststelle": str(DienststelleFactory().pk),
        "_nummer_vergeben": "1",
    }

    antwort = sachbearbeitung_client.post(url, daten, follow=True)

    assert antwort.status_code == 200
    vorlage = Vorlage.objects.get()
    assert (vorlage.bezeichnung, vorlage.kennung) == ("Antrag 1/2026", "antrag-1-2026")


def test_a_draft_saved_without_a_number_keeps_the_field_open(sachbearbeitung_client):
    url = admin_url(Vorlage, "add")
    daten = formulardaten(sachbearbeitung_client.get(url)) | {
        "art": GRDRS,
        "nummer": "",
        "jahr": "2026",
        "datum": "2026-12-07",
        "titel": "Noch ohne Nummer",
        "dienststelle": str(DienststelleFactory().pk),
    }

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    vorlage = Vorlage.objects.get()
    assert vorlage.nummer is None
    seite = sachbearbeitung_client.get(admin_url(Vorlage, "change", vorlage.pk))
    assert "nummer" in seite.context["adminform"].form.fields
    assert 'name="_nummer_vergeben"' in seite.content.decode()


def test_publishing_a_draft_without_a_number_from_the_form_says_why_not(sachbearbeitung_client):
    vorlage = entwurf()
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"_veroeffentlichen": "1"}

    antwort = sachbearbeitung_client.post(url, daten, follow=True)

    (meldung,) = meldungen(antwort)
    assert "nicht veröffentlicht" in meldung and "Nummer vergeben (registrieren)" in meldung
    assert Vorlage.objects.get(pk=vorlage.pk).status == Vorlage.Status.ENTWURF


def test_the_counters_can_be_read_but_not_changed_in_the_admin(sachbearbeitung_client):
    zaehler = NummernzaehlerFactory(letzte_nummer=12)

    assert sachbearbeitung_client.get(admin_url(Nummernzaehler, "changelist")).status_code == 200
    assert sachbearbeitung_client.get(admin_url(Nummernzaehler, "add")).status_code == 403
    antwort = sachbearbeitung_client.post(admin_url(Nummernzaehler, "change", zaehler.pk), {"letzte_nummer": "1"})
    assert antwort.status_code == 403
    assert Nummernzaehler.objects.get().letzte_nummer == 12


# Two clerks at the same moment -------------------------------------------------------------------------------------


def _gleichzeitig(aufgaben):
    """Run the callables in threads released together, each with its own database connection."""
    start = threading.Barrier(len(aufgaben))
    ergebnisse, fehler = [None] * len(aufgaben), []

    def laufen(index, aufgabe):
        try:
            start.wait()
            ergebnisse[index] = aufgabe()
        except Exception as ausnahme:
            fehler.append(ausnahme)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=laufen, args=(i, aufgabe)) for i, aufgabe in enumerate(aufgaben)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ergebnisse, fehler


NUR_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer with its database lock (transaction_mode IMMEDIATE); the row lock that "
    "keeps concurrent clerks apart exists only on PostgreSQL.",
)


@NUR_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_clerks_registering_at_the_same_moment_get_distinct_consecutive_numbers():
    VorlageFactory(art=GRDRS, nummer=99, jahr=2026)
    entwuerfe = [entwurf() for _ in range(8)]
    antraege = [entwurf(art=Vorlage.Art.ANTRAG) for _ in range(4)]

    def registrieren(pk):
        return lambda: nummer_vergeben(vorlage=Vorlage.objects.get(pk=pk), user=None).nummer

    ergebnisse, fehler = _gleichzeitig([registrieren(v.pk) for v in [*entwuerfe, *antraege]])

    assert fehler == []
    assert sorted(ergebnisse[: len(entwuerfe)]) == list(range(100, 108))
    assert sorted(ergebnisse[len(entwuerfe) :]) == [1, 2, 3, 4]
    assert dict(Nummernzaehler.objects.values_list("nummernkreis", "letzte_nummer")) == {"GRDrs": 107, "Antrag": 4}


@NUR_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_clerks_registering_the_same_draft_give_it_one_number():
    vorlage = entwurf()

    ergebnisse, fehler = _gleichzeitig(
        [lambda: nummer_vergeben(vorlage=Vorlage.objects.get(pk=vorlage.pk), user=None).nummer] * 2
    )

    assert [e for e in ergebnisse if e is not None] == [1]
    assert [type(f) for f in fehler] == [ValidationError]
    assert Nummernzaehler.objects.get().letzte_nummer == 1
