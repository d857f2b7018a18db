import datetime
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from demodaten import laden
from demodaten.kalender import Kalender
from demodaten.personen import wahlperiode_beginn
from gremien.models import Ausschuss, Dienststelle, Mitgliedschaft, Person
from protokoll.models import Sitzungsdokument
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from tests.factories import UserFactory, VorlageFactory
from vorlagen.models import Anlage, Vorlage

# A copy of the seed travels with the tests, so they run wherever the repository is cloned; the shared folder
# beside the repository (there in development and CI) holds the original it must match.
SEED = Path(__file__).parent / "daten" / "000_5527921fb946d4b6.txt"
SEED_ORIGINAL = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_5527921fb946d4b6.txt"

APP_LABELS = {"gremien", "vorlagen", "sitzungen", "protokoll", "mitzeichnung"}


def seed():
    """The parts of the seed document, read from the file itself."""
    text = SEED.read_text(encoding="utf-8")
    kopf = re.search(r"^Stuttgart, (\d\d)\.(\d\d)\.(\d{4})$", text, re.MULTILINE)
    tag, monat, jahr = (int(teil) for teil in kopf.groups())
    tabelle = text.split("Vorlage an\tzur\tSitzungsart\tSitzungstermin\n", 1)[1].split("\n", 1)[0]
    schluss = re.search(
        r"\*\*Mitzeichnung der beteiligten Stellen:\*\*\n(.*?)\*\*Vorliegende Anfragen/Anträge:\*\*\n(.*?)"
        r"\*\*Erledigte Anfragen/Anträge:\*\*\n(.*?)\n([^\n]+?) *\n([^\n]+)\n\nAnlagen *\n([^\n]+)\n",
        text,
        re.DOTALL,
    )
    return {
        "datum": datetime.date(jahr, monat, tag),
        "titel": re.search(r"^## (.+)$", text, re.MULTILINE).group(1),
        "art": re.search(r"^### (\w+vorlage)$", text, re.MULTILINE).group(1),
        "beratung": tabelle.split("\t"),
        "bericht": text.split("### Bericht\n\n", 1)[1].split("\n\n**Mitzeichnung", 1)[0],
        "mitzeichnung": schluss.group(1).strip(),
        "vorliegende": schluss.group(2).strip(),
        "erledigte": schluss.group(3).strip(),
        "unterzeichnet_von": schluss.group(4),
        "unterzeichnet_funktion": schluss.group(5),
        "anlage": schluss.group(6),
    }


def seed_vorlage():
    return Vorlage.objects.get(titel=seed()["titel"])


def momentaufnahme():
    """Every row of every model of the two apps, M2M tables included."""
    modelle = [modell for modell in apps.get_models(include_auto_created=True) if modell._meta.app_label in APP_LABELS]
    return {modell._meta.label: list(modell.objects.order_by("pk").values()) for modell in modelle}


def dateien(tmp_path):
    return sorted(pfad for pfad in (tmp_path / "anlagen").rglob("*") if pfad.is_file())


@pytest.mark.skipif(not SEED_ORIGINAL.exists(), reason="shared/ liegt nicht neben dem Repository")
def test_seed_copy_matches_the_shared_original():
    assert SEED.read_bytes() == SEED_ORIGINAL.read_bytes()


def test_seed_vorlage_is_loaded_verbatim(demodaten):
    erwartet = seed()
    vorlage = seed_vorlage()

    assert vorlage.get_art_display() == erwartet["art"]
    assert vorlage.datum == erwartet["datum"]
    assert vorlage.bericht == erwartet["bericht"]
    assert "„20 Jahre Stuttgarter Bündnis für Integration“" in vorlage.bericht
    assert vorlage.mitzeichnung == erwartet["mitzeichnung"] == ""
    assert erwartet["vorliegende"] == erwartet["erledigte"] == ""
    assert not vorlage.vorliegende_antraege.exists()
    assert not vorlage.erledigte_antraege.exists()
    assert vorlage.beschlussantrag == vorlage.begruendung == vorlage.finanzielle_auswirkungen == ""
    assert vorlage.unterzeichnet_von == erwartet["unterzeichnet_von"] == "Dr. Alexandra Sußmann"
    assert vorlage.unterzeichnet_funktion == erwartet["unterzeichnet_funktion"] == "Bürgermeisterin"
    assert vorlage.dienststelle.name == "Referat Soziales und gesellschaftliche Integration"
    assert vorlage.dienststelle.kurzname == "SI"
    assert vorlage.bezeichnung == "GRDrs 1005/2021"
    assert vorlage.status == Vorlage.Status.VEROEFFENTLICHT
    assert timezone.localdate(vorlage.veroeffentlicht_am) == erwartet["datum"]


def test_seed_beratung_is_the_row_of_the_consultation_table(demodaten):
    ausschuss, rolle, sitzungsart, termin = seed()["beratung"]
    vorlage = seed_vorlage()

    beratung = vorlage.beratungen.get()
    assert beratung.ausschuss.name == ausschuss == "Internationaler Ausschuss"
    assert beratung.get_rolle_display() == rolle == "Kenntnisnahme"
    assert beratung.oeffentlich is (sitzungsart == "öffentlich") is True
    assert f"{beratung.sitzungstermin:%d.%m.%Y}" == termin == "24.11.2021"
    assert beratung.ergebnis == Tagesordnungspunkt.Ergebnis.KENNTNIS_GENOMMEN


