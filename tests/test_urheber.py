"""Authors (Urheber) of Anträge and Anfragen, the Anfrage's answer, and what the database holds of both (issue 20)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from gremien.models import Ausschuss
from tests.factories import (
    AusschussFactory,
    PersonFactory,
    UrheberFactory,
    VorlageFactory,
)
from tests.oparl_server import OparlServer
from tests.test_admin import admin_url, formulardaten, meldungen, neue_zeile
from tests.test_druck import einzeilig, pdf_bytes, pdftotext
from tests.test_oparl import (
    holen,
    pfad,
    url,
    validatoren,  # noqa: F401 (the schema validators, a fixture)
    validieren,
)
from tests.test_oparl_import import GREMIUM, importieren, kleines_system, papier
from tests.test_suche import suchen, treffer_text, trefferzahl
from vorlagen import services
from vorlagen.models import Urheber, Vorlage

pytestmark = pytest.mark.django_db

nur_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (see migration 0012)")


def fraktion(name, kurzname=""):
    return AusschussFactory(art=Ausschuss.Art.FRAKTION, name=name, kurzname=kurzname, slug=slugify(name)[:50])


def antrag(*urheber, **felder):
    """A published Antrag signed by ``urheber`` (Fraktionen and Persons) in this order."""
    vorlage = VorlageFactory(art=felder.pop("art", Vorlage.Art.ANTRAG), **felder)
    for reihenfolge, wer in enumerate(urheber, 1):
        if isinstance(wer, Ausschuss):
            UrheberFactory(vorlage=vorlage, reihenfolge=reihenfolge, fraktion=wer)
        else:
            UrheberFactory(vorlage=vorlage, reihenfolge=reihenfolge, fraktion=None, person=wer)
    return vorlage


@pytest.fixture
def spd():
    return fraktion("SPD-Gemeinderatsfraktion", "SPD")


@pytest.fixture
def muster():
    return PersonFactory(titel="Dr.", vorname="Maria", nachname="Musterfrau")


# The page and the PDF -----------------------------------------------------------------------------------------


def test_antrag_page_names_its_authors_in_order_linking_to_fraktion_and_person(client, spd, muster):
    gruene = fraktion("Fraktion Grüne", "Grüne")
    vorlage = antrag(spd, muster, gruene)

    text = client.get(vorlage.get_absolute_url()).content.decode()

    kopf = text[text.index('class="vorlage-urheber"') :]
    kopf = kopf[: kopf.index("</p>")]
    assert "Antragsteller:" in kopf
    assert kopf.index("SPD-Gemeinderatsfraktion") < kopf.index("Dr. Maria Musterfrau") < kopf.index("Fraktion Grüne")
    assert f'href="{spd.get_absolute_url()}"' in kopf
    assert f'href="{muster.get_absolute_url()}"' in kopf
    # The Dienststelle of an Antrag is the one in charge, not its author.
    assert f"zuständig: {vorlage.dienststelle.name}" in text


def test_a_beschlussvorlage_keeps_its_dienststelle_as_head(client):
    vorlage = VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE)

    text = client.get(vorlage.get_absolute_url()).content.decode()

    assert "vorlage-urheber" not in text
    assert f'<p class="vorlage-dienststelle">{vorlage.dienststelle.name}</p>' in text


def test_the_vorlage_page_reads_the_same_number_of_queries_for_1_and_5_authors(client, django_assert_num_queries):
    client.get(VorlageFactory().get_absolute_url())  # caches warm (site settings and the like)
    zaehlung = {}
    for anzahl in (1, 5):
        vorlage = antrag(*[PersonFactory() for _ in range(anzahl)], art=Vorlage.Art.ANFRAGE)
        VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=vorlage)
        with CaptureQueriesContext(connection) as abfragen:
            antwort = client.get(vorlage.get_absolute_url())
        assert antwort.status_code == 200
        assert antwort.content.decode().count('class="vorlage-beantwortet"') == 1
        zaehlung[anzahl] = len(abfragen)

    assert zaehlung[1] == zaehlung[5]
    vorlage = antrag(*[PersonFactory() for _ in range(5)], art=Vorlage.Art.ANFRAGE)
    with django_assert_num_queries(zaehlung[1]):
        client.get(vorlage.get_absolute_url())


def test_the_pdf_names_the_authors_in_order_and_the_answer(client, spd, muster):
    vorlage = antrag(spd, muster, art=Vorlage.Art.ANFRAGE, antwort_bis=datetime.date(2021, 12, 1))
    stellungnahme = VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=vorlage, datum=datetime.date(2021, 11, 30))

    text = einzeilig(pdftotext(pdf_bytes(client.get(reverse("druck:vorlage", kwargs={"kennung": vorlage.kennung})))))

    assert "Anfrage von: SPD-Gemeinderatsfraktion, Dr. Maria Musterfrau" in text
    assert "Antwort erbeten bis 01.12.2021" in text
    assert f"Beantwortet durch: {stellungnahme.bezeichnung} (30.11.2021)" in text
    text = einzeilig(
        pdftotext(pdf_bytes(client.get(reverse("druck:vorlage", kwargs={"kennung": stellungnahme.kennung}))))
    )
    assert f"Antwort auf: {vorlage.bezeichnung}" in text


# The answer ---------------------------------------------------------------------------------------------------


def test_anfrage_and_its_answer_link_each_other(client, spd):
    anfrage = antrag(spd, art=Vorlage.Art.ANFRAGE, antwort_bis=datetime.date(2021, 12, 1))
    antwort = VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=anfrage, datum=datetime.date(2021, 11, 30))

    text = client.get(anfrage.get_absolute_url()).content.decode()
    assert "Antwort erbeten bis" in text
    assert "überfällig" not in text
    assert f'Beantwortet durch: <a href="{antwort.get_absolute_url()}">{antwort.bezeichnung}</a> (' in text
    text = client.get(antwort.get_absolute_url()).content.decode()
    assert f'Antwort auf: <a href="{anfrage.get_absolute_url()}">{anfrage.bezeichnung}</a>' in text


def test_a_draft_answer_is_never_shown_and_the_anfrage_counts_as_overdue(client, spd):
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    anfrage = antrag(spd, art=Vorlage.Art.ANFRAGE, antwort_bis=gestern)
    entwurf = VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=anfrage, entwurf=True, titel="Geheime Antwort")

    text = client.get(anfrage.get_absolute_url()).content.decode()

    assert "überfällig" in text
    assert "Beantwortet durch" not in text
    assert entwurf.get_absolute_url() not in text


def test_a_hidden_anfrage_is_not_named_on_its_public_answer(client, spd):
    anfrage = antrag(spd, art=Vorlage.Art.ANFRAGE, oeffentlich=False, titel="Nichtöffentliche Anfrage")
    antwort = VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, anfrage=anfrage)

    text = client.get(antwort.get_absolute_url()).content.decode()

    assert "Antwort auf:" not in text
    assert "Nichtöffentliche Anfrage" not in text


def test_an_anfrage_due_in_the_future_is_not_overdue(client, spd):
    anfrage = antrag(spd, art=Vorlage.Art.ANFRAGE, antwort_bis=timezone.localdate() + datetime.timedelta(days=3))

    assert "überfällig" not in client.get(anfrage.get_absolute_url()).content.decode()


def test_vorliegende_and_erledigte_antraege_link_to_their_pages_only_when_visible(client, spd):
    vorlage = VorlageFactory()
    sichtbar = antrag(spd, titel="Sichtbarer Antrag")
    entwurf = VorlageFactory(art=Vorlage.Art.ANTRAG, entwurf=True, titel="Antrag im Entwurf")
    vorlage.vorliegende_antraege.add(sichtbar, entwurf)
    vorlage.erledigte_antraege.add(sichtbar)

    text = client.get(vorlage.get_absolute_url()).content.decode()

    assert text.count(f'<a href="{sichtbar.get_absolute_url()}">') == 2
    assert "Antrag im Entwurf" not in text


# Services and the database ------------------------------------------------------------------------------------


def test_publishing_an_antrag_without_authors_is_refused_in_german():
    vorlage = VorlageFactory(art=Vorlage.Art.ANTRAG, entwurf=True)

    with pytest.raises(Exception) as fehler:
        services.vorlage_veroeffentlichen(vorlage=vorlage)

    assert "Ein Antrag braucht mindestens eine Antragstellerin oder einen Antragsteller" in str(fehler.value)
    vorlage.refresh_from_db()
    assert vorlage.status == Vorlage.Status.ENTWURF


def test_publishing_an_antrag_with_an_author_works(spd):
    vorlage = VorlageFactory(art=Vorlage.Art.ANTRAG, entwurf=True)
    services.urheber_setzen(vorlage=vorlage, urheber=[spd])

    services.vorlage_veroeffentlichen(vorlage=vorlage)

    assert Vorlage.objects.get(pk=vorlage.pk).status == Vorlage.Status.VEROEFFENTLICHT


def test_urheber_setzen_keeps_the_order_and_replaces_without_gap(spd, muster):
    vorlage = antrag(spd)
    andere = PersonFactory()

    services.urheber_setzen(vorlage=vorlage, urheber=[muster, andere, spd])
    assert [str(u) for u in vorlage.urheber.order_by("reihenfolge")] == [muster.name, andere.name, spd.name]
    services.urheber_setzen(vorlage=vorlage, urheber=[andere])
    assert [str(u) for u in vorlage.urheber.all()] == [andere.name]


def test_the_database_refuses_an_author_on_a_beschlussvorlage(spd):
    vorlage = VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE)

    with pytest.raises(IntegrityError), transaction.atomic():
        Urheber.objects.create(vorlage=vorlage, fraktion=spd)


def test_the_database_refuses_to_turn_an_antrag_with_authors_into_another_art(spd):
    vorlage = antrag(spd)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vorlage.objects.filter(pk=vorlage.pk).update(art=Vorlage.Art.BESCHLUSSVORLAGE)


def test_the_database_refuses_an_answer_to_a_beschlussvorlage():
    grdrs = VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE)
    stellungnahme = VorlageFactory(art=Vorlage.Art.STELLUNGNAHME)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vorlage.objects.filter(pk=stellungnahme.pk).update(anfrage=grdrs)


def test_the_database_refuses_antwort_bis_and_anfrage_on_the_wrong_art(spd):
    grdrs = VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE)
    anfrage = antrag(spd, art=Vorlage.Art.ANFRAGE)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vorlage.objects.filter(pk=grdrs.pk).update(antwort_bis=datetime.date(2021, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Vorlage.objects.filter(pk=grdrs.pk).update(anfrage=anfrage)


@nur_postgresql
def test_postgresql_refuses_deleting_the_last_author_of_a_published_antrag(spd, muster):
    vorlage = antrag(spd, muster)
    Urheber.objects.filter(vorlage=vorlage, person=muster).delete()

    with pytest.raises(IntegrityError), transaction.atomic():
        Urheber.objects.filter(vorlage=vorlage).delete()
        # Checked at commit (deleting a whole paper with its Urheber passes); here at once.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS vorlagen_letzter_urheber IMMEDIATE")


@nur_postgresql
def test_postgresql_lets_a_draft_lose_its_authors(spd):
    vorlage = antrag(spd, entwurf=True)

    with transaction.atomic():
        Urheber.objects.filter(vorlage=vorlage).delete()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS vorlagen_letzter_urheber IMMEDIATE")

    assert not vorlage.urheber.exists()


# Search -------------------------------------------------------------------------------------------------------


def test_the_search_finds_an_antrag_by_its_fraktion_and_by_a_signatory(client, spd, muster):
    vorlage = antrag(spd, muster, titel="Mehr Trinkbrunnen in der Innenstadt", bericht="Ohne Namen.")
    VorlageFactory(titel="Haushalt ohne Antragsteller")

    for begriff in ("SPD", "Musterfrau", "Gemeinderatsfraktion"):
        antwort = suchen(client, q=begriff)
        assert trefferzahl(antwort) == 1, begriff
        assert vorlage.get_absolute_url() in treffer_text(antwort)


def test_the_search_follows_a_renamed_fraktion_and_removed_authors(client, spd, muster):
    vorlage = antrag(spd, muster, titel="Trinkbrunnen", bericht="Ohne Namen.")

    spd.name = "Sozialdemokratische Fraktion"
    spd.save()
    assert trefferzahl(suchen(client, q="Sozialdemokratische")) == 1
    services.urheber_setzen(vorlage=vorlage, urheber=[spd])
    assert not trefferzahl(suchen(client, q="Musterfrau"))
    assert vorlage.get_absolute_url() not in treffer_text(suchen(client, q="Musterfrau"))


# The admin ----------------------------------------------------------------------------------------------------

URHEBER = "urheber"  # the inline's prefix


def test_clerks_enter_the_authors_of_an_antrag_in_order_and_publish_it(sachbearbeitung_client, spd, muster):
    vorlage = VorlageFactory(art=Vorlage.Art.ANTRAG, entwurf=True)
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"_veroeffentlichen": "1"}
    neue_zeile(daten, URHEBER, reihenfolge="1", person=str(muster.pk))
    neue_zeile(daten, URHEBER, reihenfolge="2", fraktion=str(spd.pk))

    antwort = sachbearbeitung_client.post(url, daten, follow=True)

    assert meldungen(antwort) == [f"{vorlage.bezeichnung} ist gespeichert und veröffentlicht."]
    assert [str(u) for u in vorlage.urheber.all()] == [muster.name, spd.name]


def test_publishing_an_antrag_without_authors_in_the_admin_says_why(sachbearbeitung_client):
    vorlage = VorlageFactory(art=Vorlage.Art.ANTRAG, entwurf=True)
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"_veroeffentlichen": "1"}

    antwort = sachbearbeitung_client.post(url, daten, follow=True)

    (meldung,) = meldungen(antwort)
    assert "nicht veröffentlicht: Ein Antrag braucht mindestens eine Antragstellerin" in meldung
    assert Vorlage.objects.get(pk=vorlage.pk).status == Vorlage.Status.ENTWURF


def test_the_admin_refuses_authors_on_a_beschlussvorlage(sachbearbeitung_client, spd):
    vorlage = VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE, entwurf=True)
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(daten, URHEBER, reihenfolge="1", fraktion=str(spd.pk))

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "Antragstellerinnen und Antragsteller gibt es nur bei Anträgen und Anfragen." in antwort.content.decode()
    assert not Urheber.objects.exists()


def test_the_admin_refuses_to_remove_the_last_author_of_a_published_antrag(sachbearbeitung_client, spd):
    vorlage = antrag(spd)
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {f"{URHEBER}-0-DELETE": "on"}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "behält mindestens eine Antragstellerin oder einen Antragsteller" in antwort.content.decode()
    assert vorlage.urheber.count() == 1


def test_the_admin_refuses_antwort_bis_and_anfrage_on_the_wrong_art(sachbearbeitung_client, spd):
    vorlage = VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE, entwurf=True)
    grdrs = VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE)
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"antwort_bis": "01.12.2021", "anfrage": str(grdrs.pk)}

    text = sachbearbeitung_client.post(url, daten).content.decode()

    assert "„Antwort erbeten bis“ gibt es nur bei einer Anfrage." in text
    assert "Nur eine Stellungnahme beantwortet eine Anfrage oder einen Antrag" in text
    stellungnahme = VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, entwurf=True)
    url = admin_url(Vorlage, "change", stellungnahme.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"anfrage": str(grdrs.pk)}
    text = sachbearbeitung_client.post(url, daten).content.decode()
    assert "Eine Stellungnahme beantwortet eine Anfrage oder einen Antrag, keine andere Vorlage." in text


def test_the_admin_links_a_stellungnahme_to_its_anfrage(sachbearbeitung_client, spd):
    anfrage = antrag(spd, art=Vorlage.Art.ANFRAGE)
    stellungnahme = VorlageFactory(art=Vorlage.Art.STELLUNGNAHME, entwurf=True)
    url = admin_url(Vorlage, "change", stellungnahme.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"anfrage": str(anfrage.pk)}

    assert sachbearbeitung_client.post(url, daten).status_code == 302
    assert Vorlage.objects.get(pk=stellungnahme.pk).anfrage == anfrage


def test_the_autocompletes_offer_only_fraktionen_and_only_anfragen_and_antraege(sachbearbeitung_client, spd):
    AusschussFactory(name="Ausschuss für Umwelt", art=Ausschuss.Art.AUSSCHUSS)
    anfrage = antrag(spd, art=Vorlage.Art.ANFRAGE)
    VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE)

    def ergebnisse(model_name, feld):
        antwort = sachbearbeitung_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "vorlagen", "model_name": model_name, "field_name": feld, "term": ""},
        )
        return [eintrag["id"] for eintrag in antwort.json()["results"]]

    assert ergebnisse("urheber", "fraktion") == [str(spd.pk)]
    assert ergebnisse("vorlage", "anfrage") == [str(anfrage.pk)]


# OParl: our Paper and the importer -----------------------------------------------------------------------------


def test_oparl_paper_names_originators_in_order_and_keeps_the_dienststelle(client, validatoren, spd, muster):  # noqa: F811
    andere = PersonFactory()
    vorlage = antrag(andere, spd, muster)

    paper = holen(client, url("paper", pk=vorlage.pk))

    validieren(validatoren, paper)
    assert [pfad(p) for p in paper["originatorPerson"]] == [url("person", pk=andere.pk), url("person", pk=muster.pk)]
    assert [pfad(o) for o in paper["originatorOrganization"]] == [url("organization", pk=spd.pk)]
    assert [pfad(o) for o in paper["underDirectionOf"]] == [url("verwaltungsbereich", pk=vorlage.dienststelle_id)]
    organisation = holen(client, paper["originatorOrganization"][0])
    assert organisation["organizationType"] == "Fraktion"
    verwaltung = holen(client, url("paper", pk=VorlageFactory().pk))
    assert not verwaltung.get("originatorPerson") and not verwaltung.get("originatorOrganization")


@pytest.fixture
def server():
    with OparlServer() as server:
        yield server


def oparl_person(n, vorname, nachname):
    return {
        "id": f"BASIS/person/{n}",
        "type": "https://schema.oparl.org/1.1/Person",
        "name": f"{vorname} {nachname}",
        "givenName": vorname,
        "familyName": nachname,
        "modified": "2021-01-01T10:00:00+01:00",
    }


def test_the_importer_maps_originators_in_order_and_skips_what_it_does_not_know(server):
    organisationen = [
        GREMIUM,
        GREMIUM
        | {"id": "BASIS/organization/2", "name": "SPD-Fraktion", "shortName": "SPD", "organizationType": "Fraktion"},
    ]
    personen = [oparl_person(1, "Maria", "Muster"), oparl_person(2, "Hans", "Beispiel")]
    papiere = [
        papier(
            1,
            paperType="Antrag",
            originatorPerson=["BASIS/person/2", "BASIS/person/1", "BASIS/person/77"],
            originatorOrganization=["BASIS/organization/2", "BASIS/organization/1", "BASIS/organization/99"],
        ),
        papier(2, paperType="Beschlussvorlage", originatorOrganization=["BASIS/organization/2"]),
        papier(3, paperType="Anfrage"),
    ]
    adresse = kleines_system(server, papiere=papiere, organisationen=organisationen, personen=personen)

    bericht = importieren(adresse)

    antrag_ = Vorlage.objects.get(art=Vorlage.Art.ANTRAG)
    assert [str(u) for u in antrag_.urheber.all()] == ["Hans Beispiel", "Maria Muster", "SPD-Fraktion"]
    assert bericht.gruende["Urheber"] == {
        "Person nicht importiert": 1,
        "Organisation nicht importiert": 1,
        "Organisation ist keine Fraktion": 1,
    }
    assert not Urheber.objects.exclude(vorlage=antrag_).exists()
    # An imported Antrag or Anfrage without originators is imported all the same (the source decides).
    assert Vorlage.objects.get(art=Vorlage.Art.ANFRAGE).status == Vorlage.Status.VEROEFFENTLICHT

    importieren(adresse)
    assert Urheber.objects.count() == 3


# Demo data ----------------------------------------------------------------------------------------------------


def test_demo_antraege_and_anfragen_have_their_authors_and_one_anfrage_is_answered_one_overdue(demodaten, client):
    papiere = Vorlage.objects.filter(art__in=[Vorlage.Art.ANTRAG, Vorlage.Art.ANFRAGE]).veroeffentlicht()
    assert papiere.exists()
    assert not papiere.filter(urheber=None).exists()
    trinkbrunnen = Vorlage.objects.get(titel__startswith="Mehr öffentliche Trinkbrunnen")
    assert [str(u) for u in trinkbrunnen.urheber.all()][:2] == [
        "Gemeinderatsfraktion Bündnis 90/Die Grünen",
        "Lena Brenner",
    ]
    assert trinkbrunnen.stellungnahmen.get().art == Vorlage.Art.STELLUNGNAHME
    beantwortet = Vorlage.objects.get(art=Vorlage.Art.ANFRAGE, stellungnahmen__isnull=False)
    assert beantwortet.antwort_bis is not None
    text = client.get(beantwortet.get_absolute_url()).content.decode()
    assert "Beantwortet durch:" in text and "überfällig" not in text
    offen = Vorlage.objects.get(art=Vorlage.Art.ANFRAGE, stellungnahmen=None, antwort_bis__isnull=False)
    assert "überfällig" in client.get(offen.get_absolute_url()).content.decode()
