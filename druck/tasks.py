"""Rendering in the background through Django's tasks framework (immediately in the embedded mode).

The task imports what it renders with (``druck.inhalt``, ``druck.pdf``, the models), never ``druck.services``:
the services enqueue it, so an import the other way would close a circle.
"""

import datetime
import logging

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone

from druck import inhalt, pdf
from druck.inhalt import daten_fuer, wasserzeichen_fuer
from druck.models import Druckstueck

logger = logging.getLogger(__name__)

# A failed PDF is tried again on a later request, at most this often, after 1, 4, 16 ... minutes: a cause that goes
# away by itself (a full disk, a restart) heals, one that stays does not cost a rendering per request.
MAX_VERSUCHE = 4
WARTEZEIT = datetime.timedelta(minutes=1)


def wartezeit(versuche):
    return WARTEZEIT * 4 ** (versuche - 1)


def _melden(druckstueck_id, **felder):
    Druckstueck.objects.filter(pk=druckstueck_id).update(**felder)


@task
def druckstueck_erstellen(druckstueck_id):
    druckstueck = Druckstueck.objects.select_related(
        "benutzer", "vorlage", "sitzung__ausschuss", "sitzung__ort", "tagesordnungspunkt__sitzung__ausschuss"
    ).get(pk=druckstueck_id)
    if druckstueck.status in (Druckstueck.Status.FERTIG, Druckstueck.Status.VERALTET):
        return
    _melden(druckstueck_id, status=Druckstueck.Status.IN_ARBEIT, fortschritt=5)
    user = druckstueck.benutzer or AnonymousUser()
    wasserzeichen = wasserzeichen_fuer(druckstueck.benutzer) if druckstueck.benutzer else ""
    daten = daten_fuer(art=druckstueck.art, gegenstand=druckstueck.gegenstand, user=user)
    if daten is None or inhalt.inhaltsversion(daten, wasserzeichen) != druckstueck.inhaltsversion:
        # Changed (or hidden) since it was asked for: the next request asks for the new version.
        _melden(druckstueck_id, status=Druckstueck.Status.VERALTET)
        return
    warnungen = []
    try:
        if druckstueck.art == Druckstueck.Art.VORLAGE:
            inhalt_pdf, seiten = pdf.vorlage_pdf(daten, wasserzeichen)
        elif druckstueck.art == Druckstueck.Art.TAGESORDNUNG:
            inhalt_pdf, seiten = pdf.tagesordnung_pdf(daten, wasserzeichen)
        elif druckstueck.art == Druckstueck.Art.NIEDERSCHRIFT:
            inhalt_pdf, seiten = pdf.niederschrift_pdf(daten, wasserzeichen)
        elif druckstueck.art == Druckstueck.Art.BESCHLUSSAUSZUG:
            inhalt_pdf, seiten = pdf.beschlussauszug_pdf(daten, wasserzeichen)
        else:
            inhalt_pdf, seiten, warnungen = pdf.mappe_pdf(
                daten, wasserzeichen, fortschritt=lambda prozent: _melden(druckstueck_id, fortschritt=prozent)
            )
        druckstueck.refresh_from_db()
        druckstueck.datei.save(druckstueck.dateiname, ContentFile(inhalt_pdf), save=False)
    except Exception as fehler:
        # Bad Anlagen are left out in mappe_pdf; what arrives here is a fault of this site (storage, fonts, a bug).
        logger.exception("PDF %s konnte nicht erstellt werden", druckstueck.schluessel)
        versuche = druckstueck.versuche + 1
        naechster = timezone.now() + wartezeit(versuche) if versuche < MAX_VERSUCHE else None
        _melden(
            druckstueck_id,
            status=Druckstueck.Status.FEHLER,
            versuche=versuche,
            naechster_versuch=naechster,
            warnungen=f"Fehler beim Erstellen (Versuch {versuche} von {MAX_VERSUCHE}): {fehler!r}",
        )
        return
    druckstueck.groesse = len(inhalt_pdf)
    druckstueck.seiten = seiten
    druckstueck.warnungen = "\n".join(warnungen)
    druckstueck.status = Druckstueck.Status.FERTIG
    druckstueck.fortschritt = 100
    druckstueck.fertig_am = timezone.now()
    druckstueck.naechster_versuch = None
    druckstueck.save()
