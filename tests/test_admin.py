"""The clerks' admin: every page opens, the actions call the services, integrity shows as messages, not errors."""

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ratsinfo.models import Aenderung
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from sitzungen.services import beratungsfolge_abgleichen
from tests import factories
from tests.factories import (
    AenderungFactory,
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db

REGISTRIERT = sorted(admin.site._registry.values(), key=lambda model_admin: model_admin.model._meta.label)

AUTOCOMPLETE = sorted(
    {
        (quelle.model._meta.label, feld)
        for model_admin in REGISTRIERT
        for quelle in [model_admin, *model_admin.inlines]
        for feld in quelle.autocomplete_fields
    }
)


def admin_url(model, ansicht, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{ansicht}", args=args)


def zeit(*teile):
    return timezone.make_aware(datetime.datetime(*teile))


def _als_text(wert):
    if wert is None:
        return ""
    if isinstance(wert, models.Model):
        return str(wert.pk)
    if isinstance(wert, datetime.date | datetime.time):
        return wert.isoformat()
    return str(wert)


def formulardaten(antwort):
    """What a browser sends back for the admin form on this page: the form, each inline and its management form."""
    formulare = [antwort.context["adminform"].form]
    for inline in antwort.context["inline_admin_formsets"]:
        formulare += [inline.formset.management_form, *inline.formset.forms]
    daten = {}
    for formular in formulare:
        for feld in formular:
            widget = getattr(feld.field.widget, "widget", feld.field.widget)  # unwrap RelatedFieldWidgetWrapper
            wert = feld.value()
            if isinstance(feld.field, forms.FileField):
                continue
            if isinstance(widget, forms.MultiWidget):
                for i, teil in enumerate(widget.decompress(wert)):
                    daten[f"{feld.html_name}_{i}"] = _als_text(teil)
            elif isinstance(widget, forms.CheckboxInput):
                if wert:
                    daten[feld.html_name] = "on"
            elif isinstance(feld.field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                daten[feld.html_name] = [_als_text(w) for w in wert or []]
            else:
                daten[feld.html_name] = _als_text(wert)
    return daten


def neue_zeile(daten, prefix, **felder):
    """Add a row to an inline, as "Weitere … hinzufügen" does in the browser."""
    nummer = int(daten[f"{prefix}-TOTAL_FORMS"])
    for name, wert in felder.items():
        if wert is not False:
            daten[f"{prefix}-{nummer}-{name}"] = "on" if wert is True else wert
    daten[f"{prefix}-TOTAL_FORMS"] = str(nummer + 1)
    return nummer


def meldungen(antwort):
    return [str(meldung) for meldung in antwort.context["messages"]]


@pytest.fixture
def beispiel(db):
    """A Vorlage with an Anlage, on the agenda of a Sitzung, so every inline has a row."""
    vorlage = VorlageFactory(nummer=952, titel="20 Jahre Stuttgarter Bündnis für Integration")
    AnlageFactory(vorlage=vorlage)
    top = TagesordnungspunktFactory(sitzung=SitzungFactory())
    top.vorlagen.add(vorlage)
    beratungsfolge_abgleichen(sitzung=top.sitzung)
    AenderungFactory(objekt=vorlage)
    return vorlage


# Every registered model ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model_admin", REGISTRIERT, ids=lambda model_admin: model_admin.model._meta.label)
def test_every_admin_page_opens_for_a_superuser(admin_client, admin_user, rf, beispiel, model_admin):
    model = model_admin.model
    objekt = model._default_manager.order_by("pk").first()
    if objekt is None:
        factory = getattr(factories, f"{model.__name__}Factory", None)
        assert factory, f"tests/factories.py braucht eine {model.__name__}Factory für den Admin-Test."
        objekt = factory()
    anfrage = rf.get("/")
    anfrage.user = admin_user

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    hinzufuegen = admin_client.get(admin_url(model, "add")).status_code
    assert hinzufuegen == (200 if model_admin.has_add_permission(anfrage) else 403)
    assert admin_client.get(admin_url(model, "change", objekt.pk)).status_code == 200


@pytest.mark.parametrize("model_admin", REGISTRIERT, ids=lambda model_admin: model_admin.model._meta.label)
def test_changelists_run_a_fixed_number_of_queries(admin_client, model_admin):
    model = model_admin.model
    factory = getattr(factories, f"{model.__name__}Factory")
    url = admin_url(model, "changelist")

    def abfragen():
        with CaptureQueriesContext(connection) as erfasst:
            assert admin_client.get(url).status_code == 200
        return len(erfasst)

    factory()
    bei_einer_zeile = abfragen()
    factory.create_batch(4)
    assert abfragen() == bei_einer_zeile


@pytest.mark.parametrize(
    "model_admin",
    [model_admin for model_admin in REGISTRIERT if model_admin.model._meta.app_label in {"vorlagen", "sitzungen"}],
    ids=lambda model_admin: model_admin.model._meta.label,
)
def test_clerks_open_the_pages_of_their_apps(sachbearbeitung_client, sachbearbeitung, rf, beispiel, model_admin):
    model = model_admin.model
    anfrage = rf.get("/")
    anfrage.user = sachbearbeitung

    assert sachbearbeitung_client.get(admin_url(model, "changelist")).status_code == 200
    hinzufuegen = sachbearbeitung_client.get(admin_url(model, "add")).status_code
    assert hinzufuegen == (200 if model_admin.has_add_permission(anfrage) else 403)
    objekt = model._default_manager.order_by("pk").first()
    assert sachbearbeitung_client.get(admin_url(model, "change", objekt.pk)).status_code == 200


@pytest.mark.parametrize(("quelle", "feld"), AUTOCOMPLETE, ids=[f"{q}.{f}" for q, f in AUTOCOMPLETE])
def test_autocomplete_fields_answer(sachbearbeitung_client, beispiel, quelle, feld):
    app_label, model_name = quelle.lower().split(".")
    antwort = sachbearbeitung_client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": feld, "term": ""},
    )
    assert antwort.status_code == 200
    assert antwort.json()["results"]


# Vorlagen --------------------------------------------------------------------------------------------------------


def test_vorlage_change_form_is_laid_out_like_the_paper(sachbearbeitung_client, beispiel):
    antwort = sachbearbeitung_client.get(admin_url(Vorlage, "change", beispiel.pk))
    abschnitte = [fieldset.name for fieldset in antwort.context["adminform"]]
    assert abschnitte == ["Kopf", "Text", "Mitzeichnung und Bezüge", "Unterzeichnung", "Status"]
    inlines = [inline.formset.model for inline in antwort.context["inline_admin_formsets"]]
    assert inlines[:2] == [Beratung, beispiel.anlagen.model]


def test_vorlage_status_is_not_editable_in_the_form(sachbearbeitung_client):
    vorlage = VorlageFactory(entwurf=True)
    url = admin_url(Vorlage, "change", vorlage.pk)
    antwort = sachbearbeitung_client.get(url)
    assert "status" not in antwort.context["adminform"].form.fields
    daten = formulardaten(antwort) | {"status": Vorlage.Status.VEROEFFENTLICHT, "titel": "Neuer Titel"}

    assert sachbearbeitung_client.post(url, daten).status_code == 302
    vorlage.refresh_from_db()
    assert (vorlage.titel, vorlage.status) == ("Neuer Titel", Vorlage.Status.ENTWURF)
    assert LogEntry.objects.filter(object_id=str(vorlage.pk), action_flag=2).exists()


def test_publish_action_publishes_drafts_and_reports_failures(sachbearbeitung_client, sachbearbeitung):
    entwuerfe = VorlageFactory.create_batch(2, entwurf=True)
    unvollstaendig = VorlageFactory(entwurf=True, titel="")

    antwort = sachbearbeitung_client.post(
        admin_url(Vorlage, "changelist"),
        {"action": "veroeffentlichen", ACTION_CHECKBOX_NAME: [v.pk for v in [*entwuerfe, unvollstaendig]]},
        follow=True,
    )

    assert antwort.status_code == 200
    for vorlage in entwuerfe:
        vorlage.refresh_from_db()
        assert vorlage.status == Vorlage.Status.VEROEFFENTLICHT
        assert vorlage.veroeffentlicht_am is not None
        assert LogEntry.objects.filter(object_id=str(vorlage.pk), user=sachbearbeitung).exists()
    unvollstaendig.refresh_from_db()
    assert unvollstaendig.status == Vorlage.Status.ENTWURF
    erfolg, fehler = meldungen(antwort)
    assert erfolg == "2 Vorlagen veröffentlicht."
    assert fehler.startswith(f"1 Vorlage nicht veröffentlicht: {unvollstaendig.bezeichnung}: Titel:")


def test_withdraw_action_withdraws_published_and_refuses_drafts(sachbearbeitung_client):
    veroeffentlicht = VorlageFactory()
    entwurf = VorlageFactory(entwurf=True)

    antwort = sachbearbeitung_client.post(
        admin_url(Vorlage, "changelist"),
        {"action": "zurueckziehen", ACTION_CHECKBOX_NAME: [veroeffentlicht.pk, entwurf.pk]},
        follow=True,
    )

    veroeffentlicht.refresh_from_db()
    entwurf.refresh_from_db()
    assert veroeffentlicht.status == Vorlage.Status.ZURUECKGEZOGEN
    assert entwurf.status == Vorlage.Status.ENTWURF
    assert meldungen(antwort) == [
        "1 Vorlage zurückgezogen.",
        f"1 Vorlage nicht zurückgezogen: {entwurf.bezeichnung}: Ein Entwurf kann nicht zurückgezogen werden; "
        "er ist nicht veröffentlicht.",
    ]


def test_drafts_can_be_deleted(sachbearbeitung_client):
    entwurf = VorlageFactory(entwurf=True)
    BeratungFactory(vorlage=entwurf)
    url = admin_url(Vorlage, "delete", entwurf.pk)

    assert sachbearbeitung_client.get(url).status_code == 200
    assert sachbearbeitung_client.post(url, {"post": "yes"}).status_code == 302
    assert not Vorlage.objects.filter(pk=entwurf.pk).exists()


@pytest.mark.parametrize("status", [Vorlage.Status.VEROEFFENTLICHT, Vorlage.Status.ZURUECKGEZOGEN])
def test_published_vorlagen_cannot_be_deleted(sachbearbeitung_client, status):
    vorlage = VorlageFactory(status=status)

    aenderung = sachbearbeitung_client.get(admin_url(Vorlage, "change", vorlage.pk))
    assert aenderung.context["has_delete_permission"] is False
    assert sachbearbeitung_client.get(admin_url(Vorlage, "delete", vorlage.pk)).status_code == 403
    assert sachbearbeitung_client.post(admin_url(Vorlage, "delete", vorlage.pk), {"post": "yes"}).status_code == 403
    assert Vorlage.objects.filter(pk=vorlage.pk).exists()


def test_bulk_delete_names_published_vorlagen_and_deletes_nothing(sachbearbeitung_client):
    veroeffentlicht = VorlageFactory()
    entwurf = VorlageFactory(entwurf=True)
    daten = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [veroeffentlicht.pk, entwurf.pk]}

    bestaetigung = sachbearbeitung_client.post(admin_url(Vorlage, "changelist"), daten)
    sachbearbeitung_client.post(admin_url(Vorlage, "changelist"), daten | {"post": "yes"})

    assert bestaetigung.status_code == 200
    assert (
        f"{veroeffentlicht} ist veröffentlicht und kann nur zurückgezogen werden." in bestaetigung.context["protected"]
    )
    assert Vorlage.objects.filter(pk__in=[veroeffentlicht.pk, entwurf.pk]).count() == 2


def _neue_vorlage(client, **felder):
    url = admin_url(Vorlage, "add")
    daten = formulardaten(client.get(url))
    daten.update(
        art=Vorlage.Art.BESCHLUSSVORLAGE,
        nummer="952",
        jahr="2021",
        datum="2021-11-09",
        titel="Eine neue Vorlage",
        dienststelle=str(factories.DienststelleFactory().pk),
    )
    daten.update(felder)
    return client.post(url, daten)


def test_new_vorlage_is_saved_as_draft(sachbearbeitung_client):
    assert _neue_vorlage(sachbearbeitung_client).status_code == 302
    vorlage = Vorlage.objects.get()
    assert (vorlage.bezeichnung, vorlage.kennung, vorlage.status) == ("GRDrs 952/2021", "grdrs-952-2021", "entwurf")


@pytest.mark.parametrize(
    ("art", "zusatz", "meldung"),
    [
        (Vorlage.Art.BESCHLUSSVORLAGE, "", "Diese Nummer ist in diesem Jahr schon vergeben."),
        # Mitteilungs- and Beschlussvorlagen share the GRDrs numbers.
        (Vorlage.Art.MITTEILUNGSVORLAGE, "", "Diese Nummer ist in diesem Jahr schon vergeben."),
        # A different spelling of the same Zusatz would give the same address.
        (Vorlage.Art.BESCHLUSSVORLAGE, "neufassung", "Eine Vorlage mit dieser Nummer gibt es schon."),
    ],
)
def test_duplicate_number_is_refused_with_a_message(sachbearbeitung_client, art, zusatz, meldung):
    VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE, nummer=952, jahr=2021, zusatz="Neufassung" if zusatz else "")

    antwort = _neue_vorlage(sachbearbeitung_client, art=art, zusatz=zusatz)

    assert antwort.status_code == 200
    assert antwort.context["adminform"].form.non_field_errors() == [meldung]
    assert meldung in antwort.content.decode()
    assert Vorlage.objects.count() == 1


