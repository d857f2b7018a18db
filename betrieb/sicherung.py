"""Backup and restore of the database and the files: ``scripts/sicherung`` and ``scripts/wiederherstellen``.

A backup is a folder ``ratsinfo-sicherung-JJJJMMTT-HHMMSS`` with

* ``datenbank.dump``: ``pg_dump --format=custom`` of PostgreSQL, or ``datenbank.sqlite3``: SQLite's online backup
  of the embedded database (consistent while the site runs);
* ``anlagen.tar``, ``druck.tar``, ``media.tar``: the storage folders of the Anlagen, the rendered PDFs and the
  public media; with ``RATSINFO_SPEICHER=s3`` the Anlagen and PDFs are the objects of the bucket, read and written
  through Django's storage API (``Objektablage``), in the same tar format, so a backup of disk restores into a
  bucket and the other way round;
* ``manifest.json``: the row count of every table, a sha256 over selected columns of a few tables
  (``PRUEFSPALTEN``), the sha256 of every stored file and of every file of the backup itself.

On PostgreSQL the counts and checksums are read in the very snapshot that ``pg_dump`` dumps (an exported
snapshot), so a backup of a running site is consistent with its manifest.

The restore goes into a fresh database and empty folders (``--ueberschreiben`` replaces what is there), then
reads counts and checksums from what it restored and compares them with the manifest; any difference is a
sentence and exit status 1. Bad input (no such folder, a URL that is not a database) is a sentence and exit
status 2, never a traceback.

This module imports no app and no model: it works on any database the URL names, with the DB-API (sqlite3,
psycopg) and the PostgreSQL client programs, so it runs where Django could not start (a wrong DATABASE_URL, a
production environment without its secrets) and on a database that is not the configured one. Only a bucket needs
Django: its storages come from the settings (``storages["anlagen"]``), by name, without importing their app.
"""

import argparse
import datetime
import functools
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

# A checksum over these columns of these tables, in id order: the heart of the data, cheap to read.
PRUEFSPALTEN = {
    "vorlagen_vorlage": ["id", "kennung", "titel", "status", "datum", "veroeffentlicht_am", "bericht"],
    "vorlagen_anlage": ["id", "vorlage_id", "datei", "dateiname", "groesse", "oeffentlich", "vertraulich"],
    "sitzungen_sitzung": ["id", "name", "beginn", "status", "ausschuss_id"],
    "sitzungen_tagesordnungspunkt": ["id", "sitzung_id", "nummer", "titel", "beschluss"],
    "sitzungen_beratung": ["id", "vorlage_id", "ausschuss_id", "sitzung_id", "ergebnis"],
    "auth_user": ["id", "username", "password", "is_active"],
}
MEDIEN = ("anlagen", "druck", "media")
MANIFEST = "manifest.json"
FORMAT = 1


class Abbruch(Exception):
    """A sentence for the operator and the exit status: 1 for a difference, 2 for bad input."""

    def __init__(self, meldung, status=2):
        super().__init__(meldung)
        self.meldung, self.status = meldung, status


def sha256_datei(pfad):
    summe = hashlib.sha256()
    with open(pfad, "rb") as datei:
        while block := datei.read(1024 * 1024):
            summe.update(block)
    return summe.hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# The database


