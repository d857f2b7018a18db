"""The people of the demo data: councillors of the Fraktionen, the mayors who chair the committees, and sachkundige
Einwohnerinnen und Einwohner, with their seats (Mitgliedschaften).

Every name is invented for the demo; resemblance to real people is not intended. The mayors are the invented
signatories of the demo's Vorlagen (the seed's real signatory is administration and appears in no seat). Where a
Vorlage of the demo is signed by councillors, they are the same people here, in the same Fraktion.

The story the seats tell: the council term began on ``wahlperiode_beginn``. A Stadträtin of the SPD left the council
a few weeks ago (her seats ended); her successor has sat on the Gemeinderat since its last Sitzung and takes over
her seats in two committees once the Gemeinderat has decided the Vorlage "Umbesetzung von Ausschüssen und Gremien"
next week (seats that begin in the future). The councillor of the demo account ``ratsmitglied`` is Lena Brenner:
Gemeinderat, Internationaler Ausschuss, Ausschuss für Klima und Umwelt, and Stellvertretung in the
Verwaltungsausschuss.

The term before (``wahlperioden``: the demo has that one and the current one): the mayor chaired the Gemeinderat
then too, most of today's councillors sat on it already, with the Internationaler Ausschuss of the seed's Sitzung
(24.11.2021) and its sachkundige Einwohner; two councillors of that term were not re-elected (no Fraktion today).

Each entry: the model fields of the Person (``fraktion`` as a slug or None) plus ``mitgliedschaften``, each with
``ausschuss`` (slug), ``rolle``, ``beginn`` and ``ende``. Person and seat are found by their natural keys
(Vorname + Nachname; Person + Ausschuss + Rolle + Beginn).
"""

import datetime

from demodaten.kalender import DO, FR
from demodaten.vorlagen import BA_BAEDER, GR, IA, JHA, KLUA, KMA, SCHB, SGA, STA, VA, WA
from gremien.models import Mitgliedschaft

AELTESTENRAT = "aeltestenrat"
SPORT = "sportausschuss"

GRUENE = "fraktion-gruene"
CDU = "fraktion-cdu"
SPD = "fraktion-spd"
FDP = "fraktion-fdp"
FW = "fraktion-freie-waehler"

PARTEIEN = {
    GRUENE: "Bündnis 90/Die Grünen",
    CDU: "CDU",
    SPD: "SPD",
    FDP: "FDP",
    FW: "Freie Wähler",
}

VORSITZ = Mitgliedschaft.Rolle.VORSITZ
STELLV_VORSITZ = Mitgliedschaft.Rolle.STELLV_VORSITZ
MITGLIED = Mitgliedschaft.Rolle.MITGLIED
STELLVERTRETUNG = Mitgliedschaft.Rolle.STELLVERTRETUNG
SACHKUNDIG = Mitgliedschaft.Rolle.SACHKUNDIG

# The Person behind the demo account "ratsmitglied" (see zugaenge.py).
RATSMITGLIED = ("Lena", "Brenner")

# Stuttgart elects its council every five years (2019, 2024, 2029 …); the new council first meets in July.
_ERSTE_WAHLPERIODE = datetime.date(2024, 7, 25)


def wahlperiode_beginn(montag):
    """The start of the council term the reference week lies in, at least half a year back.

    Half a year, so the seats that ended or changed during the term (a few weeks before the reference week) fall
    inside it whatever week the data is loaded for.
    """
    jahr = _ERSTE_WAHLPERIODE.year + 5 * ((montag.year - _ERSTE_WAHLPERIODE.year) // 5)
    beginn = _ERSTE_WAHLPERIODE.replace(year=jahr)
    while beginn > montag - datetime.timedelta(weeks=26):
        beginn = beginn.replace(year=beginn.year - 5)
    return beginn


_ASCII = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s", "ć": "c", "č": "c", "ğ": "g", "é": "e"}
)


def email(vorname, nachname):
    """An address under example.org, which never reaches anyone."""
    return f"{vorname}.{nachname}@example.org".lower().translate(_ASCII).replace(" ", "-")


