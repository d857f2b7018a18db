"""A snapshot of what an installation holds, taken with whatever code is in the current folder.

Run by scripts/upgrade-pruefung once with the old code (before `migrate`) and once with the new code (after):

    cd <tree> && python <path>/upgrade_schnappschuss.py <out.json>

It uses only what every version of Ratsinfo has — the database's own tables, the models' get_absolute_url, the
storages of the file fields and the OParl API over Django's test client — so that moving a model to another app
(same table) or renaming Python modules does not change what it records. Keys are table names, not model labels,
for the same reason.
"""

import hashlib
import json
import os
import sys
from urllib.parse import urlsplit

# Tables whose rows an upgrade legitimately adds to (each new model brings permissions and a content type; each
# migration a row). For them the old rows must still be there; new ones may come.
WACHSEN_ERLAUBT = {"django_migrations", "auth_permission", "django_content_type", "auth_group_permissions"}


def _pruefsumme_datei(datei):
    summe = hashlib.sha256()
    for block in iter(lambda: datei.read(1 << 20), b""):
        summe.update(block)
    return summe.hexdigest()


def tabellen():
    from django.db import connection

    ergebnis = {}
    with connection.cursor() as cursor:
        for tabelle in sorted(connection.introspection.table_names(cursor)):
            if tabelle.startswith("sqlite_"):
                continue
            spalte = connection.introspection.get_primary_key_column(cursor, tabelle)
            name = connection.ops.quote_name(tabelle)
            if spalte:
                cursor.execute(f"SELECT {connection.ops.quote_name(spalte)} FROM {name}")
                schluessel = sorted(str(zeile[0]) for zeile in cursor.fetchall())
                ergebnis[tabelle] = {"anzahl": len(schluessel), "schluessel": schluessel}
            else:
                cursor.execute(f"SELECT COUNT(*) FROM {name}")
                ergebnis[tabelle] = {"anzahl": cursor.fetchone()[0], "schluessel": None}
    return ergebnis


def inhaltsarten():
    """Content types by id: generic relations (import origins, the admin's log) point to them by id."""
    from django.contrib.contenttypes.models import ContentType

    return {str(ct.pk): ct.model_class()._meta.db_table for ct in ContentType.objects.all() if ct.model_class()}


def adressen_und_dateien():
    """For every model row: its page's URL (where the model has one) and, for each file field, the stored name
    and the checksum of the file read through the field's storage."""
    from django.apps import apps
    from django.db import models

    adressen, dateien = {}, {}
    for modell in apps.get_models():
        felder = [f for f in modell._meta.concrete_fields if isinstance(f, models.FileField)]
        hat_adresse = hasattr(modell, "get_absolute_url")
        if not (felder or hat_adresse):
            continue
        tabelle = modell._meta.db_table
        for objekt in modell._base_manager.order_by("pk").iterator(chunk_size=2000):
            if hat_adresse:
                try:
                    adressen.setdefault(tabelle, {})[str(objekt.pk)] = objekt.get_absolute_url()
                except Exception as fehler:  # a row whose page cannot be named is itself a finding
                    adressen.setdefault(tabelle, {})[str(objekt.pk)] = f"FEHLER: {type(fehler).__name__}"
            for feld in felder:
                wert = getattr(objekt, feld.attname)
                if not wert:
                    continue
                try:
                    with feld.storage.open(str(wert), "rb") as datei:
                        summe = _pruefsumme_datei(datei)
                except OSError as fehler:
                    summe = f"FEHLT: {fehler}"
                dateien.setdefault(f"{tabelle}.{feld.column}", {})[str(objekt.pk)] = [str(wert), summe]
    return adressen, dateien


def oparl_ids():
    """Every id the public OParl API lists, per list, and the ids it lists as deleted (tombstones)."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")

    def holen(adresse):
        teile = urlsplit(adresse)
        antwort = client.get(teile.path + (f"?{teile.query}" if teile.query else ""))
        if antwort.status_code != 200:
            raise SystemExit(f"OParl: {adresse} antwortete {antwort.status_code}.")
        return antwort.json()

    system = holen("/oparl/v1.1/")
    koerperschaften = holen(system["body"])["data"]
    ergebnis = {"body": sorted(k["id"] for k in koerperschaften)}
    for koerperschaft in koerperschaften:
        for schluessel, wert in sorted(koerperschaft.items()):
            if not (isinstance(wert, str) and "/body/" in wert and schluessel not in {"id", "web", "system"}):
                continue
            for geloeschte in (False, True):
                adresse = wert + ("?modified_since=1900-01-01T00:00:00%2B00:00" if geloeschte else "")
                ids = []
                while adresse:
                    seite = holen(adresse)
                    ids.extend(o["id"] for o in seite["data"] if bool(o.get("deleted")) == geloeschte)
                    adresse = seite.get("links", {}).get("next")
                ergebnis[f"{schluessel}{' (deleted)' if geloeschte else ''}"] = sorted(ids)
    return ergebnis


def main(ziel):
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
    import django

    django.setup()
    adressen, dateien = adressen_und_dateien()
    schnappschuss = {
        "tabellen": tabellen(),
        "inhaltsarten": inhaltsarten(),
        "adressen": adressen,
        "dateien": dateien,
        "oparl": oparl_ids(),
    }
    with open(ziel, "w", encoding="utf-8") as datei:
        json.dump(schnappschuss, datei, indent=0, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
