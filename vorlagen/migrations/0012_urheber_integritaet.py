"""Signatories (Urheber) of Anträge and Anfragen, and the Anfrage's answer, kept by the database itself.

On PostgreSQL AND SQLite:

* an Urheber belongs to an Antrag or an Anfrage (inserting or moving one elsewhere is refused, and so is changing
  the art of a paper that has Urheber to another art);
* a Stellungnahme's ``anfrage`` points to an Anfrage or an Antrag (and an answered paper keeps that art);
* CheckConstraints: ``antwort_bis`` only on an Anfrage, ``anfrage`` only on a Stellungnahme.

On PostgreSQL only:

* the last Urheber of a published Antrag or Anfrage cannot be deleted (a constraint trigger checked at commit, so
  deleting a whole paper with its Urheber, or replacing its Urheber in one transaction, passes). SQLite has no
  deferred triggers: an immediate one would refuse Django's ``flush`` (tables emptied in any order, Urheber before
  their Vorlagen) — there the services and the admin hold this rule alone;
* the search vector of a Vorlage carries its Urheber's names (Fraktion name and short name, person's title and
  names) with weight A, renewed when Urheber are added, changed or removed and when a Fraktion or a Person is
  renamed.

What the database does NOT hold: "a published Antrag has at least one Urheber" at the moment of publishing. The
publishing service and the admin refuse that with a German message; the OParl importer writes published papers
as the source has them, and many sources (Hürtgenwald among them) deliver no originators at all.

Existing data: the two CheckConstraints would fail on rows that break them, so values that cannot be right are
cleared first (``antwort_bis`` of a paper that is no Anfrage, ``anfrage`` of a paper that is no Stellungnahme or
that points to a paper that is neither Anfrage nor Antrag). The fields came with 0010, so a real installation has
none of these; nothing else is changed. Published papers without Urheber stay as they are: the triggers look at
writes, not at existing rows.
"""

from django.db import migrations, models

ARTEN = "('antrag', 'anfrage')"

URHEBER_BEI_ANDERER_ART = f"""EXISTS (SELECT 1 FROM vorlagen_vorlage v
    WHERE v.id = NEW.vorlage_id AND v.art NOT IN {ARTEN})"""
ART_GEAENDERT_MIT_URHEBERN = f"""NEW.art <> OLD.art AND NEW.art NOT IN {ARTEN}
    AND EXISTS (SELECT 1 FROM vorlagen_urheber u WHERE u.vorlage_id = NEW.id)"""
ANTWORT_AUF_ANDERE_ART = f"""NEW.anfrage_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vorlagen_vorlage a
    WHERE a.id = NEW.anfrage_id AND a.art IN {ARTEN})"""
ART_GEAENDERT_MIT_ANTWORT = f"""NEW.art <> OLD.art AND NEW.art NOT IN {ARTEN}
    AND EXISTS (SELECT 1 FROM vorlagen_vorlage s WHERE s.anfrage_id = NEW.id)"""

# (name, table, events, condition, message). No apostrophes in messages: they sit in SQL string literals.
REGELN = [
    (
        "vorlagen_urheber_nur_antrag",
        "vorlagen_urheber",
        ("INSERT", "UPDATE"),
        URHEBER_BEI_ANDERER_ART,
        "Antragstellerinnen und Antragsteller gibt es nur bei Anträgen und Anfragen.",
    ),
    (
        "vorlagen_art_mit_urhebern",
        "vorlagen_vorlage",
        ("UPDATE",),
        ART_GEAENDERT_MIT_URHEBERN,
        "Diese Vorlage hat Antragsteller/-innen und bleibt Antrag oder Anfrage; erst die Antragsteller/-innen entfernen.",
    ),
    (
        "vorlagen_antwort_auf_anfrage",
        "vorlagen_vorlage",
        ("INSERT", "UPDATE"),
        ANTWORT_AUF_ANDERE_ART,
        "Eine Stellungnahme beantwortet eine Anfrage oder einen Antrag, keine andere Vorlage.",
    ),
    (
        "vorlagen_art_mit_antwort",
        "vorlagen_vorlage",
        ("UPDATE",),
        ART_GEAENDERT_MIT_ANTWORT,
        "Diese Vorlage wird von einer Stellungnahme beantwortet und bleibt Antrag oder Anfrage.",
    ),
]