class Datenbank:
    """The database a URL names (``postgres://…`` or ``sqlite:///…``), as in DATABASE_URL."""

    def __init__(self, url):
        import dj_database_url

        self.url = url
        try:
            einstellungen = dj_database_url.parse(url)
        except Exception as fehler:  # dj_database_url raises ValueError and its own errors for unknown schemes
            raise Abbruch(
                f"„{url}“ ist keine Datenbank-URL ({fehler}); erwartet postgres://… oder sqlite:///…."
            ) from None
        engine = einstellungen.get("ENGINE", "")
        if engine.endswith("sqlite3"):
            self.engine = "sqlite"
            self.pfad = Path(einstellungen["NAME"]) if einstellungen.get("NAME") not in (None, "", ":memory:") else None
            if self.pfad is None:
                raise Abbruch(f"„{url}“ nennt keine SQLite-Datei; eine Datenbank im Speicher lässt sich nicht sichern.")
        elif "postgresql" in engine:
            self.engine = "postgresql"
            if not einstellungen.get("NAME"):
                raise Abbruch(f"„{url}“ nennt keine Datenbank (…/name am Ende).")
            self.name = einstellungen["NAME"]
            self.verbindung_parameter = {
                "host": einstellungen.get("HOST") or "localhost",
                "port": str(einstellungen.get("PORT") or 5432),
                "user": einstellungen.get("USER") or "",
                "password": einstellungen.get("PASSWORD") or "",
            }
        else:
            raise Abbruch(f"„{url}“: nur PostgreSQL (postgres://…) und SQLite (sqlite:///…) werden unterstützt.")

    def __str__(self):
        if self.engine == "sqlite":
            return f"SQLite-Datei {self.pfad}"
        p = self.verbindung_parameter
        return f"PostgreSQL-Datenbank {self.name} auf {p['host']}:{p['port']}"

    # PostgreSQL ------------------------------------------------------------------------------------------------

    def pg_umgebung(self, datenbank=None):
        """The environment for pg_dump/pg_restore: the password never appears on a command line."""
        p = self.verbindung_parameter
        umgebung = {**os.environ, "PGHOST": p["host"], "PGPORT": p["port"], "PGDATABASE": datenbank or self.name}
        if p["user"]:
            umgebung["PGUSER"] = p["user"]
        if p["password"]:
            umgebung["PGPASSWORD"] = p["password"]
        return umgebung

    def pg_verbinden(self, datenbank=None, autocommit=False):
        import psycopg

        p = self.verbindung_parameter
        try:
            verbindung = psycopg.connect(
                host=p["host"],
                port=p["port"],
                user=p["user"] or None,
                password=p["password"] or None,
                dbname=datenbank or self.name,
                connect_timeout=10,
                autocommit=autocommit,
                # Times as text in one zone, so the checksums do not depend on the server's setting.
                options="-c TimeZone=UTC",
            )
        except psycopg.OperationalError as fehler:
            grund = " ".join(zeile.strip() for zeile in str(fehler).splitlines() if zeile.strip())
            grund = grund or type(fehler).__name__
            ort = f"{p['host']}:{p['port']}"
            raise Abbruch(
                f"Keine Verbindung zur PostgreSQL-Datenbank {datenbank or self.name} auf {ort}: {grund}"
            ) from None
        return verbindung

    def pg_existiert(self):
        with self.pg_verbinden("postgres", autocommit=True) as verbindung:
            return (
                verbindung.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone() is not None
            )

    # Both ------------------------------------------------------------------------------------------------------

    def verbinden(self):
        if self.engine == "postgresql":
            return self.pg_verbinden()
        if not self.pfad.exists():
            raise Abbruch(f"Die SQLite-Datei {self.pfad} gibt es nicht.")
        return sqlite3.connect(f"file:{self.pfad}?mode=ro", uri=True)

    def tabellen(self, verbindung):
        if self.engine == "postgresql":
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        return [zeile[0] for zeile in verbindung.execute(sql).fetchall()]

    def spalten(self, verbindung, tabelle):
        if self.engine == "postgresql":
            sql = "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s"
            return {zeile[0] for zeile in verbindung.execute(sql, [tabelle]).fetchall()}
        return {zeile[1] for zeile in verbindung.execute(f'PRAGMA table_info("{tabelle}")').fetchall()}


def _wert(wert):
    if wert is None:
        return "\x00"
    if isinstance(wert, bytes | memoryview):
        return bytes(wert).hex()
    return str(wert)


