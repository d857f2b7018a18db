"""Load test (issue 8, "Scale"): the main pages on the large data set, served by gunicorn, driven by wrk.

    .venv/bin/python benchmarks/bench_last.py [--kurz] [--dauer 10] [--mix-dauer 60] [--speicher 100000]

Uses the data set of ``datensatz.py`` (``RATSINFO_BENCH_DATABASE_URL``, default ``ratsinfo_bench``) with its
``ergaenzen()`` part, and serves it with gunicorn (2 workers, gthread, ``--reuse-port``) under production settings
(``DJANGO_ENV=production``, DEBUG off, Redis cache in db 7 of 127.0.0.1:6379, static files collected into a temporary
folder)
plus a floor view (``benchmarks/last_settings.py``, ``/__boden__/``: no database, a tiny response). ``wrk`` (Debian
package) runs in a second process at 1, 8 and 32 connections per page; a Lua script prints requests per second,
p50/p95/p99 and errors. Then the main pages are requested mixed for ``--mix-dauer`` seconds at 32 connections: any
error (socket error, timeout or status >= 400) fails the run. ``--speicher N`` sends N more requests over the main
pages and samples the resident memory of the gunicorn workers from /proc.

Goals (printed as PASS/FAIL): p95 <= 50 ms at 1 connection for every page; every page at least a third of the
floor's requests per second; a deep page (page 1,000) at most twice as slow as page 1 (p50 at 1 connection).
Exit status 1 when a request failed (the hard check), 2 when the setup fails.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

from benchmarks.datensatz import datenbank_url, ergaenzen, sicherstellen  # noqa: E402

REDIS_URL = os.environ.get("RATSINFO_BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
ZIEL_P95_MS = 50
VERBINDUNGEN = [1, 8, 32]

# wrk's Lua hooks: ``done`` prints one JSON line with the figures; latencies are in microseconds. With a list of
# paths (the mixed run) each request takes the next one.
LUA = r"""
local pfade = {}
local zaehler = 0
function init(args)
  for i, pfad in ipairs(args) do pfade[i] = pfad end