def test_seed_sitzung_of_24_november_2021_has_a_public_top_on_the_vorlage(demodaten):
    vorlage = seed_vorlage()
    sitzung = Sitzung.objects.get(ausschuss__slug="internationaler-ausschuss", beginn__date=datetime.date(2021, 11, 24))

    assert sitzung.status == Sitzung.Status.ABGESCHLOSSEN
    assert timezone.localtime(sitzung.beginn).time() == datetime.time(15)
    assert timezone.localtime(sitzung.ende).time() == datetime.time(18)
    # 15:00 in Stuttgart in November is 14:00 UTC: the time was stored as an aware Europe/Berlin time.
    assert sitzung.beginn == datetime.datetime(2021, 11, 24, 14, tzinfo=datetime.UTC)
    assert sitzung.ort.bezeichnung == "Rathaus Stuttgart"
    assert sitzung.ort.anschrift == "Marktplatz 1, 70173 Stuttgart"
    top = sitzung.tagesordnungspunkte.get(vorlagen=vorlage)
    assert top.oeffentlich
    assert top.get_ergebnis_display() == "zur Kenntnis genommen"
    assert vorlage.beratungen.get().tagesordnungspunkt == top
    assert vorlage.beratungen.get().sitzung == sitzung


def test_seed_anlage_is_a_small_pdf_stored_through_the_file_field(demodaten, tmp_path):
    anlage = seed_vorlage().anlagen.get()

    assert anlage.titel == seed()["anlage"] == 'Jubiläumsbroschüre "20 Jahre Stuttgarter Bündnis für Integration"'
    with anlage.datei.open("rb") as datei:
        inhalt = datei.read()
    assert inhalt.startswith(b"%PDF")
    assert anlage.mime_typ == "application/pdf"
    assert anlage.dateiname.endswith(".pdf")
    assert anlage.groesse == len(inhalt) < 50_000
    # The file went into the Anlagen storage, which the tests point at a temporary folder.
    assert (tmp_path / "anlagen" / anlage.datei.name).is_file()


def test_running_twice_duplicates_and_changes_nothing(demodaten, tmp_path):
    vorher = momentaufnahme()
    dateien_vorher = dateien(tmp_path)

    ausgabe = io.StringIO()
    call_command("demodaten_laden", stdout=ausgabe)

    assert momentaufnahme() == vorher
    assert dateien(tmp_path) == dateien_vorher
    # Issue 20: one person's photo lies in the same storage.
    fotos = Person.objects.exclude(foto="").count()
    assert fotos == 1
    assert len(dateien_vorher) == Anlage.objects.count() + Sitzungsdokument.objects.count() + fotos
    assert "nichts geändert" in ausgabe.getvalue()


def test_seed_sitzung_has_its_einladung_as_a_public_document_with_text(demodaten, client):
    sitzung = Sitzung.objects.get(ausschuss__slug="internationaler-ausschuss", beginn__date=datetime.date(2021, 11, 24))

    einladung = sitzung.dokumente.get()
    assert einladung.art == Sitzungsdokument.Art.EINLADUNG
    assert (einladung.mime_typ, einladung.textstatus) == ("application/pdf", "fertig")
    # Written by WeasyPrint with the real agenda of the seed's Sitzung, and read for the search.
    assert "20 Jahre Stuttgarter Bündnis für Integration" in einladung.text
    assert Sitzungsdokument.objects.sichtbar_fuer(AnonymousUser()).filter(pk=einladung.pk).exists()
    seite = client.get(sitzung.get_absolute_url()).content.decode()
    assert "Sitzungsdokumente" in seite and einladung.get_absolute_url() in seite


def test_a_non_public_tischvorlage_is_for_the_bezirksbeirat_only(demodaten):
    tischvorlage = Sitzungsdokument.objects.get(art=Sitzungsdokument.Art.TISCHVORLAGE)

    assert not tischvorlage.oeffentlich
    assert tischvorlage.sitzung.ausschuss.slug == "bezirksbeirat-bad-cannstatt"
    assert tischvorlage.sitzung.tagesordnungspunkte.filter(oeffentlich=False).exists()
    assert "Verkehrswert" in tischvorlage.text
    assert not Sitzungsdokument.objects.sichtbar_fuer(AnonymousUser()).filter(pk=tischvorlage.pk).exists()


def test_a_run_on_a_later_day_keeps_the_dates_of_the_first(demodaten):
    vorher = momentaufnahme()

    ergebnis = laden.demodaten_laden(jetzt=timezone.now() + datetime.timedelta(days=40))

    assert ergebnis.aus_frueherem_lauf
    assert ergebnis.geschrieben == 0
    assert momentaufnahme() == vorher