def pruefdaten(datenbank, verbindung, spalten_je_tabelle=None):
    """Row counts of every table and checksums over the columns of ``PRUEFSPALTEN`` (or the manifest's)."""
    tabellen = datenbank.tabellen(verbindung)
    zaehlung = {t: verbindung.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tabellen}
    pruefsummen = {}
    gewuenscht = spalten_je_tabelle or PRUEFSPALTEN
    for tabelle, spalten in gewuenscht.items():
        if tabelle not in zaehlung:
            continue
        vorhanden = datenbank.spalten(verbindung, tabelle)
        spalten = [s for s in spalten if s in vorhanden] if spalten_je_tabelle is None else spalten
        summe = hashlib.sha256()
        liste = ", ".join(f'"{s}"' for s in spalten)
        for zeile in verbindung.execute(f'SELECT {liste} FROM "{tabelle}" ORDER BY "id"'):
            summe.update(("\x1f".join(_wert(w) for w in zeile) + "\x1e").encode())
        pruefsummen[tabelle] = {"spalten": spalten, "sha256": summe.hexdigest()}
    return {"tabellen": zaehlung, "pruefsummen": pruefsummen}


# ---------------------------------------------------------------------------------------------------------------
# Files


class Objektablage:
    """The objects of one storage of the bucket (``storages["anlagen"]``, ``storages["druck"]``) as a backup sees
    them: listed, read and written through Django's storage API, never by a path on this machine."""

    def __init__(self, alias, storage):
        self.alias, self.storage = alias, storage

    def __str__(self):
        praefix = getattr(self.storage, "location", "")
        return f"der Objektspeicher {getattr(self.storage, 'bucket_name', '')}/{praefix}".rstrip("/")

    def namen(self, pfad=""):
        ordner, dateien = self.storage.listdir(pfad)
        for datei in sorted(dateien):
            yield f"{pfad}/{datei}" if pfad else datei
        for unterordner in sorted(ordner):
            yield from self.namen(f"{pfad}/{unterordner}" if pfad else unterordner)

    def lesen(self, name):
        with self.storage.open(name, "rb") as datei:
            return datei.read()

    def pruefsumme(self, name):
        summe = hashlib.sha256()
        with self.storage.open(name, "rb") as datei:
            while block := datei.read(1024 * 1024):
                summe.update(block)
        return summe.hexdigest()

    def schreiben(self, name, datei):
        from django.core.files import File

        gespeichert = self.storage.save(name, File(datei, name=name))
        if gespeichert != name:
            # The storage never overwrites; another name would leave the database pointing at nothing.
            self.storage.delete(gespeichert)
            raise Abbruch(f"{self}: {name} ließ sich nicht unter seinem Namen speichern (dort lag schon ein Objekt).")


def _als_abbruch(arbeit):
    """Run ``arbeit``; an unreachable store (an ``OSError``, see ratsinfo.speicher) is a sentence, not a traceback."""

    @functools.wraps(arbeit)
    def aufruf(ablage, *args, **kwargs):
        if not isinstance(ablage, Objektablage):
            return arbeit(ablage, *args, **kwargs)
        try:
            return arbeit(ablage, *args, **kwargs)
        except OSError as fehler:
            raise Abbruch(f"{ablage} ist nicht erreichbar: {fehler}") from None

    return aufruf


@_als_abbruch
def dateien_verzeichnen(ordner):
    """sha256 of every file below ``ordner`` (or every object of an ``Objektablage``), by path relative to it."""
    if isinstance(ordner, Objektablage):
        return {name: ordner.pruefsumme(name) for name in ordner.namen()}
    ordner = Path(ordner)
    if not ordner.is_dir():
        return {}
    return {
        pfad.relative_to(ordner).as_posix(): sha256_datei(pfad) for pfad in sorted(ordner.rglob("*")) if pfad.is_file()
    }


