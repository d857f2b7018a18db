"""The outbox: messages are stored, sent through a real SMTP server, and never lost when it fails."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from post.models import Nachricht
from post.services import einreihen, nachricht_bauen
from post.versand import MAX_VERSUCHE, faellige_senden, pause_nach, senden

pytestmark = pytest.mark.django_db


def _einreihen(adresse="rat@example.org", **felder):
    nachricht = nachricht_bauen(
        art=felder.pop("art", Nachricht.Art.SONSTIGE),
        adresse=adresse,
        betreff=felder.pop("betreff", "Einladung zur Sitzung des Gemeinderats"),
        text=felder.pop("text", "Sehr geehrte Damen und Herren,\n\nÄnderungen: keine."),
        **felder,
    )
    return einreihen(nachrichten=[nachricht])[0]


def test_a_queued_message_is_sent_by_the_worker_and_keeps_the_servers_answer(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        nachricht = _einreihen(kopfzeilen={"List-Unsubscribe": "<https://example.org/ab/x/>"})
    nachricht.refresh_from_db()
    assert nachricht.status == Nachricht.Status.GESENDET
    assert nachricht.antwort.startswith("250 2.0.0 Ok: queued as T")
    assert nachricht.gesendet_am is not None
    (angekommen,) = smtp.an("rat@example.org")
    assert angekommen["Subject"] == "Einladung zur Sitzung des Gemeinderats"
    assert angekommen["Message-ID"] == nachricht.message_id
    assert angekommen["List-Unsubscribe"] == "<https://example.org/ab/x/>"
    assert angekommen["Auto-Submitted"] == "auto-generated"
    assert "Änderungen: keine." in angekommen.get_content()


def test_nothing_is_sent_when_the_transaction_rolls_back(smtp, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as rueckrufe,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _einreihen()
        raise RuntimeError("Die Einladung scheitert nach dem Einreihen.")
    assert rueckrufe == []
    assert not Nachricht.objects.exists()
    assert smtp.empfangen == []


def test_an_unreachable_server_loses_no_message_and_it_is_retried_with_growing_pauses(smtp):
    nachricht = _einreihen()
    smtp.abschalten()
    jetzt = timezone.now()
    assert faellige_senden(jetzt=jetzt) == (0, 0, 1)
    nachricht.refresh_from_db()
    assert nachricht.status == Nachricht.Status.WARTEND
    assert nachricht.versuche == 1
    assert nachricht.naechster_versuch == jetzt + pause_nach(1)
    assert "ConnectionRefusedError" in nachricht.antwort
    # Not due yet: nothing happens.
    smtp.einschalten()
    assert faellige_senden(jetzt=jetzt + datetime.timedelta(seconds=30)) == (0, 0, 0)
    assert faellige_senden(jetzt=jetzt + pause_nach(1)) == (1, 0, 0)
    nachricht.refresh_from_db()
    assert nachricht.status == Nachricht.Status.GESENDET
    assert nachricht.versuche == 2
    assert len(smtp.an("rat@example.org")) == 1


def test_a_temporary_refusal_waits_and_a_permanent_one_fails_with_the_answer(smtp):
    vorerst = _einreihen("voll@example.org")
    nie = _einreihen("unbekannt@example.org")
    smtp.rcpt_antwort["voll@example.org"] = "452 4.2.2 Postfach voll"
    smtp.rcpt_antwort["unbekannt@example.org"] = "550 5.1.1 Unbekannter Empfaenger"
    assert senden(ids=[vorerst.pk, nie.pk]) == (0, 1, 1)
    vorerst.refresh_from_db()
    nie.refresh_from_db()
    assert vorerst.status == Nachricht.Status.WARTEND
    assert vorerst.antwort == "452 4.2.2 Postfach voll"
    assert nie.status == Nachricht.Status.FEHLGESCHLAGEN
    assert nie.antwort == "550 5.1.1 Unbekannter Empfaenger"


def test_a_message_fails_for_good_after_the_last_attempt(smtp):
    nachricht = _einreihen()
    smtp.data_antwort = "451 4.3.0 Bitte später"
    jetzt = timezone.now()
    for _ in range(MAX_VERSUCHE):
        faellige_senden(jetzt=jetzt)
        jetzt += datetime.timedelta(days=1)
    nachricht.refresh_from_db()
    assert nachricht.status == Nachricht.Status.FEHLGESCHLAGEN
    assert nachricht.versuche == MAX_VERSUCHE
    assert smtp.empfangen == []


def test_a_message_a_killed_worker_left_is_sent_again(smtp):
    nachricht = _einreihen()
    Nachricht.objects.filter(pk=nachricht.pk).update(
        status=Nachricht.Status.IN_ARBEIT, geaendert_am=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("post_senden")
    nachricht.refresh_from_db()
    assert nachricht.status == Nachricht.Status.GESENDET


def test_an_invalid_address_is_refused_before_anything_is_stored():
    with pytest.raises(ValidationError) as fehler:
        nachricht_bauen(art=Nachricht.Art.SONSTIGE, adresse="kein-at-zeichen", betreff="x", text="y")
    assert "adresse" in fehler.value.message_dict
    assert not Nachricht.objects.exists()


def test_a_batch_is_sent_in_a_constant_number_of_queries(smtp, django_assert_max_num_queries):
    for anzahl in (3, 30):
        nachrichten = einreihen(
            nachrichten=[
                nachricht_bauen(art=Nachricht.Art.SONSTIGE, adresse=f"m{i}@example.org", betreff="B", text="T")
                for i in range(anzahl)
            ]
        )
        with django_assert_max_num_queries(6):
            assert senden(ids=[n.pk for n in nachrichten]) == (anzahl, 0, 0)


def test_the_clerk_sees_the_outbox_and_sends_failed_messages_again(smtp, admin_client):
    nachricht = _einreihen()
    Nachricht.objects.filter(pk=nachricht.pk).update(status=Nachricht.Status.FEHLGESCHLAGEN, antwort="550 nein")
    liste = admin_client.get(reverse("admin:post_nachricht_changelist"))
    assert "Einladung zur Sitzung des Gemeinderats" in liste.content.decode()
    admin_client.post(
        reverse("admin:post_nachricht_changelist"),
        {"action": "erneut_senden_aktion", "_selected_action": [nachricht.pk]},
    )
    faellige_senden()
    nachricht.refresh_from_db()
    assert nachricht.status == Nachricht.Status.GESENDET
