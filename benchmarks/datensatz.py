"""A large, realistic data set on PostgreSQL for benchmarks: Vorlagen, Sitzungen, TOPs, Anlagen with page text.

    RATSINFO_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ratsinfo_bench \\
        .venv/bin/python benchmarks/datensatz.py [--vorlagen 100000] [--sitzungen 10000] [--tops 200000]
        [--anlagen 300000] [--seiten 2] [--neu] [--ergaenzen]

The database (default ``ratsinfo_bench`` on the local server) is created when missing and migrated; the data is
loaded with COPY (psycopg's ``cursor.copy``) in one run. The database triggers of the search (migrations
``0003_suche``) compute the search vectors while loading; the GIN indexes are dropped before and built after, which
is several times faster than keeping them current row by row. A second run without ``--neu`` finds the data there
and does nothing, so other benchmarks can call ``sicherstellen()`` cheaply.

Other benchmarks import it: ``from benchmarks.datensatz import sicherstellen, WOERTER``. The text is drawn from a
fixed vocabulary with a Zipf-like distribution (a few words very common, most rare), seeded, so the same
arguments give the same data. ``SELTEN`` lists words planted in only a handful of pages.

``--ergaenzen`` (``ergaenzen()``) adds what the pages of the load test (``bench_last.py``) need beyond the base
set: more Gremien and the Fraktionen, 1,500 Personen with about 1,700 Mitgliedschaften, 300 Orte (given to the
Sitzungen), and 20 Sitzungen of exactly 40 TOPs each around today, every TOP with a Vorlage and its Beratung. It
runs in one transaction and recognises its own Sitzungen, so a second run adds nothing.
"""

import argparse
import datetime
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

WURZEL = Path(__file__).resolve().parent.parent
STANDARD_URL = "postgres://postgres@127.0.0.1:5432/ratsinfo_bench"

GRUNDWOERTER = [
    "Stadt",
    "Gemeinderat",
    "Verwaltung",
    "Ausschuss",
    "Bericht",
    "Beschluss",
    "Antrag",
    "Vorlage",
    "Haushalt",
    "Mittel",
    "Euro",
    "Jahr",
    "Maßnahme",
    "Integration",
    "Bündnis",
    "Förderung",
    "Projekt",
    "Bürgerinnen",
    "Bürger",
    "Stadtteil",
    "Bezirk",
    "Verkehr",
    "Straße",
    "Radweg",
    "Schule",
    "Kita",
    "Kindertagesstätte",
    "Betreuung",
    "Jugend",
    "Familie",
    "Senioren",
    "Pflege",
    "Wohnung",
    "Wohnungsbau",
    "Mietpreis",
    "Bebauungsplan",
    "Umwelt",
    "Klimaschutz",
    "Energie",
    "Wärmeplanung",
    "Photovoltaik",
    "Sanierung",
    "Gebäude",
    "Neubau",
    "Baugenehmigung",
    "Denkmalschutz",
    "Kultur",
    "Museum",
    "Theater",
    "Bibliothek",
    "Sport",
    "Sportstätte",
    "Schwimmbad",
    "Sicherheit",
    "Feuerwehr",
    "Ordnung",
    "Gesundheit",
    "Krankenhaus",
    "Digitalisierung",
    "Verwaltungsmodernisierung",
    "Personal",
    "Stellen",
    "Stellenplan",
    "Ausschreibung",
    "Vergabe",
    "Auftrag",
    "Vertrag",
    "Grundstück",
    "Erbbaurecht",
    "Kaufvertrag",
    "Satzung",
    "Gebühren",
    "Abwasser",
    "Abfall",
    "Stadtreinigung",
    "Grünflächen",
    "Park",
    "Baum",
    "Spielplatz",
    "Lärm",
    "Luftreinhaltung",
    "Feinstaub",
    "Stadtbahn",
    "Bus",
    "Nahverkehr",
    "Parkraum",
    "Parkhaus",
    "Fahrrad",
    "Fußverkehr",
    "Barrierefreiheit",
    "Inklusion",
    "Teilhabe",
    "Migration",
    "Flüchtlinge",
    "Unterbringung",
    "Sprachförderung",
    "Arbeitsmarkt",
    "Wirtschaft",
    "Gewerbe",
    "Einzelhandel",
    "Innenstadt",
    "Tourismus",
    "Veranstaltung",
    "Fest",
    "Partnerschaft",
    "Städtepartnerschaft",
    "Beteiligung",
    "Bürgerbeteiligung",
    "Umfrage",
    "Konzept",
    "Gutachten",
    "Kosten",
    "Finanzierung",
    "Zuschuss",
    "Landesmittel",
    "Bundesmittel",
    "Fördermittel",
    "Rücklage",
    "Kredit",
    "Investition",
    "Unterhaltung",
    "Betrieb",
    "Eigenbetrieb",
    "Gesellschaft",
    "Aufsichtsrat",
    "Wirtschaftsplan",
    "Jahresabschluss",
    "Prüfung",
    "Rechnungsprüfung",
    "Bericht",
    "Stellungnahme",
    "Anfrage",
    "Fraktion",
    "Bezirksbeirat",
    "Sitzung",
    "Tagesordnung",
    "Niederschrift",
    "Abstimmung",
    "Mehrheit",
    "Zustimmung",
    "Ablehnung",
    "Kenntnisnahme",
    "Vorberatung",
    "Einbringung",
    "Integrationspolitik",
    "Integrationsrat",
    "Integrationskurs",
    "Integrationsbeauftragte",
    "Willkommenskultur",
    "Vielfalt",
    "Chancengleichheit",
    "Gleichstellung",
    "Antidiskriminierung",
    "Ehrenamt",
    "Vereine",
    "Netzwerk",
    "Kooperation",
    "Evaluation",
]