def test_a_deleted_file_is_restored_without_a_second_anlage(demodaten, tmp_path):
    anzahl = Anlage.objects.count()
    anlage = seed_vorlage().anlagen.get()
    anlage.datei.storage.delete(anlage.datei.name)

    call_command("demodaten_laden", verbosity=0)

    assert Anlage.objects.count() == anzahl
    anlage = seed_vorlage().anlagen.get()
    assert anlage.datei.storage.exists(anlage.datei.name)
    assert len(dateien(tmp_path)) == anzahl + Sitzungsdokument.objects.count() + Person.objects.exclude(foto="").count()


def test_an_empty_site_is_filled_and_the_summary_is_german(db):
    ausgabe = io.StringIO()
    call_command("demodaten_laden", stdout=ausgabe)

    text = ausgabe.getvalue()
    assert "Demodaten geladen" in text
    assert f"Vorlagen: {Vorlage.objects.count()}" in text
    assert f"Personen: {Person.objects.count()}" in text
    assert 20 <= Vorlage.objects.count() <= 35


def test_nur_wenn_leer_loads_nothing_when_a_vorlage_exists(db):
    VorlageFactory()

    call_command("demodaten_laden", "--nur-wenn-leer", verbosity=0)

    assert Vorlage.objects.count() == 1
    assert not Sitzung.objects.exists()


def test_nur_wenn_leer_loads_into_an_empty_site(db):
    call_command("demodaten_laden", "--nur-wenn-leer", verbosity=0)

    assert Vorlage.objects.filter(titel=seed()["titel"]).exists()


def test_drafts_exist_and_are_never_public(demodaten):
    entwuerfe = Vorlage.objects.filter(status=Vorlage.Status.ENTWURF)
    anonym = AnonymousUser()

    assert 2 <= entwuerfe.count() <= 3
    assert not entwuerfe.filter(veroeffentlicht_am__isnull=False).exists()
    assert not Vorlage.objects.sichtbar_fuer(anonym).filter(pk__in=entwuerfe).exists()
    assert Anlage.objects.filter(vorlage__in=entwuerfe).exists()
    assert not Anlage.objects.sichtbar_fuer(anonym).filter(vorlage__in=entwuerfe).exists()
    assert not Beratung.objects.sichtbar_fuer(anonym).filter(vorlage__in=entwuerfe).exists()


def test_there_are_past_and_future_sitzungen(demodaten):
    jetzt = timezone.now()
    vergangene = Sitzung.objects.vergangene(jetzt)
    kommende = Sitzung.objects.kommende(jetzt)

    assert vergangene.exists()
    assert kommende.exists()
    assert not vergangene.exclude(status=Sitzung.Status.ABGESCHLOSSEN).exists()
    assert not kommende.exclude(
        status__in=[Sitzung.Status.GEPLANT, Sitzung.Status.EINBERUFEN, Sitzung.Status.ABGESAGT]
    ).exists()
    assert kommende.filter(status=Sitzung.Status.EINBERUFEN).exists()
    assert Sitzung.objects.filter(status=Sitzung.Status.ABGESAGT).exists()
    # Past Sitzungen carry results.
    assert Tagesordnungspunkt.objects.filter(sitzung__in=vergangene).exclude(ergebnis="").count() >= 20


def test_non_public_sitzungen_and_tops_stay_hidden_from_the_public(demodaten):
    anonym = AnonymousUser()
    nichtoeffentlich = Sitzung.objects.filter(oeffentlich=False)

    assert nichtoeffentlich.filter(ausschuss__slug="aeltestenrat").exists()
    assert not Tagesordnungspunkt.objects.filter(sitzung__in=nichtoeffentlich, oeffentlich=True).exists()
    gemischt = Sitzung.objects.filter(oeffentlich=True, tagesordnungspunkte__oeffentlich=True).filter(
        tagesordnungspunkte__oeffentlich=False
    )
    assert gemischt.exists()
    sensibel = Tagesordnungspunkt.objects.filter(titel__startswith="Grundstücksangelegenheit")
    assert sensibel.exists()
    assert Tagesordnungspunkt.objects.filter(titel__startswith="Personalangelegenheit").exists()
    assert not sensibel.filter(oeffentlich=True).exists()
    assert not Tagesordnungspunkt.objects.sichtbar_fuer(anonym).filter(oeffentlich=False).exists()
    assert not Tagesordnungspunkt.objects.sichtbar_fuer(anonym).filter(sitzung__in=nichtoeffentlich).exists()


