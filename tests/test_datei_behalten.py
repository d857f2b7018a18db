"""A file chosen in the Anlagen rows of the Vorlage admin survives a validation error elsewhere in the form.

Through the real admin with the test client, with PDFs written by WeasyPrint as the druck app writes them: the
browser sends a file only once, so what the next submission carries is the hidden token the page rendered.
"""

import os
import re
import time
from html import unescape

import pytest
from django.core import signing
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import AnlageFactory, SachbearbeitungFactory, VorlageFactory, pdf_bauen
from tests.test_admin import admin_url, formulardaten, neue_zeile
from tests.test_browser import browser, demodaten_live  # noqa: F401
from vorlagen.models import Anlage, Vorlage

pytestmark = pytest.mark.django_db

HINWEIS = "Ausgewählt: {} (wird beim Speichern übernommen)"
UNGUELTIG = "Die zuvor ausgewählte Datei kann nicht übernommen werden"


@pytest.fixture(scope="module")
def bericht_pdf():
    from weasyprint import HTML

    return HTML(
        string='<html lang="de"><head><title>Bericht</title></head><body><h1>20 Jahre Stuttgarter Bündnis für '
        "Integration</h1><p>Bericht der Stabsabteilung für Integrationspolitik.</p></body></html>"
    ).write_pdf()


@pytest.fixture(scope="module")
def lageplan_pdf():
    from weasyprint import HTML

    return HTML(string="<html><body><p>Lageplan Neckarufer</p><p>Maßstab 1:500</p></body></html>").write_pdf()


def zwischengespeichert():
    ablage = storages["zwischenspeicher"]
    if not os.path.isdir(ablage.location):
        return []
    return sorted(os.listdir(ablage.location))


def marken(antwort):
    """The hidden tokens of kept files on the page, as the browser sends them back: {field name: token}."""
    html = antwort.content.decode()
    return {
        name: unescape(wert)
        for name, wert in re.findall(r'<input type="hidden" name="([^"]+_behalten)" value="([^"]*)"', html)
    }


def erneut(antwort, **aenderungen):
    """The next submission of a form shown again: the fields as the page has them, the tokens, no files."""
    daten = formulardaten(antwort)
    daten.update(marken(antwort))
    daten.update(aenderungen)
    return daten


def mit_neuen_anlagen(client, vorlage, *dateien):
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(client.get(url))
    for nummer, datei in enumerate(dateien, start=1):
        neue_zeile(daten, "anlagen", titel=f"Anlage {nummer}", datei=datei, reihenfolge=str(nummer), oeffentlich=True)
    return url, daten


def test_chosen_file_survives_an_invalid_submission_and_is_saved_with_identical_bytes(
    sachbearbeitung_client, bericht_pdf, django_capture_on_commit_callbacks
):
    vorlage = VorlageFactory(titel="Bündnis für Integration")
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert HINWEIS.format("bericht.pdf") in antwort.content.decode()
    assert list(marken(antwort)) == ["anlagen-0-datei_behalten"]
    assert not vorlage.anlagen.exists()

    with django_capture_on_commit_callbacks(execute=True):
        antwort = sachbearbeitung_client.post(url, erneut(antwort, titel="Bündnis für Integration"))

    assert antwort.status_code == 302
    anlage = vorlage.anlagen.get()
    anlage.datei.open("rb")
    with anlage.datei:
        assert anlage.datei.read() == bericht_pdf
    assert (anlage.dateiname, anlage.mime_typ, anlage.groesse) == ("bericht.pdf", "application/pdf", len(bericht_pdf))
    assert anlage.datei.name.startswith(f"vorlagen/{vorlage.jahr}/{vorlage.kennung}/")
    # Read for the search as a fresh upload is.
    anlage.refresh_from_db()
    assert anlage.textstatus == Anlage.Textstatus.FERTIG
    assert "Integrationspolitik" in anlage.seiten.get().text
    # The kept copy is gone once the Anlage has its file.
    assert zwischengespeichert() == []


