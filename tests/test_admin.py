"""The clerks' admin: every page opens, the actions call the services, integrity shows as messages, not errors."""

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from betrieb.models import Aenderung
from gremien.models import Ausschuss, Mitgliedschaft, Person
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from sitzungen.services import beratungsfolge_abgleichen
from tests import factories
from tests.factories import (
    AenderungFactory,
    AnlageAbrufFactory,
    AnlageFactory,
    AusschussFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)
from vorlagen.models import AnlageAbruf, Vorlage

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
    """A Vorlage with an Anlage, on the agenda of a Sitzung, so every inline has a row; a councillor of a Fraktion
    sits on the Sitzung's Ausschuss and has downloaded a non-public Anlage."""
    vorlage = VorlageFactory(nummer=952, titel="20 Jahre Stuttgarter Bündnis für Integration")
    AnlageFactory(vorlage=vorlage)
    top = TagesordnungspunktFactory(sitzung=SitzungFactory())
    top.vorlagen.add(vorlage)
    beratungsfolge_abgleichen(sitzung=top.sitzung)
    factories.SitzungsdokumentFactory(sitzung=top.sitzung)
    AenderungFactory(objekt=vorlage)
    fraktion = AusschussFactory(art=Ausschuss.Art.FRAKTION, name="Fraktion Beispiel", slug="fraktion-beispiel")
    person = PersonFactory(fraktion=fraktion, benutzer=UserFactory(username="stadtraetin"))
    # An Antrag signed by the Fraktion and answered by a Stellungnahme: the Urheber inline has a row, and the
    # autocomplete of "Antwort auf die Anfrage" (Anträge and Anfragen only) has something to offer.
    antrag = VorlageFactory(art=Vorlage.Art.ANTRAG, nummer=12, titel="Mehr Trinkbrunnen")
    factories.UrheberFactory(vorlage=antrag, fraktion=fraktion)
    MitgliedschaftFactory(person=person, ausschuss=top.sitzung.ausschuss)
    AnlageAbrufFactory(anlage=AnlageFactory(vorlage=vorlage, oeffentlich=False), benutzer=person.benutzer)
    factories.WahlperiodeFactory()
    factories.NummernzaehlerFactory(nummernkreis="GRDrs", jahr=2021, letzte_nummer=952)
    factories.DienststellenzugehoerigkeitFactory(dienststelle=vorlage.dienststelle, leitung=True)
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
    [
        model_admin
        for model_admin in REGISTRIERT
        if model_admin.model._meta.app_label in {"gremien", "vorlagen", "sitzungen"}
    ],
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
def test_autocomplete_fields_answer(sachbearbeitung_client, sachbearbeitung, beispiel, quelle, feld):
    # Linking a Person to an account looks the account up: the Sitzungsdienst may view (not change) users.
    sachbearbeitung.user_permissions.add(Permission.objects.get(content_type__app_label="auth", codename="view_user"))
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
    assert abschnitte == [
        "Kopf",
        "Text",
        "Mitzeichnung und Bezüge",
        "Neufassung oder Ergänzung",
        "Unterzeichnung",
        "Zugang",
        "Status",
    ]
    inlines = [inline.formset.model for inline in antwort.context["inline_admin_formsets"]]
    assert inlines[:2] == [Beratung, beispiel.anlagen.model]


def test_beratungsfolge_stands_right_below_the_kopf_as_on_the_paper(sachbearbeitung_client, beispiel):
    html = sachbearbeitung_client.get(admin_url(Vorlage, "change", beispiel.pk)).content.decode()

    kopf, beratungsfolge, text, anlagen = (
        html.index(marke)
        for marke in [
            'id="fieldset-0-0-heading"',
            'id="beratungen-group"',
            'id="fieldset-0-1-heading"',
            'id="anlagen-group"',
        ]
    )
    assert kopf < beratungsfolge < text < anlagen
    assert html.count('id="beratungen-group"') == 1


def test_a_draft_is_published_from_its_change_form(sachbearbeitung_client, sachbearbeitung):
    vorlage = VorlageFactory(entwurf=True, nummer=952)
    url = admin_url(Vorlage, "change", vorlage.pk)
    seite = sachbearbeitung_client.get(url)
    assert 'name="_veroeffentlichen"' in seite.content.decode()
    daten = formulardaten(seite) | {"titel": "20 Jahre Stuttgarter Bündnis für Integration", "_veroeffentlichen": "1"}

    antwort = sachbearbeitung_client.post(url, daten, follow=True)

    vorlage.refresh_from_db()
    assert antwort.redirect_chain[-1][0] == url
    assert (vorlage.titel, vorlage.status) == (
        "20 Jahre Stuttgarter Bündnis für Integration",
        Vorlage.Status.VEROEFFENTLICHT,
    )
    assert vorlage.veroeffentlicht_am is not None
    assert meldungen(antwort) == [f"{vorlage.bezeichnung} ist gespeichert und veröffentlicht."]
    assert LogEntry.objects.filter(object_id=str(vorlage.pk), user=sachbearbeitung, change_message="Veröffentlicht.")
    assert 'name="_veroeffentlichen"' not in antwort.content.decode()  # published: nothing left to publish