def test_beschlussvorlagen_go_through_several_committees_to_the_gemeinderat(demodaten):
    def bis_zum_gemeinderat(vorlage):
        folge = list(vorlage.beratungen.select_related("ausschuss").order_by("reihenfolge"))
        letzte = folge[-1] if folge else None
        return (
            len(folge) >= 3
            and letzte.ausschuss.slug == "gemeinderat"
            and letzte.rolle == Beratung.Rolle.BESCHLUSSFASSUNG
        )

    beschlussvorlagen = [
        vorlage for vorlage in Vorlage.objects.filter(art=Vorlage.Art.BESCHLUSSVORLAGE) if bis_zum_gemeinderat(vorlage)
    ]
    assert len(beschlussvorlagen) >= 5
    historisch = Vorlage.objects.get(nummer=952, jahr=2001)
    assert historisch in beschlussvorlagen
    assert [
        (b.ausschuss.name, b.get_rolle_display(), b.oeffentlich, f"{b.termin:%d.%m.%Y}")
        for b in historisch.beratungen.order_by("reihenfolge")
    ] == [
        ("Internationaler Ausschuss", "Einbringung", True, "17.10.2001"),
        ("Internationaler Ausschuss", "Vorberatung", False, "14.11.2001"),
        ("Verwaltungsausschuss", "Vorberatung", False, "28.11.2001"),
        ("Gemeinderat", "Beschlussfassung", True, "29.11.2001"),
    ]
    # Some have gone all the way, some have their decision still ahead, starting in a Bezirksbeirat.
    heute = timezone.localdate()
    assert any(v.beratungen.filter(ausschuss__slug="gemeinderat", termin__lt=heute) for v in beschlussvorlagen)
    assert any(v.beratungen.filter(ausschuss__slug="gemeinderat", termin__gt=heute) for v in beschlussvorlagen)
    assert any(v.beratungen.filter(ausschuss__art=Ausschuss.Art.BEZIRKSBEIRAT) for v in beschlussvorlagen)


def test_the_gemeinderat_has_a_long_agenda(demodaten):
    laengste = max(Sitzung.objects.filter(ausschuss__slug="gemeinderat"), key=lambda s: s.tagesordnungspunkte.count())
    assert laengste.tagesordnungspunkte.count() >= 10
    assert laengste.beginn > timezone.now()


def test_the_kinds_of_vorlagen_a_council_deals_with_are_all_there(demodaten):
    arten = set(Vorlage.objects.values_list("art", flat=True))
    assert arten == set(Vorlage.Art.values)
    assert Vorlage.objects.filter(art=Vorlage.Art.ANTRAG, nummer=123).exists()
    assert Vorlage.objects.filter(status=Vorlage.Status.ZURUECKGEZOGEN).exists()
    neufassung = Vorlage.objects.get(zusatz="Neufassung")
    assert Vorlage.objects.filter(nummer=neufassung.nummer, jahr=neufassung.jahr, zusatz="").exists()
    mit_antraegen = Vorlage.objects.filter(vorliegende_antraege__isnull=False, erledigte_antraege__isnull=False)
    assert mit_antraegen.exists()
    # A TOP may concern several Vorlagen.
    assert any(top.vorlagen.count() > 1 for top in Tagesordnungspunkt.objects.all())


def test_stuttgart_bodies_and_units_are_loaded(demodaten):
    assert Ausschuss.objects.filter(art=Ausschuss.Art.BEZIRKSBEIRAT).count() == 23
    assert Ausschuss.objects.filter(art=Ausschuss.Art.FRAKTION).count() >= 3
    for slug in ["gemeinderat", "verwaltungsausschuss", "internationaler-ausschuss", "bezirksbeirat-bad-cannstatt"]:
        assert Ausschuss.objects.filter(slug=slug).exists()
    assert Ausschuss.objects.get(slug="gemeinderat").art == Ausschuss.Art.GEMEINDERAT
    referate = Dienststelle.objects.filter(art=Dienststelle.Art.REFERAT)
    assert referate.count() >= 6
    assert Dienststelle.objects.filter(uebergeordnet__in=referate).exists()


def test_every_record_passes_full_clean(demodaten):
    for modell in [
        Vorlage,
        Anlage,
        Dienststelle,
        Ausschuss,
        Sitzung,
        Tagesordnungspunkt,
        Beratung,
        Person,
        Mitgliedschaft,
    ]:
        for objekt in modell.objects.all():
            objekt.full_clean()


def laden_montag():
    montag, aus_frueherem_lauf = laden.wochenbeginn_bestimmen()
    assert aus_frueherem_lauf
    return montag


def test_the_beratungsfolge_agrees_with_the_agendas(demodaten):
    geplant = sum(len(eintrag["beratungen"]) for eintrag in laden.alle_vorlagen(Kalender(laden_montag())))
    # The service found a planned step for every Vorlage on an agenda and added none of its own.
    assert Beratung.objects.count() == geplant
    for top in Tagesordnungspunkt.objects.prefetch_related("vorlagen"):
        for vorlage in top.vorlagen.all():
            beratung = Beratung.objects.get(vorlage=vorlage, tagesordnungspunkt=top)
            assert beratung.sitzung_id == top.sitzung_id
            assert beratung.termin == timezone.localdate(top.sitzung.beginn)
            assert beratung.ergebnis == top.ergebnis


def test_inconsistent_demo_data_is_refused_before_anything_is_written(db, monkeypatch):
    echte_sitzungen = laden.sitzungsdaten.sitzungen

    def mit_fehler(kal):
        daten = echte_sitzungen(kal)
        # The seed Vorlage plans no Beratung on the day of the last Sitzung.
        daten[-1]["oe"].append({"titel": None, "vorlagen": ["seed"], "ergebnis": "", "beschluss": ""})
        return daten

    monkeypatch.setattr(laden.sitzungsdaten, "sitzungen", mit_fehler)

    with pytest.raises(CommandError, match="seed braucht genau eine geplante Beratung"):
        call_command("demodaten_laden", verbosity=0)
    assert not Vorlage.objects.exists()


