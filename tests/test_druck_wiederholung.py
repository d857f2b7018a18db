"""A PDF that failed for a cause of this site is built again: by itself after a backoff, or by a clerk at once."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from druck.models import Druckstueck
from druck.storage import DruckSpeicher
from druck.tasks import MAX_VERSUCHE
from tests.factories import SitzungFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blockierter_speicher(tmp_path, monkeypatch):
    """The PDF storage's folder cannot be made, because a file has its name, as after a botched deploy."""
    ordner = tmp_path / "druck-blockiert"
    ordner.write_text("kein Ordner")
    monkeypatch.setattr(Druckstueck._meta.get_field("datei"), "storage", DruckSpeicher(location=ordner))
    return ordner


def _frist_verstreichen_lassen():
    Druckstueck.objects.update(naechster_versuch=timezone.now() - datetime.timedelta(seconds=1))


def test_a_failed_pdf_is_built_again_after_its_backoff_once_the_cause_is_gone(client, blockierter_speicher):
    adresse = reverse("druck:tagesordnung", kwargs={"pk": SitzungFactory().pk})

    antwort = client.get(adresse)

    assert antwort.status_code == 503
    assert int(antwort["Retry-After"]) > 30
    assert "Ein neuer Versuch folgt" in antwort.content.decode()
    druckstueck = Druckstueck.objects.get()
    assert (druckstueck.status, druckstueck.versuche) == ("fehler", 1)
    assert druckstueck.naechster_versuch > timezone.now()
    blockierter_speicher.unlink()
    # Before the backoff has passed, nothing is rendered again.
    assert client.get(adresse).status_code == 503
    assert Druckstueck.objects.get().versuche == 1

    _frist_verstreichen_lassen()
    antwort = client.get(adresse)

    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "application/pdf"
    druckstueck = Druckstueck.objects.get()
    assert (druckstueck.status, druckstueck.naechster_versuch) == ("fertig", None)


def test_retries_are_bounded_and_then_the_failure_is_final(client, blockierter_speicher):
    adresse = reverse("druck:tagesordnung", kwargs={"pk": SitzungFactory().pk})
    wartezeiten = []
    for _ in range(MAX_VERSUCHE):
        antwort = client.get(adresse)
        druckstueck = Druckstueck.objects.get()
        if druckstueck.naechster_versuch:
            wartezeiten.append(druckstueck.naechster_versuch - timezone.now())
            _frist_verstreichen_lassen()

    assert antwort.status_code == 500
    assert (druckstueck.versuche, druckstueck.naechster_versuch) == (MAX_VERSUCHE, None)
    assert wartezeiten == sorted(wartezeiten) and len(wartezeiten) == MAX_VERSUCHE - 1
    assert client.get(adresse).status_code == 500
    assert Druckstueck.objects.get().versuche == MAX_VERSUCHE


def test_a_clerk_has_a_failed_pdf_made_again_from_the_admin(client, sachbearbeitung, blockierter_speicher):
    adresse = reverse("druck:tagesordnung", kwargs={"pk": SitzungFactory().pk})
    client.get(adresse)
    fehlgeschlagen = Druckstueck.objects.get()
    blockierter_speicher.unlink()
    sachbearbeitung.user_permissions.add(Permission.objects.get(codename="view_druckstueck"))
    client.force_login(sachbearbeitung)
    liste = reverse("admin:druck_druckstueck_changelist")
    assert "Ausgewählte fehlgeschlagene PDFs neu erstellen" in client.get(liste).content.decode()

    antwort = client.post(liste, {"action": "neu_erstellen", "_selected_action": [fehlgeschlagen.pk]}, follow=True)

    assert "1 PDF wird neu erstellt." in antwort.content.decode()
    druckstueck = Druckstueck.objects.get()
    assert (druckstueck.status, druckstueck.versuche, druckstueck.warnungen) == ("fertig", 0, "")
    client.logout()
    assert client.get(adresse).status_code == 200


def test_the_admin_action_leaves_a_finished_pdf_alone(client, sachbearbeitung):
    client.get(reverse("druck:tagesordnung", kwargs={"pk": SitzungFactory().pk}))
    fertig = Druckstueck.objects.get()
    sachbearbeitung.user_permissions.add(Permission.objects.get(codename="view_druckstueck"))
    client.force_login(sachbearbeitung)

    antwort = client.post(
        reverse("admin:druck_druckstueck_changelist"),
        {"action": "neu_erstellen", "_selected_action": [fertig.pk]},
        follow=True,
    )

    assert "1 PDF übersprungen: nur fehlgeschlagene PDFs werden neu erstellt." in antwort.content.decode()
    assert Druckstueck.objects.get().fertig_am == fertig.fertig_am