def test_a_new_vorlage_is_saved_and_published_in_one_go(sachbearbeitung_client):
    assert _neue_vorlage(sachbearbeitung_client, _veroeffentlichen="1").status_code == 302

    assert Vorlage.objects.get().status == Vorlage.Status.VEROEFFENTLICHT


def test_publishing_from_the_form_stays_with_the_form_when_the_form_is_invalid(sachbearbeitung_client):
    vorlage = VorlageFactory(entwurf=True)
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"titel": "", "_veroeffentlichen": "1"}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "titel" in antwort.context["adminform"].form.errors
    vorlage.refresh_from_db()
    assert vorlage.status == Vorlage.Status.ENTWURF


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


def test_top_takes_the_title_of_its_vorlage_unless_one_is_typed(sachbearbeitung_client):
    sitzung = SitzungFactory()
    vorlage = VorlageFactory(titel="20 Jahre Stuttgarter Bündnis für Integration")
    andere = VorlageFactory(titel="Haushalt 2026")
    url, daten = _sitzung_seite(sachbearbeitung_client, sitzung)
    neue_zeile(daten, "tagesordnungspunkte", reihenfolge="1", nummer="1", oeffentlich=True, vorlagen=[str(vorlage.pk)])
    neue_zeile(
        daten,
        "tagesordnungspunkte",
        reihenfolge="2",
        nummer="2",
        oeffentlich=True,
        titel="Haushaltsrede",
        vorlagen=[str(andere.pk)],
    )

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    assert [top.titel for top in sitzung.tagesordnungspunkte.order_by("reihenfolge")] == [
        "20 Jahre Stuttgarter Bündnis für Integration",
        "Haushaltsrede",
    ]


def test_top_without_title_and_vorlage_is_refused_with_a_message(sachbearbeitung_client):
    sitzung = SitzungFactory()
    url, daten = _sitzung_seite(sachbearbeitung_client, sitzung)
    neue_zeile(daten, "tagesordnungspunkte", reihenfolge="1", nummer="1", oeffentlich=True, beschluss="Kenntnis")

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert antwort.context["inline_admin_formsets"][0].formset.errors[0]["titel"] == [
        "Bitte geben Sie einen Titel ein oder wählen Sie eine Vorlage, deren Titel übernommen wird."
    ]
    assert not sitzung.tagesordnungspunkte.exists()


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


# Öffentlich, nichtöffentlich, vertraulich -------------------------------------------------------------------------


