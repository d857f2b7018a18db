"""Issue 20: the people index, a Fraktion page and a person page on the large data set, uncached.

    .venv/bin/python benchmarks/bench_personen.py [--wiederholungen 40]

Uses the data set of ``datensatz.py`` (``RATSINFO_BENCH_DATABASE_URL``, default ``ratsinfo_bench``) with its
``ergaenzen()`` part (1,500 Personen, Fraktionen, Mitgliedschaften) and adds once, through ``personen_ergaenzen()``,
Fraktion memberships and Urheber for some thousands of Anträge and Anfragen. Each page is requested through the real
view by an anonymous visitor (Django's test client in this process: the server time without network, DEBUG off),
with the page cache and the count cache off, after one warm-up request: p50 and p95 of the wall time, and the
median CPU time of this process (Python and templates, without PostgreSQL's), which other work on the machine
disturbs far less than the wall time.

Goal (docs/benchmarks.md, "Every main page"): p95 <= 50 ms at one connection, uncached. Exit status 1 when a page
misses it or answers other than 200.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.datensatz import datenbank_url, ergaenzen, personen_ergaenzen, sicherstellen

ZIEL_P95_MS = 50


def perzentil(werte, p):
    werte = sorted(werte)
    k = (len(werte) - 1) * p / 100
    unten = int(k)
    oben = min(unten + 1, len(werte) - 1)
    return werte[unten] + (werte[oben] - werte[unten]) * (k - unten)


def seiten_waehlen():
    """The measured addresses: the index (default term, all terms, one Fraktion, a deep page), the Fraktion with
    the most members, and the person who signed the most papers."""
    from django.conf import settings
    from django.db.models import Count
    from django.urls import reverse

    from gremien.models import Ausschuss, Person

    fraktion = (
        Ausschuss.objects.filter(art=Ausschuss.Art.FRAKTION)
        .annotate(n=Count("mitgliedschaften"))
        .order_by("-n", "pk")
        .first()
    )
    person = Person.objects.annotate(n=Count("urheberschaften")).order_by("-n", "pk").first()
    liste = reverse("sitzungen:person-liste")
    seiten_alle = -(-Person.objects.filter(mitgliedschaften__isnull=False).distinct().count() // settings.PAGINATE_BY)
    return {
        "Personen (aktuelle Wahlperiode)": liste,
        "Personen (alle Wahlperioden)": f"{liste}?wahlperiode=alle",
        f"Personen (Fraktion {fraktion.slug})": f"{liste}?fraktion={fraktion.slug}",
        f"Personen (alle, Seite {seiten_alle})": f"{liste}?wahlperiode=alle&page={seiten_alle}",
        f"Fraktionsseite {fraktion.slug}": fraktion.get_absolute_url(),
        f"Personenseite {person.pk}": person.get_absolute_url(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wiederholungen", type=int, default=40)
    argumente = parser.parse_args()
    # Measured as in production: DEBUG keeps every query and renders templates with debug information.
    os.environ["DJANGO_DEBUG"] = "0"
    sicherstellen()
    ergaenzen()
    personen_ergaenzen()
    from django.conf import settings
    from django.test import Client

    # Uncached: every request reaches the view and the database.
    settings.RATSINFO_SEITEN_CACHE_SEKUNDEN = 0
    settings.RATSINFO_ANZAHL_CACHE_SEKUNDEN = 0
    from django.db import connection

    with connection.cursor() as cursor:
        for tabelle in ("vorlagen_vorlage", "sitzungen_person", "sitzungen_mitgliedschaft", "vorlagen_urheber"):
            cursor.execute(f"SELECT count(*) FROM {tabelle}")
            print(f"  {tabelle}: {cursor.fetchone()[0]}")
    print(f"Datenbank: {datenbank_url()}")
    print(f"Last (1/5/15 min) vorher: {' '.join(f'{w:.2f}' for w in os.getloadavg())}")
    client = Client()
    verfehlt = False
    for name, adresse in seiten_waehlen().items():
        antwort = client.get(adresse)
        if antwort.status_code != 200:
            print(f"FAIL {name}: {adresse} antwortet {antwort.status_code}")
            verfehlt = True
            continue
        zeiten, cpu = [], []
        for _ in range(argumente.wiederholungen):
            start, start_cpu = time.perf_counter(), time.process_time()
            antwort = client.get(adresse)
            zeiten.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        p50, p95 = perzentil(zeiten, 50) * 1000, perzentil(zeiten, 95) * 1000
        ok = p95 <= ZIEL_P95_MS
        verfehlt |= not ok
        print(
            f"{'PASS' if ok else 'FAIL'} {name:45} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
            f"(CPU p50 {statistics.median(cpu) * 1000:.1f} ms, {len(antwort.content)} Bytes)  {adresse}"
        )
    print(f"Last (1/5/15 min) nachher: {' '.join(f'{w:.2f}' for w in os.getloadavg())}")
    sys.exit(1 if verfehlt else 0)


if __name__ == "__main__":
    main()
