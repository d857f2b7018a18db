"""Search benchmark on the large data set (benchmarks/datensatz.py), and Anlage text extraction throughput.

    .venv/bin/python benchmarks/bench_suche.py [--wiederholungen 5] [--ohne-ilike] [--ohne-extraktion]

1. 20 typical searches through the real view (/suche/?q=…, anonymous, full page rendered): p50 and p95 of the
   server time over all runs, and per query the median.
2. The same words as a plain ``ILIKE '%wort%'`` scan over the same columns (Vorlagen, TOPs, Sitzungen, Anlage
   pages; every word must match), counted, once per query: the time and the ratio ILIKE / full-text.
3. Extraction: PDFs of German text made with WeasyPrint, read by ``vorlagen.textextraktion.pdf_lesen`` (our
   extractor), by plain ``pdftotext`` and by ``pypdf``, in pages per second, with ratios to ``pdftotext``.

Uses ``RATSINFO_BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/ratsinfo_bench) and loads the
data set first if it is not there. Goals: p50 <= 30 ms, p95 <= 150 ms.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.datensatz import SELTEN, Text, sicherstellen

ABFRAGEN = [
    ("ein Wort, häufig", {"q": "Stadt"}),
    ("ein Wort, häufig", {"q": "Verwaltung"}),
    ("ein Wort", {"q": "Integration"}),
    ("ein Wort", {"q": "Klimaschutz"}),
    ("ein Wort, Präfix", {"q": "Integr"}),
    ("zwei Wörter", {"q": "Integration Förderung"}),
    ("zwei Wörter", {"q": "Radweg Sanierung"}),
    ("zwei Wörter, selten zusammen", {"q": "Denkmalschutz Schwimmbad"}),
    ("Phrase", {"q": '"Bündnis für Integration"'}),
    ("Phrase", {"q": '"Sanierung der Schule"'}),
    ("Nummer", {"q": "GRDrs 952/2021"}),
    ("Nummer", {"q": "12/2015"}),
    ("mit Gremium", {"q": "Klimaschutz", "ausschuss": "gremium-3"}),
    ("mit Gremium und Art", {"q": "Haushalt", "ausschuss": "gremium-1", "art": "beschlussvorlage"}),
    ("mit Zeitraum", {"q": "Wohnungsbau", "von": "2020-01-01", "bis": "2021-12-31"}),
    ("selten", {"q": SELTEN[0]}),
    ("selten", {"q": SELTEN[2]}),
    ("Tippfehler", {"q": "Integratoin"}),
    ("nur Anlagen, nach Datum", {"q": "Photovoltaik", "typ": "anlage", "sortierung": "datum"}),
    ("gar nicht vorhanden", {"q": "Quantencomputer"}),
]


def perzentil(werte, p):
    werte = sorted(werte)
    k = (len(werte) - 1) * p / 100
    unten = int(k)
    oben = min(unten + 1, len(werte) - 1)
    return werte[unten] + (werte[oben] - werte[unten]) * (k - unten)


def ilike_zeit(parameter):
    """Seconds for the naive search: every word as ILIKE over the searched columns, counted per kind."""
    from django.db import connection

    from suche.abfrage import Suchbegriff

    begriff = Suchbegriff.lesen(parameter["q"])
    teile = [*begriff.woerter, *(" ".join(p) for p in begriff.phrasen)]
    tabellen = {
        "vorlagen_vorlage": "titel || ' ' || aktenzeichen || ' ' || beschlussantrag || ' ' || bericht || ' ' || "
        "begruendung || ' ' || finanzielle_auswirkungen",
        "sitzungen_tagesordnungspunkt": "titel || ' ' || beschluss",
        "sitzungen_sitzung": "name",
        "vorlagen_anlageseite": "text",
    }
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for tabelle, spalte in tabellen.items():
            bedingung = " AND ".join(f"({spalte}) ILIKE %s" for _ in teile) or "TRUE"
            cursor.execute(f"SELECT count(*) FROM {tabelle} WHERE {bedingung}", [f"%{t}%" for t in teile])
            cursor.fetchone()
    return time.perf_counter() - start


def suche_messen(wiederholungen, mit_ilike):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    url = reverse("suche:suche")
    alle, zeilen = [], []
    for art, parameter in ABFRAGEN:
        antwort = client.get(url, parameter)  # warm-up, and a check that it works
        assert antwort.status_code == 200, (parameter, antwort.status_code)
        zeiten = []
        for _ in range(wiederholungen):
            start = time.perf_counter()
            client.get(url, parameter)
            zeiten.append(time.perf_counter() - start)
        alle += zeiten
        median = statistics.median(zeiten)
        ilike = ilike_zeit(parameter) if mit_ilike else None
        zeilen.append((art, parameter, median, ilike))
        ilike_text = f"{ilike * 1000:9.0f} ms  {ilike / median:7.1f}x" if ilike else ""
        print(f"  {art:30} {str(parameter)[:60]:60} {median * 1000:8.1f} ms  {ilike_text}", flush=True)
    print(
        f"\nSuche über {len(ABFRAGEN)} Abfragen x {wiederholungen}: p50 {perzentil(alle, 50) * 1000:.1f} ms, "
        f"p95 {perzentil(alle, 95) * 1000:.1f} ms, max {max(alle) * 1000:.1f} ms (Ziele: 30 / 150 ms)"
    )
    if mit_ilike:
        fts = sum(z[2] for z in zeilen)
        ilike = sum(z[3] for z in zeilen)
        print(
            f"ILIKE-Suche, Summe der Mediane: Volltext {fts * 1000:.0f} ms, ILIKE {ilike * 1000:.0f} ms, "
            f"Faktor {ilike / fts:.1f}"
        )


def extraktion_messen(dateien=8, seiten=10):
    from weasyprint import HTML

    from vorlagen.textextraktion import pdf_lesen, pypdf_lesen

    text = Text(99)
    with tempfile.TemporaryDirectory() as ordner:
        pfade = []
        for i in range(dateien):
            absaetze = "".join(
                f'<p style="page-break-after: always; hyphens: auto" lang="de">{text.saetze(2500)}</p>'
                for _ in range(seiten)
            )
            pfad = Path(ordner) / f"anlage-{i}.pdf"
            HTML(string=f"<html lang='de'><body>{absaetze}</body></html>").write_pdf(pfad)
            pfade.append(pfad)

        def messen(lesen):
            start = time.perf_counter()
            gelesen = sum(len(lesen(pfad)) for pfad in pfade)
            return gelesen / (time.perf_counter() - start), gelesen

        def roh_pdftotext(pfad):
            ausgabe = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(pfad), "-"], capture_output=True)
            return ausgabe.stdout.split(b"\f")[:-1]

        referenz, seitenzahl = messen(roh_pdftotext)
        unsere, _ = messen(lambda pfad: pdf_lesen(pfad).seiten)
        pypdf, _ = messen(pypdf_lesen)
    print(f"\nExtraktion, {dateien} PDFs mit {seitenzahl} Seiten deutschem Text:")
    print(f"  pdftotext (roh)             {referenz:8.1f} Seiten/s  1.00")
    print(f"  pdf_lesen (unser Extraktor) {unsere:8.1f} Seiten/s  {unsere / referenz:.2f}")
    print(f"  pypdf                       {pypdf:8.1f} Seiten/s  {pypdf / referenz:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wiederholungen", type=int, default=5)
    parser.add_argument("--ohne-ilike", action="store_true")
    parser.add_argument("--ohne-extraktion", action="store_true")
    argumente = parser.parse_args()
    sicherstellen()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        print(cursor.fetchone()[0])
        for tabelle in (
            "vorlagen_vorlage",
            "sitzungen_sitzung",
            "sitzungen_tagesordnungspunkt",
            "vorlagen_anlage",
            "vorlagen_anlageseite",
        ):
            cursor.execute(f"SELECT count(*) FROM {tabelle}")
            print(f"  {tabelle}: {cursor.fetchone()[0]}")
    print()
    suche_messen(argumente.wiederholungen, not argumente.ohne_ilike)
    if not argumente.ohne_extraktion:
        extraktion_messen()


if __name__ == "__main__":
    main()
