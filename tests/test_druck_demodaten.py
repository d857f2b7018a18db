"""The quality bar: every Mappe of the demo data builds, its real Anlagen inside, for visitors and the councillor."""

import datetime
import io
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from druck.models import Druckstueck
from sitzungen.models import Sitzung


def pdf_bytes(antwort):
    return b"".join(antwort.streaming_content) if antwort.streaming else antwort.content


@pytest.fixture
def ratsmitglied(demodaten):
    call_command("demodaten_laden", "--demo-zugaenge", verbosity=0)
    return get_user_model().objects.get(username="ratsmitglied")


def test_the_mappe_of_the_seed_sitzung_contains_the_jubilaeumsbroschuere(client, demodaten):
    sitzung = Sitzung.objects.get(ausschuss__slug="internationaler-ausschuss", beginn__date=datetime.date(2021, 11, 24))

    antwort = client.get(reverse("druck:mappe", kwargs={"pk": sitzung.pk}))

    assert antwort.status_code == 200
    inhalt = pdf_bytes(antwort)
    text = subprocess.run(["pdftotext", "-", "-"], input=inhalt, capture_output=True, check=True).stdout.decode()
    # The brochure's own cover page, not only the Mappe's entry for it.
    assert "Abteilung Integrationspolitik" in text
    assert "Jubiläumsbroschüre" in text and "Stuttgart, November 2021" in text
    assert "nicht in der Mappe enthalten" not in text
    gliederung = [e for e in PdfReader(io.BytesIO(inhalt)).outline if isinstance(e, list)]
    assert any("Anlage: Jubiläumsbroschüre" in str(eintrag) for eintrag in gliederung)


def test_every_demo_mappe_builds_for_visitors_and_for_the_demo_councillor(client, ratsmitglied):
    # Every Sitzung is public by its date and place (§ 34 GemO BW); what differs is the agenda each may read.
    sitzungen = list(Sitzung.objects.order_by("beginn"))
    assert len(sitzungen) >= 20

    for angemeldet in (False, True):
        if angemeldet:
            client.force_login(ratsmitglied)
        for sitzung in sitzungen:
            antwort = client.get(reverse("druck:mappe", kwargs={"pk": sitzung.pk}))
            assert antwort.status_code == 200, (str(sitzung), angemeldet, antwort.status_code)
            assert antwort["Content-Type"] == "application/pdf"

    assert not Druckstueck.objects.exclude(status="fertig").exists()
    assert not Druckstueck.objects.mit_warnungen().exists()
    persoenlich = Druckstueck.objects.filter(art="mappe", benutzer=ratsmitglied)
    assert persoenlich.count() >= 5
    assert Druckstueck.objects.filter(art="mappe", benutzer=None).count() >= 15
