"""Sitzungsdokumente (issue 17): the files of a Sitzung itself, with the mechanics of the Anlagen - the upload check,
the text for the search, the download under the one visibility rule, the admin rows, the Sitzung page, the
Sitzungsmappe and the search. The PDFs are real (WeasyPrint, tests/pdfs.py)."""

import errno
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protokoll.models import Sitzungsdokument
from protokoll.services import sitzungsdokument_ablegen
from sitzungen.models import Sitzung
from suche.suche import DOKUMENT, Suche
from tests import pdfs
from tests.factories import (
    MINI_PDF,
    AnlageFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    SitzungsdokumentFactory,
    TagesordnungspunktFactory,
    UserFactory,
    pdf_bauen,
    zip_bauen,
)
from tests.test_admin import admin_url, formulardaten, neue_zeile
from tests.test_datei_behalten import HINWEIS, marken

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def einladung_pdf():
    return pdfs.text_pdf("Einladung zur Sitzung des Ausschusses für Klimaschutz", "Tagesordnung: Radwegenetz Ost")


@pytest.fixture(scope="module")
def tischvorlage_pdf():
    return pdfs.text_pdf("Tischvorlage Verkehrswertgutachten", "Bodenrichtwert Flurstück Kohlhaldenweg")


@pytest.fixture
def ratsmitglied():
    """A councillor of the Gremium of the Sitzung ``sitzung`` below."""
    person = PersonFactory(benutzer=UserFactory(username="ratsmitglied"))
    return person


@pytest.fixture
def sitzung(ratsmitglied):
    sitzung = SitzungFactory()
    MitgliedschaftFactory(person=ratsmitglied, ausschuss=sitzung.ausschuss)
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", titel="Radwegenetz Ost")
    return sitzung


def ablegen(sitzung, inhalt, *, titel="Einladung", art="einladung", dateiname="einladung.pdf", **kwargs):
    return sitzungsdokument_ablegen(
        sitzung=sitzung, art=art, titel=titel, datei=ContentFile(inhalt, name=dateiname), **kwargs
    )


def pdftotext(inhalt):
    ergebnis = subprocess.run(["pdftotext", "-", "-"], input=inhalt, capture_output=True, check=True)
    return re.sub(r"\s+", " ", ergebnis.stdout.decode())


# The upload check: what an Anlage refuses, a Sitzung refuses, in the same words -------------------------------


@pytest.mark.parametrize(
    ("dateiname", "inhalt"),
    [
        ("skript.pdf", pdf_bauen(javascript="app.alert(1)")),
        ("starten.pdf", pdf_bauen(starten="cmd.exe")),
        ("anhang.pdf", pdf_bauen(anhang=("virus.exe", b"MZ"))),
        ("gesperrt.pdf", pdf_bauen(kennwort="geheim")),
        ("bericht.pdf", zip_bauen({"word/document.xml": b"<w/>"})),
    ],
    ids=["javascript", "launch", "embedded file", "encrypted", "office file as pdf"],
)
def test_a_hostile_or_unsupported_file_is_refused_with_the_message_of_an_anlage(sitzung, dateiname, inhalt):
    dokument = Sitzungsdokument(
        sitzung=sitzung, art="tischvorlage", titel="Tischvorlage", datei=ContentFile(inhalt, name=dateiname)
    )
    anlage = AnlageFactory.build(vorlage=AnlageFactory().vorlage, datei=ContentFile(inhalt, name=dateiname))
    with pytest.raises(ValidationError) as bei_anlage:
        anlage.full_clean()

    with pytest.raises(ValidationError) as fehler:
        ablegen(sitzung, inhalt, dateiname=dateiname)
    with pytest.raises(ValidationError) as beim_modell:
        dokument.full_clean()

    assert fehler.value.message_dict["datei"] == bei_anlage.value.message_dict["datei"]
    assert beim_modell.value.message_dict["datei"] == bei_anlage.value.message_dict["datei"]
    assert not Sitzungsdokument.objects.exists()


