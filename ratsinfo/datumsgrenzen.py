"""The range of dates Ratsinfo accepts anywhere: forms, the OParl importer and the database's check constraints.

A council information system deals with meetings and papers of living memory and of the planned future. A year
such as 0001 or 10000 is always a typing or source error, and outside this range Python's `datetime` overflows
when a page converts it to local time (year 0 or 10000), which is how a single bad row used to take pages down.
The bounds are generous on both sides and the same for every field, so a clerk meets one rule.
"""

import datetime

# Inclusive bounds for dates (Sitzung day, Vorlage date, membership dates …).
DATUM_MIN = datetime.date(1900, 1, 1)
DATUM_MAX = datetime.date(2200, 12, 31)

# Bounds for points in time, in UTC: from ZEITPUNKT_MIN inclusive to ZEITPUNKT_BIS exclusive.
ZEITPUNKT_MIN = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
ZEITPUNKT_BIS = datetime.datetime(2201, 1, 1, tzinfo=datetime.UTC)


def datum_im_rahmen(wert: datetime.date | datetime.datetime | None) -> bool:
    """Whether a date or an aware datetime lies within the accepted range (None counts as "no value": in range)."""
    if wert is None:
        return True
    if isinstance(wert, datetime.datetime):
        if wert.tzinfo is None:
            raise ValueError("datum_im_rahmen needs an aware datetime")
        return ZEITPUNKT_MIN <= wert < ZEITPUNKT_BIS
    return DATUM_MIN <= wert <= DATUM_MAX
