"""Stuttgart's bodies, administrative units and meeting places, as the demo data loads them.

The names follow the Landeshauptstadt Stuttgart as of the 2024–2029 council term; the short descriptions are
written for the demo. Keys (slug, name, Bezeichnung + Raum) are the natural keys the loader matches on.
"""

from gremien.models import Ausschuss, Dienststelle

GR = Ausschuss.Art.GEMEINDERAT
AUSSCHUSS = Ausschuss.Art.AUSSCHUSS
BEIRAT = Ausschuss.Art.BEIRAT
BBR = Ausschuss.Art.BEZIRKSBEIRAT
FRAKTION = Ausschuss.Art.FRAKTION
SONSTIGES = Ausschuss.Art.SONSTIGES

# (slug, name, kurzname, art, beschreibung)
_GREMIEN = [
    (
        "gemeinderat",
        "Gemeinderat",
        "GR",
        GR,
        "Die Vertretung der Bürgerschaft und das Hauptorgan der Stadt: 60 Stadträtinnen und Stadträte und der "
        "Oberbürgermeister als Vorsitzender. Der Gemeinderat entscheidet über alle Angelegenheiten, die er nicht "
        "einem Ausschuss oder dem Oberbürgermeister übertragen hat, darunter den Haushalt und die Satzungen.",
    ),
    (
        "aeltestenrat",
        "Ältestenrat",
        "ÄR",
        SONSTIGES,
        "Berät den Oberbürgermeister in Fragen der Tagesordnung und des Sitzungsablaufs. Er tagt nichtöffentlich.",
    ),
    (
        "verwaltungsausschuss",
        "Verwaltungsausschuss",
        "VA",
        AUSSCHUSS,
        "Beschließender Ausschuss für Finanzen, Personal, Organisation und Liegenschaften; er berät die meisten "
        "Vorlagen vor, bevor der Gemeinderat entscheidet.",
    ),
    (
        "ausschuss-fuer-wirtschaft-und-wohnen",
        "Ausschuss für Wirtschaft und Wohnen",
        "WA",
        AUSSCHUSS,
        "Zuständig für Wirtschaftsförderung, Wohnungsbau und die städtischen Beteiligungen im Wohnungsbereich.",
    ),
    (
        "ausschuss-fuer-stadtentwicklung-und-technik",
        "Ausschuss für Stadtentwicklung und Technik",
        "STA",
        AUSSCHUSS,
        "Zuständig für Bauleitplanung, Hoch- und Tiefbau, Verkehr und Mobilität.",
    ),
    (
        "ausschuss-fuer-klima-und-umwelt",
        "Ausschuss für Klima und Umwelt",
        "KlUA",
        AUSSCHUSS,
        "Berät Klimaschutz, Klimaanpassung, Energie, Luftreinhaltung und Naturschutz.",
    ),
    (
        "sozial-und-gesundheitsausschuss",
        "Sozial- und Gesundheitsausschuss",
        "SGA",
        AUSSCHUSS,
        "Zuständig für Sozialhilfe, Wohnungsnotfallhilfe, Unterbringung Geflüchteter, Pflege und Gesundheit.",
    ),
    (
        "jugendhilfeausschuss",
        "Jugendhilfeausschuss",
        "JHA",
        AUSSCHUSS,
        "Teil des Jugendamts nach dem Achten Buch Sozialgesetzbuch; ihm gehören neben Stadträtinnen und "
        "Stadträten auch Vertreterinnen und Vertreter der freien Träger an.",
    ),
    (
        "internationaler-ausschuss",
        "Internationaler Ausschuss",
        "IA",
        AUSSCHUSS,
        "Berät Fragen der Integration und der internationalen Beziehungen der Stadt; ihm gehören neben "
        "Stadträtinnen und Stadträten sachkundige Einwohnerinnen und Einwohner mit internationaler Geschichte an.",
    ),
    (
        "ausschuss-fuer-kultur-und-medien",
        "Ausschuss für Kultur und Medien",
        "KMA",
        AUSSCHUSS,
        "Zuständig für die städtischen Kultureinrichtungen und die Förderung von Kunst und Kultur.",
    ),
    (
        "sportausschuss",
        "Sportausschuss",
        "SpA",
        AUSSCHUSS,
        "Berät die Sportförderung, die Sportstätten und die Zusammenarbeit mit den Vereinen.",
    ),
    (
        "krankenhausausschuss",
        "Krankenhausausschuss",
        "KHA",
        AUSSCHUSS,
        "Betriebsausschuss für das Klinikum Stuttgart.",
    ),
    (
        "betriebsausschuss-baederbetriebe",
        "Betriebsausschuss Bäderbetriebe Stuttgart",
        "BA Bäder",
        AUSSCHUSS,
        "Betriebsausschuss für den Eigenbetrieb Bäderbetriebe Stuttgart.",
    ),
    (
        "betriebsausschuss-abfallwirtschaft",
        "Betriebsausschuss Abfallwirtschaft Stuttgart",
        "BA AWS",
        AUSSCHUSS,
        "Betriebsausschuss für den Eigenbetrieb Abfallwirtschaft Stuttgart.",
    ),
    (
        "betriebsausschuss-stadtentwaesserung",
        "Betriebsausschuss Stadtentwässerung Stuttgart",
        "BA SES",
        AUSSCHUSS,
        "Betriebsausschuss für den Eigenbetrieb Stadtentwässerung Stuttgart.",
    ),
    (
        "betriebsausschuss-leben-und-wohnen-im-alter",
        "Betriebsausschuss Leben und Wohnen im Alter",
        "BA ELW",
        AUSSCHUSS,
        "Betriebsausschuss für den Eigenbetrieb Leben und Wohnen im Alter.",
    ),
    (
        "schulbeirat",
        "Schulbeirat",
        "SchB",
        BEIRAT,
        "Berät den Gemeinderat in Schulangelegenheiten; ihm gehören Vertreterinnen und Vertreter von Schulen, "
        "Eltern, Schülerschaft und Kirchen an.",
    ),
    (
        "beirat-fuer-gleichstellungsfragen",
        "Beirat für Gleichstellungsfragen",
        "GB",
        BEIRAT,
        "Berät den Gemeinderat in Fragen der Gleichstellung von Frauen und Männern.",
    ),
    (
        "beirat-inklusion",
        "Beirat Inklusion",
        "BI",
        BEIRAT,
        "Vertritt die Anliegen von Menschen mit Behinderungen gegenüber Gemeinderat und Verwaltung.",
    ),
]

