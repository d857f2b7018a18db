import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from einberufung.services import einladung_versenden, nachtrag_versenden
from protokoll.services import top_vertagen
from sitzungen.fassungen import tagesordnung_erfassen, tagesordnung_fassung_festhalten, unterschiede
from sitzungen.models import Sitzung, Tagesordnungsfassung
from tests.factories import (
    AnlageFactory,
    AusschussFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
    pdf_bauen,
)
from tests.test_admin import formulardaten


@pytest.mark.django_db
def test_a_version_is_recorded_only_when_the_sitzung_is_convened():
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    TagesordnungspunktFactory(sitzung=sitzung)

    assert tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung") is None

    sitzung.status = Sitzung.Status.EINBERUFEN
    sitzung.save()
    fassung = tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")
    assert fassung.nummer == 1
    assert fassung.anlass == "Einladung"
    assert [top["titel"] for top in fassung.inhalt["tops"]] == [sitzung.tagesordnungspunkte.get().titel]


@pytest.mark.django_db
def test_a_version_is_recorded_only_when_the_agenda_changed():
    sitzung = SitzungFactory()
    top = TagesordnungspunktFactory(sitzung=sitzung)
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")

    assert tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Änderung durch den Sitzungsdienst") is None

    top.titel = "Ein neuer Titel"
    top.save()
    zweite = tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Änderung durch den Sitzungsdienst")
    assert zweite.nummer == 2
    assert Tagesordnungsfassung.objects.filter(sitzung=sitzung).count() == 2


@pytest.mark.django_db
def test_a_replaced_anlage_on_the_agenda_records_a_new_version():
    sitzung = SitzungFactory()
    vorlage = VorlageFactory()
    TagesordnungspunktFactory(sitzung=sitzung).vorlagen.add(vorlage)
    anlage = AnlageFactory(vorlage=vorlage)
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")

    anlage.datei = ContentFile(pdf_bauen(seiten=3), name="neu.pdf")
    anlage.full_clean()
    anlage.save()
    zweite = tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Nachtrag 1")

    assert zweite is not None
    assert [
        aenderung["art"] for aenderung in unterschiede(zweite.sitzung.fassungen.get(nummer=1).inhalt, zweite.inhalt)
    ] == ["anlage_ersetzt"]
    assert tagesordnung_erfassen(sitzung) == zweite.inhalt


def _sitzung_mit_gremium():
    ausschuss = AusschussFactory(name="Ausschuss für Umwelt und Technik", ladungsfrist_tage=7)
    beginn = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=14), datetime.time(16, 30))
    )
    sitzung = SitzungFactory(ausschuss=ausschuss, beginn=beginn, status=Sitzung.Status.GEPLANT)
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Radweg Neckartalstraße")
    MitgliedschaftFactory(
        person=PersonFactory(vorname="Mia", nachname="Maier", email="mia@example.org"), ausschuss=ausschuss
    )
    return sitzung


@pytest.mark.django_db
def test_the_einladung_and_each_nachtrag_record_a_version(smtp, django_capture_on_commit_callbacks):
    sitzung = _sitzung_mit_gremium()
    clerk = SachbearbeitungFactory()
    with django_capture_on_commit_callbacks(execute=True):
        einladung_versenden(sitzung=sitzung, user=clerk)
    assert smtp.an("mia@example.org")
    (erste,) = sitzung.fassungen.all()
    assert (erste.nummer, erste.anlass, erste.user) == (1, "Einladung", clerk)

    TagesordnungspunktFactory(sitzung=sitzung, nummer="2", reihenfolge=2, titel="Baumschutzsatzung")
    with django_capture_on_commit_callbacks(execute=True):
        nachtrag_versenden(sitzung=sitzung, user=clerk)

    zweite = sitzung.fassungen.get(nummer=2)
    assert zweite.anlass == "Nachtrag 1"
    assert [(a["art"], a["top"]["titel"]) for a in unterschiede(erste.inhalt, zweite.inhalt)] == [
        ("top_neu", "Baumschutzsatzung")
    ]


@pytest.mark.django_db
def test_a_vertagter_top_put_on_a_convened_sitzung_records_a_version():
    top = TagesordnungspunktFactory(ergebnis="vertagt", titel="Sanierung der Schule")
    spaeter = SitzungFactory(ausschuss=top.sitzung.ausschuss, beginn=top.sitzung.beginn + datetime.timedelta(days=14))
    TagesordnungspunktFactory(sitzung=spaeter, nummer="1", reihenfolge=1)
    tagesordnung_fassung_festhalten(sitzung=spaeter, anlass="Einladung")

    top_vertagen(tagesordnungspunkt=top, sitzung=spaeter)

    zweite = spaeter.fassungen.get(nummer=2)
    assert zweite.anlass.startswith("Vertagt aus der Sitzung vom ")
    assert [top["titel"] for top in zweite.inhalt["tops"]][-1] == "Sanierung der Schule"


@pytest.mark.django_db
def test_the_clerk_changing_a_convened_agenda_in_the_admin_records_a_version(sachbearbeitung_client):
    sitzung = SitzungFactory()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Alter Titel")
    tagesordnung_fassung_festhalten(sitzung=sitzung, anlass="Einladung")
    url = reverse("admin:sitzungen_sitzung_change", args=[sitzung.pk])
    daten = formulardaten(sachbearbeitung_client.get(url))
    daten["tagesordnungspunkte-0-titel"] = "Neuer Titel"
    antwort = sachbearbeitung_client.post(url, daten)
    assert antwort.status_code == 302, antwort.context["adminform"].form.errors if antwort.context else antwort

    zweite = sitzung.fassungen.get(nummer=2)
    assert zweite.anlass == "Änderung durch den Sitzungsdienst"
    assert [a["art"] for a in unterschiede(sitzung.fassungen.get(nummer=1).inhalt, zweite.inhalt)] == ["top_umbenannt"]
