"""The opening last proposed from the record (protokoll.services.niederschrift_entwerfen).

SQLite adds a NOT NULL column by copying the table, and the copy loses the table's triggers: the rule "genehmigt
only in a later Sitzung" of 0002 is laid again afterwards (and again after the column is removed, going back).
"""

import importlib

from django.db import migrations, models

integritaet = importlib.import_module("protokoll.migrations.0002_integritaet")
TABELLE = "protokoll_niederschrift"


def niederschrift_regeln_anlegen(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL alters the table in place; its trigger stays.
    for name, tabelle, bedingung, meldung in integritaet.REGELN:
        if tabelle != TABELLE:
            continue
        for ereignis in ("INSERT", "UPDATE"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{ereignis.lower()}")
            schema_editor.execute(
                f"CREATE TRIGGER {name}_{ereignis.lower()} BEFORE {ereignis} ON {tabelle} "
                f"WHEN EXISTS ({bedingung}) BEGIN SELECT RAISE(ABORT, '{meldung}'); END"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("protokoll", "0002_integritaet"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, niederschrift_regeln_anlegen, elidable=False),
        migrations.AddField(
            model_name="niederschrift",
            name="einleitung_vorschlag",
            field=models.TextField(blank=True, editable=False, verbose_name="Vorschlag der Eröffnung"),
        ),
        migrations.RunPython(niederschrift_regeln_anlegen, migrations.RunPython.noop, elidable=False),
    ]
