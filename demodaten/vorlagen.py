"""The Vorlagen of the demo data.

The first entry is the seed document (``shared/seeds/000_5527921fb946d4b6.txt``), held verbatim. The historic
GRDrs 952/2001 carries its real Beratungsfolge with a summary written for the demo. Everything else is invented
for the demo on realistic Stuttgart topics; the names of people in those Vorlagen are invented too, only the
seed's signatory is real. Current Vorlagen are dated relative to the reference week (see ``kalender``).

Each entry is a dict: the model fields of the Vorlage plus ``schluessel`` (how other entries refer to it),
``beratungen`` (the planned Beratungsfolge, in order), ``anlagen`` (title, shipped file, öffentlich, vertraulich),
``vorliegende`` and ``erledigte`` (keys of Anträge/Anfragen), ``urheber`` (who signed an Antrag or Anfrage, in
order: a Fraktion's slug or a councillor's ``(vorname, nachname)``), ``anfrage`` (a Stellungnahme: the key of the
Anfrage or Antrag it answers, listed before it) and ``antwort_bis``. Texts are paragraphs separated by a blank line.

Most Vorlagen are public. The exceptions show the visibility rule at work: a published non-public
Grundstücksangelegenheit before the Verwaltungsausschuss, a confidential Personalangelegenheit before the
Gemeinderat (clerks only, even the councillors on its agenda do not see it), a public Projektbeschluss with a
non-public Kostenberechnung, and drafts.
"""

import datetime

from demodaten.kalender import DI, DO, FR, MI, MO
from sitzungen.models import Beratung, Tagesordnungspunkt
from vorlagen.models import Vorlage

MITTEILUNGSVORLAGE = Vorlage.Art.MITTEILUNGSVORLAGE
BESCHLUSSVORLAGE = Vorlage.Art.BESCHLUSSVORLAGE
ANTRAG = Vorlage.Art.ANTRAG
ANFRAGE = Vorlage.Art.ANFRAGE
STELLUNGNAHME = Vorlage.Art.STELLUNGNAHME

ENTWURF = Vorlage.Status.ENTWURF
VEROEFFENTLICHT = Vorlage.Status.VEROEFFENTLICHT
ZURUECKGEZOGEN = Vorlage.Status.ZURUECKGEZOGEN

EINBRINGUNG = Beratung.Rolle.EINBRINGUNG
VORBERATUNG = Beratung.Rolle.VORBERATUNG
BERATUNG = Beratung.Rolle.BERATUNG
BESCHLUSSFASSUNG = Beratung.Rolle.BESCHLUSSFASSUNG
KENNTNISNAHME = Beratung.Rolle.KENNTNISNAHME
ANHOERUNG = Beratung.Rolle.ANHOERUNG

BESCHLOSSEN = Tagesordnungspunkt.Ergebnis.BESCHLOSSEN

OEFFENTLICH = True
NICHTOEFFENTLICH = False

AKR = "Referat Allgemeine Verwaltung, Kultur und Recht"
WFB = "Referat Wirtschaft, Finanzen und Beteiligungen"
SOS = "Referat Sicherheit, Ordnung und Sport"
JB = "Referat Jugend und Bildung"
SI = "Referat Soziales und gesellschaftliche Integration"
SWU = "Referat Städtebau, Wohnen und Umwelt"
KM = "Grundsatzreferat Klimaschutz, Mobilität und Wohnen"

GR = "gemeinderat"
VA = "verwaltungsausschuss"
IA = "internationaler-ausschuss"
STA = "ausschuss-fuer-stadtentwicklung-und-technik"
KLUA = "ausschuss-fuer-klima-und-umwelt"
SGA = "sozial-und-gesundheitsausschuss"
JHA = "jugendhilfeausschuss"
WA = "ausschuss-fuer-wirtschaft-und-wohnen"
KMA = "ausschuss-fuer-kultur-und-medien"
SCHB = "schulbeirat"
BA_BAEDER = "betriebsausschuss-baederbetriebe"

# The Fraktionen (slugs of demodaten.gremien) that sign Anträge and Anfragen; their councillors are named as in
# demodaten.personen (which imports this module, so the names are repeated here, and checked by the loader).
GRUENE = "fraktion-gruene"
CDU = "fraktion-cdu"
SPD = "fraktion-spd"
FDP = "fraktion-fdp"
FW = "fraktion-freie-waehler"
RATSMITGLIED = ("Lena", "Brenner")

# The loader finds the reference week of an earlier run from this Vorlage's date (see laden.py); its number and
# title must therefore not depend on the date.
MARKER = "schule-ost"

SEED_BERICHT = "\n\n".join(
    [
        "Mit der GRDrs 952/2001 wurde die erste gesamtstädtische Konzeption „Ein Bündnis für Integration: "
        "Grundlagen einer Integrationspolitik in der Landeshauptstadt Stuttgart“ veröffentlicht. Nach der "
        "Vorberatung im Internationalen Ausschuss am 14.11.2001 nahm der Gemeinderat das Grundlagenpapier am "
        "29.11.2001 zustimmend zur Kenntnis.",
        "Das Stuttgarter Bündnis für Integration wurde in den Folgejahren konzeptionell und inhaltlich fortlaufend "
        "weiterentwickelt.",
        "Genau 20 Jahre nach der ersten Publikation legen wir mit der Jubiläumsbroschüre „20 Jahre Stuttgarter "
        "Bündnis für Integration“ eine aktuelle Darstellung der Integrationsarbeit in der Landeshauptstadt vor "
        "(Anlage).",
        "Im Bericht gehen wir auf die Leitlinien der Stuttgarter Integrationspolitik ein, ebenso auf die "
        "konzeptionelle Weiterentwicklung der letzten fünf Jahre im Referat Soziales und gesellschaftliche "
        "Integration.",
        "Im Vordergrund stehen die aktuellen Arbeitsschwerpunkte. Beim Rückblick auf die beiden letzten "
        "Jahrzehnte werden ausgewählte Maßnahmen und Projekte kurz und ohne Anspruch auf Vollständigkeit "
        "dargestellt.",
        "Die Broschüre bietet in prägnanter Form einen Einblick in die Grundlagen der Stuttgarter "
        "Integrationspolitik. Im Sinne der Lesbarkeit haben wir im Gegensatz zu früheren Fortschreibungen auf "
        "Tabellen und Grafiken verzichtet.",
        "Die weitere konzeptionelle und inhaltliche Ausrichtung soll partizipativ mit den verschiedenen "
        "Kooperationsnetzwerken des Bündnisses für Integration erfolgen.",
        "Die Hearings zwischen Mai und September 2021 sind der Auftakt für diesen Beteiligungsprozess gewesen.",
        "Ein größerer Schwerpunkt der strategischen Integrationsplanung wird künftig die interkulturelle "
        "Ausrichtung der Stadtverwaltung sein.",
    ]
)

SEED_ANLAGE_TITEL = 'Jubiläumsbroschüre "20 Jahre Stuttgarter Bündnis für Integration"'


def absaetze(*teile):
    return "\n\n".join(teile)


def anlage(titel, dateiname, *, oeffentlich=True, vertraulich=False):
    """An Anlage with its shipped file; a plain ``(titel, dateiname)`` pair in ``anlagen`` is a public one."""
    return {"titel": titel, "dateiname": dateiname, "oeffentlich": oeffentlich, "vertraulich": vertraulich}


def beratung(ausschuss, rolle, oeffentlich, termin, ergebnis=""):
    return {"ausschuss": ausschuss, "rolle": rolle, "oeffentlich": oeffentlich, "termin": termin, "ergebnis": ergebnis}


