"""The OParl importer against a hostile source served on this machine (issue 15): only the source, bounded."""

import itertools
import json
import time

import pytest
from django.urls import reverse

from gremien.models import Dienststelle
from oparlimport.abruf import Abruf
from oparlimport.models import Datei, Herkunft
from oparlimport.services import oparl_importieren
from sitzungen.models import Sitzung
from tests.factories import DienststelleFactory, OrtFactory, pdf_bauen
from tests.oparl_server import OparlServer
from tests.test_oparl_import import GREMIUM, kleines_system, liste, papier
from vorlagen.models import Anlage, Vorlage

pytestmark = pytest.mark.django_db

GEHEIM = pdf_bauen(text="Geheimes Protokoll des internen Dienstes")


def importieren(url, *, hosts=(), timeout=5, versuche=1, **kwargs):
    abruf = Abruf(wartezeit=0, versuche=versuche, timeout=timeout, hosts=hosts)
    try:
        return oparl_importieren(system_url=url, abruf=abruf, **kwargs)
    finally:
        abruf.schliessen()


@pytest.fixture
def server():
    with OparlServer() as server:
        yield server


@pytest.fixture
def intern():
    """Another service on this machine (an internal API, an admin page): what an attacker wants to read."""
    with OparlServer() as intern:
        intern.routen["/secret.txt"] = (200, GEHEIM)
        yield intern


def datei(url, **extra):
    return {
        "id": "BASIS/file/1",
        "type": "https://schema.oparl.org/1.1/File",
        "name": "Anlage",
        "fileName": "anlage.pdf",
        "downloadUrl": url,
        **extra,
    }


def nichts_gespeichert():
    return not Anlage.objects.exists() and Datei.objects.filter(anlage__isnull=False).count() == 0


def test_eine_datei_auf_einem_anderen_port_derselben_maschine_wird_nicht_abgerufen(server, intern):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei(intern.basis + "/secret.txt"))])

    bericht = importieren(url, dateien=True)

    assert intern.anfragen == []
    assert nichts_gespeichert()
    assert any("ist nicht die Quelle" in grund for grund in bericht.gruende["File"])


def test_eine_weiterleitung_der_quelle_auf_eine_interne_adresse_wird_nicht_verfolgt(server, intern):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/weiter"))])
    server.routen["/files/weiter"] = (302, b"", {"Location": intern.basis + "/secret.txt"})

    bericht = importieren(url, dateien=True)

    assert server.anfragen.count("/files/weiter") == 1
    assert intern.anfragen == []
    assert nichts_gespeichert()
    assert any("ist nicht die Quelle" in grund for grund in bericht.gruende["File"])


def test_ein_erlaubter_host_der_auf_loopback_zeigt_wird_abgelehnt(server, intern):
    # "localhost" is allowed by name, but resolves to 127.0.0.1: the resolved address decides.
    port = intern.basis.rsplit(":", 1)[1]
    url = kleines_system(server, papiere=[papier(1, mainFile=datei(f"http://localhost:{port}/secret.txt"))])

    bericht = importieren(url, dateien=True, hosts=["localhost"])

    assert intern.anfragen == []
    assert nichts_gespeichert()
    assert any("zeigt auf die interne Adresse" in grund for grund in bericht.gruende["File"])


def test_eine_erlaubte_weiterleitung_innerhalb_der_quelle_wird_verfolgt(server):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/weiter"))])
    server.routen["/files/weiter"] = (302, b"", {"Location": "/files/1.pdf"})
    server.routen["/files/1.pdf"] = (200, GEHEIM)

    bericht = importieren(url, dateien=True)

    assert dict(bericht.gruende) == {}
    assert Anlage.objects.get().datei.read() == GEHEIM


def endlos(gesendet, stueck=b"[" + b"0," * 32767):
    for _ in itertools.count():
        gesendet.append(len(stueck))
        yield stueck