FUELLWOERTER = [
    "der",
    "die",
    "das",
    "und",
    "in",
    "zu",
    "den",
    "von",
    "mit",
    "für",
    "auf",
    "ist",
    "im",
    "nicht",
    "sich",
    "des",
    "dem",
    "eine",
    "ein",
    "als",
    "auch",
    "es",
    "an",
    "werden",
    "aus",
    "er",
    "hat",
    "dass",
    "sie",
    "nach",
    "bei",
    "um",
    "am",
    "sind",
    "noch",
    "wie",
    "einem",
    "über",
    "einen",
    "so",
    "zum",
    "war",
    "haben",
    "nur",
    "oder",
    "aber",
    "vor",
    "zur",
    "bis",
    "mehr",
    "durch",
    "man",
    "sowie",
    "wurde",
    "wird",
    "soll",
    "sollen",
    "kann",
    "können",
    "bereits",
    "hierzu",
    "daher",
    "insbesondere",
    "gemäß",
    "rund",
    "sowohl",
]

# Words planted in a handful of pages only: the rare-word queries of the benchmark.
SELTEN = ["Fledermausquartier", "Streuobstwiesenpflege", "Kopfsteinpflastersanierung", "Zisternenförderung"]

AUSSCHUESSE = [
    "Gemeinderat",
    "Verwaltungsausschuss",
    "Ausschuss für Umwelt und Technik",
    "Ausschuss für Stadtentwicklung",
    "Internationaler Ausschuss",
    "Sozial- und Gesundheitsausschuss",
    "Jugendhilfeausschuss",
    "Schulbeirat",
    "Wirtschaftsausschuss",
    "Kulturausschuss",
    "Sportausschuss",
    "Ältestenrat",
    "Krankenhausausschuss",
    "Betriebsausschuss Abfallwirtschaft",
    "Betriebsausschuss Stadtentwässerung",
    "Beirat für Gleichstellungsfragen",
    "Behindertenbeirat",
    "Seniorenrat",
    "Klimabeirat",
    "Vergabeausschuss",
] + [
    f"Bezirksbeirat {name}"
    for name in (
        "Mitte",
        "Nord",
        "Ost",
        "Süd",
        "West",
        "Bad Cannstatt",
        "Birkach",
        "Botnang",
        "Degerloch",
        "Feuerbach",
        "Hedelfingen",
        "Möhringen",
        "Mühlhausen",
        "Münster",
        "Obertürkheim",
        "Plieningen",
        "Sillenbuch",
        "Stammheim",
        "Untertürkheim",
        "Vaihingen",
        "Wangen",
        "Weilimdorf",
        "Zuffenhausen",
    )
]

ARTEN = [
    ("mitteilungsvorlage", "GRDrs"),
    ("beschlussvorlage", "GRDrs"),
    ("antrag", "Antrag"),
    ("anfrage", "Anfrage"),
    ("stellungnahme", "Stellungnahme"),
]
ARTEN_GEWICHTE = [35, 35, 15, 10, 5]


def wortschatz():
    """Words and weights: council words (with inflected and compound forms) Zipf-weighted, function words often."""
    zufall = random.Random(7)
    woerter = list(dict.fromkeys(GRUNDWOERTER))
    endungen = ["planung", "konzept", "programm", "bericht", "förderung", "verwaltung", "beirat", "kosten", "amt"]
    woerter += [f"{a}{'s' if a[-1] not in 'es' else ''}{b}" for a in GRUNDWOERTER[:80] for b in endungen]
    woerter += [f"{w}en" for w in GRUNDWOERTER[:60]] + [f"{w}e" for w in GRUNDWOERTER[60:120]]
    zufall.shuffle(woerter)
    gewichte = [1.0 / (rang + 1) ** 1.05 for rang in range(len(woerter))]
    return woerter, gewichte


