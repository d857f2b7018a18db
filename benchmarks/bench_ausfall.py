"""PostgreSQL restarted under load (issue 8): requests in the gap get the German 503 page, the site recovers by
itself, gunicorn keeps running and nothing written before is lost.

    .venv/bin/python benchmarks/bench_ausfall.py [--dauer 60] [--verbindungen 32] [--neustart-nach 25] [--pause 5]

Everything happens on a PostgreSQL cluster of its own, ``15 ausfall`` on port 5433, so no one else working on the
main cluster (5432) is disturbed; it is created on the first run (``pg_createcluster``, trust for 127.0.0.1) and
needs root. The script

1. creates the database ``ratsinfo_ausfall`` afresh there, migrates it, loads the demo data and collects the
   static files, all with production settings (``DJANGO_ENV=production``) into a temporary data folder;
2. writes a marker (a published Vorlage) and takes a snapshot: the row count of every table and an md5 over
   the whole rows of Vorlagen, Anlagen, Sitzungen and TOPs;
3. starts gunicorn with 2 workers and drives ``--verbindungen`` client threads over the main pages (overview,
   lists of Vorlagen, Sitzungen and Gremien, a Sitzung, the marker Vorlage, a search, an OParl list) for
   ``--dauer`` seconds; after ``--neustart-nach`` seconds it stops the cluster, waits ``--pause`` seconds and
   starts it again;
4. counts the answers by status before, during and after the gap, checks that every answer that is not a 200
   is a 503 with the German page (or the OParl JSON error) and a Retry-After header, that there were no
   connection errors, when the first 200 came after the database was back and that none but 200s came after
   that, that gunicorn's master and workers are the processes that started, that the log has no traceback, and
   that the marker and the snapshot are unchanged.

It prints a PASS/FAIL summary and exits non-zero on FAIL.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))
PYTHON = WURZEL / ".venv" / "bin" / "python"
GUNICORN = WURZEL / ".venv" / "bin" / "gunicorn"
VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else "15"
CLUSTER = "ausfall"
PG_PORT = 5433
DATENBANK = "ratsinfo_ausfall"
HTTP_PORT = 8765
GRENZE_ERHOLUNG = 10.0  # seconds from the start command to the last answer that is not a 200
DEUTSCHE_503 = "Vorübergehend nicht erreichbar"
PRUEFSUMMEN_TABELLEN = ["vorlagen_vorlage", "vorlagen_anlage", "sitzungen_sitzung", "sitzungen_tagesordnungspunkt"]


def ausfuehren(*befehl, **optionen):
    return subprocess.run([str(teil) for teil in befehl], check=True, text=True, capture_output=True, **optionen)


def psql(sql, datenbank="postgres"):
    return ausfuehren(
        "psql", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres", "-d", datenbank, "-v", "ON_ERROR_STOP=1",
        "-Atc", sql,
    ).stdout.strip()  # fmt: skip


def pg_bereit():
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT)]).returncode == 0


def cluster(aktion):
    ausfuehren("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, aktion)


def cluster_sicherstellen():
    if not Path(f"/etc/postgresql/{VERSION}/{CLUSTER}").exists():
        print(f"Lege den PostgreSQL-Cluster {VERSION}/{CLUSTER} auf Port {PG_PORT} an …")
        ausfuehren("pg_createcluster", VERSION, CLUSTER, "--port", PG_PORT)
        hba = Path(f"/etc/postgresql/{VERSION}/{CLUSTER}/pg_hba.conf")
        hba.write_text("host all all 127.0.0.1/32 trust\n" + hba.read_text())
    if not pg_bereit():
        cluster("start")
    warten_bis(pg_bereit, 30, "PostgreSQL auf Port 5433")


def warten_bis(bedingung, sekunden, was):
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        if bedingung():
            return
        time.sleep(0.1)
    sys.exit(f"FAIL: {was} ist nach {sekunden} s nicht bereit.")


def umgebung(datenordner):
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "bench-ausfall-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_DEFAULT_FROM_EMAIL": "ratsinfo@example.org",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATENBANK}",
        "RATSINFO_DATA_DIR": str(datenordner),
        "DJANGO_STATIC_ROOT": str(datenordner / "static"),
        "DJANGO_SETTINGS_MODULE": "ratsinfo.settings",
        "PYTHONPATH": str(WURZEL),
    }


def schnappschuss():
    from django.db import connection

    with connection.cursor() as cursor:
        zaehlung = {}
        for tabelle in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT count(*) FROM "{tabelle}"')
            zaehlung[tabelle] = cursor.fetchone()[0]
        for tabelle in PRUEFSUMMEN_TABELLEN:
            cursor.execute(f"SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM \"{tabelle}\" t")
            zaehlung[f"md5({tabelle})"] = cursor.fetchone()[0]
    return zaehlung


def marke_schreiben():
    from django.utils import timezone

    from gremien.models import Dienststelle
    from vorlagen.models import Vorlage
    from vorlagen.services import vorlage_veroeffentlichen

    vorlage = Vorlage(
        art=Vorlage.Art.MITTEILUNGSVORLAGE,
        nummer=9999,
        jahr=timezone.localdate().year,
        datum=timezone.localdate(),
        dienststelle=Dienststelle.objects.order_by("pk").first(),
        titel="Marke vor dem Neustart der Datenbank",
        bericht="Geschrieben vor dem Neustart; muss danach noch da sein.",
    )
    vorlage.full_clean()
    vorlage.save()
    return vorlage_veroeffentlichen(vorlage=vorlage)


def adressen(marke):
    from django.urls import reverse

    from sitzungen.models import Sitzung

    sitzung = Sitzung.objects.filter(oeffentlich=True).order_by("-beginn").first()
    return [
        reverse("startseite"),
        reverse("vorlagen:liste"),
        reverse("sitzungen:sitzung-liste"),
        reverse("sitzungen:ausschuss-liste"),
        reverse("sitzungen:sitzung-detail", args=[sitzung.pk]),
        marke.get_absolute_url(),
        reverse("suche:suche") + "?q=Haushalt",
        reverse("oparl:liste", args=["paper"]),
    ]


def prozesse(master):
    kinder = Path(f"/proc/{master}/task/{master}/children")
    return master, tuple(sorted(int(pid) for pid in kinder.read_text().split())) if kinder.exists() else ()


class Last:
    """Client threads, each with its own connection pool, recording (end time, address, result) per request."""

    def __init__(self, basis, pfade, verbindungen):
        self.basis, self.pfade, self.verbindungen = basis, pfade, verbindungen
        self.ergebnisse, self.stopp, self.sperre = [], threading.Event(), threading.Lock()

    def arbeiter(self, nummer):
        kopf = {"X-Forwarded-Proto": "https"}  # as the reverse proxy sends it; production redirects plain http
        eigene = []
        with httpx.Client(base_url=self.basis, headers=kopf, timeout=30) as client:
            i = nummer
            while not self.stopp.is_set():
                pfad = self.pfade[i % len(self.pfade)]
                i += 1
                try:
                    antwort = client.get(pfad)
                    eigene.append((time.monotonic(), pfad, antwort.status_code, bewerten(pfad, antwort)))
                except httpx.HTTPError as fehler:
                    eigene.append((time.monotonic(), pfad, type(fehler).__name__, "Verbindungsfehler"))
        with self.sperre:
            self.ergebnisse.extend(eigene)

    def starten(self):
        self.threads = [threading.Thread(target=self.arbeiter, args=(n,)) for n in range(self.verbindungen)]
        for thread in self.threads:
            thread.start()

    def beenden(self):
        self.stopp.set()
        for thread in self.threads:
            thread.join()
        return sorted(self.ergebnisse)


def bewerten(pfad, antwort):
    """None for a good answer, else what is wrong with it."""
    if antwort.status_code == 200:
        return None
    if antwort.status_code != 503:
        return f"HTTP {antwort.status_code}"
    if not antwort.headers.get("Retry-After"):
        return "503 ohne Retry-After"
    if pfad.startswith("/oparl/"):
        try:
            daten = antwort.json()
        except ValueError:
            return "OParl-503 ohne JSON"
        return None if daten.get("type", "").endswith("/Error") else "OParl-503 ohne Fehlerobjekt"
    text = antwort.text
    if DEUTSCHE_503 not in text or '<html lang="de">' not in text:
        return "503 ohne deutsche Fehlerseite"
    if "Traceback" in text:
        return "503 mit Traceback"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dauer", type=float, default=60, help="seconds of load")
    parser.add_argument("--verbindungen", type=int, default=32, help="concurrent client connections")
    parser.add_argument("--neustart-nach", type=float, default=25, help="seconds of load before the stop")
    parser.add_argument("--pause", type=float, default=5, help="seconds the database stays down")
    argumente = parser.parse_args()

    cluster_sicherstellen()
    datenordner = Path(tempfile.mkdtemp(prefix="ratsinfo-bench-ausfall-"))
    env = umgebung(datenordner)
    os.environ.update(env)
    psql(f"DROP DATABASE IF EXISTS {DATENBANK} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATENBANK}")
    print(f"Datenbank {DATENBANK} auf Port {PG_PORT}, Dateien in {datenordner}")
    for befehl in (["migrate", "--no-input", "-v0"], ["demodaten_laden", "-v0"], ["collectstatic", "--no-input"]):
        start = time.perf_counter()
        ausfuehren(PYTHON, WURZEL / "manage.py", *befehl, env=env, cwd=WURZEL)
        print(f"  manage.py {befehl[0]}: {time.perf_counter() - start:.1f} s")

    import django

    django.setup()
    from django.db import connections

    marke = marke_schreiben()
    vorher = schnappschuss()
    pfade = adressen(marke)
    connections.close_all()
    print(f"Marke: Vorlage {marke.pk} „{marke.titel}“; {sum(v for v in vorher.values() if isinstance(v, int))} Zeilen")

    log = datenordner / "gunicorn.log"
    with open(log, "w") as logdatei:
        gunicorn = subprocess.Popen(
            [GUNICORN, "ratsinfo.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{HTTP_PORT}"],
            env=env, cwd=WURZEL, stdout=logdatei, stderr=subprocess.STDOUT,
        )  # fmt: skip
    basis = f"http://127.0.0.1:{HTTP_PORT}"
    try:
        warten_bis(lambda: _antwortet(basis), 60, "gunicorn")
        warten_bis(lambda: len(prozesse(gunicorn.pid)[1]) == 2, 30, "die zwei gunicorn-Worker")
        prozesse_vorher = prozesse(gunicorn.pid)
        print(f"gunicorn: Master {prozesse_vorher[0]}, Worker {', '.join(map(str, prozesse_vorher[1]))}")
        print(f"Last: {argumente.verbindungen} Verbindungen, {argumente.dauer:.0f} s, Seiten: {' '.join(pfade)}")

        last = Last(basis, pfade, argumente.verbindungen)
        beginn = time.monotonic()
        last.starten()
        time.sleep(argumente.neustart_nach)
        stopp = time.monotonic()
        cluster("stop")
        gestoppt = time.monotonic()
        time.sleep(argumente.pause)
        gestartet = time.monotonic()
        cluster("start")
        warten_bis(pg_bereit, 60, "PostgreSQL nach dem Neustart")
        bereit = time.monotonic()
        time.sleep(max(0.0, beginn + argumente.dauer - time.monotonic()))
        ergebnisse = last.beenden()
        prozesse_nachher = prozesse(gunicorn.pid) if gunicorn.poll() is None else None
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    connections.close_all()
    nachher = schnappschuss()
    from vorlagen.models import Vorlage

    marke_da = Vorlage.objects.filter(pk=marke.pk, titel=marke.titel, status=Vorlage.Status.VEROEFFENTLICHT).exists()
    logtext = log.read_text()
    bericht(
        argumente, ergebnisse, beginn, stopp, gestoppt, gestartet, bereit,
        prozesse_vorher, prozesse_nachher, vorher, nachher, marke_da, logtext,
    )  # fmt: skip
    shutil.rmtree(datenordner, ignore_errors=True)
    psql(f"DROP DATABASE IF EXISTS {DATENBANK} WITH (FORCE)")


def _antwortet(basis):
    try:
        return httpx.get(basis + "/", headers={"X-Forwarded-Proto": "https"}, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def bericht(
    argumente, ergebnisse, beginn, stopp, gestoppt, gestartet, bereit, vorher_p, nachher_p, vorher, nachher, marke, log
):
    def phase(zeit):
        return "vorher" if zeit < stopp else "während" if zeit < bereit else "nachher"

    zaehler = {name: collections.Counter() for name in ("vorher", "während", "nachher")}
    maengel = collections.Counter()
    for zeit, pfad, status, mangel in ergebnisse:
        zaehler[phase(zeit)][status] += 1
        if mangel:
            maengel[f"{mangel} ({pfad})"] += 1

    print()
    print(
        f"Stopp bei +{stopp - beginn:.1f} s (dauerte {gestoppt - stopp:.1f} s), Start bei +{gestartet - beginn:.1f} s, "
        f"wieder bereit (pg_isready) bei +{bereit - beginn:.1f} s"
    )
    print(f"{'Phase':<8} {'Sekunden':>8} {'Anfragen':>9} {'Anfr./s':>8}  nach Status")
    grenzen = {"vorher": (beginn, stopp), "während": (stopp, bereit), "nachher": (bereit, beginn + argumente.dauer)}
    for name, zaehlung in zaehler.items():
        sekunden = grenzen[name][1] - grenzen[name][0]
        gesamt = sum(zaehlung.values())
        status = ", ".join(f"{s}: {n}" for s, n in sorted(zaehlung.items(), key=lambda e: str(e[0])))
        print(f"{name:<8} {sekunden:>8.1f} {gesamt:>9} {gesamt / sekunden:>8.1f}  {status}")

    print("Verlauf (je 5 s: 200/503/andere):")
    verlauf = collections.defaultdict(collections.Counter)
    for zeit, _pfad, status, _mangel in ergebnisse:
        verlauf[int((zeit - beginn) // 5)][status if status in (200, 503) else "andere"] += 1
    print("  " + " | ".join(f"{5 * k:>2}s {z[200]}/{z[503]}/{z['andere']}" for k, z in sorted(verlauf.items())))

    # Recovery: from the start command to the first 200 after which no other answer came.
    letzte_nicht_200 = max((zeit for zeit, _p, status, _m in ergebnisse if status != 200), default=None)
    erste_200_danach = next(
        (zeit for zeit, _p, status, _m in ergebnisse if status == 200 and zeit > (letzte_nicht_200 or stopp)), None
    )
    erholung = erste_200_danach - gestartet if erste_200_danach is not None else None
    verbindungsfehler = sum(1 for *_rest, mangel in ergebnisse if mangel == "Verbindungsfehler")
    nach_bereit = [status for zeit, _p, status, _m in ergebnisse if zeit >= bereit and status != 200]
    letzte_vor_stopp = [status for zeit, _p, status, _m in ergebnisse if zeit < stopp and status != 200]
    print(f"Verbindungsfehler (Reset, Timeout, abgewiesen): {verbindungsfehler}")
    if letzte_nicht_200 is not None:
        print(
            f"Letzte Antwort ≠ 200 bei +{letzte_nicht_200 - beginn:.2f} s "
            f"({letzte_nicht_200 - gestartet:+.2f} s nach dem Startbefehl)"
        )
    print(
        f"Erholung: {erholung:.2f} s vom Startbefehl bis zur ersten 200, nach der nur noch 200 kamen; "
        f"die Datenbank war {gestartet - stopp:.1f} s weg (Stopp und Pause)"
        if erholung is not None
        else "Erholung: keine"
    )
    unterschiede = {
        k: (vorher.get(k), nachher.get(k)) for k in vorher.keys() | nachher.keys() if vorher.get(k) != nachher.get(k)
    }
    ausfall_zeilen = log.count("Datenbank nicht erreichbar")
    print(
        f"Log: {ausfall_zeilen} Zeile(n) „Datenbank nicht erreichbar“, {log.count('Datenbank wieder erreichbar')} "
        f"„wieder erreichbar“, {log.count('Traceback')} Traceback(s)"
    )
    print(f"gunicorn vorher {vorher_p}, nachher {nachher_p}")

    fehler = []
    if letzte_vor_stopp:
        fehler.append(f"{len(letzte_vor_stopp)} Antworten ≠ 200 vor dem Stopp")
    if maengel:
        fehler += [f"{n}× {m}" for m, n in maengel.most_common()]
    if not zaehler["während"][503]:
        fehler.append("keine 503 während des Ausfalls: der Ausfall wurde nicht getroffen")
    if erholung is None or erholung > GRENZE_ERHOLUNG:
        fehler.append(f"keine Erholung binnen {GRENZE_ERHOLUNG:.0f} s nach dem Startbefehl")
    if nach_bereit:
        fehler.append(f"{len(nach_bereit)} Antworten ≠ 200, nachdem die Datenbank wieder bereit war")
    if nachher_p != vorher_p:
        fehler.append(f"gunicorn-Prozesse haben gewechselt: {vorher_p} → {nachher_p}")
    if "Traceback" in log:
        fehler.append("Traceback im gunicorn-Log")
    if not marke:
        fehler.append("die Marke (Vorlage vor dem Neustart) fehlt")
    if unterschiede:
        fehler.append(f"Zählung/Prüfsummen geändert: {unterschiede}")
    gleich = "ja" if not unterschiede else "NEIN"
    print(f"Marke vorhanden: {'ja' if marke else 'NEIN'}; Zählung und Prüfsummen gleich: {gleich}")
    print()
    if fehler:
        print("FAIL:")
        for zeile in fehler:
            print(f"  - {zeile}")
        sys.exit(1)
    print(
        f"PASS: {len(ergebnisse)} Anfragen, jede Antwort 200 oder die deutsche 503-Seite, keine Verbindungsfehler, "
        f"erholt {erholung:.2f} s nach dem Startbefehl, gunicorn nicht neu gestartet, Marke und Zählung unverändert."
    )


if __name__ == "__main__":
    main()
