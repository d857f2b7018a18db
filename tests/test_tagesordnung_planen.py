"""The agenda from the pool (issue 19, item 4): the Vorrat, the Annahmeschluss, putting on, moving, removing and
numbering TOPs, the history of the agenda (also of a Vertagung and a Nachtrag) and the clerk's page."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from einberufung.services import einladung_versenden, nachtrag_versenden
from protokoll.services import top_vertagen
from sitzungen.models import Beratung, Sitzung, Tagesordnungsaenderung, Tagesordnungsfassung, Tagesordnungspunkt
from sitzungen.services import auf_tagesordnung_setzen, top_entfernen, top_verschieben, tops_nummerieren
from tests.factories import (
    AusschussFactory,
    BeratungFactory,
    MitgliedschaftFactory,
    PersonFactory,
    SachbearbeitungFactory,
    SitzungFactory,
    TagesordnungspunktFactory,
    UserFactory,
    VorlageFactory,
)
from vorlagen.models import Vorlage

pytestmark = pytest.mark.django_db

Art = Tagesordnungsaenderung.Art
GEHEIM = "KANARIE-NICHTOEFFENTLICHER-TOP-5d1e"


@pytest.fixture
def clerk():
    return SachbearbeitungFactory(first_name="Sabine", last_name="Sitzungsdienst")


@pytest.fixture
def sitzung():
    return SitzungFactory(
        ausschuss=AusschussFactory(name="Ausschuss für Umwelt und Technik"),
        beginn=timezone.now() + datetime.timedelta(days=14),
        status=Sitzung.Status.GEPLANT,
    )


def im_vorrat(sitzung, *, titel=None, oeffentlich=True, rolle=Beratung.Rolle.BESCHLUSSFASSUNG, **vorlage):
    """A Vorlage (published by default) whose Beratungsfolge names the Sitzung's Gremium, not planned yet."""
    if titel:
        vorlage["titel"] = titel
    return BeratungFactory(
        vorlage=VorlageFactory(**vorlage),
        ausschuss=sitzung.ausschuss,
        rolle=rolle,
        oeffentlich=oeffentlich,
        termin=None,
    )


def agenda(sitzung):
    return [
        (top.bezeichnung, top.titel)
        for top in Tagesordnungspunkt.objects.filter(sitzung=sitzung).order_by("-oeffentlich", "reihenfolge", "pk")
    ]


def verlauf(sitzung):
    return [
        (a.art, a.vorher, a.nachher)
        for a in Tagesordnungsaenderung.objects.filter(sitzung=sitzung).order_by("zeitpunkt", "pk")
    ]


def vorrat_ids(sitzung):
    return {beratung.pk for beratung in Beratung.objects.im_vorrat_fuer(sitzung)}


# -- The pool --


def test_the_pool_holds_released_and_published_vorlagen_of_the_gremium_that_are_on_no_agenda(sitzung):
    freigegeben = im_vorrat(sitzung, entwurf=True, freigegeben_am=timezone.now())
    veroeffentlicht = im_vorrat(sitzung)
    entwurf = im_vorrat(sitzung, entwurf=True)
    zurueckgezogen = im_vorrat(sitzung, status=Vorlage.Status.ZURUECKGEZOGEN, freigegeben_am=timezone.now())
    anderes_gremium = BeratungFactory(vorlage=VorlageFactory(), ausschuss=AusschussFactory(), termin=None)
    andere_sitzung = SitzungFactory(ausschuss=sitzung.ausschuss, status=Sitzung.Status.GEPLANT)
    geplant = im_vorrat(sitzung)
    auf_tagesordnung_setzen(sitzung=andere_sitzung, beratungen=[geplant])
    # Already on this agenda by hand (the admin's TOP rows), with a second step of its Beratungsfolge still open.
    von_hand = im_vorrat(sitzung)
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1).vorlagen.add(von_hand.vorlage)

    assert vorrat_ids(sitzung) == {freigegeben.pk, veroeffentlicht.pk}
    assert entwurf.pk not in vorrat_ids(sitzung) and zurueckgezogen.pk not in vorrat_ids(sitzung)
    assert anderes_gremium.pk not in vorrat_ids(sitzung) and geplant.pk not in vorrat_ids(andere_sitzung)