WOERTER, GEWICHTE = wortschatz()


class Text:
    """Seeded German-like text: sentences of council words with function words between them."""

    def __init__(self, seed):
        self.zufall = random.Random(seed)

    def saetze(self, zeichen):
        teile, laenge = [], 0
        while laenge < zeichen:
            n = self.zufall.randint(6, 14)
            inhalt = self.zufall.choices(WOERTER, GEWICHTE, k=n)
            fuell = self.zufall.choices(FUELLWOERTER, k=n)
            satz = " ".join(w for paar in zip(fuell, inhalt, strict=True) for w in paar)
            satz = satz[0].upper() + satz[1:] + "."
            teile.append(satz)
            laenge += len(satz) + 1
        return " ".join(teile)

    def titel(self):
        return " ".join(self.zufall.choices(WOERTER, GEWICHTE, k=self.zufall.randint(3, 8)))


def datenbank_url():
    # Empty counts as unset, as in the settings.
    return os.environ.get("RATSINFO_BENCH_DATABASE_URL") or STANDARD_URL


def django_einrichten():
    """Point Django at the benchmark database (created if missing) and set it up."""
    import psycopg

    url = datenbank_url()
    teile = urlsplit(url)
    name = teile.path.lstrip("/")
    verwaltung = urlunsplit(teile._replace(path="/postgres"))
    with psycopg.connect(verwaltung, autocommit=True) as verbindung:
        if not verbindung.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            verbindung.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
    sys.path.insert(0, str(WURZEL))
    import django

    django.setup()


def geladen(vorlagen):
    """Whether a complete run loaded this size: the word list is written last, so a broken run is loaded again."""
    from suche.models import Suchwort
    from vorlagen.models import Vorlage

    # At least: other benchmarks (load tests) add a few rows to the shared data set, and a count that is not exact
    # must not make the next benchmark truncate and load everything again.
    return Vorlage.objects.count() >= vorlagen and Suchwort.objects.exists()


GIN_INDEXE = {
    "vorlage_suchvektor_gin": "vorlagen_vorlage",
    "anlageseite_suchvektor_gin": "vorlagen_anlageseite",
    "sitzung_suchvektor_gin": "sitzungen_sitzung",
    "top_suchvektor_gin": "sitzungen_tagesordnungspunkt",
}

TABELLEN = [
    "vorlagen_anlageseite",
    "vorlagen_anlage",
    "sitzungen_beratung",
    "sitzungen_tagesordnungspunkt_vorlagen",
    "sitzungen_tagesordnungspunkt",
    "sitzungen_sitzung",
    "vorlagen_vorlage",
    "sitzungen_ausschuss",
    "vorlagen_dienststelle",
    "suche_suchwort",
]