@_als_abbruch
def ordner_packen(ordner, archiv):
    """Tar the files below ``ordner``; returns their sha256, read from exactly the bytes that went into the tar."""
    summen = {}
    if isinstance(ordner, Objektablage):
        with tarfile.open(archiv, "w") as tar:
            for name in ordner.namen():
                inhalt = ordner.lesen(name)
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(inhalt), 0o644, int(datetime.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(inhalt))
                summen[name] = hashlib.sha256(inhalt).hexdigest()
        return summen
    ordner = Path(ordner)
    with tarfile.open(archiv, "w") as tar:
        if ordner.is_dir():
            for pfad in sorted(ordner.rglob("*")):
                if not pfad.is_file():
                    continue
                name = pfad.relative_to(ordner).as_posix()
                inhalt = pfad.read_bytes()
                info = tar.gettarinfo(str(pfad), arcname=name)
                info.size = len(inhalt)
                tar.addfile(info, io.BytesIO(inhalt))
                summen[name] = hashlib.sha256(inhalt).hexdigest()
    return summen


@_als_abbruch
def ist_leer(ordner):
    if isinstance(ordner, Objektablage):
        return next(ordner.namen(), None) is None
    ordner = Path(ordner)
    return not ordner.exists() or (ordner.is_dir() and not any(ordner.iterdir()))


@_als_abbruch
def ordner_leeren(ordner):
    if isinstance(ordner, Objektablage):
        for name in list(ordner.namen()):
            ordner.storage.delete(name)
        return
    for eintrag in Path(ordner).iterdir():
        if eintrag.is_dir() and not eintrag.is_symlink():
            shutil.rmtree(eintrag)
        else:
            eintrag.unlink()


# ---------------------------------------------------------------------------------------------------------------
# Backup


