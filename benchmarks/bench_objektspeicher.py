"""Serving a stored 2 MB PDF through the Anlage download view: from the bucket against from local disk (issue 21).

    .venv/bin/python benchmarks/bench_objektspeicher.py [--dauer 10] [--runden 2]

One run sets up everything in a temporary folder: the embedded SQLite database with one published Vorlage and a
public Anlage of 2 MB, the file both in the Anlagen folder and, under the same name, in a bucket of moto's S3
server (``moto_server``, a process of its own on 127.0.0.1: the same machine, so the figures show what the
storage layer costs, not a network). Two gunicorn servers with the production command's workers (``-w 2
--worker-class gthread --threads 4``) share the database: one with ``RATSINFO_SPEICHER=lokal``, one with ``s3``
(streamed, no presigned redirect). Client threads (one per connection, keep-alive, the whole body read) ask for
the download for ``--dauer`` seconds at 1 and 8 connections, both servers in turn, ``--runden`` times; the
figures are the median of the rounds' p50 and p95 and the requests per second. Needs moto[server] and gunicorn.
"""

import argparse
import hashlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import httpx

WURZEL = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GROESSE = 2 * 1024 * 1024
BUCKET = "ratsinfo-bench"
ZUGANG = {
    "RATSINFO_S3_BUCKET": BUCKET,
    "RATSINFO_S3_REGION": "eu-central-1",
    "RATSINFO_S3_ACCESS_KEY_ID": "bench",
    "RATSINFO_S3_SECRET_ACCESS_KEY": "bench",
    "RATSINFO_S3_PRAEFIX": "bench",
}
VERBINDUNGEN = (1, 8)


