"""Anlagen and PDFs in an S3-compatible bucket (RATSINFO_SPEICHER=s3, issue 21), against moto's server on 127.0.0.1.

Private objects served only through the views after the rule, streamed or presigned; the text extraction from a
temporary copy; an unreachable store as a message, a 503 and a retry; the move of an installation's files.
"""

import hashlib
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from django.urls import reverse

from druck.models import Druckstueck
from ratsinfo import speicher
from tests.factories import MINI_PDF, AnlageFactory, VorlageFactory
from tests.pdfs import text_pdf
from tests.s3 import S3Server
from tests.test_anlagen_upload import _mit_neuer_anlage
from vorlagen.models import Anlage, AnlageAbruf
from vorlagen.tasks import anlage_text_aktualisieren

pytestmark = pytest.mark.django_db


def anlage_url(anlage):
    return reverse(
        "vorlagen:anlage", kwargs={"kennung": anlage.vorlage.kennung, "pk": anlage.pk, "dateiname": anlage.dateiname}
    )


def inhalt(antwort):
    return b"".join(antwort.streaming_content) if antwort.streaming else antwort.content


def test_an_uploaded_anlage_is_a_private_object_in_the_bucket_without_an_address(s3):
    anlage = AnlageFactory()

    assert s3.schluessel() == [f"{s3.praefix}/anlagen/{anlage.datei.name}"]
    antwort = s3.server.client().get_object_acl(Bucket=s3.server.bucket, Key=s3.schluessel()[0])
    assert [g["Permission"] for g in antwort["Grants"] if g["Grantee"].get("URI")] == []
    with pytest.raises(ValueError):
        anlage.datei.url  # noqa: B018
    # Nobody gets the object from the endpoint without a signature.
    with pytest.raises(urllib.error.HTTPError) as fehler:
        urllib.request.urlopen(f"{s3.server.endpoint}/{s3.server.bucket}/{s3.schluessel()[0]}")
    assert fehler.value.code == 403


def test_the_download_view_streams_the_object_after_the_rule(client, sachbearbeitung, s3):
    oeffentlich = AnlageFactory()
    geheim = AnlageFactory(oeffentlich=False, datei=ContentFile(b"%PDF-1.4 geheim", name="geheim.pdf"))

    antwort = client.get(anlage_url(oeffentlich))
    assert antwort.status_code == 200
    assert inhalt(antwort) == MINI_PDF
    assert antwort["Content-Length"] == str(len(MINI_PDF))
    assert client.get(anlage_url(geheim)).status_code == 404

    client.force_login(sachbearbeitung)
    antwort = client.get(anlage_url(geheim))
    assert inhalt(antwort) == b"%PDF-1.4 geheim"
    assert "no-store" in antwort["Cache-Control"] and "private" in antwort["Cache-Control"]
    assert AnlageAbruf.objects.filter(anlage=geheim).count() == 1


def test_a_presigned_address_is_made_only_after_the_rule_and_never_cached(client, sachbearbeitung, s3, settings):
    settings.RATSINFO_S3_SIGNIERTE_ADRESSE_SEKUNDEN = 60
    geheim = AnlageFactory(oeffentlich=False, datei=ContentFile(b"%PDF-1.4 geheim", name="geheim.pdf"))

    verborgen = client.get(anlage_url(geheim))
    assert verborgen.status_code == 404 and "Location" not in verborgen

    client.force_login(sachbearbeitung)
    antwort = client.get(anlage_url(geheim))
    assert antwort.status_code == 302
    assert "no-store" in antwort["Cache-Control"] and "private" in antwort["Cache-Control"]
    assert antwort["Location"].startswith(s3.server.endpoint) and "Signature" in antwort["Location"]
    with urllib.request.urlopen(antwort["Location"]) as objekt:
        assert objekt.read() == b"%PDF-1.4 geheim"
        assert objekt.headers["Cache-Control"] == "private, no-store"


def test_a_missing_object_is_a_404(client, s3):
    anlage = AnlageFactory()
    anlage.datei.storage.delete(anlage.datei.name)

    assert client.get(anlage_url(anlage)).status_code == 404


def test_text_is_read_from_a_temporary_copy_of_the_object(s3):
    anlage = AnlageFactory(datei=ContentFile(text_pdf("Haushaltsplan der Landeshauptstadt"), name="plan.pdf"))

    anlage_text_aktualisieren(anlage_id=anlage.pk)

    anlage.refresh_from_db()
    assert anlage.textstatus == Anlage.Textstatus.FERTIG
    assert "Haushaltsplan" in anlage.seiten.get().text


def test_a_rendered_pdf_is_stored_in_the_bucket_and_served_from_it(client, s3):
    vorlage = VorlageFactory()

    antwort = client.get(reverse("druck:vorlage", kwargs={"kennung": vorlage.kennung}))

    assert antwort.status_code == 200 and inhalt(antwort).startswith(b"%PDF")
    druckstueck = Druckstueck.objects.get()
    assert f"{s3.praefix}/druck/{druckstueck.datei.name}" in s3.schluessel()


# The store unreachable ----------------------------------------------------------------------------------------------


