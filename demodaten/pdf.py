"""The PDF files of the demo data, and how they were made.

The files in ``dateien/`` are generated once and shipped with the repository, so loading the demo data needs
neither WeasyPrint nor a network. After changing the HTML below, make them again with::

    .venv/bin/python -m demodaten.pdf

They are stand-ins: the Jubiläumsbroschüre is a cover page written for the demo, not the city's brochure.
The PDFs are tagged (PDF/UA-1), as every PDF of the project should be.
"""

import sys
from pathlib import Path

DATEIEN_VERZEICHNIS = Path(__file__).resolve().parent / "dateien"

_STIL = """
@page { size: A4; margin: 2.2cm 2cm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; color: #1a1a1a; }
.absender { font-size: 10pt; border-bottom: 2px solid #1a1a1a; padding-bottom: .4em; }
h1 { font-size: 24pt; line-height: 1.2; margin: 5cm 0 .6em; }
h2 { font-size: 13pt; font-weight: normal; margin: 0 0 2em; }
table { border-collapse: collapse; width: 100%; margin-top: 1em; }
th, td { border: 1px solid #777; padding: .3em .5em; text-align: left; }
td.zahl { text-align: right; }
.hinweis { position: absolute; bottom: 0; font-size: 8pt; color: #555; }
"""


def _seite(titel, inhalt):
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{titel}</title>'
        f"<style>{_STIL}</style></head><body>{inhalt}"
        '<p class="hinweis">Demonstrationsdatei der Ratsinfo-Demodaten, erstellt für Test und Vorführung. '
        "Kein amtliches Dokument der Landeshauptstadt Stuttgart.</p></body></html>"
    )


