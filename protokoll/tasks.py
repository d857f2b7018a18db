"""Background work on Sitzungsdokumente through Django's tasks framework (immediately in the embedded mode).

The text is read as an Anlage's is (``vorlagen.textextraktion``); a Sitzungsdokument keeps it in one field, its
pages separated by form feeds, since the search names the document, not a page. As in ``vorlagen.tasks``, the
services enqueue the task and this module never imports them.
"""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from protokoll.models import Sitzungsdokument
from vorlagen.textextraktion import datei_lesen


@task
def sitzungsdokument_text_lesen(dokument_id):
    """Background work after an upload: read the document's text for the search."""
    sitzungsdokument_text_aktualisieren(dokument_id=dokument_id)


@transaction.atomic
def sitzungsdokument_text_aktualisieren(*, dokument_id: int) -> Sitzungsdokument | None:
    """Read the file of a Sitzungsdokument and store its text (replacing what was there)."""
    dokument = Sitzungsdokument.objects.select_for_update().filter(pk=dokument_id).first()
    if dokument is None:  # deleted before the worker got to it
        return None
    ergebnis = datei_lesen(dokument.datei, dokument.mime_typ)
    dokument.text = "\f".join(ergebnis.seiten)
    dokument.textstatus = ergebnis.status
    dokument.seitenzahl = len(ergebnis.seiten)
    dokument.text_gelesen_am = timezone.now()
    # Only these fields: a clerk may be editing the document's title meanwhile.
    dokument.save(update_fields=["text", "textstatus", "seitenzahl", "text_gelesen_am"])
    return dokument
