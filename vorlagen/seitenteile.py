"""Parts of the Vorlage, Sitzung and Person pages that an app above ``vorlagen`` and ``sitzungen`` shows.

The record of a Sitzung (attendance, Befangenheiten, votes) lives in ``protokoll``, above ``sitzungen``; the
layers forbid the detail views of ``vorlagen`` and ``sitzungen`` to import it. So ``protokoll`` enters its parts
here from its ``AppConfig.ready()`` and the views ask for them, never naming it (like ``weitere_dateien``).

A part reads what it shows in ``laden(request, objekt)``, through the visibility rule and with a fixed number of
queries: it may prefetch onto the objects of the page (the TOPs of a Sitzung, the Beratungen of a Vorlage) and
returns further context. ``vorlage`` is included once on the page, ``zeilen_vorlage`` in each row the page has
(a TOP whose content the user may see, a Beratung); both see the whole page context.
"""

import dataclasses
from collections.abc import Callable

VORLAGE = "vorlage"
SITZUNG = "sitzung"
PERSON = "person"


@dataclasses.dataclass(frozen=True)
class Teil:
    laden: Callable  # (request, objekt) -> dict of context
    vorlage: str = ""
    zeilen_vorlage: str = ""


TEILE = {VORLAGE: [], SITZUNG: [], PERSON: []}


def teil_eintragen(teil, *, fuer):
    """Show ``teil`` on the detail page of ``fuer`` (``VORLAGE``, ``SITZUNG`` or ``PERSON``)."""
    if teil not in TEILE[fuer]:
        TEILE[fuer].append(teil)


def kontext(request, objekt, fuer):
    """The context of every part of the page: ``seitenteile`` (the parts) and what each part read."""
    daten = {"seitenteile": TEILE[fuer]}
    for teil in TEILE[fuer]:
        daten.update(teil.laden(request, objekt))
    return daten
