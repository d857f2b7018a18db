"""Reading what an OParl source sends: untrusted JSON turned into checked values.

Every value of a source may be missing, of the wrong type, too long, full of control characters or a date outside
what we accept. The functions here answer a clean value, None/"" for none, or raise ``Uebersprungen`` with the
German reason when the object as a whole cannot be taken. Nothing here touches the database or the network.
"""

import datetime
import mimetypes
import re
from zoneinfo import ZoneInfo

from django.utils import timezone

from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN, datum_im_rahmen

BERLIN = ZoneInfo("Europe/Berlin")


# Control characters (NUL above all, which PostgreSQL refuses in text) are removed from what the source sends;
# in one-line fields line breaks and tabs become spaces. Stripped rather than skipped: the name is still the
# source's name, and the object is not lost for an invisible character.
STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ZEILENUMBRUCH = re.compile(r"[\t\n\r\u2028\u2029]+")
DATEINAME_STAMM = 100


class Uebersprungen(Exception):
    """This object cannot be imported; the reason goes into the summary and the run goes on."""


def typ_von(objekt):
    typ = objekt.get("type") if isinstance(objekt, dict) else None
    return typ.rstrip("/").rsplit("/", 1)[-1] if isinstance(typ, str) else None


def klartext(wert, laenge=None, *, zeilen=False):
    if isinstance(wert, list):
        wert = ", ".join(str(teil) for teil in wert if teil)
    text = STEUERZEICHEN.sub("", str(wert)) if wert is not None else ""
    if not zeilen:
        text = ZEILENUMBRUCH.sub(" ", text)
    # str.strip() also removes the trailing non-breaking spaces some vendors leave in postal codes.
    text = text.strip()
    if laenge and len(text) > laenge:
        text = text[: laenge - 1].rstrip() + "…"
    return text


def _ausserhalb(wert):
    return Uebersprungen(f"Datum {str(wert)[:40]} außerhalb von {DATUM_MIN:%d.%m.%Y} bis {DATUM_MAX:%d.%m.%Y}")


def datum_von(wert):
    """A date, None for none or an unreadable one; a date outside the accepted range skips the object."""
    if not isinstance(wert, str) or len(wert) < 10:
        return None
    try:
        datum = datetime.date.fromisoformat(wert[:10])
    except ValueError:
        return None
    if not datum_im_rahmen(datum):
        raise _ausserhalb(wert)
    return datum


def zeitpunkt_von(wert):
    if not isinstance(wert, str):
        return None
    try:
        zeit = datetime.datetime.fromisoformat(wert)
    except ValueError:
        return None
    zeit = zeit if timezone.is_aware(zeit) else zeit.replace(tzinfo=BERLIN)
    try:
        im_rahmen = datum_im_rahmen(zeit)
    except OverflowError:
        # 0001-01-01T00:00:00+14:00 is before year 1 in UTC: not even comparable.
        im_rahmen = False
    if not im_rahmen:
        raise _ausserhalb(wert)
    return zeit


def grund_von(fehler):
    """The reason of an AbrufFehler without the address it ends with: the summary groups by reason and lists
    example ids, so the address would make every file a reason of its own."""
    grund = re.sub(r":? (?:https?|file|ftp|gopher)://\S*$", "", fehler.grund)
    return grund[:160]


def liste_von(objekt, feld):
    """The list in ``objekt[feld]``; a number or string where OParl has a list skips the object."""
    wert = objekt.get(feld)
    if wert is None:
        return []
    if not isinstance(wert, list):
        raise Uebersprungen(f"{feld} ist keine Liste, sondern {type(wert).__name__}")
    return wert


def ganzzahl_von(wert, hoechstens=2**62):
    return wert if isinstance(wert, int) and not isinstance(wert, bool) and 0 <= wert <= hoechstens else None


def sicherer_dateiname(name, mime_typ=""):
    """A bare file name of bounded length: no folders (``../``), no control or special characters."""
    name = klartext(name).replace("\\", "/").rsplit("/", 1)[-1]
    stamm, punkt, endung = name.rpartition(".")
    if not punkt:
        stamm, endung = name, ""
    stamm = re.sub(r"[^\w\-. ]+", "_", stamm).strip(" ._")[:DATEINAME_STAMM].strip(" ._") or "datei"
    endung = re.sub(r"[^A-Za-z0-9]", "", endung)[:10].lower()
    if not endung:
        endung = (mimetypes.guess_extension(mime_typ or "") or "").lstrip(".")
    return f"{stamm}.{endung}" if endung else stamm


def id_von(wert):
    """The id of a referenced or embedded object."""
    if isinstance(wert, dict):
        wert = wert.get("id")
    # Our Herkunft holds 500 characters; an id with control characters is no URL.
    if not isinstance(wert, str) or not wert or len(wert) > 500 or STEUERZEICHEN.search(wert):
        return None
    return wert


def ids_von(wert):
    if wert is None:
        return []
    if not isinstance(wert, list):
        wert = [wert]
    return [i for i in (id_von(w) for w in wert) if i]


def koordinaten(geojson):
    """``(lon, lat, vertauscht)`` of a GeoJSON point. Some vendors write [lat, lon]; for Germany the ranges tell
    (latitude 47–56, longitude 5–16 do not overlap)."""
    try:
        a, b = (float(x) for x in geojson["geometry"]["coordinates"][:2])
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if 47 <= a <= 56 and 5 <= b <= 16:
        return b, a, True
    return a, b, False


def web_von(objekt):
    """The ``web`` address of an object, if it is an http(s) URL that fits the field."""
    web = klartext(objekt.get("web"))
    return web if web.startswith(("http://", "https://")) and len(web) <= 1000 else ""
