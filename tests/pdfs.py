"""Real PDFs for the tests, made as production meets them: by WeasyPrint, and post-processed by pypdf.

WeasyPrint writes what an office suite or a PDF printer writes - embedded fonts, content streams, images, object
streams and a cross-reference stream. pypdf then turns pages, adds a filled form field, swaps a content stream for
a crafted one or adds actions, as other tools and attackers do.
"""

import base64
import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from weasyprint import HTML

SEITE = "@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 11pt }"


def weasyprint(body, css=SEITE):
    """HTML body to PDF bytes by WeasyPrint, as the site's own documents are made."""
    return HTML(string=f"<html lang='de'><style>{css}</style><body>{body}</body></html>").write_pdf()


def bild_png(text="Lageplan", breite=600, hoehe=400):
    """A real raster image (Pillow): a plan with shapes and a label, as PNG bytes."""
    from PIL import Image, ImageDraw

    bild = Image.new("RGB", (breite, hoehe), (235, 240, 225))
    zeichnung = ImageDraw.Draw(bild)
    zeichnung.rectangle([60, 60, breite - 60, hoehe - 60], outline=(30, 60, 30), width=6)
    zeichnung.ellipse([breite // 3, hoehe // 3, breite // 2, hoehe // 2], fill=(180, 40, 40))
    zeichnung.text((80, 80), text, fill=(0, 0, 0))
    ausgabe = io.BytesIO()
    bild.save(ausgabe, "PNG")
    return ausgabe.getvalue()


def _data_uri(png):
    return "data:image/png;base64," + base64.b64encode(png).decode()


def text_pdf(*absaetze, seiten=1):
    """Text on ``seiten`` pages (one paragraph block per page, each page ends with a page break)."""
    teile = []
    for nummer in range(seiten):
        text = "".join(f"<p>{absatz}</p>" for absatz in absaetze)
        umbruch = "" if nummer == seiten - 1 else "style='page-break-after: always'"
        teile.append(f"<section {umbruch}><h1>Seite {nummer + 1}</h1>{text}</section>")
    return weasyprint("".join(teile))


def bild_pdf(text):
    """Text and an image on an A4 page."""
    return weasyprint(f"<h1>{text}</h1><p>Siehe Abbildung.</p><img src='{_data_uri(bild_png())}' width='400'>")


def scan_pdf(text="Gescanntes Schreiben"):
    """A page whose only content is a raster image, as a scanner makes it: no text layer at all."""
    from PIL import Image, ImageDraw

    bild = Image.new("L", (1240, 1754), 250)
    ImageDraw.Draw(bild).text((150, 200), text, fill=20)
    ausgabe = io.BytesIO()
    bild.save(ausgabe, "JPEG", quality=80)
    uri = "data:image/jpeg;base64," + base64.b64encode(ausgabe.getvalue()).decode()
    return weasyprint(
        f"<img src='{uri}' style='display: block; width: 210mm; height: 297mm'>", "@page { size: A4; margin: 0 }"
    )


def _schreiben(schreiber):
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


def gedreht(pdf, grad=90, seiten=None):
    """The pages (all, or those numbered in ``seiten``) turned by ``/Rotate``, as a scanner of landscape plans does."""
    schreiber = PdfWriter(clone_from=io.BytesIO(pdf))
    for nummer, seite in enumerate(schreiber.pages):
        if seiten is None or nummer in seiten:
            seite[NameObject("/Rotate")] = NumberObject(grad)
    return _schreiben(schreiber)


def mit_formular(pdf, wert="Zustimmung erteilt"):
    """A filled AcroForm text field on the first page, with its appearance stream (what a viewer prints)."""
    schreiber = PdfWriter(clone_from=io.BytesIO(pdf))
    schrift = schreiber._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    erscheinung = DecodedStreamObject()
    erscheinung.set_data(f"/Tx BMC q BT /Helv 12 Tf 2 6 Td ({wert}) Tj ET Q EMC".encode("latin-1"))
    erscheinung.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(300), FloatObject(24)]),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/Helv"): schrift})}
            ),
        }
    )
    seite = schreiber.pages[0]
    feld = schreiber._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject("stellungnahme"),
                NameObject("/V"): TextStringObject(wert),
                NameObject("/F"): NumberObject(4),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 100, 372, 124)]),
                NameObject("/AP"): DictionaryObject({NameObject("/N"): schreiber._add_object(erscheinung)}),
                NameObject("/P"): seite.indirect_reference,
            }
        )
    )
    seite[NameObject("/Annots")] = ArrayObject([feld])
    schreiber._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject([feld]),
            NameObject("/DA"): TextStringObject("/Helv 12 Tf 0 g"),
            NameObject("/DR"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/Helv"): schrift})}
            ),
        }
    )
    return _schreiben(schreiber)