def test_eine_endlose_listenseite_wird_nach_der_grenze_abgebrochen_und_der_rest_importiert(server, settings):
    settings.RATSINFO_OPARL_IMPORT_MAX_MB = 1
    url = kleines_system(server, papiere=[papier(1)])
    gesendet = []
    server.routen["/body/1/meeting"] = lambda: (200, itertools.islice(endlos(gesendet), 1000))

    bericht = importieren(url)

    assert Vorlage.objects.count() == 1
    assert any("größer als 1 MB" in m for m in bericht.meldungen)
    # The server may write ahead into the socket buffers (some MB on loopback), but not the 65 MB it offers.
    assert sum(gesendet) < 30 * 2**20


def test_eine_zu_grosse_datei_wird_nicht_erst_ganz_gelesen(server, settings):
    settings.RATSINFO_ANLAGE_MAX_MB = 1
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/gross.pdf"))])
    gesendet = []
    server.routen["/files/gross.pdf"] = lambda: (200, itertools.islice(endlos(gesendet), 1000))

    bericht = importieren(url, dateien=True)

    assert nichts_gespeichert()
    assert any("größer als 1 MB" in grund for grund in bericht.gruende["File"])
    assert sum(gesendet) < 30 * 2**20


def test_ein_server_der_tropfenweise_sendet_haelt_eine_anfrage_nicht_ueber_die_frist(server):
    url = kleines_system(server)
    gesendet = []

    def tropfen():
        for _ in range(150):
            gesendet.append(1)
            yield b" "
            time.sleep(0.1)

    server.routen["/body/1/paper"] = lambda: (200, tropfen())

    bericht = importieren(url, timeout=1)

    assert any("Zeitüberschreitung" in m for m in bericht.meldungen)
    # Each byte comes well within the read timeout; only a deadline for the whole request ends it (at ~10 bytes).
    assert len(gesendet) < 50


def test_tief_verschachteltes_json_wird_als_ungueltig_gemeldet(server):
    url = kleines_system(server, papiere=[papier(1)])
    server.routen["/body/1/meeting"] = (200, b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")

    bericht = importieren(url)

    assert Vorlage.objects.count() == 1
    assert any("Ungültiges JSON (tiefer als 64 Ebenen" in m for m in bericht.meldungen)


def test_eine_naechste_seite_auf_einem_anderen_host_wird_nicht_abgerufen(server, intern):
    url = kleines_system(server)
    server.json("/body/1/paper", liste([papier(1)], naechste=intern.basis + "/secret.txt"))

    bericht = importieren(url)

    assert Vorlage.objects.count() == 1
    assert intern.anfragen == []
    assert any("ist nicht die Quelle" in m for m in bericht.meldungen)


# -- isolated: each object on its own -------------------------------------------------------------------------


def sitzung(n, **extra):
    return {
        "id": f"BASIS/meeting/{n}",
        "type": "https://schema.oparl.org/1.1/Meeting",
        "name": f"Sitzung {n}",
        "start": "2021-01-10T18:00:00+01:00",
        "organization": ["BASIS/organization/1"],
        "modified": "2021-01-01T10:00:00+01:00",
        **extra,
    }


def test_nul_und_steuerzeichen_werden_aus_namen_entfernt(server):
    url = kleines_system(server, papiere=[papier(1, name="Haus\x00halt\x07 2021\n(Entwurf)")])

    importieren(url)

    assert Vorlage.objects.get().titel == "Haushalt 2021 (Entwurf)"


def test_nan_und_unendlich_in_geojson_werden_zu_null(server):
    ort = {
        "id": "BASIS/location/1",
        "type": "https://schema.oparl.org/1.1/Location",
        "description": "Rathaus",
        "geojson": {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["NAN", "INF"]}},
    }
    url = kleines_system(server, organisationen=[GREMIUM], sitzungen=[sitzung(1, location=ort)])
    inhalt = server.routen["/body/1/meeting"][1].replace(b'["NAN", "INF"]', b"[NaN, 1e999]")
    server.routen["/body/1/meeting"] = (200, inhalt)

    bericht = importieren(url)

    assert Sitzung.objects.get().ort.bezeichnung == "Rathaus"
    daten = Herkunft.objects.get(typ="Location").daten
    assert json.loads(json.dumps(daten, allow_nan=False))["geojson"]["geometry"]["coordinates"] == [None, None]
    assert bericht.summe("uebersprungen") == 0


