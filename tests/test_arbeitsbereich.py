"""Issue 19: the Dienststelle's work area — its drafts, writing them, sending them on the Laufweg — and the
visibility of drafts for staff of an Amt."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from mitzeichnung.models import Laufweg, Schritt
from mitzeichnung.services import laufweg_starten, schritt_entscheiden
from tests.factories import AnlageFactory, DienststellenzugehoerigkeitFactory, VorlageFactory
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db


def heute():
    return timezone.localdate()


def entwurf(dienststelle, **kwargs):
    return VorlageFactory(dienststelle=dienststelle, entwurf=True, nummer=None, **kwargs)


def entwurf_daten(dienststelle, **felder):
    return {
        "art": "beschlussvorlage",
        "dienststelle": dienststelle.pk,
        "datum": heute().isoformat(),
        "aktenzeichen": "AfU 12-3",
        "titel": "Baumschutzsatzung: Neufassung",
        "beschlussantrag": "Der Gemeinderat beschließt die Baumschutzsatzung.",
        "bericht": "Die alte Satzung stammt von 1985.",
        "begruendung": "",
        "finanzielle_auswirkungen": "Keine.",
        "unterzeichnet_von": "",
        "unterzeichnet_funktion": "",
        **felder,
    }


def laufweg_daten(aemter, zeilen=(), freigabe=None):
    """The POST of "Auf den Laufweg schicken": ``zeilen`` as dicts of the row's fields, four rows in all."""
    daten = {
        "mitzeichnung-TOTAL_FORMS": "4",
        "mitzeichnung-INITIAL_FORMS": "0",
        "mitzeichnung-MIN_NUM_FORMS": "0",
        "mitzeichnung-MAX_NUM_FORMS": "30",
    }
    for nummer in range(4):
        zeile = zeilen[nummer] if nummer < len(zeilen) else {}
        for feld in ("dienststelle", "stufe", "frist", "zustaendig", "vertretung"):
            wert = zeile.get(feld, "")
            daten[f"mitzeichnung-{nummer}-{feld}"] = str(getattr(wert, "pk", wert))
    freigabe = {"dienststelle": aemter.referat, "frist": heute() + datetime.timedelta(days=20), **(freigabe or {})}
    for feld in ("dienststelle", "frist", "zustaendig", "vertretung"):
        wert = freigabe.get(feld, "")
        daten[f"freigabe-{feld}"] = str(getattr(wert, "pk", wert))
    return daten


def laufweg(aemter, vorlage, zustaendig=None, vertretung=None):
    return laufweg_starten(
        vorlage=vorlage,
        user=aemter.uta,
        mitzeichnungen=[
            {
                "dienststelle": aemter.tiefbau,
                "stufe": 1,
                "frist": heute() + datetime.timedelta(days=7),
                "zustaendig": zustaendig,
                "vertretung": vertretung,
            }
        ],
        freigabe={"dienststelle": aemter.referat, "frist": heute() + datetime.timedelta(days=14)},
    )


# The list ---------------------------------------------------------------------------------------------------------


def test_the_work_area_lists_the_drafts_of_the_own_dienststelle_only(client, aemter):
    eigener = entwurf(aemter.umwelt, titel="Baumschutz-Entwurf")
    entwurf(aemter.tiefbau, titel="Straßenbau-Entwurf")
    laufweg(aemter, eigener)
    client.force_login(aemter.ulf)

    antwort = client.get(reverse("mitzeichnung:arbeitsbereich"))

    text = antwort.content.decode()
    assert antwort.status_code == 200
    assert "Baumschutz-Entwurf" in text
    assert "Straßenbau-Entwurf" not in text
    assert "läuft" in text  # the route's status


