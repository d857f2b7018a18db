import pytest
from django.core.files.base import ContentFile

from sitzungen.fassungen import tagesordnung_erfassen, tagesordnung_fassung_festhalten, unterschiede
from sitzungen.models import Sitzung, Tagesordnungsfassung
from tests.factories import (
    AnlageFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
    pdf_bauen,
)


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
