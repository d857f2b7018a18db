"""Writes of the outbox: putting messages in (``einreihen``), sending failed ones again, forgetting an address.

Callers render the text themselves and pass it in; the outbox stores exactly what goes out. Sending happens in the
worker: ``einreihen`` hands the new ids to the task after the transaction commits, so a rolled-back Einladung never
leaves a mail behind.
"""

from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from post.models import Nachricht
from post.tasks import nachrichten_senden
from post.versand import STAPEL


def _domain():
    _, _, domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")
    return domain.strip(">").strip() or "localhost"


def nachricht_bauen(*, art, adresse, betreff, text, html="", empfaenger=None, kopfzeilen=None):
    """An unsaved, checked Nachricht (a ValidationError names a bad address or an over-long subject)."""
    nachricht = Nachricht(
        art=art,
        adresse=adresse,
        betreff=" ".join(betreff.split())[:300],
        text=text,
        html=html,
        empfaenger=empfaenger,
        kopfzeilen=kopfzeilen or {},
        message_id=make_msgid(domain=_domain()),
    )
    nachricht.full_clean(validate_unique=False, validate_constraints=False)
    return nachricht


@transaction.atomic
def einreihen(*, nachrichten):
    """Store ``nachrichten`` (from ``nachricht_bauen``) and have the worker send them once the transaction commits."""
    gespeichert = Nachricht.objects.bulk_create(nachrichten, batch_size=500)
    ids = [nachricht.pk for nachricht in gespeichert]
    transaction.on_commit(lambda: versand_anstossen(ids))
    return gespeichert


def versand_anstossen(ids):
    for anfang in range(0, len(ids), STAPEL):
        nachrichten_senden.enqueue(ids[anfang : anfang + STAPEL])


@transaction.atomic
def erneut_senden(*, nachrichten):
    """The clerk's "send again" for failed messages: they wait for the worker as if new."""
    ids = [nachricht.pk for nachricht in nachrichten if nachricht.status == Nachricht.Status.FEHLGESCHLAGEN]
    Nachricht.objects.filter(pk__in=ids).update(
        status=Nachricht.Status.WARTEND, naechster_versuch=None, geaendert_am=timezone.now()
    )
    transaction.on_commit(lambda: versand_anstossen(ids))
    return len(ids)


@transaction.atomic
def adresse_vergessen(*, adresse, arten):
    """DSGVO: delete the messages of ``arten`` to ``adresse`` (a citizen's digests once she unsubscribes).
    Einladungen are kept: they are the proof of the Einberufung."""
    return Nachricht.objects.filter(adresse__iexact=adresse, art__in=arten).delete()[0]