def freier_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def warten_auf(adresse, prozess, log):
    for _ in range(300):
        if prozess.poll() is not None:
            raise SystemExit(f"{adresse} ist beendet; siehe {log}.")
        try:
            with urllib.request.urlopen(adresse, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{adresse} antwortet nicht; siehe {log}.")


def starten(befehl, umgebung, log):
    with open(log, "w") as ausgabe:
        return subprocess.Popen(
            [str(teil) for teil in befehl],
            cwd=WURZEL,
            env=umgebung,
            stdout=ausgabe,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stoppen(prozess):
    if prozess.poll() is None:
        os.killpg(prozess.pid, signal.SIGTERM)
        try:
            prozess.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(prozess.pid, signal.SIGKILL)


def messen(adresse, verbindungen, dauer, erwartet):
    """Latencies in ms of every complete download in ``dauer`` seconds over ``verbindungen`` connections."""
    zeiten, fehler = [], []
    ende = time.monotonic() + dauer

    def arbeiter():
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < ende:
                beginn = time.perf_counter()
                antwort = client.get(adresse)
                dauer_ms = (time.perf_counter() - beginn) * 1000
                if antwort.status_code != 200 or len(antwort.content) != erwartet:
                    fehler.append(antwort.status_code)
                else:
                    zeiten.append(dauer_ms)

    threads = [threading.Thread(target=arbeiter) for _ in range(verbindungen)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return zeiten, fehler


def p(werte, anteil):
    werte = sorted(werte)
    return werte[min(len(werte) - 1, round(anteil * (len(werte) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dauer", type=int, default=10, help="seconds per measurement (10)")
    parser.add_argument("--runden", type=int, default=2, help="rounds, each measuring both servers (2)")
    argumente = parser.parse_args()

    daten = Path(tempfile.mkdtemp(prefix="ratsinfo-bench-objektspeicher-"))
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RATSINFO_", "DATABASE_URL"))}
    basis.update({"RATSINFO_DATA_DIR": str(daten), "DJANGO_DEBUG": "0", "PYTHONPATH": str(WURZEL)})
    prozesse = []
    try:
        moto_port = freier_port()
        endpunkt = f"http://127.0.0.1:{moto_port}"
        moto = starten([BIN / "moto_server", "-H", "127.0.0.1", "-p", moto_port], basis, daten / "moto.log")
        prozesse.append(moto)
        warten_auf(f"{endpunkt}/moto-api/", moto, daten / "moto.log")

        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=WURZEL, env=basis, check=True)
        pdf = b"%PDF-1.4\n%" + os.urandom(GROESSE - 10)
        (daten / "gross.pdf").write_bytes(pdf)
        pfad_und_name = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "-c",
             "from django.core.files.base import ContentFile; from django.urls import reverse;"
             "from tests.factories import AnlageFactory, VorlageFactory;"
             f"a = AnlageFactory(vorlage=VorlageFactory(), oeffentlich=True, datei=ContentFile("
             f"open({str(daten / 'gross.pdf')!r}, 'rb').read(), name='gross.pdf'));"
             "print(reverse('vorlagen:anlage', kwargs={'kennung': a.vorlage.kennung, 'pk': a.pk,"
             " 'dateiname': a.dateiname}), a.datei.name)"],
            cwd=WURZEL, env=basis, check=True, capture_output=True, text=True,
        ).stdout.split()[-2:]  # fmt: skip
        pfad, name = pfad_und_name

        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=endpunkt,
            aws_access_key_id=ZUGANG["RATSINFO_S3_ACCESS_KEY_ID"],
            aws_secret_access_key=ZUGANG["RATSINFO_S3_SECRET_ACCESS_KEY"],
            region_name=ZUGANG["RATSINFO_S3_REGION"],
        )
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        client.put_object(Bucket=BUCKET, Key=f"bench/anlagen/{name}", Body=pdf)

        server = {}
        for art, zusatz in (
            ("lokal", {"RATSINFO_SPEICHER": "lokal"}),
            ("s3", {"RATSINFO_SPEICHER": "s3", "RATSINFO_S3_ENDPOINT_URL": endpunkt, **ZUGANG}),
        ):
            port = freier_port()
            befehl = [BIN / "gunicorn", "ratsinfo.wsgi", "-w", "2", "--worker-class", "gthread", "--threads", "4"]
            befehl += ["-b", f"127.0.0.1:{port}", "--no-control-socket"]
            prozess = starten(befehl, {**basis, **zusatz}, daten / f"gunicorn-{art}.log")
            prozesse.append(prozess)
            adresse = f"http://127.0.0.1:{port}{pfad}"
            warten_auf(adresse, prozess, daten / f"gunicorn-{art}.log")
            with urllib.request.urlopen(adresse) as antwort:
                if hashlib.sha256(antwort.read()).digest() != hashlib.sha256(pdf).digest():
                    raise SystemExit(f"{art}: die ausgelieferte Datei ist nicht die gespeicherte.")
            server[art] = adresse

        ergebnisse = {(art, n): [] for art in server for n in VERBINDUNGEN}
        for _runde in range(argumente.runden):
            for n in VERBINDUNGEN:
                for art, adresse in server.items():
                    messen(adresse, n, 1, len(pdf))  # warm-up: connections, imports, the store's client
                    zeiten, fehler = messen(adresse, n, argumente.dauer, len(pdf))
                    if fehler or not zeiten:
                        raise SystemExit(f"{art} bei {n} Verbindungen: {len(fehler)} Fehler ({sorted(set(fehler))}).")
                    last = float(Path("/proc/loadavg").read_text().split()[0])
                    ergebnisse[(art, n)].append(
                        (statistics.median(zeiten), p(zeiten, 0.95), len(zeiten) / argumente.dauer, last)
                    )

        print(
            f"Stored PDF of {GROESSE / 1024 / 1024:.0f} MB through the Anlage download view, median of "
            f"{argumente.runden} rounds of {argumente.dauer} s (bucket: moto_server on the same machine)\n"
        )
        print("| Storage | Connections | p50 ms | p95 ms | requests/s | load (1 min) |")
        print("|---|---|---|---|---|---|")
        for n in VERBINDUNGEN:
            for art in server:
                runden = ergebnisse[(art, n)]
                p50, p95, rate, last = (statistics.median(werte) for werte in zip(*runden, strict=True))
                print(f"| {art} | {n} | {p50:.1f} | {p95:.1f} | {rate:.1f} | {last:.1f} |")
        print()
        for n in VERBINDUNGEN:
            lokal = statistics.median(r[1] for r in ergebnisse[("lokal", n)])
            s3 = statistics.median(r[1] for r in ergebnisse[("s3", n)])
            print(f"p95 bucket / local disk at {n} connection(s): {s3 / lokal:.2f}×")
    finally:
        for prozess in reversed(prozesse):
            stoppen(prozess)


if __name__ == "__main__":
    main()