def test_chosen_file_survives_two_invalid_submissions(sachbearbeitung_client, bericht_pdf):
    vorlage = VorlageFactory(titel="Bündnis für Integration")
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""

    erste = sachbearbeitung_client.post(url, daten)
    zweite = sachbearbeitung_client.post(url, erneut(erste, titel="Bündnis für Integration", datum="2024-13-01"))

    assert zweite.status_code == 200
    assert "datum" in zweite.context["adminform"].form.errors
    assert HINWEIS.format("bericht.pdf") in zweite.content.decode()
    # The same kept file, not a second copy.
    assert marken(zweite) == marken(erste)
    assert len(zwischengespeichert()) == 1

    assert sachbearbeitung_client.post(url, erneut(zweite, datum="2024-11-20")).status_code == 302
    anlage = vorlage.anlagen.get()
    with anlage.datei.open("rb") as datei:
        assert datei.read() == bericht_pdf


def test_large_upload_that_arrives_as_a_temporary_file_is_kept_too(sachbearbeitung_client, bericht_pdf, settings):
    # Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive on disk; the storage must copy them, not move them away.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    assert len(bericht_pdf) > 1024
    vorlage = VorlageFactory(titel="Bündnis für Integration")
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""

    antwort = sachbearbeitung_client.post(url, daten)
    assert HINWEIS.format("bericht.pdf") in antwort.content.decode()
    assert sachbearbeitung_client.post(url, erneut(antwort, titel="Groß")).status_code == 302

    with vorlage.anlagen.get().datei.open("rb") as datei:
        assert datei.read() == bericht_pdf


def test_several_new_rows_keep_their_good_files_and_a_refused_one_shows_its_error(
    sachbearbeitung_client, bericht_pdf, lageplan_pdf
):
    vorlage = VorlageFactory()
    url, daten = mit_neuen_anlagen(
        sachbearbeitung_client,
        vorlage,
        SimpleUploadedFile("bericht.pdf", bericht_pdf),
        SimpleUploadedFile("skript.pdf", pdf_bauen(javascript="app.alert(1)")),
        SimpleUploadedFile("lageplan.pdf", lageplan_pdf),
    )
    daten["titel"] = ""

    antwort = sachbearbeitung_client.post(url, daten)

    html = antwort.content.decode()
    assert HINWEIS.format("bericht.pdf") in html
    assert HINWEIS.format("lageplan.pdf") in html
    # The refused file is not kept; its reason shows as before.
    assert "skript.pdf" not in html
    assert "enthält JavaScript" in html
    assert sorted(marken(antwort)) == ["anlagen-0-datei_behalten", "anlagen-2-datei_behalten"]
    assert len(zwischengespeichert()) == 2

    # The clerk fixes the title and chooses a harmless file for the refused row; the other two come back.
    daten = erneut(antwort, titel="Mit Anlagen")
    daten["anlagen-1-datei"] = SimpleUploadedFile("ersatz.pdf", pdf_bauen(seiten=2))
    assert sachbearbeitung_client.post(url, daten).status_code == 302

    gespeichert = {anlage.dateiname: anlage for anlage in vorlage.anlagen.all()}
    assert sorted(gespeichert) == ["bericht.pdf", "ersatz.pdf", "lageplan.pdf"]
    with gespeichert["lageplan.pdf"].datei.open("rb") as datei:
        assert datei.read() == lageplan_pdf


