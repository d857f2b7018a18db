"""The Sitzungsmappe with real and hostile PDF Anlagen: merged when sound, left out with the reason otherwise."""

import io
import re
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from druck.models import Druckstueck
from tests import pdfs
from tests.factories import AnlageFactory, SitzungFactory, TagesordnungspunktFactory, VorlageFactory

pytestmark = pytest.mark.django_db


def pdf_bytes(antwort):
    return b"".join(antwort.streaming_content) if antwort.streaming else antwort.content


def pdftotext(inhalt, *optionen):
    return subprocess.run(
        ["pdftotext", *optionen, "-", "-"], input=inhalt, capture_output=True, check=True
    ).stdout.decode()


def einzeilig(text):
    return re.sub(r"\s+", " ", text)


def mappe_mit(*anlagen, titel="Neubau der Grundschule Ost"):
    """A Sitzung whose one TOP treats a Vorlage with the given ``(titel, pdf_bytes)`` Anlagen."""
    vorlage = VorlageFactory(titel=titel)
    for nummer, (anlage_titel, inhalt) in enumerate(anlagen, start=1):
        AnlageFactory(
            vorlage=vorlage, titel=anlage_titel, reihenfolge=nummer, datei=ContentFile(inhalt, name=f"a{nummer}.pdf")
        )
    sitzung = SitzungFactory()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", titel="Schulbau").vorlagen.set([vorlage])
    return sitzung


def mappe_holen(client, sitzung):
    antwort = client.get(reverse("druck:mappe", kwargs={"pk": sitzung.pk}))
    assert antwort.status_code == 200, antwort.content[:500]
    return pdf_bytes(antwort)


def seite_mit(leser, text):
    for nummer, seite in enumerate(leser.pages):
        if text in seite.extract_text():
            return nummer, seite
    raise AssertionError(f"{text!r} auf keiner Seite")


def test_weasyprint_fixtures_are_what_production_meets():
    # The fixtures carry content, object streams and a cross-reference stream, as real Anlagen do.
    inhalt = pdfs.text_pdf("Kostenberechnung")
    assert b"/ObjStm" in inhalt and b"/XRef" in inhalt
    assert "Kostenberechnung" in pdfs.seitentext(inhalt)[0]
    assert not pdfs.seitentext(pdfs.scan_pdf())[0].strip()


def test_mappe_merges_real_anlagen_with_text_image_rotated_pages_a_form_and_a_scan(client):
    sitzung = mappe_mit(
        ("Kostenberechnung", pdfs.text_pdf("Gesamtkosten der Grundschule Ost: 14,2 Mio. Euro", seiten=2)),
        ("Lageplan", pdfs.bild_pdf("Lageplan Teilfläche Feuerbach")),
        ("Plan quer", pdfs.gedreht(pdfs.text_pdf("Querformatiger Bauabschnittsplan"), 90)),
        ("Plan kopfüber", pdfs.gedreht(pdfs.text_pdf("Auf dem Kopf gescannter Plan"), 180)),
        ("Stellungnahme", pdfs.mit_formular(pdfs.text_pdf("Stellungnahme des Bezirksbeirats"))),
        ("Schreiben", pdfs.scan_pdf()),
    )

    inhalt = mappe_holen(client, sitzung)

    leser = PdfReader(io.BytesIO(inhalt))
    text = einzeilig(pdftotext(inhalt))
    assert "Gesamtkosten der Grundschule Ost: 14,2 Mio. Euro" in text
    assert "Lageplan Teilfläche Feuerbach" in text
    # The filled form field is printed with the page that holds it.
    assert "Zustimmung erteilt" in text
    assert "nicht in der Mappe enthalten" not in text
    # A page turned by /Rotate comes upright, in landscape, and its text reads left to right.
    _nummer, quer = seite_mit(leser, "Querformatiger Bauabschnittsplan")
    assert quer.mediabox.width > quer.mediabox.height
    assert quer.get("/Rotate", 0) == 0
    _nummer, kopf = seite_mit(leser, "Auf dem Kopf gescannter Plan")
    assert kopf.mediabox.width < kopf.mediabox.height
    # Tagesordnung, TOP, Vorlage, then 2 + 1 + 1 + 1 + 1 + 1 Anlage pages; the scan is the last, an image only.
    assert len(leser.pages) == 3 + 7
    assert {bild.image.size for bild in leser.pages[-1].images} == {(1240, 1754)}
    assert Druckstueck.objects.get(art="mappe").warnungen == ""


def test_an_anlage_content_stream_is_copied_as_it_is_not_parsed_and_rewritten(client):
    # Parsing a 3 MB content stream operator by operator made one Mappe take 53 s; the bytes are carried over.
    anlage = pdfs.aufblaehend(pdfs.text_pdf("Lageplan"), 3)
    sitzung = mappe_mit(("Aufwendiger Plan", anlage))

    leser = PdfReader(io.BytesIO(mappe_holen(client, sitzung)))

    formulare = [
        xobjekt.get_object()
        for seite in leser.pages
        for xobjekt in (seite.get("/Resources", {}).get("/XObject", {}) or {}).values()
        if xobjekt.get_object().get("/Subtype") == "/Form"
    ]
    assert any(form.get_data().startswith(b"0  0 m 1 1 l S\n0  0 m") for form in formulare)


@pytest.mark.parametrize(
    ("einstellungen", "anlage", "grund"),
    [
        ({}, lambda: pdfs.aufblaehend(pdfs.text_pdf("Bombe"), 66), "zu groß (der Inhalt einer Seite ist entpackt"),
        (
            {"RATSINFO_MAPPE_ANLAGE_MAX_ENTPACKT_MB": 0.5},
            lambda: pdfs.bild_pdf("Ein großes Bild"),
            "zu groß (entpackt mehr als 0,5 MB)",
        ),
        (
            {"RATSINFO_MAPPE_ANLAGE_MAX_SEITEN": 2},
            lambda: pdfs.text_pdf("Lang", seiten=3),
            "zu umfangreich (mehr als 2 Seiten)",
        ),
        # No interpreter starts and reads a PDF in 10 ms: the process is killed at its deadline.
        (
            {"RATSINFO_MAPPE_ANLAGE_SEKUNDEN": 0.01},
            lambda: pdfs.text_pdf("Langsam"),
            "zu aufwendig (nach 0,01 Sekunden abgebrochen)",
        ),
    ],
    ids=["66 MB Inhalt", "entpackt zu groß", "zu viele Seiten", "Zeitlimit"],
)
def test_an_anlage_over_a_limit_is_left_out_with_its_reason_and_the_mappe_is_built(
    client, settings, einstellungen, anlage, grund
):
    for name, wert in einstellungen.items():
        setattr(settings, name, wert)
    sitzung = mappe_mit(("Grenzfall", anlage()), ("Kostenberechnung", pdfs.text_pdf("Gesamtkosten 14,2 Mio. Euro")))

    inhalt = mappe_holen(client, sitzung)

    text = einzeilig(pdftotext(inhalt))
    assert "Grenzfall (" in text
    assert f"PDF {grund}" in text
    assert "nicht in der Mappe enthalten" in text
    if "SEKUNDEN" not in "".join(einstellungen):
        assert "Gesamtkosten 14,2 Mio. Euro" in text
    warnungen = Druckstueck.objects.get(art="mappe").warnungen
    assert "Anlage „Grenzfall“ ist " + grund in warnungen
