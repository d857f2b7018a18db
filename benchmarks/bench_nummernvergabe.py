"""Giving numbers (issue 19, item 3): clerks registering drafts at the same moment, beside many numbered Vorlagen.

    .venv/bin/python benchmarks/bench_nummernvergabe.py [--vorlagen 100000] [--entwuerfe 400] [--threads 8]

Runs in a fresh temporary folder on SQLite, or on PostgreSQL when ``RATSINFO_BENCH_DATABASE_URL`` names a
empty throwaway database (it is migrated and filled). ``--vorlagen`` numbered Vorlagen
are spread over the series and the years 2016–2026; then ``--entwuerfe`` drafts without a number in GRDrs 2026 and
Antrag 2026 are registered through ``vorlagen.services.nummer_vergeben`` by ``--threads`` clerks (threads, each
with its own connection) in rounds: in each round all of them click at the same moment. Printed: registrations
per second, p50/p95/max of one registration (waiting for the lock included), and on PostgreSQL the plan of the
query for the highest stored number. The numbers are checked: consecutive per series, none twice, no error.
Exit status 1 when they are not.
"""

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.umgebung import eigene_daten


def vorbereiten(anzahl_vorlagen, anzahl_entwuerfe):
    import datetime

    from django.db import connection

    from gremien.models import Dienststelle
    from vorlagen.models import Nummernzaehler, Vorlage, nummernkreis_von

    if Vorlage.objects.exists() or Nummernzaehler.objects.exists():
        # Deleting 100,000 Vorlagen one by one (OParl keeps a tombstone of each) takes longer than the benchmark.
        sys.exit("Die Datenbank des Benchmarks muss leer sein (dropdb und createdb).")
    dienststelle, _ = Dienststelle.objects.get_or_create(kurzname="Bench", defaults={"name": "Benchmark-Amt"})
    arten = list(Vorlage.Art.values)
    letzte = {}  # per series and year, as Mitteilungs- and Beschlussvorlagen share the GRDrs numbers
    zeilen = []
    for i in range(anzahl_vorlagen):
        art, jahr = arten[i % len(arten)], 2016 + i % 11
        schluessel = (nummernkreis_von(art), jahr)
        letzte[schluessel] = letzte.get(schluessel, 0) + 1
        vorlage = Vorlage(
            art=art,
            nummer=letzte[schluessel],
            jahr=jahr,
            datum=datetime.date(jahr, 1 + i % 12, 1),
            dienststelle=dienststelle,
            titel=f"Vorlage {i}",
            status=Vorlage.Status.VEROEFFENTLICHT,
            veroeffentlicht_am=datetime.datetime(jahr, 1, 1, tzinfo=datetime.UTC),
        )
        vorlage.kennung = vorlage.kennung_berechnen()
        zeilen.append(vorlage)
    Vorlage.objects.bulk_create(zeilen, batch_size=2000)
    entwuerfe = []
    for i in range(anzahl_entwuerfe):
        art = Vorlage.Art.BESCHLUSSVORLAGE if i % 2 == 0 else Vorlage.Art.ANTRAG
        entwurf = Vorlage(
            art=art, jahr=2026, datum=datetime.date(2026, 12, 7), dienststelle=dienststelle, titel=f"Entwurf {i}"
        )
        entwurf.kennung = entwurf.kennung_berechnen()
        entwuerfe.append(entwurf)
    Vorlage.objects.bulk_create(entwuerfe)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE vorlagen_vorlage")
    return list(Vorlage.objects.filter(nummer__isnull=True).values_list("pk", flat=True))


def plan():
    """EXPLAIN ANALYZE of the query nummer_vergeben runs for the highest stored number of GRDrs 2026."""
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from vorlagen.models import Vorlage

    if connection.vendor != "postgresql":
        return None
    with CaptureQueriesContext(connection) as abfragen:
        hoechste = Vorlage.objects.im_nummernkreis(Vorlage.Art.BESCHLUSSVORLAGE, 2026).aggregate(h=Max("nummer"))["h"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + abfragen.captured_queries[-1]["sql"])
        return "\n".join(zeile for (zeile,) in cursor.fetchall()) + f"\n(highest: {hoechste})"


def registrieren(pks, threads):
    """In rounds: the ``threads`` clerks click at the same moment (a barrier), each registering one draft."""
    from django.db import connections

    from vorlagen.models import Vorlage
    from vorlagen.services import nummer_vergeben

    runden = len(pks) // threads
    zeiten, fehler = [], []
    start = threading.Barrier(threads)

    def arbeiten(eigene):
        try:
            for pk in eigene:
                start.wait()
                beginn = time.perf_counter()
                try:
                    nummer_vergeben(vorlage=Vorlage.objects.get(pk=pk), user=None)
                except Exception as ausnahme:
                    fehler.append(repr(ausnahme))
                zeiten.append(time.perf_counter() - beginn)
        finally:
            connections.close_all()

    laeufer = [threading.Thread(target=arbeiten, args=(pks[i * runden : (i + 1) * runden],)) for i in range(threads)]
    beginn = time.perf_counter()
    for thread in laeufer:
        thread.start()
    for thread in laeufer:
        thread.join()
    return time.perf_counter() - beginn, zeiten, fehler


def pruefen():
    """Per series: the numbers given follow the highest stored one without a gap, none twice."""
    from django.db.models import Max

    from vorlagen.models import Vorlage

    fehler = []
    for art in (Vorlage.Art.BESCHLUSSVORLAGE, Vorlage.Art.ANTRAG):
        reihe = Vorlage.objects.im_nummernkreis(art, 2026)
        vorher = reihe.filter(nummer_vergeben_am__isnull=True).aggregate(h=Max("nummer"))["h"] or 0
        vergeben = sorted(reihe.filter(nummer_vergeben_am__isnull=False).values_list("nummer", flat=True))
        if vergeben != list(range(vorher + 1, vorher + 1 + len(vergeben))):
            fehler.append(f"{art}: nach {vorher} vergeben {vergeben[:5]} …")
    return fehler


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vorlagen", type=int, default=100_000)
    parser.add_argument("--entwuerfe", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    argumente = parser.parse_args()

    eigene_daten("nummernvergabe-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    beginn = time.perf_counter()
    pks = vorbereiten(argumente.vorlagen, argumente.entwuerfe)
    print(
        f"{connection.vendor}: {argumente.vorlagen} numbered Vorlagen and {len(pks)} drafts in "
        f"{time.perf_counter() - beginn:.1f} s"
    )
    dauer, zeiten, fehler = registrieren(pks, argumente.threads)
    ms = sorted(z * 1000 for z in zeiten)
    print(
        f"{len(zeiten)} registrations by {argumente.threads} threads in {dauer:.2f} s: "
        f"{len(zeiten) / dauer:.0f} per second; one registration p50 {statistics.median(ms):.1f} ms, "
        f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms (waiting for the lock included)"
    )
    erklaerung = plan()
    if erklaerung:
        print("Plan of the highest stored number (GRDrs 2026):\n" + erklaerung)
    probleme = fehler + pruefen()
    if probleme:
        print(f"FEHLER: {len(probleme)}: {probleme[:5]}")
        return 1
    print("Numbers consecutive per series, none twice, no error.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
