"""Background work on Anlagen through Django's tasks framework (immediately in the embedded mode).

Imports go one way: ``vorlagen.services`` enqueues these tasks (``anlage_text_anstossen``) and re-exports the work,
so this module never imports the services - the same rule as ``druck.tasks``. The work itself (reading a file's
text into its pages) lives here, beside the task that runs it.
"""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from vorlagen.models import Anlage, AnlageSeite
from vorlagen.textextraktion import datei_lesen


@task
def anlage_text_lesen(anlage_id):
    """Background work after an upload: read the Anlage's text into its pages for the search."""
    anlage_text_aktualisieren(anlage_id=anlage_id)


@transaction.atomic
def anlage_text_aktualisieren(*, anlage_id: int) -> Anlage | None:
    """Read the file of an Anlage and store its text page by page (replacing what was there)."""
    anlage = Anlage.objects.select_for_update().filter(pk=anlage_id).first()
    if anlage is None:  # deleted before the worker got to it
        return None
    ergebnis = datei_lesen(anlage.datei, anlage.mime_typ)
    seiten = [AnlageSeite(anlage=anlage, nummer=nummer, text=text) for nummer, text in enumerate(ergebnis.seiten, 1)]
    for seite in seiten:
        seite.full_clean(exclude=["anlage"], validate_constraints=False)
    anlage.seiten.all().delete()
    AnlageSeite.objects.bulk_create(seiten)
    anlage.textstatus = ergebnis.status
    anlage.seitenzahl = len(seiten)
    anlage.text_gelesen_am = timezone.now()
    # Only these fields: a clerk may be editing the Anlage's title meanwhile.
    anlage.save(update_fields=["textstatus", "seitenzahl", "text_gelesen_am"])
    return anlage
