"""One PDF Anlage made ready for the Sitzungsmappe, in a process of its own: ``python -m druck.anlage_zerlegen``.

Reads the Anlage from standard input and writes a small, clean PDF to standard output: one page per page of the
Anlage, sized as the Anlage page is shown (its crop box, turned by its ``/Rotate``), whose only content draws the
original page as a Form XObject - and, on top, the printable appearance of its annotations (a filled form field
stays visible). Nothing of the Anlage's document level comes along: no actions, scripts, outlines or form logic.

The content stream is copied as bytes, never parsed operator by operator: that parse is what made a 3 MB content
stream cost a Mappe 53 seconds. What is decoded (content streams, fonts, forms) and what a viewer would have to
decode (images, by their declared size) counts against a limit on the inflated size; the process limits its own
address space, and the caller kills it after its time limit (``druck.pdf``). No Django here: it starts fast and
holds nothing of the site.

Exit status 0 with the PDF, or 3 with one of the reasons of ``GRUENDE`` on standard error.
"""

import io
import resource
import sys

GRUENDE = ("verschluesselt", "ohne_seiten", "zu_viele_seiten", "inhalt_zu_gross", "zu_gross", "beschaedigt")
ABGELEHNT = 3
# Objects visited per Anlage when its resources are walked; a real Anlage has far fewer.
MAX_OBJEKTE = 500_000
# Bits per pixel by colour space, for the size an image has once decoded (Indexed and ICC spaces count as RGB).
KOMPONENTEN = {"/DeviceGray": 1, "/CalGray": 1, "/DeviceRGB": 3, "/CalRGB": 3, "/Lab": 3, "/DeviceCMYK": 4}
# Annotation flags (ISO 32000-1, 12.5.3): Hidden, Print, NoView.
HIDDEN, PRINT, NOVIEW = 2, 4, 32


class Abgelehnt(Exception):
    pass


class Budget:
    """The inflated bytes of one Anlage, each stream counted once."""

    def __init__(self, grenze):
        self.grenze = grenze
        self.verbraucht = 0
        self.gesehen = set()
        self.objekte = 0

    def verbrauchen(self, anzahl):
        self.verbraucht += anzahl
        if self.verbraucht > self.grenze:
            raise Abgelehnt("zu_gross")

    def lesen(self, strom):
        daten = strom.get_data()
        self.verbrauchen(len(daten))
        return daten

    def durchlaufen(self, objekt):
        """Counts every stream reachable from ``objekt`` (resources, appearance streams)."""
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

        offen = [objekt]
        while offen:
            objekt = offen.pop()
            if isinstance(objekt, IndirectObject):
                schluessel = (objekt.idnum, objekt.generation)
                if schluessel in self.gesehen:
                    continue
                self.gesehen.add(schluessel)
                objekt = objekt.get_object()
            self.objekte += 1
            if self.objekte > MAX_OBJEKTE:
                raise Abgelehnt("zu_gross")
            if isinstance(objekt, StreamObject):
                if objekt.get("/Subtype") == "/Image":
                    self.verbrauchen(_bildgroesse(objekt))
                else:
                    self.lesen(objekt)
            if isinstance(objekt, DictionaryObject):
                offen.extend(wert for name, wert in objekt.items() if name not in ("/Parent", "/P"))
            elif isinstance(objekt, ArrayObject):
                offen.extend(objekt)


def _bildgroesse(bild):
    """The bytes a viewer needs for the decoded image: what a decompression bomb in a JPEG or JBIG2 would cost."""
    breite, hoehe = int(bild.get("/Width", 0)), int(bild.get("/Height", 0))
    if bild.get("/ImageMask"):
        return max(breite, 0) * max(hoehe, 0) // 8
    farbraum = bild.get("/ColorSpace", "/DeviceRGB")
    farbraum = farbraum.get_object() if hasattr(farbraum, "get_object") else farbraum
    name = farbraum[0] if isinstance(farbraum, list) and farbraum else farbraum
    komponenten = KOMPONENTEN.get(str(name), 3)
    bits = int(bild.get("/BitsPerComponent", 8))
    return max(breite, 0) * max(hoehe, 0) * komponenten * max(bits, 1) // 8