def test_same_number_in_another_series_is_accepted(sachbearbeitung_client):
    VorlageFactory(art=Vorlage.Art.BESCHLUSSVORLAGE, nummer=952, jahr=2021)

    assert _neue_vorlage(sachbearbeitung_client, art=Vorlage.Art.ANTRAG).status_code == 302
    assert _neue_vorlage(sachbearbeitung_client, zusatz="Ergänzung").status_code == 302
    assert Vorlage.objects.count() == 3


def test_number_of_a_published_vorlage_cannot_be_changed(sachbearbeitung_client):
    vorlage = VorlageFactory(nummer=952)
    url = admin_url(Vorlage, "change", vorlage.pk)

    antwort = sachbearbeitung_client.post(url, formulardaten(sachbearbeitung_client.get(url)) | {"nummer": "953"})

    assert antwort.status_code == 200
    assert antwort.context["adminform"].form.non_field_errors() == [
        "Die Nummer einer veröffentlichten Vorlage kann nicht mehr geändert werden."
    ]
    vorlage.refresh_from_db()
    assert vorlage.nummer == 952


def test_anlage_links_to_the_download_view_not_to_the_storage(sachbearbeitung_client):
    anlage = AnlageFactory()

    antwort = sachbearbeitung_client.get(admin_url(Vorlage, "change", anlage.vorlage.pk))

    assert f'href="{anlage.get_absolute_url()}"' in antwort.content.decode()
    assert "/media/" not in antwort.content.decode()


