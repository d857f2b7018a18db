"""The README and docs/ tell the truth: the URLs they name answer on the demo site, the production block starts a
production process, and the embedded OParl ids follow the port `make run` serves on."""

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from demodaten import zugaenge

WURZEL = Path(settings.BASE_DIR)
# Every page of docs/ but benchmarks.md, left out on purpose: its URLs (page 1,000, gremium-1) are those of the large
# benchmark data set, not of the demo site. A new page is checked without being listed here.
DOKUMENTE = [
    WURZEL / "README.md",
    *sorted(seite for seite in (WURZEL / "docs").glob("*.md") if seite.name != "benchmarks.md"),
]
BETRIEB = WURZEL / "docs" / "betrieb.md"
# The README is the way in, not the manual: about 150 lines, with some room before the test objects.
README_HOECHSTENS_ZEILEN = 170
# Paths the docs name that are not pages of the site: folders on the server, the locations the web server serves
# itself, and PDF names (/JavaScript, /Launch …) in the upload check. A path that is neither a page nor one of these
# fails the test, so a misspelt URL cannot pass as "not a URL".
KEINE_SEITEN = re.compile(r"^/(usr|etc|srv|var|tmp|static|media|_anlagen)(/|$)|^/[A-Z]")
# Placeholders (`<kennung>`, `…`, `$PORT`) make a pattern, not an address to request.
PLATZHALTER = re.compile(r"[<>{}$…*]")
# Pages behind a login: requested as the demo account the README names for them.
ANMELDUNG = {
    "/admin/": zugaenge.SACHBEARBEITUNG_BENUTZERNAME,
    "/konto/meine-sitzungen/": zugaenge.RATSMITGLIED_BENUTZERNAME,
}
# The language switch is a POST form (README, "Languages"); its answer is the redirect back.
POST = {"/i18n/setlang/": ({"language": "en", "next": "/"}, 302)}
# Named as the path of a view, not as a page to open: without ?id= the redirect of old links answers 400 and says why.
ANDERE_ANTWORT = {"/oparl/herkunft/": 400}


def genannte_adressen():
    """Every site-relative address in backquotes, and every http://127.0.0.1:8000 link, per document."""
    adressen = {}
    for dokument in DOKUMENTE:
        text = dokument.read_text(encoding="utf-8")
        gefunden = re.findall(r"`(/[^`\s]*)`", text)
        gefunden += re.findall(r"http://127\.0\.0\.1:8000(/[^\s`)\"'<>]*)", text)
        for adresse in gefunden:
            adresse = adresse.rstrip(".,;")
            if not PLATZHALTER.search(adresse):
                adressen.setdefault(adresse, dokument.name)
    return adressen