def sichern(datenbank, ordner, ziel, jetzt=None):
    """Back up ``datenbank`` and the folders ``ordner`` ({"anlagen": Path, …}) into a new folder below ``ziel``."""
    jetzt = jetzt or datetime.datetime.now().astimezone()
    ziel = Path(ziel)
    try:
        ziel.mkdir(parents=True, exist_ok=True)
    except OSError as fehler:
        raise Abbruch(f"Der Zielordner {ziel} lässt sich nicht anlegen: {fehler.strerror}.") from None
    name = f"ratsinfo-sicherung-{jetzt:%Y%m%d-%H%M%S}"
    fertig = ziel / name
    zaehler = 1
    while fertig.exists():
        zaehler += 1
        fertig = ziel / f"{name}-{zaehler}"
    # Written under a temporary name and renamed at the end: a folder with the final name is complete.
    arbeit = ziel / f".{fertig.name}.unvollstaendig"
    arbeit.mkdir()
    try:
        manifest = {"format": FORMAT, "erstellt": jetzt.isoformat(timespec="seconds"), "engine": datenbank.engine}
        if datenbank.engine == "postgresql":
            manifest["datenbank"] = "datenbank.dump"
            manifest.update(_postgresql_sichern(datenbank, arbeit / "datenbank.dump"))
        else:
            manifest["datenbank"] = "datenbank.sqlite3"
            manifest.update(_sqlite_sichern(datenbank, arbeit / "datenbank.sqlite3"))
        manifest["medien"] = {}
        for art, pfad in ordner.items():
            manifest["medien"][art] = {
                "archiv": f"{art}.tar",
                "dateien": ordner_packen(pfad, arbeit / f"{art}.tar"),
            }
        manifest["sha256"] = {
            pfad.name: sha256_datei(pfad) for pfad in sorted(arbeit.iterdir()) if pfad.name != MANIFEST
        }
        (arbeit / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        arbeit.rename(fertig)
    except BaseException:
        shutil.rmtree(arbeit, ignore_errors=True)
        raise
    return fertig, manifest


def _postgresql_sichern(datenbank, datei):
    # One transaction exports its snapshot: pg_dump dumps that snapshot, and the counts are read in it too.
    with datenbank.pg_verbinden(autocommit=True) as verbindung:
        verbindung.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = verbindung.execute("SELECT pg_export_snapshot()").fetchone()[0]
        befehl = ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={datei}"]
        try:
            ergebnis = subprocess.run(befehl, env=datenbank.pg_umgebung(), capture_output=True, text=True)
        except FileNotFoundError:
            raise Abbruch("pg_dump wurde nicht gefunden; installieren Sie die PostgreSQL-Clientprogramme.") from None
        if ergebnis.returncode != 0:
            raise Abbruch(f"pg_dump ist gescheitert: {ergebnis.stderr.strip()}")
        daten = pruefdaten(datenbank, verbindung)
        verbindung.execute("ROLLBACK")
    return daten


def _sqlite_sichern(datenbank, datei):
    quelle = datenbank.verbinden()
    try:
        kopie = sqlite3.connect(datei)
        try:
            quelle.backup(kopie)
            # The copy takes the WAL mode of the site's database; a backup is one file without -wal and -shm.
            kopie.execute("PRAGMA journal_mode=DELETE")
        finally:
            kopie.close()
    except sqlite3.Error as fehler:
        raise Abbruch(f"Die SQLite-Datei {datenbank.pfad} lässt sich nicht sichern: {fehler}.") from None
    finally:
        quelle.close()
    # Counted in the copy: exactly what a restore brings back.
    verbindung = sqlite3.connect(f"file:{datei}?mode=ro", uri=True)
    try:
        return pruefdaten(datenbank, verbindung)
    finally:
        verbindung.close()


# ---------------------------------------------------------------------------------------------------------------
# Restore and comparison


def manifest_lesen(sicherung):
    sicherung = Path(sicherung)
    if not sicherung.is_dir():
        raise Abbruch(f"Den Sicherungsordner {sicherung} gibt es nicht.")
    try:
        manifest = json.loads((sicherung / MANIFEST).read_text())
    except FileNotFoundError:
        raise Abbruch(f"{sicherung} ist keine Sicherung: {MANIFEST} fehlt.") from None
    except (OSError, ValueError) as fehler:
        raise Abbruch(f"{sicherung / MANIFEST} lässt sich nicht lesen: {fehler}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Abbruch(f"{sicherung / MANIFEST} hat ein unbekanntes Format.")
    return manifest


def sicherung_pruefen(sicherung, manifest):
    """The files of the backup against their sha256 in the manifest: a damaged backup is not restored."""
    for name, summe in manifest["sha256"].items():
        pfad = Path(sicherung) / name
        if not pfad.is_file():
            raise Abbruch(f"Die Sicherung ist unvollständig: {name} fehlt.")
        if sha256_datei(pfad) != summe:
            raise Abbruch(f"Die Sicherung ist beschädigt: die Prüfsumme von {name} stimmt nicht.")


def wiederherstellen(sicherung, manifest, datenbank, ordner, ueberschreiben=False):
    sicherung = Path(sicherung)
    if manifest["engine"] != datenbank.engine:
        raise Abbruch(
            f"Die Sicherung stammt aus {manifest['engine']}, das Ziel ist {datenbank}: so lässt sie sich nicht "
            "wiederherstellen."
        )
    sicherung_pruefen(sicherung, manifest)
    # Everything is checked before anything is written.
    belegt = []
    if datenbank.engine == "postgresql":
        vorhanden = datenbank.pg_existiert()
        if vorhanden:
            with datenbank.pg_verbinden() as verbindung:
                if datenbank.tabellen(verbindung):
                    belegt.append(str(datenbank))
    else:
        vorhanden = datenbank.pfad.exists()
        if vorhanden:
            verbindung = sqlite3.connect(datenbank.pfad)
            try:
                if datenbank.tabellen(verbindung):
                    belegt.append(str(datenbank))
            finally:
                verbindung.close()
    for art in manifest["medien"]:
        if art not in ordner:
            raise Abbruch(f"Für die Dateien „{art}“ der Sicherung ist kein Zielordner angegeben.")
        if not ist_leer(ordner[art]):
            belegt.append(str(ordner[art]) if isinstance(ordner[art], Objektablage) else f"der Ordner {ordner[art]}")
    if belegt and not ueberschreiben:
        raise Abbruch(
            f"Nicht leer: {', '.join(belegt)}. Die Wiederherstellung geht in eine frische Datenbank und leere "
            "Ordner; mit --ueberschreiben wird ersetzt, was dort ist."
        )

    if datenbank.engine == "postgresql":
        _postgresql_wiederherstellen(sicherung / manifest["datenbank"], datenbank, vorhanden)
    else:
        _sqlite_wiederherstellen(sicherung / manifest["datenbank"], datenbank)
    for art, eintrag in manifest["medien"].items():
        if isinstance(ordner[art], Objektablage):
            ordner_leeren(ordner[art])
            objekte_entpacken(ordner[art], sicherung / eintrag["archiv"])
            continue
        ziel = Path(ordner[art])
        ziel.mkdir(parents=True, exist_ok=True)
        ordner_leeren(ziel)
        with tarfile.open(sicherung / eintrag["archiv"]) as tar:
            # The "data" filter refuses absolute paths, links out of the folder and device files.
            tar.extractall(ziel, filter="data")


@_als_abbruch
def objekte_entpacken(ablage, archiv):
    with tarfile.open(archiv) as tar:
        for mitglied in tar:
            if mitglied.isdir():
                continue
            # What the "data" filter refuses on disk: no absolute names, no way out of the prefix, only files.
            teile = mitglied.name.split("/")
            if not mitglied.isfile() or mitglied.name.startswith("/") or ".." in teile:
                raise Abbruch(f"{archiv.name} enthält {mitglied.name!r}, das kein Objekt werden darf.")
            ablage.schreiben(mitglied.name, tar.extractfile(mitglied))


def _postgresql_wiederherstellen(dump, datenbank, vorhanden):
    from psycopg import sql

    if not vorhanden:
        with datenbank.pg_verbinden("postgres", autocommit=True) as verbindung:
            verbindung.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(datenbank.name)))
    else:
        with datenbank.pg_verbinden(autocommit=True) as verbindung:
            verbindung.execute("DROP SCHEMA public CASCADE")
            verbindung.execute("CREATE SCHEMA public")
    befehl = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    befehl += ["--dbname", datenbank.name, str(dump)]
    try:
        ergebnis = subprocess.run(befehl, env=datenbank.pg_umgebung(), capture_output=True, text=True)
    except FileNotFoundError:
        raise Abbruch("pg_restore wurde nicht gefunden; installieren Sie die PostgreSQL-Clientprogramme.") from None
    if ergebnis.returncode != 0:
        raise Abbruch(f"pg_restore ist gescheitert: {ergebnis.stderr.strip()}")