# The five inner districts first, then the eighteen outer ones, as the city lists them.
STADTBEZIRKE = [
    ("mitte", "Mitte"),
    ("nord", "Nord"),
    ("ost", "Ost"),
    ("sued", "Süd"),
    ("west", "West"),
    ("bad-cannstatt", "Bad Cannstatt"),
    ("birkach", "Birkach"),
    ("botnang", "Botnang"),
    ("degerloch", "Degerloch"),
    ("feuerbach", "Feuerbach"),
    ("hedelfingen", "Hedelfingen"),
    ("moehringen", "Möhringen"),
    ("muehlhausen", "Mühlhausen"),
    ("muenster", "Münster"),
    ("obertuerkheim", "Obertürkheim"),
    ("plieningen", "Plieningen"),
    ("sillenbuch", "Sillenbuch"),
    ("stammheim", "Stammheim"),
    ("untertuerkheim", "Untertürkheim"),
    ("vaihingen", "Vaihingen"),
    ("wangen", "Wangen"),
    ("weilimdorf", "Weilimdorf"),
    ("zuffenhausen", "Zuffenhausen"),
]

FRAKTIONEN = [
    ("fraktion-gruene", "Gemeinderatsfraktion Bündnis 90/Die Grünen", "90/GRÜNE"),
    ("fraktion-cdu", "CDU-Gemeinderatsfraktion", "CDU"),
    ("fraktion-spd", "SPD-Gemeinderatsfraktion", "SPD"),
    ("fraktion-fdp", "FDP-Gemeinderatsfraktion", "FDP"),
    ("fraktion-freie-waehler", "Freie-Wähler-Gemeinderatsfraktion", "FW"),
]


def ausschuesse():
    """Every Ausschuss as keyword arguments of the model, in list order."""
    zeilen = []
    for reihenfolge, (slug, name, kurzname, art, beschreibung) in enumerate(_GREMIEN, start=1):
        zeilen.append(
            {
                "slug": slug,
                "name": name,
                "kurzname": kurzname,
                "art": art,
                "reihenfolge": reihenfolge,
                "beschreibung": beschreibung,
            }
        )
    for nummer, (kennung, bezirk) in enumerate(STADTBEZIRKE, start=1):
        zeilen.append(
            {
                "slug": f"bezirksbeirat-{kennung}",
                "name": f"Bezirksbeirat {bezirk}",
                "kurzname": f"BBR {bezirk}",
                "art": BBR,
                "reihenfolge": 100 + nummer,
                "beschreibung": (
                    f"Der Bezirksbeirat berät die Verwaltung in den Angelegenheiten des Stadtbezirks {bezirk}. "
                    "Er wird zu Vorhaben im Stadtbezirk angehört, bevor Ausschüsse oder Gemeinderat entscheiden."
                ),
            }
        )
    for nummer, (slug, name, kurzname) in enumerate(FRAKTIONEN, start=1):
        zeilen.append({"slug": slug, "name": name, "kurzname": kurzname, "art": FRAKTION, "reihenfolge": 200 + nummer})
    return zeilen