def ist_seite(adresse):
    try:
        resolve(adresse.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def test_the_docs_name_the_reference_paper_and_the_main_pages():
    """The extraction itself works: a test that finds no address could never fail."""
    adressen = genannte_adressen()

    assert {"/", "/vorlagen/grdrs-1005-2021/", "/vorlagen/grdrs-1005-2021.pdf", "/oparl/v1.1/", "/admin/"} <= set(
        adressen
    )


@pytest.mark.django_db
def test_every_site_url_the_docs_name_answers_on_the_demo_data(demodaten, client):
    zugaenge.demo_zugaenge_anlegen()
    fehler = []
    for adresse, dokument in sorted(genannte_adressen().items()):
        if not ist_seite(adresse):
            if not KEINE_SEITEN.search(adresse):
                fehler.append(f"{dokument}: {adresse} ist keine Seite der Website")
            continue
        client.logout()
        if adresse in ANMELDUNG:
            assert client.login(username=ANMELDUNG[adresse], password=zugaenge.PASSWORT)
        if adresse in POST:
            daten, erwartet = POST[adresse]
            antwort = client.post(adresse, daten)
        else:
            # A documented redirect (the calendar to the current month) counts when it leads to a page.
            antwort, erwartet = client.get(adresse, follow=True), ANDERE_ANTWORT.get(adresse, 200)
        if antwort.status_code != erwartet:
            fehler.append(f"{dokument}: {adresse} antwortet {antwort.status_code}, nicht {erwartet}")

    assert not fehler, "\n".join(fehler)


def produktionsblock():
    """The `export NAME=value` lines of the production block in docs/betrieb.md, as a dict."""
    text = BETRIEB.read_text(encoding="utf-8")
    abschnitt = text.split("## Running in production", 1)[1]
    block = re.search(r"```sh\n(.*?)```", abschnitt, re.DOTALL)[1]
    variablen = {}
    for zeile in block.splitlines():
        worte = shlex.split(zeile, comments=True)
        if worte[:1] == ["export"]:
            for zuweisung in worte[1:]:
                name, _, wert = zuweisung.partition("=")
                variablen[name] = wert
    return variablen


def pflichtvariablen():
    """The variables ratsinfo/settings.py requires in production: the arguments of its required() calls."""
    baum = ast.parse((WURZEL / "ratsinfo" / "settings.py").read_text(encoding="utf-8"))
    return {
        knoten.args[0].value
        for knoten in ast.walk(baum)
        if isinstance(knoten, ast.Call) and getattr(knoten.func, "id", None) == "required"
    }


def test_the_production_block_sets_every_variable_production_requires():
    pflicht = pflichtvariablen()

    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_DEFAULT_FROM_EMAIL"} <= pflicht
    assert pflicht <= set(produktionsblock())


def sauberes_umfeld(**variablen):
    """The environment of a fresh shell: none of the project's variables from the test run."""
    umgebung = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "RATSINFO_", "REDIS_")) and key != "PORT"
    }
    umgebung.update(variablen)
    return umgebung


def test_the_production_block_boots_django_as_a_gunicorn_worker_would(tmp_path):
    variablen = produktionsblock()
    # Only the folders move to the test's own; everything else exactly as docs/betrieb.md exports it.
    variablen.update(RATSINFO_DATA_DIR=str(tmp_path / "daten"), DJANGO_STATIC_ROOT=str(tmp_path / "static"))

    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=WURZEL,
        env=sauberes_umfeld(**variablen),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr


def oparl_basis(tmp_path, **variablen):
    ergebnis = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.RATSINFO_OPARL_BASIS_URL)",
        ],
        cwd=WURZEL,
        env=sauberes_umfeld(DJANGO_SETTINGS_MODULE="ratsinfo.settings", RATSINFO_DATA_DIR=str(tmp_path), **variablen),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ergebnis.returncode == 0, ergebnis.stderr
    return ergebnis.stdout.strip()


def test_embedded_oparl_ids_follow_the_port_make_run_serves_on(tmp_path):
    assert oparl_basis(tmp_path, PORT="9100") == "http://127.0.0.1:9100"
    assert oparl_basis(tmp_path) == "http://127.0.0.1:8000"
    # An explicit base URL still wins, and production keeps its https default on the first host.
    assert oparl_basis(tmp_path, PORT="9100", RATSINFO_OPARL_BASIS_URL="https://ratsinfo.example.de/") == (
        "https://ratsinfo.example.de"
    )


@pytest.mark.parametrize("aufruf", ["PORT=9100 make", "make PORT=9100"])
def test_make_run_hands_its_port_to_the_server_process(aufruf):
    """`make run` serves on $(PORT) and the server process sees PORT in its environment, which the settings read."""
    if not shutil.which("make"):
        pytest.skip("GNU make fehlt")
    umgebung = sauberes_umfeld()
    befehl = ["make", "--no-print-directory", "-n", "run"]
    if aufruf.startswith("PORT="):
        umgebung["PORT"] = "9100"
    else:
        befehl.append("PORT=9100")
    trocken = subprocess.run(befehl, cwd=WURZEL, env=umgebung, capture_output=True, text=True, timeout=60)
    server = [zeile for zeile in trocken.stdout.splitlines() if "manage.py runserver" in zeile]
    assert server and server[-1].endswith("runserver 127.0.0.1:9100"), trocken.stdout + trocken.stderr

    # The same make, asked what a recipe's shell sees.
    befehl = ["make", "--no-print-directory", "-s", "--eval", "zeige-port: ; @echo $$PORT", "zeige-port"]
    if not aufruf.startswith("PORT="):
        befehl.append("PORT=9100")
    umfeld = subprocess.run(befehl, cwd=WURZEL, env=umgebung, capture_output=True, text=True, timeout=60)
    assert umfeld.stdout.strip() == "9100", umfeld.stdout + umfeld.stderr


