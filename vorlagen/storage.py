import contextlib
import contextvars
import logging

from django.core.files.storage import FileSystemStorage

from ratsinfo.objektspeicher import ObjektSpeicher

logger = logging.getLogger(__name__)

# The files written during the current dateien_zuruecknehmen_bei_fehler() block, as (storage, name) pairs.
_geschrieben = contextvars.ContextVar("anlagen_geschrieben", default=None)


class _AnlagenAblage:
    """What every storage of Anlagen does, on disk or in the bucket: no address, and taking back on error.

    A file of a non-public Anlage must never be reachable under a public URL, so the storage refuses to make
    one: every file is served by the download view, which asks the visibility rule first.
    """

    def save(self, name, content, max_length=None):
        name = super().save(name, content, max_length=max_length)
        geschrieben = _geschrieben.get()
        if geschrieben is not None:
            geschrieben.append((self, name))
        return name

    def url(self, name, *args, **kwargs):
        raise ValueError("Anlagen haben keine eigene Adresse; sie werden nur über die Download-Ansicht ausgeliefert.")


class AnlagenSpeicher(_AnlagenAblage, FileSystemStorage):
    """Anlagen in a local folder (the embedded default)."""

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError:
            # A full disk leaves the file half written under its final name; nothing may refer to it.
            with contextlib.suppress(OSError):
                if self.exists(name):
                    self.delete(name)
            raise


class AnlagenObjektSpeicher(_AnlagenAblage, ObjektSpeicher):
    """Anlagen in the bucket (RATSINFO_SPEICHER=s3). A PUT stores the whole object or none, so a failed upload
    leaves nothing half written; files of the request written before the failure go as on disk."""


@contextlib.contextmanager
def dateien_zuruecknehmen_bei_fehler():
    """Delete the Anlage files written inside the block when it ends in an exception.

    The database rolls back its rows on an error, the storage does not: without this, an upload that broke off
    after its first file (disk full at the second) would leave that first file behind with no row pointing to it.
    """
    geschrieben = []
    token = _geschrieben.set(geschrieben)
    try:
        yield geschrieben
    except BaseException:
        for storage, name in geschrieben:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Anlage %s konnte nach dem Fehler nicht wieder gelöscht werden", name)
        raise
    finally:
        _geschrieben.reset(token)