def test_beratungsfolge_is_edited_on_the_vorlage(sachbearbeitung_client):
    vorlage = VorlageFactory()
    ausschuss = AusschussFactory()
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(
        daten,
        "beratungen",
        ausschuss=str(ausschuss.pk),
        rolle=Beratung.Rolle.BESCHLUSSFASSUNG,
        oeffentlich=True,
        termin="2021-12-16",
        reihenfolge="1",
    )

    assert sachbearbeitung_client.post(url, daten).status_code == 302
    beratung = vorlage.beratungen.get()
    assert (beratung.ausschuss, beratung.rolle, beratung.termin) == (
        ausschuss,
        Beratung.Rolle.BESCHLUSSFASSUNG,
        datetime.date(2021, 12, 16),
    )


def test_moving_a_beratung_that_is_on_an_agenda_is_refused_with_a_message(sachbearbeitung_client):
    vorlage = VorlageFactory()
    top = TagesordnungspunktFactory(nummer="3")
    top.vorlagen.add(vorlage)
    beratungsfolge_abgleichen(sitzung=top.sitzung)
    andere_sitzung = SitzungFactory(ausschuss=top.sitzung.ausschuss)
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"beratungen-0-sitzung": str(andere_sitzung.pk)}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    fehler = antwort.context["inline_admin_formsets"][0].formset.errors[0]["sitzung"]
    assert fehler[0].startswith("Diese Beratung steht als Ö 3 auf der Tagesordnung der Sitzung.")
    assert vorlage.beratungen.get().sitzung == top.sitzung


