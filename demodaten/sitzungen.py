"""The Sitzungen of the demo data and their Tagesordnung.

Past Sitzungen are closed and carry results; those of next week are convened, later ones planned; one is
cancelled. The Ältestenrat meets in private. Non-public items (N) with sensitive titles sit beside public ones (Ö).
A TOP names the Vorlagen it concerns by their key in ``vorlagen.py``; each such Vorlage must plan a Beratung of
this Ausschuss on this day (the loader checks), which ``beratungsfolge_abgleichen`` then ties to the TOP.

Each entry: ``ausschuss`` (slug), ``beginn``/``ende`` (aware datetimes), ``ort`` (key in ``gremien.ORTE``),
``status``, ``oeffentlich``, and ``oe``/``n``: the public and non-public TOPs, numbered in list order.
"""

import datetime

from demodaten.kalender import DI, DO, FR, MI, MO
from demodaten.vorlagen import BA_BAEDER, GR, IA, JHA, KLUA, KMA, SCHB, SGA, STA, VA, WA
from sitzungen.models import Sitzung, Tagesordnungspunkt

GEPLANT = Sitzung.Status.GEPLANT
EINBERUFEN = Sitzung.Status.EINBERUFEN
ABGESAGT = Sitzung.Status.ABGESAGT
ABGESCHLOSSEN = Sitzung.Status.ABGESCHLOSSEN

E = Tagesordnungspunkt.Ergebnis
AELTESTENRAT = "aeltestenrat"


def top(titel=None, *vorlagen, ergebnis="", beschluss=""):
    """A TOP; without a title it takes the title of its first Vorlage."""
    return {"titel": titel, "vorlagen": list(vorlagen), "ergebnis": ergebnis, "beschluss": beschluss}


def vorlagen_top(*vorlagen, ergebnis="", beschluss=""):
    return top(None, *vorlagen, ergebnis=ergebnis, beschluss=beschluss)


def sitzung(kal, ausschuss, tag, von, bis, ort, status, *, oe=(), n=(), oeffentlich=True):
    return {
        "ausschuss": ausschuss,
        "beginn": kal.zeit(tag, von),
        "ende": kal.zeit(tag, bis),
        "ort": ort,
        "status": status,
        "oeffentlich": oeffentlich,
        "oe": list(oe),
        "n": list(n),
    }


def sitzungen(kal):
    return [*_seed(kal), *_vergangene(kal), *_kommende(kal)]


def _seed(kal):
    return [
        sitzung(
            kal,
            IA,
            datetime.date(2021, 11, 24),
            "15:00",
            "18:00",
            "rathaus",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top(
                    "seed",
                    ergebnis=E.KENNTNIS_GENOMMEN,
                    beschluss="Der Internationale Ausschuss nimmt den Bericht und die Jubiläumsbroschüre zur Kenntnis.",
                ),
                top("Bekanntgaben und Verschiedenes"),
            ],
        )
    ]


