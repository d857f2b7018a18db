"""HTML to PDF with WeasyPrint, and the Sitzungsmappe merged with pypdf.

Single documents (Vorlage, Tagesordnung) are PDF/A-2u and tagged: WeasyPrint writes that level itself - the
XMP identification, the sRGB output intent, embedded fonts with Unicode mapping - and its structure tree gives
screen readers the reading order. The Mappe merges Anlagen whose conformance nobody here controls, so it makes
no PDF/A claim (docs/architecture.md says why).
"""

import io
import logging
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from vorlagen.models import Anlage

logger = logging.getLogger(__name__)

SCHRIFTEN = Path(settings.BASE_DIR) / "static" / "fonts"
PDF_VARIANTE = "pdf/a-2u"


def css_text(text):
    """A CSS string literal: every character but letters, digits and spaces escaped, so no text ends the style."""
    zeichen = (c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text)
    return mark_safe('"' + "".join(zeichen) + '"')


def kontext(fusszeile="", wasserzeichen="", **daten):
    return {
        "schriften": SCHRIFTEN.as_uri(),
        "fusszeile_css": css_text(wasserzeichen or fusszeile),
        "wasserzeichen": wasserzeichen,
        **daten,
    }


def html_rendern(html):
    return HTML(string=html, base_url=SCHRIFTEN.as_uri() + "/").render(font_config=FontConfiguration())


def einzeldokument(template, kontext_):
    """A single document: PDF/A-2u, tagged. Returns (bytes, pages)."""
    dokument = html_rendern(render_to_string(template, kontext_))
    return dokument.write_pdf(pdf_variant=PDF_VARIANTE, pdf_tags=True), len(dokument.pages)


def vorlage_pdf(daten, wasserzeichen=""):
    return einzeldokument("druck/vorlage.html", kontext(daten["koerperschaft"], wasserzeichen, v=daten))


def tagesordnung_pdf(daten, wasserzeichen=""):
    return einzeldokument("druck/tagesordnung.html", kontext(daten["koerperschaft"], wasserzeichen, **_teile(daten)))


def niederschrift_pdf(daten, wasserzeichen=""):
    teile = [
        ("Öffentlicher Teil", daten["oeffentliche_tops"]),
        ("Nichtöffentlicher Teil", daten["nichtoeffentliche_tops"]),
    ]
    return einzeldokument(
        "druck/niederschrift.html", kontext(daten["koerperschaft"], wasserzeichen, n=daten, teile=teile)
    )


def beschlussauszug_pdf(daten, wasserzeichen=""):
    return einzeldokument("druck/beschlussauszug.html", kontext(daten["koerperschaft"], wasserzeichen, a=daten))


def _teile(daten):
    return {
        "t": daten,
        "teile": [
            ("Öffentlicher Teil", daten["oeffentliche_tops"]),
            ("Nichtöffentlicher Teil", daten["nichtoeffentliche_tops"]),
        ],
    }


class AnlageUnlesbar(Exception):
    pass


# Limits for one PDF Anlage in the Mappe; settings of the same name (RATSINFO_MAPPE_...) override them.
ANLAGE_SEKUNDEN = 60
ANLAGE_MAX_ENTPACKT_MB = 256
ANLAGE_MAX_INHALT_MB = 16
ANLAGE_MAX_SEITEN = 1000
ANLAGE_MAX_SPEICHER_MB = 1024

GRUENDE = {
    "verschluesselt": "verschlüsselt",
    "ohne_seiten": "ohne Seiten",
    "beschaedigt": "beschädigt",
    "zu_viele_seiten": "zu umfangreich (mehr als {seiten} Seiten)",
    "inhalt_zu_gross": "zu groß (der Inhalt einer Seite ist entpackt größer als {inhalt_mb} MB)",
    "zu_gross": "zu groß (entpackt mehr als {mb} MB)",
    "zu_langsam": "zu aufwendig (nach {sekunden} Sekunden abgebrochen)",
}


def _deutsch(zahl):
    return f"{zahl:g}".replace(".", ",")


def _grenze(name, standard):
    return getattr(settings, f"RATSINFO_MAPPE_{name}", standard)


def anlage_vorbereiten(anlage):
    """The Anlage as a clean PdfReader (``druck.anlage_zerlegen``), or AnlageUnlesbar with a reason for the clerk.

    Reading a hostile PDF is pure Python in pypdf: a deadline checked between pages would not stop one call that
    runs for minutes, and a thread cannot be stopped at all. So each Anlage is taken apart in a process of its own,
    which limits its own memory and is killed when its time is up; only its small, clean output is read here.
    """
    sekunden = _grenze("ANLAGE_SEKUNDEN", ANLAGE_SEKUNDEN)
    max_entpackt_mb = _grenze("ANLAGE_MAX_ENTPACKT_MB", ANLAGE_MAX_ENTPACKT_MB)
    max_inhalt_mb = _grenze("ANLAGE_MAX_INHALT_MB", ANLAGE_MAX_INHALT_MB)
    max_seiten = _grenze("ANLAGE_MAX_SEITEN", ANLAGE_MAX_SEITEN)
    speicher_mb = _grenze("ANLAGE_MAX_SPEICHER_MB", ANLAGE_MAX_SPEICHER_MB)
    storage = Anlage._meta.get_field("datei").storage
    try:
        with storage.open(anlage["datei"], "rb") as datei:
            daten = datei.read()
    except OSError as fehler:
        raise AnlageUnlesbar("nicht lesbar (Datei fehlt im Speicher)") from fehler
    befehl = [
        sys.executable,
        "-m",
        "druck.anlage_zerlegen",
        str(int(max_entpackt_mb * 1024 * 1024)),
        str(int(max_inhalt_mb * 1024 * 1024)),
        str(max_seiten),
        str(int(speicher_mb * 1024 * 1024)),
    ]
    try:
        ergebnis = subprocess.run(
            befehl, input=daten, capture_output=True, timeout=sekunden, cwd=settings.BASE_DIR, check=False
        )
    except subprocess.TimeoutExpired as fehler:
        raise AnlageUnlesbar(GRUENDE["zu_langsam"].format(sekunden=_deutsch(sekunden))) from fehler
    if ergebnis.returncode != 0:
        code = ergebnis.stderr.decode(errors="replace").strip()
        if ergebnis.returncode != 3 or code not in GRUENDE:
            # Killed by its memory limit before it could say so, or a crash of the interpreter.
            logger.warning("Anlage %s: Zerlegen endete mit %s: %s", anlage["pk"], ergebnis.returncode, code[-500:])
            code = "zu_gross" if ergebnis.returncode < 0 or "MemoryError" in code else "beschaedigt"
        raise AnlageUnlesbar(
            GRUENDE[code].format(seiten=max_seiten, mb=_deutsch(max_entpackt_mb), inhalt_mb=_deutsch(max_inhalt_mb))
        )
    return PdfReader(io.BytesIO(ergebnis.stdout))


