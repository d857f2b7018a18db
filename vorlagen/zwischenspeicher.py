"""Uploads kept while a clerk corrects an error elsewhere in the admin form, until the form is saved.

A browser never sends a file a second time: after any error on the page (a missing title, a wrong date) the file
input is empty again, and the clerk would have to find the file once more or, worse, not notice. So a file that
passed its checks is kept here, in a storage of its own (``STORAGES["zwischenspeicher"]``, a folder below the
data dir that no URL serves), and the form carries a signed token naming it (``vorlagen.forms``).

The token is bound to the clerk who uploaded the file and expires after a day: nobody can take over another
clerk's file, and a form left open over night does not bring back a file that was cleaned up meanwhile. Because
it is signed, the storage name inside it can be trusted.
"""

import contextlib
import datetime
import logging
import uuid

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from ratsinfo.objektspeicher import ObjektSpeicher

logger = logging.getLogger(__name__)

SALZ = "vorlagen.zwischenspeicher"
# How long a kept file and its token live; older files are removed whenever a new one is kept.
HOECHSTALTER = datetime.timedelta(days=1)


class ZwischenSpeicher(FileSystemStorage):
    """Local storage for kept uploads: like the Anlagen, without any address of its own."""

    def url(self, name):
        raise ValueError("Zwischengespeicherte Uploads haben keine Adresse.")


class ZwischenObjektSpeicher(ObjektSpeicher):
    """Kept uploads in the bucket (RATSINFO_SPEICHER=s3): the clerk's next request may reach another machine."""


class BehalteneDatei(UploadedFile):
    """A kept file, handed to the form as if it had just been uploaded, so every check runs on it again."""

    def __init__(self, geoeffnet, *, dateiname, ablage_name, marke):
        super().__init__(file=geoeffnet, name=dateiname, content_type=None, size=geoeffnet.size, charset=None)
        self.ablage_name = ablage_name
        self.marke = marke


def speicher():
    return storages["zwischenspeicher"]


def ablegen(datei, *, benutzer):
    """Keep an uploaded file that passed its checks; the token for the form's hidden field."""
    aufraeumen()
    datei.seek(0)
    # Wrapped in a plain File: the storage would otherwise move a large upload's temporary file away from under
    # the request, which still holds it.
    name = speicher().save(f"{uuid.uuid4().hex}.upload", File(datei, name=datei.name))
    datei.seek(0)
    return signing.dumps({"name": name, "dateiname": datei.name, "benutzer": benutzer.pk}, salt=SALZ)


def _lesen(marke, benutzer):
    try:
        inhalt = signing.loads(marke, salt=SALZ, max_age=HOECHSTALTER)
    except signing.SignatureExpired as fehler:
        raise ValidationError(
            _("Die zuvor ausgewählte Datei wurde nach einem Tag verworfen. Bitte wählen Sie sie erneut aus."),
            code="abgelaufen",
        ) from fehler
    except signing.BadSignature as fehler:
        logger.warning("Verfälschte Marke einer zwischengespeicherten Datei von Benutzer %s", benutzer.pk)
        raise _ungueltig() from fehler
    if not isinstance(inhalt, dict) or inhalt.get("benutzer") != benutzer.pk:
        logger.warning("Marke einer zwischengespeicherten Datei eines anderen Benutzers von Benutzer %s", benutzer.pk)
        raise _ungueltig()
    return inhalt


def _ungueltig():
    return ValidationError(
        _(
            "Die zuvor ausgewählte Datei kann nicht übernommen werden, weil die Angabe dazu im Formular ungültig "
            "ist. Bitte wählen Sie die Datei erneut aus."
        ),
        code="ungueltig",
    )


def holen(marke, *, benutzer):
    """The kept file a token names, as an upload; a ``ValidationError`` with the reason if it cannot be used."""
    inhalt = _lesen(marke, benutzer)
    try:
        geoeffnet = speicher().open(inhalt["name"])
    except OSError as fehler:
        raise ValidationError(
            _("Die zuvor ausgewählte Datei ist nicht mehr vorhanden. Bitte wählen Sie sie erneut aus."),
            code="fehlt",
        ) from fehler
    return BehalteneDatei(geoeffnet, dateiname=inhalt["dateiname"], ablage_name=inhalt["name"], marke=marke)


def verwerfen(marke, *, benutzer):
    """Remove the file a token names (the clerk chose another one); a token that is not valid is left alone."""
    with contextlib.suppress(ValidationError):
        entfernen(_lesen(marke, benutzer)["name"])


def entfernen(name):
    try:
        speicher().delete(name)
    except OSError:
        logger.exception("Zwischengespeicherte Datei %s konnte nicht gelöscht werden", name)


def aufraeumen():
    """Remove kept files older than a day (their tokens have expired); the number removed."""
    ablage = speicher()
    try:
        _, namen = ablage.listdir("")
    except FileNotFoundError:
        return 0
    grenze = timezone.now() - HOECHSTALTER
    entfernt = 0
    for name in namen:
        # Another process may be removing the same file at the same moment.
        with contextlib.suppress(OSError):
            if ablage.get_modified_time(name) < grenze:
                ablage.delete(name)
                entfernt += 1
    return entfernt
