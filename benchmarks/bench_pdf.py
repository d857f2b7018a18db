"""PDF benchmarks (issue 4): Vorlage cold/warm, serving a stored PDF, a 40-TOP Sitzungsmappe, WeasyPrint vs Chromium.

Run from the repository root with ``make bench`` (DJANGO_SETTINGS_MODULE=ratsinfo.settings). Uses its own
temporary SQLite database and files (RATSINFO_DATA_DIR), migrates and loads the demo data; the figures are
printed as a Markdown table for docs/benchmarks.md.
"""

import io
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.umgebung import eigene_daten

DATEN = eigene_daten("ratsinfo-bench-", bench_datenbank=False)

WIEDERHOLUNGEN = 10
# The seed of the design brief, as the demo data holds it.
SEED = "20 Jahre Stuttgarter Bündnis für Integration"


def kalt_rendern():
    """The seed Vorlage's first render in a fresh process: imports, fonts, WeasyPrint warm-up included."""
    code = (
        f"SEED={SEED!r}; import time; t=time.perf_counter(); import django; django.setup();"
        "from druck import inhalt, pdf; from vorlagen.models import Vorlage;"
        "v=inhalt.vorlagen_mit_inhalt(inhalt.anonym(), Vorlage.objects.filter(titel=SEED)).get();"
        "pdf.vorlage_pdf(inhalt.vorlage_daten(v)); print(time.perf_counter()-t)"
    )
    ausgabe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    if ausgabe.returncode:
        sys.exit(ausgabe.stderr)
    return float(ausgabe.stdout.strip().splitlines()[-1])


def main():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demodaten_laden", verbosity=0)

    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfWriter

    from druck import inhalt, pdf
    from druck.models import Druckstueck
    from gremien.models import Ausschuss, Dienststelle
    from sitzungen.models import Sitzung, Tagesordnungspunkt
    from vorlagen.models import Anlage, Vorlage

    zeilen = []
    kalt = kalt_rendern()
    zeilen.append(("Seed-Vorlage, erster Render in frischem Prozess", f"{kalt:.2f} s", "–"))

    vorlage = inhalt.vorlagen_mit_inhalt(inhalt.anonym(), Vorlage.objects.filter(titel=SEED)).get()
    daten = inhalt.vorlage_daten(vorlage)
    zeiten = []
    for _ in range(WIEDERHOLUNGEN):
        start = time.perf_counter()
        pdf.vorlage_pdf(daten)
        zeiten.append(time.perf_counter() - start)
    warm = statistics.median(zeiten)
    zeilen.append((f"Seed-Vorlage, warmer Render (Median von {WIEDERHOLUNGEN})", f"{warm:.3f} s", "≤ 0,4 s"))

    client = Client()
    adresse = reverse("druck:vorlage", kwargs={"kennung": vorlage.kennung})
    b"".join(client.get(adresse).streaming_content)
    zeiten = []
    for _ in range(50):
        start = time.perf_counter()
        antwort = client.get(adresse)
        b"".join(antwort.streaming_content)
        zeiten.append(time.perf_counter() - start)
    ausliefern = statistics.median(zeiten)
    zeilen.append(
        ("Gespeichertes PDF ausliefern (Median von 50, Django-Testclient)", f"{ausliefern * 1000:.1f} ms", "≤ 20 ms")
    )

    # Chromium prints the same HTML (fonts from the same folder) in the same run.
    html = Path(DATEN) / "vorlage.html"
    from django.template.loader import render_to_string

    html.write_text(render_to_string("druck/vorlage.html", pdf.kontext(daten["koerperschaft"], v=daten)))
    ziel = Path(DATEN) / "chromium.pdf"
    zeiten = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [
                "/usr/bin/chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={ziel}",
                html.as_uri(),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        zeiten.append(time.perf_counter() - start)
    chromium = statistics.median(zeiten)
    zeilen.append(
        ("Dieselbe Vorlage mit Chromium --print-to-pdf (Median von 3, je ein Prozess)", f"{chromium:.2f} s", "–")
    )
    zeilen.append(("Verhältnis WeasyPrint (warm) / Chromium", f"{warm / chromium:.2f}", "–"))
    zeilen.append(("Verhältnis WeasyPrint (kalt) / Chromium", f"{kalt / chromium:.2f}", "–"))

    # A Sitzungsmappe of 40 TOPs with 40 Vorlagen and 40 five-page Anlagen.
    schreiber = PdfWriter()
    for _ in range(5):
        schreiber.add_blank_page(595, 842)
    puffer = io.BytesIO()
    schreiber.write(puffer)
    fuenf_seiten = puffer.getvalue()
    from django.core.files.base import ContentFile
    from django.utils import timezone

    ausschuss = Ausschuss.objects.create(name="Benchmark-Ausschuss", slug="benchmark")
    dienststelle = Dienststelle.objects.first()
    sitzung = Sitzung.objects.create(ausschuss=ausschuss, beginn=timezone.now())
    for i in range(40):
        v = Vorlage.objects.create(
            art=Vorlage.Art.BESCHLUSSVORLAGE,
            nummer=9000 + i,
            jahr=2026,
            kennung=f"grdrs-{9000 + i}-2026",
            datum=timezone.localdate(),
            dienststelle=dienststelle,
            titel=f"Benchmark-Vorlage {i} über Straßenbäume",
            bericht=vorlage.bericht,
            status=Vorlage.Status.VEROEFFENTLICHT,
            veroeffentlicht_am=timezone.now(),
        )
        anlage = Anlage(vorlage=v, titel=f"Anlage {i}", dateiname="anlage.pdf", mime_typ="application/pdf")
        anlage.datei.save("anlage.pdf", ContentFile(fuenf_seiten), save=False)
        anlage.groesse = len(fuenf_seiten)
        anlage.save()
        top = Tagesordnungspunkt.objects.create(sitzung=sitzung, nummer=str(i + 1), reihenfolge=i + 1, titel=v.titel)
        top.vorlagen.set([v])
    tracemalloc_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    antwort = client.get(reverse("druck:mappe", kwargs={"pk": sitzung.pk}))
    mappe = b"".join(antwort.streaming_content)
    dauer = time.perf_counter() - start
    spitze = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux: the process's peak so far
    druckstueck = Druckstueck.objects.get(art="mappe", sitzung=sitzung)
    zeilen.append(("Sitzungsmappe 40 TOPs, 40 Vorlagen, 40 × 5 Seiten Anlagen", f"{dauer:.1f} s", "≤ 20 s"))
    zeilen.append(("… Seiten / Größe", f"{druckstueck.seiten} / {len(mappe) // 1024} KiB", "–"))
    zeilen.append(
        (
            "… Spitze Arbeitsspeicher (maxrss des Prozesses)",
            f"{spitze / 1024:.0f} MiB (vorher {tracemalloc_start / 1024:.0f} MiB)",
            "≤ 1 GiB",
        )
    )

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, Daten in {DATEN}")
    print("| Messung | Ergebnis | Ziel |")
    print("|---|---|---|")
    for zeile in zeilen:
        print("| " + " | ".join(zeile) + " |")


if __name__ == "__main__":
    main()