def _sqlite_wiederherstellen(datei, datenbank):
    try:
        datenbank.pfad.parent.mkdir(parents=True, exist_ok=True)
        quelle = sqlite3.connect(f"file:{datei}?mode=ro", uri=True)
        ziel = sqlite3.connect(datenbank.pfad)
        try:
            quelle.backup(ziel)
        finally:
            ziel.close()
            quelle.close()
    except (OSError, sqlite3.Error) as fehler:
        raise Abbruch(f"Die SQLite-Datei {datenbank.pfad} lässt sich nicht schreiben: {fehler}.") from None


def vergleichen(manifest, datenbank, ordner):
    """Every difference between the manifest and the database and folders, one sentence each."""
    unterschiede = []
    verbindung = datenbank.verbinden()
    try:
        spalten = {t: e["spalten"] for t, e in manifest["pruefsummen"].items()}
        ist = pruefdaten(datenbank, verbindung, spalten)
    finally:
        verbindung.close()
    soll_tabellen, ist_tabellen = manifest["tabellen"], ist["tabellen"]
    for tabelle in sorted(soll_tabellen.keys() | ist_tabellen.keys()):
        soll, wert = soll_tabellen.get(tabelle), ist_tabellen.get(tabelle)
        if soll is None:
            unterschiede.append(f"Die Tabelle {tabelle} ist nicht in der Sicherung, aber in der Datenbank.")
        elif wert is None:
            unterschiede.append(f"Die Tabelle {tabelle} fehlt in der Datenbank.")
        elif soll != wert:
            unterschiede.append(f"Die Tabelle {tabelle} hat {wert} Zeilen statt {soll} wie in der Sicherung.")
    for tabelle, eintrag in manifest["pruefsummen"].items():
        if tabelle in ist["pruefsummen"] and ist["pruefsummen"][tabelle]["sha256"] != eintrag["sha256"]:
            unterschiede.append(
                f"Die Prüfsumme über {tabelle} ({', '.join(eintrag['spalten'])}) weicht von der Sicherung ab."
            )
    for art, eintrag in manifest["medien"].items():
        soll, vorhanden = eintrag["dateien"], dateien_verzeichnen(ordner[art])
        for name in sorted(soll.keys() | vorhanden.keys()):
            if name not in vorhanden:
                unterschiede.append(f"Die Datei {art}/{name} fehlt.")
            elif name not in soll:
                unterschiede.append(f"Die Datei {art}/{name} ist nicht in der Sicherung.")
            elif soll[name] != vorhanden[name]:
                unterschiede.append(f"Die Datei {art}/{name} weicht von der Sicherung ab (Prüfsumme).")
    return unterschiede


