"""scripts/sicherung and scripts/wiederherstellen: a round trip of the demo data (rows and files) into a fresh
database, a comparison that notices a changed row or file, and sentences instead of tracebacks on bad input.

The scripts run as the operator runs them, in a process of their own, on a database of their own: on SQLite a
file in a temporary folder, on PostgreSQL (when DATABASE_URL names one) databases next to the test database,
named after it with ``_sicherung_…``.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection
from psycopg import sql

WURZEL = Path(__file__).resolve().parent.parent
AUF_POSTGRESQL = connection.vendor == "postgresql"


def _pg_server_url(name):
    teile = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(teile._replace(path=f"/{name}"))


def _pg_ausfuehren(befehl):
    with psycopg.connect(_pg_server_url("postgres").replace("postgres://", "postgresql://", 1), autocommit=True) as v:
        v.execute(befehl)


def datenbank_anlegen(name, ordner):
    """A URL for a new, empty database called ``name``."""
    if AUF_POSTGRESQL:
        pg_name = f"{connection.settings_dict['NAME']}_sicherung_{name}"
        _pg_ausfuehren(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(pg_name)))
        return _pg_server_url(pg_name)
    return f"sqlite:///{ordner / 'ratsinfo.sqlite3'}"


def datenbank_entfernen(url):
    if AUF_POSTGRESQL:
        name = urlsplit(url).path.lstrip("/")
        _pg_ausfuehren(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def umgebung(url, ordner, weitere=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RATSINFO_"))}
    return {**env, "DATABASE_URL": url, "RATSINFO_DATA_DIR": str(ordner), **(weitere or {})}


def ausfuehren(befehl, url, ordner, weitere=None):
    return subprocess.run(
        [str(teil) for teil in befehl], env=umgebung(url, ordner, weitere), cwd=WURZEL, capture_output=True, text=True
    )


def skript(name, *argumente, url, ordner, weitere=None):
    return ausfuehren([sys.executable, WURZEL / "scripts" / name, *argumente], url, ordner, weitere)


@pytest.fixture(scope="module")
def quelle(tmp_path_factory):
    """A site with the demo data (with their Anlagen files) and a backup of it."""
    ordner = tmp_path_factory.mktemp("quelle")
    url = datenbank_anlegen("quelle", ordner)
    if AUF_POSTGRESQL:
        _pg_ausfuehren(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(urlsplit(url).path.lstrip("/"))))
    for befehl in (["migrate", "--no-input", "-v0"], ["demodaten_laden", "-v0"]):
        ergebnis = ausfuehren([sys.executable, WURZEL / "manage.py", *befehl], url, ordner)
        assert ergebnis.returncode == 0, ergebnis.stderr
    ergebnis = skript("sicherung", "--ziel", ordner / "sicherungen", url=url, ordner=ordner)
    assert ergebnis.returncode == 0, ergebnis.stderr
    (sicherung,) = (ordner / "sicherungen").iterdir()
    yield SimpleNamespace(url=url, ordner=ordner, sicherung=sicherung)
    datenbank_entfernen(url)


@pytest.fixture
def ziel(tmp_path):
    ordner = tmp_path / "ziel"
    url = datenbank_anlegen("ziel", ordner)
    yield SimpleNamespace(url=url, ordner=ordner)
    datenbank_entfernen(url)


def wiederherstellen(quelle, ziel, *argumente, sicherung=None):
    return skript("wiederherstellen", sicherung or quelle.sicherung, *argumente, url=ziel.url, ordner=ziel.ordner)


def dateien(ordner):
    return {
        p.relative_to(ordner).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in ordner.rglob("*")
        if p.is_file()
    }


def zeile_aendern(ziel, sql_befehl):
    if AUF_POSTGRESQL:
        with psycopg.connect(ziel.url.replace("postgres://", "postgresql://", 1)) as verbindung:
            verbindung.execute(sql_befehl)
    else:
        with sqlite3.connect(ziel.ordner / "ratsinfo.sqlite3") as verbindung:
            verbindung.execute(sql_befehl)
        verbindung.close()


def test_a_backup_restored_into_a_fresh_database_has_the_same_rows_checksums_and_files(quelle, ziel):
    manifest = json.loads((quelle.sicherung / "manifest.json").read_text())
    datenbankdatei = "datenbank.dump" if AUF_POSTGRESQL else "datenbank.sqlite3"
    assert sorted(p.name for p in quelle.sicherung.iterdir()) == sorted(
        [datenbankdatei, "anlagen.tar", "druck.tar", "media.tar", "manifest.json"]
    )
    assert manifest["tabellen"]["vorlagen_vorlage"] > 0 and manifest["tabellen"]["vorlagen_anlage"] > 0
    assert set(manifest["pruefsummen"]) >= {"vorlagen_vorlage", "vorlagen_anlage", "sitzungen_sitzung"}
    assert manifest["medien"]["anlagen"]["dateien"] == dateien(quelle.ordner / "anlagen") != {}

    ergebnis = wiederherstellen(quelle, ziel)

    assert ergebnis.returncode == 0, ergebnis.stderr
    assert "Wiederhergestellt und geprüft" in ergebnis.stdout
    assert dateien(ziel.ordner / "anlagen") == dateien(quelle.ordner / "anlagen")


@pytest.mark.parametrize(
    ("aenderung", "satz"),
    [
        ("UPDATE vorlagen_vorlage SET titel = 'Geändert' WHERE id = (SELECT min(id) FROM vorlagen_vorlage)",
         "Die Prüfsumme über vorlagen_vorlage"),
        ("DELETE FROM vorlagen_anlageseite WHERE id = (SELECT max(id) FROM vorlagen_anlageseite)",
         "Die Tabelle vorlagen_anlageseite hat"),
    ],
)  # fmt: skip
def test_the_comparison_fails_when_a_restored_row_is_changed(quelle, ziel, aenderung, satz):
    assert wiederherstellen(quelle, ziel).returncode == 0
    zeile_aendern(ziel, aenderung)

    ergebnis = wiederherstellen(quelle, ziel, "--nur-pruefen")

    assert ergebnis.returncode == 1
    assert satz in ergebnis.stderr


def test_the_comparison_fails_when_a_restored_file_is_changed_or_missing(quelle, ziel):
    assert wiederherstellen(quelle, ziel).returncode == 0
    erste, zweite = sorted(p for p in (ziel.ordner / "anlagen").rglob("*.pdf"))[:2]
    erste.write_bytes(erste.read_bytes() + b"%")
    zweite.unlink()

    ergebnis = wiederherstellen(quelle, ziel, "--nur-pruefen")

    assert ergebnis.returncode == 1
    name = erste.relative_to(ziel.ordner).as_posix()
    assert f"Die Datei {name} weicht von der Sicherung ab" in ergebnis.stderr
    assert f"Die Datei {zweite.relative_to(ziel.ordner).as_posix()} fehlt" in ergebnis.stderr


def test_the_restore_refuses_a_database_that_is_not_empty_unless_told_to_overwrite(quelle, ziel):
    assert wiederherstellen(quelle, ziel).returncode == 0

    abgelehnt = wiederherstellen(quelle, ziel)
    assert abgelehnt.returncode == 2
    assert "Nicht leer" in abgelehnt.stderr and "--ueberschreiben" in abgelehnt.stderr

    ueberschrieben = wiederherstellen(quelle, ziel, "--ueberschreiben")
    assert ueberschrieben.returncode == 0, ueberschrieben.stderr


def test_a_damaged_backup_is_not_restored(quelle, ziel, tmp_path):
    kopie = shutil.copytree(quelle.sicherung, tmp_path / "kopie")
    with open(kopie / "anlagen.tar", "r+b") as archiv:
        archiv.seek(600)
        archiv.write(b"kaputt")

    ergebnis = wiederherstellen(quelle, ziel, sicherung=kopie)

    assert ergebnis.returncode == 2
    assert "Die Sicherung ist beschädigt: die Prüfsumme von anlagen.tar stimmt nicht." in ergebnis.stderr
    assert not (ziel.ordner / "anlagen").exists()


@pytest.mark.parametrize(
    ("argumente", "satz"),
    [
        (["/gibt/es/nicht"], "Den Sicherungsordner /gibt/es/nicht gibt es nicht."),
        (["{leer}"], "ist keine Sicherung: manifest.json fehlt."),
        (["{sicherung}", "--datenbank", "mysql://jemand@irgendwo/ratsinfo"], "nur PostgreSQL (postgres://…)"),
        (["{sicherung}", "--nur-pruefen", "--datenbank", "postgres://postgres@127.0.0.1:1/ratsinfo"],
         "Keine Verbindung zur PostgreSQL-Datenbank ratsinfo auf 127.0.0.1:1"),
        (["{sicherung}", "--datenbank", "{andere}"], "Die Sicherung stammt aus"),
        (["{sicherung}", "--datenbank", "sqlite:///:memory:"], "nennt keine SQLite-Datei"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_sentence_not_a_traceback(quelle, ziel, tmp_path, argumente, satz):
    andere = f"sqlite:///{tmp_path / 'x.sqlite3'}" if AUF_POSTGRESQL else "postgres://postgres@127.0.0.1:1/ratsinfo"
    argumente = [a.format(sicherung=quelle.sicherung, leer=tmp_path, andere=andere) for a in argumente]

    ergebnis = skript("wiederherstellen", *argumente, url=ziel.url, ordner=ziel.ordner)

    assert ergebnis.returncode == 2
    assert satz in ergebnis.stderr
    assert "Traceback" not in ergebnis.stderr + ergebnis.stdout


def test_a_backup_of_a_missing_database_file_is_a_sentence(tmp_path):
    ergebnis = skript(
        "sicherung", "--ziel", tmp_path / "s", "--datenbank", f"sqlite:///{tmp_path / 'fehlt.sqlite3'}",
        url="sqlite:///unbenutzt", ordner=tmp_path,
    )  # fmt: skip

    assert ergebnis.returncode == 2
    assert f"Die SQLite-Datei {tmp_path / 'fehlt.sqlite3'} gibt es nicht." in ergebnis.stderr
    assert not any((tmp_path / "s").iterdir())


# With RATSINFO_SPEICHER=s3: the Anlagen and PDFs are objects in the bucket (moto's server of tests/s3.py) ------------


def objekte(s3_server, praefix):
    """sha256 of every object below ``praefix``, read from the endpoint, by name below it."""
    client = s3_server.client()
    return {
        schluessel.removeprefix(f"{praefix}/"): hashlib.sha256(
            client.get_object(Bucket=s3_server.bucket, Key=schluessel)["Body"].read()
        ).hexdigest()
        for schluessel in s3_server.schluessel(f"{praefix}/")
    }


@pytest.fixture(scope="module")
def s3_quelle(s3_server, tmp_path_factory):
    """A site with the demo data whose files are in the bucket, and a backup of it."""
    ordner = tmp_path_factory.mktemp("s3_quelle")
    url = datenbank_anlegen("s3_quelle", ordner)
    if AUF_POSTGRESQL:
        _pg_ausfuehren(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(urlsplit(url).path.lstrip("/"))))
    praefix = f"sicherung-{uuid.uuid4().hex[:8]}"
    weitere = s3_server.umgebung(praefix)
    for befehl in (["migrate", "--no-input", "-v0"], ["demodaten_laden", "-v0"]):
        ergebnis = ausfuehren([sys.executable, WURZEL / "manage.py", *befehl], url, ordner, weitere)
        assert ergebnis.returncode == 0, ergebnis.stderr
    ergebnis = skript("sicherung", "--ziel", ordner / "sicherungen", url=url, ordner=ordner, weitere=weitere)
    assert ergebnis.returncode == 0, ergebnis.stderr
    (sicherung,) = (ordner / "sicherungen").iterdir()
    yield SimpleNamespace(url=url, ordner=ordner, sicherung=sicherung, praefix=praefix)
    datenbank_entfernen(url)


@pytest.fixture
def s3_ziel(s3_server, ziel):
    ziel.praefix = f"ziel-{uuid.uuid4().hex[:8]}"
    ziel.weitere = s3_server.umgebung(ziel.praefix)
    return ziel


def s3_wiederherstellen(quelle, ziel, *argumente):
    return skript(
        "wiederherstellen", quelle.sicherung, *argumente, url=ziel.url, ordner=ziel.ordner, weitere=ziel.weitere
    )


def test_a_backup_with_the_bucket_holds_its_objects_and_restores_them_into_another_bucket_prefix(
    s3_server, s3_quelle, s3_ziel
):
    manifest = json.loads((s3_quelle.sicherung / "manifest.json").read_text())
    im_bucket = objekte(s3_server, s3_quelle.praefix)
    anlagen = {name.removeprefix("anlagen/"): summe for name, summe in im_bucket.items() if name.startswith("anlagen/")}
    assert anlagen != {} and manifest["medien"]["anlagen"]["dateien"] == anlagen
    # Nothing came from, or went to, a folder of the machine.
    assert not (s3_quelle.ordner / "anlagen").exists()

    ergebnis = s3_wiederherstellen(s3_quelle, s3_ziel)

    assert ergebnis.returncode == 0, ergebnis.stderr
    assert "Wiederhergestellt und geprüft" in ergebnis.stdout
    assert objekte(s3_server, s3_ziel.praefix) == {
        name: summe for name, summe in im_bucket.items() if name.startswith(("anlagen/", "druck/"))
    }
    assert not (s3_ziel.ordner / "anlagen").exists()


def test_the_comparison_reads_the_checksums_of_the_restored_objects_back_from_the_bucket(s3_server, s3_quelle, s3_ziel):
    assert s3_wiederherstellen(s3_quelle, s3_ziel).returncode == 0
    client = s3_server.client()
    erste, zweite = [k for k in s3_server.schluessel(f"{s3_ziel.praefix}/anlagen/") if k.endswith(".pdf")][:2]
    inhalt = client.get_object(Bucket=s3_server.bucket, Key=erste)["Body"].read()
    client.put_object(Bucket=s3_server.bucket, Key=erste, Body=inhalt + b"%")
    client.delete_object(Bucket=s3_server.bucket, Key=zweite)

    ergebnis = s3_wiederherstellen(s3_quelle, s3_ziel, "--nur-pruefen")

    assert ergebnis.returncode == 1
    assert f"Die Datei {erste.removeprefix(s3_ziel.praefix + '/')} weicht von der Sicherung ab" in ergebnis.stderr
    assert f"Die Datei {zweite.removeprefix(s3_ziel.praefix + '/')} fehlt" in ergebnis.stderr


def test_the_restore_refuses_a_bucket_prefix_that_is_not_empty_unless_told_to_overwrite(s3_server, s3_quelle, s3_ziel):
    s3_server.client().put_object(Bucket=s3_server.bucket, Key=f"{s3_ziel.praefix}/anlagen/alt.pdf", Body=b"alt")

    abgelehnt = s3_wiederherstellen(s3_quelle, s3_ziel)
    assert abgelehnt.returncode == 2
    assert f"Nicht leer: der Objektspeicher {s3_server.bucket}/{s3_ziel.praefix}/anlagen" in abgelehnt.stderr

    ueberschrieben = s3_wiederherstellen(s3_quelle, s3_ziel, "--ueberschreiben")
    assert ueberschrieben.returncode == 0, ueberschrieben.stderr
    assert f"{s3_ziel.praefix}/anlagen/alt.pdf" not in s3_server.schluessel(f"{s3_ziel.praefix}/")


def test_an_unreachable_bucket_is_a_sentence_not_a_traceback(s3_quelle, s3_ziel):
    from tests.s3 import freier_port

    s3_ziel.weitere = {
        **s3_ziel.weitere,
        "RATSINFO_S3_ENDPOINT_URL": f"http://127.0.0.1:{freier_port()}",
        "RATSINFO_S3_ZEITLIMIT_SEKUNDEN": "1",
        "RATSINFO_S3_VERSUCHE": "1",
    }

    ergebnis = s3_wiederherstellen(s3_quelle, s3_ziel)

    assert ergebnis.returncode == 2
    assert "ist nicht erreichbar" in ergebnis.stderr and "Traceback" not in ergebnis.stderr