def vorlage(schluessel, art, nummer, datum, dienststelle, titel, **weitere):
    eintrag = {
        "schluessel": schluessel,
        "art": art,
        "nummer": nummer,
        "jahr": datum.year,
        "zusatz": "",
        "datum": datum,
        "dienststelle": dienststelle,
        "titel": titel,
        "aktenzeichen": "",
        "beschlussantrag": "",
        "bericht": "",
        "begruendung": "",
        "finanzielle_auswirkungen": "",
        "mitzeichnung": "",
        "unterzeichnet_von": "",
        "unterzeichnet_funktion": "",
        "status": VEROEFFENTLICHT,
        "oeffentlich": True,
        "vertraulich": False,
        "beratungen": [],
        "anlagen": [],
        "vorliegende": [],
        "erledigte": [],
        # The earlier version (its schluessel) of a Neufassung or Ergänzung, with bezugsart and the PDF annex.
        "bezug": None,
        "bezugsart": "",
        "unterschiede_im_pdf": False,
        "urheber": [],
        "anfrage": "",
        "antwort_bis": None,
    }
    unbekannt = set(weitere) - set(eintrag)
    if unbekannt:
        raise TypeError(f"Unbekannte Angaben für {schluessel}: {sorted(unbekannt)}")
    eintrag.update(weitere)
    eintrag["anlagen"] = [teile if isinstance(teile, dict) else anlage(*teile) for teile in eintrag["anlagen"]]
    return eintrag


def vorlagen(kal):
    """All Vorlagen of the demo, for the reference week of ``kal``."""
    t = kal.tag
    return [
        *_seed_und_historie(),
        *_beschlussvorlagen(t),
        *_antraege_und_anfragen(t),
        *_mitteilungsvorlagen(t),
        *_nichtoeffentliche(t),
        *_entwuerfe(t),
    ]


def _seed_und_historie():
    return [
        vorlage(
            "seed",
            MITTEILUNGSVORLAGE,
            # The seed carries no GRDrs number; 1005/2021 is the demo's, not the city's.
            1005,
            datetime.date(2021, 11, 9),
            SI,
            "20 Jahre Stuttgarter Bündnis für Integration",
            bericht=SEED_BERICHT,
            unterzeichnet_von="Dr. Alexandra Sußmann",
            unterzeichnet_funktion="Bürgermeisterin",
            beratungen=[beratung(IA, KENNTNISNAHME, OEFFENTLICH, datetime.date(2021, 11, 24))],
            anlagen=[(SEED_ANLAGE_TITEL, "jubilaeumsbroschuere-20-jahre-buendnis-fuer-integration.pdf")],
        ),
        vorlage(
            "buendnis-2001",
            BESCHLUSSVORLAGE,
            952,
            datetime.date(2001, 10, 9),
            "Abteilung Integrationspolitik",
            "„Bündnis für Integration“: Grundlagen einer Integrationspolitik in der Landeshauptstadt Stuttgart",
            beschlussantrag=(
                "Der Gemeinderat nimmt die Konzeption „Ein Bündnis für Integration: Grundlagen einer "
                "Integrationspolitik in der Landeshauptstadt Stuttgart“ zustimmend zur Kenntnis. Sie ist die "
                "Grundlage der Integrationsarbeit der Stadtverwaltung."
            ),
            begruendung=absaetze(
                "Rund ein Viertel der Stuttgarterinnen und Stuttgarter hat keinen deutschen Pass, viele weitere "
                "haben eine eigene oder familiäre Zuwanderungsgeschichte. Integration ist deshalb eine Aufgabe "
                "der ganzen Stadtgesellschaft und aller Bereiche der Verwaltung, nicht einer einzelnen Stelle.",
                "Die Konzeption beschreibt erstmals gesamtstädtisch, welche Ziele die Stadt verfolgt: "
                "gleichberechtigte Teilhabe an Bildung, Arbeit und Wohnen, das Erlernen der deutschen Sprache, "
                "ein friedliches Zusammenleben in den Stadtteilen und die interkulturelle Öffnung der Verwaltung.",
                "Sie setzt auf ein Bündnis: Stadt, Wohlfahrtsverbände, Migrantenvereine, Kirchen, Wirtschaft und "
                "Vereine verpflichten sich auf gemeinsame Ziele und stimmen ihre Angebote aufeinander ab.",
                "(Zusammenfassung für die Demodaten; der Wortlaut der Vorlage ist nicht übernommen.)",
            ),
            beratungen=[
                beratung(IA, EINBRINGUNG, OEFFENTLICH, datetime.date(2001, 10, 17)),
                beratung(IA, VORBERATUNG, NICHTOEFFENTLICH, datetime.date(2001, 11, 14), BESCHLOSSEN),
                beratung(VA, VORBERATUNG, NICHTOEFFENTLICH, datetime.date(2001, 11, 28), BESCHLOSSEN),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, datetime.date(2001, 11, 29), BESCHLOSSEN),
            ],
        ),
    ]


