"""iCalendar (RFC 5545) of Sitzungen, for the public.

* UIDs are ``sitzung-<pk>@<RATSINFO_UID_DOMAIN>``: stable for the life of a Sitzung and unique worldwide, so a
  calendar app updates the event it already has instead of adding a second one.
* There is no ``METHOD``: a subscribed feed is a published calendar, not a scheduling message. RFC 5545 then has
  DTSTAMP mean the last revision of the data, which is also LAST-MODIFIED; SEQUENCE counts revisions. No field of
  its own holds that count (and this app adds no migration to the models), so it is the number of seconds between
  the creation and the last change of the Sitzung or of one of its TOPs: it only ever grows, with every change.
* Times are local to ``TIME_ZONE`` (Europe/Berlin) with a VTIMEZONE, so an event stays at 17:00 across the
  change to summer time.
* A cancelled Sitzung stays in the feed with STATUS:CANCELLED, so subscribers see the cancellation.
* Names pass through ``steuerzeichen_entfernen``: rows from before the validator or from an import may hold a
  line break or a vertical tab, which a content line cannot carry (icalendar refuses it) and a calendar app would
  show as garbage. The description keeps its own line breaks.
* Only public information: the Sitzung itself (which is public), and the titles of the TOPs that an anonymous
  visitor may see. Non-public TOPs appear as their number only, like on the web page.
"""

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.db.models import Max, Prefetch
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from oeffentlich.oeffentlichkeit import oeffentlichkeit
from ratsinfo.validators import steuerzeichen_entfernen
from sitzungen.models import Sitzung, Tagesordnungspunkt

STATUS = {
    Sitzung.Status.GEPLANT: "TENTATIVE",
    Sitzung.Status.EINBERUFEN: "CONFIRMED",
    Sitzung.Status.ABGESCHLOSSEN: "CONFIRMED",
    Sitzung.Status.ABGESAGT: "CANCELLED",
}


def sitzungen_fuer_kalender(queryset):
    """Sitzungen with their public agenda and the time of their last change (the Sitzung's or a TOP's)."""
    oeffentlich = oeffentlichkeit()
    tops = Tagesordnungspunkt.objects.mit_sichtbarkeit(oeffentlich).order_by("-oeffentlich", "reihenfolge", "pk")
    return (
        queryset.fuer_liste()
        .annotate(
            letzte_aenderung=Greatest(
                "geaendert_am", Coalesce(Max("tagesordnungspunkte__geaendert_am"), "geaendert_am")
            )
        )
        .prefetch_related(Prefetch("tagesordnungspunkte", queryset=tops))
        .order_by("beginn", "pk")
    )


def uid(sitzung):
    return f"sitzung-{sitzung.pk}@{settings.RATSINFO_UID_DOMAIN}"


def beschreibung(sitzung, url):
    zeilen = []
    tops = list(sitzung.tagesordnungspunkte.all())
    if tops:
        zeilen.append(_("Tagesordnung:"))
        for top in tops:
            titel = top.titel if top.inhalt_sichtbar else _("nichtöffentlich")
            zeilen.append(steuerzeichen_entfernen(f"{top.bezeichnung} {titel}"))
        zeilen.append("")
    zeilen.append(url)
    return "\n".join(zeilen)


def ereignis(sitzung, request):
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    url = request.build_absolute_uri(sitzung.get_absolute_url())
    letzte_aenderung = getattr(sitzung, "letzte_aenderung", None) or sitzung.geaendert_am
    event = icalendar.Event()
    event.add("uid", uid(sitzung))
    event.add("dtstamp", letzte_aenderung)
    event.add("last-modified", letzte_aenderung)
    event.add("created", sitzung.erstellt_am)
    event.add("sequence", max(0, int((letzte_aenderung - sitzung.erstellt_am).total_seconds())))
    event.add("dtstart", sitzung.beginn.astimezone(zone))
    if sitzung.ende:
        event.add("dtend", sitzung.ende.astimezone(zone))
    titel = str(sitzung.titel)
    if sitzung.status == Sitzung.Status.ABGESAGT:
        titel = _("Abgesagt: %(titel)s") % {"titel": titel}
    event.add("summary", steuerzeichen_entfernen(titel))
    event.add("status", STATUS.get(sitzung.status, "CONFIRMED"))
    event.add("class", "PUBLIC")
    event.add("transp", "OPAQUE")
    event.add("categories", [steuerzeichen_entfernen(sitzung.ausschuss.name)])
    if sitzung.ort:
        ort = ", ".join(teil for teil in (str(sitzung.ort), sitzung.ort.anschrift) if teil)
        event.add("location", steuerzeichen_entfernen(ort))
    event.add("url", url)
    event.add("description", beschreibung(sitzung, url))
    return event


def kalender(sitzungen, request, name):
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.RATSINFO_KOERPERSCHAFT}//Ratsinfo//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", steuerzeichen_entfernen(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    # Hint for clients that poll subscribed calendars (Apple, Outlook): once an hour is enough.
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    sitzungen = list(sitzungen)
    for sitzung in sitzungen:
        cal.add_component(ereignis(sitzung, request))
    # The VTIMEZONE lists the transitions of the years the events span (plus a margin), not those of 1970-2038.
    heute = datetime.date.today()
    tage = [s.beginn.date() for s in sitzungen] or [heute]
    cal.add_missing_timezones(
        first_date=min(tage) - datetime.timedelta(days=366), last_date=max(tage) + datetime.timedelta(days=366)
    )
    return cal.to_ical()
