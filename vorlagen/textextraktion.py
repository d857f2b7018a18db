"""Reading the text of an Anlage, page by page, for the search.

``pdftotext`` (poppler-utils) is used when installed: by measurement (docs/benchmarks.md) it is many times faster
than the pure-Python ``pypdf``, which is the fallback so the embedded mode needs no system package. A PDF without
a text layer (a scan) is read with OCR (``ocrmypdf`` with ``tesseract-ocr-deu``) when that is installed, and is
otherwise marked as having no text. Every external program runs with a timeout.
"""

import dataclasses
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

PDFTOTEXT_TIMEOUT = 120
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
    from pypdf import PdfReader

    return [seite.extract_text() or "" for seite in PdfReader(str(pfad)).pages]


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