def _beschlussvorlagen(t):
    radnetz_datum = t(-6, DO)
    parken_datum = t(-5, MI)
    antrag_konzept_jahr = t(-5, DO).year
    antrag_familien_jahr = t(-12, DI).year
    return [
        vorlage(
            MARKER,
            BESCHLUSSVORLAGE,
            610,
            t(-7, FR),
            JB,
            "Erweiterung einer Grundschule im Stadtbezirk Ost für den Ganztagsbetrieb – Projektbeschluss",
            beschlussantrag=absaetze(
                "1. Dem Projekt zur Erweiterung der Grundschule im Stadtbezirk Ost für den Ganztagsbetrieb wird "
                "auf der Grundlage des Raumprogramms und des Kostenrahmens (Anlage 1) mit Gesamtkosten von "
                "14,8 Mio. EUR zugestimmt.",
                "2. Die Verwaltung wird beauftragt, die Planung fortzuführen und die Bauleistungen auszuschreiben.",
                "3. Die Mittel werden im Teilfinanzhaushalt des Schulverwaltungsamts bereitgestellt.",
            ),
            begruendung=absaetze(
                "Seit August 2026 haben Kinder im Grundschulalter, beginnend mit der ersten Klasse, einen "
                "Rechtsanspruch auf ganztägige Förderung. Die Grundschule wird von rund 380 Kindern besucht; "
                "schon heute nehmen mehr als zwei Drittel von ihnen am Ganztag teil. Mensa und Betreuungsräume "
                "sind für diese Zahl nicht ausgelegt, gegessen wird in drei Schichten.",
                "Der Erweiterungsbau schafft eine Mensa mit Ausgabeküche, Lern- und Ruheräume für den Ganztag "
                "sowie zwei zusätzliche Klassenzimmer. Er wird in Holz-Hybridbauweise errichtet und erhält ein "
                "begrüntes Dach mit Photovoltaikanlage.",
                "Der Bezirksbeirat Ost und der Schulbeirat werden vor der Entscheidung angehört. Baubeginn soll "
                "in den Sommerferien des kommenden Jahres sein, die Fertigstellung ein Jahr später.",
            ),
            finanzielle_auswirkungen=absaetze(
                "Die Gesamtkosten betragen 14,8 Mio. EUR. Davon sind 9,5 Mio. EUR im Doppelhaushalt veranschlagt. "
                "Aus dem Investitionsprogramm Ganztagsausbau von Bund und Land werden 3,1 Mio. EUR erwartet; "
                "der verbleibende Betrag wird zum nächsten Doppelhaushalt angemeldet.",
                "Für Betrieb und Unterhalt entstehen jährliche Folgekosten von rund 310.000 EUR.",
            ),
            mitzeichnung="Referat WFB\nReferat SWU",
            unterzeichnet_von="Sabine Hoffmeister",
            unterzeichnet_funktion="Bürgermeisterin",
            beratungen=[
                beratung("bezirksbeirat-ost", ANHOERUNG, OEFFENTLICH, t(-5, DI)),
                beratung(SCHB, VORBERATUNG, OEFFENTLICH, t(-4, MO)),
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(-3, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(-3, DO)),
            ],
            anlagen=[
                ("Anlage 1: Raumprogramm und Kostenrahmen", "raumprogramm-und-kostenrahmen.pdf"),
                # The estimate per trade would tell bidders what the city expects to pay (§ 35 GemO BW).
                anlage(
                    "Anlage 2: Kostenberechnung (nichtöffentlich)",
                    "kostenberechnung-grundschule-ost.pdf",
                    oeffentlich=False,
                ),
            ],
        ),
        vorlage(
            "radnetz-bad-cannstatt",
            BESCHLUSSVORLAGE,
            655,
            radnetz_datum,
            KM,
            "Lückenschluss im Radnetz zwischen Wilhelmsplatz und Neckarufer in Bad Cannstatt – Baubeschluss",
            beschlussantrag=absaetze(
                "1. Dem Bau eines durchgehenden Zweirichtungsradwegs zwischen dem Wilhelmsplatz und dem "
                "Neckarufer in Bad Cannstatt nach der Entwurfsplanung der Verwaltung wird zugestimmt.",
                "2. Die Gesamtkosten von 2,35 Mio. EUR werden genehmigt.",
                "3. Die Bauarbeiten werden so abschnittsweise geplant, dass die Busse während der Bauzeit ohne "
                "Umleitung fahren können.",
            ),
            begruendung=absaetze(
                "Zwischen dem Wilhelmsplatz und dem Neckarufer fehlt auf rund 600 Metern eine sichere "
                "Radverbindung. Radfahrende teilen sich dort die Fahrbahn mit Autos und Bussen oder weichen auf "
                "die Gehwege aus. Nach den Zählungen der Verwaltung fahren hier an Werktagen rund 2.800 "
                "Menschen mit dem Rad.",
                "Geplant ist ein baulich getrennter Zweirichtungsradweg von 3,0 Metern Breite. Dafür entfallen "
                "34 Stellplätze im Straßenraum; zwölf davon werden in einer benachbarten Quartiersgarage "
                "ersetzt. An den Haltestellen werden die Gehwege verbreitert und die Querungen barrierefrei "
                "ausgebaut.",
                "In einer Informationsveranstaltung hat der örtliche Einzelhandel um ausreichende Ladezonen "
                "gebeten. Die Planung sieht zwei Ladezonen mit zeitlicher Begrenzung vor.",
            ),
            finanzielle_auswirkungen=(
                "Die Gesamtkosten betragen 2,35 Mio. EUR. Das Land fördert das Vorhaben nach dem "
                "Landesgemeindeverkehrsfinanzierungsgesetz voraussichtlich mit der Hälfte der zuwendungsfähigen "
                "Kosten. Der städtische Anteil ist im Teilfinanzhaushalt Mobilität veranschlagt."
            ),
            mitzeichnung="Referat SWU\nReferat SOS\nReferat WFB",
            unterzeichnet_von="Martin Hagenlocher",
            unterzeichnet_funktion="Oberbürgermeister",
            beratungen=[
                beratung("bezirksbeirat-bad-cannstatt", ANHOERUNG, OEFFENTLICH, t(-4, MI)),
                beratung(STA, VORBERATUNG, OEFFENTLICH, t(-2, DI)),
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(1, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(1, DO)),
            ],
        ),
        vorlage(
            "bebauungsplan-zuffenhausen",
            BESCHLUSSVORLAGE,
            671,
            t(-5, FR),
            SWU,
            "Bebauungsplan „Wohnquartier Lerchenäcker“ (Zu 315) im Stadtbezirk Zuffenhausen – Aufstellungsbeschluss",
            beschlussantrag=absaetze(
                "1. Für das rund 4,2 Hektar große Gebiet zwischen der Bahntrasse und dem Grünzug am nördlichen "
                "Ortsrand von Zuffenhausen wird nach § 2 Abs. 1 des Baugesetzbuchs die Aufstellung des "
                "Bebauungsplans „Wohnquartier Lerchenäcker“ (Zu 315) beschlossen.",
                "2. Die frühzeitige Beteiligung der Öffentlichkeit nach § 3 Abs. 1 des Baugesetzbuchs wird "
                "durchgeführt.",
            ),
            begruendung=absaetze(
                "Die bisher gewerblich genutzten Flächen liegen seit dem Wegzug eines Logistikbetriebs "
                "weitgehend brach. Sie sind mit der Stadtbahn und der S-Bahn gut erreichbar und eignen sich für "
                "ein gemischtes Quartier.",
                "Ziel sind rund 280 Wohnungen, davon mindestens 30 Prozent gefördert nach dem Stuttgarter "
                "Innenentwicklungsmodell, eine Kindertagesstätte mit fünf Gruppen und Flächen für nicht "
                "störendes Gewerbe im Erdgeschoss.",
                "Der Grünzug wird als Frischluftschneise erhalten und zum Quartierspark aufgewertet. Das "
                "Quartier soll weitgehend autofrei sein; Stellplätze werden in einer Quartiersgarage an der "
                "Zufahrt gebündelt.",
            ),
            finanzielle_auswirkungen=(
                "Durch den Aufstellungsbeschluss entstehen keine Kosten. Die Kosten der Planung trägt die "
                "Vorhabenträgerin auf der Grundlage eines städtebaulichen Vertrags."
            ),
            mitzeichnung="Grundsatzreferat KM\nReferat JB",
            unterzeichnet_von="Jens Rothfuß",
            unterzeichnet_funktion="Bürgermeister",
            beratungen=[
                beratung("bezirksbeirat-zuffenhausen", ANHOERUNG, OEFFENTLICH, t(-3, DI)),
                beratung(STA, BESCHLUSSFASSUNG, OEFFENTLICH, t(-2, DI)),
            ],
        ),
        vorlage(
            "sprachkurse",
            BESCHLUSSVORLAGE,
            690,
            t(-6, MO),
            SI,
            "Förderung von Sprach- und Orientierungskursen für Neuzugewanderte in den Jahren "
            f"{t(-6, MO).year + 1} und {t(-6, MO).year + 2}",
            beschlussantrag=absaetze(
                "1. Die Förderung der Sprach- und Orientierungskurse freier Träger für Neuzugewanderte wird "
                f"in den Jahren {t(-6, MO).year + 1} und {t(-6, MO).year + 2} mit jährlich 1,2 Mio. EUR "
                "fortgesetzt.",
                "2. Kurse mit Kinderbetreuung und Kurse in den äußeren Stadtbezirken werden vorrangig gefördert.",
                "3. Die Verwaltung berichtet dem Internationalen Ausschuss jährlich über Teilnahme und Wirkung.",
            ),
            begruendung=absaetze(
                "Die Integrationskurse des Bundes stehen nicht allen Neuzugewanderten offen und haben oft lange "
                "Wartezeiten. Die städtisch geförderten Kurse schließen diese Lücke: Sie richten sich an "
                "Menschen ohne Anspruch auf einen Integrationskurs, an Eltern kleiner Kinder und an "
                "Berufstätige, die Kurse am Abend oder am Wochenende brauchen.",
                "Im vergangenen Jahr haben rund 2.100 Menschen an 160 Kursen teilgenommen; drei von vier haben "
                "das angestrebte Sprachniveau erreicht. Die Nachfrage übersteigt das Angebot weiterhin deutlich.",
                "Die Förderung ist ein Baustein des Stuttgarter Bündnisses für Integration und wird mit den "
                "Trägern abgestimmt.",
            ),
            finanzielle_auswirkungen=(
                "Jährlich 1,2 Mio. EUR im Teilergebnishaushalt des Referats Soziales und gesellschaftliche "
                "Integration. Die Mittel sind im Entwurf des Doppelhaushalts veranschlagt."
            ),
            mitzeichnung="Referat WFB\nReferat JB",
            unterzeichnet_von="Dr. Miriam Sauter",
            unterzeichnet_funktion="Bürgermeisterin",
            beratungen=[
                beratung(SGA, VORBERATUNG, OEFFENTLICH, t(-3, MO)),
                beratung(IA, VORBERATUNG, OEFFENTLICH, t(-3, MI)),
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(1, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(1, DO)),
            ],
        ),
        vorlage(
            "photovoltaik",
            BESCHLUSSVORLAGE,
            702,
            t(-5, MO),
            SWU,
            "Solaroffensive: Photovoltaik auf den Dächern städtischer Gebäude – Ausbauprogramm",
            beschlussantrag=absaetze(
                "1. Dem Ausbauprogramm für Photovoltaikanlagen auf städtischen Gebäuden wird zugestimmt. In vier "
                "Jahren sollen alle geeigneten Dachflächen mit zusammen mindestens 25 Megawatt Spitzenleistung "
                "belegt sein.",
                "2. Für das Programm werden Investitionsmittel von insgesamt 38 Mio. EUR bereitgestellt.",
                "3. Die Verwaltung berichtet dem Ausschuss für Klima und Umwelt jährlich über den Fortschritt.",
            ),
            begruendung=absaetze(
                "Die Stadt will bis 2035 klimaneutral werden. Die eigenen Gebäude sollen dabei vorangehen.",
                "Die Verwaltung hat die Dächer von 640 städtischen Gebäuden geprüft. 410 sind nach Statik, "
                "Ausrichtung und Verschattung geeignet; auf 120 davon wird die Anlage mit einer ohnehin "
                "anstehenden Dachsanierung verbunden.",
                "Der Strom wird vorrangig in den Gebäuden selbst verbraucht. Überschüsse werden eingespeist; für "
                "Schulen mit hohem Sommerüberschuss werden Speicher geprüft.",
            ),
            finanzielle_auswirkungen=(
                "Investitionen von 38 Mio. EUR über vier Jahre. Nach Abschluss sinken die Stromkosten um rund "
                "2,6 Mio. EUR im Jahr; die Anlagen haben sich nach etwa 13 Jahren bezahlt gemacht."
            ),
            mitzeichnung="Referat WFB\nReferat AKR\nGrundsatzreferat KM",
            unterzeichnet_von="Jens Rothfuß",
            unterzeichnet_funktion="Bürgermeister",
            beratungen=[
                beratung(KLUA, VORBERATUNG, OEFFENTLICH, t(-2, FR)),
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(1, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(1, DO)),
            ],
        ),
        vorlage(
            "baeder-entgelte",
            BESCHLUSSVORLAGE,
            640,
            t(-7, MI),
            SOS,
            f"Bäderbetriebe Stuttgart: Anpassung der Eintrittsentgelte zum 1. Januar {t(-7, MI).year + 1}",
            beschlussantrag=absaetze(
                "1. Die Entgeltordnung der Bäderbetriebe Stuttgart wird zum 1. Januar nach der Übersicht in der "
                "Begründung geändert.",
                "2. Die ermäßigten Entgelte für Kinder, Jugendliche und Inhaberinnen und Inhaber der Bonuscard "
                "bleiben unverändert.",
            ),
            begruendung=absaetze(
                "Seit der letzten Anpassung sind die Personal- und Energiekosten der Bäder deutlich gestiegen. "
                "Die Entgelte decken einen immer kleineren Teil der Kosten; den Rest trägt der städtische "
                "Haushalt.",
                "Vorgesehen ist: Einzelkarte Hallen- und Freibad für Erwachsene von 5,20 EUR auf 5,80 EUR, "
                "Mineralbad für drei Stunden von 12,50 EUR auf 13,50 EUR, Zehnerkarten entsprechend. Die "
                "Entgelte für Kinder, Jugendliche und Bonuscard-Inhaber bleiben gleich.",
            ),
            finanzielle_auswirkungen=(
                "Mehrerträge von rund 1,1 Mio. EUR im Jahr; der Verlustausgleich aus dem städtischen Haushalt "
                "sinkt entsprechend."
            ),
            mitzeichnung="Referat WFB",
            unterzeichnet_von="Dr. Stefan Kienle",
            unterzeichnet_funktion="Bürgermeister",
            beratungen=[
                beratung(BA_BAEDER, VORBERATUNG, OEFFENTLICH, t(-4, DO)),
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(-3, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(-3, DO)),
            ],
        ),
        vorlage(
            "kita-ausbau",
            BESCHLUSSVORLAGE,
            720,
            t(-4, MO),
            JB,
            "Ausbau der Kindertagesbetreuung: Platzbedarfsplanung und Ausbauprogramm",
            beschlussantrag=absaetze(
                "1. Der Platzbedarfsplanung für die Kindertagesbetreuung wird zugestimmt.",
                "2. Dem Ausbau um 640 Plätze für Kinder unter drei Jahren und 520 Plätze für Kinder von drei "
                "Jahren bis zum Schuleintritt in städtischen Einrichtungen und bei freien Trägern wird "
                "zugestimmt.",
                "3. Für zusätzliche Fachkräfte in städtischen Einrichtungen werden 48 Stellen geschaffen.",
            ),
            begruendung=absaetze(
                "Für 52 Prozent der Kinder unter drei Jahren steht heute ein Betreuungsplatz zur Verfügung. Der "
                "tatsächliche Bedarf liegt nach der Elternbefragung bei rund 60 Prozent; die größten Lücken "
                "haben Bad Cannstatt, Feuerbach, Zuffenhausen und Vaihingen.",
                "Neue Plätze entstehen vor allem in Neubaugebieten und durch Erweiterungen bestehender "
                "Einrichtungen. Weil Fachkräfte fehlen, wird die praxisintegrierte Ausbildung ausgeweitet; "
                "Auszubildende erhalten Vorrang bei städtischen Wohnungen.",
            ),
            finanzielle_auswirkungen=(
                "Investitionen von 21 Mio. EUR, Betriebskosten von jährlich 18,4 Mio. EUR ab dem Vollbetrieb. "
                "Ein Teil der Betriebskosten wird durch Zuweisungen des Landes und Elternbeiträge gedeckt."
            ),
            mitzeichnung="Referat WFB\nReferat AKR",
            unterzeichnet_von="Sabine Hoffmeister",
            unterzeichnet_funktion="Bürgermeisterin",
            beratungen=[
                beratung(JHA, VORBERATUNG, OEFFENTLICH, t(-2, MO)),
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(1, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(1, DO)),
            ],
        ),
        vorlage(
            "kulturfoerderung",
            BESCHLUSSVORLAGE,
            735,
            t(-3, DI),
            AKR,
            "Förderung der freien Kulturszene: Neufassung der Förderrichtlinien",
            beschlussantrag=absaetze(
                "1. Die Richtlinien zur Förderung der freien Kulturszene werden zum 1. Januar neu gefasst.",
                "2. Projekt- und Konzeptionsförderung werden in einem gemeinsamen, digitalen Antragsverfahren "
                "zusammengeführt.",
                "3. Für Vorhaben in den äußeren Stadtbezirken wird ein eigenes Förderbudget von 250.000 EUR im "
                "Jahr gebildet.",
            ),
            begruendung=absaetze(
                "Die geltenden Richtlinien sind über zwei Jahrzehnte gewachsen. Antragstellende müssen je nach "
                "Sparte verschiedene Formulare und Fristen beachten; kleine Initiativen scheitern oft am "
                "Aufwand.",
                "Die Neufassung vereinheitlicht Fristen und Nachweise, erlaubt mehrjährige Förderzusagen und "
                "stärkt Kultur außerhalb der Innenstadt. Sie wurde in zwei Werkstattgesprächen mit der freien "
                "Szene erarbeitet.",
            ),
            finanzielle_auswirkungen=(
                "Kostenneutral bis auf das Budget für die äußeren Stadtbezirke von 250.000 EUR im Jahr, das zum "
                "Doppelhaushalt angemeldet wird."
            ),
            mitzeichnung="Referat WFB",
            unterzeichnet_von="Dr. Markus Lindner",
            unterzeichnet_funktion="Erster Bürgermeister",
            beratungen=[
                beratung(KMA, VORBERATUNG, OEFFENTLICH, t(2, FR)),
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(3, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(3, DO)),
            ],
        ),
        vorlage(
            "konzeptvergabe",
            BESCHLUSSVORLAGE,
            748,
            t(-2, FR),
            SWU,
            "Bezahlbares Wohnen: Vergabe städtischer Grundstücke im Konzeptverfahren – Vergabekriterien",
            beschlussantrag=absaetze(
                "1. Städtische Grundstücke für den Geschosswohnungsbau werden künftig grundsätzlich im "
                "Konzeptverfahren und im Erbbaurecht vergeben.",
                "2. Den Vergabekriterien wird zugestimmt: mindestens 50 Prozent geförderte Wohnungen mit einer "
                "Bindung von 40 Jahren, mindestens 20 Prozent Wohnungen für Familien mit vier und mehr Zimmern, "
                "Vorrang für Genossenschaften und Baugemeinschaften bei gleicher Punktzahl.",
                f"3. Der Antrag Nr. 123/{antrag_konzept_jahr} ist damit aufgegriffen; der Antrag "
                f"Nr. 58/{antrag_familien_jahr} ist erledigt.",
            ),
            begruendung=absaetze(
                "Bisher werden städtische Grundstücke überwiegend zum Höchstpreis oder zum Verkehrswert "
                "verkauft. Im Konzeptverfahren entscheidet dagegen die Qualität des Vorhabens: Mietpreise, "
                "Bindungen, Wohnungsmix, Klimaschutz und der Beitrag zum Quartier.",
                "Das Erbbaurecht sichert der Stadt das Eigentum am Boden und Einfluss über Jahrzehnte. Die "
                "Kriterien wurden mit der Wohnungswirtschaft, den Genossenschaften und dem Forum der "
                "Baugemeinschaften erörtert.",
            ),
            finanzielle_auswirkungen=(
                "Statt einmaliger Verkaufserlöse fließen Erbbauzinsen. In den ersten Jahren entstehen dadurch "
                "Mindererträge im Finanzhaushalt; über die Laufzeit übersteigen die Erbbauzinsen die entgangenen "
                "Erlöse."
            ),
            mitzeichnung="Referat WFB\nGrundsatzreferat KM",
            unterzeichnet_von="Jens Rothfuß",
            unterzeichnet_funktion="Bürgermeister",
            vorliegende=["antrag-konzeptvergabe"],
            erledigte=["antrag-familienwohnungen"],
            beratungen=[
                beratung(WA, VORBERATUNG, OEFFENTLICH, t(2, FR)),
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(3, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(3, DO)),
            ],
        ),
        vorlage(
            "parkraum-heslach",
            BESCHLUSSVORLAGE,
            760,
            parken_datum,
            KM,
            "Parkraummanagement im Stadtbezirk Süd: Ausweitung auf Heslach",
            beschlussantrag=absaetze(
                "1. Das Parkraummanagement wird auf das Gebiet Heslach ausgeweitet.",
                "2. Bewohnerinnen und Bewohner erhalten Parkausweise; alle übrigen Stellplätze werden "
                "werktags von 8 bis 22 Uhr gebührenpflichtig.",
            ),
            begruendung=absaetze(
                "In Heslach ist der Parkdruck seit der Einführung des Parkraummanagements in den benachbarten "
                "Gebieten deutlich gestiegen. Zählungen zeigen eine Auslastung von über 110 Prozent am Abend; "
                "Gehwege und Feuerwehrzufahrten werden zugeparkt.",
                "Mit der Ausweitung gelten im ganzen Stadtbezirk Süd dieselben Regeln.",
            ),
            finanzielle_auswirkungen=(
                "Einmalige Kosten von 480.000 EUR für Parkscheinautomaten und Beschilderung; jährliche Erträge "
                "von rund 900.000 EUR."
            ),
            mitzeichnung="Referat SOS\nReferat WFB",
            unterzeichnet_von="Martin Hagenlocher",
            unterzeichnet_funktion="Oberbürgermeister",
            beratungen=[beratung(STA, VORBERATUNG, OEFFENTLICH, t(-2, DI))],
        ),
        vorlage(
            "parkraum-heslach-neufassung",
            BESCHLUSSVORLAGE,
            760,
            t(-1, MO),
            KM,
            "Parkraummanagement im Stadtbezirk Süd: Ausweitung auf Heslach",
            jahr=parken_datum.year,
            zusatz="Neufassung",
            bezug="parkraum-heslach",
            bezugsart="neufassung",
            unterschiede_im_pdf=True,
            beschlussantrag=absaetze(
                "1. Das Parkraummanagement wird auf das Gebiet Heslach ausgeweitet.",
                "2. Bewohnerinnen und Bewohner erhalten Parkausweise; alle übrigen Stellplätze werden "
                "werktags von 8 bis 20 Uhr gebührenpflichtig.",
                "3. Für Handwerksbetriebe und soziale Dienste wird ein Parkausweis für das ganze Gebiet "
                "eingeführt; vier Ladezonen werden eingerichtet.",
            ),
            begruendung=absaetze(
                f"Diese Neufassung ersetzt die Vorlage vom {parken_datum:%d.%m.%Y}. Der Ausschuss für "
                f"Stadtentwicklung und Technik hat die Vorlage am {t(-2, DI):%d.%m.%Y} zurückgestellt und um "
                "eine Anhörung des Bezirksbeirats Süd sowie um Regelungen für Handwerk und soziale Dienste "
                "gebeten.",
                "In Heslach ist der Parkdruck seit der Einführung des Parkraummanagements in den benachbarten "
                "Gebieten deutlich gestiegen. Zählungen zeigen eine Auslastung von über 110 Prozent am Abend.",
                "Gegenüber der ersten Fassung endet die Gebührenpflicht um 20 Uhr; Handwerksbetriebe und "
                "soziale Dienste erhalten einen eigenen Parkausweis, und es werden Ladezonen eingerichtet.",
            ),
            finanzielle_auswirkungen=(
                "Einmalige Kosten von 520.000 EUR für Parkscheinautomaten, Ladezonen und Beschilderung; "
                "jährliche Erträge von rund 820.000 EUR."
            ),
            mitzeichnung="Referat SOS\nReferat WFB",
            unterzeichnet_von="Martin Hagenlocher",
            unterzeichnet_funktion="Oberbürgermeister",
            beratungen=[
                beratung("bezirksbeirat-sued", ANHOERUNG, OEFFENTLICH, t(2, DI)),
                beratung(STA, VORBERATUNG, OEFFENTLICH, t(3, DI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(3, DO)),
            ],
        ),
        vorlage(
            "buergerbueros",
            BESCHLUSSVORLAGE,
            700,
            t(-6, DI),
            SOS,
            "Bürgerbüros: Neuordnung der Öffnungszeiten und Zusammenlegung von Standorten",
            status=ZURUECKGEZOGEN,
            beschlussantrag=absaetze(
                "1. Die Öffnungszeiten der Bürgerbüros werden vereinheitlicht; Termine werden vorrangig online "
                "vergeben.",
                "2. Die Bürgerbüros Birkach und Plieningen werden an einem gemeinsamen Standort zusammengelegt.",
            ),
            begruendung=absaetze(
                "Wegen unbesetzter Stellen mussten einzelne Bürgerbüros in den vergangenen Monaten tageweise "
                "schließen. Feste, einheitliche Öffnungszeiten und weniger, dafür verlässlich besetzte "
                "Standorte sollen die Wartezeiten verkürzen.",
                "Die Verwaltung hat die Vorlage nach Gesprächen mit den Bezirksbeiräten zurückgezogen und "
                "prüft Alternativen zur Zusammenlegung.",
            ),
            mitzeichnung="Referat AKR",
            unterzeichnet_von="Dr. Stefan Kienle",
            unterzeichnet_funktion="Bürgermeister",
            vorliegende=["anfrage-buergerbueros"],
            beratungen=[
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(-3, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(-3, DO)),
            ],
        ),
        vorlage(
            "hundesteuer",
            BESCHLUSSVORLAGE,
            742,
            t(-3, FR),
            WFB,
            "Änderung der Hundesteuersatzung",
            beschlussantrag=(
                "Die Satzung über die Erhebung der Hundesteuer wird nach dem Satzungsentwurf in der Begründung "
                "geändert. Die Änderung tritt am 1. Januar in Kraft."
            ),
            begruendung=absaetze(
                "Die Steuersätze wurden seit acht Jahren nicht angepasst. Vorgesehen ist eine Erhöhung für den "
                "ersten Hund von 108 EUR auf 120 EUR im Jahr.",
                "Neu befreit werden Hunde aus dem Tierheim im ersten Jahr nach der Aufnahme sowie Hunde, die als "
                "Assistenzhunde ausgebildet sind.",
            ),
            finanzielle_auswirkungen="Mehrerträge von rund 250.000 EUR im Jahr.",
            mitzeichnung="Referat SOS",
            unterzeichnet_von="Thomas Ebersbach",
            unterzeichnet_funktion="Bürgermeister",
            beratungen=[
                beratung(VA, VORBERATUNG, OEFFENTLICH, t(1, MI)),
                beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(1, DO)),
            ],
        ),
        vorlage(
            "umbesetzung-gremien",
            BESCHLUSSVORLAGE,
            781,
            t(-1, FR),
            AKR,
            "Umbesetzung von Ausschüssen und Gremien des Gemeinderats",
            beschlussantrag=(
                "Die in der Begründung genannten Ausschüsse und Gremien werden wie dargestellt neu besetzt."
            ),
            begruendung=absaetze(
                "Eine Stadträtin ist aus dem Gemeinderat ausgeschieden; für sie ist ein Ersatzmitglied "
                "nachgerückt. Die Fraktion hat vorgeschlagen, die frei gewordenen Sitze im "
                "Sozial- und Gesundheitsausschuss und im Internationalen Ausschuss mit dem nachgerückten "
                "Stadtrat zu besetzen.",
                "Über die Besetzung wird nach der Gemeindeordnung durch Einigung entschieden.",
            ),
            mitzeichnung="",
            unterzeichnet_von="Dr. Markus Lindner",
            unterzeichnet_funktion="Erster Bürgermeister",
            beratungen=[beratung(GR, BESCHLUSSFASSUNG, OEFFENTLICH, t(1, DO))],
        ),
    ]


