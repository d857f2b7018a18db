"""Files that an app above ``vorlagen`` and ``sitzungen`` keeps for a Vorlage or a Sitzung, shown in its Anlagen.

The importer (``oparlimport``) keeps files it knows only by their metadata (no stored copy); their pages link them
at the original. The layers forbid ``vorlagen`` and ``sitzungen`` importing ``oparlimport``, so it enters a
provider here from its ``AppConfig.ready()`` and the detail views ask the providers, never naming it.

A provider answers a ``Prefetch`` of the rows the user may see (one query per page, however many rows), put into
``attribut``, and turns one row into a ``WeitereDatei``. A provider with an ``ueberschrift`` gets a section of its
own under that heading (``protokoll``'s Sitzungsdokumente); the others' files are listed among the Anlagen.
"""

import dataclasses
from collections.abc import Callable

VORLAGE = "vorlage"
SITZUNG = "sitzung"


@dataclasses.dataclass(frozen=True)
class WeitereDatei:
    name: str
    url: str
    # A file at another site (the original of an import), or one this site serves; ``angabe`` follows the name.
    extern: bool = True
    angabe: str = ""
    nichtoeffentlich: bool = False


@dataclasses.dataclass(frozen=True)
class Anbieter:
    prefetch: Callable  # (user) -> Prefetch of the visible rows into ``attribut``
    attribut: str
    datei: Callable  # (row) -> WeitereDatei
    ueberschrift: str | None = None


ANBIETER = {VORLAGE: [], SITZUNG: []}


def anbieter_eintragen(anbieter, *, fuer):
    """Show the files of ``anbieter`` on the detail page of ``fuer`` (``VORLAGE`` or ``SITZUNG``)."""
    if anbieter not in ANBIETER[fuer]:
        ANBIETER[fuer].append(anbieter)


def prefetches(fuer, user):
    return [anbieter.prefetch(user) for anbieter in ANBIETER[fuer]]


def dateien(objekt, fuer):
    """The files of ``objekt`` fetched through ``prefetches`` that go among the Anlagen, in the order the providers
    were entered."""
    return [
        anbieter.datei(zeile)
        for anbieter in ANBIETER[fuer]
        if anbieter.ueberschrift is None
        for zeile in getattr(objekt, anbieter.attribut)
    ]


def abschnitte(objekt, fuer):
    """The sections of ``objekt``'s page with their own heading: ``(ueberschrift, files)``, empty ones left out."""
    ergebnis = []
    for anbieter in ANBIETER[fuer]:
        if anbieter.ueberschrift is None:
            continue
        gefunden = [anbieter.datei(zeile) for zeile in getattr(objekt, anbieter.attribut)]
        if gefunden:
            ergebnis.append((anbieter.ueberschrift, gefunden))
    return ergebnis
