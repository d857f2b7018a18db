"""The route of a draft: Mitzeichnung (parallel and in order), Einspruch, a text changed after a Mitzeichnung,
Vertretung, the Freigabe, the database's refusal to change a decided step, the mails and the audit trail."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from mitzeichnung import services
from mitzeichnung.models import Laufweg, Schritt
from post.links import absolut_reverse
from tests.factories import (
    DienststelleFactory,
    DienststellenzugehoerigkeitFactory,
    SachbearbeitungFactory,
    UserFactory,
    VorlageFactory,
)
from vorlagen.models import Textstand, Vorlage

pytestmark = pytest.mark.django_db

HEUTE = datetime.date.today


def frist(tage=7):
    return timezone.localdate() + datetime.timedelta(days=tage)


class Welt:
    def __init__(self):
        self.sos = DienststelleFactory(name="Referat Soziales und gesellschaftliche Integration", kurzname="SOS")
        self.km = DienststelleFactory(name="Grundsatzreferat Klima und Mobilität", kurzname="KM")
        self.wfb = DienststelleFactory(name="Referat Wirtschaft, Finanzen und Beteiligungen", kurzname="WFB")
        self.starter = UserFactory(username="amt-sos")
        self.amt_km = UserFactory(username="amt-km")
        self.amt_km_vertretung = UserFactory(username="amt-km-vertretung")
        self.amt_wfb = UserFactory(username="amt-wfb")
        self.buergermeisterin = UserFactory(username="buergermeister-sos")
        self.fremd = UserFactory(username="fremd")
        DienststellenzugehoerigkeitFactory(benutzer=self.starter, dienststelle=self.sos)
        DienststellenzugehoerigkeitFactory(benutzer=self.amt_km, dienststelle=self.km)
        DienststellenzugehoerigkeitFactory(benutzer=self.amt_wfb, dienststelle=self.wfb)
        DienststellenzugehoerigkeitFactory(benutzer=self.buergermeisterin, dienststelle=self.sos, leitung=True)
        self.vorlage = VorlageFactory(
            entwurf=True, dienststelle=self.sos, nummer=952, titel="20 Jahre Stuttgarter Bündnis für Integration"
        )

    def starten(self, *zeilen, freigabe=None, vorlage=None):
        return services.laufweg_starten(
            vorlage=vorlage or self.vorlage,
            user=self.starter,
            mitzeichnungen=list(zeilen),
            freigabe=freigabe or {"frist": frist(14), "zustaendig": self.buergermeisterin},
        )

    def zeile(self, dienststelle, stufe=1, **weitere):
        return {"dienststelle": dienststelle, "stufe": stufe, "frist": frist(), **weitere}


@pytest.fixture
def w():
    return Welt()


def schritt_von(laufweg, dienststelle, art=Schritt.Art.MITZEICHNUNG):
    return laufweg.schritte.aktuell().get(dienststelle=dienststelle, art=art)


def freigabe_von(laufweg):
    return laufweg.schritte.get(art=Schritt.Art.FREIGABE)


def status(laufweg):
    return {
        (schritt.art, schritt.dienststelle.kurzname, schritt.pk): schritt.status
        for schritt in laufweg.schritte.select_related("dienststelle")
    }


# The routes ------------------------------------------------------------------------------------------------------


def test_parallel_mitzeichnungen_open_together_and_the_freigabe_opens_after_both(w):
    laufweg = w.starten(w.zeile(w.km), w.zeile(w.wfb))

    assert schritt_von(laufweg, w.km).status == Schritt.Status.OFFEN
    assert schritt_von(laufweg, w.wfb).status == Schritt.Status.OFFEN
    assert freigabe_von(laufweg).status == Schritt.Status.WARTET

    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    assert freigabe_von(laufweg).status == Schritt.Status.WARTET

    services.schritt_entscheiden(
        schritt=schritt_von(laufweg, w.wfb), user=w.amt_wfb, entscheidung="mit_anmerkung", anmerkung="Mittel 2027 "
    )
    freigabe = freigabe_von(laufweg)
    assert freigabe.status == Schritt.Status.OFFEN
    assert freigabe.geoeffnet_am is not None


def test_serial_mitzeichnung_waits_for_the_lower_stufe(w):
    laufweg = w.starten(w.zeile(w.km, stufe=1), w.zeile(w.wfb, stufe=2))

    assert schritt_von(laufweg, w.wfb).status == Schritt.Status.WARTET
    with pytest.raises(ValidationError, match="nicht offen"):
        services.schritt_entscheiden(schritt=schritt_von(laufweg, w.wfb), user=w.amt_wfb, entscheidung="zugestimmt")

    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    assert schritt_von(laufweg, w.wfb).status == Schritt.Status.OFFEN
    assert freigabe_von(laufweg).status == Schritt.Status.WARTET
    assert freigabe_von(laufweg).stufe == 3


def test_an_approved_freigabe_releases_the_vorlage(w):
    laufweg = w.starten(w.zeile(w.km))
    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    jetzt = timezone.now()

    freigabe = services.schritt_entscheiden(
        schritt=freigabe_von(laufweg), user=w.buergermeisterin, entscheidung="zugestimmt", jetzt=jetzt
    )

    laufweg.refresh_from_db()
    w.vorlage.refresh_from_db()
    assert laufweg.status == Laufweg.Status.FREIGEGEBEN
    assert laufweg.beendet_am == jetzt
    assert w.vorlage.freigegeben_am == jetzt
    assert freigabe.textstand == Textstand.objects.get(vorlage=w.vorlage)
    assert freigabe.entschieden_von == w.buergermeisterin


def test_an_objection_returns_the_route_and_the_remaining_steps_fall_away(w, smtp, django_capture_on_commit_callbacks):
    laufweg = w.starten(w.zeile(w.km), w.zeile(w.wfb))
    with django_capture_on_commit_callbacks(execute=True):
        services.schritt_entscheiden(
            schritt=schritt_von(laufweg, w.km),
            user=w.amt_km,
            entscheidung="einspruch",
            anmerkung="Die Klimafolgen fehlen.",
        )

    laufweg.refresh_from_db()
    assert laufweg.status == Laufweg.Status.ZURUECKGEGEBEN
    assert laufweg.beendet_am is not None
    assert schritt_von(laufweg, w.wfb).status == Schritt.Status.ENTFALLEN
    assert freigabe_von(laufweg).status == Schritt.Status.ENTFALLEN
    (mail,) = smtp.an(w.starter.email)
    assert mail["Subject"] == "Einspruch: GRDrs 952/2021"
    assert "Die Klimafolgen fehlen." in mail.get_content()
    # The Vorlage may go on a new route after the objection.
    w.starten(w.zeile(w.km))


def test_an_objection_and_a_remark_need_a_reason(w):
    laufweg = w.starten(w.zeile(w.km))
    for entscheidung in ("einspruch", "mit_anmerkung"):
        with pytest.raises(ValidationError):
            services.schritt_entscheiden(
                schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung=entscheidung, anmerkung="  "
            )
    assert schritt_von(laufweg, w.km).status == Schritt.Status.OFFEN


def test_a_text_changed_after_a_mitzeichnung_asks_that_dienststelle_again(w, smtp, django_capture_on_commit_callbacks):
    laufweg = w.starten(w.zeile(w.km, frist=frist(1)), w.zeile(w.wfb))
    alt = services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    gesehen = alt.textstand

    Vorlage.objects.filter(pk=w.vorlage.pk).update(beschlussantrag="Neu gefasster Antrag.")
    with django_capture_on_commit_callbacks(execute=True):
        (neu,) = services.text_geaendert(vorlage=w.vorlage, user=w.starter)

    alt.refresh_from_db()
    assert alt.status == Schritt.Status.ZUGESTIMMT
    assert alt.textstand == gesehen
    assert neu.wiederholung_von == alt
    assert neu.status == Schritt.Status.OFFEN
    assert (neu.dienststelle, neu.stufe) == (w.km, 1)
    assert neu.frist == frist(services.NEUE_FRIST_TAGE)
    (mail,) = smtp.an(w.amt_km.email)
    assert mail["Subject"] == "Mitzeichnung erbeten: GRDrs 952/2021"
    assert "geändert" in mail.get_content()
    # The Dienststelle not yet decided is not asked twice.
    assert laufweg.schritte.filter(dienststelle=w.wfb).count() == 1

    entschieden = services.schritt_entscheiden(schritt=neu, user=w.amt_km, entscheidung="zugestimmt")
    assert entschieden.textstand != gesehen


def test_the_freigabe_of_a_text_changed_since_the_mitzeichnung_is_refused(w):
    laufweg = w.starten(w.zeile(w.km))
    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    Vorlage.objects.filter(pk=w.vorlage.pk).update(bericht="Ein anderer Bericht.")

    with pytest.raises(ValidationError, match="erneut mitzeichnen"):
        services.schritt_entscheiden(schritt=freigabe_von(laufweg), user=w.buergermeisterin, entscheidung="zugestimmt")

    # Asked again, the open Freigabe waits until the Dienststelle has decided once more.
    (neu,) = services.text_geaendert(vorlage=w.vorlage, user=w.starter)
    assert freigabe_von(laufweg).status == Schritt.Status.WARTET
    services.schritt_entscheiden(schritt=neu, user=w.amt_km, entscheidung="zugestimmt")
    assert freigabe_von(laufweg).status == Schritt.Status.OFFEN
    services.schritt_entscheiden(schritt=freigabe_von(laufweg), user=w.buergermeisterin, entscheidung="zugestimmt")
    w.vorlage.refresh_from_db()
    assert w.vorlage.freigegeben_am is not None


def test_an_unchanged_text_asks_nobody_again(w):
    laufweg = w.starten(w.zeile(w.km))
    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    Vorlage.objects.filter(pk=w.vorlage.pk).update(aktenzeichen="SOS 123")  # not part of the text

    assert services.text_geaendert(vorlage=w.vorlage, user=w.starter) == []


# Who decides -----------------------------------------------------------------------------------------------------


def test_the_vertretung_decides_for_the_person_in_charge(w):
    laufweg = w.starten(w.zeile(w.km, zustaendig=w.amt_km, vertretung=w.amt_km_vertretung))
    schritt = schritt_von(laufweg, w.km)

    assert list(Schritt.objects.offen_fuer(w.amt_km_vertretung)) == [schritt]
    entschieden = services.schritt_entscheiden(schritt=schritt, user=w.amt_km_vertretung, entscheidung="zugestimmt")
    assert entschieden.entschieden_von == w.amt_km_vertretung


def test_a_wrong_user_is_refused(w):
    laufweg = w.starten(w.zeile(w.km, zustaendig=w.amt_km))
    schritt = schritt_von(laufweg, w.km)
    kollegin = UserFactory(username="amt-km-kollegin")
    DienststellenzugehoerigkeitFactory(benutzer=kollegin, dienststelle=w.km)

    for benutzer in (w.fremd, w.amt_wfb, kollegin):  # named person in charge: colleagues may not decide either
        assert not services.darf_entscheiden(benutzer, schritt)
        assert not Schritt.objects.offen_fuer(benutzer).exists()
        with pytest.raises(ValidationError, match="nicht entscheiden"):
            services.schritt_entscheiden(schritt=schritt, user=benutzer, entscheidung="zugestimmt")
    assert schritt_von(laufweg, w.km).status == Schritt.Status.OFFEN


def test_without_a_person_in_charge_anyone_of_the_dienststelle_decides_and_the_freigabe_needs_leitung(w):
    laufweg = w.starten(w.zeile(w.km), freigabe={"frist": frist(14)})
    ehemalig = UserFactory(username="amt-km-ehemalig")
    DienststellenzugehoerigkeitFactory(
        benutzer=ehemalig, dienststelle=w.km, beginn=datetime.date(2020, 1, 1), ende=datetime.date(2021, 1, 1)
    )
    assert not services.darf_entscheiden(ehemalig, schritt_von(laufweg, w.km))
    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")

    freigabe = freigabe_von(laufweg)
    assert freigabe.dienststelle == w.sos  # the federführende
    assert not services.darf_entscheiden(w.starter, freigabe)  # in the Dienststelle, without Leitung
    assert services.darf_entscheiden(w.buergermeisterin, freigabe)
    assert list(Schritt.objects.offen_fuer(w.buergermeisterin)) == [freigabe]
    assert not Schritt.objects.offen_fuer(w.starter).exists()


def test_a_freigabe_is_given_or_refused_not_given_with_a_remark(w):
    laufweg = w.starten()
    with pytest.raises(ValidationError, match="Freigabe"):
        services.schritt_entscheiden(
            schritt=freigabe_von(laufweg), user=w.buergermeisterin, entscheidung="mit_anmerkung", anmerkung="Gut."
        )


# Starting --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aenderung", "meldung"),
    [
        (lambda w: {"vorlage": VorlageFactory(dienststelle=w.sos)}, "Nur ein Entwurf"),
        (lambda w: {"zeilen": [w.zeile(w.km, frist=HEUTE() - datetime.timedelta(days=1))]}, "Vergangenheit"),
        (lambda w: {"zeilen": [w.zeile(w.km), w.zeile(w.km, stufe=2)]}, "zweimal"),
        (lambda w: {"zeilen": [w.zeile(w.sos)]}, "federführend"),
        (lambda w: {"zeilen": [w.zeile(w.km, stufe=0)]}, "Stufe"),
        (lambda w: {"freigabe": {"frist": frist(), "zustaendig": w.starter}}, "keine Leitung"),
        (lambda w: {"zeilen": [w.zeile(w.km, zustaendig=w.amt_km, vertretung=w.amt_km)]}, "andere Person"),
    ],
    ids=["published", "past-due-date", "twice", "lead-office", "stufe-0", "freigabe-without-leitung", "self-deputy"],
)
def test_a_route_with_bad_input_is_refused_in_german(w, aenderung, meldung):
    werte = aenderung(w)
    with pytest.raises(ValidationError, match=meldung):
        w.starten(*werte.get("zeilen", [w.zeile(w.km)]), freigabe=werte.get("freigabe"), vorlage=werte.get("vorlage"))
    assert not Laufweg.objects.exists()


def test_a_vorlage_has_only_one_running_route(w):
    w.starten(w.zeile(w.km))
    with pytest.raises(ValidationError, match="läuft schon"):
        w.starten(w.zeile(w.wfb))


def test_a_cancelled_route_lets_its_open_steps_fall_away_and_keeps_the_decided_ones(w):
    laufweg = w.starten(w.zeile(w.km), w.zeile(w.wfb))
    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")

    with pytest.raises(ValidationError, match="Grund"):
        services.laufweg_abbrechen(laufweg=laufweg, user=w.starter, grund=" ")
    services.laufweg_abbrechen(laufweg=laufweg, user=w.starter, grund="Vorlage wird neu geschrieben.")

    laufweg.refresh_from_db()
    assert laufweg.status == Laufweg.Status.ABGEBROCHEN
    assert schritt_von(laufweg, w.km).status == Schritt.Status.ZUGESTIMMT
    assert schritt_von(laufweg, w.wfb).status == Schritt.Status.ENTFALLEN
    with pytest.raises(ValidationError, match="beendet"):
        services.laufweg_abbrechen(laufweg=laufweg, user=w.starter, grund="nochmal")


# The database's rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "feld_wert",
    [{"status": "einspruch", "anmerkung": "nachträglich"}, {"anmerkung": "nachträglich"}, {"textstand": None}],
    ids=["status", "anmerkung", "textstand"],
)
def test_the_database_refuses_to_change_a_decided_step(w, feld_wert):
    laufweg = w.starten(w.zeile(w.km))
    schritt = services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    with pytest.raises(IntegrityError), transaction.atomic():
        Schritt.objects.filter(pk=schritt.pk).update(**feld_wert)
    schritt.refresh_from_db()
    assert schritt.status == Schritt.Status.ZUGESTIMMT


def test_a_decided_step_cannot_be_deleted(w):
    laufweg = w.starten(w.zeile(w.km), w.zeile(w.wfb))
    schritt = services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    with pytest.raises(IntegrityError), transaction.atomic():
        Schritt.objects.filter(pk=schritt.pk).delete()
    if connection.vendor == "postgresql":
        # Below the ORM too.
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM mitzeichnung_schritt WHERE id = %s", [schritt.pk])
    assert Schritt.objects.filter(pk=schritt.pk).exists()
    # An undecided step may still change (the route opens, waits and cancels them).
    Schritt.objects.filter(pk=schritt_von(laufweg, w.wfb).pk).update(frist=frist(30))


def test_one_freigabe_per_textstand(w):
    laufweg = w.starten()
    freigabe = services.schritt_entscheiden(
        schritt=freigabe_von(laufweg), user=w.buergermeisterin, entscheidung="zugestimmt"
    )
    zweiter = Laufweg.objects.create(vorlage=w.vorlage, gestartet_von=w.starter, gestartet_am=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Schritt.objects.create(
            laufweg=zweiter,
            art=Schritt.Art.FREIGABE,
            dienststelle=w.sos,
            frist=frist(),
            status=Schritt.Status.ZUGESTIMMT,
            entschieden_am=timezone.now(),
            entschieden_von=w.buergermeisterin,
            textstand=freigabe.textstand,
        )


# Mails, the printed line, the audit trail ------------------------------------------------------------------------


def test_task_mails_reach_the_people_of_the_opened_steps(w, smtp, django_capture_on_commit_callbacks):
    ohne_adresse = UserFactory(username="ohne-adresse", email="")
    DienststellenzugehoerigkeitFactory(benutzer=ohne_adresse, dienststelle=w.wfb)
    with django_capture_on_commit_callbacks(execute=True):
        laufweg = w.starten(w.zeile(w.km, zustaendig=w.amt_km, vertretung=w.amt_km_vertretung), w.zeile(w.wfb))

    km = schritt_von(laufweg, w.km)
    for benutzer in (w.amt_km, w.amt_km_vertretung):
        (mail,) = smtp.an(benutzer.email)
        assert mail["Subject"] == "Mitzeichnung erbeten: GRDrs 952/2021"
        text = mail.get_content()
        assert "20 Jahre Stuttgarter Bündnis für Integration" in text
        assert f"Frist: {frist():%d.%m.%Y}" in text
        assert absolut_reverse("mitzeichnung:aufgabe", pk=km.pk) in text
    # Nobody named: every member of the Dienststelle; one without an address still has the open step.
    assert len(smtp.an(w.amt_wfb.email)) == 1
    assert schritt_von(laufweg, w.wfb).status == Schritt.Status.OFFEN
    assert not smtp.an(w.buergermeisterin.email)  # the Freigabe waits

    with django_capture_on_commit_callbacks(execute=True):
        services.schritt_entscheiden(schritt=km, user=w.amt_km, entscheidung="zugestimmt")
        services.schritt_entscheiden(schritt=schritt_von(laufweg, w.wfb), user=w.amt_wfb, entscheidung="zugestimmt")
    (mail,) = smtp.an(w.buergermeisterin.email)
    assert mail["Subject"] == "Freigabe erbeten: GRDrs 952/2021"
    assert not smtp.an(w.starter.email)  # no Leitung


def test_a_step_nobody_can_be_mailed_about_is_named_for_the_starter(w):
    leer = DienststelleFactory(name="Amt ohne Konten")
    laufweg = w.starten(w.zeile(leer), w.zeile(w.km))
    assert services.ohne_adresse(list(laufweg.schritte.offen())) == [schritt_von(laufweg, leer)]


def test_the_printed_mitzeichnung_is_filled_from_the_route(w):
    laufweg = w.starten(w.zeile(w.km), w.zeile(w.wfb))
    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    w.vorlage.refresh_from_db()
    assert w.vorlage.mitzeichnung == "Grundsatzreferat KM: zugestimmt"

    services.schritt_entscheiden(
        schritt=schritt_von(laufweg, w.wfb),
        user=w.amt_wfb,
        entscheidung="mit_anmerkung",
        anmerkung="Deckung im\nDoppelhaushalt klären.",
    )
    w.vorlage.refresh_from_db()
    assert w.vorlage.mitzeichnung == (
        "Grundsatzreferat KM: zugestimmt\nReferat WFB: zugestimmt mit Anmerkung: Deckung im Doppelhaushalt klären."
    )
    assert services.mitzeichnung_text(w.vorlage) == w.vorlage.mitzeichnung
    # Writing the printed line makes no new version of the text.
    assert Textstand.objects.filter(vorlage=w.vorlage).count() == 1


def test_every_start_decision_reask_and_cancel_is_in_the_vorlage_history(w):
    laufweg = w.starten(w.zeile(w.km))
    km = services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    Vorlage.objects.filter(pk=w.vorlage.pk).update(bericht="Geändert.")
    (neu,) = services.text_geaendert(vorlage=w.vorlage, user=w.starter)
    services.laufweg_abbrechen(laufweg=laufweg, user=w.starter, grund="Zurück an das Amt.")

    eintraege = list(LogEntry.objects.filter(object_id=str(w.vorlage.pk), content_type__model="vorlage").order_by("pk"))
    texte = [eintrag.get_change_message() for eintrag in eintraege]
    assert len(texte) == 4
    assert f"Laufweg {laufweg.pk} gestartet (Textstand {km.textstand_id})" in texte[0]
    assert f"Schritt {km.pk}" in texte[1] and f"Textstand {km.textstand_id}" in texte[1]
    assert eintraege[1].user == w.amt_km
    assert f"Schritt {neu.pk}" in texte[2] and f"statt Schritt {km.pk}" in texte[2]
    assert "Zurück an das Amt." in texte[3]


# The admin -------------------------------------------------------------------------------------------------------


@pytest.fixture
def sitzungsdienst(client):
    benutzer = SachbearbeitungFactory()
    from django.contrib.auth.models import Permission

    benutzer.user_permissions.add(*Permission.objects.filter(content_type__app_label="mitzeichnung"))
    client.force_login(benutzer)
    return client


def test_the_sitzungsdienst_sends_a_draft_on_its_route_from_the_admin(
    w, sitzungsdienst, smtp, django_capture_on_commit_callbacks
):
    aenderung = sitzungsdienst.get(reverse("admin:vorlagen_vorlage_change", args=[w.vorlage.pk]))
    url = reverse("admin:mitzeichnung_laufweg_starten", args=[w.vorlage.pk])
    assert url in aenderung.content.decode()
    assert sitzungsdienst.get(url).status_code == 200

    daten = {
        "mitzeichnung-TOTAL_FORMS": "4",
        "mitzeichnung-INITIAL_FORMS": "0",
        "mitzeichnung-0-dienststelle": w.km.pk,
        "mitzeichnung-0-stufe": "1",
        "mitzeichnung-0-frist": frist().isoformat(),
        "mitzeichnung-0-zustaendig": w.amt_km.pk,
        "mitzeichnung-1-dienststelle": w.wfb.pk,
        "mitzeichnung-1-stufe": "2",
        "mitzeichnung-1-frist": frist().isoformat(),
        "freigabe-dienststelle": w.sos.pk,
        "freigabe-frist": frist(14).isoformat(),
        "freigabe-zustaendig": w.buergermeisterin.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        antwort = sitzungsdienst.post(url, daten)
    laufweg = Laufweg.objects.get(vorlage=w.vorlage)
    assert antwort.status_code == 302
    assert antwort["Location"] == reverse("admin:mitzeichnung_laufweg_change", args=[laufweg.pk])
    assert sorted((s.art, s.stufe, s.status) for s in laufweg.schritte.all()) == [
        ("freigabe", 3, "wartet"),
        ("mitzeichnung", 1, "offen"),
        ("mitzeichnung", 2, "wartet"),
    ]
    assert len(smtp.an(w.amt_km.email)) == 1
    assert sitzungsdienst.get(antwort["Location"]).status_code == 200


def test_the_admin_start_page_shows_a_refusal_instead_of_an_error(w, sitzungsdienst):
    url = reverse("admin:mitzeichnung_laufweg_starten", args=[w.vorlage.pk])
    daten = {
        "mitzeichnung-TOTAL_FORMS": "1",
        "mitzeichnung-INITIAL_FORMS": "0",
        "mitzeichnung-0-dienststelle": w.sos.pk,
        "mitzeichnung-0-stufe": "1",
        "mitzeichnung-0-frist": frist().isoformat(),
        "freigabe-dienststelle": w.sos.pk,
        "freigabe-frist": "1999-01-01",
    }
    antwort = sitzungsdienst.post(url, daten)
    assert antwort.status_code == 200
    assert "Vergangenheit" in antwort.content.decode()
    daten["freigabe-frist"] = frist().isoformat()
    antwort = sitzungsdienst.post(url, daten)
    assert "federführend" in antwort.content.decode()
    assert not Laufweg.objects.exists()


def test_the_admin_cancel_action_asks_for_a_reason(w, sitzungsdienst):
    laufweg = w.starten(w.zeile(w.km))
    changelist = reverse("admin:mitzeichnung_laufweg_changelist")
    auswahl = {"action": "abbrechen", "_selected_action": [laufweg.pk]}
    antwort = sitzungsdienst.post(changelist, auswahl)
    assert antwort.status_code == 200
    assert "Grund des Abbruchs" in antwort.content.decode()

    antwort = sitzungsdienst.post(changelist, {**auswahl, "abbrechen_bestaetigt": "1", "grund": "Neu schreiben."})
    assert antwort.status_code == 302
    laufweg.refresh_from_db()
    assert laufweg.status == Laufweg.Status.ABGEBROCHEN


def test_saving_a_changed_text_in_the_vorlage_admin_asks_the_mitzeichnung_again(w, sitzungsdienst):
    from tests.test_admin import formulardaten

    laufweg = w.starten(w.zeile(w.km))
    services.schritt_entscheiden(schritt=schritt_von(laufweg, w.km), user=w.amt_km, entscheidung="zugestimmt")
    url = reverse("admin:vorlagen_vorlage_change", args=[w.vorlage.pk])
    daten = formulardaten(sitzungsdienst.get(url))
    daten["bericht"] = "Ein ganz neuer Bericht."

    antwort = sitzungsdienst.post(url, daten, follow=True)

    assert antwort.status_code == 200
    assert "erneut erbeten" in antwort.content.decode()
    neu = laufweg.schritte.get(wiederholung_von__isnull=False)
    assert neu.status == Schritt.Status.OFFEN


# The task pages (minimal until the work area replaces them) ------------------------------------------------------


@pytest.mark.parametrize("anzahl", [2, 12])
def test_my_tasks_run_a_fixed_number_of_queries(w, client, django_assert_max_num_queries, anzahl):
    for nummer in range(anzahl):
        vorlage = VorlageFactory(entwurf=True, dienststelle=w.sos, titel=f"Aufgabe {nummer}")
        w.starten(w.zeile(w.km), vorlage=vorlage)
    client.force_login(w.amt_km)
    with django_assert_max_num_queries(12):
        antwort = client.get(reverse("mitzeichnung:aufgaben"))
    assert antwort.content.decode().count("Aufgabe ") >= anzahl


def test_a_task_page_is_for_whoever_may_decide_it(w, client):
    laufweg = w.starten(w.zeile(w.km, zustaendig=w.amt_km))
    url = reverse("mitzeichnung:aufgabe", kwargs={"pk": schritt_von(laufweg, w.km).pk})
    assert client.get(url).status_code == 302  # to the login
    client.force_login(w.fremd)
    assert client.get(url).status_code == 404
    client.force_login(w.amt_km)
    assert client.get(url).status_code == 200
