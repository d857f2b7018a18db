"""A draft without a number is found by the search too (PostgreSQL only).

The vector's function (0003, with the Urheber since 0011) joined ``NEW.nummer`` with ``||``: for a draft whose
number is not given yet (issue 19: numbers are given on registration) the whole vector became NULL, so the
Sitzungsdienst and the staff of its Dienststelle could not find it in the search. The number now enters only when
there is one; the vectors of the drafts without a number are written again.
"""

from django.db import migrations

MIT_NUMMER_ODER_OHNE = """
    CREATE OR REPLACE FUNCTION vorlagen_vorlage_suchvektor() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.suchvektor :=
            setweight(to_tsvector('german'::regconfig,
                CASE WHEN NEW.art IN ('mitteilungsvorlage', 'beschlussvorlage') THEN 'GRDrs'
                     WHEN NEW.art = 'antrag' THEN 'Antrag' WHEN NEW.art = 'anfrage' THEN 'Anfrage'
                     ELSE 'Stellungnahme' END
                || ' ' || coalesce(NEW.nummer::text || '/', '') || NEW.jahr || ' ' || NEW.zusatz || ' ' || NEW.aktenzeichen
                || ' ' || NEW.titel || ' ' || coalesce((
                    SELECT string_agg(coalesce(a.name || ' ' || a.kurzname,
                                               p.titel || ' ' || p.vorname || ' ' || p.nachname), ' ')
                    FROM vorlagen_urheber u
                    LEFT JOIN sitzungen_ausschuss a ON a.id = u.fraktion_id
                    LEFT JOIN sitzungen_person p ON p.id = u.person_id
                    WHERE u.vorlage_id = NEW.id), '')), 'A')
            || setweight(to_tsvector('german'::regconfig,
                NEW.beschlussantrag || ' ' || NEW.bericht || ' ' || NEW.begruendung || ' '
                || NEW.finanzielle_auswirkungen || ' ' || NEW.mitzeichnung), 'B');
        RETURN NEW;
    END $$
"""

WIE_IN_0011 = """
    CREATE OR REPLACE FUNCTION vorlagen_vorlage_suchvektor() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.suchvektor :=
            setweight(to_tsvector('german'::regconfig,
                CASE WHEN NEW.art IN ('mitteilungsvorlage', 'beschlussvorlage') THEN 'GRDrs'
                     WHEN NEW.art = 'antrag' THEN 'Antrag' WHEN NEW.art = 'anfrage' THEN 'Anfrage'
                     ELSE 'Stellungnahme' END
                || ' ' || NEW.nummer || '/' || NEW.jahr || ' ' || NEW.zusatz || ' ' || NEW.aktenzeichen
                || ' ' || NEW.titel || ' ' || coalesce((
                    SELECT string_agg(coalesce(a.name || ' ' || a.kurzname,
                                               p.titel || ' ' || p.vorname || ' ' || p.nachname), ' ')
                    FROM vorlagen_urheber u
                    LEFT JOIN sitzungen_ausschuss a ON a.id = u.fraktion_id
                    LEFT JOIN sitzungen_person p ON p.id = u.person_id
                    WHERE u.vorlage_id = NEW.id), '')), 'A')
            || setweight(to_tsvector('german'::regconfig,
                NEW.beschlussantrag || ' ' || NEW.bericht || ' ' || NEW.begruendung || ' '
                || NEW.finanzielle_auswirkungen || ' ' || NEW.mitzeichnung), 'B');
        RETURN NEW;
    END $$
"""


def _ausfuehren(schema_editor, funktion):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(funktion)
        # The BEFORE UPDATE trigger writes the vector anew.
        cursor.execute("UPDATE vorlagen_vorlage SET suchvektor = NULL WHERE nummer IS NULL")


def vorwaerts(apps, schema_editor):
    _ausfuehren(schema_editor, MIT_NUMMER_ODER_OHNE)


def rueckwaerts(apps, schema_editor):
    _ausfuehren(schema_editor, WIE_IN_0011)


class Migration(migrations.Migration):
    dependencies = [("vorlagen", "0012_urheber_integritaet")]

    operations = [migrations.RunPython(vorwaerts, rueckwaerts, elidable=False)]
