"""The worker's part of the outbox (``manage.py db_worker`` in production, immediately in the embedded mode)."""

from django.tasks import default_task_backend, task

from post.models import Nachricht
from post.versand import senden


@task
def nachrichten_senden(ids):
    gesendet, fehlgeschlagen, wartend = senden(ids=ids)
    if wartend and default_task_backend.supports_defer:
        # A worker that can wait (the database backend) gets the retry queued for its time; otherwise
        # ``manage.py post_senden``, run every minute, picks it up.
        offen = Nachricht.objects.filter(pk__in=ids, status=Nachricht.Status.WARTEND, naechster_versuch__isnull=False)
        naechste = offen.order_by("naechster_versuch").values_list("naechster_versuch", flat=True).first()
        if naechste:
            nachrichten_senden.using(run_after=naechste).enqueue(list(offen.values_list("pk", flat=True)))
    return {"gesendet": gesendet, "fehlgeschlagen": fehlgeschlagen, "wartend": wartend}