def _vergangene(kal):
    return [
        sitzung(
            kal,
            "bezirksbeirat-ost",
            (-5, DI),
            "18:30",
            "20:30",
            "bezirksrathaus-ost",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top(
                    "schule-ost",
                    ergebnis=E.BESCHLOSSEN,
                    beschluss="Der Bezirksbeirat stimmt dem Vorhaben einstimmig zu und bittet, den Schulhof während "
                    "der Bauzeit für die Kinder nutzbar zu halten.",
                ),
                top("Vergabe von Bezirksbeiratsmitteln an Vereine im Stadtbezirk", ergebnis=E.BESCHLOSSEN),
                top("Bekanntgaben und Verschiedenes"),
            ],
        ),
        sitzung(
            kal,
            SCHB,
            (-4, MO),
            "14:00",
            "16:00",
            "mittlerer-saal",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top(
                    "schule-ost",
                    ergebnis=E.BESCHLOSSEN,
                    beschluss="Der Schulbeirat empfiehlt einstimmig, dem Beschlussantrag zuzustimmen.",
                )
            ],
        ),
        sitzung(
            kal,
            "bezirksbeirat-bad-cannstatt",
            (-4, MI),
            "18:30",
            "21:00",
            "bezirksrathaus-bad-cannstatt",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top(
                    "radnetz-bad-cannstatt",
                    ergebnis=E.BESCHLOSSEN,
                    beschluss="Zustimmung bei zwei Enthaltungen. Der Bezirksbeirat bittet, die Ladezonen für den "
                    "Einzelhandel zu erhalten.",
                ),
                top("Bezirksbeiratsmittel: Zuschuss für das Stadtteilfest", ergebnis=E.BESCHLOSSEN),
            ],
            n=[
                top(
                    "Grundstücksangelegenheit: Vorkaufsrecht für ein Wohngebäude in der Altstadt Bad Cannstatt",
                    ergebnis=E.KENNTNIS_GENOMMEN,
                )
            ],
        ),
        sitzung(
            kal,
            BA_BAEDER,
            (-4, DO),
            "16:00",
            "17:30",
            "kleiner-saal",
            ABGESCHLOSSEN,
            oe=[vorlagen_top("baeder-entgelte", ergebnis=E.BESCHLOSSEN, beschluss="Mehrheitliche Zustimmung.")],
            n=[top("Vergabeangelegenheit: Sanierung der Lüftungsanlage eines Hallenbads", ergebnis=E.BESCHLOSSEN)],
        ),
        sitzung(
            kal,
            SGA,
            (-3, MO),
            "15:00",
            "18:00",
            "mittlerer-saal",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top("sprachkurse", ergebnis=E.BESCHLOSSEN, beschluss="Einstimmige Zustimmung."),
                vorlagen_top("unterbringung", ergebnis=E.KENNTNIS_GENOMMEN),
            ],
            n=[top("Personalangelegenheit: Besetzung einer Abteilungsleitung im Sozialamt", ergebnis=E.BESCHLOSSEN)],
        ),
        sitzung(
            kal,
            "bezirksbeirat-zuffenhausen",
            (-3, DI),
            "18:30",
            "20:00",
            "bezirksrathaus-zuffenhausen",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top(
                    "bebauungsplan-zuffenhausen",
                    ergebnis=E.BESCHLOSSEN,
                    beschluss="Zustimmung bei einer Gegenstimme. Der Bezirksbeirat bittet um eine gute "
                    "Fußwegverbindung zur S-Bahn.",
                )
            ],
        ),
        sitzung(
            kal,
            VA,
            (-3, MI),
            "09:00",
            "12:30",
            "grosser-saal",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top("schule-ost", ergebnis=E.BESCHLOSSEN, beschluss="Einstimmige Zustimmung."),
                vorlagen_top(
                    "baeder-entgelte",
                    ergebnis=E.GEAENDERT_BESCHLOSSEN,
                    beschluss="Zustimmung mit der Maßgabe, eine Familienkarte für zwei Erwachsene und ihre Kinder "
                    "zum Preis von 14 EUR einzuführen.",
                ),
                vorlagen_top(
                    "buergerbueros",
                    ergebnis=E.ABGESETZT,
                    beschluss="Die Verwaltung hat die Vorlage vor der Sitzung zurückgezogen.",
                ),
            ],
            n=[
                top("Personalangelegenheit: Stellenbesetzung im Haupt- und Personalamt", ergebnis=E.BESCHLOSSEN),
                top("Grundstücksangelegenheit: Verkauf einer Restfläche in Stammheim", ergebnis=E.BESCHLOSSEN),
            ],
        ),
        sitzung(
            kal,
            IA,
            (-3, MI),
            "15:00",
            "17:30",
            "mittlerer-saal",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top("sprachkurse", ergebnis=E.BESCHLOSSEN, beschluss="Einstimmige Zustimmung."),
                vorlagen_top("unterbringung", ergebnis=E.KENNTNIS_GENOMMEN),
            ],
        ),
        sitzung(
            kal,
            GR,
            (-3, DO),
            "15:00",
            "19:00",
            "grosser-saal",
            ABGESCHLOSSEN,
            oe=[
                top("Bekanntgaben des Oberbürgermeisters", ergebnis=E.KENNTNIS_GENOMMEN),
                vorlagen_top("schule-ost", ergebnis=E.BESCHLOSSEN, beschluss="Einstimmig beschlossen."),
                vorlagen_top(
                    "baeder-entgelte",
                    ergebnis=E.GEAENDERT_BESCHLOSSEN,
                    beschluss="Mehrheitlich beschlossen mit der Maßgabe des Verwaltungsausschusses (Familienkarte).",
                ),
            ],
            n=[
                top("Personalangelegenheit: Wahl einer Amtsleitung", ergebnis=E.BESCHLOSSEN),
                top("Grundstücksangelegenheit: Ausübung eines Vorkaufsrechts in Bad Cannstatt", ergebnis=E.BESCHLOSSEN),
            ],
        ),
        sitzung(
            kal,
            JHA,
            (-2, MO),
            "13:00",
            "16:00",
            "grosser-saal",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top(
                    "kita-ausbau",
                    ergebnis=E.BESCHLOSSEN,
                    beschluss="Einstimmige Zustimmung; die freien Träger werden an der Umsetzung beteiligt.",
                ),
                top("Bekanntgaben und Verschiedenes"),
            ],
        ),
        sitzung(
            kal,
            STA,
            (-2, DI),
            "09:00",
            "13:00",
            "grosser-saal",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top(
                    "radnetz-bad-cannstatt",
                    ergebnis=E.GEAENDERT_BESCHLOSSEN,
                    beschluss="Zustimmung mit der Maßgabe, die Ladezonen zeitlich zu begrenzen und zu kontrollieren.",
                ),
                vorlagen_top("bebauungsplan-zuffenhausen", ergebnis=E.BESCHLOSSEN, beschluss="Einstimmig."),
                vorlagen_top(
                    "parkraum-heslach",
                    ergebnis=E.ZURUECKGESTELLT,
                    beschluss="Zurückgestellt. Die Verwaltung legt eine Neufassung vor und hört den Bezirksbeirat "
                    "Süd an.",
                ),
            ],
            n=[
                top(
                    "Grundstücksangelegenheit: Tausch von Teilflächen für den Umbau einer Stadtbahnhaltestelle",
                    ergebnis=E.BESCHLOSSEN,
                )
            ],
        ),
        sitzung(
            kal,
            KLUA,
            (-2, FR),
            "09:00",
            "12:00",
            "mittlerer-saal",
            ABGESCHLOSSEN,
            oe=[
                vorlagen_top("photovoltaik", ergebnis=E.BESCHLOSSEN, beschluss="Einstimmige Zustimmung."),
                vorlagen_top("luftreinhaltung", ergebnis=E.KENNTNIS_GENOMMEN),
            ],
        ),
        sitzung(
            kal,
            AELTESTENRAT,
            (-1, DO),
            "13:00",
            "14:30",
            "kleiner-saal",
            ABGESCHLOSSEN,
            oeffentlich=False,
            n=[
                top("Sitzungskalender des Gemeinderats für das kommende Jahr", ergebnis=E.BESCHLOSSEN),
                top("Ablauf der Haushaltsberatungen", ergebnis=E.KENNTNIS_GENOMMEN),
                top("Personalangelegenheit: Angelegenheiten der Fraktionsgeschäftsstellen", ergebnis=E.ERLEDIGT),
            ],
        ),
    ]


