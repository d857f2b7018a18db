"""Checking an uploaded Anlage before it is stored: what it is by its content, whether it may be published.

The type is decided by the first bytes of the file (magic numbers), never by the name a browser or a clerk gave
it: a ZIP archive renamed to ``.pdf`` is still an archive. PDFs are parsed by pypdf, which only reads the object
structure; nothing in the file is rendered or executed. Refused are files a reader could not open (empty, broken,
encrypted), files that would run something in the reader (JavaScript, launch actions, embedded files) and
everything that is not a document or an image (archives, office files, programs).

``Anlage.clean()`` calls :func:`datei_pruefen`, so the admin form shows the message at the file and every service
that calls ``full_clean()`` (demo data, OParl import) refuses the same files.
"""

import dataclasses
import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# How much of the start of a file decides its type (the PDF header may follow some junk, ISO 32000 allows it).
KOPF_BYTES = 1024
# A PDF with more objects than this is not walked through to its end: a harmless Anlage has far fewer.
MAX_PDF_OBJEKTE = 200_000


@dataclasses.dataclass(frozen=True)
class Dateiart:
    mime_typ: str
    endungen: tuple
    name: str


PDF = Dateiart("application/pdf", (".pdf",), gettext_lazy("PDF"))
PNG = Dateiart("image/png", (".png",), gettext_lazy("PNG-Bild"))
JPEG = Dateiart("image/jpeg", (".jpg", ".jpeg"), gettext_lazy("JPEG-Bild"))
TEXT = Dateiart("text/plain", (".txt",), gettext_lazy("Textdatei"))
CSV = Dateiart("text/csv", (".csv",), gettext_lazy("CSV-Tabelle"))

ERLAUBT = (PDF, PNG, JPEG, TEXT, CSV)

# Kinds refused outright, by their signature at the start of the file (tar: at offset 257).
ARCHIVE = [
    (b"Rar!\x1a\x07", gettext_lazy("RAR-Archiv")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("7z-Archiv")),
    (b"\x1f\x8b", gettext_lazy("gzip-Archiv")),
    (b"BZh", gettext_lazy("bzip2-Archiv")),
    (b"\xfd7zXZ\x00", gettext_lazy("xz-Archiv")),
    (b"MSCF", gettext_lazy("CAB-Archiv")),
]
ANDERE = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("Office-Dokument (Word, Excel oder PowerPoint)")),
    (b"{\\rtf", gettext_lazy("RTF-Dokument")),
    (b"MZ", gettext_lazy("ausführbares Programm")),
    (b"\x7fELF", gettext_lazy("ausführbares Programm")),
    (b"#!", gettext_lazy("Skript")),
]

# Names in a PDF object tree that make a reader run or open something.
PDF_GEFAHREN = {
    "/JavaScript": gettext_lazy("JavaScript"),
    "/JS": gettext_lazy("JavaScript"),
    "/Launch": gettext_lazy("eine Startaktion (/Launch)"),
    "/EmbeddedFiles": gettext_lazy("eingebettete Dateien"),
    "/EmbeddedFile": gettext_lazy("eingebettete Dateien"),
    "/EF": gettext_lazy("eingebettete Dateien"),
    "/RichMedia": gettext_lazy("eingebettete Medien (/RichMedia)"),
    "/XFA": gettext_lazy("ein XFA-Formular"),
}

# Actions (ISO 32000-1, 12.6.4) that open, send, load or launch something outside the document. Refused, not
# neutralised: the stored file is the Dienststelle's record as issued; a silently edited copy would differ from it
# (and break a signature), and the clerk learns from the message what to export differently.
PDF_AKTIONEN = {
    "/Launch": gettext_lazy("eine Startaktion (/Launch), die ein Programm oder eine Datei öffnet"),
    "/GoToR": gettext_lazy(
        "einen Verweis auf ein anderes Dokument (/GoToR); liegt es auf einem Netzlaufwerk, gibt Windows dabei die "
        "Anmeldedaten preis"
    ),
    "/GoToE": gettext_lazy("einen Verweis auf ein eingebettetes Dokument (/GoToE)"),
    "/SubmitForm": gettext_lazy("eine Aktion, die Formulardaten an einen Server sendet (/SubmitForm)"),
    "/ImportData": gettext_lazy("eine Aktion, die Daten aus einer anderen Datei lädt (/ImportData)"),
    "/JavaScript": gettext_lazy("JavaScript"),
    "/Rendition": gettext_lazy("eine Aktion, die Medien abspielt (/Rendition)"),
    "/Movie": gettext_lazy("eine Aktion, die Medien abspielt (/Movie)"),
    "/Sound": gettext_lazy("eine Aktion, die Medien abspielt (/Sound)"),
}
# A link that the reader clicks in the text may lead to these; everything else (file:, smb:, a UNC path) may not.
LINK_SCHEMATA = {"http", "https", "mailto"}
SCHEMA = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def max_bytes():
    return int(settings.RATSINFO_ANLAGE_MAX_MB * 1024 * 1024)


