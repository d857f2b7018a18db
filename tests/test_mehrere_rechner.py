"""Two web processes and a worker that share only PostgreSQL, Redis and the bucket (issue 21), as on several hosts.

Each is a process of its own (gunicorn, ``manage.py db_worker``) with nothing but environment variables in common:
a database next to the test database, Redis db 11 and a prefix of its own in moto's S3 server (tests/s3.py). A
clerk uploads an Anlage through the admin of the first process; the second serves it; a PDF asked for at the second
is rendered by the worker and served by the first.
"""

import html.parser
import os
import subprocess
import sys
import time
import types
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from psycopg import sql

from tests.pdfs import text_pdf
from tests.s3 import freier_port

WURZEL = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
REDIS_URL = "redis://127.0.0.1:6379/11"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several processes share one database only on PostgreSQL (SQLite is the one-machine mode)",
)


def _pg_url(name):
    teile = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(teile._replace(path=f"/{name}"))


def _pg_ausfuehren(befehl):
    with psycopg.connect(_pg_url("postgres").replace("postgres://", "postgresql://", 1), autocommit=True) as v:
        v.execute(befehl)


class _Formular(html.parser.HTMLParser):
    """The fields of the admin's change form as a browser sends them back (without the inlines' empty template)."""

    def __init__(self):
        super().__init__()
        self.daten, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            art = a.get("type", "text")
            if art in ("checkbox", "radio"):
                if "checked" in a:
                    self.daten.setdefault(name, []).append(a.get("value", "on"))
            elif art not in ("file", "submit", "button", "image"):
                self.daten.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
            self.daten.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.daten[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.daten[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.daten[self._textarea][0] += data.removeprefix("\n") if not self.daten[self._textarea][0] else data


def formular(seite):
    leser = _Formular()
    leser.feed(seite)
    return {name: werte[0] if len(werte) == 1 else werte for name, werte in leser.daten.items() if werte}


def warten(bedingung, sekunden, was):
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        if ergebnis := bedingung():
            return ergebnis
        time.sleep(0.2)
    raise AssertionError(f"{was}: nicht binnen {sekunden} s")


@pytest.fixture
def verteilt(s3_server, tmp_path, transactional_db):
    """The shared services and an environment per process; every process started is ended afterwards."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    vorlage = connection.settings_dict["NAME"]
    name = f"{vorlage}_verteilt"
    _pg_ausfuehren(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    # A copy of the migrated, empty test database: migrating afresh would take half a minute.
    connection.close()
    _pg_ausfuehren(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(vorlage)))
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RATSINFO_", "REDIS_"))}
    gemeinsam = {
        **basis,
        **s3_server.umgebung(f"verteilt-{uuid.uuid4().hex[:8]}"),
        "DATABASE_URL": _pg_url(name),
        "REDIS_URL": REDIS_URL,
        "RATSINFO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    prozesse = []

    def starten(befehl, rechner):
        # Each "host" has a data folder of its own that nobody else sees: whatever it wrote there is lost to the others.
        umgebung = {**gemeinsam, "RATSINFO_DATA_DIR": str(tmp_path / rechner)}
        log = open(tmp_path / f"{rechner}.log", "w")  # noqa: SIM115 (closed with the process below)
        prozess = subprocess.Popen(
            [str(teil) for teil in befehl], cwd=WURZEL, env=umgebung, stdout=log, stderr=subprocess.STDOUT
        )
        prozesse.append((prozess, log))
        return prozess

    def manage(*befehl, rechner="verwaltung"):
        ergebnis = subprocess.run(
            [sys.executable, WURZEL / "manage.py", *befehl],
            cwd=WURZEL,
            env={**gemeinsam, "RATSINFO_DATA_DIR": str(tmp_path / rechner)},
            capture_output=True,
            text=True,
        )
        assert ergebnis.returncode == 0, ergebnis.stderr
        return ergebnis.stdout

    def web(rechner):
        port = freier_port()
        prozess = starten(
            [GUNICORN, "ratsinfo.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30", "--no-control-socket"],
            rechner,
        )
        adresse = f"http://127.0.0.1:{port}"

        def bereit():
            assert prozess.poll() is None, (tmp_path / f"{rechner}.log").read_text()
            try:
                return httpx.get(f"{adresse}/", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        return adresse, bereit

    yield types.SimpleNamespace(
        manage=manage, web=web, starten=starten, datenbank=_pg_url(name).replace("postgres://", "postgresql://", 1)
    )
    for prozess, _log in prozesse:
        prozess.terminate()
    for prozess, log in prozesse:
        try:
            prozess.wait(timeout=5)
        except subprocess.TimeoutExpired:
            prozess.kill()
            prozess.wait()
        log.close()
    _pg_ausfuehren(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_an_upload_to_one_web_process_is_served_by_the_other_and_its_pdf_rendered_by_the_worker(verteilt):
    # The test database lacks only the queue's tables (its app is installed with that backend alone).
    verteilt.manage("migrate", "django_tasks_database", "--no-input", "-v0")
    vorlage_pk, kennung = verteilt.manage(
        "shell",
        "-v0",
        "-c",
        "from tests.factories import SachbearbeitungFactory, VorlageFactory;"
        "SachbearbeitungFactory(username='sitzungsdienst');"
        "v = VorlageFactory(titel='Schulcampus Ost'); print(v.pk, v.kennung)",
    ).split()[-2:]
    (a, a_bereit), (b, b_bereit) = verteilt.web("web-a"), verteilt.web("web-b")
    verteilt.starten([sys.executable, WURZEL / "manage.py", "db_worker", "--interval", "0.2", "--no-reload"], "worker")
    warten(a_bereit, 30, "web-a startet")
    warten(b_bereit, 30, "web-b startet")

    # The clerk signs in at the first process and uploads an Anlage there.
    sitzung_a = httpx.Client(base_url=a, timeout=20)
    anmeldung = reverse("admin:login")
    sitzung_a.get(anmeldung)
    antwort = sitzung_a.post(
        anmeldung,
        data={"username": "sitzungsdienst", "password": "geheim-123", "next": reverse("admin:index")},
        headers={"X-CSRFToken": sitzung_a.cookies["csrftoken"], "Referer": f"{a}{anmeldung}"},
    )
    assert antwort.status_code == 302, antwort.text
    aendern = reverse("admin:vorlagen_vorlage_change", args=[vorlage_pk])
    daten = formular(sitzung_a.get(aendern).text)
    zeile = int(daten["anlagen-TOTAL_FORMS"])
    daten.update(
        {
            f"anlagen-{zeile}-titel": "Raumprogramm",
            f"anlagen-{zeile}-reihenfolge": "1",
            f"anlagen-{zeile}-oeffentlich": "on",
        }
    )
    daten["anlagen-TOTAL_FORMS"] = str(zeile + 1)
    daten.pop("_addanother", None), daten.pop("_continue", None)
    pdf = text_pdf("Raumprogramm des Schulcampus Ost")
    antwort = sitzung_a.post(
        aendern,
        data=daten,
        files={f"anlagen-{zeile}-datei": ("raumprogramm.pdf", pdf, "application/pdf")},
        headers={"Referer": f"{a}{aendern}"},
    )
    assert antwort.status_code == 302, antwort.text

    # The second process, which has never seen the upload, serves the file from the bucket.
    with psycopg.connect(verteilt.datenbank) as v:
        anlage_pk, dateiname = v.execute("SELECT id, dateiname FROM vorlagen_anlage").fetchone()
    anlage = reverse("vorlagen:anlage", kwargs={"kennung": kennung, "pk": anlage_pk, "dateiname": dateiname})
    vorlage = httpx.get(f"{b}{reverse('vorlagen:detail', kwargs={'kennung': kennung})}", timeout=20)
    assert vorlage.status_code == 200 and anlage in vorlage.text
    download = httpx.get(f"{b}{anlage}", timeout=20)
    assert download.status_code == 200
    assert download.content == pdf

    # A PDF asked for at the second process is queued, rendered by the worker and served by the first.
    druck = reverse("druck:vorlage", kwargs={"kennung": kennung})
    assert httpx.get(f"{b}{druck}", timeout=20).status_code == 202

    def fertig():
        antwort = httpx.get(f"{a}{druck}", timeout=20)
        return antwort if antwort.status_code == 200 else None

    gedruckt = warten(fertig, 30, "der Worker rendert das PDF")
    assert gedruckt.content.startswith(b"%PDF") and gedruckt.headers["Content-Type"] == "application/pdf"