def test_kept_file_can_replace_the_file_of_an_existing_anlage(
    sachbearbeitung_client, bericht_pdf, django_capture_on_commit_callbacks
):
    anlage = AnlageFactory(titel="Bericht", vorlage=VorlageFactory(titel="Bündnis für Integration"))
    url = admin_url(Vorlage, "change", anlage.vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    daten.update({"titel": "", "anlagen-0-datei": SimpleUploadedFile("neufassung.pdf", bericht_pdf)})

    antwort = sachbearbeitung_client.post(url, daten)

    assert HINWEIS.format("neufassung.pdf") in antwort.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        antwort = sachbearbeitung_client.post(url, erneut(antwort, titel="Bündnis für Integration"))
    assert antwort.status_code == 302
    anlage.refresh_from_db()
    assert anlage.dateiname == "neufassung.pdf"
    with anlage.datei.open("rb") as datei:
        assert datei.read() == bericht_pdf
    assert "Integrationspolitik" in anlage.seiten.get().text


def test_choosing_another_file_replaces_the_kept_one(
    sachbearbeitung_client, bericht_pdf, lageplan_pdf, django_capture_on_commit_callbacks
):
    vorlage = VorlageFactory()
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""
    antwort = sachbearbeitung_client.post(url, daten)
    (erste_kopie,) = zwischengespeichert()

    daten = erneut(antwort, titel="Mit Lageplan")
    daten["anlagen-0-datei"] = SimpleUploadedFile("lageplan.pdf", lageplan_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        assert sachbearbeitung_client.post(url, daten).status_code == 302

    anlage = vorlage.anlagen.get()
    assert anlage.dateiname == "lageplan.pdf"
    with anlage.datei.open("rb") as datei:
        assert datei.read() == lageplan_pdf
    assert erste_kopie not in zwischengespeichert()


def test_forged_token_is_refused_with_a_message(sachbearbeitung_client, bericht_pdf):
    vorlage = VorlageFactory()
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""
    antwort = sachbearbeitung_client.post(url, daten)
    daten = erneut(antwort, titel="Gefälscht")
    marke = daten["anlagen-0-datei_behalten"]
    # Another storage name under the same signature, and plain rubbish.
    gefaelscht = marke.replace(marke.split(":")[0], signing.b64_encode(b'{"name":"../anlagen/x.pdf"}').decode())

    for falsch in [gefaelscht, marke[:-3] + "abc", "kein-token", "ä" * 5000]:
        daten["anlagen-0-datei_behalten"] = falsch
        antwort = sachbearbeitung_client.post(url, daten)

        assert antwort.status_code == 200
        assert UNGUELTIG in antwort.content.decode()
        assert "anlagen-0-datei_behalten" not in marken(antwort)
    assert not vorlage.anlagen.exists()


def test_another_users_token_does_not_give_their_file(client, sachbearbeitung_client, bericht_pdf):
    vorlage = VorlageFactory()
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""
    marke = marken(sachbearbeitung_client.post(url, daten))["anlagen-0-datei_behalten"]

    andere = SachbearbeitungFactory(username="kollegin")
    client.force_login(andere)
    daten = formulardaten(client.get(url))
    neue_zeile(daten, "anlagen", titel="Fremd", reihenfolge="1", oeffentlich=True, datei_behalten=marke)
    antwort = client.post(url, daten)

    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert UNGUELTIG in html
    assert "bericht.pdf" not in html
    assert not vorlage.anlagen.exists()
    # The owner's kept file is untouched and still theirs to use.
    assert len(zwischengespeichert()) == 1


def test_expired_token_asks_for_the_file_again(sachbearbeitung_client, bericht_pdf, monkeypatch):
    vorlage = VorlageFactory()
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""
    jetzt = time.time()
    with monkeypatch.context() as zeit:
        # The token is signed two days ago, as by a form left open over a weekend.
        zeit.setattr(signing.time, "time", lambda: jetzt - 2 * 24 * 3600)
        antwort = sachbearbeitung_client.post(url, daten)

    antwort = sachbearbeitung_client.post(url, erneut(antwort, titel="Später"))

    assert antwort.status_code == 200
    assert "nach einem Tag verworfen. Bitte wählen Sie sie erneut aus." in antwort.content.decode()
    assert not vorlage.anlagen.exists()


def _alte_und_frische_datei(inhalt):
    ablage = storages["zwischenspeicher"]
    alt = ablage.save("alt.upload", SimpleUploadedFile("alt.pdf", inhalt))
    frisch = ablage.save("frisch.upload", SimpleUploadedFile("frisch.pdf", inhalt))
    zwei_tage = time.time() - 2 * 24 * 3600
    os.utime(ablage.path(alt), (zwei_tage, zwei_tage))
    return alt, frisch


def test_kept_files_older_than_a_day_are_removed_when_another_is_kept(sachbearbeitung_client, bericht_pdf):
    alt, frisch = _alte_und_frische_datei(bericht_pdf)
    vorlage = VorlageFactory()
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""

    sachbearbeitung_client.post(url, daten)

    uebrig = zwischengespeichert()
    assert alt not in uebrig
    assert frisch in uebrig
    assert len(uebrig) == 2


def test_kept_files_older_than_a_day_are_removed_when_a_kept_file_is_saved(
    sachbearbeitung_client, bericht_pdf, django_capture_on_commit_callbacks
):
    vorlage = VorlageFactory(titel="Bündnis für Integration")
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""
    antwort = sachbearbeitung_client.post(url, daten)
    alt, frisch = _alte_und_frische_datei(bericht_pdf)
    assert alt in zwischengespeichert()

    with django_capture_on_commit_callbacks(execute=True):
        sachbearbeitung_client.post(url, erneut(antwort, titel="Bündnis für Integration"))

    assert vorlage.anlagen.exists()
    assert zwischengespeichert() == [frisch]


def test_kept_file_that_no_longer_passes_the_check_is_dropped(sachbearbeitung_client, bericht_pdf, settings):
    vorlage = VorlageFactory()
    url, daten = mit_neuen_anlagen(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", bericht_pdf))
    daten["titel"] = ""
    antwort = sachbearbeitung_client.post(url, daten)
    # The limit was lowered meanwhile: the kept file is checked again like a fresh upload.
    settings.RATSINFO_ANLAGE_MAX_MB = 0.001

    antwort = sachbearbeitung_client.post(url, erneut(antwort, titel="Zu groß"))

    assert antwort.status_code == 200
    assert "erlaubt sind höchstens" in antwort.content.decode()
    assert marken(antwort) == {}
    assert zwischengespeichert() == []
    assert not vorlage.anlagen.exists()


def test_kept_files_have_no_address():
    with pytest.raises(ValueError):
        storages["zwischenspeicher"].url("x.upload")


# In a real browser ---------------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_file_survives_an_error_and_the_columns_stay_on_screen(
    browser,  # noqa: F811
    demodaten_live,  # noqa: F811
    bericht_pdf,
    tmp_path,
):
    from django.test import Client
    from django.urls import reverse

    from tests.test_browser import DESKTOP, Seiten
    from tests.test_browser_admin import ABGESCHNITTEN

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    vorlage = Vorlage.objects.get(jahr=2001, nummer=952)
    titel = vorlage.titel
    vorher = vorlage.anlagen.count()
    client = Client()
    client.force_login(SachbearbeitungFactory())
    seiten = Seiten(browser, demodaten_live, DESKTOP)
    seiten.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": demodaten_live.url}]
    )
    datei = tmp_path / "bericht.pdf"
    datei.write_bytes(bericht_pdf)
    try:
        page = seiten.oeffnen(reverse("admin:vorlagen_vorlage_change", args=[vorlage.pk]))
        page.locator("#anlagen-group .add-row a").click()
        zeile = f"anlagen-{vorher}"
        page.fill(f'input[name="{zeile}-titel"]', "Bericht der Stabsabteilung")
        page.set_input_files(f'input[name="{zeile}-datei"]', str(datei))
        page.fill("#id_titel", "")
        with page.expect_navigation():
            page.click('input[name="_continue"]')

        assert page.locator(".errornote").count()
        assert HINWEIS.format("bericht.pdf") in page.locator(f"#{zeile}").inner_text()
        assert page.evaluate(ABGESCHNITTEN, DESKTOP["width"]) == []

        page.fill("#id_titel", titel)
        with page.expect_navigation():
            page.click('input[name="_continue"]')
        assert page.locator(".errornote").count() == 0
    finally:
        seiten.schliessen()

    anlage = vorlage.anlagen.get(titel="Bericht der Stabsabteilung")
    with anlage.datei.open("rb") as gespeichert:
        assert gespeichert.read() == bericht_pdf
