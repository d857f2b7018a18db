"""The Einberufung of the seed's Sitzung (Internationaler Ausschuss, 24.11.2021), sent through the service as the
clerk would have: the Einladung fourteen days ahead, within the Frist, to the Ausschuss's members with an address.

The demo's people hold seats of the term that began in 2024 only (see ``demodaten.protokoll``), so today's seats
stand in for those of that day. The messages are recorded as delivered then: the demo sends no mail. A Sitzung
that already has an Einberufung is left alone, so a second run writes nothing.
"""

import datetime

from django.utils import timezone

from demodaten.protokoll import SEED_TAG
from demodaten.vorlagen import IA
from einberufung.services import einladung_versenden
from post.models import Nachricht
from sitzungen.models import Sitzung

VORLAUF = datetime.timedelta(days=14)


def einberufung_laden(ergebnis, *, ausschuesse):
    seed = Sitzung.objects.filter(ausschuss=ausschuesse[IA], beginn__date=SEED_TAG).order_by("beginn").first()
    if seed is None or seed.einberufungen.exists():
        return
    versendet = timezone.localtime(seed.beginn).replace(hour=10, minute=0) - VORLAUF
    versand = einladung_versenden(
        sitzung=seed,
        user=None,
        jetzt=versendet,
        stichtag=timezone.localdate(),
        weitere_empfaenger=[("Pressestelle der Landeshauptstadt", "presse@example.org")],
    )
    zugestellt = versendet + datetime.timedelta(minutes=1)
    for nummer, ladung in enumerate(versand.ladungen, start=1):
        # What the mail server answered then; the worker finds nothing left to send.
        Nachricht.objects.filter(pk=ladung.nachricht.pk).update(
            status=Nachricht.Status.GESENDET,
            versuche=1,
            gesendet_am=zugestellt,
            naechster_versuch=None,
            antwort=f"250 2.0.0 Ok: queued as DEMO{nummer:04d}",
        )
    ergebnis.angelegt["Einberufung"] += 1
    ergebnis.angelegt["Ladung"] += len(versand.ladungen)
