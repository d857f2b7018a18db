"""Validators both apps put on their model fields, so the admin, the services and the importer refuse the same input.

They import no app: ``vorlagen`` and ``sitzungen`` may both use them.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN, datum_im_rahmen


def datum_pruefen(wert):
    """Refuse a date or point in time outside the bounds of ``ratsinfo.datumsgrenzen``.

    Outside them a page that converts the value to local time or formats it overflows, and the database stores
    year 1 as a BC timestamp that the driver cannot read back: one such row used to take several pages down.
    """
    if isinstance(wert, datetime.datetime) and wert.tzinfo is None:
        # Naive only where USE_TZ is off; the bounds are meant as wall-clock then.
        wert = wert.replace(tzinfo=datetime.UTC)
    if not datum_im_rahmen(wert):
        raise ValidationError(
            _("Das Datum muss zwischen %(von)s und %(bis)s liegen."),
            code="datum_ausserhalb",
            params={"von": DATUM_MIN.year, "bis": DATUM_MAX.year},
        )


# Control characters (Unicode Cc: C0, DEL, C1) and the Unicode line and paragraph separators. Format characters
# (Cf: soft hyphen, zero-width joiner, bidi marks) are part of real names and stay.
_STEUERZEICHEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def keine_steuerzeichen(wert):
    """Refuse control characters in a one-line text: a name, a title, a number.

    A newline or a vertical tab in a name breaks the one-line fields of iCal and the XML of the Atom feeds, and
    on a page or in a PDF it is never what was meant (usually pasted from a document or a spreadsheet). Tabs are
    refused too: in a one-line name a tab is always a paste accident. Multi-line texts (Bericht, Beschlusstext)
    do not get this validator and keep their line breaks.
    """
    treffer = _STEUERZEICHEN.search(wert) if wert else None
    if treffer:
        raise ValidationError(
            _(
                "Bitte ohne Zeilenumbrüche, Tabulatoren oder andere Steuerzeichen eingeben (gefunden: %(zeichen)s "
                "an Stelle %(stelle)s)."
            ),
            code="steuerzeichen",
            params={"zeichen": _zeichenname(treffer.group()), "stelle": treffer.start() + 1},
        )


ZEICHENNAMEN = {"\n": _("Zeilenumbruch"), "\r": _("Zeilenumbruch"), "\t": _("Tabulator")}


def _zeichenname(zeichen):
    # Control characters have no Unicode name; the code point tells a clerk's IT what to look for.
    return ZEICHENNAMEN.get(zeichen) or f"U+{ord(zeichen):04X}"


def steuerzeichen_entfernen(text, *, zeilen_behalten=False):
    """The text with every run of control characters replaced by one space, for output that cannot carry them.

    Rows written before the validator (or by code that skips it) may still hold them; iCal and the Atom feeds
    pass every text through here. With ``zeilen_behalten`` a newline (also ``\\r\\n`` and ``\\r``) stays a newline.
    """
    text = str(text)
    if not _STEUERZEICHEN.search(text):
        return text
    if zeilen_behalten:
        return "\n".join(steuerzeichen_entfernen(zeile) for zeile in re.split("\r\n|\r|\n", text))
    return re.sub(f"(?:{_STEUERZEICHEN.pattern})+", " ", text).strip()
