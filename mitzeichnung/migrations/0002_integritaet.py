"""A step decided once stays as decided, kept by the database itself.

* An UPDATE of a decided step (zugestimmt, zugestimmt mit Anmerkung, Einspruch) may not change its status, who
  decided, when, the Textstand seen or the Anmerkung (PostgreSQL and SQLite). A text changed later asks again with a
  new step (``wiederholung_von``); the old one is never rewritten.
* A DELETE of a decided step is refused on PostgreSQL. On SQLite the same refusal comes from the model layer
  (``mitzeichnung.apps``: a pre_delete receiver): SQLite has no TRUNCATE, so Django's ``flush`` (the teardown of
  every transactional test, e.g. the browser tests after loading the demo data) deletes rows one by one in an
  arbitrary table order, and a row trigger there would make it fail. PostgreSQL's flush truncates and fires no row
  triggers.

One Freigabe per Textstand is the unique constraint ``schritt_eine_freigabe_je_textstand`` of 0001.
A violation is an IntegrityError, like a CheckConstraint's; the services check first and say it in German.
"""

from django.db import migrations

ENTSCHIEDEN = "('zugestimmt', 'mit_anmerkung', 'einspruch')"
FELDER = ["status", "entschieden_am", "entschieden_von_id", "textstand_id", "anmerkung"]
MELDUNG_AENDERN = "Ein entschiedener Schritt der Mitzeichnung wird nicht mehr geändert."
MELDUNG_LOESCHEN = "Ein entschiedener Schritt der Mitzeichnung wird nicht gelöscht."


def anlegen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        geaendert = " OR ".join(f"NEW.{feld} IS DISTINCT FROM OLD.{feld}" for feld in FELDER)
        schema_editor.execute(
            f"""CREATE FUNCTION mitzeichnung_schritt_entschieden() RETURNS trigger AS $$
            BEGIN
                IF OLD.status IN {ENTSCHIEDEN} THEN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION '{MELDUNG_LOESCHEN}' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF {geaendert} THEN
                        RAISE EXCEPTION '{MELDUNG_AENDERN}' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql"""
        )
        schema_editor.execute(
            "CREATE TRIGGER mitzeichnung_schritt_entschieden BEFORE UPDATE OR DELETE ON mitzeichnung_schritt "
            "FOR EACH ROW EXECUTE FUNCTION mitzeichnung_schritt_entschieden()"
        )
    else:
        geaendert = " OR ".join(f"NEW.{feld} IS NOT OLD.{feld}" for feld in FELDER)
        schema_editor.execute(
            "CREATE TRIGGER mitzeichnung_schritt_entschieden_update BEFORE UPDATE ON mitzeichnung_schritt "
            f"WHEN OLD.status IN {ENTSCHIEDEN} AND ({geaendert}) "
            f"BEGIN SELECT RAISE(ABORT, '{MELDUNG_AENDERN}'); END"
        )


def entfernen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS mitzeichnung_schritt_entschieden ON mitzeichnung_schritt")
        schema_editor.execute("DROP FUNCTION IF EXISTS mitzeichnung_schritt_entschieden()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS mitzeichnung_schritt_entschieden_update")


class Migration(migrations.Migration):
    dependencies = [("mitzeichnung", "0001_initial")]

    operations = [migrations.RunPython(anlegen, entfernen, elidable=False)]