def mit_inhalt(pdf, inhalt):
    """The first page's content stream replaced by ``inhalt`` (bytes), Flate-compressed as a crafted file has it."""
    schreiber = PdfWriter(clone_from=io.BytesIO(pdf))
    strom = StreamObject()
    strom._data = zlib.compress(inhalt, 9)
    strom[NameObject("/Filter")] = NameObject("/FlateDecode")
    schreiber.pages[0][NameObject("/Contents")] = schreiber._add_object(strom)
    return _schreiben(schreiber)


def aufblaehend(pdf, megabytes):
    """A content stream that inflates to ``megabytes`` MB from a few KB: many drawing operators, oddly spaced."""
    zeile = b"0  0 m 1 1 l S\n"
    return mit_inhalt(pdf, zeile * (megabytes * 1024 * 1024 // len(zeile)))


def aktion(art, **werte):
    """An action dictionary, e.g. ``aktion("/GoToR", F="\\\\\\\\server\\\\share\\\\x.pdf")``."""
    eintraege = {NameObject("/S"): NameObject(art)}
    for name, wert in werte.items():
        eintraege[NameObject(f"/{name}")] = TextStringObject(wert) if isinstance(wert, str) else wert
    return DictionaryObject(eintraege)


def mit_oeffnen_aktion(pdf, aktion_):
    """The action as the document's /OpenAction: run as soon as a viewer opens the file."""
    schreiber = PdfWriter(clone_from=io.BytesIO(pdf))
    schreiber._root_object[NameObject("/OpenAction")] = schreiber._add_object(aktion_)
    return _schreiben(schreiber)


def mit_zusatzaktion(pdf, aktion_, *, ebene="seite", ausloeser="/O"):
    """The action as an additional action (/AA) of the first page (/O: on open) or of the document (/WC ...)."""
    schreiber = PdfWriter(clone_from=io.BytesIO(pdf))
    ziel = schreiber.pages[0] if ebene == "seite" else schreiber._root_object
    ziel[NameObject("/AA")] = DictionaryObject({NameObject(ausloeser): schreiber._add_object(aktion_)})
    return _schreiben(schreiber)


def mit_link(pdf, aktion_):
    """A link annotation on the first page that runs the action when the reader clicks it."""
    schreiber = PdfWriter(clone_from=io.BytesIO(pdf))
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 700, 300, 720)]),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/A"): aktion_,
        }
    )
    seite = schreiber.pages[0]
    annots = seite.get("/Annots")
    annots = ArrayObject(annots.get_object()) if annots is not None else ArrayObject()
    annots.append(schreiber._add_object(link))
    seite[NameObject("/Annots")] = annots
    return _schreiben(schreiber)


def seitentext(pdf):
    """The text of each page, by pypdf."""
    return [seite.extract_text() for seite in PdfReader(io.BytesIO(pdf)).pages]


def textlastig(pdf, wiederholungen=50_000):
    """The first page shows one word ``wiederholungen`` times with its own font: pypdf's text extraction takes
    seconds for it (about 15 s for 50,000 here), the way a crafted page took 23 s."""
    schrift = next(iter(PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]))
    return mit_inhalt(pdf, f"BT {schrift} 12 Tf 72 720 Td (Integration) Tj ET\n".encode() * wiederholungen)