def test_vorlage_is_made_non_public_and_confidential_in_the_form(sachbearbeitung_client):
    vorlage = VorlageFactory(titel="Personalangelegenheit: Besetzung einer Amtsleitung")
    url = admin_url(Vorlage, "change", vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    assert daten["oeffentlich"] == "on"
    del daten["oeffentlich"]
    daten["vertraulich"] = "on"

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    vorlage.refresh_from_db()
    assert (vorlage.oeffentlich, vorlage.vertraulich) == (False, True)


def test_vorlage_list_marks_and_filters_non_public_and_confidential(sachbearbeitung_client):
    oeffentlich = VorlageFactory(titel="Öffentliche Vorlage")
    nichtoeffentlich = VorlageFactory(titel="Grundstücksangelegenheit", oeffentlich=False)
    vertraulich = VorlageFactory(titel="Personalangelegenheit", oeffentlich=False, vertraulich=True)
    url = admin_url(Vorlage, "changelist")

    antwort = sachbearbeitung_client.get(url)
    zeilen = {
        zeile.split("</th>")[0]: zeile for zeile in antwort.content.decode().split('<th class="field-bezeichnung">')[1:]
    }
    assert len(zeilen) == 3
    for vorlage, marke in [
        (oeffentlich, "öffentlich"),
        (nichtoeffentlich, "nichtöffentlich"),
        (vertraulich, "vertraulich"),
    ]:
        (zeile,) = (text for kopf, text in zeilen.items() if vorlage.bezeichnung in kopf)
        assert f'<td class="field-zugang">{marke}</td>' in zeile

    def gefunden(**parameter):
        return set(sachbearbeitung_client.get(url, parameter).context["cl"].result_list)

    assert gefunden(oeffentlich__exact="0") == {nichtoeffentlich, vertraulich}
    assert gefunden(vertraulich__exact="1") == {vertraulich}
    assert gefunden(oeffentlich__exact="1", vertraulich__exact="0") == {oeffentlich}


def test_anlage_is_made_non_public_in_the_inline(sachbearbeitung_client):
    anlage = AnlageFactory(titel="Kostenberechnung")
    url = admin_url(Vorlage, "change", anlage.vorlage.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    assert daten["anlagen-0-oeffentlich"] == "on"
    assert "anlagen-0-vertraulich" not in daten
    del daten["anlagen-0-oeffentlich"]

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    anlage.refresh_from_db()
    assert (anlage.oeffentlich, anlage.vertraulich) == (False, False)


# Personen und Mitgliedschaften --------------------------------------------------------------------------------------


def test_new_person_with_seats_is_saved(sachbearbeitung_client):
    fraktion = AusschussFactory(art=Ausschuss.Art.FRAKTION)
    gemeinderat = AusschussFactory(art=Ausschuss.Art.GEMEINDERAT)
    ausschuss = AusschussFactory()
    konto = UserFactory(username="brenner")
    url = admin_url(Person, "add")
    daten = formulardaten(sachbearbeitung_client.get(url))
    daten.update(
        titel="Dr.",
        vorname="Lena",
        nachname="Brenner",
        fraktion=str(fraktion.pk),
        partei="Bündnis 90/Die Grünen",
        benutzer=str(konto.pk),
        email="lena.brenner@example.org",
    )
    neue_zeile(daten, "mitgliedschaften", ausschuss=str(gemeinderat.pk), rolle="mitglied", beginn="2024-07-25")
    neue_zeile(daten, "mitgliedschaften", ausschuss=str(ausschuss.pk), rolle="stellvertretung", beginn="2024-09-01")

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    person = Person.objects.get()
    assert (person.name, person.fraktion, person.benutzer, person.kontakt_veroeffentlichen) == (
        "Dr. Lena Brenner",
        fraktion,
        konto,
        False,
    )
    assert sorted(person.mitgliedschaften.values_list("ausschuss", "rolle", "beginn", "ende")) == sorted(
        [
            (gemeinderat.pk, "mitglied", datetime.date(2024, 7, 25), None),
            (ausschuss.pk, "stellvertretung", datetime.date(2024, 9, 1), None),
        ]
    )


def test_fraktion_of_a_person_must_be_a_fraktion(sachbearbeitung_client):
    fraktion = AusschussFactory(art=Ausschuss.Art.FRAKTION, name="Fraktion A")
    AusschussFactory(art=Ausschuss.Art.AUSSCHUSS, name="Ausschuss B")
    url = admin_url(Person, "add")
    daten = formulardaten(sachbearbeitung_client.get(url))
    daten.update(vorname="Lena", nachname="Brenner", fraktion=str(AusschussFactory().pk))

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert "fraktion" in antwort.context["adminform"].form.errors
    assert not Person.objects.exists()
    auswahl = sachbearbeitung_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "gremien", "model_name": "person", "field_name": "fraktion", "term": ""},
    )
    assert [eintrag["text"] for eintrag in auswahl.json()["results"]] == [fraktion.name]


def test_an_account_linked_to_another_person_is_refused_with_a_message(sachbearbeitung_client):
    konto = UserFactory(username="brenner")
    PersonFactory(benutzer=konto)
    person = PersonFactory()
    url = admin_url(Person, "change", person.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"benutzer": str(konto.pk)}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert antwort.context["adminform"].form.errors["benutzer"] == [
        "Dieses Benutzerkonto ist schon mit einer anderen Person verknüpft."
    ]
    person.refresh_from_db()
    assert person.benutzer is None