def datei_pruefen(datei) -> Dateiart:
    """The kind of an uploaded file, or a ``ValidationError`` with a German sentence why it is refused.

    ``datei`` is a Django ``File`` (an upload or a ``ContentFile``); its position is put back to the start.
    """
    groesse = datei.size
    if not groesse:
        raise ValidationError(_("Die Datei ist leer."), code="leer")
    if groesse > max_bytes():
        raise ValidationError(
            _("Die Datei ist %(groesse)s MB groß; erlaubt sind höchstens %(max)s MB.")
            % {"groesse": _mb(groesse), "max": _mb(max_bytes())},
            code="zu_gross",
        )
    datei.seek(0)
    kopf = datei.read(KOPF_BYTES)
    datei.seek(0)
    art = _art_erkennen(kopf, datei)
    endung = PurePath(datei.name or "").suffix.lower()
    if endung not in art.endungen:
        raise ValidationError(
            _(
                "Die Endung der Datei „%(name)s“ passt nicht zu ihrem Inhalt (%(art)s). Bitte laden Sie die Datei "
                "mit der passenden Endung hoch (%(endungen)s)."
            )
            % {"name": PurePath(datei.name or "").name, "art": art.name, "endungen": ", ".join(art.endungen)},
            code="falsche_endung",
        )
    if art is PDF:
        _pdf_pruefen(datei)
    return art


def _mb(anzahl):
    return f"{anzahl / 1024 / 1024:.1f}".replace(".", ",")


def _archiv_fehler(art):
    return ValidationError(
        _("Archive (%(art)s) werden nicht angenommen. Bitte laden Sie die enthaltenen Dokumente einzeln als PDF hoch.")
        % {"art": art},
        code="archiv",
    )


def _art_erkennen(kopf, datei):
    # Archives first: a ZIP that stores a PDF uncompressed has "%PDF-" in its first bytes, too.
    if kopf.startswith(b"PK\x03\x04") or kopf.startswith(b"PK\x05\x06"):
        raise ValidationError(_zip_meldung(kopf), code="archiv")
    for signatur, name in ARCHIVE:
        if kopf.startswith(signatur):
            raise _archiv_fehler(name)
    if len(kopf) > 262 and kopf[257:262] == b"ustar":
        raise _archiv_fehler(gettext_lazy("tar-Archiv"))
    for signatur, name in ANDERE:
        if kopf.startswith(signatur):
            raise ValidationError(
                _(
                    "Dieser Dateityp wird nicht angenommen (%(art)s). Angenommen werden PDF-Dateien, PNG- und "
                    "JPEG-Bilder sowie Text- und CSV-Dateien."
                )
                % {"art": name},
                code="falscher_typ",
            )
    if b"%PDF-" in kopf:
        return PDF
    if kopf.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if kopf.startswith(b"\xff\xd8\xff"):
        return JPEG
    if _ist_text(datei):
        return CSV if PurePath(datei.name or "").suffix.lower() == ".csv" else TEXT
    raise ValidationError(
        _(
            "Der Dateityp ist unbekannt. Angenommen werden PDF-Dateien, PNG- und JPEG-Bilder sowie Text- und "
            "CSV-Dateien."
        ),
        code="falscher_typ",
    )


def _zip_meldung(kopf):
    # Office Open XML and OpenDocument files are ZIP archives too; their first entry gives them away.
    if b"[Content_Types].xml" in kopf or b"word/" in kopf or b"xl/" in kopf or b"ppt/" in kopf:
        return _(
            "Office-Dokumente (Word, Excel, PowerPoint) werden nicht angenommen. Bitte laden Sie die Datei als "
            "PDF hoch."
        )
    if b"mimetypeapplication/vnd.oasis.opendocument" in kopf:
        return _("OpenDocument-Dateien werden nicht angenommen. Bitte laden Sie die Datei als PDF hoch.")
    return _(
        "Archive (%(art)s) werden nicht angenommen. Bitte laden Sie die enthaltenen Dokumente einzeln als PDF hoch."
    ) % {"art": gettext_lazy("ZIP-Archiv")}