def _zahl(wert):
    return f"{wert:.4f}".rstrip("0").rstrip(".") or "0"


def _matrix(*werte):
    return " ".join(_zahl(w) for w in werte)


def _drehung(x0, y0, x1, y1, grad):
    """The matrix that lays the box, turned clockwise by ``grad``, onto a page from (0, 0); and that page's size."""
    breite, hoehe = x1 - x0, y1 - y0
    if grad == 90:
        return (0, -1, 1, 0, -y0, x1), (hoehe, breite)
    if grad == 180:
        return (-1, 0, 0, -1, x1, y1), (breite, hoehe)
    if grad == 270:
        return (0, 1, -1, 0, y1, -x0), (hoehe, breite)
    return (1, 0, 0, 1, -x0, -y0), (breite, hoehe)


def _erscheinung(anmerkung):
    """The appearance stream a printout shows for an annotation, or None."""
    from pypdf.generic import DictionaryObject, StreamObject

    flags = int(anmerkung.get("/F", 0))
    if flags & (HIDDEN | NOVIEW) or not flags & PRINT or anmerkung.get("/Subtype") in ("/Popup", "/Link"):
        return None
    erscheinung = anmerkung.get("/AP")
    erscheinung = erscheinung.get_object().get("/N") if isinstance(erscheinung.get_object(), DictionaryObject) else None
    erscheinung = erscheinung.get_object() if erscheinung is not None else None
    if isinstance(erscheinung, DictionaryObject) and not isinstance(erscheinung, StreamObject):
        zustand = anmerkung.get("/AS")
        erscheinung = erscheinung.get(zustand).get_object() if zustand in erscheinung else None
    return erscheinung if isinstance(erscheinung, StreamObject) else None


def _an_rechteck(erscheinung, rechteck):
    """ISO 32000-1, 12.5.5: the matrix that maps the appearance's transformed box onto the annotation's /Rect."""
    a, b, c, d, e, f = [float(w) for w in erscheinung.get("/Matrix", [1, 0, 0, 1, 0, 0])]
    bx0, by0, bx1, by1 = [float(w) for w in erscheinung["/BBox"]]
    ecken = [(a * x + c * y + e, b * x + d * y + f) for x in (bx0, bx1) for y in (by0, by1)]
    tx0, tx1 = min(x for x, _ in ecken), max(x for x, _ in ecken)
    ty0, ty1 = min(y for _, y in ecken), max(y for _, y in ecken)
    rx0, rx1 = sorted([float(rechteck[0]), float(rechteck[2])])
    ry0, ry1 = sorted([float(rechteck[1]), float(rechteck[3])])
    sx = (rx1 - rx0) / (tx1 - tx0) if tx1 > tx0 else 1
    sy = (ry1 - ry0) / (ty1 - ty0) if ty1 > ty0 else 1
    return (sx, 0, 0, sy, rx0 - sx * tx0, ry0 - sy * ty0)


