"""Peak memory of an OParl import against a source whose answers never end (issue 15). Goal: under 300 MB.

The local source serves a System, a Body, a paper list whose page is an endless JSON array, a second list with a
paper whose file is an endless download, and a third list served one byte at a time. The import runs with the
default limits (RATSINFO_OPARL_IMPORT_MAX_MB, RATSINFO_ANLAGE_MAX_MB, a 3 s deadline) and ``--dateien``.

Run from the repository root: ``.venv/bin/python benchmarks/bench_oparl_endlos.py``. Prints the peak resident set
size of the process (ru_maxrss, the server threads included) and the bytes the source offered; exits non-zero
when the peak is 300 MB or more.
"""

import itertools
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.umgebung import eigene_daten

DATEN = eigene_daten("ratsinfo-bench-endlos-", bench_datenbank=False)

ZIEL_MB = 300


def main():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from oparlimport.abruf import Abruf
    from oparlimport.services import oparl_importieren
    from tests.oparl_server import OparlServer

    gesendet = []

    def endlos(stueck):
        for _ in itertools.count():
            gesendet.append(len(stueck))
            yield stueck

    def tropfen():
        for _ in range(60):
            gesendet.append(1)
            yield b" "
            time.sleep(0.5)

    with OparlServer() as server:
        basis = server.basis
        server.json("/system", {"id": "BASIS/system", "type": "https://schema.oparl.org/1.1/System", "body": "BASIS/b"})
        body = {
            "id": "BASIS/body/1",
            "type": "https://schema.oparl.org/1.1/Body",
            "name": "Endlos",
            "organization": "BASIS/endlos",
            "paper": "BASIS/papiere",
            "meeting": "BASIS/tropfen",
        }
        server.json("/b", {"data": [body], "links": {}})
        papier = {
            "id": f"{basis}/paper/1",
            "type": "https://schema.oparl.org/1.1/Paper",
            "name": "Vorlage mit endloser Datei",
            "reference": "1/2021",
            "date": "2021-01-05",
            "modified": "2021-01-05T10:00:00+01:00",
            "mainFile": {"id": f"{basis}/file/1", "fileName": "endlos.pdf", "downloadUrl": f"{basis}/datei"},
        }
        server.routen["/papiere"] = (200, json.dumps({"data": [papier], "links": {}}).encode())
        server.routen["/endlos"] = lambda: (200, itertools.chain([b'{"data": ['], endlos(b"[0,0,0,0]," * 6553)))
        server.routen["/datei"] = lambda: (200, itertools.chain([b"%PDF-1.7\n"], endlos(b"0" * 65536)))
        server.routen["/tropfen"] = lambda: (200, tropfen())
        abruf = Abruf(wartezeit=0, versuche=1, timeout=3)
        start = time.perf_counter()
        bericht = oparl_importieren(system_url=basis + "/system", abruf=abruf, dateien=True)
        dauer = time.perf_counter() - start
        abruf.schliessen()

    spitze_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\n".join(bericht.zeilen()))
    print(
        f"Angeboten: {sum(gesendet) / 2**20:.0f} MB gesendet, bevor der Import abbrach; Dauer {dauer:.1f} s; "
        f"Spitze des Speichers (ru_maxrss): {spitze_mb:.0f} MB"
    )
    if spitze_mb >= ZIEL_MB:
        sys.exit(f"Ziel verfehlt: {spitze_mb:.0f} MB ≥ {ZIEL_MB} MB")


if __name__ == "__main__":
    main()