def _ist_text(datei):
    """UTF-8 text without control characters other than line breaks and tabs (checked in blocks, not all at once)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for block in datei.chunks():
            text = decoder.decode(block)
            if any(ord(zeichen) < 32 and zeichen not in "\r\n\t\f" for zeichen in text):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        datei.seek(0)
    return True


def _pdf_pruefen(datei):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        leser = PdfReader(datei, strict=False)
        if leser.is_encrypted:
            raise ValidationError(
                _(
                    "Die PDF-Datei ist verschlüsselt oder mit einem Kennwort geschützt. Bitte laden Sie eine "
                    "unverschlüsselte Fassung hoch."
                ),
                code="verschluesselt",
            )
        if len(leser.pages) == 0:
            raise ValidationError(_("Die PDF-Datei hat keine Seiten."), code="kaputt")
        gefahr = _pdf_gefahr(leser)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OSError) as e:
        raise ValidationError(
            _(
                "Die PDF-Datei ist beschädigt und kann nicht gelesen werden. Bitte speichern oder exportieren Sie sie "
                "neu."
            ),
            code="kaputt",
        ) from e
    finally:
        datei.seek(0)
    if gefahr:
        raise ValidationError(
            _(
                "Die PDF-Datei enthält %(gefahr)s und wird deshalb nicht angenommen. Bitte exportieren Sie das "
                "Dokument ohne aktive Inhalte neu (z. B. „PDF/A“)."
            )
            % {"gefahr": gefahr},
            code="aktiver_inhalt",
        )


def _pdf_gefahr(leser):
    """The first active content in the PDF's object tree, as words for the message; ``None`` if there is none.

    Every object reachable from the trailer is visited (pypdf decodes ``#xx`` escapes in names, so
    ``/Java#53cript`` is found too); page content streams are only looked at as dictionaries, never run. An object
    is visited once for each of two contexts: reached as the action of a link the reader clicks (or its ``/Next``),
    or any other way - the document's ``/OpenAction``, the additional actions ``/AA`` of document, page, field or
    annotation, which run by themselves. A ``/URI`` action is accepted only in the first context and only to a web
    or mail address: papers link to sources, and a click is the reader's own decision.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    offen = [(leser.trailer, False)]
    gesehen = set()
    besucht = 0
    while offen:
        objekt, klick = offen.pop()
        if isinstance(objekt, IndirectObject):
            schluessel = (objekt.idnum, objekt.generation, klick)
            if schluessel in gesehen:
                continue
            gesehen.add(schluessel)
            objekt = objekt.get_object()
        besucht += 1
        if besucht > MAX_PDF_OBJEKTE:
            raise ValueError("zu viele Objekte")
        if isinstance(objekt, DictionaryObject):
            gefahr = _aktion_gefahr(objekt, klick)
            if gefahr:
                return gefahr
            ist_link = objekt.get("/Subtype") == "/Link"
            for name, wert in objekt.items():
                if name in PDF_GEFAHREN:
                    return PDF_GEFAHREN[name]
                if name in ("/S", "/Type", "/Subtype") and isinstance(wert, NameObject) and wert in PDF_GEFAHREN:
                    return PDF_GEFAHREN[wert]
                if name in ("/Parent", "/P"):
                    continue
                offen.append((wert, (ist_link and name == "/A") or (klick and name == "/Next")))
        elif isinstance(objekt, ArrayObject):
            offen.extend((wert, klick) for wert in objekt)
    return None


def _aktion_gefahr(objekt, klick):
    art = objekt.get("/S")
    if art == "/URI":
        adresse = str(objekt.get("/URI", ""))
        if not klick:
            return _(
                "eine Aktion, die ohne Klick eine Adresse aufruft (/URI „%(adresse)s“), etwa beim Öffnen der Datei"
            ) % {"adresse": adresse[:100]}
        schema = SCHEMA.match(adresse)
        if not schema or schema.group(1).lower() not in LINK_SCHEMATA:
            return _("einen Link auf „%(adresse)s“, der keine Internet- oder E-Mail-Adresse ist (/URI)") % {
                "adresse": adresse[:100]
            }
        return None
    return PDF_AKTIONEN.get(art)