LETZTER_URHEBER_MELDUNG = (
    "Ein veröffentlichter Antrag oder eine veröffentlichte Anfrage behält mindestens eine Antragstellerin oder "
    "einen Antragsteller."
)
LETZTER_URHEBER = f"""
    CREATE FUNCTION vorlagen_letzter_urheber() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM vorlagen_vorlage v WHERE v.id = OLD.vorlage_id AND v.status <> 'entwurf'
                   AND v.art IN {ARTEN})
           AND NOT EXISTS (SELECT 1 FROM vorlagen_urheber u WHERE u.vorlage_id = OLD.vorlage_id) THEN
            RAISE EXCEPTION '{LETZTER_URHEBER_MELDUNG}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$
"""

# The search vector of 0003 with the Urheber's names (weight A, like number and title: who asks is the head of the
# paper, "SPD" or a councillor's name should find it first).
SUCHVEKTOR_MIT_URHEBERN = """
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
SUCHVEKTOR_OHNE_URHEBER = """
    CREATE OR REPLACE FUNCTION vorlagen_vorlage_suchvektor() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.suchvektor :=
            setweight(to_tsvector('german'::regconfig,
                CASE WHEN NEW.art IN ('mitteilungsvorlage', 'beschlussvorlage') THEN 'GRDrs'
                     WHEN NEW.art = 'antrag' THEN 'Antrag' WHEN NEW.art = 'anfrage' THEN 'Anfrage'
                     ELSE 'Stellungnahme' END
                || ' ' || NEW.nummer || '/' || NEW.jahr || ' ' || NEW.zusatz || ' ' || NEW.aktenzeichen
                || ' ' || NEW.titel), 'A')
            || setweight(to_tsvector('german'::regconfig,
                NEW.beschlussantrag || ' ' || NEW.bericht || ' ' || NEW.begruendung || ' '
                || NEW.finanzielle_auswirkungen || ' ' || NEW.mitzeichnung), 'B');
        RETURN NEW;
    END $$