def _antraege_und_anfragen(t):
    trinkbrunnen_jahr = t(-9, MO).year
    return [
        vorlage(
            "antrag-trinkbrunnen",
            ANTRAG,
            101,
            t(-9, MO),
            SWU,
            "Mehr öffentliche Trinkbrunnen in der Innenstadt und in den Stadtteilzentren",
            beschlussantrag=absaetze(
                "Wir beantragen:",
                "1. Die Verwaltung legt ein Konzept vor, wie an mindestens 30 weiteren Stellen in der Innenstadt "
                "und in den Stadtteilzentren öffentliche Trinkbrunnen aufgestellt werden können.",
                "2. Vorrang haben Plätze, die sich im Sommer stark aufheizen, sowie Spielplätze und Haltestellen.",
                "3. Die Verwaltung berichtet im Ausschuss für Klima und Umwelt.",
            ),
            begruendung=(
                "Die Zahl der Hitzetage nimmt zu. Kostenloses Trinkwasser im öffentlichen Raum schützt ältere "
                "Menschen, Kinder und Menschen ohne Wohnung und vermeidet Plastikmüll. Andere Großstädte haben "
                "ihr Netz an Trinkbrunnen in den letzten Jahren deutlich ausgebaut."
            ),
            unterzeichnet_von="Lena Brenner, Tobias Keck",
            unterzeichnet_funktion="Gemeinderatsfraktion Bündnis 90/Die Grünen",
            urheber=[GRUENE, RATSMITGLIED, ("Tobias", "Keck")],
        ),
        vorlage(
            "stellungnahme-trinkbrunnen",
            STELLUNGNAHME,
            101,
            t(-4, MI),
            SWU,
            f"Stellungnahme zum Antrag Nr. 101/{trinkbrunnen_jahr} „Mehr öffentliche Trinkbrunnen in der "
            "Innenstadt und in den Stadtteilzentren“",
            bericht=absaetze(
                "Die Verwaltung nimmt zu dem Antrag wie folgt Stellung:",
                "Im Stadtgebiet gibt es derzeit 14 öffentliche Trinkbrunnen. Zusammen mit den Stadtwerken hat die "
                "Verwaltung 42 mögliche Standorte geprüft; an 31 sind Wasser- und Abwasseranschlüsse mit "
                "vertretbarem Aufwand herzustellen.",
                "In den nächsten zwei Jahren sollen zwölf Brunnen an den Standorten mit der stärksten "
                "Hitzebelastung gebaut werden, die weiteren in den Folgejahren. Ein Brunnen kostet rund "
                "25.000 EUR, dazu kommen jährlich etwa 2.500 EUR für Betrieb und Hygienekontrollen.",
                "Die Verwaltung wird im Ausschuss für Klima und Umwelt über den Fortgang berichten. Der Antrag "
                "ist damit erledigt.",
            ),
            unterzeichnet_von="Jens Rothfuß",
            unterzeichnet_funktion="Bürgermeister",
            erledigte=["antrag-trinkbrunnen"],
            anfrage="antrag-trinkbrunnen",
        ),
        vorlage(
            "antrag-konzeptvergabe",
            ANTRAG,
            123,
            t(-5, DO),
            SWU,
            "Bezahlbaren Wohnraum sichern: Städtische Grundstücke nur noch im Konzeptverfahren vergeben",
            beschlussantrag=absaetze(
                "Wir beantragen:",
                "1. Städtische Grundstücke für den Wohnungsbau werden nicht mehr verkauft, sondern im "
                "Erbbaurecht und im Konzeptverfahren vergeben.",
                "2. Mindestens die Hälfte der Wohnungen auf städtischen Grundstücken wird dauerhaft gefördert.",
            ),
            begruendung=(
                "Boden ist nicht vermehrbar. Was die Stadt heute verkauft, fehlt ihr morgen für bezahlbare "
                "Wohnungen, Kitas und Schulen. Das Konzeptverfahren belohnt gute Vorhaben statt hoher Gebote."
            ),
            unterzeichnet_von="Dr. Ayşe Demir, Michael Haug",
            unterzeichnet_funktion="SPD-Gemeinderatsfraktion",
            urheber=[SPD, ("Ayşe", "Demir"), ("Michael", "Haug")],
            # Treated together with the Beschlussvorlage that takes it up.
            beratungen=[beratung(WA, BERATUNG, OEFFENTLICH, t(2, FR))],
        ),
        vorlage(
            "antrag-familienwohnungen",
            ANTRAG,
            58,
            t(-12, DI),
            SWU,
            "Mehr große Wohnungen für Familien mit Kindern in neuen Quartieren",
            beschlussantrag=absaetze(
                "Wir beantragen:",
                "In neuen Quartieren auf städtischen Flächen wird ein fester Anteil an Wohnungen mit vier und "
                "mehr Zimmern vorgesehen.",
            ),
            begruendung=(
                "Familien mit mehreren Kindern finden in Stuttgart kaum bezahlbare Wohnungen und ziehen ins "
                "Umland. Neubauprojekte planen überwiegend kleine Wohnungen."
            ),
            unterzeichnet_von="Christine Wagner, Dr. Peter Schaible",
            unterzeichnet_funktion="CDU-Gemeinderatsfraktion",
            urheber=[CDU, ("Christine", "Wagner"), ("Peter", "Schaible")],
        ),
        vorlage(
            "anfrage-buergerbueros",
            ANFRAGE,
            87,
            t(-6, FR),
            SOS,
            "Wie lange warten Bürgerinnen und Bürger auf einen Termin im Bürgerbüro?",
            bericht=absaetze(
                "Wir fragen die Verwaltung:",
                "1. Wie lange mussten Bürgerinnen und Bürger in den vergangenen zwölf Monaten im Durchschnitt auf "
                "einen Termin warten, aufgeschlüsselt nach Bürgerbüros?",
                "2. An wie vielen Tagen waren Bürgerbüros wegen Personalmangels geschlossen?",
                "3. Welche Leistungen können schon heute vollständig online erledigt werden, und welche sollen "
                "in den nächsten zwei Jahren hinzukommen?",
            ),
            unterzeichnet_von="Jan Oberle",
            unterzeichnet_funktion="FDP-Gemeinderatsfraktion",
            urheber=[FDP, ("Jan", "Oberle")],
            antwort_bis=t(-2, FR),
        ),
        # The answer to the Anfrage above, in time.
        vorlage(
            "stellungnahme-buergerbueros",
            STELLUNGNAHME,
            102,
            t(-2, DO),
            SOS,
            "Stellungnahme zur Anfrage „Wie lange warten Bürgerinnen und Bürger auf einen Termin im Bürgerbüro?“",
            bericht=absaetze(
                "Die Verwaltung beantwortet die Anfrage wie folgt:",
                "1. Im Durchschnitt der vergangenen zwölf Monate betrug die Wartezeit auf einen Termin 16 Tage; "
                "in den Bürgerbüros Mitte und Bad Cannstatt 23 Tage, in den Bezirken zwischen 9 und 14 Tagen.",
                "2. Wegen Personalmangels waren einzelne Bürgerbüros an insgesamt 31 Tagen geschlossen.",
                "3. 42 Leistungen sind vollständig online möglich, darunter Meldebescheinigungen und "
                "Anwohnerparkausweise; in den nächsten zwei Jahren kommen die Ummeldung und der Antrag auf einen "
                "Personalausweis hinzu.",
            ),
            unterzeichnet_von="Dr. Stefan Kienle",
            unterzeichnet_funktion="Bürgermeister",
            anfrage="anfrage-buergerbueros",
        ),
        vorlage(
            "anfrage-hitzeschutz",
            ANFRAGE,
            142,
            t(-1, DI),
            JB,
            "Hitzeschutz in städtischen Kitas und Schulen",
            bericht=absaetze(
                "Wir fragen die Verwaltung:",
                "1. In wie vielen städtischen Kitas und Schulen wurden im vergangenen Sommer in Gruppen- und "
                "Klassenräumen mehr als 30 Grad gemessen?",
                "2. Welche Maßnahmen zum sommerlichen Wärmeschutz sind geplant, und bis wann?",
            ),
            unterzeichnet_von="Rolf Maurer",
            unterzeichnet_funktion="Freie-Wähler-Gemeinderatsfraktion",
            urheber=[FW, ("Rolf", "Maurer")],
            # Still open and past its date: the page marks it "überfällig".
            antwort_bis=t(-1, FR),
        ),
    ]