def test_person_list_shows_fraktion_account_and_consent_and_filters(sachbearbeitung_client):
    fraktion = AusschussFactory(art=Ausschuss.Art.FRAKTION, name="Fraktion A")
    andere_fraktion = AusschussFactory(art=Ausschuss.Art.FRAKTION, name="Fraktion B")
    ausschuss = AusschussFactory(name="Internationaler Ausschuss")
    mit_konto = PersonFactory(
        vorname="Lena",
        nachname="Brenner",
        titel="Dr.",
        fraktion=fraktion,
        benutzer=UserFactory(),
        email="x@example.org",
    )
    einwilligung = PersonFactory(
        vorname="Jan", nachname="Oberle", fraktion=andere_fraktion, kontakt_veroeffentlichen=True
    )
    ausgeschieden = PersonFactory(vorname="Katharina", nachname="Vogt")
    MitgliedschaftFactory(person=mit_konto, ausschuss=ausschuss)
    MitgliedschaftFactory(
        person=ausgeschieden, ausschuss=ausschuss, beginn=datetime.date(2024, 7, 25), ende=datetime.date(2025, 3, 31)
    )
    url = admin_url(Person, "changelist")

    def gefunden(**parameter):
        antwort = sachbearbeitung_client.get(url, parameter)
        assert antwort.status_code == 200
        return set(antwort.context["cl"].result_list)

    text = sachbearbeitung_client.get(url).content.decode()
    assert "Brenner, Dr. Lena" in text
    assert gefunden() == {mit_konto, einwilligung, ausgeschieden}
    assert gefunden(q="brenner") == {mit_konto}
    assert gefunden(fraktion__id__exact=fraktion.pk) == {mit_konto}
    assert gefunden(kontakt_veroeffentlichen__exact="1") == {einwilligung}
    assert gefunden(konto="ja") == {mit_konto}
    assert gefunden(konto="nein") == {einwilligung, ausgeschieden}
    # Only who sits on the committee today; the seat that ended does not count.
    assert gefunden(mitglied_in=ausschuss.pk) == {mit_konto}


def test_members_are_edited_on_the_ausschuss(sachbearbeitung_client, beispiel):
    ausschuss = Sitzung.objects.get().ausschuss
    bisher = ausschuss.mitgliedschaften.get()
    neu = PersonFactory(vorname="Elena", nachname="Petrović")
    url = admin_url(Ausschuss, "change", ausschuss.pk)
    antwort = sachbearbeitung_client.get(url)
    assert [inline.formset.model for inline in antwort.context["inline_admin_formsets"]] == [Mitgliedschaft]
    daten = formulardaten(antwort)
    neue_zeile(daten, "mitgliedschaften", person=str(neu.pk), rolle="sachkundig", beginn="2024-09-01")
    ende = bisher.beginn + datetime.timedelta(days=30)
    daten["mitgliedschaften-0-ende"] = ende.isoformat()

    assert sachbearbeitung_client.post(url, daten).status_code == 302

    bisher.refresh_from_db()
    assert bisher.ende == ende
    assert ausschuss.mitgliedschaften.get(person=neu).get_rolle_display() == (
        "sachkundige Einwohnerin / sachkundiger Einwohner"
    )


MELDUNG_ENDE_VOR_BEGINN = "Eine Mitgliedschaft kann nicht enden, bevor sie beginnt."


def test_seat_ending_before_it_begins_is_refused_with_a_message(sachbearbeitung_client):
    mitgliedschaft = MitgliedschaftFactory(beginn=datetime.date(2024, 7, 25))
    url = admin_url(Mitgliedschaft, "change", mitgliedschaft.pk)
    daten = formulardaten(sachbearbeitung_client.get(url)) | {"ende": "2024-07-24"}

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    assert antwort.context["adminform"].form.non_field_errors() == [MELDUNG_ENDE_VOR_BEGINN]
    mitgliedschaft.refresh_from_db()
    assert mitgliedschaft.ende is None


def test_seat_ending_before_it_begins_is_refused_in_the_inline(sachbearbeitung_client):
    person = PersonFactory()
    url = admin_url(Person, "change", person.pk)
    daten = formulardaten(sachbearbeitung_client.get(url))
    neue_zeile(
        daten,
        "mitgliedschaften",
        ausschuss=str(AusschussFactory().pk),
        rolle="mitglied",
        beginn="2024-07-25",
        ende="2024-07-01",
    )

    antwort = sachbearbeitung_client.post(url, daten)

    assert antwort.status_code == 200
    formset = antwort.context["inline_admin_formsets"][0].formset
    assert formset.errors == [{"__all__": [MELDUNG_ENDE_VOR_BEGINN]}]
    assert MELDUNG_ENDE_VOR_BEGINN in antwort.content.decode()
    assert not Mitgliedschaft.objects.exists()


