"""Where the files live: local folders (the embedded default) or an S3-compatible bucket (``RATSINFO_SPEICHER=s3``).

Every file field of the project names its storage by a callable that returns ``storages[alias]``
(``vorlagen.models.anlagen_storage``, ``druck.models.druck_storage``), and settings.py builds each alias of
``STORAGES`` with ``dateiablage()`` below: one setting decides for all of them whether the alias is a folder or a
prefix in the bucket. A new kind of file joins by the same two steps (docs/betrieb.md, "Dateien im Objektspeicher").

settings.py imports this module, so it imports nothing of Django at the top; the bucket's storage classes live in
``ratsinfo.objektspeicher``.
"""

LOKAL = "lokal"
S3 = "s3"
ARTEN = (LOKAL, S3)


class SpeicherNichtErreichbar(OSError):
    """The object store did not answer (connection refused, timeout, 5xx): temporary, never the file's fault.

    An ``OSError``, so every place that already turns a failing disk into a message (the Anlage upload in the
    admin, the retried PDF task) treats an unreachable bucket the same way.
    """


def dateiablage(alias, *, art, lokal_backend, ordner, s3_backend, s3_optionen):
    """The ``STORAGES`` entry of ``alias``: ``lokal_backend`` in ``ordner`` or ``s3_backend`` below the prefix."""
    if art == S3:
        praefix = s3_optionen.get("location", "").strip("/")
        return {
            "BACKEND": s3_backend,
            "OPTIONS": {**s3_optionen, "location": f"{praefix}/{alias}" if praefix else alias},
        }
    return {"BACKEND": lokal_backend, "OPTIONS": {"location": ordner}}


def dateifelder(models):
    """Every ``FileField`` of ``models`` with the ``STORAGES`` alias its storage callable names.

    Read before anything replaces a field's storage (the tests point them at a temporary folder or the test
    bucket): the field resolved its callable at import, so the same instance as ``storages[alias]`` means that alias.
    """
    from django.conf import settings
    from django.core.files.storage import storages
    from django.db.models import FileField

    nach_instanz = {id(storages[alias]): alias for alias in settings.STORAGES if alias != "staticfiles"}
    felder = []
    for model in models:
        for feld in model._meta.get_fields():
            if isinstance(feld, FileField) and getattr(feld, "_storage_callable", None) is not None:
                alias = nach_instanz.get(id(feld.storage))
                if alias is not None:
                    felder.append((feld, alias))
    return felder


def ist_objektspeicher(storage):
    return getattr(storage, "ist_objektspeicher", False)


def zum_senden_oeffnen(datei):
    """The stored file of a ``FieldFile`` opened for a response: ``(lesbares Objekt, Größe)``.

    Raises ``FileNotFoundError`` when the file is missing and ``SpeicherNichtErreichbar`` when the bucket does not
    answer; the bucket's object is streamed as it arrives, not first copied to the web machine.
    """
    storage = datei.storage
    if ist_objektspeicher(storage):
        return storage.zum_senden_oeffnen(datei.name)
    geoeffnet = storage.open(datei.name, "rb")
    return geoeffnet, geoeffnet.size


def datei_antwort(datei, *, mime_typ, dateiname):
    """The answer that sends a stored file, for a view that has applied the visibility rule already.

    From the bucket with ``RATSINFO_S3_SIGNIERTE_ADRESSE_SEKUNDEN`` set: a redirect to a presigned address, made
    only now and never cached publicly. Otherwise the file streamed through this process. ``FileNotFoundError``
    when it is missing, ``SpeicherNichtErreichbar`` when the bucket does not answer (the middleware makes a 503).
    """
    from django.conf import settings
    from django.http import FileResponse, HttpResponseRedirect
    from django.utils.cache import patch_cache_control

    storage = datei.storage
    sekunden = settings.RATSINFO_S3_SIGNIERTE_ADRESSE_SEKUNDEN
    if ist_objektspeicher(storage) and sekunden > 0:
        if not storage.exists(datei.name):
            raise FileNotFoundError(datei.name)
        antwort = HttpResponseRedirect(
            storage.signierte_adresse(datei.name, sekunden=sekunden, dateiname=dateiname, mime_typ=mime_typ)
        )
        # The address is a key for everyone who holds it: only for this requester, never kept by a cache.
        patch_cache_control(antwort, private=True, no_store=True)
        return antwort
    strom, groesse = zum_senden_oeffnen(datei)
    antwort = FileResponse(strom, content_type=mime_typ, filename=dateiname)
    antwort["Content-Length"] = str(groesse)
    return antwort