@pytest.fixture
def unerreichbar(s3, monkeypatch):
    """Every storage of the test points at a port where nothing listens, as when the store is down."""
    from tests.conftest import DATEIFELDER
    from tests.s3 import freier_port

    tot = S3Server(endpoint=f"http://127.0.0.1:{freier_port()}", bucket=s3.server.bucket)

    def abschalten():
        for feld, _alias in DATEIFELDER:
            storage = feld.storage
            neu = type(storage)(**{**tot.optionen(storage.location)})
            monkeypatch.setattr(feld, "storage", neu)

    return abschalten


def test_an_upload_to_an_unreachable_store_gives_a_message_and_saves_nothing(sachbearbeitung_client, unerreichbar):
    vorlage = VorlageFactory()
    url, daten = _mit_neuer_anlage(sachbearbeitung_client, vorlage, ContentFile(MINI_PDF, name="bericht.pdf"))
    unerreichbar()

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "Die Datei konnte nicht gespeichert werden" in antwort.content.decode()
    assert not vorlage.anlagen.exists()


def test_a_download_from_an_unreachable_store_is_a_503_with_a_retry_hint(client, unerreichbar):
    anlage = AnlageFactory()
    unerreichbar()

    antwort = client.get(anlage_url(anlage))

    assert antwort.status_code == 503
    assert int(antwort["Retry-After"]) > 0
    assert "no-store" in antwort["Cache-Control"]


def test_a_pdf_the_worker_cannot_store_is_tried_again(client, unerreichbar):
    vorlage = VorlageFactory()
    unerreichbar()

    antwort = client.get(reverse("druck:vorlage", kwargs={"kennung": vorlage.kennung}))

    druckstueck = Druckstueck.objects.get()
    assert druckstueck.status == Druckstueck.Status.FEHLER and druckstueck.naechster_versuch is not None
    assert antwort.status_code == 503 and "Retry-After" in antwort


# Moving an installation's files -------------------------------------------------------------------------------------


@pytest.fixture
def lokale_dateien(settings, tmp_path):
    """Files on disk as an installation before the move has them, and the settings that name the bucket."""
    settings.ANLAGEN_ROOT = tmp_path / "alt" / "anlagen"
    settings.DRUCK_ROOT = tmp_path / "alt" / "druck"
    dateien = {
        settings.ANLAGEN_ROOT / "vorlagen/2021/a.pdf": MINI_PDF,
        settings.ANLAGEN_ROOT / "vorlagen/2021/b.txt": "Bürgerhaushalt".encode(),
        settings.DRUCK_ROOT / "vorlage/abc.pdf": b"%PDF-1.7 gedruckt",
    }
    for pfad, daten in dateien.items():
        pfad.parent.mkdir(parents=True, exist_ok=True)
        pfad.write_bytes(daten)
    return dateien


@pytest.fixture
def bucket_in_den_einstellungen(s3, settings):
    optionen = s3.server.optionen(s3.praefix)
    settings.STORAGES = {
        **settings.STORAGES,
        "anlagen": speicher.dateiablage(
            "anlagen", art="s3", lokal_backend="", ordner="", s3_backend=OBJEKT["anlagen"], s3_optionen=optionen
        ),
        "druck": speicher.dateiablage(
            "druck", art="s3", lokal_backend="", ordner="", s3_backend=OBJEKT["druck"], s3_optionen=optionen
        ),
    }
    return s3


OBJEKT = {"anlagen": "vorlagen.storage.AnlagenObjektSpeicher", "druck": "druck.storage.DruckObjektSpeicher"}


def umziehen(*argumente):
    import io

    ausgabe = io.StringIO()
    call_command("dateien_in_objektspeicher", *argumente, stdout=OutputWrapper(ausgabe))
    return ausgabe.getvalue()


def test_the_move_copies_every_file_verifies_it_and_resumes(lokale_dateien, bucket_in_den_einstellungen):
    s3 = bucket_in_den_einstellungen
    client = s3.server.client()

    assert "3 Datei(en) im Objektspeicher per Prüfsumme bestätigt, davon 3 jetzt kopiert" in umziehen()
    for pfad, daten in lokale_dateien.items():
        assert pfad.exists()  # nothing deleted without --loeschen
        alias = "anlagen" if "anlagen" in pfad.parts else "druck"
        wurzel = next(p for p in pfad.parents if p.name == alias)
        schluessel = f"{s3.praefix}/{alias}/{pfad.relative_to(wurzel).as_posix()}"
        objekt = client.get_object(Bucket=s3.server.bucket, Key=schluessel)["Body"].read()
        assert hashlib.sha256(objekt).digest() == hashlib.sha256(daten).digest()

    # An object that went wrong (an interrupted earlier run) is copied again; the others are only verified.
    client.put_object(Bucket=s3.server.bucket, Key=f"{s3.praefix}/anlagen/vorlagen/2021/a.pdf", Body=b"halb")
    assert "davon 1 jetzt kopiert" in umziehen()

    assert "3 lokale Datei(en) entfernt" in umziehen("--loeschen")
    assert not any(pfad.exists() for pfad in lokale_dateien)


def test_the_move_refuses_without_a_bucket(lokale_dateien):
    with pytest.raises(CommandError, match="kein Objektspeicher"):
        umziehen()
    assert all(pfad.exists() for pfad in lokale_dateien)