REFERAT = Dienststelle.Art.REFERAT
AMT = Dienststelle.Art.AMT
EIGENBETRIEB = Dienststelle.Art.EIGENBETRIEB
STABSSTELLE = Dienststelle.Art.STABSSTELLE

# (name, kurzname, art, name of the Referat above it)
DIENSTSTELLEN = [
    ("Referat Allgemeine Verwaltung, Kultur und Recht", "AKR", REFERAT, None),
    ("Referat Wirtschaft, Finanzen und Beteiligungen", "WFB", REFERAT, None),
    ("Referat Sicherheit, Ordnung und Sport", "SOS", REFERAT, None),
    ("Referat Jugend und Bildung", "JB", REFERAT, None),
    ("Referat Soziales und gesellschaftliche Integration", "SI", REFERAT, None),
    ("Referat Städtebau, Wohnen und Umwelt", "SWU", REFERAT, None),
    ("Grundsatzreferat Klimaschutz, Mobilität und Wohnen", "KM", REFERAT, None),
    ("Haupt- und Personalamt", "10", AMT, "Referat Allgemeine Verwaltung, Kultur und Recht"),
    ("Kulturamt", "41", AMT, "Referat Allgemeine Verwaltung, Kultur und Recht"),
    ("Stadtkämmerei", "20", AMT, "Referat Wirtschaft, Finanzen und Beteiligungen"),
    ("Liegenschaftsamt", "23", AMT, "Referat Wirtschaft, Finanzen und Beteiligungen"),
    ("Amt für öffentliche Ordnung", "32", AMT, "Referat Sicherheit, Ordnung und Sport"),
    ("Branddirektion", "37", AMT, "Referat Sicherheit, Ordnung und Sport"),
    ("Amt für Sport und Bewegung", "52", AMT, "Referat Sicherheit, Ordnung und Sport"),
    ("Bäderbetriebe Stuttgart", "BBS", EIGENBETRIEB, "Referat Sicherheit, Ordnung und Sport"),
    ("Schulverwaltungsamt", "40", AMT, "Referat Jugend und Bildung"),
    ("Jugendamt", "51", AMT, "Referat Jugend und Bildung"),
    ("Sozialamt", "50", AMT, "Referat Soziales und gesellschaftliche Integration"),
    ("Gesundheitsamt", "53", AMT, "Referat Soziales und gesellschaftliche Integration"),
    ("Abteilung Integrationspolitik", "SI-IP", STABSSTELLE, "Referat Soziales und gesellschaftliche Integration"),
    ("Amt für Stadtplanung und Wohnen", "61", AMT, "Referat Städtebau, Wohnen und Umwelt"),
    ("Amt für Umweltschutz", "36", AMT, "Referat Städtebau, Wohnen und Umwelt"),
    ("Baurechtsamt", "63", AMT, "Referat Städtebau, Wohnen und Umwelt"),
]


def dienststellen():
    """Every Dienststelle as keyword arguments; ``uebergeordnet`` is the name of the unit above, or None."""
    return [
        {"name": name, "kurzname": kurzname, "art": art, "uebergeordnet": oben}
        for name, kurzname, art, oben in DIENSTSTELLEN
    ]


RATHAUS = ("Rathaus Stuttgart", "Marktplatz 1", "70173")

# key: (bezeichnung, raum, strasse, postleitzahl)
ORTE = {
    # The seed names the Rathaus without a room.
    "rathaus": (RATHAUS[0], "", *RATHAUS[1:]),
    "grosser-saal": (RATHAUS[0], "Großer Sitzungssaal", *RATHAUS[1:]),
    "mittlerer-saal": (RATHAUS[0], "Mittlerer Sitzungssaal", *RATHAUS[1:]),
    "kleiner-saal": (RATHAUS[0], "Kleiner Sitzungssaal", *RATHAUS[1:]),
    "bezirksrathaus-bad-cannstatt": ("Bezirksrathaus Bad Cannstatt", "Großer Sitzungssaal", "Marktplatz 10", "70372"),
    "bezirksrathaus-ost": ("Bezirksrathaus Ost", "Sitzungssaal", "Schönbühlstraße 65", "70188"),
    "bezirksrathaus-zuffenhausen": ("Bezirksrathaus Zuffenhausen", "Sitzungssaal", "Emil-Schuler-Platz 1", "70435"),
    "bezirksrathaus-sued": ("Bezirksrathaus Süd", "Sitzungssaal", "", ""),
}


def orte():
    return {
        schluessel: {
            "bezeichnung": bezeichnung,
            "raum": raum,
            "strasse": strasse,
            "postleitzahl": plz,
            "ort": "Stuttgart",
        }
        for schluessel, (bezeichnung, raum, strasse, plz) in ORTE.items()
    }
