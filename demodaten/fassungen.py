"""Two published versions of a convened agenda (issue 19): the Verwaltungsausschuss of next week is invited in
time, then a Nachtrag adds a TOP, each sent through the einberufung services, which record the versions
(``sitzungen.fassungen``). The public sees them under "Diese Tagesordnung wurde einmal geändert".

The messages are recorded as delivered, as for the seed's Einladung: the demo sends no mail. A Sitzung that
already has an Einberufung is left alone, so a second run writes nothing.
"""

import datetime

from django.utils import timezone

from demodaten.vorlagen import VA
from einberufung.services import einladung_versenden, ladungsfrist, nachtrag_versenden
from post.models import Nachricht
from sitzungen.models import Sitzung, Tagesordnungspunkt

# Also the guarantee of a recipient when the demo is loaded for another week (--stichtag), whose seats may differ.
PRESSESTELLE = ("Pressestelle der Landeshauptstadt", "presse@example.org")
NACHTRAG_TOP = "Bekanntgaben: Sachstand Hochwasserschutz am Neckar"


def _zugestellt(ergebnis, versand, jetzt):
    zugestellt = jetzt + datetime.timedelta(minutes=1)
    for nummer, ladung in enumerate(versand.ladungen, start=1):
        Nachricht.objects.filter(pk=ladung.nachricht.pk).update(
            status=Nachricht.Status.GESENDET,
            versuche=1,
            gesendet_am=zugestellt,
            naechster_versuch=None,
            antwort=f"250 2.0.0 Ok: queued as FASSUNG{versand.einberufung.nummer}{nummer:04d}",
        )
    ergebnis.angelegt["Einberufung"] += 1
    ergebnis.angelegt["Ladung"] += len(versand.ladungen)


def fassungen_laden(ergebnis, *, ausschuesse):
    sitzung = (
        Sitzung.objects.filter(ausschuss=ausschuesse[VA], status=Sitzung.Status.EINBERUFEN).order_by("beginn").first()
    )
    if sitzung is None or sitzung.einberufungen.exists():
        return
    frist = ladungsfrist(sitzung.ausschuss)
    beginn = timezone.localtime(sitzung.beginn).replace(hour=10, minute=0)
    einladung_am = beginn - datetime.timedelta(days=frist + 7)
    versand = einladung_versenden(sitzung=sitzung, user=None, jetzt=einladung_am, weitere_empfaenger=[PRESSESTELLE])
    _zugestellt(ergebnis, versand, einladung_am)

    agenda = sitzung.tagesordnungspunkte.filter(oeffentlich=True)
    nummer = agenda.count() + 1
    top = Tagesordnungspunkt(
        sitzung=sitzung, nummer=str(nummer), reihenfolge=nummer, oeffentlich=True, titel=NACHTRAG_TOP
    )
    top.full_clean()
    top.save()
    ergebnis.angelegt["Tagesordnungspunkt"] += 1
    nachtrag_am = beginn - datetime.timedelta(days=frist + 1)
    versand = nachtrag_versenden(sitzung=sitzung, user=None, jetzt=nachtrag_am, weitere_empfaenger=[PRESSESTELLE])
    _zugestellt(ergebnis, versand, nachtrag_am)
