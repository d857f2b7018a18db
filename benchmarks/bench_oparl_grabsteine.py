"""OParl lists full of tombstones (issue 6): a client that synchronises with modified_since gets, after a wave of
withdrawn or hidden papers, mostly ``deleted: true`` entries. Measures the time and SQL queries of a list page
(limit=100) over all tombstones, at two sizes; the queries must not grow with the size.

Run from the repository root: ``.venv/bin/python benchmarks/bench_oparl_grabsteine.py``. Uses its own temporary
SQLite database; with ``RATSINFO_BENCH_DATABASE_URL`` set it uses that PostgreSQL database instead, which it
migrates and from which it deletes its own tombstones (typ "paper") afterwards. Exits non-zero when the queries
per page differ between the sizes.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.umgebung import eigene_daten

DATEN = eigene_daten("ratsinfo-bench-grabsteine-")

GROESSEN = (1_000, 20_000)
WIEDERHOLUNGEN = 5  # the median of these is printed


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from oparl.models import Tombstone

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    Tombstone.objects.filter(typ="paper", pfad__startswith="paper/9").delete()
    client = Client()
    seit = (timezone.now() - timezone.timedelta(days=1)).isoformat().replace("+", "%2B")
    print(f"Datenbank: {connection.vendor} {connection.settings_dict['NAME']}")
    abfragen = set()
    try:
        vorhanden = 0
        for groesse in GROESSEN:
            jetzt = timezone.now()
            Tombstone.objects.bulk_create(
                Tombstone(
                    typ="paper",
                    pfad=f"paper/9{n:08d}",
                    erstellt_am=jetzt,
                    grund=Tombstone.Grund.NICHT_OEFFENTLICH,
                )
                for n in range(vorhanden, groesse)
            )
            vorhanden = groesse
            seiten = (groesse + 99) // 100
            for seite in (1, seiten // 2, seiten):
                adresse = reverse("oparl:liste", kwargs={"liste": "paper"})
                adresse += f"?modified_since={seit}&limit=100&page={seite}"
                zeiten = []
                for _ in range(WIEDERHOLUNGEN):
                    with CaptureQueriesContext(connection) as erfasst:
                        start = time.perf_counter()
                        antwort = client.get(adresse)
                        zeiten.append(time.perf_counter() - start)
                    assert antwort.status_code == 200, antwort.content[:200]
                daten = antwort.json()["data"]
                assert daten and all(eintrag.get("deleted") for eintrag in daten if "paper/9" in eintrag["id"])
                median = sorted(zeiten)[len(zeiten) // 2] * 1000
                abfragen.add(len(erfasst))
                print(
                    f"{groesse:>7} Grabsteine, Seite {seite:>4}/{seiten}: Median {median:.1f} ms,"
                    f" {len(erfasst)} SQL-Abfragen, {len(daten)} Einträge"
                )
    finally:
        Tombstone.objects.filter(typ="paper", pfad__startswith="paper/9").delete()
    if len(abfragen) > 1:
        sys.exit(f"Die Zahl der Abfragen wächst mit der Größe: {abfragen}")


if __name__ == "__main__":
    main()