DATEIEN = {
    "jubilaeumsbroschuere-20-jahre-buendnis-fuer-integration.pdf": _seite(
        "20 Jahre Stuttgarter Bündnis für Integration",
        '<p class="absender">Landeshauptstadt Stuttgart<br>Referat Soziales und gesellschaftliche Integration<br>'
        "Abteilung Integrationspolitik</p>"
        "<h1>20 Jahre Stuttgarter Bündnis für Integration</h1>"
        "<h2>Leitlinien, Arbeitsschwerpunkte und ein Rückblick auf zwei Jahrzehnte Integrationspolitik "
        "in der Landeshauptstadt</h2>"
        "<p>Jubiläumsbroschüre<br>Stuttgart, November 2021</p>",
    ),
    "raumprogramm-und-kostenrahmen.pdf": _seite(
        "Raumprogramm und Kostenrahmen",
        '<p class="absender">Landeshauptstadt Stuttgart<br>Referat Jugend und Bildung<br>Schulverwaltungsamt</p>'
        '<h1 style="margin-top:1.5cm">Anlage 1: Raumprogramm und Kostenrahmen</h1>'
        "<h2>Erweiterung einer Grundschule im Stadtbezirk Ost für den Ganztagsbetrieb</h2>"
        "<table><caption>Raumprogramm (Nutzfläche)</caption>"
        "<thead><tr><th scope='col'>Bereich</th><th scope='col'>Fläche in m²</th></tr></thead><tbody>"
        "<tr><td>Mensa mit Ausgabeküche</td><td class='zahl'>420</td></tr>"
        "<tr><td>Lern- und Ruheräume Ganztag</td><td class='zahl'>360</td></tr>"
        "<tr><td>Zwei zusätzliche Klassenzimmer</td><td class='zahl'>140</td></tr>"
        "<tr><td>Räume für Lehrkräfte und Betreuung</td><td class='zahl'>95</td></tr>"
        "</tbody></table>"
        "<table><caption>Kostenrahmen</caption>"
        "<thead><tr><th scope='col'>Kostengruppe</th><th scope='col'>Betrag in EUR</th></tr></thead><tbody>"
        "<tr><td>Bauwerk und technische Anlagen</td><td class='zahl'>11.900.000</td></tr>"
        "<tr><td>Außenanlagen</td><td class='zahl'>850.000</td></tr>"
        "<tr><td>Ausstattung</td><td class='zahl'>650.000</td></tr>"
        "<tr><td>Baunebenkosten</td><td class='zahl'>1.400.000</td></tr>"
        "<tr><th scope='row'>Gesamtkosten</th><td class='zahl'>14.800.000</td></tr>"
        "</tbody></table>",
    ),
    "lageplan-teilflaeche-feuerbach.pdf": _seite(
        "Lageplan der Teilfläche in Feuerbach",
        '<p class="absender">Landeshauptstadt Stuttgart<br>Referat Wirtschaft, Finanzen und Beteiligungen<br>'
        "Liegenschaftsamt</p>"
        '<h1 style="margin-top:1.5cm">Anlage 1: Lageplan</h1>'
        "<h2>Erwerb einer Teilfläche im Stadtbezirk Feuerbach – Entwurf, nur für den Dienstgebrauch</h2>"
        '<svg width="420" height="260" role="img" aria-label="Skizze: Flurstück mit schraffierter Teilfläche">'
        '<rect x="10" y="10" width="400" height="240" fill="none" stroke="#1a1a1a" stroke-width="2"/>'
        '<rect x="230" y="10" width="180" height="140" fill="#ccc" stroke="#1a1a1a"/>'
        '<text x="245" y="85" font-size="12">Teilfläche ca. 1.250 m²</text>'
        '<text x="30" y="235" font-size="12">Straße</text></svg>',
    ),
    "kostenberechnung-grundschule-ost.pdf": _seite(
        "Kostenberechnung (nichtöffentlich)",
        '<p class="absender">Landeshauptstadt Stuttgart<br>Referat Jugend und Bildung<br>Schulverwaltungsamt</p>'
        '<h1 style="margin-top:1.5cm">Anlage 2: Kostenberechnung (nichtöffentlich)</h1>'
        "<h2>Erweiterung einer Grundschule im Stadtbezirk Ost für den Ganztagsbetrieb – Kostenberechnung nach "
        "DIN 276</h2>"
        "<p><strong>Nichtöffentlich.</strong> Die Einzelansätze würden Bietenden zeigen, welche Preise die Stadt "
        "erwartet, und so die Ausschreibung beeinträchtigen (§ 35 Abs. 1 GemO).</p>"
        "<table><caption>Kostengruppen 300 und 400 nach Gewerken</caption>"
        "<thead><tr><th scope='col'>Gewerk</th><th scope='col'>Betrag in EUR</th></tr></thead><tbody>"
        "<tr><td>Rohbau</td><td class='zahl'>3.100.000</td></tr>"
        "<tr><td>Holzbau</td><td class='zahl'>2.350.000</td></tr>"
        "<tr><td>Fassade und Fenster</td><td class='zahl'>1.280.000</td></tr>"
        "<tr><td>Dach und Dachbegrünung</td><td class='zahl'>640.000</td></tr>"
        "<tr><td>Innenausbau</td><td class='zahl'>1.080.000</td></tr>"
        "<tr><td>Heizung und Lüftung</td><td class='zahl'>1.450.000</td></tr>"
        "<tr><td>Elektro</td><td class='zahl'>1.120.000</td></tr>"
        "<tr><td>Photovoltaikanlage</td><td class='zahl'>380.000</td></tr>"
        "<tr><td>Sanitär</td><td class='zahl'>500.000</td></tr>"
        "<tr><th scope='row'>Summe Bauwerk (KG 300 und 400)</th><td class='zahl'>11.900.000</td></tr>"
        "</tbody></table>"
        "<table><caption>Gesamtkosten</caption>"
        "<thead><tr><th scope='col'>Kostengruppe</th><th scope='col'>Betrag in EUR</th></tr></thead><tbody>"
        "<tr><td>300 und 400 Bauwerk</td><td class='zahl'>11.900.000</td></tr>"
        "<tr><td>500 Außenanlagen</td><td class='zahl'>850.000</td></tr>"
        "<tr><td>600 Ausstattung</td><td class='zahl'>650.000</td></tr>"
        "<tr><td>700 Baunebenkosten</td><td class='zahl'>1.400.000</td></tr>"
        "<tr><th scope='row'>Gesamtkosten</th><td class='zahl'>14.800.000</td></tr>"
        "</tbody></table>",
    ),
    "kennzahlen-integrationsmonitoring.pdf": _seite(
        "Kennzahlen nach Stadtbezirken (Entwurf)",
        '<p class="absender">Landeshauptstadt Stuttgart<br>Referat Soziales und gesellschaftliche Integration<br>'
        "Abteilung Integrationspolitik</p>"
        '<h1 style="margin-top:1.5cm">Anlage 1: Kennzahlen nach Stadtbezirken</h1>'
        "<h2>Integrationsmonitoring – Entwurf, die Auswertung ist noch nicht abgeschlossen</h2>"
        "<table><caption>Kennzahlen zur Teilhabe (in Auswertung)</caption>"
        "<thead><tr><th scope='col'>Stadtbezirk</th><th scope='col'>Bildung</th><th scope='col'>Arbeit</th>"
        "<th scope='col'>Wohnen</th></tr></thead><tbody>"
        "<tr><td>Mitte</td><td>in Auswertung</td><td>in Auswertung</td><td>in Auswertung</td></tr>"
        "<tr><td>Nord</td><td>in Auswertung</td><td>in Auswertung</td><td>in Auswertung</td></tr>"
        "<tr><td>Ost</td><td>in Auswertung</td><td>in Auswertung</td><td>in Auswertung</td></tr>"
        "<tr><td>Süd</td><td>in Auswertung</td><td>in Auswertung</td><td>in Auswertung</td></tr>"
        "<tr><td>West</td><td>in Auswertung</td><td>in Auswertung</td><td>in Auswertung</td></tr>"
        "</tbody></table>",
    ),
    # Sitzungsdokumente (issue 17): the Einladung of the seed's Sitzung and a non-public Tischvorlage.
    "einladung-internationaler-ausschuss-2021-11-24.pdf": _seite(
        "Einladung zur Sitzung des Internationalen Ausschusses am 24. November 2021",
        '<p class="absender">Landeshauptstadt Stuttgart<br>Referat Soziales und gesellschaftliche Integration<br>'
        "Geschäftsstelle des Internationalen Ausschusses</p>"
        '<h1 style="margin-top:1.5cm">Einladung</h1>'
        "<h2>zur öffentlichen Sitzung des Internationalen Ausschusses am Mittwoch, 24. November 2021, 15:00 Uhr, "
        "im Rathaus Stuttgart, Marktplatz 1, 70173 Stuttgart</h2>"
        "<p>Sehr geehrte Damen und Herren,</p>"
        "<p>zur Sitzung des Internationalen Ausschusses lade ich Sie herzlich ein. Die Vorlagen sind im "
        "Ratsinformationssystem abrufbar.</p>"
        "<table><caption>Tagesordnung, öffentlicher Teil</caption>"
        "<thead><tr><th scope='col'>TOP</th><th scope='col'>Gegenstand</th><th scope='col'>Vorlage</th></tr>"
        "</thead><tbody>"
        "<tr><td>Ö 1</td><td>20 Jahre Stuttgarter Bündnis für Integration</td><td>GRDrs 1005/2021</td></tr>"
        "<tr><td>Ö 2</td><td>Bekanntgaben und Verschiedenes</td><td></td></tr>"
        "</tbody></table>"
        "<p>Mit freundlichen Grüßen<br>gez. Dr. Alexandra Sußmann, Bürgermeisterin</p>",
    ),
    "tischvorlage-vorkaufsrecht-bad-cannstatt.pdf": _seite(
        "Tischvorlage: Wertermittlung zum Vorkaufsrecht (nichtöffentlich)",
        '<p class="absender">Landeshauptstadt Stuttgart<br>Referat Wirtschaft, Finanzen und Beteiligungen<br>'
        "Liegenschaftsamt</p>"
        '<h1 style="margin-top:1.5cm">Tischvorlage (nichtöffentlich)</h1>'
        "<h2>Grundstücksangelegenheit: Vorkaufsrecht für ein Wohngebäude in der Altstadt Bad Cannstatt – "
        "Wertermittlung</h2>"
        "<p><strong>Nichtöffentlich.</strong> Der Verkehrswert und die Verhandlungsposition der Stadt gehören "
        "nicht in die Öffentlichkeit (§ 35 Abs. 1 GemO).</p>"
        "<table><caption>Wertermittlung (Vergleichswertverfahren)</caption>"
        "<thead><tr><th scope='col'>Position</th><th scope='col'>Betrag in EUR</th></tr></thead><tbody>"
        "<tr><td>Bodenwert (312 m² zu 2.150 EUR)</td><td class='zahl'>670.800</td></tr>"
        "<tr><td>Gebäudewert nach Abzug der Instandhaltungsrückstände</td><td class='zahl'>455.000</td></tr>"
        "<tr><th scope='row'>Verkehrswert, gerundet</th><td class='zahl'>1.125.000</td></tr>"
        "</tbody></table>",
    ),
}


def erzeugen(verzeichnis=DATEIEN_VERZEICHNIS, namen=None):
    """Write the demo PDFs (all, or those ``namen``) into ``verzeichnis``. Needs WeasyPrint; the loader never calls
    this."""
    from weasyprint import HTML

    verzeichnis.mkdir(parents=True, exist_ok=True)
    for dateiname, html in DATEIEN.items():
        if namen and dateiname not in namen:
            continue
        HTML(string=html).write_pdf(verzeichnis / dateiname, pdf_variant="pdf/ua-1", pdf_tags=True)


def inhalt(dateiname):
    """The bytes of a shipped demo PDF."""
    return (DATEIEN_VERZEICHNIS / dateiname).read_bytes()


if __name__ == "__main__":
    # python -m demodaten.pdf [name ...]: only the files named (a new one), without rewriting the others.
    erzeugen(namen=sys.argv[1:])
    for name in DATEIEN:
        print(f"{name}: {(DATEIEN_VERZEICHNIS / name).stat().st_size} Bytes")