def test_vorlage_changelist_searches_and_filters(sachbearbeitung_client):
    gesucht = VorlageFactory(nummer=952, titel="20 Jahre Stuttgarter Bündnis für Integration", aktenzeichen="SI 1")
    antrag = VorlageFactory(art=Vorlage.Art.ANTRAG, nummer=952, entwurf=True, bericht="Integration im Quartier")
    anderes_jahr = VorlageFactory(jahr=2020, datum=datetime.date(2020, 3, 1))
    beratung = BeratungFactory(vorlage=gesucht)
    BeratungFactory(vorlage=antrag)  # a second Ausschuss: Django hides a filter with a single choice
    url = admin_url(Vorlage, "changelist")

    def gefunden(**parameter):
        antwort = sachbearbeitung_client.get(url, parameter)
        assert antwort.status_code == 200
        return set(antwort.context["cl"].result_list)

    assert gefunden(q="Bündnis") == {gesucht}
    assert gefunden(q="Integration") == {gesucht, antrag}
    assert gefunden(q="952") == {gesucht, antrag}
    assert gefunden(q="SI 1") == {gesucht}
    assert gefunden(q="952/2021") == {gesucht, antrag}
    assert gefunden(q="GRDrs 952/2021") == {gesucht}
    assert gefunden(q="antrag 952/2021") == {antrag}
    assert gefunden(beratungen__ausschuss__id__exact=beratung.ausschuss_id) == {gesucht}
    assert gefunden(art__exact=Vorlage.Art.ANTRAG) == {antrag}
    assert gefunden(status__exact=Vorlage.Status.ENTWURF) == {antrag}
    assert gefunden(jahr="2020") == {anderes_jahr}
    assert gefunden(dienststelle__id__exact=gesucht.dienststelle_id) == {gesucht}
    assert gefunden(datum__year="2021") == {gesucht, antrag}


