"""The Sitzungsdokumente of the demo data (issue 17): the Einladung of the seed's Sitzung, public, and a
non-public Tischvorlage for the non-public TOP of a Bezirksbeirat, which only its members and the clerks see.

Each entry names its Sitzung by ``ausschuss`` (slug) and ``beginn`` as ``sitzungen.py`` does, and its file by its
name in ``dateien/`` (made by ``demodaten.pdf``).
"""

import datetime

from demodaten.kalender import MI
from demodaten.vorlagen import IA
from protokoll.models import Sitzungsdokument

ART = Sitzungsdokument.Art


def dokument(kal, ausschuss, tag, von, art, titel, dateiname, *, oeffentlich=True, reihenfolge=1):
    return {
        "ausschuss": ausschuss,
        "beginn": kal.zeit(tag, von),
        "art": art,
        "titel": titel,
        "dateiname": dateiname,
        "oeffentlich": oeffentlich,
        "reihenfolge": reihenfolge,
    }


def dokumente(kal):
    return [
        dokument(
            kal,
            IA,
            datetime.date(2021, 11, 24),
            "15:00",
            ART.EINLADUNG,
            "Einladung zur Sitzung am 24. November 2021",
            "einladung-internationaler-ausschuss-2021-11-24.pdf",
        ),
        dokument(
            kal,
            "bezirksbeirat-bad-cannstatt",
            (-4, MI),
            "18:30",
            ART.TISCHVORLAGE,
            "Tischvorlage: Wertermittlung zum Vorkaufsrecht in der Altstadt",
            "tischvorlage-vorkaufsrecht-bad-cannstatt.pdf",
            oeffentlich=False,
        ),
    ]