def test_papers_released_or_published_after_the_annahmeschluss_are_marked_late(sitzung):
    jetzt = timezone.now()
    rechtzeitig = im_vorrat(sitzung, entwurf=True, freigegeben_am=jetzt - datetime.timedelta(days=3))
    spaet_freigegeben = im_vorrat(sitzung, entwurf=True, freigegeben_am=jetzt - datetime.timedelta(hours=1))
    spaet_veroeffentlicht = im_vorrat(sitzung, veroeffentlicht_am=jetzt)
    # Released in time, published late: the Freigabe counts.
    frueh_frei = im_vorrat(
        sitzung,
        freigegeben_am=jetzt - datetime.timedelta(days=5),
        veroeffentlicht_am=jetzt - datetime.timedelta(hours=2),
    )

    ohne_schluss = {b.pk: b.verspaetet for b in Beratung.objects.im_vorrat_fuer(sitzung)}
    assert set(ohne_schluss.values()) == {False}

    sitzung.annahmeschluss = jetzt - datetime.timedelta(days=1)
    sitzung.full_clean()
    sitzung.save()
    verspaetet = {b.pk: b.verspaetet for b in Beratung.objects.im_vorrat_fuer(sitzung)}
    assert verspaetet == {
        rechtzeitig.pk: False,
        frueh_frei.pk: False,
        spaet_freigegeben.pk: True,
        spaet_veroeffentlicht.pk: True,
    }


def test_the_annahmeschluss_lies_before_the_beginning_of_the_sitzung(sitzung):
    sitzung.annahmeschluss = sitzung.beginn + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="Annahmeschluss liegt vor dem Beginn"):
        sitzung.full_clean()


# -- Putting on, moving, removing, numbering --


def test_putting_on_in_the_chosen_order_creates_numbered_tops_tied_to_their_beratung(sitzung, clerk):
    TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Bekanntgaben")
    erste = im_vorrat(sitzung, titel="Radweg Neckartalstraße")
    zweite = im_vorrat(sitzung, titel="Grundstücksankauf Vaihingen", oeffentlich=False)
    dritte = im_vorrat(sitzung, titel="Sanierung Hallenbad")

    neue = auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[dritte, zweite, erste], user=clerk)

    assert [top.bezeichnung for top in neue] == ["Ö 2", "N 1", "Ö 3"]
    assert agenda(sitzung) == [
        ("Ö 1", "Bekanntgaben"),
        ("Ö 2", "Sanierung Hallenbad"),
        ("Ö 3", "Radweg Neckartalstraße"),
        ("N 1", "Grundstücksankauf Vaihingen"),
    ]
    for beratung, top in zip([dritte, zweite, erste], neue, strict=True):
        beratung.refresh_from_db()
        assert beratung.sitzung == sitzung and beratung.tagesordnungspunkt == top
        assert list(top.vorlagen.all()) == [beratung.vorlage]
    assert vorrat_ids(sitzung) == set()
    assert verlauf(sitzung) == [
        (Art.AUFGENOMMEN, "", "Ö 2"),
        (Art.AUFGENOMMEN, "", "N 1"),
        (Art.AUFGENOMMEN, "", "Ö 3"),
    ]
    aenderung = Tagesordnungsaenderung.objects.filter(sitzung=sitzung).first()
    assert aenderung.user == clerk and aenderung.vorlage == dritte.vorlage and not aenderung.nach_einberufung


def test_a_non_public_sitzung_gets_only_non_public_tops(clerk):
    sitzung = SitzungFactory(oeffentlich=False, status=Sitzung.Status.GEPLANT)
    (top,) = auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[im_vorrat(sitzung)], user=clerk)
    assert top.bezeichnung == "N 1"