def test_stichtag_places_the_sitzungen_around_its_week(db):
    call_command("demodaten_laden", "--stichtag", "2030-03-14", verbosity=0)

    montag = datetime.date(2030, 3, 11)
    tage = [timezone.localdate(beginn) for beginn in Sitzung.objects.values_list("beginn", flat=True)]
    assert any(tag < montag for tag in tage if tag.year == 2030)
    assert any(tag > montag + datetime.timedelta(days=6) for tag in tage)
    assert Vorlage.objects.filter(jahr=2030).exists()


def test_another_stichtag_than_the_first_runs_is_refused(demodaten):
    vorher = momentaufnahme()
    anderer_tag = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()

    with pytest.raises(CommandError, match="nur auf einer leeren Datenbank"):
        call_command("demodaten_laden", "--stichtag", anderer_tag, verbosity=0)

    assert momentaufnahme() == vorher


# Personen und Mitgliedschaften ------------------------------------------------------------------------------------


def test_councillors_sit_in_their_fraktionen_and_the_gemeinderat(demodaten):
    aktuell = Mitgliedschaft.objects.aktuell()
    gemeinderat = aktuell.filter(ausschuss__slug="gemeinderat")

    for fraktion in Ausschuss.objects.filter(art=Ausschuss.Art.FRAKTION):
        assert 3 <= fraktion.fraktionsmitglieder.count() <= 6, fraktion
    stadtraete = Person.objects.filter(fraktion__isnull=False)
    assert set(stadtraete) == {sitz.person for sitz in gemeinderat.filter(rolle=Mitgliedschaft.Rolle.MITGLIED)}
    assert not stadtraete.filter(partei="").exists()
    # The Oberbürgermeister chairs the Gemeinderat; he belongs to no Fraktion.
    vorsitz = gemeinderat.get(rolle=Mitgliedschaft.Rolle.VORSITZ).person
    assert vorsitz.fraktion is None
    # Councillors whose names stand under Anträge of the demo belong to the Fraktion named there.
    assert Person.objects.get(vorname="Jan", nachname="Oberle").fraktion.slug == "fraktion-fdp"
    assert Person.objects.get(vorname="Lena", nachname="Brenner").fraktion.slug == "fraktion-gruene"


def test_committees_have_a_chair_members_deputies_and_sachkundige(demodaten):
    aktuell = Mitgliedschaft.objects.aktuell()
    ausschuesse = Ausschuss.objects.filter(art=Ausschuss.Art.AUSSCHUSS, mitgliedschaften__in=aktuell).distinct()

    assert ausschuesse.count() >= 5
    for ausschuss in ausschuesse:
        assert aktuell.filter(ausschuss=ausschuss, rolle=Mitgliedschaft.Rolle.VORSITZ).count() == 1, ausschuss
        assert aktuell.filter(ausschuss=ausschuss, rolle=Mitgliedschaft.Rolle.MITGLIED).count() >= 3, ausschuss
    assert aktuell.filter(rolle=Mitgliedschaft.Rolle.STELLVERTRETUNG).count() >= 3
    sachkundige = aktuell.filter(rolle=Mitgliedschaft.Rolle.SACHKUNDIG, ausschuss__slug="internationaler-ausschuss")
    assert sachkundige.exists()
    assert not sachkundige.filter(person__fraktion__isnull=False).exists()


def test_a_councillor_left_and_her_successor_follows(demodaten):
    heute = timezone.localdate()
    # Left during the current term (the seats of the term before ended with it).
    beendet = Mitgliedschaft.objects.filter(ende__lt=heute, ende__gte=wahlperiode_beginn(laden_montag()))
    kuenftig = Mitgliedschaft.objects.filter(beginn__gt=heute)

    assert beendet.filter(ausschuss__slug="gemeinderat").exists()
    ausgeschieden = beendet.first().person
    assert ausgeschieden.fraktion is None
    assert not Mitgliedschaft.objects.aktuell().filter(person=ausgeschieden).exists()
    # The successor takes over her committee seats once the Gemeinderat has decided the Umbesetzung.
    assert {sitz.ausschuss for sitz in kuenftig} <= {sitz.ausschuss for sitz in beendet}
    nachfolger = kuenftig.first().person
    assert Mitgliedschaft.objects.aktuell().filter(person=nachfolger, ausschuss__slug="gemeinderat").exists()
    # Every seat lies in the council term of the data or in the one before (issue 20: two Wahlperioden).
    beginn = wahlperiode_beginn(laden_montag())
    assert not Mitgliedschaft.objects.filter(beginn__lt=beginn.replace(year=beginn.year - 5)).exists()
    assert not Mitgliedschaft.objects.filter(beginn__lt=beginn, ende__gte=beginn).exists()


