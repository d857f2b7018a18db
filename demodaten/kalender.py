"""Dates of the demo data, counted in weeks from the Monday of the week the data was first loaded.

Past and future Sitzungen are placed relative to that Monday, so a freshly loaded site always has both. A later
run reuses the Monday of the first run (see ``laden.wochenbeginn_bestimmen``): the data keeps its dates and a
second run on another day duplicates nothing.
"""

import datetime
import zoneinfo

from django.conf import settings

MO, DI, MI, DO, FR, SA, SO = range(7)


def montag_der_woche(tag):
    return tag - datetime.timedelta(days=tag.weekday())


class Kalender:
    def __init__(self, montag):
        if montag.weekday() != MO:
            raise ValueError(f"{montag} ist kein Montag.")
        self.montag = montag
        self.zeitzone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def tag(self, woche, wochentag):
        """The date of ``wochentag`` in the week ``woche`` weeks from the reference week (negative: earlier)."""
        return self.montag + datetime.timedelta(weeks=woche, days=wochentag)

    def zeit(self, tag, uhrzeit):
        """An aware datetime in the site's time zone; ``tag`` is a date or a (woche, wochentag) pair."""
        if isinstance(tag, tuple):
            tag = self.tag(*tag)
        stunde, minute = (int(teil) for teil in uhrzeit.split(":"))
        return datetime.datetime.combine(tag, datetime.time(stunde, minute), tzinfo=self.zeitzone)
