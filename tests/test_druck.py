"""PDFs of Vorlagen and Sitzungen (druck): layout like the seed, PDF/A, the Mappe, variants, storage and serving."""

import datetime
import io
import re
import subprocess

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from druck.models import Druckstueck
from tests.factories import (
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    DienststelleFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

BERICHT = (
    "Mit der GRDrs 952/2001 wurde die erste gesamtstädtische Konzeption „Ein Bündnis für Integration: Grundlagen "
    "einer Integrationspolitik in der Landeshauptstadt Stuttgart“ veröffentlicht.\n\n"
    "Ein größerer Schwerpunkt der strategischen Integrationsplanung wird künftig die interkulturelle Ausrichtung "
    "der Stadtverwaltung sein."
)


def pdf_bytes(antwort):
    return b"".join(antwort.streaming_content) if antwort.streaming else antwort.content


def pdftotext(inhalt, *optionen):
    ergebnis = subprocess.run(["pdftotext", *optionen, "-", "-"], input=inhalt, capture_output=True, check=True)
    return ergebnis.stdout.decode()


def einzeilig(text):
    """One line, with the hyphens of German hyphenation (U+2010 at a line end) taken out again."""
    return re.sub(r"\s+", " ", re.sub("\u2010\\s+", "", text))


def zwei_seiten_pdf():
    schreiber = PdfWriter()
    schreiber.add_blank_page(595, 842)
    schreiber.add_blank_page(842, 595)
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


def verschluesseltes_pdf():
    schreiber = PdfWriter()
    schreiber.add_blank_page(595, 842)
    schreiber.encrypt("geheim-fuer-alle")
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


@pytest.fixture
def seed_vorlage(db):
    """The reference document: GRDrs 952/2021, with its Beratung and Anlage."""
    vorlage = VorlageFactory(
        art=Vorlage.Art.MITTEILUNGSVORLAGE,
        nummer=952,
        jahr=2021,
        dienststelle=DienststelleFactory(name="Referat Soziales und gesellschaftliche Integration"),
        titel="20 Jahre Stuttgarter Bündnis für Integration",
        bericht=BERICHT,
        unterzeichnet_von="Dr. Alexandra Sußmann",
        unterzeichnet_funktion="Bürgermeisterin",
    )
    BeratungFactory(
        vorlage=vorlage,
        ausschuss=AusschussFactory(name="Internationaler Ausschuss", slug="ia"),
        rolle="kenntnisnahme",
        termin=datetime.date(2021, 11, 24),
    )
    AnlageFactory(vorlage=vorlage, titel="Jubiläumsbroschüre „20 Jahre Stuttgarter Bündnis für Integration“")
    return vorlage


def test_vorlage_pdf_reads_like_the_seed_and_is_served_inline_with_its_number_as_file_name(client, seed_vorlage):
    antwort = client.get(reverse("druck:vorlage", kwargs={"kennung": seed_vorlage.kennung}))

    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "application/pdf"
    assert antwort["Content-Disposition"] == 'inline; filename="GRDrs-952-2021.pdf"'
    inhalt = pdf_bytes(antwort)
    text = einzeilig(pdftotext(inhalt, "-layout"))
    for erwartet in (
        "Landeshauptstadt Stuttgart",
        "Referat Soziales und gesellschaftliche Integration",
        "GRDrs 952/2021",
        "Stuttgart, 09.11.2021",
        "20 Jahre Stuttgarter Bündnis für Integration",
        "Mitteilungsvorlage",
        "Vorlage an zur Sitzungsart Sitzungstermin",
        "Internationaler Ausschuss Kenntnisnahme öffentlich 24.11.2021",
        "Bericht",
        "gesamtstädtische Konzeption",
        "Mitzeichnung der beteiligten Stellen:",
        "Vorliegende Anfragen/Anträge:",
        "Erledigte Anfragen/Anträge:",
        "Dr. Alexandra Sußmann Bürgermeisterin",
        "Anlagen",
        "Jubiläumsbroschüre",
        "Seite 1 von 1",
    ):
        assert erwartet in text, erwartet
    assert len(PdfReader(io.BytesIO(inhalt)).pages) == 1


def test_vorlage_pdf_is_pdf_a_2u_tagged_with_metadata_and_embedded_fonts(client, seed_vorlage, tmp_path):
    inhalt = pdf_bytes(client.get(reverse("druck:vorlage", kwargs={"kennung": seed_vorlage.kennung})))
    datei = tmp_path / "vorlage.pdf"
    datei.write_bytes(inhalt)

    info = subprocess.run(["pdfinfo", datei], capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Title:\s+GRDrs 952/2021: 20 Jahre Stuttgarter Bündnis für Integration$", info, re.M)
    assert re.search(r"^Author:\s+Referat Soziales und gesellschaftliche Integration$", info, re.M)
    assert re.search(r"^Subject:\s+Mitteilungsvorlage GRDrs 952/2021", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    leser = PdfReader(io.BytesIO(inhalt))
    assert leser.trailer["/Root"]["/Lang"] == "de-DE"
    xmp = leser.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)2', xmp)
    assert re.search(r'pdfaid:conformance(="|>)U', xmp)
    schriften = subprocess.run(["pdffonts", datei], capture_output=True, check=True).stdout.decode().splitlines()[2:]
    assert schriften
    for zeile in schriften:
        # Columns: name type encoding emb sub uni ...: every font embedded, with a Unicode map.
        assert re.search(r"\byes\s+yes\s+yes\b", zeile), zeile


def test_draft_vorlage_has_no_pdf_not_even_for_clerks_but_the_admin_preview_shows_it(client, sachbearbeitung):
    entwurf = VorlageFactory(entwurf=True, titel="Ein Entwurf über Straßenbäume")
    adresse = reverse("druck:vorlage", kwargs={"kennung": entwurf.kennung})
    vorschau = reverse("druck:vorlage-vorschau", kwargs={"kennung": entwurf.kennung})

    assert client.get(adresse).status_code == 404
    assert client.get(vorschau).status_code == 404
    client.force_login(UserFactory())  # logged in without the clerks' permission
    assert client.get(vorschau).status_code == 404
    client.force_login(sachbearbeitung)
    assert client.get(adresse).status_code == 404
    antwort = client.get(vorschau)
    assert antwort.status_code == 200
    text = einzeilig(pdftotext(pdf_bytes(antwort)))
    assert "Entwurf – nicht veröffentlicht" in text
    assert "Straßenbäume" in text
    # The clerk's preview of a draft is a personal copy.
    assert Druckstueck.objects.get().benutzer is not None
    assert "private" in antwort["Cache-Control"] and "no-store" in antwort["Cache-Control"]


def test_the_admin_offers_the_preview_of_a_vorlage(sachbearbeitung_client, db):
    entwurf = VorlageFactory(entwurf=True)
    seite = sachbearbeitung_client.get(reverse("admin:vorlagen_vorlage_change", args=[entwurf.pk]))
    assert reverse("druck:vorlage-vorschau", kwargs={"kennung": entwurf.kennung}) in seite.content.decode()


def test_stored_pdf_answers_304_to_its_etag_and_date(client, seed_vorlage):
    adresse = reverse("druck:vorlage", kwargs={"kennung": seed_vorlage.kennung})
    erste = client.get(adresse)
    pdf_bytes(erste)

    assert client.get(adresse, headers={"if-none-match": erste["ETag"]}).status_code == 304
    assert client.get(adresse, headers={"if-modified-since": erste["Last-Modified"]}).status_code == 304
    assert client.get(adresse, headers={"if-none-match": '"anders"'}).status_code == 200
    # Rendered once, served from storage the second time.
    assert Druckstueck.objects.count() == 1


def test_changing_a_beratung_or_an_anlage_makes_a_new_content_version(client, seed_vorlage):
    adresse = reverse("druck:vorlage", kwargs={"kennung": seed_vorlage.kennung})
    etags = [client.get(adresse)["ETag"]]
    beratung = seed_vorlage.beratungen.get()
    beratung.termin = datetime.date(2021, 12, 1)
    beratung.save()
    antwort = client.get(adresse)
    etags.append(antwort["ETag"])
    assert "01.12.2021" in pdftotext(pdf_bytes(antwort))
    AnlageFactory(vorlage=seed_vorlage, titel="Nachgereichte Übersicht")
    antwort = client.get(adresse)
    etags.append(antwort["ETag"])
    assert "Nachgereichte Übersicht" in pdftotext(pdf_bytes(antwort))

    assert len(set(etags)) == 3
    assert Druckstueck.objects.filter(status="fertig").count() == 3


@pytest.fixture
def gremium_mit_nichtoeffentlichem(db):
    ausschuss = AusschussFactory(name="Ausschuss für Umwelt")
    vorlage = VorlageFactory(titel="Öffentliche Vorlage")
    BeratungFactory(vorlage=vorlage, ausschuss=ausschuss)
    BeratungFactory(vorlage=vorlage, ausschuss=AusschussFactory(name="Geheimer Beirat Ölwechsel"), oeffentlich=False)
    BeratungFactory(vorlage=vorlage, ausschuss=ausschuss, oeffentlich=False, termin=datetime.date(2021, 12, 9))
    AnlageFactory(vorlage=vorlage, titel="Nichtöffentliches Gutachten", oeffentlich=False)
    sitzung = SitzungFactory(ausschuss=ausschuss)
    TagesordnungspunktFactory(sitzung=sitzung, titel="Öffentlicher Punkt").vorlagen.set([vorlage])
    TagesordnungspunktFactory(sitzung=sitzung, titel="Grundstücksgeschäft Geheimweg", oeffentlich=False)
    mitglieder = []
    for vorname in ("Erika", "Jürgen"):
        person = PersonFactory(vorname=vorname, nachname="Muster", benutzer=UserFactory())
        MitgliedschaftFactory(person=person, ausschuss=ausschuss)
        mitglieder.append(person.benutzer)
    return vorlage, sitzung, mitglieder


def test_members_get_their_own_watermarked_variant_and_everyone_else_the_public_one(
    client, gremium_mit_nichtoeffentlichem
):
    vorlage, _sitzung, (erika, juergen) = gremium_mit_nichtoeffentlichem
    adresse = reverse("druck:vorlage", kwargs={"kennung": vorlage.kennung})

    oeffentlich = pdftotext(pdf_bytes(client.get(adresse)))
    assert "Nichtöffentliches Gutachten" not in oeffentlich
    assert "09.12.2021" not in oeffentlich
    assert "Persönliches Exemplar" not in oeffentlich

    client.force_login(UserFactory())  # logged in, on no committee: the public variant
    assert pdftotext(pdf_bytes(client.get(adresse))) == oeffentlich
    client.force_login(erika)
    antwort = client.get(adresse)
    fuer_erika = pdftotext(pdf_bytes(antwort))
    assert "Nichtöffentliches Gutachten" in fuer_erika
    assert "09.12.2021" in fuer_erika
    assert "Geheimer Beirat" not in fuer_erika  # not her committee
    assert "Persönliches Exemplar für Erika Muster" in fuer_erika
    assert "private" in antwort["Cache-Control"]
    client.force_login(juergen)
    assert "Persönliches Exemplar für Jürgen Muster" in pdftotext(pdf_bytes(client.get(adresse)))

    varianten = Druckstueck.objects.values_list("benutzer", flat=True)
    assert sorted(varianten, key=str) == sorted([None, erika.pk, juergen.pk], key=str)


def test_tagesordnung_shows_non_public_titles_only_to_members(client, gremium_mit_nichtoeffentlichem):
    _vorlage, sitzung, (erika, _juergen) = gremium_mit_nichtoeffentlichem
    adresse = reverse("druck:tagesordnung", kwargs={"pk": sitzung.pk})

    text = einzeilig(pdftotext(pdf_bytes(client.get(adresse))))
    assert "Einladung und Tagesordnung" in text
    assert "Ausschuss für Umwelt" in text
    assert "Öffentlicher Punkt" in text
    assert "Nichtöffentlicher Teil" in text
    assert "Geheimweg" not in text
    client.force_login(erika)
    assert "Grundstücksgeschäft Geheimweg" in pdftotext(pdf_bytes(client.get(adresse)))


def test_mappe_merges_pdf_anlagen_with_bookmarks_and_lists_the_ones_it_cannot_merge(
    client, sachbearbeitung, speicherart
):
    vorlage = VorlageFactory(titel="Neubau einer Brücke")
    AnlageFactory(vorlage=vorlage, titel="Lageplan", datei=ContentFile(zwei_seiten_pdf(), name="lageplan.pdf"))
    AnlageFactory(
        vorlage=vorlage, titel="Gesperrtes Gutachten", datei=ContentFile(verschluesseltes_pdf(), name="g.pdf")
    )
    AnlageFactory(vorlage=vorlage, titel="Kaputte Datei", datei=ContentFile(b"%PDF-1.4\nkaputt", name="k.pdf"))
    AnlageFactory(
        vorlage=vorlage,
        titel="Tabelle",
        datei=ContentFile(b"a;b\n", name="tabelle.csv"),
        dateiname="tabelle.csv",
        mime_typ="text/csv",
    )
    sitzung = SitzungFactory()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", titel="Brückenbau").vorlagen.set([vorlage])

    antwort = client.get(reverse("druck:mappe", kwargs={"pk": sitzung.pk}))

    assert antwort.status_code == 200
    assert antwort["Content-Disposition"].startswith('inline; filename="Sitzungsmappe-')
    inhalt = pdf_bytes(antwort)
    leser = PdfReader(io.BytesIO(inhalt))
    # Tagesordnung (1), TOP heading (1), Vorlage (1), Lageplan (2, the second one landscape).
    assert len(leser.pages) == 5
    assert leser.pages[4].mediabox.width > leser.pages[4].mediabox.height
    gliederung = leser.outline
    titel = [eintrag.title for eintrag in gliederung if not isinstance(eintrag, list)]
    assert titel == ["Einladung und Tagesordnung", "Ö 1 Brückenbau"]
    (unter_top,) = (eintrag for eintrag in gliederung if isinstance(eintrag, list))
    assert unter_top[0].title == f"{vorlage.bezeichnung} Neubau einer Brücke"
    assert [eintrag.title for eintrag in unter_top[1]] == ["Anlage: Lageplan"]
    assert leser.get_destination_page_number(unter_top[1][0]) == 3
    text = einzeilig(pdftotext(inhalt))
    assert "Gesperrtes Gutachten" in text and "PDF verschlüsselt, nicht in der Mappe enthalten" in text
    assert "Kaputte Datei" in text and "PDF beschädigt, nicht in der Mappe enthalten" in text
    assert "Tabelle" in text and "kein PDF, nicht in der Mappe enthalten" in text
    assert "(S. 2)" in text  # the agenda entry names the page it links to

    druckstueck = Druckstueck.objects.get(art="mappe")
    assert "verschlüsselt" in druckstueck.warnungen and "beschädigt" in druckstueck.warnungen
    sachbearbeitung.user_permissions.add(Permission.objects.get(codename="view_druckstueck"))
    client.force_login(sachbearbeitung)
    liste = client.get(reverse("admin:druck_druckstueck_changelist") + "?warnungen=ja")
    assert "Gesperrtes Gutachten" in liste.content.decode()


def test_a_mappe_not_yet_built_shows_a_progress_page_instead_of_waiting(client, settings, db):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    sitzung = SitzungFactory()

    antwort = client.get(reverse("druck:mappe", kwargs={"pk": sitzung.pk}))

    assert antwort.status_code == 202
    seite = antwort.content.decode()
    assert "Das PDF wird erstellt" in seite
    assert '<meta http-equiv="refresh"' in seite
    assert "<progress" in seite
    assert Druckstueck.objects.get().status == "ausstehend"


def test_pdfs_of_a_sitzung_answer_404_for_an_unknown_sitzung(client, db):
    assert client.get(reverse("druck:mappe", kwargs={"pk": 99999})).status_code == 404
    assert client.get(reverse("druck:tagesordnung", kwargs={"pk": 99999})).status_code == 404


def test_a_stored_pdf_has_no_public_url(client, seed_vorlage):
    client.get(reverse("druck:vorlage", kwargs={"kennung": seed_vorlage.kennung}))
    druckstueck = Druckstueck.objects.get()
    with pytest.raises(ValueError):
        druckstueck.datei.url  # noqa: B018


def test_a_members_mappe_counts_as_a_download_of_its_non_public_anlagen(client, gremium_mit_nichtoeffentlichem):
    from vorlagen.models import AnlageAbruf

    _vorlage, sitzung, (erika, _juergen) = gremium_mit_nichtoeffentlichem
    adresse = reverse("druck:mappe", kwargs={"pk": sitzung.pk})

    assert client.get(adresse).status_code == 200
    assert not AnlageAbruf.objects.exists()
    client.force_login(erika)
    assert client.get(adresse).status_code == 200

    abruf = AnlageAbruf.objects.get()
    assert (abruf.benutzer, abruf.anlage.titel) == (erika, "Nichtöffentliches Gutachten")
