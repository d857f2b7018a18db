"""What the importer adds to our OParl API: the files it knows only by their metadata (no stored copy).

Served so that a mirror of our API loses nothing, with accessUrl and downloadUrl pointing to the original: in the
Body's ``file`` list, at ``/oparl/v1.1/originaldatei/<pk>`` and embedded in their Paper. ``oparl`` sits below
``oparlimport`` and does not know ``Datei``; ``OparlimportConfig.ready()`` enters these through ``oparl``'s
extension point (``typ_eintragen``, ``dateiquelle_eintragen``), so ids and URLs are the same as before.
"""

from django.db.models import F, Prefetch

from oparl.abbildung import (
    OEFFENTLICHKEIT,
    Dateiquelle,
    Typ,
    dateiquelle_eintragen,
    kopf,
    ohne_leere,
    oparl_url,
    typ_eintragen,
)
from oparlimport.models import Datei


def originaldateien():
    return Datei.objects.sichtbar_fuer(OEFFENTLICHKEIT).annotate(oparl_geaendert=F("geaendert_am"))


def originaldatei_json(datei, eingebettet=False):
    return ohne_leere(
        {
            **kopf("File", "originaldatei", datei.pk, datei),
            "name": datei.name or datei.dateiname or "Datei",
            "fileName": datei.dateiname,
            "mimeType": datei.mime_typ,
            "date": datei.datum.isoformat() if datei.datum else None,
            "size": datei.groesse,
            "accessUrl": datei.access_url or datei.download_url,
            "downloadUrl": datei.download_url,
            "paper": None if eingebettet or not datei.vorlage_id else [oparl_url("paper", pk=datei.vorlage_id)],
            "meeting": None if eingebettet or not datei.sitzung_id else [oparl_url("meeting", pk=datei.sitzung_id)],
        }
    )


def _vorlagen_prefetch():
    return Prefetch(
        "oparl_dateien",
        queryset=Datei.objects.sichtbar_fuer(OEFFENTLICHKEIT).order_by("reihenfolge", "pk"),
        to_attr="oparl_originale",
    )


ORIGINALDATEI = Typ("originaldatei", "File", originaldateien, originaldatei_json)
VORLAGEN_ORIGINALE = Dateiquelle(
    prefetch=_vorlagen_prefetch,
    attribut="oparl_originale",
    json=originaldatei_json,
    ist_hauptdatei=lambda datei: datei.rolle == "mainFile",
)


def eintragen():
    typ_eintragen(ORIGINALDATEI, liste="file")
    dateiquelle_eintragen(VORLAGEN_ORIGINALE)
