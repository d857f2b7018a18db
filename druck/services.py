"""Asking for a PDF: which variant the requester gets, and the record of its content version.

The variant is decided by the data, not by the person. The requester's data is read through the visibility
rule (``druck.inhalt``); when it equals what an anonymous visitor would get, she gets the shared public variant,
which is also rendered as an anonymous visitor - so it can hold nothing a visitor may not see. Otherwise the
variant is hers alone: keyed by her user, watermarked with her name, and only ever looked up for her. Keying
non-public variants by the exact set of visible objects instead would let two members of a committee share one
file, but the watermark is personal anyway, and a key by user cannot go wrong when the rule changes.

Imports go one way: services enqueue the rendering (``druck.tasks``), the task never imports services. What both
need - the data a document prints and the watermark - lives below them in ``druck.inhalt``.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from druck import inhalt
from druck.inhalt import daten_fuer, wasserzeichen_fuer
from druck.models import Druckstueck
from druck.tasks import druckstueck_erstellen


def dateiname_fuer(art, gegenstand):
    if art == Druckstueck.Art.VORLAGE:
        return inhalt.dateiname_vorlage(gegenstand)
    if art == Druckstueck.Art.BESCHLUSSAUSZUG:
        return inhalt.dateiname_beschlussauszug(gegenstand)
    praefix = {
        Druckstueck.Art.TAGESORDNUNG: "Tagesordnung",
        Druckstueck.Art.NIEDERSCHRIFT: "Niederschrift",
    }.get(art, "Sitzungsmappe")
    return inhalt.dateiname_sitzung(gegenstand, praefix)


def _sitzung_von(art, gegenstand):
    if art == Druckstueck.Art.VORLAGE:
        return None
    # The Beschlussauszug belongs to its TOP, and to the TOP's Sitzung like the other papers of a Sitzung.
    return gegenstand.sitzung if art == Druckstueck.Art.BESCHLUSSAUSZUG else gegenstand


@transaction.atomic
def _druckstueck_anlegen(*, art, gegenstand, benutzer, version, schluessel, dateiname):
    vorhanden = Druckstueck.objects.filter(schluessel=schluessel).first()
    if vorhanden is not None:
        return vorhanden, False
    druckstueck = Druckstueck(
        art=art,
        vorlage=gegenstand if art == Druckstueck.Art.VORLAGE else None,
        sitzung=_sitzung_von(art, gegenstand),
        tagesordnungspunkt=gegenstand if art == Druckstueck.Art.BESCHLUSSAUSZUG else None,
        benutzer=benutzer,
        inhaltsversion=version,
        schluessel=schluessel,
        dateiname=dateiname,
    )
    druckstueck.full_clean(exclude=["datei"])
    druckstueck.save()
    return druckstueck, True


def druckstueck_anfordern(*, art, gegenstand, user):
    """The record of the PDF ``user`` gets for ``gegenstand``; a new content version is queued for rendering.

    The caller has already looked ``gegenstand`` up through the rule. With the immediate backend (embedded mode,
    tests) the record comes back rendered; with a worker it comes back waiting, and the view says so.
    """
    daten = daten_fuer(art=art, gegenstand=gegenstand, user=user)
    if daten is None:
        raise Druckstueck.DoesNotExist
    benutzer, wasserzeichen = None, ""
    if user.is_authenticated and daten != daten_fuer(art=art, gegenstand=gegenstand, user=AnonymousUser()):
        benutzer, wasserzeichen = user, wasserzeichen_fuer(user)
    version = inhalt.inhaltsversion(daten, wasserzeichen)
    schluessel = f"{art}:{gegenstand.pk}:{benutzer.pk if benutzer else 'alle'}:{version}"
    try:
        druckstueck, neu = _druckstueck_anlegen(
            art=art,
            gegenstand=gegenstand,
            benutzer=benutzer,
            version=version,
            schluessel=schluessel,
            dateiname=dateiname_fuer(art, gegenstand),
        )
    except IntegrityError:
        # Two requests for the same new version at once: the other one queued it.
        druckstueck, neu = Druckstueck.objects.get(schluessel=schluessel), False
    if neu or _neuer_versuch_beanspruchen(druckstueck, zuruecksetzen=False):
        # Outside the transaction: a worker must find the committed record.
        druckstueck_erstellen.enqueue(druckstueck.pk)
        druckstueck.refresh_from_db()
    return druckstueck


def _neuer_versuch_beanspruchen(druckstueck, *, zuruecksetzen):
    """Sets a failed record waiting again; False if it is not due (or another request was quicker).

    One conditional UPDATE: of many requests at the moment a retry falls due, exactly one queues it.
    """
    felder = {"status": Druckstueck.Status.AUSSTEHEND, "fortschritt": 0, "naechster_versuch": None}
    if zuruecksetzen:
        felder.update(versuche=0, warnungen="")
        faellig = Druckstueck.objects.filter(pk=druckstueck.pk, status=Druckstueck.Status.FEHLER)
    else:
        if not druckstueck.wird_wiederholt or druckstueck.naechster_versuch > timezone.now():
            return False
        faellig = Druckstueck.objects.neuer_versuch_faellig(timezone.now()).filter(pk=druckstueck.pk)
    return faellig.update(**felder) == 1


def druckstueck_neu_erstellen(*, druckstueck):
    """A clerk's "neu erstellen": a failed PDF is built again at once, with a fresh count of attempts.

    Only a failed record: a finished one is current by its content version, and one waiting is on its way.
    """
    if not _neuer_versuch_beanspruchen(druckstueck, zuruecksetzen=True):
        raise ValidationError(
            "Nur ein PDF, dessen Erstellung fehlgeschlagen ist, kann neu erstellt werden.", code="nicht_fehlgeschlagen"
        )
    druckstueck_erstellen.enqueue(druckstueck.pk)
    druckstueck.refresh_from_db()
    return druckstueck