def _kommende(kal):
    return [
        sitzung(
            kal,
            VA,
            (1, MI),
            "09:00",
            "13:00",
            "grosser-saal",
            EINBERUFEN,
            oe=[
                vorlagen_top("radnetz-bad-cannstatt"),
                vorlagen_top("sprachkurse"),
                vorlagen_top("photovoltaik"),
                vorlagen_top("kita-ausbau"),
                vorlagen_top("hundesteuer"),
                vorlagen_top("finanzzwischenbericht"),
            ],
            n=[
                vorlagen_top("grundstueck-feuerbach"),
                top("Personalangelegenheit: Stellenbesetzung in der Branddirektion"),
            ],
        ),
        sitzung(
            kal,
            GR,
            (1, DO),
            "15:00",
            "20:00",
            "grosser-saal",
            EINBERUFEN,
            oe=[
                top("Bekanntgaben des Oberbürgermeisters"),
                vorlagen_top("radnetz-bad-cannstatt"),
                vorlagen_top("sprachkurse"),
                vorlagen_top("photovoltaik"),
                vorlagen_top("kita-ausbau"),
                vorlagen_top("hundesteuer"),
                vorlagen_top("umbesetzung-gremien"),
                top("Anfragen aus dem Gemeinderat"),
            ],
            n=[
                top("Grundstücksangelegenheit: Vergabe eines Erbbaurechts in Möhringen"),
                # A TOP that members of the Gemeinderat see; the confidential Vorlage it concerns they do not.
                top("Personalangelegenheit: Wahl einer Amtsleitung", "personal-amtsleitung"),
                top("Vergabeangelegenheit: Rahmenvertrag für die Gebäudereinigung"),
            ],
        ),
        sitzung(
            kal,
            "bezirksbeirat-sued",
            (2, DI),
            "18:30",
            "21:00",
            "bezirksrathaus-sued",
            GEPLANT,
            oe=[
                vorlagen_top("parkraum-heslach-neufassung"),
                top("Vergabe von Bezirksbeiratsmitteln"),
                top("Bekanntgaben und Verschiedenes"),
            ],
        ),
        sitzung(kal, "bezirksbeirat-mitte", (2, MI), "18:00", "20:00", "kleiner-saal", ABGESAGT),
        sitzung(
            kal,
            WA,
            (2, FR),
            "09:00",
            "12:00",
            "mittlerer-saal",
            GEPLANT,
            # One TOP for a Beschlussvorlage and the Antrag it takes up.
            oe=[vorlagen_top("konzeptvergabe", "antrag-konzeptvergabe")],
            n=[top("Grundstücksangelegenheit: Vergabe eines Erbbaurechts an eine Wohnungsbaugenossenschaft")],
        ),
        sitzung(
            kal,
            KMA,
            (2, FR),
            "14:00",
            "17:00",
            "mittlerer-saal",
            GEPLANT,
            oe=[vorlagen_top("kulturfoerderung")],
        ),
        sitzung(
            kal,
            AELTESTENRAT,
            (2, DO),
            "13:00",
            "14:30",
            "kleiner-saal",
            GEPLANT,
            oeffentlich=False,
            n=[top("Tagesordnung der Haushaltsberatungen"), top("Verschiedenes")],
        ),
        sitzung(
            kal,
            IA,
            (4, MI),
            "15:00",
            "17:30",
            "mittlerer-saal",
            GEPLANT,
            oe=[vorlagen_top("interkulturelle-oeffnung")],
        ),
    ]