# ---------------------------------------------------------------------------------------------------------------
# Command lines


def _einstellungen(argumente):
    """Database and folders from the options, the rest from Ratsinfo's settings (the same environment variables
    as the site: DATABASE_URL, RATSINFO_DATA_DIR, RATSINFO_ANLAGEN_ROOT, …). With ``RATSINFO_SPEICHER=s3`` the
    Anlagen and PDFs not named by an option are the site's storages in the bucket."""
    werte = {
        "datenbank": argumente.datenbank,
        "anlagen": argumente.anlagen,
        "druck": argumente.druck,
        "media": argumente.media,
    }
    if any(wert is None for wert in werte.values()) or getattr(argumente, "ziel", "") is None:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
        try:
            from django.conf import settings

            aus_einstellungen = {
                "datenbank": settings.DATABASE_URL,
                "anlagen": settings.ANLAGEN_ROOT,
                "druck": settings.DRUCK_ROOT,
                "media": settings.MEDIA_ROOT,
                "ziel": Path(settings.DATA_DIR) / "sicherungen",
            }
        except Exception as fehler:
            raise Abbruch(
                f"Die Einstellungen lassen sich nicht laden ({fehler}). Setzen Sie die Umgebungsvariablen wie für "
                "den Betrieb, oder geben Sie --datenbank, --anlagen, --druck und --media an."
            ) from None
        for name, wert in aus_einstellungen.items():
            if werte.get(name) is None:
                werte[name] = wert
        if getattr(argumente, "ziel", "") is None:
            argumente.ziel = aus_einstellungen["ziel"]
        if getattr(settings, "RATSINFO_SPEICHER", "lokal") == "s3":
            for art in ("anlagen", "druck"):
                if getattr(argumente, art) is None:
                    werte[art] = _objektablage(art)
    ablagen = {
        art: wert if isinstance(wert, Objektablage) else Path(wert) for art, wert in werte.items() if art in MEDIEN
    }
    return Datenbank(str(werte["datenbank"])), ablagen


def _objektablage(alias):
    import django
    from django.core.files.storage import storages

    django.setup()
    return Objektablage(alias, storages[alias])


def _gemeinsame_optionen(parser):
    parser.add_argument("--datenbank", metavar="URL", help="Datenbank-URL (Standard: DATABASE_URL wie die Website)")
    parser.add_argument("--anlagen", metavar="ORDNER", help="Ordner der Anlagen (Standard: RATSINFO_ANLAGEN_ROOT)")
    parser.add_argument("--druck", metavar="ORDNER", help="Ordner der PDFs (Standard: RATSINFO_DRUCK_ROOT)")
    parser.add_argument("--media", metavar="ORDNER", help="Ordner der Medien (Standard: DJANGO_MEDIA_ROOT)")


