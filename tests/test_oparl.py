"""The OParl 1.1 API (issue 6, server): a crawl over the demo data against the schemas, plus every rule of
../shared/oparl/README.md that the schemas do not check."""

import datetime
import json
import re
from collections import deque
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oparl.abbildung import LISTEN
from oparl.models import Tombstone
from sitzungen.models import Tagesordnungspunkt
from tests.factories import (
    AnlageFactory,
    AnlageSeiteFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

SCHEMA = "https://schema.oparl.org/1.1/"
OPARL_ORDNER = Path(settings.BASE_DIR).parent / "shared" / "oparl"
ZEITPUNKT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ZEIT_FELDER = {"created", "modified", "start", "end", "licenseValidSince", "oparlSince"}
DATUM_FELDER = {"date", "startDate", "endDate"}
# Lists are crawled with a limit, so the crawl of the demo data needs a few pages per list, not hundreds.
CRAWL_LIMIT = 25


def url(name, **kwargs):
    return reverse(f"oparl:{name}", kwargs=kwargs)


def pfad(absolute_url):
    """The path of an id, after checking that it is built from the configured base."""
    assert absolute_url.startswith(settings.RATSINFO_OPARL_BASIS_URL + "/"), absolute_url
    teile = urlsplit(absolute_url)
    return f"{teile.path}?{teile.query}" if teile.query else teile.path


def holen(client, adresse, status=200):
    antwort = client.get(pfad(adresse) if adresse.startswith("http") else adresse)
    assert antwort.status_code == status, (adresse, antwort.status_code, antwort.content[:300])
    assert antwort["Content-Type"] == "application/json; charset=utf-8", adresse
    assert antwort["Access-Control-Allow-Origin"] == "*", adresse
    return antwort.json()


@pytest.fixture(scope="session")
def validatoren():
    """One validator per OParl type, all schema files in one registry (they refer to each other by file name)."""
    if not (OPARL_ORDNER / "schema").is_dir():
        pytest.skip(f"OParl-Schemas fehlen: {OPARL_ORDNER / 'schema'} (in CI liegt shared/ neben dem Repository)")
    from jsonschema import Draft7Validator, FormatChecker
    from referencing import Registry, Resource

    registry = Registry()
    schemata = {}
    for datei in sorted((OPARL_ORDNER / "schema").glob("*.json")):
        inhalt = json.loads(datei.read_text())
        ressource = Resource.from_contents(inhalt)
        # "$ref": "File.json" resolves against the $id of the referring schema, so the file name is also
        # registered beside the $id (https://schema.oparl.org/1.1/File.json).
        schluessel = [inhalt["$id"], datei.name, urljoin(inhalt["$id"], datei.name)]
        registry = registry.with_resources([(name, ressource) for name in schluessel])
        schemata[datei.stem] = inhalt
    pruefer = FormatChecker()

    @pruefer.checks("url")
    def absolute_url(wert):
        teile = urlsplit(wert) if isinstance(wert, str) else None
        return teile is None or (teile.scheme in {"http", "https"} and bool(teile.netloc))

    return {typ: Draft7Validator(schema, registry=registry, format_checker=pruefer) for typ, schema in schemata.items()}


def validieren(validatoren, objekt):
    typ = objekt["type"].removeprefix(SCHEMA)
    fehler = sorted(validatoren[typ].iter_errors(objekt), key=str)
    assert not fehler, f"{objekt['id']}: " + "; ".join(f"{list(f.absolute_path)}: {f.message}" for f in fehler)


def regeln_pruefen(wert, wo="", eingebettet_in=None):
    """The README's rules for one object and all it embeds: created/modified, formats, no null, no ""."""
    assert wert is not None, f"null in {wo}"
    assert wert != "", f"leere Zeichenkette in {wo}"
    if isinstance(wert, list):
        for i, element in enumerate(wert):
            regeln_pruefen(element, f"{wo}[{i}]", eingebettet_in)
    elif isinstance(wert, dict):
        if str(wert.get("type", "")).startswith(SCHEMA):
            assert "created" in wert and "modified" in wert, f"created/modified fehlt in {wo}"
            assert "id" in wert, wo
        for schluessel, inhalt in wert.items():
            if schluessel in ZEIT_FELDER:
                assert ZEITPUNKT.match(inhalt), f"{wo}.{schluessel} = {inhalt!r}"
            if schluessel in DATUM_FELDER:
                assert DATUM.match(inhalt), f"{wo}.{schluessel} = {inhalt!r}"
            regeln_pruefen(inhalt, f"{wo}.{schluessel}", eingebettet_in)


def eingebettete(objekt):
    """(property, embedded object) of every object embedded one level down."""
    for schluessel, wert in objekt.items():
        kandidaten = wert if isinstance(wert, list) else [wert]
        for kandidat in kandidaten:
            if isinstance(kandidat, dict) and str(kandidat.get("type", "")).startswith(SCHEMA):
                yield schluessel, kandidat


# Embedded copies leave out the link back to their parent: (type of the child, property).
# A File links back to its Paper, or to its Meeting (a Sitzungsdokument), or to Meeting and AgendaItem (a
# Beschlussauszug): the properties of the parents it can have.
RUECKVERWEIS = {
    "AgendaItem": {"meeting"},
    "Consultation": {"paper"},
    "File": {"paper", "meeting", "agendaItem"},
    "Membership": {"person"},
    "LegislativeTerm": {"body"},
}


def seitenlinks_pruefen(seite, adresse):
    links, pagination = seite["links"], seite["pagination"]
    assert {"first", "last", "self"} <= set(links), adresse
    letzte = pagination["currentPage"] == pagination["totalPages"]
    assert ("next" in links) != letzte, adresse
    assert len(seite["data"]) <= pagination["elementsPerPage"]
    # The filters of the request are carried into every link.
    gefragt = parse_qs(urlsplit(adresse).query)
    for link in links.values():
        mitgenommen = parse_qs(urlsplit(link).query)
        for name, werte in gefragt.items():
            if name != "page":
                assert mitgenommen.get(name) == werte, (name, link)


def ist_liste(adresse):
    weg = urlsplit(adresse).path
    return weg == url("body-liste") or weg.startswith(url("body", pk=1) + "/")


def mit_limit(adresse):
    return adresse + ("&" if "?" in adresse else "?") + f"limit={CRAWL_LIMIT}"


@pytest.fixture
def crawl(client, demodaten, validatoren):
    """Everything reachable from the System object: {id: object} of objects fetched at their id, the list pages,
    and the embedded copies."""
    system = holen(client, url("system"))
    validieren(validatoren, system)
    regeln_pruefen(system, "System")
    objekte = {system["id"]: system}
    eingebettet = {}
    seiten = []
    listen = deque([mit_limit(system["body"])])
    offen = deque()
    gesehen_listen = set()

    def merken(objekt):
        for schluessel, wert in objekt.items():
            if schluessel in {"accessUrl", "downloadUrl", "web", "website", "id", "type", "oparlVersion"}:
                continue
            for kandidat in wert if isinstance(wert, list) else [wert]:
                if isinstance(kandidat, str) and kandidat.startswith(settings.RATSINFO_OPARL_BASIS_URL + "/oparl/"):
                    if ist_liste(kandidat):
                        listen.append(mit_limit(kandidat))
                    elif kandidat not in objekte:
                        offen.append(kandidat)
        for schluessel, kind in eingebettete(objekt):
            assert not RUECKVERWEIS.get(kind["type"].removeprefix(SCHEMA), set()) & set(kind), (
                objekt["id"],
                schluessel,
            )
            eingebettet[kind["id"]] = kind
            merken(kind)

    merken(system)
    while listen or offen:
        while listen:
            adresse = listen.popleft()
            if adresse in gesehen_listen:
                continue
            gesehen_listen.add(adresse)
            seite = holen(client, adresse)
            regeln_pruefen(seite, adresse)
            seitenlinks_pruefen(seite, adresse)
            seiten.append((adresse, seite))
            for objekt in seite["data"]:
                validieren(validatoren, objekt)
                objekte.setdefault(objekt["id"], objekt)
                merken(objekt)
            if "next" in seite["links"]:
                listen.append(seite["links"]["next"])
        while offen:
            adresse = offen.popleft()
            if adresse in objekte:
                continue
            objekt = holen(client, adresse)
            validieren(validatoren, objekt)
            regeln_pruefen(objekt, adresse)
            assert objekt["id"] == adresse
            objekte[adresse] = objekt
            merken(objekt)
    return {"objekte": objekte, "seiten": seiten, "eingebettet": eingebettet}


def test_the_whole_api_crawled_from_the_system_object_follows_the_schemas_and_rules(client, crawl):
    typen = {objekt["type"].removeprefix(SCHEMA) for objekt in crawl["objekte"].values()}
    assert typen >= {
        "System",
        "Body",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
        "Location",
        "LegislativeTerm",
    }
    # Every list of the Body was read, and lists took more than one page somewhere.
    gelesen = {urlsplit(adresse).path.rsplit("/", 1)[1] for adresse, _seite in crawl["seiten"]}
    assert set(LISTEN) <= gelesen
    assert any(seite["pagination"]["currentPage"] > 1 for _adresse, seite in crawl["seiten"])


def test_every_embedded_object_can_be_fetched_at_its_id_and_then_names_its_parent(client, crawl, validatoren):
    assert crawl["eingebettet"]
    for adresse, kopie in crawl["eingebettet"].items():
        objekt = crawl["objekte"].get(adresse) or holen(client, adresse)
        validieren(validatoren, objekt)
        rueckverweis = RUECKVERWEIS.get(objekt["type"].removeprefix(SCHEMA), set())
        if rueckverweis:
            assert rueckverweis & set(objekt), adresse
        # The copy says the same as the object itself, apart from the link back.
        assert {k: v for k, v in objekt.items() if k not in rueckverweis} == kopie, adresse


def test_the_body_has_all_lists_of_oparl_1_1_and_without_wahlperioden_an_empty_legislative_term_list(
    client, db, validatoren
):
    body = holen(client, url("body", pk=1))
    validieren(validatoren, body)
    for liste in (*LISTEN, "organization", "person", "meeting", "paper"):
        assert body[liste].startswith(settings.RATSINFO_OPARL_BASIS_URL), liste
    assert body["legislativeTerm"] == []
    leer = holen(client, body["legislativeTermList"])
    assert leer["data"] == [] and "next" not in leer["links"]


def test_agenda_items_carry_an_order_and_hidden_ones_only_their_number(client, db, validatoren):
    sitzung = SitzungFactory()
    oeffentlich = TagesordnungspunktFactory(sitzung=sitzung, nummer="1", titel="Offener Punkt", beschluss="Ja")
    geheim = TagesordnungspunktFactory(
        sitzung=sitzung, nummer="1", oeffentlich=False, titel="Geheimer Punkt", beschluss="Geheimer Beschluss"
    )
    meeting = holen(client, url("meeting", pk=sitzung.pk))
    validieren(validatoren, meeting)
    punkte = meeting["agendaItem"]
    assert [p["order"] for p in punkte] == [1, 2]
    assert punkte[0]["id"].endswith(f"/{oeffentlich.pk}") and punkte[0]["name"] == "Offener Punkt"
    assert punkte[1] == {
        k: v
        for k, v in punkte[1].items()
        if k in {"id", "type", "created", "modified", "number", "order", "public", "name"}
    }
    assert punkte[1]["public"] is False and punkte[1]["number"] == "N 1"
    # A neutral name: common clients require one (issue 15).
    assert punkte[1]["name"] == "Nichtöffentlicher Tagesordnungspunkt"
    einzeln = holen(client, url("agendaitem", pk=geheim.pk))
    assert einzeln["order"] == 2 and einzeln["name"] == "Nichtöffentlicher Tagesordnungspunkt"
    assert "Geheim" not in json.dumps(meeting) + json.dumps(einzeln)


def test_drafts_non_public_and_confidential_papers_are_not_in_the_api(client, db):
    versteckt = [
        VorlageFactory(entwurf=True, titel="Entwurf kanarie"),
        VorlageFactory(oeffentlich=False, titel="Nichtöffentlich kanarie"),
        VorlageFactory(vertraulich=True, titel="Vertraulich kanarie"),
    ]
    oeffentlich = VorlageFactory(titel="Öffentlich")
    AnlageFactory(vorlage=oeffentlich, oeffentlich=False, titel="Anlage kanarie")
    BeratungFactory(vorlage=oeffentlich, oeffentlich=False)
    for vorlage in versteckt:
        fehler = holen(client, url("paper", pk=vorlage.pk), status=404)
        assert fehler["type"] == SCHEMA + "Error" and fehler["message"]
    texte = [json.dumps(holen(client, url("liste", liste=liste) + "?limit=100")) for liste in LISTEN]
    assert "kanarie" not in "".join(texte)
    paper = holen(client, url("paper", pk=oeffentlich.pk))
    assert paper["auxiliaryFile"] == [] and paper["consultation"] == []


def test_a_withdrawn_paper_stays_a_normal_paper(client, db):
    vorlage = VorlageFactory(status=Vorlage.Status.ZURUECKGEZOGEN)
    paper = holen(client, url("paper", pk=vorlage.pk))
    assert "deleted" not in paper and paper["reference"] == vorlage.bezeichnung


def test_paper_reference_is_the_city_number(client, db):
    vorlage = VorlageFactory(art="mitteilungsvorlage", nummer=952, jahr=2021)
    assert holen(client, url("paper", pk=vorlage.pk))["reference"] == "GRDrs 952/2021"


def test_a_deleted_public_paper_leaves_tombstones_listed_only_with_modified_since(client, db, validatoren):
    vorlage = VorlageFactory()
    anlage = AnlageFactory(vorlage=vorlage)
    beratung = BeratungFactory(vorlage=vorlage)
    entwurf = VorlageFactory(entwurf=True)
    vorher = timezone.now() - datetime.timedelta(seconds=1)
    erstellt = holen(client, url("paper", pk=vorlage.pk))["created"]
    pks = {"paper": vorlage.pk, "file": anlage.pk, "consultation": beratung.pk, "entwurf": entwurf.pk}
    vorlage.delete()
    entwurf.delete()
    # The draft was never public: no tombstone tells that it existed.
    holen(client, url("paper", pk=pks["entwurf"]), status=404)
    for name in ("paper", "file", "consultation"):
        pk = pks[name]
        grabstein = holen(client, url(name, pk=pk))
        validieren(validatoren, grabstein)
        assert grabstein["deleted"] is True and grabstein["id"].endswith(f"/{name}/{pk}")
        assert ZEITPUNKT.match(grabstein["modified"]) and grabstein["modified"] >= grabstein["created"]
    assert holen(client, url("paper", pk=pks["paper"]))["created"] == erstellt
    assert Tombstone.objects.count() == 3
    assert holen(client, url("liste", liste="paper"))["data"] == []
    seit = vorher.isoformat()
    gefiltert = holen(client, url("liste", liste="paper") + f"?modified_since={seit.replace('+', '%2B')}")
    assert [p["deleted"] for p in gefiltert["data"]] == [True]


def test_deleting_a_meeting_leaves_tombstones_of_its_agenda_items_hidden_ones_included(client, db):
    sitzung = SitzungFactory()
    tops = [TagesordnungspunktFactory(sitzung=sitzung), TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=False)]
    pks = [sitzung.pk, *(top.pk for top in tops)]
    sitzung.delete()
    assert holen(client, url("meeting", pk=pks[0]))["deleted"] is True
    # The non-public TOP was in the API by its number, so clients must learn that it is gone.
    for pk in pks[1:]:
        assert holen(client, url("agendaitem", pk=pk))["deleted"] is True