def zerlegen(daten, *, max_entpackt, max_inhalt, max_seiten):
    from pypdf import Configuration, PageObject, PdfReader, PdfWriter, overwrite_configuration
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        StreamObject,
    )

    # No single stream may decode to more than the whole Anlage may: pypdf stops there itself.
    grenzen = {
        name: max_entpackt
        for name in (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "jbig2_maximum_output_length",
            "brotli_maximum_output_length",
            "array_based_stream_maximum_output_length",
            "image_maximum_buffer_size",
            "flate_maximum_buffer_size",
        )
        if hasattr(Configuration, name)
    }
    overwrite_configuration(**grenzen)
    leser = PdfReader(io.BytesIO(daten), strict=False)
    if leser.is_encrypted:
        raise Abgelehnt("verschluesselt")
    anzahl = len(leser.pages)
    if anzahl == 0:
        raise Abgelehnt("ohne_seiten")
    if anzahl > max_seiten:
        raise Abgelehnt("zu_viele_seiten")
    budget = Budget(max_entpackt)
    schreiber = PdfWriter()
    for seite in leser.pages:
        x0, x1 = sorted([float(seite.cropbox.left), float(seite.cropbox.right)])
        y0, y1 = sorted([float(seite.cropbox.bottom), float(seite.cropbox.top)])
        if not (0 < x1 - x0 <= 14_400 and 0 < y1 - y0 <= 14_400):
            raise Abgelehnt("beschaedigt")
        grad = int(seite.get("/Rotate", 0) or 0) % 360
        inhalt = seite.get("/Contents")
        inhalt = inhalt.get_object() if inhalt is not None else None
        if isinstance(inhalt, StreamObject):
            text = budget.lesen(inhalt)
        elif isinstance(inhalt, ArrayObject):
            # Several streams are one content stream, split between tokens (ISO 32000-1, 7.8.2).
            text = b"\n".join(budget.lesen(teil.get_object()) for teil in inhalt)
        else:
            text = b""
        # What a viewer must interpret operator by operator on every display; a plan from CAD has a few MB.
        if len(text) > max_inhalt:
            raise Abgelehnt("inhalt_zu_gross")
        ressourcen = seite.get("/Resources")
        ressourcen = ressourcen.get_object() if ressourcen is not None else DictionaryObject()
        budget.durchlaufen(ressourcen)
        form = DecodedStreamObject()
        form.set_data(text)
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(w) for w in (x0, y0, x1, y1)),
                NameObject("/Resources"): ressourcen.clone(schreiber),
            }
        )
        xobjekte = DictionaryObject({NameObject("/Seite"): schreiber._add_object(form.flate_encode())})
        matrix, (breite, hoehe) = _drehung(x0, y0, x1, y1, grad)
        zeichnen = [f"q {_matrix(*matrix)} cm /Seite Do"]
        for nummer, verweis in enumerate(seite.get("/Annots") or []):
            anmerkung = verweis.get_object()
            erscheinung = _erscheinung(anmerkung) if isinstance(anmerkung, DictionaryObject) else None
            if erscheinung is None or "/BBox" not in erscheinung or "/Rect" not in anmerkung:
                continue
            budget.durchlaufen(erscheinung.indirect_reference or erscheinung)
            xobjekte[NameObject(f"/Anm{nummer}")] = schreiber._add_object(erscheinung.clone(schreiber))
            zeichnen.append(f"q {_matrix(*_an_rechteck(erscheinung, anmerkung['/Rect']))} cm /Anm{nummer} Do Q")
        zeichnen.append("Q")
        neu = schreiber.add_page(PageObject.create_blank_page(width=breite, height=hoehe))
        neu[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjekte})
        anweisungen = DecodedStreamObject()
        anweisungen.set_data(" ".join(zeichnen).encode())
        neu[NameObject("/Contents")] = schreiber._add_object(anweisungen)
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


def main(argumente):
    max_entpackt, max_inhalt, max_seiten, max_speicher = (int(wert) for wert in argumente)
    # The address space of this process, so a bomb ends in a MemoryError here, not in the web or worker process.
    resource.setrlimit(resource.RLIMIT_AS, (max_speicher, max_speicher))
    daten = sys.stdin.buffer.read()
    try:
        ausgabe = zerlegen(daten, max_entpackt=max_entpackt, max_inhalt=max_inhalt, max_seiten=max_seiten)
    except Abgelehnt as grund:
        sys.stderr.write(str(grund))
        return ABGELEHNT
    except MemoryError:
        sys.stderr.write("zu_gross")
        return ABGELEHNT
    except Exception as fehler:  # whatever a hostile file makes pypdf raise, the file is unreadable
        from pypdf.errors import LimitReachedError

        sys.stderr.write("zu_gross" if isinstance(fehler, LimitReachedError) else "beschaedigt")
        return ABGELEHNT
    sys.stdout.buffer.write(ausgabe)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
