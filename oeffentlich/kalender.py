"""The month grid of the Sitzungskalender: weeks from Monday to Sunday, each day with its Sitzungen."""

import calendar
import dataclasses
import datetime

from django.utils import timezone


@dataclasses.dataclass
class Tag:
    datum: datetime.date
    im_monat: bool
    heute: bool
    sitzungen: list


def monat_verschieben(jahr, monat, schritte):
    index = jahr * 12 + (monat - 1) + schritte
    return index // 12, index % 12 + 1


def monatsgrenzen(jahr, monat):
    """First and last day shown in the grid: the Monday before the 1st to the Sunday after the last day."""
    wochen = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(jahr, monat)
    return wochen[0][0], wochen[-1][-1]


def monatsraster(jahr, monat, sitzungen):
    """Weeks (lists of seven ``Tag``) of the month, with the Sitzungen placed by their local start date."""
    nach_tag = {}
    for sitzung in sitzungen:
        nach_tag.setdefault(timezone.localdate(sitzung.beginn), []).append(sitzung)
    heute = timezone.localdate()
    return [
        [
            Tag(datum=tag, im_monat=tag.month == monat, heute=tag == heute, sitzungen=nach_tag.get(tag, []))
            for tag in woche
        ]
        for woche in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(jahr, monat)
    ]