def test_what_left_the_pool_meanwhile_is_refused_with_a_german_message(sitzung, clerk):
    beratung = im_vorrat(sitzung)
    auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[beratung], user=clerk)
    with pytest.raises(ValidationError, match="Nicht mehr im Vorrat dieser Sitzung"):
        auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[beratung], user=clerk)
    with pytest.raises(ValidationError, match="mindestens eine Vorlage"):
        auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[], user=clerk)


def test_moving_a_top_renumbers_a_planned_agenda_and_records_the_move(sitzung, clerk):
    auf_tagesordnung_setzen(
        sitzung=sitzung, beratungen=[im_vorrat(sitzung, titel=t) for t in ("Alpha", "Beta", "Gamma")], user=clerk
    )
    gamma = Tagesordnungspunkt.objects.get(sitzung=sitzung, titel="Gamma")
    Tagesordnungsaenderung.objects.all().delete()

    top_verschieben(tagesordnungspunkt=gamma, position=1, user=clerk)
    assert agenda(sitzung) == [("Ö 1", "Gamma"), ("Ö 2", "Alpha"), ("Ö 3", "Beta")]
    assert verlauf(sitzung) == [
        (Art.NUMMERIERT, "Ö 1", "Ö 2"),
        (Art.NUMMERIERT, "Ö 2", "Ö 3"),
        (Art.VERSCHOBEN, "Ö 3 (Platz 3)", "Ö 1 (Platz 1)"),
    ]

    top_verschieben(tagesordnungspunkt=gamma, richtung="runter", user=clerk)
    assert agenda(sitzung) == [("Ö 1", "Alpha"), ("Ö 2", "Gamma"), ("Ö 3", "Beta")]
    top_verschieben(tagesordnungspunkt=Tagesordnungspunkt.objects.get(titel="Beta"), richtung="hoch", user=clerk)
    assert agenda(sitzung) == [("Ö 1", "Alpha"), ("Ö 2", "Beta"), ("Ö 3", "Gamma")]
    with pytest.raises(ValidationError, match="zwischen 1 und 3"):
        top_verschieben(tagesordnungspunkt=gamma, richtung="runter", user=clerk)
    with pytest.raises(ValidationError, match="zwischen 1 und 3"):
        top_verschieben(tagesordnungspunkt=gamma, position=9, user=clerk)


def test_removing_a_top_puts_its_vorlage_back_into_the_pool_and_the_history_keeps_its_title(sitzung, clerk):
    beratungen = [im_vorrat(sitzung, titel=t) for t in ("Alpha", "Beta", "Gamma")]
    auf_tagesordnung_setzen(sitzung=sitzung, beratungen=beratungen, user=clerk)
    beta = Tagesordnungspunkt.objects.get(sitzung=sitzung, titel="Beta")

    top_entfernen(tagesordnungspunkt=beta, user=clerk)

    assert agenda(sitzung) == [("Ö 1", "Alpha"), ("Ö 2", "Gamma")]
    assert vorrat_ids(sitzung) == {beratungen[1].pk}
    beratungen[1].refresh_from_db()
    assert beratungen[1].sitzung is None and beratungen[1].tagesordnungspunkt is None
    entfernt = Tagesordnungsaenderung.objects.get(art=Art.ENTFERNT)
    assert (entfernt.vorher, entfernt.titel, entfernt.tagesordnungspunkt) == ("Ö 2", "Beta", None)
    assert entfernt.vorlage == beratungen[1].vorlage
    assert verlauf(sitzung)[-1] == (Art.NUMMERIERT, "Ö 3", "Ö 2")


def test_a_top_with_a_result_is_not_removed(sitzung, clerk):
    (top,) = auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[im_vorrat(sitzung)], user=clerk)
    top.ergebnis = Tagesordnungspunkt.Ergebnis.BESCHLOSSEN
    top.save()
    with pytest.raises(ValidationError, match="schon ein Ergebnis"):
        top_entfernen(tagesordnungspunkt=top, user=clerk)
    assert Tagesordnungspunkt.objects.filter(pk=top.pk).exists()