def test_metadata_comes_from_the_content_and_the_text_is_read_after_the_commit(
    sitzung, einladung_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dokument = ablegen(sitzung, einladung_pdf, dateiname="Einladung 2021.pdf")

    dokument.refresh_from_db()
    assert (dokument.dateiname, dokument.mime_typ, dokument.groesse) == (
        "Einladung 2021.pdf",
        "application/pdf",
        len(einladung_pdf),
    )
    assert dokument.datei.name.startswith(f"sitzungen/{sitzung.beginn:%Y}/{sitzung.pk}/")
    assert dokument.textstatus == "fertig"
    assert dokument.seitenzahl == 1
    assert "Radwegenetz Ost" in dokument.text


def test_an_error_after_the_file_was_written_leaves_no_row_and_no_file(sitzung, einladung_pdf, monkeypatch):
    storage = Sitzungsdokument._meta.get_field("datei").storage
    geschrieben = []

    def fehlschlag(*, dokument):
        geschrieben.append(dokument.datei.name)
        assert storage.exists(dokument.datei.name)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("protokoll.services.sitzungsdokument_text_anstossen", fehlschlag)
    with pytest.raises(OSError):
        ablegen(sitzung, einladung_pdf)

    assert geschrieben
    assert not Sitzungsdokument.objects.exists()
    assert not storage.exists(geschrieben[0])


# The download -------------------------------------------------------------------------------------------------


def test_a_public_document_is_downloaded_by_everybody_with_its_name(client, sitzung, einladung_pdf):
    dokument = ablegen(sitzung, einladung_pdf, dateiname="Einladung Ausschuss.pdf")

    antwort = client.get(dokument.get_absolute_url())

    assert antwort.status_code == 200
    assert b"".join(antwort.streaming_content) == einladung_pdf
    assert antwort["Content-Type"] == "application/pdf"
    assert 'filename="Einladung Ausschuss.pdf"' in antwort["Content-Disposition"]
    assert "no-store" not in antwort.get("Cache-Control", "")


def test_a_non_public_document_is_for_the_gremium_only_and_never_cached(
    client, sitzung, ratsmitglied, tischvorlage_pdf
):
    dokument = ablegen(sitzung, tischvorlage_pdf, art="tischvorlage", titel="Tischvorlage", oeffentlich=False)
    url = dokument.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="anderes-ratsmitglied"))
    assert client.get(url).status_code == 404

    client.force_login(ratsmitglied.benutzer)
    antwort = client.get(url)
    assert antwort.status_code == 200
    assert b"".join(antwort.streaming_content) == tischvorlage_pdf
    assert "private" in antwort["Cache-Control"] and "no-store" in antwort["Cache-Control"]


def test_a_public_document_of_a_non_public_sitzung_is_not_public(client, einladung_pdf):
    dokument = ablegen(SitzungFactory(oeffentlich=False), einladung_pdf)

    assert client.get(dokument.get_absolute_url()).status_code == 404


def test_a_wrong_file_name_redirects_and_another_sitzung_is_a_404(client, sitzung, einladung_pdf):
    dokument = ablegen(sitzung, einladung_pdf)
    falsch = reverse("protokoll:dokument", kwargs={"sitzung": sitzung.pk, "pk": dokument.pk, "dateiname": "x.pdf"})
    fremd = reverse(
        "protokoll:dokument",
        kwargs={"sitzung": SitzungFactory().pk, "pk": dokument.pk, "dateiname": dokument.dateiname},
    )

    antwort = client.get(falsch)

    assert (antwort.status_code, antwort["Location"]) == (301, dokument.get_absolute_url())
    assert client.get(fremd).status_code == 404


# The Sitzung page ---------------------------------------------------------------------------------------------


def test_the_sitzung_page_lists_the_documents_the_visitor_may_see(client, sitzung, ratsmitglied):
    SitzungsdokumentFactory(sitzung=sitzung, titel="Einladung zur Sitzung", reihenfolge=1)
    SitzungsdokumentFactory(
        sitzung=sitzung, art="tischvorlage", titel="Tischvorlage Grundstück", oeffentlich=False, reihenfolge=2
    )

    oeffentlich = client.get(sitzung.get_absolute_url()).content.decode()
    client.force_login(ratsmitglied.benutzer)
    fuer_mitglied = client.get(sitzung.get_absolute_url()).content.decode()

    assert '<h2 id="abschnitt-1">Sitzungsdokumente</h2>' in oeffentlich
    assert "Einladung zur Sitzung" in oeffentlich and "Tischvorlage Grundstück" not in oeffentlich
    assert fuer_mitglied.index("Einladung zur Sitzung") < fuer_mitglied.index("Tischvorlage Grundstück")
    assert "nichtöffentlich" in fuer_mitglied.split("Tischvorlage Grundstück")[1][:400]


def test_a_sitzung_without_visible_documents_has_no_such_heading(client, sitzung):
    SitzungsdokumentFactory(sitzung=sitzung, oeffentlich=False)

    assert "Sitzungsdokumente" not in client.get(sitzung.get_absolute_url()).content.decode()