def test_fraktionen_have_chairs_current_and_past_members_and_one_photo_with_consent(demodaten):
    heute = timezone.localdate()
    for fraktion in Ausschuss.objects.filter(art=Ausschuss.Art.FRAKTION):
        sitze = fraktion.mitgliedschaften.all()
        assert sitze.aktuell().filter(rolle=Mitgliedschaft.Rolle.VORSITZ).count() == 1, fraktion
        # Today's Fraktion seats are those of Person.fraktion.
        assert {s.person for s in sitze.aktuell()} == set(fraktion.fraktionsmitglieder.all()), fraktion
        assert sitze.filter(ende__lt=heute).exists(), fraktion
    # Someone switched Fraktion with the new term.
    eisele = Person.objects.get(vorname="Florian", nachname="Eisele")
    assert {s.ausschuss.slug for s in eisele.mitgliedschaften.filter(ausschuss__art="fraktion")} == {
        "fraktion-fdp",
        "fraktion-cdu",
    }
    (mit_foto,) = Person.objects.mit_foto()
    assert mit_foto.foto_einwilligung_am is not None
    assert mit_foto.foto.storage.exists(mit_foto.foto.name)


def test_contact_data_is_published_for_few_and_never_reaches_anyone(demodaten):
    mit_einwilligung = Person.objects.filter(kontakt_veroeffentlichen=True)

    assert 1 <= mit_einwilligung.count() <= Person.objects.count() // 4
    assert not mit_einwilligung.filter(email="").exists()
    adressen = Person.objects.exclude(email="").values_list("email", flat=True)
    assert adressen
    assert all(adresse.endswith("@example.org") for adresse in adressen)
    # Stored for the administration, but without consent: the pages must not show these.
    assert Person.objects.filter(kontakt_veroeffentlichen=False).exclude(email="").exists()


def test_wahlperiode_lies_at_least_half_a_year_back():
    assert wahlperiode_beginn(datetime.date(2026, 11, 23)) == datetime.date(2024, 7, 25)
    assert wahlperiode_beginn(datetime.date(2024, 9, 2)) == datetime.date(2019, 7, 25)
    assert wahlperiode_beginn(datetime.date(2030, 3, 11)) == datetime.date(2029, 7, 25)
    assert wahlperiode_beginn(datetime.date(2029, 10, 1)) == datetime.date(2024, 7, 25)


# Nichtöffentliches ----------------------------------------------------------------------------------------------


def grundstueck():
    return Vorlage.objects.get(titel__startswith="Grundstücksangelegenheit")


def personalangelegenheit():
    return Vorlage.objects.get(vertraulich=True)


def kostenberechnung():
    return Anlage.objects.get(oeffentlich=False, vorlage__oeffentlich=True)


@pytest.fixture
def demo_zugaenge(demodaten):
    call_command("demodaten_laden", "--demo-zugaenge", verbosity=0)
    User = get_user_model()
    return User.objects.get(username="ratsmitglied"), User.objects.get(username="sachbearbeitung")


def test_non_public_vorlagen_are_published_and_on_non_public_agendas(demodaten):
    vorlage = grundstueck()
    assert vorlage.status == Vorlage.Status.VEROEFFENTLICHT
    assert (vorlage.oeffentlich, vorlage.vertraulich) == (False, False)
    beratung = vorlage.beratungen.get()
    assert (beratung.ausschuss.slug, beratung.oeffentlich) == ("verwaltungsausschuss", False)
    assert beratung.tagesordnungspunkt.oeffentlich is False
    assert not vorlage.tagesordnungspunkte.filter(oeffentlich=True).exists()
    assert not vorlage.anlagen.filter(oeffentlich=True).exists()

    vertraulich = personalangelegenheit()
    assert vertraulich.status == Vorlage.Status.VEROEFFENTLICHT
    assert vertraulich.titel.startswith("Personalangelegenheit")
    assert not vertraulich.oeffentlich
    top = vertraulich.tagesordnungspunkte.get()
    assert (top.sitzung.ausschuss.slug, top.oeffentlich) == ("gemeinderat", False)

    anlage = kostenberechnung()
    assert "nichtöffentlich" in anlage.titel
    assert anlage.vorlage.status == Vorlage.Status.VEROEFFENTLICHT
    assert anlage.vorlage.anlagen.filter(oeffentlich=True).exists()
    with anlage.datei.open("rb") as datei:
        assert datei.read(4) == b"%PDF"


def test_non_public_content_is_hidden_from_the_public(demodaten):
    anonym = AnonymousUser()
    verborgen = [grundstueck(), personalangelegenheit()]
    anlage = kostenberechnung()

    assert not Vorlage.objects.sichtbar_fuer(anonym).filter(pk__in=[v.pk for v in verborgen]).exists()
    assert Vorlage.objects.sichtbar_fuer(anonym).filter(pk=anlage.vorlage_id).exists()
    assert not Anlage.objects.sichtbar_fuer(anonym).filter(oeffentlich=False).exists()
    assert not Anlage.objects.sichtbar_fuer(anonym).filter(vorlage__in=verborgen).exists()
    assert not Beratung.objects.sichtbar_fuer(anonym).filter(vorlage__in=verborgen).exists()
    assert not Tagesordnungspunkt.objects.sichtbar_fuer(anonym).filter(vorlagen__in=verborgen).exists()