def test_renumbering_swaps_and_sub_numbers_without_a_constraint_error(sitzung, clerk):
    # Numbers that collide on the way: 3 must become 1 while 1 becomes 2 (the database checks per row).
    for reihenfolge, nummer in enumerate(["3", "1", "2.1", "2"], start=1):
        TagesordnungspunktFactory(sitzung=sitzung, nummer=nummer, reihenfolge=reihenfolge, titel=f"T{nummer}")
    TagesordnungspunktFactory(sitzung=sitzung, nummer="4", reihenfolge=5, oeffentlich=False, titel="N4")

    geaendert = tops_nummerieren(sitzung=sitzung, user=clerk)

    assert agenda(sitzung) == [("Ö 1", "T3"), ("Ö 2", "T1"), ("Ö 3", "T2.1"), ("Ö 4", "T2"), ("N 1", "N4")]
    assert len(geaendert) == 5
    assert sorted(verlauf(sitzung)) == sorted(
        [
            (Art.NUMMERIERT, "Ö 3", "Ö 1"),
            (Art.NUMMERIERT, "Ö 1", "Ö 2"),
            (Art.NUMMERIERT, "Ö 2.1", "Ö 3"),
            (Art.NUMMERIERT, "Ö 2", "Ö 4"),
            (Art.NUMMERIERT, "N 4", "N 1"),
        ]
    )
    assert tops_nummerieren(sitzung=sitzung, user=clerk) == []


def test_a_convened_sitzung_keeps_the_numbers_sent_and_gives_new_tops_the_next_one(clerk):
    sitzung = SitzungFactory(status=Sitzung.Status.EINBERUFEN)
    eins = TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Eins")
    TagesordnungspunktFactory(sitzung=sitzung, nummer="2", reihenfolge=2, titel="Zwei")

    (neu,) = auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[im_vorrat(sitzung, titel="Drei")], user=clerk)
    assert neu.bezeichnung == "Ö 3"
    top_verschieben(tagesordnungspunkt=neu, position=1, user=clerk)
    assert agenda(sitzung) == [("Ö 3", "Drei"), ("Ö 1", "Eins"), ("Ö 2", "Zwei")]
    top_entfernen(tagesordnungspunkt=eins, user=clerk)
    assert agenda(sitzung) == [("Ö 3", "Drei"), ("Ö 2", "Zwei")]
    (noch_einer,) = auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[im_vorrat(sitzung)], user=clerk)
    assert noch_einer.bezeichnung == "Ö 4"
    with pytest.raises(ValidationError, match="die versandten Nummern bleiben"):
        tops_nummerieren(sitzung=sitzung, user=clerk)

    assert verlauf(sitzung) == [
        (Art.AUFGENOMMEN, "", "Ö 3"),
        (Art.VERSCHOBEN, "Ö 3 (Platz 3)", "Ö 3 (Platz 1)"),
        (Art.ENTFERNT, "Ö 1", ""),
        (Art.AUFGENOMMEN, "", "Ö 4"),
    ]
    assert set(Tagesordnungsaenderung.objects.values_list("nach_einberufung", flat=True)) == {True}
    # Each change of the published agenda is a new version of it (sitzungen.fassungen).
    assert [fassung.anlass for fassung in Tagesordnungsfassung.objects.der_sitzung(sitzung)] == [
        "Tagesordnungspunkte aufgenommen",
        "Tagesordnungspunkt verschoben",
        "Tagesordnungspunkt entfernt",
        "Tagesordnungspunkte aufgenommen",
    ]


def test_a_convened_sitzung_refuses_a_released_draft(clerk):
    sitzung = SitzungFactory(status=Sitzung.Status.EINBERUFEN)
    entwurf = im_vorrat(sitzung, entwurf=True, freigegeben_am=timezone.now())
    with pytest.raises(ValidationError, match="nur veröffentlichte Vorlagen"):
        auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[entwurf], user=clerk)
    assert not Tagesordnungspunkt.objects.filter(sitzung=sitzung).exists()


# -- The history from the other apps: Vertagung and Nachtrag --