end
function request()
  if #pfade == 0 then return wrk.format(nil) end
  zaehler = zaehler + 1
  return wrk.format(nil, pfade[(zaehler % #pfade) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"anfragen": %d, "dauer_us": %d, "p50": %d, "p95": %d, "p99": %d, "mittel": %f, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def freier_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_umgebung(static_root):
    umgebung = dict(os.environ)
    umgebung.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.last_settings",
            "PYTHONPATH": str(WURZEL),
            "DJANGO_ENV": "production",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "last-test-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_DEFAULT_FROM_EMAIL": "ratsinfo@localhost",
            # wrk speaks plain HTTP to 127.0.0.1; in production a proxy terminates TLS in front of gunicorn.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": datenbank_url(),
            "REDIS_URL": REDIS_URL,
        }
    )
    return umgebung


def adressen_waehlen():
    """Concrete pages from the data: a busy committee, a Sitzung with 40 TOPs, a Vorlage with Anlagen, …"""
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.db.models import Count, Q
    from django.urls import reverse

    from gremien.models import Ausschuss
    from sitzungen.models import Sitzung
    from vorlagen.models import Vorlage

    ausschuss = (
        Ausschuss.objects.gremien()
        .annotate(n=Count("beratungen", filter=Q(beratungen__oeffentlich=True)))
        .order_by("-n", "pk")
        .first()
    )
    sitzung = (
        Sitzung.objects.filter(oeffentlich=True)
        .annotate(n=Count("tagesordnungspunkte"))
        .filter(n=40)
        .order_by("-beginn")
        .first()
    )
    vorlage = (
        Vorlage.objects.sichtbar_fuer(None)
        .annotate(n=Count("anlagen", filter=Q(anlagen__oeffentlich=True)))
        .filter(n__gte=3)
        .order_by("-pk")
        .first()
    )
    if not (ausschuss and sitzung and vorlage):
        raise SystemExit(
            "Der Datensatz hat keinen Ausschuss, keine Sitzung mit 40 TOPs oder keine Vorlage mit Anlagen."
        )
    # Page 1,000 where the list has it (Vorlagen); the Sitzungen list has about 500 pages: its last one.
    sitzung_seiten = Paginator(range(Sitzung.objects.count()), settings.PAGINATE_BY).num_pages
    tief = min(1000, sitzung_seiten)
    sitzungen = reverse("sitzungen:sitzung-liste")
    vorlagen = reverse("vorlagen:liste")
    return {
        "boden": "/__boden__/",
        "uebersicht": reverse("startseite"),
        "gremium": ausschuss.get_absolute_url(),
        "sitzungen_s1": sitzungen,
        f"sitzungen_s{tief}": f"{sitzungen}?page={tief}",
        "vorlagen_s1": vorlagen,
        "vorlagen_s1000": f"{vorlagen}?page=1000",
        "vorlagen_gremium": f"{vorlagen}?ausschuss={ausschuss.slug}",
        "sitzung_40_tops": sitzung.get_absolute_url(),
        "vorlage": vorlage.get_absolute_url(),
        "suche": reverse("suche:suche") + "?q=Integration",
        "oparl_paper": reverse("oparl:liste", kwargs={"liste": "paper"}) + "?page=50",
    }


def server_starten(port, umgebung, log):
    befehl = [
        str(Path(sys.executable).parent / "gunicorn"),
        "ratsinfo.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--timeout",
        "60",
        # Each worker its own listening socket (SO_REUSEPORT), so the kernel spreads wrk's keep-alive connections
        # over both. On one shared socket, now and then one worker accepted all of them and served every request
        # on its one core: 750 instead of 2,000 requests/s for the floor itself, in about one run in twelve.
        "--reuse-port",
    ]
    server = subprocess.Popen(befehl, cwd=WURZEL, env=umgebung, stdout=log, stderr=log, start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__boden__/", timeout=2) as antwort:
                if antwort.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server_stoppen(server)
    raise SystemExit("gunicorn antwortet nicht; siehe das Protokoll.")


def server_stoppen(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def pruefen(basis, adressen):
    """Every page answers 200 before it is measured: wrk counts a redirect as success."""
    for name, pfad in adressen.items():
        try:
            with urllib.request.urlopen(basis + pfad, timeout=30) as antwort:
                status = antwort.status
                if antwort.url != basis + pfad:
                    status = f"umgeleitet nach {antwort.url}"
        except urllib.error.HTTPError as fehler:
            status = fehler.code
        if status != 200:
            raise SystemExit(f"{name} ({pfad}) antwortet {status}, nicht 200.")


def wrk(basis, pfade, verbindungen, dauer, lua, zusatz=()):
    befehl = [
        "wrk",
        *zusatz,
        "-t",
        str(min(2, verbindungen)),
        "-c",
        str(verbindungen),
        "-d",
        f"{dauer}s",
        "--timeout",
        "10s",
        "-s",
        str(lua),
        basis + pfade[0],
    ]
    if len(pfade) > 1:
        befehl += ["--", *pfade]
    ausgabe = subprocess.run(befehl, capture_output=True, text=True, check=True).stdout
    zeile = next(z for z in ausgabe.splitlines() if z.startswith("WRK "))
    werte = json.loads(zeile[4:])
    werte["rps"] = werte["anfragen"] / (werte["dauer_us"] / 1e6)
    werte["fehler"] = sum(werte[k] for k in ("connect", "read", "write", "status", "timeout"))
    return werte


def uptime():
    # Django sets TZ to the site's time zone; the figures are logged in UTC.
    return subprocess.run(["uptime"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()


def worker_rss_kib(server_pid):
    """Resident memory of each gunicorn worker (the children of the master) in KiB, from /proc."""
    werte = {}
    for eintrag in Path("/proc").iterdir():
        if not eintrag.name.isdigit():
            continue
        try:
            status = (eintrag / "status").read_text()
        except OSError:
            continue
        felder = dict(z.split(":", 1) for z in status.splitlines() if ":" in z)
        if felder.get("PPid", "").strip() == str(server_pid) and "VmRSS" in felder:
            werte[int(eintrag.name)] = int(felder["VmRSS"].split()[0])
    return werte


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kurz", action="store_true", help="short runs: a smoke test, not figures")
    parser.add_argument("--dauer", type=int, default=None, help="seconds per page and connection count (10)")
    parser.add_argument("--mix-dauer", type=int, default=None, help="seconds of the mixed run at 32 connections (60)")
    parser.add_argument("--speicher", type=int, default=0, metavar="N", help="memory: N requests, RSS sampled")
    argumente = parser.parse_args()
    dauer = argumente.dauer or (2 if argumente.kurz else 10)
    mix_dauer = argumente.mix_dauer or (5 if argumente.kurz else 60)
    if not shutil.which("wrk"):
        print("wrk fehlt: apt-get install wrk", file=sys.stderr)
        return 2

    sicherstellen()
    ergaenzen()
    adressen = adressen_waehlen()
    arbeit = Path(tempfile.mkdtemp(prefix="bench_last_"))
    lua = arbeit / "messen.lua"
    lua.write_text(LUA)
    umgebung = server_umgebung(arbeit / "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=WURZEL, env=umgebung, check=True
    )
    port = freier_port()
    basis = f"http://127.0.0.1:{port}"
    log = (arbeit / "gunicorn.log").open("w")
    server = server_starten(port, umgebung, log)
    print(
        f"gunicorn (2 workers, gthread 4, --reuse-port) auf {basis}, Datenbank {datenbank_url()}, Protokoll {log.name}"
    )
    try:
        pruefen(basis, adressen)
        for pfad in adressen.values():  # warm-up: templates, connections, caches
            wrk(basis, [pfad], 2, 1, lua)
        ergebnisse = {}
        print(f"uptime: {uptime()}")
        print(
            f"\n{'Seite':<18} {'Verb.':>5} {'Anfr./s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'Fehler':>6} {'/Boden':>7}"
        )
        for verbindungen in VERBINDUNGEN:
            for name, pfad in adressen.items():
                werte = ergebnisse[name, verbindungen] = wrk(basis, [pfad], verbindungen, dauer, lua)
                boden = ergebnisse["boden", verbindungen]["rps"]
                print(
                    f"{name:<18} {verbindungen:>5} {werte['rps']:>9.1f} {werte['p50'] / 1000:>8.1f} "
                    f"{werte['p95'] / 1000:>8.1f} {werte['p99'] / 1000:>8.1f} {werte['fehler']:>6} "
                    f"{werte['rps'] / boden:>7.2f}",
                    flush=True,
                )
        print(f"uptime: {uptime()}")

        seiten = [name for name in adressen if name != "boden"]
        print("\nZiele:")
        for name in seiten:
            p95 = ergebnisse[name, 1]["p95"] / 1000
            print(
                f"  {'PASS' if p95 <= ZIEL_P95_MS else 'FAIL'} p95 bei 1 Verbindung <= {ZIEL_P95_MS} ms: "
                f"{name} {p95:.1f} ms"
            )
        for name in seiten:
            anteil = min(ergebnisse[name, v]["rps"] / ergebnisse["boden", v]["rps"] for v in VERBINDUNGEN)
            print(
                f"  {'PASS' if anteil >= 1 / 3 else 'FAIL'} mindestens 1/3 des Bodens: {name} {anteil:.2f} "
                "(kleinster Anteil über 1, 8, 32 Verbindungen)"
            )
        for tief in [n for n in seiten if n.split("_s")[-1].isdigit() and not n.endswith("_s1")]:
            erste = tief.rsplit("_s", 1)[0] + "_s1"
            faktor = ergebnisse[tief, 1]["p50"] / ergebnisse[erste, 1]["p50"]
            print(
                f"  {'PASS' if faktor <= 2 else 'FAIL'} tiefe Seite höchstens 2x langsamer: {tief} / {erste} "
                f"= {faktor:.2f} (p50 bei 1 Verbindung)"
            )

        mix = [adressen[n] for n in seiten]
        werte = wrk(basis, mix, 32, mix_dauer, lua)
        print(
            f"\nGemischt, {mix_dauer} s bei 32 Verbindungen über {len(mix)} Seiten: {werte['anfragen']} Anfragen, "
            f"{werte['rps']:.1f}/s, p50 {werte['p50'] / 1000:.1f} ms, p95 {werte['p95'] / 1000:.1f} ms, "
            f"p99 {werte['p99'] / 1000:.1f} ms; Fehler: {werte['fehler']} (Verbindung {werte['connect']}, "
            f"Lesen {werte['read']}, Schreiben {werte['write']}, Status {werte['status']}, "
            f"Zeitüberschreitung {werte['timeout']})"
        )
        fehlerfrei = werte["fehler"] == 0
        print(f"  {'PASS' if fehlerfrei else 'FAIL'} null Fehler unter Last")

        if argumente.speicher:
            print(f"\nSpeicher: {argumente.speicher} Anfragen gemischt bei 8 Verbindungen, RSS der Worker in MiB")
            gesendet, reihe = 0, []
            while gesendet < argumente.speicher:
                rss = worker_rss_kib(server.pid)
                reihe.append(sum(rss.values()) / 1024)
                print(f"  {gesendet:>8} Anfragen: " + ", ".join(f"{v / 1024:.1f}" for v in rss.values()), flush=True)
                werte = wrk(basis, mix, 8, 5, lua)
                gesendet += werte["anfragen"]
                fehlerfrei = fehlerfrei and werte["fehler"] == 0
            rss = worker_rss_kib(server.pid)
            reihe.append(sum(rss.values()) / 1024)
            print(f"  {gesendet:>8} Anfragen: " + ", ".join(f"{v / 1024:.1f}" for v in rss.values()))
            # After the first quarter the workers have loaded what they need; the rest must stay level.
            viertel = reihe[len(reihe) // 4]
            wachstum = (reihe[-1] - viertel) / viertel
            print(
                f"  {'PASS' if wachstum <= 0.05 else 'FAIL'} Plateau: Summe {viertel:.1f} MiB nach einem Viertel, "
                f"{reihe[-1]:.1f} MiB am Ende ({wachstum:+.1%})"
            )
    finally:
        server_stoppen(server)
        log.close()
    return 0 if fehlerfrei else 1


if __name__ == "__main__":
    sys.exit(main())
