"""Files that an app above ``vorlagen`` and ``sitzungen`` keeps for a Vorlage or a Sitzung, shown in its Anlagen.

The importer (``oparlimport``) keeps files it knows only by their metadata (no stored copy); their pages link them
at the original. The layers forbid ``vorlagen`` and ``sitzungen`` importing ``oparlimport``, so it enters a
provider here from its ``AppConfig.ready()`` and the detail views ask the providers, never naming it.

A provider answers a ``Prefetch`` of the rows the user may see (one query per page, however many rows), put into
``attribut``, and turns one row into a ``WeitereDatei``.
"""

import dataclasses
from collections.abc import Callable

VORLAGE = "vorlage"
SITZUNG = "sitzung"


@dataclasses.dataclass(frozen=True)
class WeitereDatei:
    name: str
    url: str


@dataclasses.dataclass(frozen=True)
class Anbieter:
    prefetch: Callable  # (user) -> Prefetch of the visible rows into ``attribut``
    attribut: str
    datei: Callable  # (row) -> WeitereDatei


ANBIETER = {VORLAGE: [], SITZUNG: []}


def anbieter_eintragen(anbieter, *, fuer):
    """Show the files of ``anbieter`` on the detail page of ``fuer`` (``VORLAGE`` or ``SITZUNG``)."""
    if anbieter not in ANBIETER[fuer]:
        ANBIETER[fuer].append(anbieter)


def prefetches(fuer, user):
    return [anbieter.prefetch(user) for anbieter in ANBIETER[fuer]]


def dateien(objekt, fuer):
    """The files of ``objekt`` fetched through ``prefetches``, in the order the providers were entered."""
    return [anbieter.datei(zeile) for anbieter in ANBIETER[fuer] for zeile in getattr(objekt, anbieter.attribut)]