def test_falsche_typen_ueberspringen_nur_ihr_objekt_mit_grund(server):
    person = {"id": "BASIS/person/1", "type": "https://schema.oparl.org/1.1/Person", "name": "Eva Muster"}
    url = kleines_system(
        server,
        organisationen=[GREMIUM],
        papiere=[papier(1, consultation=5), papier(2, auxiliaryFile=42), papier(3)],
        sitzungen=[sitzung(1, agendaItem=12), sitzung(2)],
    )
    server.json(
        "/bodies",
        liste(
            [
                {
                    "id": "BASIS/body/1",
                    "type": "https://schema.oparl.org/1.1/Body",
                    "name": "Teststadt",
                    "organization": "BASIS/body/1/organization",
                    "person": "BASIS/body/1/person",
                    "meeting": "BASIS/body/1/meeting",
                    "paper": "BASIS/body/1/paper",
                    "legislativeTerm": 5,
                    "agendaItem": {"kein": "url"},
                }
            ]
        ),
    )
    server.json("/body/1/person", {"data": [person | {"membership": 7}], "links": {"next": {"href": "x"}}})

    bericht = importieren(url)

    assert sorted(Vorlage.objects.values_list("nummer", flat=True)) == [3]
    assert list(Sitzung.objects.values_list("name", flat=True)) == ["Sitzung 2"]
    assert bericht.gruende["Paper"] == {
        "consultation ist keine Liste, sondern int": 1,
        "auxiliaryFile ist keine Liste, sondern int": 1,
    }
    assert bericht.gruende["Meeting"] == {"agendaItem ist keine Liste, sondern int": 1}
    assert bericht.gruende["Person"] == {"membership ist keine Liste, sondern int": 1}
    assert any("links.next ist keine Adresse" in m for m in bericht.meldungen)
    assert any("agendaItem ist keine Adresse" in m for m in bericht.meldungen)


def test_daten_ausserhalb_des_rahmens_ueberspringen_das_objekt(server):
    url = kleines_system(
        server,
        organisationen=[GREMIUM],
        sitzungen=[
            sitzung(1, start="0001-01-01T00:00:00+14:00"),
            sitzung(2, start="9999-12-31T23:00:00-05:00"),
            sitzung(3),
        ],
        papiere=[papier(1, date="0990-01-05"), papier(2)],
    )

    bericht = importieren(url)

    assert list(Sitzung.objects.values_list("name", flat=True)) == ["Sitzung 3"]
    assert list(Vorlage.objects.values_list("nummer", flat=True)) == [2]
    assert sum(bericht.gruende["Meeting"].values()) == 2
    assert all("außerhalb von 01.01.1900 bis 31.12.2200" in grund for grund in bericht.gruende["Meeting"])
    assert all("außerhalb" in grund for grund in bericht.gruende["Paper"])


def test_boese_dateinamen_werden_zu_sicheren_namen(server):
    lang = "a" * 292 + ".pdf"
    url = kleines_system(
        server,
        papiere=[
            papier(1, mainFile=datei("BASIS/files/1.pdf", fileName="../../../etc/cron.d/x.pdf", size=10**30)),
            papier(2, mainFile=datei("BASIS/files/1.pdf", id="BASIS/file/2", fileName=lang)),
        ],
    )
    server.routen["/files/1.pdf"] = (200, GEHEIM)

    bericht = importieren(url, dateien=True)

    assert dict(bericht.gruende) == {}
    namen = sorted(Anlage.objects.values_list("dateiname", flat=True))
    assert namen == ["a" * 100 + ".pdf", "x.pdf"]
    assert Datei.objects.get(oparl_id__endswith="/file/1").groesse is None


def test_ein_alter_boeser_dateiname_haelt_spaetere_laeufe_nicht_auf(server):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/1.pdf")), papier(2)])
    server.routen["/files/1.pdf"] = (200, GEHEIM)
    importieren(url)
    # As an earlier version of the importer stored it.
    Datei.objects.update(dateiname="../" + "b" * 293 + ".pdf")

    importieren(url, dateien=True)

    assert Anlage.objects.get().dateiname == "b" * 100 + ".pdf"


# -- never trusted with other records -------------------------------------------------------------------------