def test_a_vertagung_is_recorded_at_both_sitzungen(clerk):
    ausschuss = AusschussFactory()
    frueher = SitzungFactory(ausschuss=ausschuss, beginn=timezone.now() - datetime.timedelta(days=3))
    spaeter = SitzungFactory(ausschuss=ausschuss, status=Sitzung.Status.GEPLANT)
    (top,) = auf_tagesordnung_setzen(sitzung=frueher, beratungen=[im_vorrat(frueher, titel="Hallenbad")], user=clerk)
    top.ergebnis = Tagesordnungspunkt.Ergebnis.VERTAGT
    top.save()

    neu = top_vertagen(tagesordnungspunkt=top, sitzung=spaeter, user=clerk)

    datum = timezone.localtime(spaeter.beginn).strftime("%d.%m.%Y")
    vertagt = Tagesordnungsaenderung.objects.get(sitzung=frueher, art=Art.VERTAGT)
    assert (vertagt.vorher, vertagt.nachher, vertagt.titel) == ("Ö 1", f"{spaeter.titel}, {datum}, Ö 1", "Hallenbad")
    angekommen = Tagesordnungsaenderung.objects.get(sitzung=spaeter)
    assert angekommen.art == Art.AUS_VERTAGUNG and angekommen.tagesordnungspunkt == neu
    assert angekommen.vorher.startswith(frueher.titel) and angekommen.nachher == "Ö 1"
    assert angekommen.user == clerk and angekommen.vorlage == top.vorlagen.get()


def test_a_nachtrag_records_the_tops_it_sent(smtp, sitzung, clerk, django_capture_on_commit_callbacks):
    MitgliedschaftFactory(person=PersonFactory(email="mia@example.org"), ausschuss=sitzung.ausschuss)
    auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[im_vorrat(sitzung, titel="Radweg")], user=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        einladung_versenden(sitzung=sitzung, user=clerk)
    sitzung.refresh_from_db()
    (neu,) = auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[im_vorrat(sitzung, titel="Baumschutz")], user=clerk)

    with django_capture_on_commit_callbacks(execute=True):
        nachtrag_versenden(sitzung=sitzung, user=clerk)

    nachtrag = Tagesordnungsaenderung.objects.get(art=Art.NACHTRAG)
    assert nachtrag.tagesordnungspunkt == neu and nachtrag.nachher == "Ö 2, mit dem 1. Nachtrag"
    assert nachtrag.titel == "Baumschutz" and nachtrag.nach_einberufung and nachtrag.user == clerk
    assert len(smtp.an("mia@example.org")) == 2


# -- The public section --


def test_the_public_history_shows_changes_after_the_einladung_and_hides_a_non_public_tops_title(client, clerk):
    sitzung = SitzungFactory(status=Sitzung.Status.GEPLANT)
    auf_tagesordnung_setzen(sitzung=sitzung, beratungen=[im_vorrat(sitzung, titel="Geplant vorher")], user=clerk)
    sitzung.status = Sitzung.Status.EINBERUFEN
    sitzung.save()
    auf_tagesordnung_setzen(
        sitzung=sitzung,
        beratungen=[
            im_vorrat(sitzung, titel="Radweg nachgereicht"),
            im_vorrat(sitzung, titel=GEHEIM, oeffentlich=False),
        ],
        user=clerk,
    )
    mitglied = UserFactory()
    MitgliedschaftFactory(person=PersonFactory(benutzer=mitglied), ausschuss=sitzung.ausschuss)
    url = sitzung.get_absolute_url()

    seite = client.get(url).content.decode()
    abschnitt = seite.split('id="tagesordnung-aenderungen"')[1]
    assert "Radweg nachgereicht" in abschnitt and "aufgenommen" in abschnitt and "N 1" in abschnitt
    assert GEHEIM not in seite
    assert "Geplant vorher" not in abschnitt

    client.force_login(mitglied)
    assert GEHEIM in client.get(url).content.decode().split('id="tagesordnung-aenderungen"')[1]


# -- The clerk's page --


def planen_url(sitzung):
    return reverse("sitzungen:tagesordnung-planen", kwargs={"pk": sitzung.pk})