"""
SUCHE_VORWAERTS = [
    SUCHVEKTOR_MIT_URHEBERN,
    # Added, changed or removed Urheber renew their papers' vectors (the trigger above then reads them).
    """
    CREATE FUNCTION vorlagen_urheber_geaendert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE vorlagen_vorlage SET suchvektor = NULL WHERE id = OLD.vorlage_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE vorlagen_vorlage SET suchvektor = NULL WHERE id = NEW.vorlage_id;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER vorlagen_urheber_geaendert AFTER INSERT OR UPDATE OR DELETE ON vorlagen_urheber
    FOR EACH ROW EXECUTE FUNCTION vorlagen_urheber_geaendert()
    """,
    # A renamed Fraktion or Person renews the vectors of the papers they signed.
    """
    CREATE FUNCTION vorlagen_fraktion_name_geaendert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE vorlagen_vorlage SET suchvektor = NULL
        WHERE id IN (SELECT vorlage_id FROM vorlagen_urheber WHERE fraktion_id = NEW.id);
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER vorlagen_fraktion_name_geaendert AFTER UPDATE OF name, kurzname ON sitzungen_ausschuss
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.kurzname IS DISTINCT FROM NEW.kurzname)
    EXECUTE FUNCTION vorlagen_fraktion_name_geaendert()
    """,
    """
    CREATE FUNCTION vorlagen_person_name_geaendert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE vorlagen_vorlage SET suchvektor = NULL
        WHERE id IN (SELECT vorlage_id FROM vorlagen_urheber WHERE person_id = NEW.id);
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER vorlagen_person_name_geaendert AFTER UPDATE OF titel, vorname, nachname ON sitzungen_person
    FOR EACH ROW WHEN (OLD.titel IS DISTINCT FROM NEW.titel OR OLD.vorname IS DISTINCT FROM NEW.vorname
                       OR OLD.nachname IS DISTINCT FROM NEW.nachname)
    EXECUTE FUNCTION vorlagen_person_name_geaendert()
    """,
    # Papers that have Urheber already get them into their vectors.
    "UPDATE vorlagen_vorlage SET suchvektor = NULL WHERE id IN (SELECT vorlage_id FROM vorlagen_urheber)",
]
SUCHE_RUECKWAERTS = [
    "DROP TRIGGER IF EXISTS vorlagen_person_name_geaendert ON sitzungen_person",
    "DROP FUNCTION IF EXISTS vorlagen_person_name_geaendert()",
    "DROP TRIGGER IF EXISTS vorlagen_fraktion_name_geaendert ON sitzungen_ausschuss",
    "DROP FUNCTION IF EXISTS vorlagen_fraktion_name_geaendert()",
    "DROP TRIGGER IF EXISTS vorlagen_urheber_geaendert ON vorlagen_urheber",
    "DROP FUNCTION IF EXISTS vorlagen_urheber_geaendert()",
    SUCHVEKTOR_OHNE_URHEBER,
    "UPDATE vorlagen_vorlage SET suchvektor = NULL WHERE id IN (SELECT vorlage_id FROM vorlagen_urheber)",
]


def bereinigen(apps, schema_editor):
    """Clear values the new CheckConstraints and triggers would refuse (see the module's text)."""
    Vorlage = apps.get_model("vorlagen", "Vorlage")
    Vorlage.objects.exclude(art="anfrage").exclude(antwort_bis=None).update(antwort_bis=None)
    Vorlage.objects.exclude(art="stellungnahme").exclude(anfrage=None).update(anfrage=None)
    Vorlage.objects.exclude(anfrage=None).exclude(anfrage__art__in=["antrag", "anfrage"]).update(anfrage=None)
    if schema_editor.connection.vendor == "postgresql":
        # The updates queue the checks of the (deferred) foreign keys; ALTER TABLE refuses a table with pending
        # trigger events, so they are run now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def triggers_anlegen(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name, tabelle, ereignisse, bedingung, meldung in REGELN:
        if postgresql:
            schema_editor.execute(
                f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN
                    IF {bedingung} THEN
                        RAISE EXCEPTION '{meldung}' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql"""
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE {' OR '.join(ereignisse)} ON {tabelle} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            for ereignis in ereignisse:
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{ereignis.lower()} BEFORE {ereignis} ON {tabelle} "
                    f"WHEN {bedingung} BEGIN SELECT RAISE(ABORT, '{meldung}'); END"
                )
    if postgresql:
        schema_editor.execute(LETZTER_URHEBER)
        schema_editor.execute(
            "CREATE CONSTRAINT TRIGGER vorlagen_letzter_urheber AFTER DELETE OR UPDATE OF vorlage_id "
            "ON vorlagen_urheber DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vorlagen_letzter_urheber()"
        )
        for befehl in SUCHE_VORWAERTS:
            schema_editor.execute(befehl)


def triggers_entfernen(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        for befehl in SUCHE_RUECKWAERTS:
            schema_editor.execute(befehl)
        schema_editor.execute("DROP TRIGGER IF EXISTS vorlagen_letzter_urheber ON vorlagen_urheber")
        schema_editor.execute("DROP FUNCTION IF EXISTS vorlagen_letzter_urheber()")
    for name, tabelle, ereignisse, _bedingung, _meldung in REGELN:
        if postgresql:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {tabelle}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            for ereignis in ereignisse:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{ereignis.lower()}")


class Migration(migrations.Migration):
    dependencies = [
        ("gremien", "0004_dienststellen_fotos"),
        # After the version annex: its CheckConstraint rebuilds vorlagen_vorlage on SQLite, which a trigger of the
        # Urheber table naming that table would not survive.
        ("vorlagen", "0011_unterschiede_im_pdf"),
    ]

    operations = [
        migrations.RunPython(bereinigen, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="vorlage",
            constraint=models.CheckConstraint(
                condition=models.Q(("antwort_bis__isnull", True), ("art", "anfrage"), _connector="OR"),
                name="vorlage_antwort_bis_nur_anfrage",
                violation_error_message="„Antwort erbeten bis“ gibt es nur bei einer Anfrage.",
            ),
        ),
        migrations.AddConstraint(
            model_name="vorlage",
            constraint=models.CheckConstraint(
                condition=models.Q(("anfrage__isnull", True), ("art", "stellungnahme"), _connector="OR"),
                name="vorlage_anfrage_nur_stellungnahme",
                violation_error_message=(
                    "Nur eine Stellungnahme beantwortet eine Anfrage oder einen Antrag („Antwort auf die Anfrage“)."
                ),
            ),
        ),
        migrations.RunPython(triggers_anlegen, triggers_entfernen, elidable=False),
    ]