def _mitteilungsvorlagen(t):
    return [
        vorlage(
            "unterbringung",
            MITTEILUNGSVORLAGE,
            730,
            t(-4, FR),
            SI,
            "Unterbringung geflüchteter Menschen: Sachstandsbericht",
            bericht=absaetze(
                "In den städtischen Unterkünften leben derzeit rund 7.400 geflüchtete Menschen, davon etwa ein "
                "Drittel Kinder und Jugendliche. Die Belegung liegt bei 94 Prozent.",
                "Zwei Systembauten mit zusammen 320 Plätzen werden im Frühjahr fertig. Zugleich laufen die "
                "Mietverträge für drei angemietete Gebäude aus; die Verwaltung verhandelt über Verlängerungen.",
                "Rund 1.900 Bewohnerinnen und Bewohner haben einen Aufenthaltstitel und könnten ausziehen, "
                "finden aber keine Wohnung. Die Verwaltung verstärkt deshalb die Vermittlung in privaten "
                "Wohnraum.",
            ),
            unterzeichnet_von="Dr. Miriam Sauter",
            unterzeichnet_funktion="Bürgermeisterin",
            beratungen=[
                beratung(SGA, KENNTNISNAHME, OEFFENTLICH, t(-3, MO)),
                beratung(IA, KENNTNISNAHME, OEFFENTLICH, t(-3, MI)),
            ],
        ),
        vorlage(
            "luftreinhaltung",
            MITTEILUNGSVORLAGE,
            745,
            t(-3, MO),
            SWU,
            "Luftreinhaltung: Jahresbericht zur Stickstoffdioxid- und Feinstaubbelastung",
            bericht=absaetze(
                "Der Jahresmittelwert für Stickstoffdioxid wurde im vergangenen Jahr erneut an allen "
                "Messstellen eingehalten, auch am Neckartor. Die Feinstaubwerte lagen deutlich unter den "
                "geltenden Grenzwerten.",
                "Ab 2030 gelten in der Europäischen Union strengere Grenzwerte. Nach heutigem Stand würden sie "
                "an zwei Messstellen überschritten. Die Verwaltung bereitet Maßnahmen vor und wird dem "
                "Ausschuss berichten.",
            ),
            unterzeichnet_von="Jens Rothfuß",
            unterzeichnet_funktion="Bürgermeister",
            beratungen=[beratung(KLUA, KENNTNISNAHME, OEFFENTLICH, t(-2, FR))],
        ),
        vorlage(
            "finanzzwischenbericht",
            MITTEILUNGSVORLAGE,
            750,
            t(-2, MI),
            WFB,
            "Haushaltsvollzug: Finanzzwischenbericht zum Ende des dritten Quartals",
            bericht=absaetze(
                "Nach dem Stand zum Ende des dritten Quartals wird das ordentliche Ergebnis um rund 85 Mio. EUR "
                "schlechter ausfallen als geplant. Ursache sind vor allem niedrigere Gewerbesteuererträge.",
                "Die Investitionen bleiben mit einem Mittelabfluss von 58 Prozent erneut hinter der Planung "
                "zurück. Die Verwaltung schlägt vor, nicht benötigte Ermächtigungen nicht zu übertragen.",
            ),
            unterzeichnet_von="Thomas Ebersbach",
            unterzeichnet_funktion="Bürgermeister",
            beratungen=[beratung(VA, KENNTNISNAHME, OEFFENTLICH, t(1, MI))],
        ),
        vorlage(
            "interkulturelle-oeffnung",
            MITTEILUNGSVORLAGE,
            770,
            t(-1, MI),
            SI,
            "Interkulturelle Öffnung der Stadtverwaltung: Zwischenbericht",
            bericht=absaetze(
                "Mit der GRDrs 1005/2021 hat die Verwaltung angekündigt, die interkulturelle Ausrichtung der "
                "Stadtverwaltung zu einem Schwerpunkt der strategischen Integrationsplanung zu machen. Dieser "
                "Bericht beschreibt den Stand.",
                "Der Anteil der Auszubildenden mit internationaler Geschichte ist auf 38 Prozent gestiegen. Alle "
                "Führungskräfte durchlaufen eine Fortbildung zu diskriminierungssensiblem Handeln; in den "
                "Bürgerbüros werden Formulare in einfacher Sprache und in zwölf Sprachen angeboten.",
                "Nächste Schritte sind ein Beschwerdemanagement für Diskriminierung und eine Befragung der "
                "Beschäftigten.",
            ),
            unterzeichnet_von="Dr. Miriam Sauter",
            unterzeichnet_funktion="Bürgermeisterin",
            beratungen=[beratung(IA, KENNTNISNAHME, OEFFENTLICH, t(4, MI))],
        ),
    ]