def test_the_work_area_filters_by_status_and_title(client, aemter):
    entwurf(aemter.umwelt, titel="Baumschutz-Entwurf")
    VorlageFactory(dienststelle=aemter.umwelt, titel="Veröffentlichte Luftreinhaltung")
    client.force_login(aemter.uta)

    antwort = client.get(reverse("mitzeichnung:arbeitsbereich"), {"status": "entwurf"})
    assert "Baumschutz-Entwurf" in antwort.content.decode()
    assert "Luftreinhaltung" not in antwort.content.decode()
    antwort = client.get(reverse("mitzeichnung:arbeitsbereich"), {"q": "Luftrein"})
    assert "Luftreinhaltung" in antwort.content.decode()
    assert "Baumschutz-Entwurf" not in antwort.content.decode()


def test_the_work_area_tells_an_account_without_dienststelle_whom_to_ask(client, aemter):
    client.force_login(aemter.nora)
    antwort = client.get(reverse("mitzeichnung:arbeitsbereich"))
    assert antwort.status_code == 200
    assert "keiner Dienststelle an" in antwort.content.decode()
    assert client.get(reverse("mitzeichnung:entwurf-neu")).status_code == 404


def test_the_work_area_asks_an_anonymous_visitor_to_log_in(client, aemter):
    antwort = client.get(reverse("mitzeichnung:arbeitsbereich"))
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(reverse("konto:anmelden"))


@pytest.mark.parametrize("anzahl", [2, 12])
def test_the_work_area_runs_a_fixed_number_of_queries(client, aemter, django_assert_num_queries, anzahl):
    for nummer in range(anzahl):
        vorlage = entwurf(aemter.umwelt, titel=f"Entwurf {nummer}")
        if nummer % 2:
            laufweg(aemter, vorlage)
    client.force_login(aemter.uta)
    client.get(reverse("mitzeichnung:arbeitsbereich"))  # the session's mark is written once

    # Session, user, Dienststellen (also the header's mark), two of permissions (the rule), count, the header's
    # person, rows.
    with django_assert_num_queries(8):
        antwort = client.get(reverse("mitzeichnung:arbeitsbereich"))
    assert antwort.content.decode().count("<tr>") == anzahl + 1


# Writing a draft --------------------------------------------------------------------------------------------------


def test_a_draft_is_created_in_the_work_area(client, aemter):
    client.force_login(aemter.uta)

    antwort = client.post(reverse("mitzeichnung:entwurf-neu"), entwurf_daten(aemter.umwelt))

    vorlage = Vorlage.objects.get(titel="Baumschutzsatzung: Neufassung")
    assert antwort.status_code == 302
    assert antwort["Location"] == reverse("mitzeichnung:entwurf", kwargs={"pk": vorlage.pk})
    assert vorlage.status == Vorlage.Status.ENTWURF
    assert vorlage.nummer is None
    assert vorlage.jahr == heute().year
    assert vorlage.dienststelle == aemter.umwelt
    assert LogEntry.objects.filter(object_id=str(vorlage.pk), user=aemter.uta).exists()


def test_a_draft_cannot_be_created_for_another_dienststelle(client, aemter):
    client.force_login(aemter.uta)

    antwort = client.post(reverse("mitzeichnung:entwurf-neu"), entwurf_daten(aemter.tiefbau))

    assert antwort.status_code == 200
    assert antwort.context["form"].errors["dienststelle"]
    assert not Vorlage.objects.exists()


def test_a_draft_without_title_is_refused_with_a_form_error(client, aemter):
    client.force_login(aemter.uta)
    antwort = client.post(reverse("mitzeichnung:entwurf-neu"), entwurf_daten(aemter.umwelt, titel=""))
    assert antwort.context["form"].errors["titel"]
    assert not Vorlage.objects.exists()


def test_a_colleague_edits_the_draft_of_her_dienststelle(client, aemter):
    vorlage = entwurf(aemter.umwelt, titel="Alter Titel")
    client.force_login(aemter.ulf)

    antwort = client.post(
        reverse("mitzeichnung:entwurf", kwargs={"pk": vorlage.pk}), entwurf_daten(aemter.umwelt, titel="Neuer Titel")
    )

    assert antwort.status_code == 302
    vorlage.refresh_from_db()
    assert vorlage.titel == "Neuer Titel"
    assert vorlage.status == Vorlage.Status.ENTWURF