def _ausfuehren(arbeit):
    try:
        return arbeit()
    except Abbruch as abbruch:
        print(f"Fehler: {abbruch.meldung}", file=sys.stderr)
        return abbruch.status
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except Exception as fehler:
        if os.environ.get("RATSINFO_SICHERUNG_DEBUG"):
            raise
        print(
            f"Fehler: {type(fehler).__name__}: {fehler}. (Mit RATSINFO_SICHERUNG_DEBUG=1 erscheint der Ablauf.)",
            file=sys.stderr,
        )
        return 3


def sicherung_main(argv=None):
    parser = argparse.ArgumentParser(
        prog="scripts/sicherung",
        description="Sichert die Datenbank und die Dateien der Ratsinformation in einen neuen Ordner mit Manifest.",
    )
    parser.add_argument("--ziel", metavar="ORDNER", help="wohin (Standard: RATSINFO_DATA_DIR/sicherungen)")
    _gemeinsame_optionen(parser)
    argumente = parser.parse_args(argv)

    def arbeit():
        datenbank, ordner = _einstellungen(argumente)
        ordner_fertig, manifest = sichern(datenbank, ordner, argumente.ziel)
        zeilen = sum(manifest["tabellen"].values())
        dateien = sum(len(e["dateien"]) for e in manifest["medien"].values())
        groesse = sum(p.stat().st_size for p in ordner_fertig.iterdir()) / 1024 / 1024
        print(
            f"Gesichert: {datenbank}, {len(manifest['tabellen'])} Tabellen mit {zeilen} Zeilen, {dateien} Dateien "
            f"→ {ordner_fertig} ({groesse:.1f} MB)"
        )
        return 0

    return _ausfuehren(arbeit)


def wiederherstellen_main(argv=None):
    parser = argparse.ArgumentParser(
        prog="scripts/wiederherstellen",
        description=(
            "Stellt eine Sicherung in eine frische Datenbank und leere Ordner wieder her und vergleicht danach "
            "Zeilenzahlen und Prüfsummen mit dem Manifest."
        ),
    )
    parser.add_argument("sicherung", metavar="SICHERUNG", help="der Ordner ratsinfo-sicherung-… ")
    parser.add_argument("--ueberschreiben", action="store_true", help="eine nicht leere Datenbank/Ordner ersetzen")
    parser.add_argument(
        "--nur-pruefen", action="store_true", help="nichts wiederherstellen, nur Datenbank und Ordner vergleichen"
    )
    _gemeinsame_optionen(parser)
    argumente = parser.parse_args(argv)

    def arbeit():
        manifest = manifest_lesen(argumente.sicherung)
        datenbank, ordner = _einstellungen(argumente)
        if not argumente.nur_pruefen:
            wiederherstellen(argumente.sicherung, manifest, datenbank, ordner, argumente.ueberschreiben)
        unterschiede = vergleichen(manifest, datenbank, ordner)
        if unterschiede:
            print(f"Abweichungen von der Sicherung {argumente.sicherung}:", file=sys.stderr)
            for satz in unterschiede:
                print(f"  {satz}", file=sys.stderr)
            return 1
        zeilen = sum(manifest["tabellen"].values())
        dateien = sum(len(e["dateien"]) for e in manifest["medien"].values())
        tat = "Geprüft" if argumente.nur_pruefen else "Wiederhergestellt und geprüft"
        print(
            f"{tat}: {datenbank}, {len(manifest['tabellen'])} Tabellen mit {zeilen} Zeilen, "
            f"{len(manifest['pruefsummen'])} Prüfsummen und {dateien} Dateien wie in der Sicherung."
        )
        return 0

    return _ausfuehren(arbeit)
