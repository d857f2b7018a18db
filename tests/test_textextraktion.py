"""The pypdf fallback of the Anlage text (no pdftotext installed): real text, and bounded in time and size."""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from tests import pdfs
from vorlagen import textextraktion


@pytest.fixture
def ohne_poppler(monkeypatch):
    """As on a machine without poppler-utils and without OCR: pypdf is the reader."""
    wirklich = textextraktion.shutil.which
    monkeypatch.setattr(
        textextraktion.shutil, "which", lambda name: None if name in ("pdftotext", "ocrmypdf") else wirklich(name)
    )


def test_pypdf_reads_the_text_of_a_real_pdf_page_by_page(ohne_poppler, tmp_path):
    datei = tmp_path / "bericht.pdf"
    datei.write_bytes(pdfs.text_pdf("Ein Bündnis für Integration in der Landeshauptstadt Stuttgart", seiten=2))

    ergebnis = textextraktion.pdf_lesen(datei)

    assert (ergebnis.verfahren, ergebnis.status, len(ergebnis.seiten)) == ("pypdf", "fertig", 2)
    assert "Bündnis für Integration" in ergebnis.seiten[1]


def _langsame_seite_zuerst():
    # 200,000 repetitions take pypdf about 12 s on a quiet machine, far beyond the deadlines below (50,000 took
    # only 3 s there, which let the deadline test pass or fail by chance).
    return pdfs.textlastig(pdfs.text_pdf("Erläuterungen zum Bebauungsplan", seiten=2), wiederholungen=200_000)


def test_a_page_that_takes_too_long_is_given_up_and_the_next_page_is_read(ohne_poppler, tmp_path, monkeypatch):
    monkeypatch.setattr(textextraktion, "PYPDF_SEKUNDEN_JE_SEITE", 0.5)
    datei = tmp_path / "plan.pdf"
    datei.write_bytes(_langsame_seite_zuerst())

    ergebnis = textextraktion.pdf_lesen(datei)

    assert len(ergebnis.seiten) == 2
    assert "Integration" not in ergebnis.seiten[0]
    assert "Erläuterungen zum Bebauungsplan" in ergebnis.seiten[1]


def test_the_whole_file_has_a_deadline_and_the_pages_read_by_then_are_kept(ohne_poppler, tmp_path, monkeypatch):
    monkeypatch.setattr(textextraktion, "PYPDF_TIMEOUT", 3)
    monkeypatch.setattr(textextraktion, "PYPDF_SEKUNDEN_JE_SEITE", 600)
    # The slow page last: the first one is read and kept when the process is killed.
    schreiber = PdfWriter()
    for seite in reversed(PdfReader(io.BytesIO(_langsame_seite_zuerst())).pages):
        schreiber.add_page(seite)
    datei = tmp_path / "plan.pdf"
    schreiber.write(datei)

    ergebnis = textextraktion.pdf_lesen(datei)

    assert len(ergebnis.seiten) == 1
    assert "Erläuterungen zum Bebauungsplan" in ergebnis.seiten[0]


def test_the_text_is_cut_to_a_size_per_page(ohne_poppler, tmp_path, monkeypatch):
    monkeypatch.setattr(textextraktion, "PYPDF_MAX_ZEICHEN_SEITE", 200)
    datei = tmp_path / "lang.pdf"
    datei.write_bytes(pdfs.text_pdf(*["Der Gemeinderat nimmt den Bericht zur Kenntnis."] * 40))

    ergebnis = textextraktion.pdf_lesen(datei)

    assert 150 < len(ergebnis.seiten[0]) <= 200
