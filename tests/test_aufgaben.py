"""Issue 19: "Meine Aufgaben" — the open steps of Mitzeichnung and Freigabe, deciding them, and the reminders."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mitzeichnung.models import Laufweg, Schritt
from mitzeichnung.services import laufweg_starten, schritt_entscheiden
from tests.factories import VorlageFactory

pytestmark = pytest.mark.django_db


def heute():
    return timezone.localdate()


def tage(n):
    return heute() + datetime.timedelta(days=n)


def starten(aemter, *, titel="Baumschutzsatzung", zustaendig=None, vertretung=None, frist=7, freigabe=None, **kwargs):
    vorlage = VorlageFactory(
        dienststelle=aemter.umwelt, entwurf=True, nummer=None, titel=titel, bericht="Die alte Satzung.", **kwargs
    )
    return laufweg_starten(
        vorlage=vorlage,
        user=aemter.uta,
        mitzeichnungen=[
            {
                "dienststelle": aemter.tiefbau,
                "stufe": 1,
                "frist": tage(frist),
                "zustaendig": zustaendig,
                "vertretung": vertretung,
            }
        ],
        freigabe={"dienststelle": aemter.referat, "frist": tage(frist + 7), **(freigabe or {})},
    )


def mitzeichnung(route):
    return route.schritte.get(art=Schritt.Art.MITZEICHNUNG, wiederholung_von__isnull=True)


def freigabe(route):
    return route.schritte.get(art=Schritt.Art.FREIGABE)


def aufgaben(client, user):
    client.force_login(user)
    return client.get(reverse("mitzeichnung:aufgaben")).content.decode()


# The list ---------------------------------------------------------------------------------------------------------


def test_the_task_list_shows_a_step_to_whoever_is_zustaendig_and_to_her_vertretung_marked_so(client, aemter):
    starten(aemter, zustaendig=aemter.tim, vertretung=aemter.tina)

    assert "Baumschutzsatzung" in aufgaben(client, aemter.tim)
    text = aufgaben(client, aemter.tina)
    assert "Baumschutzsatzung" in text
    assert "in Vertretung für Tim Muster" in text
    assert "Baumschutzsatzung" not in aufgaben(client, aemter.uta)


def test_a_step_without_anyone_named_is_the_task_of_every_member_of_the_dienststelle(client, aemter):
    starten(aemter)
    assert "Baumschutzsatzung" in aufgaben(client, aemter.tim)
    assert "Baumschutzsatzung" in aufgaben(client, aemter.tina)
    assert "in Vertretung" not in aufgaben(client, aemter.tina)
    assert "Baumschutzsatzung" not in aufgaben(client, aemter.rita)  # the Freigabe waits for the Mitzeichnung


def test_the_freigabe_is_a_task_only_of_those_with_leitung(client, aemter):
    route = starten(aemter)
    schritt_entscheiden(schritt=mitzeichnung(route), user=aemter.tim, entscheidung=Schritt.Status.ZUGESTIMMT)

    text = aufgaben(client, aemter.rita)
    assert "Baumschutzsatzung" in text
    assert "Freigabe" in text
    assert "Baumschutzsatzung" not in aufgaben(client, aemter.rolf)


def test_the_tasks_are_sorted_by_frist_and_overdue_ones_are_marked(client, aemter):
    spaet = starten(aemter, titel="Späte Vorlage", frist=20)
    frueh = starten(aemter, titel="Frühe Vorlage", frist=2)
    Schritt.objects.filter(pk=mitzeichnung(frueh).pk).update(frist=tage(-1))

    text = aufgaben(client, aemter.tim)

    assert text.index("Frühe Vorlage") < text.index("Späte Vorlage")
    assert text.count("überfällig") == 1
    assert mitzeichnung(spaet).status == Schritt.Status.OFFEN


def test_decided_steps_appear_among_the_recently_decided(client, aemter):
    route = starten(aemter)
    schritt_entscheiden(schritt=mitzeichnung(route), user=aemter.tim, entscheidung=Schritt.Status.ZUGESTIMMT)
    text = aufgaben(client, aemter.tim)
    assert "Keine offenen Aufgaben." in text
    assert "Zuletzt entschieden" in text
    assert "Baumschutzsatzung" in text.split("Zuletzt entschieden")[1]


@pytest.mark.parametrize("anzahl", [2, 12])
def test_the_task_list_runs_a_fixed_number_of_queries(client, aemter, django_assert_num_queries, anzahl):
    for nummer in range(anzahl):
        route = starten(aemter, titel=f"Vorlage {nummer}", zustaendig=aemter.tim, vertretung=aemter.tina)
        if nummer % 2:
            schritt_entscheiden(schritt=mitzeichnung(route), user=aemter.tina, entscheidung=Schritt.Status.ZUGESTIMMT)
    client.force_login(aemter.tina)
    client.get(reverse("mitzeichnung:aufgaben"))

    # Session, user, Dienststellen (the header's mark), open steps, recently decided, the header's person: for 2
    # and for 12 steps.
    with django_assert_num_queries(6):
        antwort = client.get(reverse("mitzeichnung:aufgaben"))
    assert antwort.content.decode().count("in Vertretung für") == anzahl - anzahl // 2


def test_the_header_links_meine_aufgaben_for_staff_of_a_dienststelle_only(client, aemter):
    client.force_login(aemter.tim)
    assert reverse("mitzeichnung:aufgaben") in client.get(reverse("startseite")).content.decode()
    client.force_login(aemter.nora)
    assert reverse("mitzeichnung:aufgaben") not in client.get(reverse("startseite")).content.decode()


# Deciding ---------------------------------------------------------------------------------------------------------


def entscheiden(client, user, schritt, **daten):
    client.force_login(user)
    return client.post(reverse("mitzeichnung:aufgabe", kwargs={"pk": schritt.pk}), daten)


def test_the_task_page_shows_the_text_of_the_vorlage_as_stored(client, aemter):
    route = starten(aemter)
    client.force_login(aemter.tim)
    antwort = client.get(reverse("mitzeichnung:aufgabe", kwargs={"pk": mitzeichnung(route).pk}))
    assert antwort.status_code == 200
    assert "Die alte Satzung." in antwort.content.decode()
    assert "zustimmen mit Anmerkung" in antwort.content.decode()


def test_a_step_is_agreed_to(client, aemter):
    route = starten(aemter)
    antwort = entscheiden(client, aemter.tina, mitzeichnung(route), entscheidung="zugestimmt")
    assert antwort.status_code == 302
    schritt = mitzeichnung(route)
    assert (schritt.status, schritt.entschieden_von) == (Schritt.Status.ZUGESTIMMT, aemter.tina)
    assert schritt.textstand.inhalt["bericht"] == "Die alte Satzung."
    assert freigabe(route).status == Schritt.Status.OFFEN


def test_a_step_is_agreed_to_with_a_remark(client, aemter):
    route = starten(aemter)
    entscheiden(client, aemter.tim, mitzeichnung(route), entscheidung="mit_anmerkung", anmerkung="Bitte Frist prüfen.")
    schritt = mitzeichnung(route)
    assert (schritt.status, schritt.anmerkung) == (Schritt.Status.MIT_ANMERKUNG, "Bitte Frist prüfen.")


def test_an_objection_with_its_reason_ends_the_route(client, aemter):
    route = starten(aemter)
    entscheiden(client, aemter.tim, mitzeichnung(route), entscheidung="einspruch", anmerkung="Kosten fehlen.")
    route.refresh_from_db()
    assert route.status == Laufweg.Status.ZURUECKGEGEBEN
    assert mitzeichnung(route).anmerkung == "Kosten fehlen."


@pytest.mark.parametrize(
    ("entscheidung", "meldung"),
    [("einspruch", "Bitte begründen Sie Ihren Einspruch."), ("mit_anmerkung", "Bitte tragen Sie Ihre Anmerkung ein.")],
)
def test_a_remark_or_objection_without_its_text_is_a_form_error(client, aemter, entscheidung, meldung):
    route = starten(aemter)
    antwort = entscheiden(client, aemter.tim, mitzeichnung(route), entscheidung=entscheidung, anmerkung="  ")
    assert antwort.status_code == 200
    assert antwort.context["form"].errors["anmerkung"] == [meldung]
    assert mitzeichnung(route).status == Schritt.Status.OFFEN


def test_the_freigabe_is_given_by_the_leitung(client, aemter):
    route = starten(aemter)
    schritt_entscheiden(schritt=mitzeichnung(route), user=aemter.tim, entscheidung=Schritt.Status.ZUGESTIMMT)
    client.force_login(aemter.rita)
    seite = client.get(reverse("mitzeichnung:aufgabe", kwargs={"pk": freigabe(route).pk})).content.decode()
    assert "freigeben" in seite
    assert "zustimmen mit Anmerkung" not in seite

    entscheiden(client, aemter.rita, freigabe(route), entscheidung="zugestimmt")

    route.refresh_from_db()
    assert route.status == Laufweg.Status.FREIGEGEBEN
    assert route.vorlage.freigegeben_am is not None


@pytest.mark.parametrize("methode", ["get", "post"])
def test_a_step_the_user_may_not_decide_does_not_exist_for_her(client, aemter, methode):
    route = starten(aemter, zustaendig=aemter.tim)
    url = reverse("mitzeichnung:aufgabe", kwargs={"pk": mitzeichnung(route).pk})
    for user in (aemter.tina, aemter.uta, aemter.nora, aemter.rita):
        client.force_login(user)
        assert getattr(client, methode)(url, {"entscheidung": "zugestimmt"}).status_code == 404
    # The waiting Freigabe is nobody's task yet, not even the Leitung's.
    client.force_login(aemter.rita)
    assert client.get(reverse("mitzeichnung:aufgabe", kwargs={"pk": freigabe(route).pk})).status_code == 404
    assert mitzeichnung(route).status == Schritt.Status.OFFEN


def test_a_decided_step_is_no_longer_a_task(client, aemter):
    route = starten(aemter)
    entscheiden(client, aemter.tim, mitzeichnung(route), entscheidung="zugestimmt")
    antwort = entscheiden(client, aemter.tina, mitzeichnung(route), entscheidung="einspruch", anmerkung="Zu spät.")
    assert antwort.status_code == 404
    assert mitzeichnung(route).status == Schritt.Status.ZUGESTIMMT


def test_a_step_asked_again_shows_what_changed_since_the_dienststelle_saw_it(client, aemter):
    from mitzeichnung.services import text_geaendert

    route = starten(aemter)
    schritt_entscheiden(schritt=mitzeichnung(route), user=aemter.tim, entscheidung=Schritt.Status.ZUGESTIMMT)
    vorlage = route.vorlage
    vorlage.bericht = "Die neue Satzung <b>gilt</b>."
    vorlage.save()
    (neu,) = text_geaendert(vorlage=vorlage, user=aemter.uta)
    client.force_login(aemter.tim)

    seite = client.get(reverse("mitzeichnung:aufgabe", kwargs={"pk": neu.pk})).content.decode()

    assert "Änderungen seit Ihrer Mitzeichnung" in seite
    assert "Die <del>" in seite and "alte Satzung.</del>" in seite
    assert "neue Satzung &lt;b&gt;gilt&lt;/b&gt;.</ins>" in seite
    assert "&lt;b&gt;gilt&lt;/b&gt;" in seite  # the text is escaped, never markup
    assert "erneut: der Text wurde geändert" in aufgaben(client, aemter.tim)


# Reminders --------------------------------------------------------------------------------------------------------


def erinnern(django_capture_on_commit_callbacks, jetzt=None):
    from mitzeichnung.services import erinnerungen_senden

    with django_capture_on_commit_callbacks(execute=True):
        if jetzt is None:
            ausgabe = io.StringIO()
            call_command("mitzeichnung_erinnern", stdout=ausgabe)
            return int(ausgabe.getvalue().split()[0])
        return erinnerungen_senden(jetzt=jetzt)


def test_a_step_due_today_is_reminded_once_a_day_to_zustaendig_and_vertretung(
    aemter, smtp, django_capture_on_commit_callbacks, settings
):
    settings.RATSINFO_BASIS_URL = "https://ratsinfo.example.org"
    route = starten(aemter, zustaendig=aemter.tim, vertretung=aemter.tina)
    schritt = mitzeichnung(route)
    Schritt.objects.filter(pk=schritt.pk).update(frist=heute())
    vorher = len(smtp.empfangen)

    erinnern(django_capture_on_commit_callbacks)

    neue = smtp.empfangen[vorher:]
    assert sorted(a for n in neue for a in n.envelope_to) == ["tim@example.org", "tina@example.org"]
    assert "Erinnerung" in neue[0]["Subject"]
    assert f"https://ratsinfo.example.org{schritt.get_absolute_url()}" in neue[0].get_content()
    schritt.refresh_from_db()
    assert schritt.erinnert_am is not None

    erinnern(django_capture_on_commit_callbacks)
    assert len(smtp.empfangen) == vorher + 2  # the same day: nothing again

    morgen = timezone.now() + datetime.timedelta(days=1)
    assert erinnern(django_capture_on_commit_callbacks, jetzt=morgen) == 2
    assert len(smtp.empfangen) == vorher + 4


def test_an_overdue_step_without_anyone_named_reminds_the_whole_dienststelle(
    aemter, smtp, django_capture_on_commit_callbacks
):
    route = starten(aemter)
    Schritt.objects.filter(pk=mitzeichnung(route).pk).update(frist=tage(-3))
    vorher = len(smtp.empfangen)

    erinnern(django_capture_on_commit_callbacks)

    neue = smtp.empfangen[vorher:]
    assert sorted(a for n in neue for a in n.envelope_to) == ["tim@example.org", "tina@example.org"]
    assert "abgelaufen" in neue[0].get_content()


def test_steps_not_yet_due_waiting_or_decided_are_not_reminded(aemter, smtp, django_capture_on_commit_callbacks):
    starten(aemter, titel="Noch Zeit")  # Frist in a week
    entschieden = starten(aemter, titel="Entschieden")
    schritt_entscheiden(schritt=mitzeichnung(entschieden), user=aemter.tim, entscheidung=Schritt.Status.ZUGESTIMMT)
    Schritt.objects.filter(laufweg=entschieden, art=Schritt.Art.MITZEICHNUNG).update(frist=tage(-1))
    zurueck = starten(aemter, titel="Zurückgegeben")
    schritt_entscheiden(
        schritt=mitzeichnung(zurueck), user=aemter.tim, entscheidung=Schritt.Status.EINSPRUCH, anmerkung="Nein."
    )
    Schritt.objects.filter(laufweg=zurueck).update(frist=tage(-1))
    vorher = len(smtp.empfangen)

    erinnern(django_capture_on_commit_callbacks)

    assert len(smtp.empfangen) == vorher