def test_eine_dienststelle_gleichen_namens_aendert_die_von_hand_angelegte_nicht(server):
    von_hand = DienststelleFactory(name="Amt für Umwelt", kurzname="36", art=Dienststelle.Art.REFERAT)
    amt = {
        "id": "BASIS/organization/9",
        "type": "https://schema.oparl.org/1.1/Organization",
        "name": "Amt für Umwelt",
        "shortName": "XX",
        "organizationType": "Dienststelle",
    }
    url = kleines_system(server, organisationen=[amt])

    importieren(url)

    von_hand.refresh_from_db()
    assert (von_hand.name, von_hand.kurzname, von_hand.art) == ("Amt für Umwelt", "36", Dienststelle.Art.REFERAT)
    importiert = Dienststelle.objects.get(name="Amt für Umwelt (importiert)")
    assert importiert.kurzname == "XX"


def test_ein_ort_gleichen_namens_ersetzt_nicht_die_anschrift_des_vorhandenen(server):
    von_hand = OrtFactory(bezeichnung="Rathaus", raum="", strasse="Marktplatz 1")
    ort = {
        "id": "BASIS/location/1",
        "type": "https://schema.oparl.org/1.1/Location",
        "description": "Rathaus",
        "streetAddress": "Hinterhof 13",
    }
    url = kleines_system(server, organisationen=[GREMIUM], sitzungen=[sitzung(1, location=ort)])

    importieren(url)

    von_hand.refresh_from_db()
    assert (von_hand.bezeichnung, von_hand.strasse) == ("Rathaus", "Marktplatz 1")
    assert Sitzung.objects.get().ort.bezeichnung == "Rathaus (importiert)"


def test_eine_zweite_quelle_mit_den_ids_der_ersten_erreicht_deren_vorlage_nicht(server):
    url = kleines_system(server, papiere=[papier(1, name="Original")])
    importieren(url)
    vorlage = Vorlage.objects.get()
    fremde_id = f"{server.basis}/paper/1"

    with OparlServer() as zweite:
        zweite_url = kleines_system(zweite)
        geloescht = {"id": fremde_id, "type": "https://schema.oparl.org/1.1/Paper", "deleted": True}
        zweite.json("/body/1/paper", liste([geloescht | {"modified": "2021-02-01T00:00:00+01:00"}]))
        importieren(zweite_url)
        vorlage.refresh_from_db()
        assert vorlage.status == Vorlage.Status.VEROEFFENTLICHT and vorlage.oeffentlich

        neu = papier(1, name="Übernommen", modified="2021-03-01T00:00:00+01:00") | {"id": fremde_id}
        zweite.json("/body/1/paper", liste([neu]))
        importieren(zweite_url)

    vorlage.refresh_from_db()
    assert vorlage.titel == "Original"
    # The second source gets its own record, marked by its number's Zusatz.
    assert Vorlage.objects.exclude(pk=vorlage.pk).get().titel == "Übernommen"
    assert Herkunft.objects.filter(oparl_id=fremde_id).count() == 2


def test_alte_herkuenfte_ohne_quelle_gehoeren_der_quelle_ihrer_ids(server):
    url = kleines_system(server, papiere=[papier(1, name="Original")])
    importieren(url)
    Herkunft.objects.update(quelle="")
    Datei.objects.update(quelle="")

    bericht = importieren(url)

    assert bericht.summe("angelegt") == 0 and Vorlage.objects.count() == 1


# -- faithful to an honest source -----------------------------------------------------------------------------


def tagesordnung():
    anlage = {
        "id": "BASIS/file/7",
        "type": "https://schema.oparl.org/1.1/File",
        "name": "Einladung",
        "accessUrl": "BASIS/e",
    }
    return [
        {"id": "BASIS/ai/1", "number": "A", "name": "Öffentliche Sitzung", "auxiliaryFile": [anlage]},
        {"id": "BASIS/ai/2", "number": "1", "name": "Haushalt"},
        {"id": "BASIS/ai/3", "number": "B", "name": "Nichtöffentliche Sitzung"},
        {"id": "BASIS/ai/4", "number": "2", "name": "Grundstücksverkauf"},
        {"id": "BASIS/ai/5", "number": "3", "name": "Personalsache", "public": False},
    ]


