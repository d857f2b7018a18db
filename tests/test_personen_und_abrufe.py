import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    UserFactory,
)
from vorlagen.models import AnlageAbruf

pytestmark = pytest.mark.django_db


def inhalt(antwort):
    return antwort.content.decode()


# Committee members and person pages


def test_committee_page_lists_current_members_with_fraktion_and_role_chair_first(client):
    ausschuss = AusschussFactory(name="Internationaler Ausschuss")
    fraktion = AusschussFactory(name="Fraktion Beispiel", art="fraktion")
    MitgliedschaftFactory(ausschuss=ausschuss, person__nachname="Zeller", rolle="vorsitz")
    MitgliedschaftFactory(ausschuss=ausschuss, person__nachname="Adler", person__fraktion=fraktion)
    MitgliedschaftFactory(
        ausschuss=ausschuss,
        person__nachname="Ehemalig",
        ende=timezone.localdate() - datetime.timedelta(days=1),
    )

    antwort = client.get(ausschuss.get_absolute_url())

    namen = [m.person.nachname for m in antwort.context["mitglieder"]]
    assert namen == ["Zeller", "Adler"]
    text = inhalt(antwort)
    assert "Fraktion Beispiel" in text
    assert "Vorsitz" in text
    assert "Ehemalig" not in text


def test_person_page_shows_contact_data_only_with_consent(client):
    ohne = PersonFactory(email="ohne@example.org", telefon="0711 111")
    mit = PersonFactory(email="mit@example.org", telefon="0711 222", kontakt_veroeffentlichen=True)

    text_ohne = inhalt(client.get(ohne.get_absolute_url()))
    text_mit = inhalt(client.get(mit.get_absolute_url()))

    assert "ohne@example.org" not in text_ohne
    assert "0711 111" not in text_ohne
    assert "mit@example.org" in text_mit
    assert "0711 222" in text_mit


def test_person_page_separates_current_and_former_memberships(client):
    person = PersonFactory()
    MitgliedschaftFactory(person=person, ausschuss__name="Gemeinderat")
    MitgliedschaftFactory(
        person=person,
        ausschuss__name="Sportausschuss",
        beginn=datetime.date(2015, 1, 1),
        ende=datetime.date(2019, 7, 31),
    )

    antwort = client.get(person.get_absolute_url())

    assert [m.ausschuss.name for m in antwort.context["aktuelle"]] == ["Gemeinderat"]
    assert [m.ausschuss.name for m in antwort.context["fruehere"]] == ["Sportausschuss"]


# Downloads of non-public Anlagen


@pytest.fixture
def ratsmitglied():
    """A councillor on the committee that consults the Vorlage with the non-public Anlage."""
    benutzer = UserFactory()
    mitgliedschaft = MitgliedschaftFactory(person__benutzer=benutzer)
    anlage = AnlageFactory(oeffentlich=False, titel="Kostenberechnung")
    BeratungFactory(vorlage=anlage.vorlage, ausschuss=mitgliedschaft.ausschuss)
    return benutzer, anlage


def test_download_of_a_non_public_anlage_is_recorded_and_not_cached(client, ratsmitglied):
    benutzer, anlage = ratsmitglied
    client.force_login(benutzer)

    antwort = client.get(anlage.get_absolute_url())

    assert antwort.status_code == 200
    assert "no-store" in antwort["Cache-Control"]
    assert "private" in antwort["Cache-Control"]
    abruf = AnlageAbruf.objects.get()
    assert (abruf.anlage, abruf.benutzer) == (anlage, benutzer)


def test_download_of_a_public_anlage_is_not_recorded(client, ratsmitglied):
    benutzer, _ = ratsmitglied
    client.force_login(benutzer)
    oeffentlich = AnlageFactory()

    assert client.get(oeffentlich.get_absolute_url()).status_code == 200
    assert not AnlageAbruf.objects.exists()


def test_non_public_anlage_answers_404_to_the_public_and_records_nothing(client, ratsmitglied):
    _, anlage = ratsmitglied
    assert client.get(anlage.get_absolute_url()).status_code == 404
    assert not AnlageAbruf.objects.exists()


def test_behind_nginx_the_download_is_handed_to_the_web_server_after_the_check(client, settings):
    settings.RATSINFO_ANLAGEN_X_ACCEL_PREFIX = "/_anlagen/"
    anlage = AnlageFactory(dateiname="bericht.pdf")

    antwort = client.get(anlage.get_absolute_url())

    assert antwort.status_code == 200
    assert antwort["X-Accel-Redirect"] == f"/_anlagen/{anlage.datei.name}"
    assert antwort["Content-Disposition"] == 'inline; filename="bericht.pdf"'
    assert antwort.content == b""
    assert client.get(AnlageFactory(vorlage__entwurf=True).get_absolute_url()).status_code == 404