def test_the_sitzung_page_reads_its_documents_in_one_query_however_many(
    client, sitzung, ratsmitglied, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(ratsmitglied.benutzer)
    SitzungsdokumentFactory.create_batch(2, sitzung=sitzung)
    with CaptureQueriesContext(connection) as wenige:
        client.get(sitzung.get_absolute_url())
    SitzungsdokumentFactory.create_batch(30, sitzung=sitzung, oeffentlich=False)

    with django_assert_max_num_queries(len(wenige)):
        antwort = client.get(sitzung.get_absolute_url())
    assert antwort.content.decode().count(f"/sitzungen/{sitzung.pk}/dokumente/") == 32


# The Sitzungsmappe --------------------------------------------------------------------------------------------


def test_the_mappe_carries_the_einladung_first_and_a_non_public_tischvorlage_for_members_only(
    client, sitzung, ratsmitglied, einladung_pdf, tischvorlage_pdf
):
    ablegen(sitzung, einladung_pdf)
    ablegen(sitzung, tischvorlage_pdf, art="tischvorlage", titel="Tischvorlage", oeffentlich=False, reihenfolge=2)
    url = reverse("druck:mappe", kwargs={"pk": sitzung.pk})

    oeffentlich = pdftotext(b"".join(client.get(url).streaming_content))
    client.force_login(ratsmitglied.benutzer)
    antwort = client.get(url)
    persoenlich = pdftotext(b"".join(antwort.streaming_content))

    assert "Radwegenetz Ost" in oeffentlich
    assert "Bodenrichtwert" not in oeffentlich
    assert "Bodenrichtwert" in persoenlich
    # The Einladung opens the Mappe, before the agenda; the other documents follow the agenda.
    for text in (oeffentlich, persoenlich):
        assert text.index("Einladung zur Sitzung des Ausschusses") < text.index("Einladung und Tagesordnung")
    assert persoenlich.index("Einladung und Tagesordnung") < persoenlich.index("Verkehrswertgutachten")
    assert "no-store" in antwort["Cache-Control"]


def test_a_document_that_is_no_pdf_is_named_in_the_mappe_not_merged(client, sitzung):
    ablegen(
        sitzung,
        b"Wortprotokoll der Sitzung, Redebeitraege in voller Laenge.\n",
        art="wortprotokoll",
        titel="Wortprotokoll",
        dateiname="wortprotokoll.txt",
    )

    text = pdftotext(b"".join(client.get(reverse("druck:mappe", kwargs={"pk": sitzung.pk})).streaming_content))

    assert "Wortprotokoll: Wortprotokoll" in text
    assert "kein PDF, nicht in der Mappe enthalten" in text


# The search ---------------------------------------------------------------------------------------------------


def test_the_search_finds_documents_by_title_and_text_for_those_who_may_see_them(
    sitzung, ratsmitglied, tischvorlage_pdf, einladung_pdf, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser

    with django_capture_on_commit_callbacks(execute=True):
        einladung = ablegen(sitzung, einladung_pdf, titel="Einladung Klimaschutz")
        tischvorlage = ablegen(
            sitzung, tischvorlage_pdf, art="tischvorlage", titel="Tischvorlage Grundstück", oeffentlich=False
        )

    def gefunden(user, begriff):
        suche = Suche(user=user, begriff=begriff, typ=DOKUMENT)
        treffer = [t.objekt for t in suche.laden(suche.treffermenge().zeilen)]
        # The count comes from the candidates, before any object is loaded: it must follow the rule as well.
        assert suche.anzahlen()[DOKUMENT] == len(treffer)
        return treffer

    assert gefunden(AnonymousUser(), "Radwegenetz") == [einladung]  # in the text
    assert gefunden(AnonymousUser(), "Klimaschutz") == [einladung]  # in the title
    assert gefunden(AnonymousUser(), "Bodenrichtwert") == []
    assert gefunden(AnonymousUser(), "Tischvorlage") == []
    assert gefunden(ratsmitglied.benutzer, "Bodenrichtwert") == [tischvorlage]
    assert gefunden(ratsmitglied.benutzer, "Tischvorlage") == [tischvorlage]


def test_the_search_page_lists_a_document_with_its_sitzung(
    client, sitzung, einladung_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dokument = ablegen(sitzung, einladung_pdf, titel="Einladung Klimaschutz")

    seite = client.get(reverse("suche:suche"), {"q": "Radwegenetz"}).content.decode()

    assert dokument.get_absolute_url() in seite
    assert sitzung.get_absolute_url() in seite
    assert "Sitzungsdokumente (1)" in seite


# The admin ----------------------------------------------------------------------------------------------------


def test_the_clerk_adds_a_document_in_the_sitzung_admin_and_its_text_is_read(
    sachbearbeitung_client, sitzung, einladung_pdf, django_capture_on_commit_callbacks
):
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(
        daten,
        "dokumente",
        art="einladung",
        titel="Einladung",
        datei=SimpleUploadedFile("einladung.pdf", einladung_pdf),
        oeffentlich=True,
        reihenfolge="1",
    )

    with django_capture_on_commit_callbacks(execute=True):
        antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 302
    dokument = sitzung.dokumente.get()
    assert (dokument.dateiname, dokument.mime_typ, dokument.textstatus) == (
        "einladung.pdf",
        "application/pdf",
        "fertig",
    )
    assert "Radwegenetz Ost" in dokument.text
    # The change form links the stored file through the download view, never a storage URL.
    assert dokument.get_absolute_url() in sachbearbeitung_client.get(url).content.decode()


def test_the_admin_refuses_a_hostile_pdf_at_its_row(sachbearbeitung_client, sitzung):
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(
        daten,
        "dokumente",
        art="tischvorlage",
        titel="Tischvorlage",
        datei=SimpleUploadedFile("skript.pdf", pdf_bauen(javascript="app.alert(1)")),
        reihenfolge="1",
    )

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    formset = next(i.formset for i in antwort.context["inline_admin_formsets"] if i.formset.model is Sitzungsdokument)
    assert "enthält JavaScript" in " ".join(formset.errors[0]["datei"])
    assert not sitzung.dokumente.exists()


def test_a_chosen_file_survives_an_error_elsewhere_in_the_sitzung_form(sachbearbeitung_client, sitzung, einladung_pdf):
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(
        daten,
        "dokumente",
        art="einladung",
        titel="Einladung",
        datei=SimpleUploadedFile("einladung.pdf", einladung_pdf),
        reihenfolge="1",
    )
    datei = daten.pop("dokumente-0-datei")

    antwort = sachbearbeitung_client.post(url, {**daten, "dokumente-0-datei": datei, "name": "Sitzung\tmit Tab"})

    assert antwort.status_code == 200
    assert "name" in antwort.context["adminform"].form.errors
    assert HINWEIS.format("einladung.pdf") in antwort.content.decode()
    assert list(marken(antwort)) == ["dokumente-0-datei_behalten"]
    assert not sitzung.dokumente.exists()

    # The browser sends no file the second time, only the token the page carried.
    antwort = sachbearbeitung_client.post(url, {**daten, **marken(antwort)})

    assert antwort.status_code == 302
    with sitzung.dokumente.get().datei.open("rb") as gespeichert:
        assert gespeichert.read() == einladung_pdf


def test_a_full_disk_in_the_sitzung_admin_keeps_the_sitzung_and_says_why(
    sachbearbeitung_client, sitzung, einladung_pdf, tischvorlage_pdf, monkeypatch
):
    storage = Sitzungsdokument._meta.get_field("datei").storage
    echt = storage._save
    geschrieben = []

    def speichern(name, content):
        if geschrieben:
            raise OSError(errno.ENOSPC, "No space left on device")
        geschrieben.append(echt(name, content))
        return geschrieben[-1]

    monkeypatch.setattr(storage, "_save", speichern)
    url = admin_url(Sitzung, "change", sitzung.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    for nummer, (titel, inhalt) in enumerate((("Einladung", einladung_pdf), ("Tischvorlage", tischvorlage_pdf)), 1):
        neue_zeile(
            daten,
            "dokumente",
            art="einladung",
            titel=titel,
            datei=SimpleUploadedFile(f"{titel}.pdf", inhalt),
            reihenfolge=str(nummer),
        )
    daten["name"] = "Sondersitzung"

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    fehler = " ".join(antwort.context["adminform"].form.non_field_errors())
    assert "Datenträger voll" in fehler and "Die Sitzung und ihre bisherigen Dokumente sind unverändert" in fehler
    sitzung.refresh_from_db()
    assert sitzung.name != "Sondersitzung"
    assert not sitzung.dokumente.exists()
    # The first file was written before the disk was full; it went again with the rolled-back rows.
    assert len(geschrieben) == 1 and not storage.exists(geschrieben[0])


def test_the_mini_pdf_of_the_factory_passes_the_check():
    # The factory's file is what the other tests store without full_clean(): it must be one the check accepts.
    dokument = Sitzungsdokument(
        sitzung=SitzungFactory(), art="einladung", titel="Einladung", datei=ContentFile(MINI_PDF, name="d.pdf")
    )
    dokument.full_clean()