def test_the_demo_councillor_sees_what_her_committees_see(demo_zugaenge):
    ratsmitglied, _ = demo_zugaenge
    vorlagen = Vorlage.objects.sichtbar_fuer(ratsmitglied)
    vertraulich = personalangelegenheit()

    assert ratsmitglied.person.name == "Lena Brenner"
    gremien = set(Ausschuss.objects.mit_mitglied(ratsmitglied).values_list("slug", flat=True))
    assert {"gemeinderat", "internationaler-ausschuss"} <= gremien
    # A deputy in the Verwaltungsausschuss, which decides on the Grundstück: she sees it and its Lageplan.
    assert "verwaltungsausschuss" in gremien
    assert vorlagen.filter(pk=grundstueck().pk).exists()
    assert Anlage.objects.sichtbar_fuer(ratsmitglied).filter(vorlage=grundstueck()).exists()
    # The Gemeinderat decides on the Schule, so its Kostenberechnung is hers too.
    assert Anlage.objects.sichtbar_fuer(ratsmitglied).filter(pk=kostenberechnung().pk).exists()
    # Confidential: the TOP of her Gemeinderat, yes; the Vorlage and its Beratung, no.
    assert Tagesordnungspunkt.objects.sichtbar_fuer(ratsmitglied).filter(vorlagen=vertraulich).exists()
    assert not vorlagen.filter(pk=vertraulich.pk).exists()
    assert not Beratung.objects.sichtbar_fuer(ratsmitglied).filter(vorlage=vertraulich).exists()
    # Drafts and the non-public agenda of committees she does not sit on stay hidden.
    assert not vorlagen.filter(status=Vorlage.Status.ENTWURF).exists()
    nicht_ihre = Tagesordnungspunkt.objects.filter(oeffentlich=False).exclude(sitzung__ausschuss__slug__in=gremien)
    assert nicht_ihre.exists()
    assert not Tagesordnungspunkt.objects.sichtbar_fuer(ratsmitglied).filter(pk__in=nicht_ihre).exists()


@pytest.mark.parametrize(("vorname", "nachname"), [("Katharina", "Vogt"), ("Elena", "Petrović")])
def test_who_left_or_sits_elsewhere_does_not_see_them(demodaten, vorname, nachname):
    person = Person.objects.get(vorname=vorname, nachname=nachname)
    person.benutzer = UserFactory()
    person.save()
    benutzer = person.benutzer

    assert not Vorlage.objects.sichtbar_fuer(benutzer).filter(pk__in=[grundstueck().pk, personalangelegenheit().pk])
    assert not Anlage.objects.sichtbar_fuer(benutzer).filter(pk=kostenberechnung().pk).exists()
    anonym = AnonymousUser()
    if not Ausschuss.objects.mit_mitglied(benutzer).exists():  # she left the council
        assert set(Tagesordnungspunkt.objects.sichtbar_fuer(benutzer)) == set(
            Tagesordnungspunkt.objects.sichtbar_fuer(anonym)
        )
        assert set(Beratung.objects.sichtbar_fuer(benutzer)) == set(Beratung.objects.sichtbar_fuer(anonym))


def test_the_demo_clerk_sees_everything(demo_zugaenge):
    _, sachbearbeitung = demo_zugaenge

    assert sachbearbeitung.is_staff
    assert not sachbearbeitung.is_superuser
    assert sachbearbeitung.has_perm("vorlagen.nichtoeffentliches_sehen")
    assert [gruppe.name for gruppe in sachbearbeitung.groups.all()] == ["Sitzungsdienst"]
    assert Vorlage.objects.sichtbar_fuer(sachbearbeitung).count() == Vorlage.objects.count()
    assert Anlage.objects.sichtbar_fuer(sachbearbeitung).count() == Anlage.objects.count()


# Demo-Zugänge ---------------------------------------------------------------------------------------------------


def test_the_demo_accounts_log_in(client, demo_zugaenge):
    assert client.login(username="ratsmitglied", password="demo")
    assert client.get(reverse("admin:index")).status_code == 302  # a councillor is no clerk
    client.logout()

    assert client.login(username="sachbearbeitung", password="demo")
    for seite in ["admin:index", "admin:gremien_person_changelist", "admin:vorlagen_anlageabruf_changelist"]:
        assert client.get(reverse(seite)).status_code == 200
    # The clerk can look up the account to link a Person to.
    antwort = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "gremien", "model_name": "person", "field_name": "benutzer", "term": "ratsmitglied"},
    )
    assert [eintrag["text"] for eintrag in antwort.json()["results"]] == ["ratsmitglied"]


def test_demo_accounts_are_refused_in_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="Produktion"):
        call_command("demodaten_laden", "--demo-zugaenge", verbosity=0)

    assert not get_user_model().objects.exists()
    assert not Vorlage.objects.exists()


def test_demo_accounts_are_made_when_the_data_is_already_there(demodaten):
    vorher = {modell: modell.objects.count() for modell in [Vorlage, Sitzung, Person, Mitgliedschaft]}
    ausgabe = io.StringIO()

    call_command("demodaten_laden", "--nur-wenn-leer", "--demo-zugaenge", stdout=ausgabe)

    text = ausgabe.getvalue()
    assert "die Demodaten werden nicht geladen" in text
    assert "ratsmitglied" in text
    assert "sachbearbeitung" in text
    assert "demo" in text
    assert {modell: modell.objects.count() for modell in vorher} == vorher
    assert Person.objects.get(benutzer__username="ratsmitglied").name == "Lena Brenner"
    assert get_user_model().objects.get(username="sachbearbeitung").check_password("demo")


