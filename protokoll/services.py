"""Writes with side effects on the record of a Sitzung. Keyword-only, atomic, validating first."""

from django.db import transaction

from protokoll.models import Sitzungsdokument

# Re-exported: the demo data and callers outside the worker read a text at once.
from protokoll.tasks import sitzungsdokument_text_aktualisieren as sitzungsdokument_text_aktualisieren
from protokoll.tasks import sitzungsdokument_text_lesen
from vorlagen.models import Anlage
from vorlagen.storage import dateien_zuruecknehmen_bei_fehler


def sitzungsdokument_text_anstossen(*, dokument: Sitzungsdokument) -> None:
    """Mark the document's text as pending and read it in the background once the upload is committed.

    Called by the write paths that store a file (the Sitzung admin's documents, ``sitzungsdokument_ablegen``).
    """
    Sitzungsdokument.objects.filter(pk=dokument.pk).update(textstatus=Anlage.Textstatus.AUSSTEHEND)
    dokument.textstatus = Anlage.Textstatus.AUSSTEHEND
    transaction.on_commit(lambda: sitzungsdokument_text_lesen.enqueue(dokument.pk))


def sitzungsdokument_ablegen(
    *, sitzung, art: str, titel: str, datei, oeffentlich: bool = True, reihenfolge: int = 1
) -> Sitzungsdokument:
    """Store a new document of ``sitzung``: checked like an Anlage's upload, its text read after the commit.

    A storage error rolls back the row and removes the file written (``dateien_zuruecknehmen_bei_fehler``).
    """
    with dateien_zuruecknehmen_bei_fehler(), transaction.atomic():
        dokument = Sitzungsdokument(
            sitzung=sitzung, art=art, titel=titel, datei=datei, oeffentlich=oeffentlich, reihenfolge=reihenfolge
        )
        dokument.full_clean()
        dokument.save()
        sitzungsdokument_text_anstossen(dokument=dokument)
    return dokument
