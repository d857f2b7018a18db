"""A database outage: a friendly 503 (German, English by the language cookie, JSON for OParl), no half-written data,
and the next request works again without a restart.

On PostgreSQL the outage is real: the test connection's server process is terminated with
``pg_terminate_backend`` from a second connection. On SQLite, which has no server, the queries fail through
``connection.execute_wrapper`` with the OperationalError a locked or vanished database file gives.
"""

import json
import logging
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, InterfaceError, OperationalError, ProgrammingError, connection
from django.urls import reverse

from betrieb import ausfall as ausfall_modul
from betrieb import views as betrieb_views
from tests.factories import VorlageFactory
from tests.test_admin import admin_url, formulardaten
from vorlagen.models import Vorlage

AUF_POSTGRESQL = connection.vendor == "postgresql"


def verbindung_beenden(verbindung):
    """Terminate the server process behind ``verbindung`` from a second connection and wait until it is gone."""
    verbindung.ensure_connection()
    pid = verbindung.connection.info.backend_pid
    zweite = verbindung.get_new_connection(verbindung.get_connection_params())
    try:
        beendet = zweite.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]
    finally:
        zweite.close()
    assert beendet, f"Der Serverprozess {pid} ließ sich nicht beenden."


@pytest.fixture(autouse=True)
def ausfallzaehler_zuruecksetzen():
    ausfall_modul._ausfall["anfragen"] = 0
    yield
    ausfall_modul._ausfall["anfragen"] = 0


@pytest.fixture
def ausfall(transactional_db):
    """``with ausfall():`` breaks the database connection; ``with ausfall(bei=...):`` just before the first query
    for which ``bei(sql)`` is true, so a write can be interrupted halfway."""

    @contextmanager
    def unterbrechen(bei=None):
        def wrapper(execute, sql, params, many, context):
            if bei is None or bei(sql):
                if not AUF_POSTGRESQL:
                    raise OperationalError("unable to open database file")
                if not zustand["unterbrochen"]:
                    zustand["unterbrochen"] = True
                    verbindung_beenden(connection)
            return execute(sql, params, many, context)

        zustand = {"unterbrochen": False}
        if AUF_POSTGRESQL and bei is None:
            verbindung_beenden(connection)
            yield
        else:
            with connection.execute_wrapper(wrapper):
                yield

    yield unterbrechen
    # A test that failed halfway must not leave a dead connection to the flush after it.
    if connection.connection is not None and not connection.is_usable():
        connection.close()


def test_a_page_in_a_database_outage_is_a_german_503_and_the_next_request_works_again(client, ausfall):
    VorlageFactory(titel="Haushaltsplan 2027")
    with ausfall():
        antwort = client.get(reverse("startseite"))
    assert antwort.status_code == 503
    assert antwort["Retry-After"] == str(settings.RATSINFO_AUSFALL_RETRY_AFTER)
    assert antwort["Content-Language"] == "de"
    inhalt = antwort.content.decode()
    assert '<html lang="de">' in inhalt
    assert "Vorübergehend nicht erreichbar" in inhalt
    assert "Traceback" not in inhalt and "OperationalError" not in inhalt

    danach = client.get(reverse("startseite"))
    assert danach.status_code == 200
    assert "Haushaltsplan 2027" in danach.content.decode()


def test_the_503_page_is_english_when_the_language_cookie_says_so(client, ausfall):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with ausfall():
        antwort = client.get(reverse("vorlagen:liste"))
    assert antwort.status_code == 503
    assert antwort["Content-Language"] == "en"
    assert "Temporarily unavailable" in antwort.content.decode()


def test_the_oparl_api_answers_an_outage_with_its_json_error_object(client, ausfall):
    with ausfall():
        antwort = client.get(reverse("oparl:liste", args=["paper"]))
    assert antwort.status_code == 503
    assert antwort["Content-Type"].startswith("application/json")
    assert antwort["Retry-After"]
    fehler = json.loads(antwort.content)
    assert fehler["type"] == "https://schema.oparl.org/1.1/Error"
    assert "nicht erreichbar" in fehler["message"]
    assert client.get(reverse("oparl:liste", args=["paper"])).status_code == 200


def test_the_admin_in_an_outage_answers_503_not_500(client, sachbearbeitung, ausfall):
    client.force_login(sachbearbeitung)
    with ausfall():
        antwort = client.get(admin_url(Vorlage, "changelist"))
    assert antwort.status_code == 503
    assert "Vorübergehend nicht erreichbar" in antwort.content.decode()
    assert client.get(admin_url(Vorlage, "changelist")).status_code == 200


def test_a_write_interrupted_by_an_outage_answers_503_and_leaves_nothing_half_written(client, sachbearbeitung, ausfall):
    from tests.factories import DienststelleFactory

    client.force_login(sachbearbeitung)
    daten = formulardaten(client.get(admin_url(Vorlage, "add")))
    daten.update(
        art=Vorlage.Art.BESCHLUSSVORLAGE,
        nummer="952",
        jahr="2021",
        datum="2021-11-09",
        titel="Eine Vorlage, die nie ankommt",
        dienststelle=str(DienststelleFactory().pk),
    )
    einfuegungen = []

    def zweite_einfuegung(sql):
        if sql.lstrip().upper().startswith("INSERT"):
            einfuegungen.append(sql)
        return len(einfuegungen) == 2

    with ausfall(bei=zweite_einfuegung):
        antwort = client.post(admin_url(Vorlage, "add"), daten)
    assert antwort.status_code == 503
    # The Vorlage was inserted before the connection broke, then the transaction was lost with it.
    assert "vorlagen_vorlage" in einfuegungen[0]
    assert not Vorlage.objects.exists()
    assert not LogEntry.objects.exists()


def test_an_outage_is_logged_once_and_its_end_once(client, ausfall, caplog):
    caplog.set_level(logging.INFO)
    with ausfall():
        assert client.get(reverse("startseite")).status_code == 503
    with ausfall():
        assert client.get(reverse("vorlagen:liste")).status_code == 503
    assert client.get(reverse("startseite")).status_code == 200

    ausfall_meldungen = [r for r in caplog.records if r.name == "ratsinfo.ausfall"]
    assert [r.levelname for r in ausfall_meldungen] == ["ERROR", "INFO"]
    assert "2 Anfrage(n)" in ausfall_meldungen[1].getMessage()
    # No traceback per request from Django's request logger.
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_the_503_page_renders_without_a_single_query(rf, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        antwort = ausfall_modul.antwort_503(rf.get(reverse("startseite")), OperationalError("server closed"))
    assert antwort.status_code == 503


@pytest.mark.parametrize(
    ("fehler", "status"),
    [
        (OperationalError("could not connect to server"), 503),
        (InterfaceError("connection already closed"), 503),
        (IntegrityError("duplicate key value violates unique constraint"), 500),
        (ProgrammingError("column does not exist"), 500),
        (ValueError("ein Programmfehler"), 500),
    ],
)
def test_an_outage_outside_a_view_answers_503_and_other_errors_500(rf, db, fehler, status):
    """handler500 sees errors of the middleware (a session saved after the view), where process_exception cannot;
    a wrong query or wrong data is a bug, not an outage."""
    anfrage = rf.get(reverse("startseite"))
    try:
        raise fehler
    except Exception:
        assert betrieb_views.server_error(anfrage).status_code == status