def _nichtoeffentliche(t):
    """Published, but not for the public: the committees on their Beratungsfolge and the clerks see them."""
    return [
        vorlage(
            "grundstueck-feuerbach",
            BESCHLUSSVORLAGE,
            785,
            t(-1, DO),
            WFB,
            "Grundstücksangelegenheit: Erwerb einer Teilfläche im Stadtbezirk Feuerbach",
            oeffentlich=False,
            beschlussantrag=(
                "Die Stadt erwirbt die im Lageplan (Anlage 1) dargestellte Teilfläche von rund 1.250 m² zum "
                "Preis von 1,9 Mio. EUR."
            ),
            begruendung=absaetze(
                "Die Fläche wird für die Erweiterung einer Kindertagesstätte benötigt. Der Kaufpreis entspricht "
                "dem Gutachten des Gutachterausschusses.",
                "Die Vorlage wird nichtöffentlich beraten: Sie nennt Kaufpreis und Vertragsbedingungen, an deren "
                "Geheimhaltung die Verkäuferin ein berechtigtes Interesse hat (§ 35 Abs. 1 GemO). Angaben zur "
                "Eigentümerin sind vertraulich.",
            ),
            finanzielle_auswirkungen="1,9 Mio. EUR zuzüglich Nebenkosten im Teilfinanzhaushalt des Liegenschaftsamts.",
            unterzeichnet_von="Thomas Ebersbach",
            unterzeichnet_funktion="Bürgermeister",
            beratungen=[beratung(VA, BESCHLUSSFASSUNG, NICHTOEFFENTLICH, t(1, MI))],
            anlagen=[anlage("Anlage 1: Lageplan", "lageplan-teilflaeche-feuerbach.pdf", oeffentlich=False)],
        ),
        vorlage(
            "personal-amtsleitung",
            BESCHLUSSVORLAGE,
            788,
            t(-1, DO),
            "Haupt- und Personalamt",
            "Personalangelegenheit: Wahl der Leitung des Amts für öffentliche Ordnung",
            oeffentlich=False,
            vertraulich=True,
            beschlussantrag=(
                "Zur Leiterin des Amts für öffentliche Ordnung wird Frau Dr. Judith Kleinert gewählt. Sie wird "
                "zum nächstmöglichen Zeitpunkt in das Beamtenverhältnis auf Lebenszeit berufen und in eine "
                "Planstelle der Besoldungsgruppe B 3 eingewiesen."
            ),
            begruendung=absaetze(
                "Auf die Ausschreibung der Stelle sind 23 Bewerbungen eingegangen. Nach einer Vorauswahl wurden "
                "sechs Bewerberinnen und Bewerber zu Gesprächen mit der Findungskommission eingeladen, zwei von "
                "ihnen zu einem eintägigen Auswahlverfahren.",
                "Frau Dr. Kleinert leitet seit fünf Jahren die Abteilung Verkehrsüberwachung und hat das "
                "Auswahlverfahren als Beste abgeschlossen. Die Findungskommission und der Oberbürgermeister "
                "schlagen sie einstimmig vor.",
                "(Erfundene Person und erfundenes Verfahren für die Demodaten.)",
            ),
            unterzeichnet_von="Martin Hagenlocher",
            unterzeichnet_funktion="Oberbürgermeister",
            beratungen=[beratung(GR, BESCHLUSSFASSUNG, NICHTOEFFENTLICH, t(1, DO))],
        ),
    ]


