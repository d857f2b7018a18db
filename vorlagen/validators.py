"""Checks of an Anlage's file name, before the storage sees it (the content is checked in ``dateipruefung``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ``Anlage.dateiname`` holds the name as uploaded; it is part of the download address.
DATEINAME_MAX_ZEICHEN = 200
# The file system counts a name in bytes (NAME_MAX, 255 on ext4, XFS, btrfs), UTF-8 encoded: "Ä" takes two. When a
# file of that name exists, Django's storage appends "_" and 7 characters, so a name must leave room for those 8.
DATEINAME_MAX_BYTES = 255 - 8


def dateiname_pruefen(name):
    """Refuse a file name the Anlage cannot keep or the storage cannot write, with a sentence that says so.

    Checked here, not left to the database (a name over 200 characters broke the save) or to the file system (a
    name of 150 "Ä" is 300 bytes, and the storage's ENAMETOOLONG read like a disk failure).
    """
    if len(name) > DATEINAME_MAX_ZEICHEN:
        raise ValidationError(
            _(
                "Der Dateiname ist zu lang: er hat %(anzahl)s Zeichen, erlaubt sind %(grenze)s. Bitte benennen Sie "
                "die Datei vor dem Hochladen kürzer."
            ),
            code="dateiname_zu_lang",
            params={"anzahl": len(name), "grenze": DATEINAME_MAX_ZEICHEN},
        )
    groesse = len(name.encode("utf-8"))
    if groesse > DATEINAME_MAX_BYTES:
        raise ValidationError(
            _(
                "Der Dateiname ist für die Ablage zu lang: er belegt %(anzahl)s Bytes, erlaubt sind %(grenze)s "
                "(Umlaute und ß zählen doppelt, manche Sonderzeichen mehrfach). Bitte benennen Sie die Datei vor "
                "dem Hochladen kürzer."
            ),
            code="dateiname_zu_lang",
            params={"anzahl": groesse, "grenze": DATEINAME_MAX_BYTES},
        )