def sitz(ausschuss, rolle=MITGLIED, beginn=None, ende=None):
    return {"ausschuss": ausschuss, "rolle": rolle, "beginn": beginn, "ende": ende}


def person(vorname, nachname, fraktion, *sitze, titel="", partei=None, kontakt=False, mit_email=True):
    return {
        "titel": titel,
        "vorname": vorname,
        "nachname": nachname,
        "fraktion": fraktion,
        "partei": PARTEIEN.get(fraktion, "") if partei is None else partei,
        "kontakt_veroeffentlichen": kontakt,
        "email": email(vorname, nachname) if mit_email else "",
        "telefon": "",
        "mitgliedschaften": list(sitze),
    }


def wahlperioden(montag):
    """The demo's Wahlperioden: the term of the reference week and the one before (with today's data 2019–2024
    and 2024–2029), each named by the years of its elections."""
    beginn = wahlperiode_beginn(montag)
    vorher = beginn.replace(year=beginn.year - 5)
    naechste = beginn.replace(year=beginn.year + 5)
    return [
        {"name": f"{vorher.year}–{beginn.year}", "beginn": vorher, "ende": beginn - datetime.timedelta(days=1)},
        {"name": f"{beginn.year}–{naechste.year}", "beginn": beginn, "ende": naechste - datetime.timedelta(days=1)},
    ]


# The seats of the term before, by person: (Ausschuss, Rolle). Whoever sat on the Gemeinderat then also sat in a
# Fraktion (FRUEHERE_FRAKTION, else the one of today).
FRUEHERE_SITZE = {
    ("Florian", "Eisele"): [(GR, MITGLIED)],
    ("Martin", "Hagenlocher"): [(GR, VORSITZ)],
    ("Miriam", "Sauter"): [(IA, VORSITZ)],
    RATSMITGLIED: [(GR, MITGLIED), (IA, MITGLIED)],
    ("Tobias", "Keck"): [(GR, MITGLIED)],
    ("Sevgi", "Aydın"): [(GR, MITGLIED), (IA, MITGLIED)],
    ("Carolin", "Bühler"): [(GR, MITGLIED)],
    ("Christine", "Wagner"): [(GR, MITGLIED)],
    ("Peter", "Schaible"): [(GR, MITGLIED)],
    ("Andreas", "Kübler"): [(GR, MITGLIED), (IA, MITGLIED)],
    ("Gisela", "Rapp"): [(GR, MITGLIED), (IA, STELLVERTRETUNG)],
    ("Ayşe", "Demir"): [(GR, MITGLIED)],
    ("Michael", "Haug"): [(GR, MITGLIED)],
    ("Katharina", "Vogt"): [(GR, MITGLIED), (IA, MITGLIED)],
    ("Jan", "Oberle"): [(GR, MITGLIED)],
    ("Ulrike", "Renz"): [(GR, MITGLIED), (IA, MITGLIED)],
    ("Rolf", "Maurer"): [(GR, MITGLIED)],
    ("Heike", "Dreher"): [(GR, MITGLIED)],
    ("Elena", "Petrović"): [(IA, SACHKUNDIG)],
    ("Kwame", "Mensah"): [(IA, SACHKUNDIG)],
    ("Gerhard", "Binder"): [(GR, MITGLIED), (IA, MITGLIED)],
    ("Ingrid", "Walz"): [(GR, MITGLIED), (IA, MITGLIED)],
}

# Fraktionen of the term before that differ from today's: Florian Eisele sat for the FDP and switched to the CDU with
# the new term; Katharina Vogt (SPD) has left since, Gerhard Binder and Ingrid Walz were not re-elected.
FRUEHERE_FRAKTION = {
    ("Florian", "Eisele"): FDP,
    ("Katharina", "Vogt"): SPD,
    ("Gerhard", "Binder"): CDU,
    ("Ingrid", "Walz"): GRUENE,
}

# Who chairs each Fraktion today; the others are its members (a seat in the Fraktion from the term's start).
FRAKTIONSVORSITZ = {
    GRUENE: ("Tobias", "Keck"),
    CDU: ("Christine", "Wagner"),
    SPD: ("Ayşe", "Demir"),
    FDP: ("Jan", "Oberle"),
    FW: ("Rolf", "Maurer"),
}