def test_the_page_exists_only_for_clerks_who_may_change_sitzungen(client, sitzung, clerk):
    url = planen_url(sitzung)
    antwort = client.get(url)
    assert antwort.status_code == 302 and reverse("konto:anmelden") in antwort["Location"]
    ratsmitglied = UserFactory()
    MitgliedschaftFactory(person=PersonFactory(benutzer=ratsmitglied), ausschuss=sitzung.ausschuss)
    client.force_login(ratsmitglied)
    assert client.get(url).status_code == 404
    assert client.post(url, {"aktion": "nummerieren"}).status_code == 404
    nur_lesen = UserFactory(is_staff=True)
    nur_lesen.user_permissions.add(Permission.objects.get(codename="view_sitzung"))
    client.force_login(nur_lesen)
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    assert client.get(reverse("sitzungen:tagesordnung-planen", kwargs={"pk": 999999})).status_code == 404


def test_the_clerk_puts_on_moves_renumbers_and_removes_through_plain_forms(client, sitzung, clerk):
    sitzung.annahmeschluss = timezone.now() - datetime.timedelta(days=1)
    sitzung.save()
    alt = im_vorrat(sitzung, titel="Alpha", veroeffentlicht_am=timezone.now() - datetime.timedelta(days=2))
    spaet = im_vorrat(sitzung, titel="Beta")
    client.force_login(clerk)
    url = planen_url(sitzung)
    seite = client.get(url).content.decode()
    assert "Alpha" in seite and "verspätet" in seite.split("Beta")[1].split("</tr>")[0]
    assert "verspätet" not in seite.split("Alpha")[1].split("</tr>")[0]

    antwort = client.post(
        url, {"aktion": "aufnehmen", "beratungen": [alt.pk, spaet.pk], f"platz-{spaet.pk}": "1"}, follow=True
    )
    assert antwort.redirect_chain == [(url, 302)]
    assert "Auf die Tagesordnung gesetzt: Ö 1, Ö 2" in antwort.content.decode()
    assert agenda(sitzung) == [("Ö 1", "Beta"), ("Ö 2", "Alpha")]

    alpha = Tagesordnungspunkt.objects.get(titel="Alpha")
    assert client.post(url, {"aktion": "hoch", "tagesordnungspunkt": alpha.pk}).status_code == 302
    assert agenda(sitzung) == [("Ö 1", "Alpha"), ("Ö 2", "Beta")]
    assert client.post(url, {"aktion": "position", "tagesordnungspunkt": alpha.pk, "position": "2"}).status_code == 302
    assert agenda(sitzung) == [("Ö 1", "Beta"), ("Ö 2", "Alpha")]
    Tagesordnungspunkt.objects.filter(pk=alpha.pk).update(nummer="7")
    antwort = client.post(url, {"aktion": "nummerieren"}, follow=True)
    assert "Die Nummern sind neu vergeben (1 geändert)." in antwort.content.decode()
    antwort = client.post(url, {"aktion": "entfernen", "tagesordnungspunkt": alpha.pk}, follow=True)
    assert "wieder im Vorrat" in antwort.content.decode()
    assert agenda(sitzung) == [("Ö 1", "Beta")]
    seite = client.get(url).content.decode()
    historie = seite.split('id="verlauf"')[1]
    for art in ("aufgenommen", "verschoben", "neu nummeriert", "entfernt", "Sabine Sitzungsdienst"):
        assert art in historie