def github_anker(ueberschrift):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]", "", ueberschrift.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_links_between_the_docs_lead_to_a_file_and_heading_that_exist():
    fehler = []
    for dokument in [*DOKUMENTE, WURZEL / "docs" / "benchmarks.md", WURZEL / "benchmarks" / "README.md"]:
        for ziel in re.findall(r"\]\(([^)\s]+)\)", dokument.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", ziel):
                continue
            pfad, _, anker = ziel.partition("#")
            datei = (dokument.parent / pfad).resolve() if pfad else dokument
            if not datei.exists():
                fehler.append(f"{dokument.name}: {ziel} – die Datei fehlt")
            elif anker:
                ueberschriften = re.findall(r"^#+ (.+)$", datei.read_text(encoding="utf-8"), re.MULTILINE)
                if anker not in {github_anker(u) for u in ueberschriften}:
                    fehler.append(f"{dokument.name}: {ziel} – keine solche Überschrift")

    assert not fehler, "\n".join(fehler)


def test_the_docs_pages_are_all_checked_and_include_the_moved_subjects():
    """The glob finds the pages the README's sections moved to; an empty or renamed docs/ cannot pass unnoticed."""
    namen = {dokument.name for dokument in DOKUMENTE}

    assert {"README.md", "architecture.md", "betrieb.md", "oparl.md", "import.md", "suche.md"} <= namen
    assert {"barrierefreiheit.md", "entwicklung.md", "seiten.md"} <= namen


def test_the_readme_stays_short():
    zeilen = (WURZEL / "README.md").read_text(encoding="utf-8").splitlines()

    assert len(zeilen) <= README_HOECHSTENS_ZEILEN, (
        f"README.md hat {len(zeilen)} Zeilen; höchstens {README_HOECHSTENS_ZEILEN}. Was darüber hinausgeht, gehört "
        "auf eine Seite in docs/ und in die Tabelle „Read on“."
    )


def test_the_readme_leads_to_every_page_of_the_docs():
    text = (WURZEL / "README.md").read_text(encoding="utf-8")
    verlinkt = {ziel.partition("#")[0] for ziel in re.findall(r"\]\((docs/[^)\s]+)\)", text)}
    seiten = {f"docs/{seite.name}" for seite in (WURZEL / "docs").glob("*.md")}

    assert seiten <= verlinkt, f"Im README nicht verlinkt: {sorted(seiten - verlinkt)}"


def test_the_benchmark_summary_names_only_benchmarks_that_exist():
    """docs/benchmarks.md opens with one table of goals; each row's command must be a script in benchmarks/."""
    text = (WURZEL / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    zusammenfassung = text.split("\n## ", 1)[0]
    zeilen = [zeile for zeile in zusammenfassung.splitlines() if zeile.startswith("| ") and "---" not in zeile][1:]
    skripte = {name for zeile in zeilen for name in re.findall(r"`(?:[A-Z_]+=\S+ )*(bench_\w+\.py)", zeile)}

    assert len(zeilen) >= 10 and len(skripte) >= 6
    assert all(re.search(r"\| 20\d\d-\d\d-\d\d \|", zeile) for zeile in zeilen), "Jede Zeile braucht ihr Datum."
    assert not {name for name in skripte if not (WURZEL / "benchmarks" / name).exists()}
