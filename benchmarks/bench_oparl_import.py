"""OParl import throughput (issue 6): the real Hürtgenwald crawl, served from a local HTTP server, imported into a
fresh database. Goal: all of it in under 60 s.

Run from the repository root: ``.venv/bin/python benchmarks/bench_oparl_import.py``. Uses its own temporary SQLite
database (RATSINFO_DATA_DIR); with ``RATSINFO_BENCH_DATABASE_URL`` set it imports into that PostgreSQL database
instead, which it migrates and which must hold no earlier import (otherwise the first run only finds unchanged
objects). Prints objects per second of the first run and the time of a second, unchanged run; exits non-zero
when the first run misses the goal.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.umgebung import eigene_daten

DATEN = eigene_daten("ratsinfo-bench-oparl-")

ZIEL_SEKUNDEN = 60


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from oparlimport.abruf import Abruf
    from oparlimport.services import oparl_importieren
    from tests.oparl_server import OparlServer, huertgenwald_laden

    with OparlServer() as server:
        url = huertgenwald_laden(server, Path(DATEN) / "crawl")
        abruf = Abruf(wartezeit=0)
        rundreisen = []

        def zaehlen(execute, sql, params, many, context):
            rundreisen.append(1)
            return execute(sql, params, many, context)

        start = time.perf_counter()
        with connection.execute_wrapper(zaehlen):
            bericht = oparl_importieren(system_url=url, abruf=abruf)
        dauer = time.perf_counter() - start
        start = time.perf_counter()
        zweiter = oparl_importieren(system_url=url, abruf=abruf)
        dauer2 = time.perf_counter() - start
        abruf.schliessen()

    objekte = bericht.summe("angelegt") + bericht.summe("aktualisiert")
    print(f"Datenbank: {connection.vendor} {connection.settings_dict['NAME']}")
    print("\n".join(bericht.zeilen()))
    print(
        f"Erster Lauf: {objekte} Objekte in {dauer:.1f} s = {objekte / dauer:.0f} Objekte/s, {abruf.anfragen} "
        f"HTTP-Anfragen, {len(rundreisen)} Datenbank-Rundreisen"
    )
    print(
        f"Zweiter Lauf (unverändert): {dauer2:.1f} s, angelegt {zweiter.summe('angelegt')}, "
        f"aktualisiert {zweiter.summe('aktualisiert')}"
    )
    if dauer > ZIEL_SEKUNDEN:
        sys.exit(f"Ziel verfehlt: {dauer:.1f} s > {ZIEL_SEKUNDEN} s")


if __name__ == "__main__":
    main()