@pytest.mark.parametrize("methode", ["get", "post"])
def test_the_draft_of_another_dienststelle_does_not_exist_in_the_work_area(client, aemter, methode):
    fremd = entwurf(aemter.tiefbau, titel="Fremder Entwurf")
    client.force_login(aemter.uta)

    for name in ("mitzeichnung:entwurf", "mitzeichnung:laufweg-starten"):
        antwort = getattr(client, methode)(reverse(name, kwargs={"pk": fremd.pk}), entwurf_daten(aemter.umwelt))
        assert antwort.status_code == 404
    fremd.refresh_from_db()
    assert fremd.titel == "Fremder Entwurf"


def test_a_published_vorlage_is_read_only_in_the_work_area(client, aemter):
    vorlage = VorlageFactory(dienststelle=aemter.umwelt, titel="Veröffentlicht", bericht="Der Bericht.")
    client.force_login(aemter.uta)
    url = reverse("mitzeichnung:entwurf", kwargs={"pk": vorlage.pk})

    antwort = client.get(url)
    assert antwort.status_code == 200
    assert "Der Bericht." in antwort.content.decode()
    assert 'name="titel"' not in antwort.content.decode()

    antwort = client.post(url, entwurf_daten(aemter.umwelt, titel="Geändert"), follow=True)
    assert "nur noch der Sitzungsdienst" in antwort.content.decode()
    vorlage.refresh_from_db()
    assert vorlage.titel == "Veröffentlicht"
    assert client.get(reverse("mitzeichnung:laufweg-starten", kwargs={"pk": vorlage.pk})).status_code == 404


def test_changing_the_text_on_a_running_route_asks_the_cosigners_again(
    client, aemter, smtp, django_capture_on_commit_callbacks
):
    vorlage = entwurf(aemter.umwelt, titel="Baumschutz", bericht="Alter Bericht.")
    route = laufweg(aemter, vorlage)
    erster = route.schritte.get(art=Schritt.Art.MITZEICHNUNG)
    schritt_entscheiden(schritt=erster, user=aemter.tim, entscheidung=Schritt.Status.ZUGESTIMMT)
    client.force_login(aemter.uta)

    with django_capture_on_commit_callbacks(execute=True):
        antwort = client.post(
            reverse("mitzeichnung:entwurf", kwargs={"pk": vorlage.pk}),
            entwurf_daten(aemter.umwelt, titel="Baumschutz", bericht="Neuer Bericht."),
            follow=True,
        )

    assert "erneut um Mitzeichnung gebeten" in antwort.content.decode()
    neu = route.schritte.get(wiederholung_von=erster)
    assert neu.status == Schritt.Status.OFFEN
    (mail,) = smtp.an("tim@example.org")
    assert "geändert" in mail.get_content()


def test_saving_an_unchanged_draft_on_a_running_route_asks_nobody_again(client, aemter):
    vorlage = entwurf(aemter.umwelt, titel="Baumschutz", bericht="Bericht.")
    route = laufweg(aemter, vorlage)
    erster = route.schritte.get(art=Schritt.Art.MITZEICHNUNG)
    schritt_entscheiden(schritt=erster, user=aemter.tim, entscheidung=Schritt.Status.ZUGESTIMMT)
    vorlage.refresh_from_db()
    daten = entwurf_daten(aemter.umwelt)
    daten.update(
        {feld: getattr(vorlage, feld) or "" for feld in ("titel", "aktenzeichen", "beschlussantrag", "bericht")}
    )
    daten.update(begruendung=vorlage.begruendung, finanzielle_auswirkungen=vorlage.finanzielle_auswirkungen)
    daten.update(art=vorlage.art, datum=vorlage.datum.isoformat())
    client.force_login(aemter.uta)

    client.post(reverse("mitzeichnung:entwurf", kwargs={"pk": vorlage.pk}), daten)

    assert not route.schritte.filter(wiederholung_von__isnull=False).exists()


