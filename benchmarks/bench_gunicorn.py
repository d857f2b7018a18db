"""gunicorn side by side: sync workers against gthread, on the same data and machine, in one run.

    .venv/bin/python benchmarks/bench_gunicorn.py [--runden 6] [--dauer 10] [--kurz]

Both servers run at the same time under the production settings of the load test (``bench_last.py``: the data set
of ``datensatz.py`` with its supplement, ``DJANGO_ENV=production``, Redis cache, collected static files), each on
its own port, and are loaded in turn, never together:

    gthread  gunicorn ratsinfo.wsgi -w 2 --worker-class gthread --threads 4 --reuse-port
    sync     gunicorn ratsinfo.wsgi -w 2 --reuse-port
    sync-5   gunicorn ratsinfo.wsgi -w 5 --reuse-port          (gunicorn's advice: 2 x cores + 1)

Each round measures both at 1, 8 and 32 connections with ``wrk`` over the main pages mixed (the pages of the load
test, each request the next page), ``--dauer`` seconds per measurement, once with keep-alive (wrk's default, as a
browser or a proxy with upstream keep-alive) and once with ``Connection: close`` on every request (as nginx's
``proxy_pass`` does by default). The order rotates from round to round
(each variant first in turn), so a slow phase of the machine — other people's builds, tests — falls on all alike.
It prints every measurement with the load average, then per variant and connection count the median and the
range over the rounds of requests/s, p50 and p99, the per-round ratio of each variant to gthread (the
measurements of a round are next to each other in time, so the ratio is the fairest figure), and the resident
memory of each server's workers at the end.

Redis: ``RATSINFO_BENCH_REDIS_URL`` (default db 7), shared by both servers, as the page cache of production is
shared by all its workers. Exit status 1 when a request failed, 2 when the setup fails.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WURZEL))

from benchmarks.bench_last import (  # noqa: E402
    LUA,
    VERBINDUNGEN,
    adressen_waehlen,
    freier_port,
    pruefen,
    server_stoppen,
    server_umgebung,
    uptime,
    worker_rss_kib,
    wrk,
)
from benchmarks.datensatz import datenbank_url, ergaenzen, sicherstellen  # noqa: E402

# gthread is the production command of docs/betrieb.md; "sync" the same two workers without threads; "sync-5"
# sync workers as gunicorn's documentation suggests them, (2 x cores) + 1.
VARIANTEN = {
    "gthread": ["-w", "2", "--worker-class", "gthread", "--threads", "4", "--reuse-port"],
    "sync": ["-w", "2", "--reuse-port"],
    "sync-5": ["-w", "5", "--reuse-port"],
}
BEZUG = "gthread"
# How the client talks to gunicorn. nginx's proxy_pass speaks HTTP/1.0 to the upstream and closes the connection
# after each response unless `keepalive` is configured for it; wrk and browsers keep it open. Sync workers close it
# anyway, so with keep-alive only gthread saves the new connection per request: both are measured.
ARTEN = {"keep-alive": (), "close": ("-H", "Connection: close")}


def starten(name, port, umgebung, log):
    befehl = [
        str(Path(sys.executable).parent / "gunicorn"),
        "ratsinfo.wsgi",
        *VARIANTEN[name],
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
    ]
    server = subprocess.Popen(befehl, cwd=WURZEL, env=umgebung, stdout=log, stderr=log, start_new_session=True)
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as antwort:
                if antwort.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server_stoppen(server)
    raise SystemExit(f"gunicorn ({name}) antwortet nicht; siehe {log.name}.")


def last():
    """The 1-minute load average: how busy the machine was around a measurement (2 cores: 2.0 is full)."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def spanne(werte, format_="{:.1f}"):
    return f"{format_.format(statistics.median(werte))} ({format_.format(min(werte))}–{format_.format(max(werte))})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runden", type=int, default=None, help="rounds, each measuring every variant (6)")
    parser.add_argument("--dauer", type=int, default=None, help="seconds per measurement (10)")
    parser.add_argument("--kurz", action="store_true", help="2 rounds of 2 s: a smoke test, not figures")
    argumente = parser.parse_args()
    runden = argumente.runden or (2 if argumente.kurz else 6)
    dauer = argumente.dauer or (2 if argumente.kurz else 10)

    sicherstellen()
    ergaenzen()
    adressen = adressen_waehlen()
    seiten = [pfad for name, pfad in adressen.items() if name != "boden"]
    arbeit = Path(tempfile.mkdtemp(prefix="bench_gunicorn_"))
    lua = arbeit / "messen.lua"
    lua.write_text(LUA)
    umgebung = server_umgebung(arbeit / "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=WURZEL, env=umgebung, check=True
    )
    server, basen, logs = {}, {}, []
    try:
        for name in VARIANTEN:
            port = freier_port()
            log = (arbeit / f"gunicorn-{name}.log").open("w")
            logs.append(log)
            server[name] = starten(name, port, umgebung, log)
            basen[name] = f"http://127.0.0.1:{port}"
            pruefen(basen[name], adressen)
            print(f"{name:<8} gunicorn ratsinfo.wsgi {' '.join(VARIANTEN[name])} auf {basen[name]}")
        print(f"Datenbank {datenbank_url()}, {len(seiten)} Seiten gemischt, {dauer} s je Messung, {runden} Runden")
        for name in VARIANTEN:  # warm-up: templates, connections, caches of every worker
            for verbindungen in VERBINDUNGEN:
                wrk(basen[name], seiten, verbindungen, 2, lua)
        print(f"uptime: {uptime()}")

        ergebnisse = {}  # (variant, kind, connections) -> list of wrk figures, one per round
        fehler = 0
        print(
            f"\n{'Runde':>5} {'Art':<10} {'Variante':<8} {'Verb.':>5} {'Anfr./s':>9} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'Fehler':>6} {'Last':>5}"
        )
        for runde in range(1, runden + 1):
            namen = list(VARIANTEN)
            reihenfolge = namen[runde % len(namen) :] + namen[: runde % len(namen)]
            for art, zusatz in ARTEN.items():
                for verbindungen in VERBINDUNGEN:
                    for name in reihenfolge:
                        werte = wrk(basen[name], seiten, verbindungen, dauer, lua, zusatz)
                        werte["last"] = last()
                        ergebnisse.setdefault((name, art, verbindungen), []).append(werte)
                        fehler += werte["fehler"]
                        print(
                            f"{runde:>5} {art:<10} {name:<8} {verbindungen:>5} {werte['rps']:>9.1f} "
                            f"{werte['p50'] / 1000:>8.1f} {werte['p99'] / 1000:>8.1f} {werte['fehler']:>6} "
                            f"{werte['last']:>5.2f}",
                            flush=True,
                        )
        print(f"uptime: {uptime()}")

        print(f"\nMedian (kleinster–größter Wert) über {runden} Runden")
        print(f"{'Art':<10} {'Variante':<8} {'Verb.':>5} {'Anfr./s':>24} {'p50 ms':>22} {'p99 ms':>24}")
        for art in ARTEN:
            for verbindungen in VERBINDUNGEN:
                for name in VARIANTEN:
                    reihe = ergebnisse[name, art, verbindungen]
                    print(
                        f"{art:<10} {name:<8} {verbindungen:>5} {spanne([w['rps'] for w in reihe]):>24} "
                        f"{spanne([w['p50'] / 1000 for w in reihe]):>22} "
                        f"{spanne([w['p99'] / 1000 for w in reihe]):>24}"
                    )
        print(f"\nVerhältnis zu {BEZUG} je Runde (Median, kleinstes–größtes Verhältnis)")
        for name in [n for n in VARIANTEN if n != BEZUG]:
            for art in ARTEN:
                for verbindungen in VERBINDUNGEN:
                    paare = list(
                        zip(ergebnisse[name, art, verbindungen], ergebnisse[BEZUG, art, verbindungen], strict=True)
                    )
                    rps = [v["rps"] / b["rps"] for v, b in paare]
                    p50 = [v["p50"] / b["p50"] for v, b in paare]
                    p99 = [v["p99"] / b["p99"] for v, b in paare]
                    print(
                        f"  {name}/{BEZUG} {art:<10} {verbindungen:>2} Verb.: Anfr./s {spanne(rps, '{:.2f}')}, "
                        f"p50 {spanne(p50, '{:.2f}')}, p99 {spanne(p99, '{:.2f}')}"
                    )
        print("\nSpeicher der Worker am Ende (RSS, MiB): ")
        for name, prozess in server.items():
            rss = worker_rss_kib(prozess.pid)
            print(f"  {name:<8} {len(rss)} Worker, zusammen {sum(rss.values()) / 1024:.0f}")
        lasten = [w["last"] for reihe in ergebnisse.values() for w in reihe]
        print(f"\nLast (1 min) während der Messungen: {spanne(lasten, '{:.2f}')}; Fehler: {fehler}")
    finally:
        for prozess in server.values():
            server_stoppen(prozess)
        for log in logs:
            log.close()
    return 0 if fehler == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
