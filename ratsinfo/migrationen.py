"""Pieces for the apps' migrations. Imports no app: migrations get their models from the historical registry."""

from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models.functions import Cast

from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN, ZEITPUNKT_BIS, ZEITPUNKT_MIN

HOECHSTENS_GENANNT = 50


def daten_ausserhalb_ablehnen(*felder):
    """A RunPython operation that stops ``migrate`` with a sentence naming every row whose value in one of
    ``felder`` (``(app_label, model_name, field_name)``) lies outside ``ratsinfo.datumsgrenzen``.

    Placed before the AddConstraint operations of a date-range CheckConstraint: on PostgreSQL that constraint
    would fail with a bare IntegrityError, and on SQLite the table rebuild would. The values are read as text,
    because a BC timestamp or one of year 10000 cannot be loaded into Python. ``CommandError`` makes ``migrate``
    print the sentence without a traceback and exit non-zero; the migration is atomic, so nothing has changed.
    """

    def pruefen(apps, schema_editor):
        alias = schema_editor.connection.alias
        quote = schema_editor.quote_name
        funde = []
        for app_label, model_name, feldname in felder:
            model = apps.get_model(app_label, model_name)
            feld = model._meta.get_field(feldname)
            if isinstance(feld, models.DateTimeField):
                ausserhalb = models.Q(**{f"{feldname}__lt": ZEITPUNKT_MIN}) | models.Q(
                    **{f"{feldname}__gte": ZEITPUNKT_BIS}
                )
            else:
                ausserhalb = models.Q(**{f"{feldname}__lt": DATUM_MIN}) | models.Q(**{f"{feldname}__gt": DATUM_MAX})
            zeilen = (
                model._base_manager.using(alias)
                .filter(ausserhalb)
                .order_by("pk")
                .values_list("pk", Cast(feldname, models.TextField()))
            )
            for pk, text in zeilen[:HOECHSTENS_GENANNT]:
                funde.append(
                    f"  - {model._meta.object_name} {pk}, {feld.verbose_name} = {text}: "
                    f"UPDATE {quote(model._meta.db_table)} SET {quote(feld.column)} = '…' "
                    f"WHERE {quote(model._meta.pk.column)} = {pk};"
                )
        if funde:
            raise CommandError(
                "Die Datenbank enthält Daten außerhalb von "
                f"{DATUM_MIN.year}–{DATUM_MAX.year}, die ab dieser Version nicht mehr gespeichert werden können. "
                "Die Migration hat nichts verändert. Bitte korrigieren Sie diese Werte (jeweils mit dem richtigen "
                "Datum statt …, z. B. in „manage.py dbshell“; das Admin kann solche Zeilen nicht öffnen) und rufen "
                "Sie „manage.py migrate“ erneut auf:\n" + "\n".join(funde)
            )

    return migrations.RunPython(pruefen, migrations.RunPython.noop, elidable=False)


def nur_postgresql(befehle):
    """A RunPython function that runs the SQL ``befehle`` on PostgreSQL and does nothing on SQLite (search vectors,
    their triggers and GIN indexes exist on PostgreSQL only)."""

    def ausfuehren(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for befehl in befehle:
                cursor.execute(befehl)

    return ausfuehren
