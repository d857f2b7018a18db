"""The bucket of an S3-compatible object store (MinIO, Ceph RGW, AWS S3 …) as a Django storage, through django-storages.

Loaded only with ``RATSINFO_SPEICHER=s3`` (ratsinfo.speicher). Every object is private: the storage refuses
``url()`` like the local storages do, so nothing gets a public address; the download views apply the visibility
rule and then stream the object or, where configured, redirect to a presigned address made only after that.

Whatever the store answers that means "not reachable now" (no connection, a timeout, 5xx, SlowDown) becomes
``SpeicherNichtErreichbar``, an ``OSError``: the upload shows its message, the download answers 503, the PDF
task retries.
"""

import functools

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from ratsinfo.speicher import SpeicherNichtErreichbar

# Answers of the store that say "try again later", not "this request is wrong".
VORUEBERGEHEND = {"500", "502", "503", "504", "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout"}


def ist_voruebergehend(fehler):
    if isinstance(fehler, BotoCoreError):
        # Connection refused, DNS, timeouts, a connection closed midway: the store is not reachable.
        return True
    if isinstance(fehler, ClientError):
        antwort = fehler.response
        code = str(antwort.get("Error", {}).get("Code", ""))
        status = str(antwort.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
        return code in VORUEBERGEHEND or status in VORUEBERGEHEND
    return False


def _uebersetzt(methode):
    @functools.wraps(methode)
    def aufruf(self, *args, **kwargs):
        try:
            return methode(self, *args, **kwargs)
        except (BotoCoreError, ClientError) as fehler:
            if ist_voruebergehend(fehler):
                raise SpeicherNichtErreichbar(f"Objektspeicher nicht erreichbar: {fehler}") from fehler
            raise

    return aufruf


class ObjektSpeicher(S3Storage):
    """Private objects below one prefix of the bucket, without any address of their own."""

    ist_objektspeicher = True
    # Never overwrite: two uploads of the same name get two objects, as on disk.
    file_overwrite = False
    default_acl = "private"
    querystring_auth = True

    def get_default_settings(self):
        return {**super().get_default_settings(), "file_overwrite": False, "default_acl": "private"}

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Dateien im Objektspeicher haben keine öffentliche Adresse.")

    @_uebersetzt
    def signierte_adresse(self, name, *, sekunden, dateiname, mime_typ):
        """A presigned GET address valid for ``sekunden``: only for a view that has asked the rule first."""
        from django.utils.http import content_disposition_header

        parameter = {
            "ResponseContentType": mime_typ,
            "ResponseContentDisposition": content_disposition_header(False, dateiname),
            "ResponseCacheControl": "private, no-store",
        }
        return super().url(name, parameters=parameter, expire=sekunden)

    @_uebersetzt
    def zum_senden_oeffnen(self, name):
        """The object's body as a stream and its size; one GET, no HEAD before it."""
        schluessel = self._normalize_name(clean_name(name))
        try:
            antwort = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=schluessel)
        except ClientError as fehler:
            if fehler.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(f"Die Datei {name} ist nicht im Objektspeicher.") from None
            raise
        return _Strom(antwort["Body"]), antwort["ContentLength"]

    @_uebersetzt
    def _open(self, name, mode="rb"):
        datei = super()._open(name, mode)
        if "r" in mode:
            # S3File fetches on the first read; fetched here, a missing or unreachable object fails at open().
            try:
                datei.file  # noqa: B018
            except ClientError as fehler:
                if fehler.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                    raise FileNotFoundError(f"Die Datei {name} ist nicht im Objektspeicher.") from None
                raise
        return datei

    _save = _uebersetzt(S3Storage._save)
    delete = _uebersetzt(S3Storage.delete)
    exists = _uebersetzt(S3Storage.exists)
    listdir = _uebersetzt(S3Storage.listdir)
    size = _uebersetzt(S3Storage.size)
    get_modified_time = _uebersetzt(S3Storage.get_modified_time)

    @_uebersetzt
    def pruefsumme(self, name):
        """The sha256 of the stored object, read back from the store (not its ETag, which is no sha256)."""
        import hashlib

        strom, _groesse = self.zum_senden_oeffnen(name)
        summe = hashlib.sha256()
        try:
            while block := strom.read(1024 * 1024):
                summe.update(block)
        finally:
            strom.close()
        return summe.hexdigest()


class _Strom:
    """The body of a GET as a file for ``FileResponse``: read errors midway become ``SpeicherNichtErreichbar``."""

    def __init__(self, body):
        self.body = body

    def read(self, anzahl=-1):
        try:
            return self.body.read(None if anzahl is None or anzahl < 0 else anzahl)
        except (BotoCoreError, ClientError, OSError) as fehler:
            raise SpeicherNichtErreichbar(f"Objektspeicher brach beim Lesen ab: {fehler}") from fehler

    def close(self):
        self.body.close()
