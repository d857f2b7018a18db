"""HTML to PDF with WeasyPrint, and the Sitzungsmappe merged with pypdf.

Single documents (Vorlage, Tagesordnung) are PDF/A-2u and tagged: WeasyPrint writes that level itself - the
XMP identification, the sRGB output intent, embedded fonts with Unicode mapping - and its structure tree gives
screen readers the reading order. The Mappe merges Anlagen whose conformance nobody here controls, so it makes
no PDF/A claim (docs/architecture.md says why).
"""

import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from vorlagen.models import Anlage

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


def anlage_lesen(anlage):
    """The Anlage as a PdfReader, or AnlageUnlesbar with the reason a clerk can act on."""
    storage = Anlage._meta.get_field("datei").storage
    try:
        with storage.open(anlage["datei"], "rb") as datei:
            leser = PdfReader(io.BytesIO(datei.read()))
        if leser.is_encrypted:
            raise AnlageUnlesbar("verschlüsselt")
        if not leser.pages:
            raise AnlageUnlesbar("ohne Seiten")
        for seite in leser.pages:
            seite.mediabox  # noqa: B018 - reading every page's box finds broken page trees before the merge
    except AnlageUnlesbar:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError) as fehler:
        raise AnlageUnlesbar("beschädigt") from fehler
    return leser


def mappe_pdf(daten, wasserzeichen="", fortschritt=lambda prozent: None):
    """The Sitzungsmappe: Tagesordnung, then per TOP its Vorlagen, each followed by its PDF Anlagen.

    WeasyPrint lays out the whole Mappe at once, with as many empty placeholder pages for each PDF Anlage as it
    has pages, so the outline, the links of the agenda and "Seite x von y" count the Anlagen too; pypdf then lays
    each Anlage page into its placeholder. Returns (bytes, pages, warnings).
    """
    warnungen = []
    leser = {}
    for punkt in daten["oeffentliche_tops"] + daten["nichtoeffentliche_tops"]:
        for vorlage in punkt.get("vorlagen_inhalt", []):
            for anlage in vorlage["anlagen"]:
                if "hinweis" in anlage or "seiten" in anlage:
                    continue  # the same Vorlage under a second TOP: already looked at
                if not anlage["ist_pdf"]:
                    anlage["hinweis"] = "kein PDF, nicht in der Mappe enthalten"
                    continue
                try:
                    leser[anlage["pk"]] = anlage_lesen(anlage)
                except AnlageUnlesbar as grund:
                    anlage["hinweis"] = f"PDF {grund}, nicht in der Mappe enthalten"
                    warnungen.append(
                        f"{vorlage['bezeichnung']}: Anlage „{anlage['titel']}“ ist {grund} ({anlage['dateiname']})."
                    )
                    continue
                anlage["seiten"] = len(leser[anlage["pk"]].pages)
                anlage["seitenliste"] = range(anlage["seiten"])
    # Placeholders are numbered per occurrence: a Vorlage on two TOPs brings its Anlagen twice.
    platzhalter = []
    for punkt in daten["oeffentliche_tops"] + daten["nichtoeffentliche_tops"]:
        for vorlage in punkt.get("vorlagen_inhalt", []):
            for anlage in vorlage["anlagen"]:
                if anlage.get("seiten"):
                    platzhalter.append(anlage["pk"])
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
            seite.transfer_rotation_to_content()
            ziel.mediabox = seite.mediabox
            ziel.cropbox = seite.mediabox
            # Under the placeholder's own content: the watermark of a personal copy stays on top.
            ziel.merge_page(seite, over=False)
        fortschritt(60 + 35 * (i + 1) // len(platzhalter))
    schreiber.page_mode = "/UseOutlines"
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue(), len(schreiber.pages), warnungen
