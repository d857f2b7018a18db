"""Sending what the outbox holds: the worker's task (``post.tasks``) and ``manage.py post_senden`` call it.

A batch goes over one SMTP connection, in a fixed number of queries: taking the messages, and recording every
result. An answer that may change by waiting (4xx, a refused or lost connection) leaves the message ``wartend``
with its next attempt; a 5xx answer, or the last attempt, marks it ``fehlgeschlagen``.
"""

import contextlib
import datetime
import logging
import smtplib

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from post.models import Nachricht

logger = logging.getLogger(__name__)

STAPEL = 200
MAX_VERSUCHE = 8
ERSTE_PAUSE = datetime.timedelta(minutes=1)
LAENGSTE_PAUSE = datetime.timedelta(hours=6)
# A worker that took a message and did not finish within this time was killed: the message is sent again.
HAENGEND_NACH = datetime.timedelta(minutes=15)


def pause_nach(versuche):
    """1, 4, 16, 64, 256 minutes … after the first, second … failed attempt, never longer than six hours."""
    return min(ERSTE_PAUSE * 4 ** (versuche - 1), LAENGSTE_PAUSE)


def _email(nachricht):
    kopfzeilen = {"Message-ID": nachricht.message_id, "Auto-Submitted": "auto-generated", **nachricht.kopfzeilen}
    email = mail.EmailMultiAlternatives(
        subject=nachricht.betreff,
        body=nachricht.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[nachricht.adresse],
        headers=kopfzeilen,
    )
    if nachricht.html:
        email.attach_alternative(nachricht.html, "text/html")
    return email


def _dauerhaft_abgelehnt(fehler):
    """A 5xx answer will not change by waiting (unknown mailbox, refused content); everything else may."""
    if isinstance(fehler, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in fehler.recipients.values())
    if isinstance(fehler, smtplib.SMTPResponseException):
        return 500 <= fehler.smtp_code < 600
    return False


def _fehlertext(fehler):
    if isinstance(fehler, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {antwort.decode('utf-8', 'replace') if isinstance(antwort, bytes) else antwort}"
            for code, antwort in fehler.recipients.values()
        )
    if isinstance(fehler, smtplib.SMTPResponseException):
        antwort = fehler.smtp_error
        return f"{fehler.smtp_code} {antwort.decode('utf-8', 'replace') if isinstance(antwort, bytes) else antwort}"
    return f"{type(fehler).__name__}: {fehler}"


def _fehlschlag(nachricht, fehler, jetzt, dauerhaft):
    nachricht.versuche += 1
    nachricht.antwort = _fehlertext(fehler)[:2000]
    if dauerhaft or nachricht.versuche >= MAX_VERSUCHE:
        nachricht.status = Nachricht.Status.FEHLGESCHLAGEN
        nachricht.naechster_versuch = None
    else:
        nachricht.status = Nachricht.Status.WARTEND
        nachricht.naechster_versuch = jetzt + pause_nach(nachricht.versuche)


def _uebernehmen(ids, jetzt):
    """Take the due messages among ``ids`` for this worker; on PostgreSQL two workers never take the same one."""
    with transaction.atomic():
        frei = Nachricht.objects.faellig(jetzt).filter(pk__in=ids).select_for_update(skip_locked=True)
        genommen = list(frei.values_list("pk", flat=True))
        Nachricht.objects.filter(pk__in=genommen).update(status=Nachricht.Status.IN_ARBEIT, geaendert_am=jetzt)
    return list(Nachricht.objects.filter(pk__in=genommen).order_by("pk"))


def senden(*, ids, jetzt=None):
    """Send the due messages among ``ids`` over one connection; returns ``(gesendet, fehlgeschlagen, wartend)``.

    Two writes per batch, whatever its size: taking the messages, and recording every result.
    """
    jetzt = jetzt or timezone.now()
    nachrichten = _uebernehmen(ids, jetzt)
    if not nachrichten:
        return 0, 0, 0
    verbindung = mail.mailers.default
    try:
        verbindung.open()
    except (OSError, smtplib.SMTPException) as fehler:
        logger.warning("Mailserver nicht erreichbar: %s", fehler)
        for nachricht in nachrichten:
            _fehlschlag(nachricht, fehler, jetzt, dauerhaft=False)
    else:
        try:
            for nummer, nachricht in enumerate(nachrichten):
                email = _email(nachricht)
                try:
                    verbindung.send_messages([email])
                except smtplib.SMTPException as fehler:
                    if isinstance(fehler, smtplib.SMTPServerDisconnected):
                        _verbindung_weg(nachrichten[nummer:], fehler, jetzt)
                        break
                    _fehlschlag(nachricht, fehler, jetzt, dauerhaft=_dauerhaft_abgelehnt(fehler))
                    if verbindung.connection:
                        _zuruecksetzen(verbindung)
                except OSError as fehler:
                    # smtplib's errors are OSErrors too; what is left is the network: the connection is gone.
                    _verbindung_weg(nachrichten[nummer:], fehler, jetzt)
                    break
                else:
                    nachricht.status = Nachricht.Status.GESENDET
                    nachricht.versuche += 1
                    nachricht.gesendet_am = timezone.now()
                    nachricht.naechster_versuch = None
                    nachricht.antwort = getattr(email, "smtp_antwort", "")[:2000]
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                verbindung.close()
    for nachricht in nachrichten:
        nachricht.geaendert_am = timezone.now()
    Nachricht.objects.bulk_update(
        nachrichten, ["status", "versuche", "gesendet_am", "naechster_versuch", "antwort", "geaendert_am"]
    )
    zaehlung = dict.fromkeys(Nachricht.Status, 0)
    for nachricht in nachrichten:
        zaehlung[nachricht.status] += 1
    return (
        zaehlung[Nachricht.Status.GESENDET],
        zaehlung[Nachricht.Status.FEHLGESCHLAGEN],
        zaehlung[Nachricht.Status.WARTEND],
    )


def _verbindung_weg(nachrichten, fehler, jetzt):
    """This and every later message of the batch wait for the next attempt."""
    for nachricht in nachrichten:
        _fehlschlag(nachricht, fehler, jetzt, dauerhaft=False)


def _zuruecksetzen(verbindung):
    with contextlib.suppress(OSError, smtplib.SMTPException):
        verbindung.connection.rset()


def faellige_senden(*, jetzt=None):
    """Send everything due, and what a killed worker left half done; returns the totals like ``senden``."""
    jetzt = jetzt or timezone.now()
    Nachricht.objects.haengend(jetzt - HAENGEND_NACH).update(status=Nachricht.Status.WARTEND, geaendert_am=jetzt)
    summe = [0, 0, 0]
    letzte = 0
    while True:
        ids = list(
            Nachricht.objects.faellig(jetzt).filter(pk__gt=letzte).order_by("pk").values_list("pk", flat=True)[:STAPEL]
        )
        if not ids:
            return tuple(summe)
        letzte = ids[-1]
        for stelle, anzahl in enumerate(senden(ids=ids, jetzt=jetzt)):
            summe[stelle] += anzahl