def mappe_pdf(daten, wasserzeichen="", fortschritt=lambda prozent: None):
    """The Sitzungsmappe: Tagesordnung, then per TOP its Vorlagen, each followed by its PDF Anlagen.

    WeasyPrint lays out the whole Mappe at once, with as many empty placeholder pages for each PDF Anlage as it
    has pages, so the outline, the links of the agenda and "Seite x von y" count the Anlagen too; pypdf then lays
    each Anlage page into its placeholder. Returns (bytes, pages, warnings).
    """
    warnungen = []
    leser = {}

    def vorbereiten(anlage, herkunft):
        if "hinweis" in anlage or "seiten" in anlage:
            return  # the same Vorlage under a second TOP: already looked at
        if not anlage["ist_pdf"]:
            anlage["hinweis"] = "kein PDF, nicht in der Mappe enthalten"
            return
        try:
            leser[anlage["pk"]] = anlage_vorbereiten(anlage)
        except AnlageUnlesbar as grund:
            anlage["hinweis"] = f"PDF {grund}, nicht in der Mappe enthalten"
            warnungen.append(f"{herkunft} „{anlage['titel']}“ ist {grund} ({anlage['dateiname']}).")
            return
        anlage["seiten"] = len(leser[anlage["pk"]].pages)
        anlage["seitenliste"] = range(anlage["seiten"])

    # In the order of the template: the Einladung, the agenda, the other documents of the Sitzung, the TOPs.
    dateien = [(dokument, "Sitzungsdokument") for dokument in daten.get("dokumente_vorn", [])]
    dateien += [(dokument, "Sitzungsdokument") for dokument in daten.get("dokumente", [])]
    for punkt in daten["oeffentliche_tops"] + daten["nichtoeffentliche_tops"]:
        for vorlage in punkt.get("vorlagen_inhalt", []):
            dateien += [(anlage, f"{vorlage['bezeichnung']}: Anlage") for anlage in vorlage["anlagen"]]
    for anlage, herkunft in dateien:
        vorbereiten(anlage, herkunft)
    # Placeholders are numbered per occurrence: a Vorlage on two TOPs brings its Anlagen twice.
    platzhalter = [anlage["pk"] for anlage, _herkunft in dateien if anlage.get("seiten")]
    fortschritt(10)

    html = render_to_string(
        "druck/mappe.html", {**kontext(daten["koerperschaft"], wasserzeichen, **_teile(daten)), "mappe": True}
    )
    # Each occurrence needs its own anchor, so the template's placeholder ids are filled in here in order.
    teile = html.split('id="platzhalter-')
    html = teile[0] + "".join(f'id="platzhalter-{i}{teil[teil.index(chr(34)) :]}' for i, teil in enumerate(teile[1:]))
    dokument = html_rendern(html)
    fortschritt(60)
    anfang = {}
    for index, seite in enumerate(dokument.pages):
        for anker in seite.anchors:
            if anker.startswith("platzhalter-"):
                anfang[int(anker.removeprefix("platzhalter-"))] = index
    schreiber = PdfWriter(clone_from=io.BytesIO(dokument.write_pdf()))
    for i, anlage_pk in enumerate(platzhalter):
        quelle = leser[anlage_pk]
        for j, seite in enumerate(quelle.pages):
            ziel = schreiber.pages[anfang[i] + j]
            # The prepared page is upright already and draws the Anlage page as one Form XObject: the merge parses
            # only its few operators, the Anlage's own content stream is copied as bytes.
            ziel.mediabox = seite.mediabox
            # WeasyPrint's pages share one resource dictionary; the merge adds to it, so each page gets its own.
            ziel[NameObject("/Resources")] = DictionaryObject(
                {
                    name: DictionaryObject(wert.get_object())
                    if isinstance(wert.get_object(), DictionaryObject)
                    else wert
                    for name, wert in ziel["/Resources"].get_object().items()
                }
            )
            ziel.cropbox = seite.mediabox
            # Under the placeholder's own content: the watermark of a personal copy stays on top.
            ziel.merge_page(seite, over=False)
        fortschritt(60 + 35 * (i + 1) // len(platzhalter))
    schreiber.page_mode = "/UseOutlines"
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue(), len(schreiber.pages), warnungen