def test_seat_list_filters_current_ended_and_future_seats(sachbearbeitung_client):
    heute = timezone.localdate()
    aktuell = MitgliedschaftFactory(beginn=heute - datetime.timedelta(days=100))
    endet_heute = MitgliedschaftFactory(beginn=heute - datetime.timedelta(days=100), ende=heute)
    beendet = MitgliedschaftFactory(
        beginn=heute - datetime.timedelta(days=100), ende=heute - datetime.timedelta(days=1)
    )
    kuenftig = MitgliedschaftFactory(beginn=heute + datetime.timedelta(days=7))
    url = admin_url(Mitgliedschaft, "changelist")

    def gefunden(**parameter):
        antwort = sachbearbeitung_client.get(url, parameter)
        assert antwort.status_code == 200
        return set(antwort.context["cl"].result_list)

    assert gefunden() == {aktuell, endet_heute, beendet, kuenftig}
    assert gefunden(aktuell="ja") == {aktuell, endet_heute}
    assert gefunden(aktuell="beendet") == {beendet}
    assert gefunden(aktuell="kuenftig") == {kuenftig}
    assert gefunden(ausschuss__id__exact=aktuell.ausschuss_id) == {aktuell}
    assert gefunden(rolle__exact="mitglied") == {aktuell, endet_heute, beendet, kuenftig}
    assert gefunden(q=aktuell.person.nachname) == {aktuell}


# Abrufe nichtöffentlicher Anlagen -----------------------------------------------------------------------------------


def test_download_audit_is_listed_for_clerks_and_nobody_can_alter_it(sachbearbeitung_client):
    abruf = AnlageAbrufFactory(benutzer=UserFactory(username="stadtraetin"), anlage__titel="Kostenberechnung")
    anderer = AnlageAbrufFactory()

    liste = sachbearbeitung_client.get(admin_url(AnlageAbruf, "changelist"))
    assert liste.status_code == 200
    assert set(liste.context["cl"].result_list) == {abruf, anderer}
    text = liste.content.decode()
    assert "stadtraetin" in text
    assert "Kostenberechnung" in text
    assert f'href="{admin_url(Vorlage, "change", abruf.anlage.vorlage_id)}"' in text
    assert not liste.context["cl"].model_admin.get_actions(liste.wsgi_request)
    gesucht = sachbearbeitung_client.get(admin_url(AnlageAbruf, "changelist"), {"q": "stadtraetin"})
    assert set(gesucht.context["cl"].result_list) == {abruf}
    nach_benutzer = sachbearbeitung_client.get(
        admin_url(AnlageAbruf, "changelist"), {"benutzer__id__exact": abruf.benutzer_id}
    )
    assert set(nach_benutzer.context["cl"].result_list) == {abruf}

    ansicht = sachbearbeitung_client.get(admin_url(AnlageAbruf, "change", abruf.pk))
    assert ansicht.status_code == 200
    assert ansicht.context["has_change_permission"] is False
    assert ansicht.context["has_delete_permission"] is False
    assert sachbearbeitung_client.get(admin_url(AnlageAbruf, "add")).status_code == 403
    assert sachbearbeitung_client.post(admin_url(AnlageAbruf, "change", abruf.pk), {}).status_code == 403
    assert sachbearbeitung_client.post(admin_url(AnlageAbruf, "delete", abruf.pk), {"post": "yes"}).status_code == 403
    assert AnlageAbruf.objects.filter(pk=abruf.pk).exists()


def test_download_audit_cannot_be_altered_even_by_a_superuser(admin_client):
    abruf = AnlageAbrufFactory()
    zeitpunkt = abruf.zeitpunkt

    assert admin_client.get(admin_url(AnlageAbruf, "add")).status_code == 403
    assert admin_client.post(admin_url(AnlageAbruf, "change", abruf.pk), {}).status_code == 403
    assert admin_client.post(admin_url(AnlageAbruf, "delete", abruf.pk), {"post": "yes"}).status_code == 403
    antwort = admin_client.post(
        admin_url(AnlageAbruf, "changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [abruf.pk], "post": "yes"},
    )
    assert antwort.status_code in (200, 302)
    abruf.refresh_from_db()
    assert abruf.zeitpunkt == zeitpunkt


def test_confidential_vorlagen_stay_hidden_in_the_admin_from_staff_without_the_permission(client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    mitarbeiter = UserFactory(is_staff=True)
    mitarbeiter.user_permissions.set(Permission.objects.filter(codename__in=["view_vorlage", "change_vorlage"]))
    vertraulich = VorlageFactory(vertraulich=True, titel="Personalangelegenheit Amtsleitung")
    offen = VorlageFactory()
    client.force_login(mitarbeiter)

    liste = client.get(admin_url(Vorlage, "changelist"))

    assert list(liste.context["cl"].result_list) == [offen]
    assert client.get(admin_url(Vorlage, "change", vertraulich.pk)).status_code == 302
