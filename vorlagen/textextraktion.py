"""Reading the text of an Anlage, page by page, for the search.

``pdftotext`` (poppler-utils) is used when installed: by measurement (docs/benchmarks.md) it is many times faster
than the pure-Python ``pypdf``, which is the fallback so the embedded mode needs no system package. A PDF without
a text layer (a scan) is read with OCR (``ocrmypdf`` with ``tesseract-ocr-deu``) when that is installed, and is
otherwise marked as having no text. Every external program runs with a timeout.
"""

import dataclasses
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

PDFTOTEXT_TIMEOUT = 120
# The pypdf fallback: a deadline per page and for the whole file, text per page and in all, memory.
PYPDF_TIMEOUT = 120
PYPDF_SEKUNDEN_JE_SEITE = 10
PYPDF_MAX_ZEICHEN_SEITE = 100_000
PYPDF_MAX_ZEICHEN = 5_000_000
PYPDF_MAX_SPEICHER = 1024 * 1024 * 1024
OCR_TIMEOUT = 900
# Fewer letters than this in the whole document: a scan without a text layer.
MIN_BUCHSTABEN = 20

# "Integrations-\npolitik" is one word broken at the end of a line; "Bund-\nLänder" keeps its hyphen.
TRENNUNG_KLEIN = re.compile(r"(\w)-[ \t]*\r?\n[ \t]*([a-zäöüß])")
TRENNUNG_GROSS = re.compile(r"(\w)-[ \t]*\r?\n[ \t]*([A-ZÄÖÜ])")


@dataclasses.dataclass
class Lesergebnis:
    seiten: list
    status: str  # one of Anlage.Textstatus
    verfahren: str = ""


def trennungen_aufloesen(text):
    text = TRENNUNG_KLEIN.sub(r"\1\2", text)
    return TRENNUNG_GROSS.sub(r"\1-\2", text)


def hat_text(seiten):
    return sum(1 for zeichen in "".join(seiten) if zeichen.isalpha()) >= MIN_BUCHSTABEN


def pdftotext(pfad):
    ergebnis = subprocess.run(
        ["pdftotext", "-q", "-enc", "UTF-8", str(pfad), "-"],
        capture_output=True,
        timeout=PDFTOTEXT_TIMEOUT,
        check=True,
    )
    seiten = ergebnis.stdout.decode("utf-8", errors="replace").split("\f")
    # pdftotext ends every page with a form feed, so the last piece is empty.
    return seiten[:-1] if len(seiten) > 1 and not seiten[-1].strip() else seiten


def pypdf_lesen(pfad):
    """The pages by pypdf in its own process (``vorlagen.pypdf_text``), bounded in time, text and memory.

    At the deadline the process is killed and the pages read by then are kept.
    """
    befehl = [
        sys.executable,
        "-m",
        "vorlagen.pypdf_text",
        str(pfad),
        str(PYPDF_SEKUNDEN_JE_SEITE),
        str(PYPDF_MAX_ZEICHEN_SEITE),
        str(PYPDF_MAX_ZEICHEN),
        str(PYPDF_MAX_SPEICHER),
    ]
    try:
        ausgabe = subprocess.run(
            befehl, capture_output=True, timeout=PYPDF_TIMEOUT, check=True, cwd=Path(__file__).resolve().parent.parent
        ).stdout
    except subprocess.TimeoutExpired as abbruch:
        logger.warning("pypdf las %s nicht in %s s zu Ende", pfad, PYPDF_TIMEOUT)
        ausgabe = abbruch.stdout or b""
    seiten = []
    for zeile in ausgabe.decode("utf-8", errors="replace").splitlines():
        try:
            seiten.append(json.loads(zeile))
        except ValueError:
            break  # the last line, cut off by the kill
    return seiten


def ocr_lesen(pfad):
    with tempfile.TemporaryDirectory() as ordner:
        seitentext = Path(ordner) / "text.txt"
        subprocess.run(
            [
                "ocrmypdf",
                "-q",
                "-l",
                "deu",
                "--force-ocr",
                "--sidecar",
                str(seitentext),
                str(pfad),
                str(Path(ordner) / "ocr.pdf"),
            ],
            capture_output=True,
            timeout=OCR_TIMEOUT,
            check=True,
        )
        seiten = seitentext.read_text(encoding="utf-8", errors="replace").split("\f")
        return seiten[:-1] if len(seiten) > 1 and not seiten[-1].strip() else seiten


def pdf_lesen(pfad):
    """The pages of a PDF file as text; the status says whether there was any."""
    if shutil.which("pdftotext"):
        seiten, verfahren = pdftotext(pfad), "pdftotext"
    else:
        seiten, verfahren = pypdf_lesen(pfad), "pypdf"
    if not hat_text(seiten) and shutil.which("ocrmypdf"):
        try:
            seiten, verfahren = ocr_lesen(pfad), "ocrmypdf"
        except (subprocess.SubprocessError, OSError):
            logger.exception("Texterkennung fehlgeschlagen: %s", pfad)
    seiten = [trennungen_aufloesen(seite).strip() for seite in seiten]
    return Lesergebnis(seiten=seiten, status="fertig" if hat_text(seiten) else "kein_text", verfahren=verfahren)


def datei_lesen(datei, mime_typ):
    """Read a stored file (any storage: it is copied to a temporary file first). Never raises."""
    try:
        if mime_typ.startswith("text/"):
            with datei.open("rb") as quelle:
                text = trennungen_aufloesen(quelle.read().decode("utf-8", errors="replace"))
            return Lesergebnis(seiten=[text], status="fertig" if hat_text([text]) else "kein_text", verfahren="text")
        if mime_typ != "application/pdf":
            return Lesergebnis(seiten=[], status="kein_text")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as kopie:
            with datei.open("rb") as quelle:
                shutil.copyfileobj(quelle, kopie)
            kopie.flush()
            return pdf_lesen(kopie.name)
    except Exception:
        logger.exception("Text der Datei %s konnte nicht gelesen werden", getattr(datei, "name", datei))
        return Lesergebnis(seiten=[], status="fehler")