def test_list_pages_link_next_first_last_self_and_carry_the_filters(client, db):
    for _ in range(5):
        VorlageFactory()
    gestern = (timezone.now() - datetime.timedelta(days=1)).isoformat().replace("+", "%2B")
    adresse = url("liste", liste="paper") + f"?limit=2&created_since={gestern}&omit_internal=true"
    seite = holen(client, adresse)
    anzahl = 0
    while True:
        seitenlinks_pruefen(seite, adresse)
        anzahl += len(seite["data"])
        assert all("consultation" not in p for p in seite["data"])  # omit_internal leaves out embedded objects
        if "next" not in seite["links"]:
            break
        adresse = seite["links"]["next"]
        seite = holen(client, adresse)
    assert anzahl == 5 and seite["pagination"]["totalPages"] == 3


def test_filters_select_by_created_and_modified_time(client, db):
    alt = VorlageFactory()
    Vorlage.objects.filter(pk=alt.pk).update(
        erstellt_am=timezone.now() - datetime.timedelta(days=10),
        geaendert_am=timezone.now() - datetime.timedelta(days=9),
    )
    neu = VorlageFactory()
    grenze = (timezone.now() - datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S")

    def ids(**filter):
        query = "&".join(f"{k}={v}" for k, v in filter.items())
        return [p["id"] for p in holen(client, url("liste", liste="paper") + "?" + query)["data"]]

    assert ids(created_since=grenze) == [f"{settings.RATSINFO_OPARL_BASIS_URL}{url('paper', pk=neu.pk)}"]
    assert ids(created_until=grenze) == [f"{settings.RATSINFO_OPARL_BASIS_URL}{url('paper', pk=alt.pk)}"]
    assert len(ids(modified_since=grenze)) == 1 and len(ids(modified_until=grenze)) == 1


def test_changing_an_embedded_agenda_item_changes_the_meetings_modified(client, db, ohne_caches):
    # Caches off: the change is written past the ORM (update()), which the page cache sees only after its seconds.
    sitzung = SitzungFactory()
    top = TagesordnungspunktFactory(sitzung=sitzung)
    vorher = holen(client, url("meeting", pk=sitzung.pk))["modified"]
    spaeter = timezone.now() + datetime.timedelta(hours=1)
    Tagesordnungspunkt.objects.filter(pk=top.pk).update(geaendert_am=spaeter)
    meeting = holen(client, url("meeting", pk=sitzung.pk))
    assert meeting["modified"] > vorher
    assert meeting["modified"] == spaeter.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")
    bis = (spaeter - datetime.timedelta(minutes=1)).isoformat().replace("+", "%2B")
    assert holen(client, url("liste", liste="meeting") + f"?modified_since={bis}")["data"][0]["id"] == meeting["id"]


@pytest.mark.parametrize(
    "parameter",
    [
        "created_since=gestern",
        "modified_until=2026-13-01",
        "limit=viele",
        "limit=0",
        "page=0",
        "omit_internal=vielleicht",
    ],
)
def test_invalid_list_parameters_answer_400_with_an_error_object(client, db, parameter):
    fehler = holen(client, url("liste", liste="paper") + "?" + parameter, status=400)
    assert fehler["type"] == SCHEMA + "Error" and fehler["message"] and fehler["debug"]


def test_limit_is_capped(client, db):
    assert holen(client, url("liste", liste="paper") + "?limit=100000")["pagination"]["elementsPerPage"] == 100


@pytest.mark.parametrize(
    "adresse",
    [
        lambda: url("paper", pk=999999),
        lambda: url("body", pk=2),
        lambda: url("liste", liste="gibt-es-nicht"),
        lambda: url("liste", liste="paper") + "?page=5",
        lambda: reverse("oparl:system") + "gibt/es/nicht",
    ],
)
def test_unknown_ids_answer_404_with_an_error_object(client, db, adresse):
    fehler = holen(client, adresse(), status=404)
    assert fehler["type"] == SCHEMA + "Error" and fehler["message"]


def test_ids_come_from_the_configured_base_url_never_from_the_host_header(client, db, settings):
    settings.RATSINFO_OPARL_BASIS_URL = "https://ratsinfo.stuttgart.example"
    settings.ALLOWED_HOSTS = ["*"]
    system = client.get(url("system"), HTTP_HOST="angreifer.example").json()
    assert system["id"] == "https://ratsinfo.stuttgart.example" + url("system")
    assert "angreifer" not in json.dumps(system)


def test_file_access_url_serves_inline_and_download_url_as_attachment(client, db):
    anlage = AnlageFactory()
    AnlageSeiteFactory(anlage=anlage, nummer=1, text="Text der ersten Seite")
    datei = holen(client, url("file", pk=anlage.pk))
    assert datei["text"] == "Text der ersten Seite"
    inline = client.get(pfad(datei["accessUrl"]))
    assert inline.status_code == 200 and inline["Content-Disposition"].startswith("inline")
    anhang = client.get(pfad(datei["downloadUrl"]))
    assert anhang.status_code == 200 and anhang["Content-Disposition"].startswith("attachment")
    geheim = AnlageFactory(oeffentlich=False)
    assert client.get(url("file-download", pk=geheim.pk)).status_code == 404


def test_person_contact_data_only_with_consent_and_memberships_embedded(client, db):
    ohne = PersonFactory(email="geheim@example.org", kontakt_veroeffentlichen=False)
    mit = PersonFactory(email="offen@example.org", kontakt_veroeffentlichen=True)
    MitgliedschaftFactory(person=mit)
    assert "email" not in holen(client, url("person", pk=ohne.pk))
    person = holen(client, url("person", pk=mit.pk))
    assert person["email"] == ["offen@example.org"] and len(person["membership"]) == 1


def test_developer_page_is_linked_from_the_footer_and_points_to_the_api(client, db):
    startseite = client.get(reverse("startseite")).content.decode()
    assert reverse("oparl:entwickler") in startseite
    seite = client.get(reverse("oparl:entwickler")).content.decode()
    assert settings.RATSINFO_OPARL_BASIS_URL + url("system") in seite
    assert reverse("oparl:openapi") in seite


def test_openapi_describes_every_list_and_object_path(client, db):
    beschreibung = holen(client, reverse("oparl:openapi"))
    assert beschreibung["openapi"].startswith("3.")
    pfade = set(beschreibung["paths"])
    assert {f"/body/1/{liste}" for liste in LISTEN} <= pfade
    assert {"/paper/{id}", "/meeting/{id}", "/file/{id}/download", "/sitzungsdokument/{id}/download"} <= pfade


def daten_anlegen(anzahl):
    for i in range(anzahl):
        sitzung = SitzungFactory()
        vorlage = VorlageFactory()
        AnlageSeiteFactory(anlage=AnlageFactory(vorlage=vorlage), nummer=1)
        BeratungFactory(vorlage=vorlage, ausschuss=sitzung.ausschuss, sitzung=sitzung)
        TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=i % 2 == 0).vorlagen.add(vorlage)
        MitgliedschaftFactory(ausschuss=sitzung.ausschuss)


@pytest.mark.parametrize("liste", list(LISTEN))
def test_list_pages_run_a_fixed_number_of_queries(client, db, liste):
    def zaehlen():
        with CaptureQueriesContext(connection) as erfasst:
            antwort = client.get(url("liste", liste=liste) + "?limit=100")
        assert antwort.status_code == 200
        return len(erfasst), len(antwort.json()["data"])

    daten_anlegen(3)
    klein, zeilen_klein = zaehlen()
    daten_anlegen(20)
    gross, zeilen_gross = zaehlen()
    assert klein == gross, (liste, klein, gross)
    assert zeilen_gross >= zeilen_klein