# Sitzungen -------------------------------------------------------------------------------------------------------


def _sitzung_seite(client, sitzung=None):
    url = admin_url(Sitzung, "change", sitzung.pk) if sitzung else admin_url(Sitzung, "add")
    return url, formulardaten(client.get(url))


def test_sitzung_ending_before_it_begins_is_refused(sachbearbeitung_client):
    sitzung = SitzungFactory(beginn=zeit(2021, 11, 24, 16), ende=zeit(2021, 11, 24, 18))
    url, daten = _sitzung_seite(sachbearbeitung_client, sitzung)
    daten.update({"ende_0": "2021-11-24", "ende_1": "15:00:00"})

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert antwort.context["adminform"].form.non_field_errors() == [
        "Das Ende einer Sitzung muss nach ihrem Beginn liegen."
    ]
    sitzung.refresh_from_db()
    assert sitzung.ende == zeit(2021, 11, 24, 18)


def test_new_sitzung_with_agenda_is_saved(sachbearbeitung_client):
    ausschuss = AusschussFactory()
    url, daten = _sitzung_seite(sachbearbeitung_client)
    daten.update(
        {"ausschuss": str(ausschuss.pk), "beginn_0": "2021-11-24", "beginn_1": "16:00", "status": "geplant"},
        oeffentlich="on",
    )
    neue_zeile(daten, "tagesordnungspunkte", reihenfolge="1", nummer="1", oeffentlich=True, titel="Begrüßung")
    neue_zeile(daten, "tagesordnungspunkte", reihenfolge="1", nummer="1", oeffentlich=False, titel="Grundstück")

    assert sachbearbeitung_client.post(url, daten).status_code == 302
    sitzung = Sitzung.objects.get()
    assert [top.bezeichnung for top in sitzung.tagesordnungspunkte.all()] == ["Ö 1", "N 1"]


