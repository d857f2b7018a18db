"""What the importer adds to the Vorlage and Sitzung pages: the files it knows only by their metadata.

Without a stored copy there is nothing for us to serve, so the Anlagen section links the original (accessUrl, else
downloadUrl) and a reader, like a mirror of our API, loses nothing. ``vorlagen`` and ``sitzungen`` sit below
``oparlimport``; ``OparlimportConfig.ready()`` enters the providers through ``vorlagen.weitere_dateien``.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext

from oparlimport.models import Datei
from vorlagen.weitere_dateien import SITZUNG, VORLAGE, Anbieter, WeitereDatei, anbieter_eintragen

ATTRIBUT = "dateien_beim_original"


def _prefetch(user):
    # The same rule as the API's (Datei.objects.sichtbar_fuer), for the visitor of this page.
    return Prefetch(
        "oparl_dateien", queryset=Datei.objects.sichtbar_fuer(user).order_by("reihenfolge", "pk"), to_attr=ATTRIBUT
    )


def _datei(datei):
    return WeitereDatei(
        name=datei.name or datei.dateiname or gettext("Datei"), url=datei.access_url or datei.download_url
    )


ORIGINALE = Anbieter(prefetch=_prefetch, attribut=ATTRIBUT, datei=_datei)


def eintragen():
    anbieter_eintragen(ORIGINALE, fuer=VORLAGE)
    anbieter_eintragen(ORIGINALE, fuer=SITZUNG)