def konten():
    User = get_user_model()
    return {
        "benutzer": list(User.objects.order_by("pk").values("username", "password", "is_staff", "is_superuser")),
        "gruppen": {
            gruppe.name: sorted(gruppe.permissions.values_list("pk", flat=True)) for gruppe in Group.objects.all()
        },
        "mitgliedschaften": list(User.groups.through.objects.order_by("pk").values()),
        "rechte": list(User.user_permissions.through.objects.order_by("pk").values()),
        "personen": list(Person.objects.exclude(benutzer=None).values_list("pk", "benutzer")),
    }


def test_demo_accounts_twice_duplicate_nothing_and_keep_a_changed_password(demo_zugaenge):
    ratsmitglied, _ = demo_zugaenge
    ratsmitglied.set_password("ein-eigenes-passwort")
    ratsmitglied.save()
    vorher = konten()
    daten_vorher = momentaufnahme()
    ausgabe = io.StringIO()

    call_command("demodaten_laden", "--demo-zugaenge", stdout=ausgabe)

    assert konten() == vorher
    assert momentaufnahme() == daten_vorher
    assert "vorhanden" in ausgabe.getvalue()
    ratsmitglied.refresh_from_db()
    assert ratsmitglied.check_password("ein-eigenes-passwort")


def test_a_person_linked_to_another_account_is_not_taken(demodaten):
    brenner = Person.objects.get(vorname="Lena", nachname="Brenner")
    brenner.benutzer = UserFactory(username="lena.brenner")
    brenner.save()
    ausgabe = io.StringIO()

    call_command("demodaten_laden", "--demo-zugaenge", stdout=ausgabe)

    brenner.refresh_from_db()
    assert brenner.benutzer.username == "lena.brenner"
    assert "schon mit dem Konto „lena.brenner“ verknüpft" in ausgabe.getvalue()
    assert not Person.objects.filter(benutzer__username="ratsmitglied").exists()


def test_the_seed_sitzung_has_a_recorded_einladung_sent_in_time(demodaten):
    from einberufung.models import Einberufung
    from post.models import Nachricht

    sitzung = Sitzung.objects.get(ausschuss__slug="internationaler-ausschuss", beginn__date=datetime.date(2021, 11, 24))
    (einladung,) = Einberufung.objects.filter(sitzung=sitzung)
    assert einladung.art == Einberufung.Art.EINLADUNG and einladung.frist_eingehalten
    assert einladung.versendet_am.date() == datetime.date(2021, 11, 10)
    ladungen = einladung.ladungen.select_related("nachricht")
    assert ladungen.filter(rolle="mitglied").count() >= 3
    assert ladungen.filter(rolle="weitere").count() == 1
    assert {ladung.nachricht.status for ladung in ladungen} == {Nachricht.Status.GESENDET}
    assert all(ladung.nachricht.antwort.startswith("250 ") for ladung in ladungen)
    einladung.full_clean()


# Issue 19: the routes of Mitzeichnung and Freigabe ------------------------------------------------------------------


def test_the_demo_has_a_route_mid_way_one_released_and_the_seed_released_before_publication(demo_zugaenge, client):
    from mitzeichnung.models import Laufweg, Schritt

    seed = seed_vorlage()
    (laufweg,) = seed.laufwege.all()
    assert laufweg.status == Laufweg.Status.FREIGEGEBEN
    assert laufweg.beendet_am < seed.veroeffentlicht_am
    assert seed.freigegeben_am == laufweg.beendet_am
    assert seed.mitzeichnung == ""  # as printed on the original: nobody else co-signed it

    freigegeben = Vorlage.objects.get(titel__startswith="Beschaffung von zwei Hilfeleistungslöschfahrzeugen")
    assert freigegeben.status == Vorlage.Status.ENTWURF
    assert freigegeben.freigegeben_am is not None
    assert freigegeben.mitzeichnung == "Referat WFB: zugestimmt\nGrundsatzreferat KM: zugestimmt"

    unterwegs = Vorlage.objects.get(titel="Neukalkulation der Gebühren für Leistungen der Feuerwehr")
    (laufweg,) = unterwegs.laufwege.all()
    assert laufweg.status == Laufweg.Status.LAUFEND
    assert sorted((s.art, s.dienststelle.kurzname, s.status) for s in laufweg.schritte.all()) == [
        ("freigabe", "SOS", "wartet"),
        ("mitzeichnung", "KM", "offen"),
        ("mitzeichnung", "WFB", "zugestimmt"),
    ]
    assert unterwegs.freigegeben_am is None

    # The people of the Dienststellen log in with the demo password and find their task.
    assert client.login(username="amt-km", password="demo")
    (aufgabe,) = Schritt.objects.offen_fuer(get_user_model().objects.get(username="amt-km"))
    assert aufgabe.laufweg.vorlage == unterwegs
    assert client.get(reverse("mitzeichnung:aufgaben")).status_code == 200