def _entwuerfe(t):
    """Drafts: never public, whatever route a visitor takes."""
    return [
        vorlage(
            "entwurf-integrationsmonitoring",
            MITTEILUNGSVORLAGE,
            790,
            t(-1, FR),
            SI,
            "Integrationsmonitoring: Daten zur Teilhabe in den Stadtbezirken",
            status=ENTWURF,
            bericht="Entwurf – die Auswertung der Daten ist noch nicht abgeschlossen.",
            beratungen=[beratung(IA, KENNTNISNAHME, OEFFENTLICH, t(8, MI))],
            anlagen=[("Anlage 1: Kennzahlen nach Stadtbezirken (Entwurf)", "kennzahlen-integrationsmonitoring.pdf")],
        ),
        vorlage(
            "entwurf-feuerwehrgebuehren",
            BESCHLUSSVORLAGE,
            795,
            t(-1, FR),
            SOS,
            "Neukalkulation der Gebühren für Leistungen der Feuerwehr",
            status=ENTWURF,
            beschlussantrag="Die Feuerwehr-Kostenersatzsatzung wird nach der Neukalkulation geändert.",
            begruendung="Entwurf – die Kalkulation wird mit der Stadtkämmerei abgestimmt.",
            # On its route (demodaten.mitzeichnung): WFB agreed, KM has it open; the line is the route's.
            mitzeichnung="Referat WFB: zugestimmt",
        ),
        # Released after its route (demodaten.mitzeichnung), waiting for an agenda.
        vorlage(
            "entwurf-loeschfahrzeuge",
            BESCHLUSSVORLAGE,
            796,
            t(-1, FR),
            SOS,
            "Beschaffung von zwei Hilfeleistungslöschfahrzeugen für die Freiwillige Feuerwehr",
            status=ENTWURF,
            beschlussantrag="Der Beschaffung von zwei Hilfeleistungslöschfahrzeugen HLF 20 wird zugestimmt.",
            begruendung="Zwei Fahrzeuge der Freiwilligen Feuerwehr haben das Ende ihrer Nutzungsdauer erreicht.",
            finanzielle_auswirkungen="Rund 1,4 Mio. EUR, im Doppelhaushalt veranschlagt.",
            mitzeichnung="Referat WFB: zugestimmt\nGrundsatzreferat KM: zugestimmt",
        ),
    ]