# Sending it on the route ------------------------------------------------------------------------------------------


def test_a_draft_is_sent_on_its_route_and_the_first_stage_gets_its_mail(
    client, aemter, smtp, django_capture_on_commit_callbacks
):
    vorlage = entwurf(aemter.umwelt, titel="Baumschutz")
    client.force_login(aemter.uta)
    frist = heute() + datetime.timedelta(days=7)
    zeilen = [
        {
            "dienststelle": aemter.tiefbau,
            "stufe": 1,
            "frist": frist,
            "zustaendig": aemter.tim,
            "vertretung": aemter.tina,
        },
        {
            "dienststelle": DienststellenzugehoerigkeitFactory(benutzer__email="kaemmerei@example.org").dienststelle,
            "stufe": 2,
            "frist": frist,
        },
    ]

    with django_capture_on_commit_callbacks(execute=True):
        antwort = client.post(
            reverse("mitzeichnung:laufweg-starten", kwargs={"pk": vorlage.pk}),
            laufweg_daten(aemter, zeilen, {"zustaendig": aemter.rita}),
        )

    assert antwort.status_code == 302
    route = Laufweg.objects.get(vorlage=vorlage)
    assert route.gestartet_von == aemter.uta
    assert [(s.art, s.stufe, s.status) for s in route.schritte.order_by("stufe")] == [
        ("mitzeichnung", 1, "offen"),
        ("mitzeichnung", 2, "wartet"),
        ("freigabe", 3, "wartet"),
    ]
    assert sorted(a for n in smtp.empfangen for a in n.envelope_to) == ["tim@example.org", "tina@example.org"]


@pytest.mark.parametrize(
    ("zeilen", "freigabe", "feld", "meldung"),
    [
        ([{"dienststelle": "tiefbau", "stufe": 1}], {}, ("zeile", "frist"), "Bitte eine Frist angeben."),
        ([{"dienststelle": "tiefbau", "stufe": 1, "frist": "gestern"}], {}, ("freigabe", None), "Vergangenheit"),
        (
            [{"dienststelle": "tiefbau", "stufe": 1, "frist": "bald", "zustaendig": "uta"}],
            {},
            ("zeile", "zustaendig"),
            "gehört Tiefbauamt nicht an",
        ),
        ([{"dienststelle": "umwelt", "stufe": 1, "frist": "bald"}], {}, ("freigabe", None), "federführend"),
        ([], {"zustaendig": "rolf"}, ("freigabe", "zustaendig"), "keine Leitung"),
        ([{"frist": "bald"}], {}, ("zeile", None), "Bitte eine Dienststelle wählen"),
        ([], {"frist": ""}, ("freigabe", "frist"), "erforderlich"),
    ],
)
def test_a_route_with_mistakes_is_refused_with_form_errors(client, aemter, zeilen, freigabe, feld, meldung):
    vorlage = entwurf(aemter.umwelt)
    werte = {
        "tiefbau": aemter.tiefbau,
        "umwelt": aemter.umwelt,
        "uta": aemter.uta,
        "rolf": aemter.rolf,
        "gestern": heute() - datetime.timedelta(days=1),
        "bald": heute() + datetime.timedelta(days=5),
    }
    zeilen = [{k: werte.get(v, v) for k, v in zeile.items()} for zeile in zeilen]
    freigabe = {k: werte.get(v, v) for k, v in freigabe.items()}
    client.force_login(aemter.uta)

    antwort = client.post(
        reverse("mitzeichnung:laufweg-starten", kwargs={"pk": vorlage.pk}), laufweg_daten(aemter, zeilen, freigabe)
    )

    assert antwort.status_code == 400
    formular = antwort.context["zeilen"][0] if feld[0] == "zeile" else antwort.context["freigabe"]
    fehler = formular.errors.get(feld[1] or "__all__", [])
    assert any(meldung in f for f in fehler), formular.errors
    assert not Laufweg.objects.exists()


