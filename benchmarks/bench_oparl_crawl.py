"""OParl crawl throughput (issue 6) on the large data set (benchmarks/datensatz.py): list pages per second and
objects per second, through the real views with the Django test client (no network, no gunicorn).

    .venv/bin/python benchmarks/bench_oparl_crawl.py [--seiten 50] [--limit 100] [--einzeln 2000]

A bounded sample: from the System object to the Body, then the first ``--seiten`` pages of each of the Body's
lists with ``limit=--limit`` (following the ``next`` links), then ``--einzeln`` single objects fetched at their
ids, taken round-robin across the types seen in the lists. Prints per list the pages, objects, pages/s,
objects/s and the median and p95 time of a page, and for the single objects objects/s, median and p95.

Uses ``RATSINFO_BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/ratsinfo_bench) and loads the
data set first if it is not there.
"""

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.datensatz import sicherstellen


def pfad(adresse):
    teile = urlsplit(adresse)
    return f"{teile.path}?{teile.query}" if teile.query else teile.path


def mit_limit(adresse, limit):
    return adresse + ("&" if "?" in adresse else "?") + f"limit={limit}"


def p95(werte):
    return statistics.quantiles(werte, n=20)[-1] if len(werte) >= 2 else werte[0]


def holen(client, adresse):
    start = time.perf_counter()
    antwort = client.get(pfad(adresse))
    dauer = time.perf_counter() - start
    if antwort.status_code != 200:
        sys.exit(f"{adresse}: HTTP {antwort.status_code}")
    return json.loads(antwort.content), dauer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seiten", type=int, default=50, help="pages per list at most")
    parser.add_argument("--limit", type=int, default=100, help="objects per list page")
    parser.add_argument("--einzeln", type=int, default=2000, help="single objects fetched at their id")
    argumente = parser.parse_args()

    sicherstellen()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client = Client()
    system, _ = holen(client, settings.RATSINFO_OPARL_BASIS_URL + "/oparl/v1.1/")
    bodies, _ = holen(client, system["body"])
    body = bodies["data"][0]
    listen = {
        schluessel: wert
        for schluessel, wert in body.items()
        if isinstance(wert, str)
        and schluessel not in {"id", "type", "system", "web", "website", "created"}
        and wert.startswith(settings.RATSINFO_OPARL_BASIS_URL + "/oparl/v1.1/body/")
    }

    print(f"Datenbank: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"Stichprobe: je Liste höchstens {argumente.seiten} Seiten mit limit={argumente.limit}")
    print(f"{'Liste':<20} {'Seiten':>6} {'Objekte':>8} {'Seiten/s':>9} {'Objekte/s':>10} {'p50 ms':>7} {'p95 ms':>7}")
    ids = {}
    alle_zeiten, alle_objekte = [], 0
    for name, adresse in listen.items():
        adresse = mit_limit(adresse, argumente.limit)
        zeiten, objekte = [], 0
        while adresse and len(zeiten) < argumente.seiten:
            seite, dauer = holen(client, adresse)
            zeiten.append(dauer)
            objekte += len(seite["data"])
            for objekt in seite["data"]:
                if not objekt.get("deleted"):
                    ids.setdefault(objekt["type"].rsplit("/", 1)[-1], []).append(objekt["id"])
            adresse = seite["links"].get("next")
        alle_zeiten += zeiten
        alle_objekte += objekte
        summe = sum(zeiten)
        print(
            f"{name:<20} {len(zeiten):>6} {objekte:>8} {len(zeiten) / summe:>9.1f} {objekte / summe:>10.0f} "
            f"{statistics.median(zeiten) * 1000:>7.1f} {p95(zeiten) * 1000:>7.1f}"
        )
    summe = sum(alle_zeiten)
    print(
        f"{'Listen gesamt':<20} {len(alle_zeiten):>6} {alle_objekte:>8} {len(alle_zeiten) / summe:>9.1f} "
        f"{alle_objekte / summe:>10.0f} {statistics.median(alle_zeiten) * 1000:>7.1f} {p95(alle_zeiten) * 1000:>7.1f}"
    )

    # Round-robin over the types, so the sample is not only the type with the longest list.
    reihen = [iter(werte) for _, werte in sorted(ids.items())]
    auswahl = [i for i in itertools.chain.from_iterable(itertools.zip_longest(*reihen)) if i][: argumente.einzeln]
    zeiten = []
    for adresse in auswahl:
        zeiten.append(holen(client, adresse)[1])
    summe = sum(zeiten)
    typ_von = {i: typ for typ, werte in ids.items() for i in werte}
    anzahl = {typ: sum(1 for i in auswahl if typ_von[i] == typ) for typ in sorted(ids)}
    typen = ", ".join(f"{typ} {n}" for typ, n in anzahl.items())
    print(f"Einzelobjekte: {len(zeiten)} ({typen})")
    print(
        f"Einzelobjekte: {len(zeiten) / summe:.0f} Objekte/s, p50 {statistics.median(zeiten) * 1000:.1f} ms, "
        f"p95 {p95(zeiten) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