def test_duplicate_top_number_in_the_inline_is_refused_with_a_message(sachbearbeitung_client):
    sitzung = SitzungFactory()
    url, daten = _sitzung_seite(sachbearbeitung_client, sitzung)
    neue_zeile(daten, "tagesordnungspunkte", reihenfolge="1", nummer="1", oeffentlich=True, titel="Erster")
    neue_zeile(daten, "tagesordnungspunkte", reihenfolge="2", nummer="1", oeffentlich=True, titel="Zweiter")

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    formset = antwort.context["inline_admin_formsets"][0].formset
    assert formset.errors[0] == {}
    assert formset.errors[1]
    assert formset.non_form_errors() == ["Diese TOP-Nummer gibt es in dieser Sitzung schon."]
    assert not sitzung.tagesordnungspunkte.exists()


def test_top_number_already_on_the_agenda_is_refused_with_a_message(sachbearbeitung_client):
    sitzung = SitzungFactory()
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1")
    url, daten = _sitzung_seite(sachbearbeitung_client, sitzung)
    neue_zeile(daten, "tagesordnungspunkte", reihenfolge="2", nummer="1", oeffentlich=True, titel="Noch einer")

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "Diese TOP-Nummer gibt es in dieser Sitzung schon." in antwort.content.decode()
    assert sitzung.tagesordnungspunkte.count() == 1


def test_public_top_in_a_new_non_public_sitzung_is_refused(sachbearbeitung_client):
    url, daten = _sitzung_seite(sachbearbeitung_client)
    daten.update({"ausschuss": str(AusschussFactory().pk), "beginn_0": "2021-11-24", "beginn_1": "16:00"})
    daten.pop("oeffentlich", None)
    neue_zeile(daten, "tagesordnungspunkte", reihenfolge="1", nummer="1", oeffentlich=True, titel="Öffentlich")

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert antwort.context["inline_admin_formsets"][0].formset.errors == [
        {"oeffentlich": ["In einer nichtöffentlichen Sitzung gibt es keine öffentlichen Punkte."]}
    ]
    assert not Sitzung.objects.exists()


def test_making_a_sitzung_with_public_tops_non_public_is_refused(sachbearbeitung_client):
    sitzung = SitzungFactory()
    TagesordnungspunktFactory(sitzung=sitzung, oeffentlich=True)
    url, daten = _sitzung_seite(sachbearbeitung_client, sitzung)
    del daten["oeffentlich"]

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "In einer nichtöffentlichen Sitzung gibt es keine öffentlichen Punkte." in antwort.content.decode()
    sitzung.refresh_from_db()
    assert sitzung.oeffentlich


def test_saving_the_agenda_links_the_planned_beratung(sachbearbeitung_client):
    sitzung = SitzungFactory(beginn=zeit(2021, 11, 24, 16), ende=None)
    geplant = BeratungFactory(ausschuss=sitzung.ausschuss, termin=datetime.date(2021, 11, 24))
    url, daten = _sitzung_seite(sachbearbeitung_client, sitzung)
    neue_zeile(
        daten,
        "tagesordnungspunkte",
        reihenfolge="1",
        nummer="3",
        oeffentlich=True,
        titel="Integration",
        vorlagen=[str(geplant.vorlage_id)],
    )

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    geplant.refresh_from_db()
    top = sitzung.tagesordnungspunkte.get()
    assert (geplant.sitzung, geplant.tagesordnungspunkt, geplant.termin) == (sitzung, top, datetime.date(2021, 11, 24))
    assert Beratung.objects.count() == 1