def test_a_second_route_while_one_runs_is_refused_with_a_message(client, aemter):
    vorlage = entwurf(aemter.umwelt)
    laufweg(aemter, vorlage)
    client.force_login(aemter.uta)

    antwort = client.post(reverse("mitzeichnung:laufweg-starten", kwargs={"pk": vorlage.pk}), laufweg_daten(aemter))

    assert antwort.status_code == 400
    assert "läuft schon ein Laufweg" in antwort.content.decode()
    assert Laufweg.objects.count() == 1


# Visibility of drafts (gremien/sichtbarkeit.py) -------------------------------------------------------------------


def test_staff_see_the_drafts_of_their_dienststelle_and_nobody_else_does(client, aemter):
    # Registered (with a number): on PostgreSQL a draft without a number has no search vector yet (the trigger of
    # vorlagen 0003 concatenates the NULL number), so the search could not show it to anybody.
    eigener = VorlageFactory(dienststelle=aemter.umwelt, entwurf=True, titel="Baumschutzsatzung im Entwurf")
    anlage = AnlageFactory(vorlage=eigener, oeffentlich=False)
    fremd = entwurf(aemter.tiefbau, titel="Fremder Entwurf")

    assert set(Vorlage.objects.sichtbar_fuer(aemter.uta)) == {eigener}
    client.force_login(aemter.uta)
    assert client.get(eigener.get_absolute_url()).status_code == 200
    assert client.get(anlage.get_absolute_url()).status_code == 200
    assert client.get(fremd.get_absolute_url()).status_code == 404
    assert "Baumschutzsatzung im Entwurf" in client.get(reverse("vorlagen:liste")).content.decode()
    suche = client.get(reverse("suche:suche"), {"q": "Baumschutzsatzung"}).content.decode()
    assert "Baumschutzsatzung im Entwurf" in suche
    client.logout()
    assert client.get(eigener.get_absolute_url()).status_code == 404
    assert client.get(anlage.get_absolute_url()).status_code == 404
    client.force_login(aemter.nora)
    assert client.get(eigener.get_absolute_url()).status_code == 404


def test_a_former_member_of_the_dienststelle_no_longer_sees_its_drafts(aemter):
    eigener = entwurf(aemter.umwelt)
    aemter.ulf.dienststellenzugehoerigkeiten.update(ende=heute() - datetime.timedelta(days=1))
    assert not Vorlage.objects.sichtbar_fuer(aemter.ulf).filter(pk=eigener.pk).exists()


def test_a_cosigning_dienststelle_sees_the_draft_while_its_step_is_open_or_decided(aemter):
    vorlage = entwurf(aemter.umwelt)
    assert not Vorlage.objects.sichtbar_fuer(aemter.tim).exists()
    route = laufweg(aemter, vorlage)
    assert list(Vorlage.objects.sichtbar_fuer(aemter.tina)) == [vorlage]
    # The Referat's Freigabe waits for the Mitzeichnung: not yet its business.
    assert not Vorlage.objects.sichtbar_fuer(aemter.rita).exists()
    schritt_entscheiden(
        schritt=route.schritte.get(art=Schritt.Art.MITZEICHNUNG),
        user=aemter.tim,
        entscheidung=Schritt.Status.ZUGESTIMMT,
    )
    assert list(Vorlage.objects.sichtbar_fuer(aemter.tim)) == [vorlage]
    assert list(Vorlage.objects.sichtbar_fuer(aemter.rolf)) == [vorlage]
    assert not Vorlage.objects.sichtbar_fuer(None).exists()
