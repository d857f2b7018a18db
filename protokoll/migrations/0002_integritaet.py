"""Rules across tables that a CheckConstraint cannot state, kept by the database itself (PostgreSQL and SQLite):

* a member befangen at a TOP has no Stimme in any of its Abstimmungen (§ 18 GemO BW), whichever row comes first;
* a Niederschrift is genehmigt only in a Sitzung that begins after its own (§ 38 Abs. 2).

A violation is an IntegrityError, like a CheckConstraint's; the services check first and say it in German.
"""

from django.db import migrations

BEFANGEN_BEI_STIMME = """
    SELECT 1 FROM protokoll_befangenheit b
    JOIN protokoll_abstimmung a ON a.tagesordnungspunkt_id = b.tagesordnungspunkt_id
    WHERE a.id = NEW.abstimmung_id AND b.person_id = NEW.person_id
"""
STIMME_BEI_BEFANGENHEIT = """
    SELECT 1 FROM protokoll_stimme s
    JOIN protokoll_abstimmung a ON a.id = s.abstimmung_id
    WHERE a.tagesordnungspunkt_id = NEW.tagesordnungspunkt_id AND s.person_id = NEW.person_id
"""
GENEHMIGT_NICHT_SPAETER = """
    SELECT 1 FROM sitzungen_sitzung eigene, sitzungen_sitzung spaetere
    WHERE eigene.id = NEW.sitzung_id AND spaetere.id = NEW.genehmigt_in_id AND spaetere.beginn <= eigene.beginn
"""
REGELN = [
    ("protokoll_stimme_nicht_befangen", "protokoll_stimme", BEFANGEN_BEI_STIMME,
     "Ein befangenes Mitglied stimmt über diesen Tagesordnungspunkt nicht ab (§ 18 GemO BW)."),
    ("protokoll_befangen_ohne_stimme", "protokoll_befangenheit", STIMME_BEI_BEFANGENHEIT,
     "Dieses Mitglied hat über den Tagesordnungspunkt abgestimmt; erst die Stimme entfernen."),
    ("protokoll_niederschrift_spaeter_genehmigt", "protokoll_niederschrift", GENEHMIGT_NICHT_SPAETER,
     "Eine Niederschrift wird in einer späteren Sitzung genehmigt (§ 38 Abs. 2 GemO BW)."),
]


def anlegen(apps, schema_editor):
    for name, tabelle, bedingung, meldung in REGELN:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN
                    IF EXISTS ({bedingung}) THEN
                        RAISE EXCEPTION '{meldung}' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql"""
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {tabelle} FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            for ereignis in ("INSERT", "UPDATE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{ereignis.lower()} BEFORE {ereignis} ON {tabelle} "
                    f"WHEN EXISTS ({bedingung}) BEGIN SELECT RAISE(ABORT, '{meldung}'); END"
                )


def entfernen(apps, schema_editor):
    for name, tabelle, _bedingung, _meldung in REGELN:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {tabelle}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            for ereignis in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{ereignis}")


class Migration(migrations.Migration):
    dependencies = [("protokoll", "0001_initial"), ("sitzungen", "0008_sitzungsverlauf")]

    operations = [migrations.RunPython(anlegen, entfernen, elidable=False)]