def test_saving_the_agenda_adds_a_beratung_where_none_was_planned(sachbearbeitung_client):
    sitzung = SitzungFactory()
    vorlage = VorlageFactory()
    url, daten = _sitzung_seite(sachbearbeitung_client, sitzung)
    neue_zeile(
        daten,
        "tagesordnungspunkte",
        reihenfolge="1",
        nummer="1",
        oeffentlich=True,
        titel="Integration",
        vorlagen=[str(vorlage.pk)],
    )

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    beratung = vorlage.beratungen.get()
    assert (beratung.ausschuss, beratung.sitzung) == (sitzung.ausschuss, sitzung)
    assert beratung.tagesordnungspunkt == Tagesordnungspunkt.objects.get(sitzung=sitzung)


def test_taking_a_vorlage_off_the_agenda_releases_its_beratung(sachbearbeitung_client):
    vorlage = VorlageFactory()
    top = TagesordnungspunktFactory()
    top.vorlagen.add(vorlage)
    beratungsfolge_abgleichen(sitzung=top.sitzung)
    url, daten = _sitzung_seite(sachbearbeitung_client, top.sitzung)
    daten["tagesordnungspunkte-0-vorlagen"] = []

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    beratung = vorlage.beratungen.get()
    assert (beratung.sitzung, beratung.tagesordnungspunkt) == (None, None)


def test_ausschuss_of_a_sitzung_with_beratungen_cannot_be_changed(sachbearbeitung_client):
    vorlage = VorlageFactory()
    top = TagesordnungspunktFactory()
    top.vorlagen.add(vorlage)
    beratungsfolge_abgleichen(sitzung=top.sitzung)
    url, daten = _sitzung_seite(sachbearbeitung_client, top.sitzung)
    daten["ausschuss"] = str(AusschussFactory().pk)

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "ausschuss" in antwort.context["adminform"].form.errors
    top.sitzung.refresh_from_db()
    assert top.sitzung.ausschuss == vorlage.beratungen.get().ausschuss


# Änderungsprotokoll ----------------------------------------------------------------------------------------------


def test_every_admin_change_is_in_the_read_only_aenderungsprotokoll(admin_client, admin_user):
    vorlage = VorlageFactory(entwurf=True)
    url = admin_url(Vorlage, "change", vorlage.pk)
    admin_client.post(url, formulardaten(admin_client.get(url)) | {"titel": "Geänderter Titel"})
    eintrag = LogEntry.objects.get(object_id=str(vorlage.pk))
    assert (eintrag.user, eintrag.action_flag) == (admin_user, 2)

    liste = admin_client.get(admin_url(Aenderung, "changelist"))
    assert "Änderungsprotokoll" in admin_client.get(reverse("admin:index")).content.decode()
    assert list(liste.context["cl"].result_list) == [eintrag]
    assert admin_client.get(admin_url(Aenderung, "changelist"), {"q": "Geänderter"}).status_code == 200

    ansicht = admin_client.get(admin_url(Aenderung, "change", eintrag.pk))
    assert ansicht.status_code == 200
    assert ansicht.context["has_change_permission"] is False
    assert admin_client.get(admin_url(Aenderung, "add")).status_code == 403
    assert admin_client.post(admin_url(Aenderung, "delete", eintrag.pk), {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=eintrag.pk).exists()


def test_change_forms_show_when_a_record_was_created_and_changed(sachbearbeitung_client, beispiel):
    for model, objekt in [(Vorlage, beispiel), (Sitzung, Sitzung.objects.get())]:
        antwort = sachbearbeitung_client.get(admin_url(model, "change", objekt.pk))
        felder = {feld for fieldset in antwort.context["adminform"] for zeile in fieldset for feld in zeile}
        namen = {feld.field["name"] for feld in felder if feld.is_readonly}
        assert {"erstellt_am", "geaendert_am"} <= namen