def laden(*, vorlagen, sitzungen, tops, anlagen, seiten, ausgabe=print):
    import psycopg

    url = datenbank_url()
    jetzt = datetime.datetime.now(datetime.UTC)
    start = time.perf_counter()

    def schritt(text):
        ausgabe(f"[{time.perf_counter() - start:7.1f} s] {text}")

    with psycopg.connect(url) as db:
        db.execute("TRUNCATE " + ", ".join(TABELLEN) + " RESTART IDENTITY CASCADE")
        for index in GIN_INDEXE:
            db.execute(f"DROP INDEX IF EXISTS {index}")
        db.commit()

        text = Text(1)
        with db.cursor() as cur:
            with cur.copy(
                "COPY vorlagen_dienststelle (id, name, kurzname, art, erstellt_am, geaendert_am) FROM STDIN"
            ) as c:
                for i in range(1, 31):
                    c.write_row((i, f"Amt {i} für {text.titel()}", f"A{i}", "amt", jetzt, jetzt))
            with cur.copy(
                "COPY sitzungen_ausschuss (id, name, kurzname, slug, art, aktiv, reihenfolge, beschreibung, "
                "erstellt_am, geaendert_am) FROM STDIN"
            ) as c:
                for i, name in enumerate(AUSSCHUESSE, 1):
                    art = "gemeinderat" if i == 1 else ("bezirksbeirat" if name.startswith("Bezirks") else "ausschuss")
                    c.write_row((i, name, name[:30], f"gremium-{i}", art, True, i, "", jetzt, jetzt))
        db.commit()
        schritt("Dienststellen und Ausschüsse")

        # Vorlagen: numbered per series and year, 2000 onwards; a few drafts, non-public and confidential ones.
        zufall = random.Random(2)
        jahre = list(range(2000, 2026))
        zaehler = {}
        vorlage_datum = {}
        with (
            db.cursor() as cur,
            cur.copy(
                "COPY vorlagen_vorlage (id, art, nummer, jahr, zusatz, kennung, datum, aktenzeichen, titel, "
                "beschlussantrag, bericht, begruendung, finanzielle_auswirkungen, mitzeichnung, unterzeichnet_von, "
                "unterzeichnet_funktion, status, veroeffentlicht_am, erstellt_am, geaendert_am, dienststelle_id, "
                "oeffentlich, vertraulich, bezugsart, unterschiede_im_pdf) FROM STDIN"
            ) as c,
        ):
            for i in range(1, vorlagen + 1):
                jahr = jahre[(i - 1) * len(jahre) // vorlagen]
                art, kreis = zufall.choices(ARTEN, ARTEN_GEWICHTE)[0]
                nummer = zaehler[(kreis, jahr)] = zaehler.get((kreis, jahr), 0) + 1
                datum = datetime.date(jahr, 1, 1) + datetime.timedelta(days=zufall.randint(0, 364))
                vorlage_datum[i] = datum
                wurf = zufall.random()
                status = "entwurf" if wurf < 0.02 else "veroeffentlicht"
                c.write_row(
                    (
                        i,
                        art,
                        nummer,
                        jahr,
                        "",
                        f"{kreis.lower()}-{nummer}-{jahr}",
                        datum,
                        f"{zufall.randint(1, 99)}-{zufall.randint(1, 999)}",
                        text.titel(),
                        text.saetze(200),
                        text.saetze(700),
                        text.saetze(300),
                        text.saetze(120),
                        "",
                        "",
                        "",
                        status,
                        None if status == "entwurf" else jetzt,
                        jetzt,
                        jetzt,
                        zufall.randint(1, 30),
                        wurf > 0.06,
                        wurf > 0.99,
                        "",
                        False,
                    )
                )
        db.commit()
        schritt(f"{vorlagen} Vorlagen")

        # Sitzungen over the same years, with their TOPs, each TOP on one Vorlage of about its time, and the
        # Beratung that ties them (the committee filter reads the Beratungsfolge).
        tops_je_sitzung = max(1, tops // sitzungen)
        with db.cursor() as cur:
            with cur.copy(
                "COPY sitzungen_sitzung (id, name, beginn, ende, status, oeffentlich, erstellt_am, geaendert_am, "
                "ausschuss_id) FROM STDIN"
            ) as c:
                for i in range(1, sitzungen + 1):
                    jahr = jahre[(i - 1) * len(jahre) // sitzungen]
                    beginn = datetime.datetime(jahr, 1, 1, 15, tzinfo=datetime.UTC) + datetime.timedelta(
                        days=zufall.randint(0, 364)
                    )
                    c.write_row(
                        (
                            i,
                            "",
                            beginn,
                            beginn + datetime.timedelta(hours=3),
                            "abgeschlossen",
                            zufall.random() > 0.1,
                            jetzt,
                            jetzt,
                            zufall.randint(1, len(AUSSCHUESSE)),
                        )
                    )
            db.commit()
            schritt(f"{sitzungen} Sitzungen")
            ausschuss_von = dict(db.execute("SELECT id, ausschuss_id FROM sitzungen_sitzung").fetchall())
            with cur.copy(
                "COPY sitzungen_tagesordnungspunkt (id, nummer, reihenfolge, oeffentlich, titel, ergebnis, beschluss, "
                "beratungsverlauf, erstellt_am, geaendert_am, sitzung_id) FROM STDIN"
            ) as c:
                for i in range(1, tops + 1):
                    sitzung = (i - 1) // tops_je_sitzung % sitzungen + 1
                    reihe = (i - 1) % tops_je_sitzung + 1
                    c.write_row(
                        (
                            i,
                            str(reihe),
                            reihe,
                            zufall.random() > 0.08,
                            text.titel(),
                            "beschlossen",
                            text.saetze(150),
                            "",
                            jetzt,
                            jetzt,
                            sitzung,
                        )
                    )
            db.commit()
            schritt(f"{tops} TOPs")
            with cur.copy(
                "COPY sitzungen_tagesordnungspunkt_vorlagen (tagesordnungspunkt_id, vorlage_id) FROM STDIN"
            ) as c1:
                paare = []
                for i in range(1, tops + 1):
                    sitzung = (i - 1) // tops_je_sitzung % sitzungen + 1
                    vorlage = min(vorlagen, max(1, int(sitzung / sitzungen * vorlagen) + zufall.randint(-300, 300)))
                    paare.append((i, vorlage, sitzung))
                    c1.write_row((i, vorlage))
            with cur.copy(
                "COPY sitzungen_beratung (rolle, oeffentlich, termin, reihenfolge, ergebnis, erstellt_am, "
                "geaendert_am, ausschuss_id, vorlage_id, sitzung_id, tagesordnungspunkt_id) FROM STDIN"
            ) as c:
                for top, vorlage, sitzung in paare:
                    c.write_row(
                        (
                            "beratung",
                            True,
                            vorlage_datum[vorlage],
                            1,
                            "",
                            jetzt,
                            jetzt,
                            ausschuss_von[sitzung],
                            vorlage,
                            sitzung,
                            top,
                        )
                    )
            db.commit()
            schritt(f"{tops} Beratungen")
            with cur.copy(
                "COPY vorlagen_anlage (id, titel, datei, dateiname, mime_typ, groesse, reihenfolge, erstellt_am, "
                "geaendert_am, vorlage_id, oeffentlich, vertraulich, seitenzahl, text_gelesen_am, textstatus) "
                "FROM STDIN"
            ) as c:
                for i in range(1, anlagen + 1):
                    vorlage = (i - 1) * vorlagen // anlagen + 1
                    c.write_row(
                        (
                            i,
                            f"Anlage {i % 4 + 1} {text.titel()}",
                            f"bench/{i}.pdf",
                            f"{i}.pdf",
                            "application/pdf",
                            50_000,
                            i % 4 + 1,
                            jetzt,
                            jetzt,
                            vorlage,
                            zufall.random() > 0.05,
                            False,
                            seiten,
                            jetzt,
                            "fertig",
                        )
                    )
            db.commit()
            schritt(f"{anlagen} Anlagen")

    # Page text is the bulk: two connections load halves at once, so both cores compute search vectors.
    def seiten_laden(teil):
        lokal = Text(100 + teil)
        selten = random.Random(200 + teil)
        with psycopg.connect(url) as db, db.cursor() as cur:
            with cur.copy("COPY vorlagen_anlageseite (anlage_id, nummer, text) FROM STDIN") as c:
                for anlage in range(teil + 1, anlagen + 1, 2):
                    for nummer in range(1, seiten + 1):
                        inhalt = lokal.saetze(1800)
                        if selten.random() < 0.0001:
                            inhalt += " " + selten.choice(SELTEN) + "."
                        c.write_row((anlage, nummer, inhalt))
            db.commit()

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(seiten_laden, range(2)))
    schritt(f"{anlagen * seiten} Seiten Anlagentext")

    with psycopg.connect(url, autocommit=True) as db:
        db.execute("SET maintenance_work_mem = '1GB'")
        for index, tabelle in GIN_INDEXE.items():
            db.execute(f"CREATE INDEX {index} ON {tabelle} USING gin (suchvektor)")
            schritt(f"Index {index}")
        for tabelle in TABELLEN:
            db.execute(f"SELECT setval(pg_get_serial_sequence('{tabelle}', 'id'), coalesce(max(id), 1)) FROM {tabelle}")
            db.execute(f"ANALYZE {tabelle}")
    from suche.services import suchwoerter_aufbauen

    suchwoerter_aufbauen()
    schritt("Wortliste für „Meinten Sie …“, ANALYZE")


ERGAENZUNG_PRAEFIX = "Lastprobe"
ERGAENZUNG_GREMIEN = [
    "Ausschuss für Wirtschaft und Wohnen",
    "Ausschuss für Klima und Umwelt",
    "Ausschuss für Mobilität",
    "Ausschuss für Digitalisierung",
    "Ausschuss für Bildung",
    "Ausschuss für Soziales und Gesellschaftliche Integration",
    "Beirat für Kinder und Jugend",
    "Beirat Bürgerbeteiligung",
    "Beirat Städtepartnerschaften",
    "Beirat Innenstadt",
]
ERGAENZUNG_FRAKTIONEN = [
    "Fraktion Bündnis 90/Die Grünen",
    "CDU-Fraktion",
    "SPD/Volt-Fraktion",
    "Fraktion FDP",
    "Fraktion Die Linke",
    "Fraktion Freie Wähler",
    "AfD-Fraktion",
    "Fraktionsgemeinschaft PULS",
]
VORNAMEN = ["Anna", "Ben", "Clara", "David", "Elif", "Felix", "Gül", "Hanna", "Ivan", "Jana", "Karl", "Lena"]
NACHNAMEN = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"]
STRASSEN = ["Marktplatz", "Hauptstraße", "Schulstraße", "Bahnhofstraße", "Kirchstraße", "Rathausplatz"]


def ergaenzen(*, personen=1500, mitgliedschaften=1700, orte=300, sitzungen=20, tops=40, ausgabe=print):
    """Add committees, people, memberships, places and Sitzungen with 40 TOPs (see the module docstring)."""
    import psycopg

    url = datenbank_url()
    jetzt = datetime.datetime.now(datetime.UTC)
    heute = jetzt.date()
    zufall = random.Random(8)
    text = Text(9)
    start = time.perf_counter()
    with psycopg.connect(url) as db, db.cursor() as cur:
        cur.execute("LOCK TABLE sitzungen_sitzung IN SHARE ROW EXCLUSIVE MODE")
        vorhanden = cur.execute(
            "SELECT count(*) FROM sitzungen_sitzung WHERE name LIKE %s", [ERGAENZUNG_PRAEFIX + "%"]
        ).fetchone()[0]
        if vorhanden:
            ausgabe(f"Ergänzung vorhanden: {vorhanden} Sitzungen „{ERGAENZUNG_PRAEFIX} …“ in {url}")
            return False

        def neue_ausschuesse(namen, art):
            ids = []
            for name in namen:
                reihe = cur.execute("SELECT coalesce(max(reihenfolge), 0) + 1 FROM sitzungen_ausschuss").fetchone()[0]
                ids.append(
                    cur.execute(
                        "INSERT INTO sitzungen_ausschuss (name, kurzname, slug, art, aktiv, reihenfolge, beschreibung, "
                        "erstellt_am, geaendert_am) VALUES (%s, %s, %s, %s, true, %s, '', %s, %s) RETURNING id",
                        [name, name[:30], f"{art}-{reihe}", art, reihe, jetzt, jetzt],
                    ).fetchone()[0]
                )
            return ids

        neue_ausschuesse(ERGAENZUNG_GREMIEN[:6], "ausschuss")
        neue_ausschuesse(ERGAENZUNG_GREMIEN[6:], "beirat")
        fraktionen = neue_ausschuesse(ERGAENZUNG_FRAKTIONEN, "fraktion")
        gremien = [r[0] for r in cur.execute("SELECT id FROM sitzungen_ausschuss WHERE art <> 'fraktion' ORDER BY id")]

        with cur.copy(
            "COPY sitzungen_ort (bezeichnung, strasse, postleitzahl, ort, raum, erstellt_am, geaendert_am) FROM STDIN"
        ) as c:
            for i in range(1, orte + 1):
                c.write_row(
                    (
                        f"{ERGAENZUNG_PRAEFIX}ort {i}",
                        f"{zufall.choice(STRASSEN)} {i}",
                        f"70{i % 1000:03d}",
                        "Stuttgart",
                        f"Saal {i % 7 + 1}",
                        jetzt,
                        jetzt,
                    )
                )
        ort_ids = [
            r[0]
            for r in cur.execute(
                "SELECT id FROM sitzungen_ort WHERE bezeichnung LIKE %s", [ERGAENZUNG_PRAEFIX + "ort %"]
            )
        ]
        # Every Sitzung gets a place, so list and detail pages join and show it as in production.
        cur.execute(
            "UPDATE sitzungen_sitzung SET ort_id = (%s::bigint[])[1 + id %% %s] WHERE ort_id IS NULL",
            [ort_ids, len(ort_ids)],
        )

        with cur.copy(
            "COPY sitzungen_person (titel, vorname, nachname, fraktion_id, partei, kontakt_veroeffentlichen, email, "
            "telefon, erstellt_am, geaendert_am, foto) FROM STDIN"
        ) as c:
            for i in range(1, personen + 1):
                c.write_row(
                    (
                        "Dr." if i % 17 == 0 else "",
                        zufall.choice(VORNAMEN),
                        f"{zufall.choice(NACHNAMEN)} {i}",
                        zufall.choice(fraktionen) if i % 3 else None,
                        "",
                        False,
                        "",
                        "",
                        jetzt,
                        jetzt,
                        "",
                    )
                )
        person_ids = [
            r[0] for r in cur.execute("SELECT id FROM sitzungen_person ORDER BY id DESC LIMIT %s", [personen])
        ]
        rollen = ["mitglied"] * 6 + ["stellvertretung"] * 3 + ["sachkundig"]
        with cur.copy(
            "COPY sitzungen_mitgliedschaft (person_id, ausschuss_id, rolle, beginn, ende, erstellt_am, geaendert_am) "
            "FROM STDIN"
        ) as c:
            for i in range(mitgliedschaften):
                ausschuss = gremien[i % len(gremien)]
                rolle = "vorsitz" if i < len(gremien) else zufall.choice(rollen)
                # Most seats are current; one in eight ended with the last term.
                if i >= len(gremien) and i % 8 == 0:
                    beginn, ende = datetime.date(2019, 7, 1), datetime.date(2024, 6, 30)
                else:
                    beginn, ende = datetime.date(2024, 7, 1), None
                c.write_row((person_ids[i % len(person_ids)], ausschuss, rolle, beginn, ende, jetzt, jetzt))
        ausgabe(
            f"[{time.perf_counter() - start:7.1f} s] {len(ERGAENZUNG_GREMIEN) + len(fraktionen)} Gremien und "
            f"Fraktionen, {orte} Orte, {personen} Personen, {mitgliedschaften} Mitgliedschaften"
        )

        # Sitzungen with a full agenda, half before and half after today: the overview and the committee pages
        # show upcoming Sitzungen, and the "Sitzung with 40 TOPs" of the load test exists.
        # Recent public Vorlagen, so the agenda shows what an anonymous visitor sees in full.
        vorlagen = [
            r[0]
            for r in cur.execute(
                "SELECT id FROM vorlagen_vorlage WHERE status <> 'entwurf' AND oeffentlich AND NOT vertraulich "
                "ORDER BY id DESC LIMIT %s",
                [sitzungen * tops],
            )
        ]
        for n in range(sitzungen):
            ausschuss = gremien[n % 8]
            beginn = datetime.datetime.combine(heute, datetime.time(15), datetime.UTC) + datetime.timedelta(
                days=7 * (n - sitzungen // 2) + 1
            )
            sitzung = cur.execute(
                "INSERT INTO sitzungen_sitzung (name, beginn, ende, status, oeffentlich, erstellt_am, geaendert_am, "
                "ausschuss_id, ort_id) VALUES (%s, %s, %s, %s, true, %s, %s, %s, %s) RETURNING id",
                [
                    f"{ERGAENZUNG_PRAEFIX} {n + 1}: {text.titel()}",
                    beginn,
                    beginn + datetime.timedelta(hours=4),
                    "abgeschlossen" if beginn < jetzt else "einberufen",
                    jetzt,
                    jetzt,
                    ausschuss,
                    ort_ids[n],
                ],
            ).fetchone()[0]
            for reihe in range(1, tops + 1):
                oeffentlich = reihe <= tops - 4
                top = cur.execute(
                    "INSERT INTO sitzungen_tagesordnungspunkt (nummer, reihenfolge, oeffentlich, titel, ergebnis, "
                    "beschluss, beratungsverlauf, erstellt_am, geaendert_am, sitzung_id) "
                    "VALUES (%s, %s, %s, %s, %s, %s, '', %s, %s, %s) RETURNING id",
                    [
                        str(reihe),
                        reihe,
                        oeffentlich,
                        text.titel(),
                        "beschlossen" if beginn < jetzt else "",
                        text.saetze(150),
                        jetzt,
                        jetzt,
                        sitzung,
                    ],
                ).fetchone()[0]
                vorlage = vorlagen[n * tops + reihe - 1]
                cur.execute(
                    "INSERT INTO sitzungen_tagesordnungspunkt_vorlagen (tagesordnungspunkt_id, vorlage_id) "
                    "VALUES (%s, %s)",
                    [top, vorlage],
                )
                cur.execute(
                    "INSERT INTO sitzungen_beratung (rolle, oeffentlich, termin, reihenfolge, ergebnis, erstellt_am, "
                    "geaendert_am, ausschuss_id, vorlage_id, sitzung_id, tagesordnungspunkt_id) "
                    "VALUES ('beratung', %s, %s, 2, '', %s, %s, %s, %s, %s, %s)",
                    [oeffentlich, beginn.date(), jetzt, jetzt, ausschuss, vorlage, sitzung, top],
                )
        db.commit()
    with psycopg.connect(url, autocommit=True) as db:
        for tabelle in [
            "sitzungen_ausschuss",
            "sitzungen_ort",
            "sitzungen_person",
            "sitzungen_mitgliedschaft",
            "sitzungen_sitzung",
            "sitzungen_tagesordnungspunkt",
            "sitzungen_beratung",
        ]:
            db.execute(f"ANALYZE {tabelle}")
    ausgabe(f"[{time.perf_counter() - start:7.1f} s] {sitzungen} Sitzungen mit je {tops} TOPs, Beratungen, ANALYZE")
    return True


def personen_ergaenzen(*, urheber_fraktion=4000, urheber_person=2000, ausgabe=print):
    """Issue 20, once (after ``ergaenzen``): Fraktion memberships for the people of the Ergänzung (today's seat from
    the term's start for everyone with a Fraktion; every tenth also sat for another Fraktion in the term before),
    and Urheber: ``urheber_fraktion`` Anträge and Anfragen signed by a Fraktion (a few by two), ``urheber_person``
    by a councillor. Each part only once: the memberships for those without a Fraktion seat, the Urheber only when
    there is none yet; returns whether it added anything."""
    import psycopg

    url = datenbank_url()
    jetzt = datetime.datetime.now(datetime.UTC)
    zufall = random.Random(20)
    start = time.perf_counter()
    with psycopg.connect(url) as db, db.cursor() as cur:
        cur.execute("LOCK TABLE vorlagen_urheber IN SHARE ROW EXCLUSIVE MODE")
        cur.execute("LOCK TABLE sitzungen_mitgliedschaft IN SHARE ROW EXCLUSIVE MODE")
        urheber_da = cur.execute("SELECT count(*) FROM vorlagen_urheber").fetchone()[0]
        fraktionen = [
            r[0] for r in cur.execute("SELECT id FROM sitzungen_ausschuss WHERE art = 'fraktion' ORDER BY id")
        ]
        if not fraktionen:
            ausgabe("Keine Fraktionen: erst ergaenzen()")
            return False
        mitglieder = cur.execute(
            "SELECT p.id, p.fraktion_id FROM sitzungen_person p WHERE p.fraktion_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM sitzungen_mitgliedschaft m JOIN sitzungen_ausschuss a ON a.id = m.ausschuss_id "
            "WHERE m.person_id = p.id AND a.art = 'fraktion') ORDER BY p.id"
        ).fetchall()
        with cur.copy(
            "COPY sitzungen_mitgliedschaft (person_id, ausschuss_id, rolle, beginn, ende, erstellt_am, geaendert_am) "
            "FROM STDIN"
        ) as c:
            vorsitz = set()
            for i, (person, fraktion) in enumerate(mitglieder):
                rolle = "mitglied"
                if fraktion not in vorsitz:
                    vorsitz.add(fraktion)
                    rolle = "vorsitz"
                c.write_row((person, fraktion, rolle, datetime.date(2024, 7, 1), None, jetzt, jetzt))
                if i % 10 == 0:
                    vorher = fraktionen[(fraktionen.index(fraktion) + 1) % len(fraktionen)]
                    ende = datetime.date(2024, 6, 30)
                    c.write_row((person, vorher, "mitglied", datetime.date(2019, 7, 1), ende, jetzt, jetzt))
        personen = [
            r[0] for r in cur.execute("SELECT id FROM sitzungen_person WHERE fraktion_id IS NOT NULL ORDER BY id")
        ]
        # Urheber only into a data set without any (another benchmark may have added its own).
        vorlagen = (
            []
            if urheber_da
            else [
                r[0]
                for r in cur.execute(
                    "SELECT id FROM vorlagen_vorlage WHERE art IN ('antrag', 'anfrage') ORDER BY id DESC LIMIT %s",
                    [urheber_fraktion + urheber_person],
                )
            ]
        )
        with cur.copy("COPY vorlagen_urheber (vorlage_id, reihenfolge, fraktion_id, person_id) FROM STDIN") as c:
            for i, vorlage in enumerate(vorlagen[:urheber_fraktion]):
                erste = fraktionen[i % len(fraktionen)]
                c.write_row((vorlage, 1, erste, None))
                if i % 7 == 0:
                    c.write_row((vorlage, 2, fraktionen[(i + 3) % len(fraktionen)], None))
            for vorlage in vorlagen[urheber_fraktion:]:
                c.write_row((vorlage, 1, None, zufall.choice(personen)))
        db.commit()
    with psycopg.connect(url, autocommit=True) as db:
        for tabelle in ["sitzungen_mitgliedschaft", "vorlagen_urheber"]:
            db.execute(f"ANALYZE {tabelle}")
    ausgabe(
        f"[{time.perf_counter() - start:7.1f} s] {len(mitglieder)} Fraktionsmitglieder neu, {len(vorlagen)} Anträge "
        f"und Anfragen mit Urheber neu ({urheber_da} vorhanden), ANALYZE"
    )
    return bool(mitglieder or vorlagen)


def sicherstellen(
    *, vorlagen=100_000, sitzungen=10_000, tops=200_000, anlagen=300_000, seiten=2, neu=False, ausgabe=print
):
    """Set Django up on the benchmark database and load the data set unless it is there already."""
    django_einrichten()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if neu or not geladen(vorlagen):
        laden(vorlagen=vorlagen, sitzungen=sitzungen, tops=tops, anlagen=anlagen, seiten=seiten, ausgabe=ausgabe)
    else:
        ausgabe(f"Datensatz vorhanden: {vorlagen} Vorlagen in {datenbank_url()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vorlagen", type=int, default=100_000)
    parser.add_argument("--sitzungen", type=int, default=10_000)
    parser.add_argument("--tops", type=int, default=200_000)
    parser.add_argument("--anlagen", type=int, default=300_000)
    parser.add_argument("--seiten", type=int, default=2)
    parser.add_argument("--neu", action="store_true", help="load again even if the data set is there")
    parser.add_argument(
        "--ergaenzen",
        action="store_true",
        help="then add Gremien, Personen, Mitgliedschaften, Orte and Sitzungen with 40 TOPs (once)",
    )
    argumente = parser.parse_args()
    sicherstellen(
        vorlagen=argumente.vorlagen,
        sitzungen=argumente.sitzungen,
        tops=argumente.tops,
        anlagen=argumente.anlagen,
        seiten=argumente.seiten,
        neu=argumente.neu,
    )
    if argumente.ergaenzen:
        ergaenzen()


if __name__ == "__main__":
    main()