@pytest.mark.parametrize(
    ("daten", "meldung"),
    [
        ({"aktion": "zaubern"}, "Unbekannte Aktion."),
        ({"aktion": "aufnehmen"}, "mindestens eine Vorlage"),
        ({"aktion": "aufnehmen", "beratungen": ["999999"]}, "nicht (mehr) im Vorrat"),
        ({"aktion": "aufnehmen", "beratungen": ["abc"]}, "Ungültige Auswahl."),
        ({"aktion": "aufnehmen", "beratungen": ["VORRAT"], "platz-VORRAT": "x"}, "ganze Zahl zwischen 1 und 999"),
        ({"aktion": "position", "tagesordnungspunkt": "TOP", "position": "9"}, "zwischen 1 und 1"),
        ({"aktion": "position", "tagesordnungspunkt": "TOP"}, "Bitte geben Sie die Position an."),
        ({"aktion": "hoch", "tagesordnungspunkt": "999999"}, "gibt es hier nicht"),
    ],
)
def test_bad_input_answers_400_with_a_german_reason(client, sitzung, clerk, daten, meldung):
    beratung = im_vorrat(sitzung)
    top = TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1)
    ersetzen = {"VORRAT": str(beratung.pk), "TOP": str(top.pk)}
    daten = {
        schluessel.replace("VORRAT", ersetzen["VORRAT"]): (
            [ersetzen.get(w, w) for w in wert] if isinstance(wert, list) else ersetzen.get(wert, wert)
        )
        for schluessel, wert in daten.items()
    }
    client.force_login(clerk)
    antwort = client.post(planen_url(sitzung), daten)
    assert antwort.status_code == 400
    assert meldung in antwort.content.decode()


def _welt(sitzung, anzahl, clerk):
    for i in range(anzahl):
        im_vorrat(sitzung, oeffentlich=i % 2 == 0)
    pool = list(Beratung.objects.im_vorrat_fuer(sitzung))[: anzahl // 2]
    auf_tagesordnung_setzen(sitzung=sitzung, beratungen=pool, user=clerk)


def test_the_clerk_page_runs_the_same_number_of_queries_for_2_and_12_rows(
    client, sitzung, clerk, django_assert_max_num_queries
):
    client.force_login(clerk)
    url = planen_url(sitzung)
    _welt(sitzung, 4, clerk)
    with django_assert_max_num_queries(100) as abfragen:
        assert client.get(url).status_code == 200
    wenige = len(abfragen.captured_queries)
    _welt(sitzung, 24, clerk)
    assert Tagesordnungspunkt.objects.filter(sitzung=sitzung).count() == 14
    with django_assert_max_num_queries(wenige):
        assert client.get(url).status_code == 200


def test_the_public_sitzung_page_runs_the_same_number_of_queries_with_2_and_12_changes(
    client, clerk, django_assert_max_num_queries
):
    sitzung = SitzungFactory(status=Sitzung.Status.EINBERUFEN)
    _welt(sitzung, 4, clerk)
    with django_assert_max_num_queries(100) as abfragen:
        assert client.get(sitzung.get_absolute_url()).status_code == 200
    wenige = len(abfragen.captured_queries)
    _welt(sitzung, 24, clerk)
    assert Tagesordnungsaenderung.objects.filter(sitzung=sitzung).count() == 14
    with django_assert_max_num_queries(wenige):
        assert client.get(sitzung.get_absolute_url()).status_code == 200


def test_the_sitzung_admin_offers_the_annahmeschluss_and_links_the_agenda_page(client, sitzung, clerk):
    client.force_login(clerk)
    seite = client.get(reverse("admin:sitzungen_sitzung_change", args=[sitzung.pk])).content.decode()
    assert 'name="annahmeschluss_0"' in seite
    assert planen_url(sitzung) in seite


def test_the_demo_has_a_sitzung_with_an_annahmeschluss_and_a_vorlage_waiting_in_its_pool(demodaten, client, clerk):
    sitzung = Sitzung.objects.get(ausschuss__slug="ausschuss-fuer-kultur-und-medien", annahmeschluss__isnull=False)
    assert sitzung.status == Sitzung.Status.GEPLANT and sitzung.annahmeschluss < sitzung.beginn
    vorrat = [beratung.vorlage.titel for beratung in Beratung.objects.im_vorrat_fuer(sitzung)]
    assert "Stadtbibliothek: Erfahrungen mit den erweiterten Öffnungszeiten am Sonntag" in vorrat
    client.force_login(clerk)
    assert "Stadtbibliothek: Erfahrungen" in client.get(planen_url(sitzung)).content.decode()
