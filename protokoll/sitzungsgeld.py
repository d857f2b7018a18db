"""The Sitzungsgeld export for the Hauptamt: attendance per person and period as CSV that Excel opens as it is.

German headers, ``;`` as separator (Excel's list separator in German settings), UTF-8 with a byte order mark (or
Excel reads umlauts as Windows-1252). A name typed by a clerk or imported may start with ``=``, ``+``, ``-`` or
``@``, which a spreadsheet would run as a formula (CSV injection, OWASP); such cells get a leading apostrophe.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

FORMELZEICHEN = ("=", "+", "-", "@", "\t", "\r")


def zelle(wert):
    """A cell that a spreadsheet shows as text, never runs. Numbers stay numbers."""
    if isinstance(wert, int):
        return wert
    text = str(wert or "")
    return f"'{text}" if text.startswith(FORMELZEICHEN) else text


def kopfzeile():
    return [_("Nachname"), _("Vorname"), _("Fraktion"), _("Sitzungen"), _("davon in Vertretung")]


def zeile(daten):
    return [
        daten["person__nachname"],
        daten["person__vorname"],
        daten["person__fraktion__name"],
        daten["sitzungen"],
        daten["davon_vertretung"],
    ]


def csv_antwort(zeilen, von, bis):
    puffer = io.StringIO()
    schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    schreiber.writerow([zelle(wert) for wert in kopfzeile()])
    for daten in zeilen:
        schreiber.writerow([zelle(wert) for wert in zeile(daten)])
    antwort = HttpResponse(("\ufeff" + puffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    antwort["Content-Disposition"] = f'attachment; filename="sitzungsgeld_{von:%Y-%m-%d}_{bis:%Y-%m-%d}.csv"'
    antwort["Cache-Control"] = "private, no-store"
    return antwort