def test_ueberschriften_bleiben_mit_dateien_und_machen_nichts_nichtoeffentlich(server):
    url = kleines_system(server, organisationen=[GREMIUM], sitzungen=[sitzung(1, agendaItem=tagesordnung())])

    bericht = importieren(url)

    punkte = Sitzung.objects.get().tagesordnungspunkte.order_by("reihenfolge")
    assert [(p.nummer, p.titel, p.oeffentlich) for p in punkte] == [
        ("A", "Öffentliche Sitzung", True),
        ("1", "Haushalt", True),
        ("B", "Nichtöffentliche Sitzung", True),
        ("2", "Grundstücksverkauf", True),
        ("3", "Personalsache", False),
    ]
    assert Datei.objects.get().name == "Einladung"
    assert "AgendaItem" not in bericht.gruende and "File" not in bericht.gruende


def test_die_regel_des_betreibers_macht_den_teil_nach_der_ueberschrift_nichtoeffentlich(server):
    url = kleines_system(server, organisationen=[GREMIUM], sitzungen=[sitzung(1, agendaItem=tagesordnung())])

    importieren(url, nichtoeffentlich_ab=r"nichtöffentliche sitzung")

    punkte = Sitzung.objects.get().tagesordnungspunkte.order_by("reihenfolge")
    assert [p.oeffentlich for p in punkte] == [True, True, False, False, False]


def test_dateien_ohne_kopie_stehen_mit_accessurl_des_originals_in_unserer_api(server, client):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/1.pdf"))])
    importieren(url)
    original = f"{server.basis}/files/1.pdf"

    liste_ = client.get(reverse("oparl:liste", kwargs={"liste": "file"})).json()
    assert [(f["name"], f["accessUrl"], f["downloadUrl"]) for f in liste_["data"]] == [("Anlage", original, original)]
    einzeln = client.get(liste_["data"][0]["id"]).json()
    assert einzeln["fileName"] == "anlage.pdf" and einzeln["paper"][0].endswith(
        reverse("oparl:paper", kwargs={"pk": Vorlage.objects.get().pk})
    )
    paper = client.get(reverse("oparl:paper", kwargs={"pk": Vorlage.objects.get().pk})).json()
    assert paper["mainFile"]["accessUrl"] == original


def test_dateien_einer_nicht_oeffentlichen_vorlage_stehen_nicht_in_der_api(server, client):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/1.pdf"))])
    importieren(url)
    Vorlage.objects.update(oeffentlich=False)

    liste_ = client.get(reverse("oparl:liste", kwargs={"liste": "file"})).json()

    assert liste_["data"] == []


def test_eine_datei_einer_verborgenen_vorlage_antwortet_404(server, client):
    url = kleines_system(server, papiere=[papier(1, mainFile=datei("BASIS/files/1.pdf"))])
    importieren(url)
    adresse = reverse("oparl:originaldatei", kwargs={"pk": Datei.objects.get().pk})
    assert client.get(adresse).status_code == 200

    # Saved as the admin does (update() would pass the page cache's invalidation by design).
    vorlage = Vorlage.objects.get()
    vorlage.oeffentlich = False
    vorlage.save()

    assert client.get(adresse).status_code == 404


def test_ein_nach_dem_speichern_verworfenes_objekt_hinterlaesst_keine_falsche_zuordnung(server):
    # Paper 1 is written, then found malformed (consultation is no list) and rolled back; the same paper, fixed,
    # later in the run must be created afresh, not "updated" as a record that no longer exists.
    kaputt = papier(1, consultation=5)
    heil = papier(1, modified="2021-02-01T10:00:00+01:00")
    url = kleines_system(server)
    server.json("/body/1/paper", liste([kaputt], naechste="BASIS/body/1/paper?page=2"))
    server.json("/body/1/paper?page=2", liste([heil]))

    bericht = importieren(url)

    vorlage = Vorlage.objects.get()
    assert Herkunft.objects.get(typ="Paper").object_id == vorlage.pk
    assert bericht.zahlen["Paper"]["angelegt"] == 1