# The one person of the demo with a photo, published with her consent (the date is recorded): a neutral silhouette
# shipped in demodaten/dateien/, no one's face.
FOTO = {RATSMITGLIED: "silhouette.jpg"}


def personen(kal):
    """Every Person of the demo with their seats, for the reference week of ``kal``."""
    beginn = wahlperiode_beginn(kal.montag)
    frueher = wahlperioden(kal.montag)[0]
    ausgeschieden = kal.tag(-4, FR)
    nachgerueckt = kal.tag(-3, DO)  # sworn in at the Gemeinderat's last Sitzung
    umbesetzung = kal.tag(1, DO)  # the Gemeinderat decides "Umbesetzung von Ausschüssen und Gremien"

    eintraege = [
        # The mayors chair the committees of their Referat (§ 41 GemO BW); no Fraktion, no published contact.
        person(
            "Martin",
            "Hagenlocher",
            None,
            sitz(GR, VORSITZ),
            sitz(VA, VORSITZ),
            sitz(AELTESTENRAT, VORSITZ),
            mit_email=False,
        ),
        person(
            "Markus",
            "Lindner",
            None,
            sitz(VA, STELLV_VORSITZ),
            sitz(KMA, VORSITZ),
            titel="Dr.",
            mit_email=False,
        ),
        person("Thomas", "Ebersbach", None, sitz(WA, VORSITZ), mit_email=False),
        person("Jens", "Rothfuß", None, sitz(STA, VORSITZ), sitz(KLUA, VORSITZ), mit_email=False),
        person("Miriam", "Sauter", None, sitz(SGA, VORSITZ), sitz(IA, VORSITZ), titel="Dr.", mit_email=False),
        person("Sabine", "Hoffmeister", None, sitz(JHA, VORSITZ), sitz(SCHB, VORSITZ), mit_email=False),
        person("Stefan", "Kienle", None, sitz(SPORT, VORSITZ), sitz(BA_BAEDER, VORSITZ), titel="Dr.", mit_email=False),
        # Gemeinderatsfraktion Bündnis 90/Die Grünen
        person(
            *RATSMITGLIED,
            GRUENE,
            sitz(GR),
            sitz(IA),
            sitz(KLUA),
            sitz(VA, STELLVERTRETUNG),
            kontakt=True,
        ),
        person("Tobias", "Keck", GRUENE, sitz(GR), sitz(AELTESTENRAT), sitz(VA), sitz(STA)),
        person("Sevgi", "Aydın", GRUENE, sitz(GR), sitz(SGA), sitz(IA), sitz(JHA)),
        person("Jakob", "Reinhardt", GRUENE, sitz(GR), sitz(STA), sitz(WA), sitz(KLUA, STELLVERTRETUNG)),
        person("Carolin", "Bühler", GRUENE, sitz(GR), sitz(VA), sitz(KMA), sitz(KLUA), titel="Dr."),
        person("Matthias", "Leitz", GRUENE, sitz(GR), sitz(BA_BAEDER), sitz(SPORT), sitz(WA, STELLVERTRETUNG)),
        # CDU-Gemeinderatsfraktion
        person("Christine", "Wagner", CDU, sitz(GR), sitz(AELTESTENRAT), sitz(VA), sitz(WA)),
        person("Peter", "Schaible", CDU, sitz(GR), sitz(VA), sitz(STA), titel="Dr."),
        person("Andreas", "Kübler", CDU, sitz(GR), sitz(IA), sitz(SPORT), sitz(SGA, STELLVERTRETUNG)),
        person("Monika", "Striebel", CDU, sitz(GR), sitz(JHA), sitz(SCHB), sitz(KMA)),
        person("Florian", "Eisele", CDU, sitz(GR), sitz(KLUA), sitz(BA_BAEDER), sitz(STA, STELLVERTRETUNG)),
        person("Gisela", "Rapp", CDU, sitz(GR), sitz(SGA), sitz(IA, STELLVERTRETUNG)),
        # SPD-Gemeinderatsfraktion
        person(
            "Ayşe",
            "Demir",
            SPD,
            sitz(GR),
            sitz(AELTESTENRAT),
            sitz(VA),
            sitz(WA),
            titel="Dr.",
            kontakt=True,
        ),
        person("Michael", "Haug", SPD, sitz(GR), sitz(STA), sitz(KLUA), sitz(JHA)),
        person("Daniel", "Rieger", SPD, sitz(GR), sitz(KMA), sitz(SCHB), sitz(VA, STELLVERTRETUNG)),
        person(
            "Hasan",
            "Yıldız",
            SPD,
            sitz(GR, beginn=nachgerueckt),
            sitz(SPD, beginn=nachgerueckt),
            sitz(SGA, beginn=umbesetzung),
            sitz(IA, beginn=umbesetzung),
        ),
        # Left the council: no Fraktion any more, her seats ended.
        person(
            "Katharina",
            "Vogt",
            None,
            sitz(GR, ende=ausgeschieden),
            sitz(SGA, ende=ausgeschieden),
            sitz(IA, ende=ausgeschieden),
            sitz(SPD, ende=ausgeschieden),
            partei="SPD",
        ),
        # FDP-Gemeinderatsfraktion
        person("Jan", "Oberle", FDP, sitz(GR), sitz(AELTESTENRAT), sitz(VA), sitz(STA), kontakt=True),
        person("Ulrike", "Renz", FDP, sitz(GR), sitz(WA), sitz(KMA), sitz(IA), titel="Dr."),
        person("Benedikt", "Schäfer", FDP, sitz(GR), sitz(SGA), sitz(KLUA), sitz(JHA, STELLVERTRETUNG)),
        # Freie-Wähler-Gemeinderatsfraktion
        person("Rolf", "Maurer", FW, sitz(GR), sitz(AELTESTENRAT), sitz(VA), sitz(STA)),
        person("Heike", "Dreher", FW, sitz(GR), sitz(SGA), sitz(JHA), sitz(SCHB)),
        person("Konrad", "Pfisterer", FW, sitz(GR), sitz(WA), sitz(BA_BAEDER), sitz(SPORT)),
        # Sachkundige Einwohnerinnen und Einwohner of the Internationaler Ausschuss (§ 40 GemO BW): no Fraktion.
        person("Elena", "Petrović", None, sitz(IA, SACHKUNDIG)),
        person("Kwame", "Mensah", None, sitz(IA, SACHKUNDIG)),
        # Councillors of the term before only: not re-elected.
        person("Gerhard", "Binder", None, partei="CDU"),
        person("Ingrid", "Walz", None, partei="Bündnis 90/Die Grünen"),
    ]
    for eintrag in eintraege:
        name = (eintrag["vorname"], eintrag["nachname"])
        fraktion = eintrag["fraktion"]
        if fraktion and not any(sitz["ausschuss"] == fraktion for sitz in eintrag["mitgliedschaften"]):
            rolle = VORSITZ if FRAKTIONSVORSITZ.get(fraktion) == name else MITGLIED
            eintrag["mitgliedschaften"].append(sitz(fraktion, rolle))
        eintrag["foto"] = FOTO.get(name)
        eintrag["foto_einwilligung_am"] = beginn if name in FOTO else None
    for eintrag in eintraege:
        name = (eintrag["vorname"], eintrag["nachname"])
        fruehere = list(FRUEHERE_SITZE.get(name, []))
        fraktion = FRUEHERE_FRAKTION.get(name, eintrag["fraktion"])
        if fraktion and any(ausschuss == GR for ausschuss, _rolle in fruehere):
            fruehere.append((fraktion, MITGLIED))
        for ausschuss, rolle in fruehere:
            eintrag["mitgliedschaften"].append(sitz(ausschuss, rolle, beginn=frueher["beginn"], ende=frueher["ende"]))
    for eintrag in eintraege:
        for mitgliedschaft in eintrag["mitgliedschaften"]:
            if mitgliedschaft["beginn"] is None:
                mitgliedschaft["beginn"] = beginn
    return eintraege
