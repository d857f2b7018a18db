"""Versions of a Vorlage: Neufassung and Ergänzung linked both ways, the public diff, the PDF annex, OParl and the
importer's mapping (issue 19, item 5 first half and item 6)."""

import datetime
import json
import re
import subprocess
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import AnlageFactory, SachbearbeitungFactory, VorlageFactory
from vorlagen import services
from vorlagen.models import Vorlage
from vorlagen.unterschiede import (
    EINGEFUEGT,
    GEAENDERT,
    GELOESCHT,
    GLEICH,
    abschnitte_vergleichen,
    anlagen_vergleichen,
    hat_unterschiede,
    text_vergleichen,
    woerter_vergleichen,
)


def fassungen(**weitere):
    """A published Vorlage and its published Neufassung (same number, linked)."""
    alt = VorlageFactory(
        nummer=760,
        jahr=2026,
        datum=datetime.date(2026, 11, 2),
        titel="Parken in Heslach",
        beschlussantrag="1. Gebühren von 8 bis 22 Uhr.\n\n2. Bewohnerparken.",
    )
    neu = VorlageFactory(
        nummer=760,
        jahr=2026,
        zusatz="Neufassung",
        datum=datetime.date(2026, 11, 9),
        titel="Parken in Heslach",
        beschlussantrag="1. Gebühren von 8 bis 20 Uhr.\n\n2. Bewohnerparken.\n\n3. Ladezonen.",
        bezug=alt,
        bezugsart=Vorlage.Bezugsart.NEUFASSUNG,
        **weitere,
    )
    return alt, neu


class Markiert(HTMLParser):
    """The text inside each <del> and <ins> of a page, and the visually hidden prefix each starts with."""

    def __init__(self):
        super().__init__()
        self.stuecke = {"del": [], "ins": []}
        self.offen = None
        self.praefixe = []
        self.in_versteckt = False

    def handle_starttag(self, tag, attrs):
        if tag in self.stuecke:
            self.offen = tag
            self.stuecke[tag].append("")
        elif self.offen and "visually-hidden" in (dict(attrs).get("class") or ""):
            self.in_versteckt = True
            self.praefixe.append((self.offen, ""))

    def handle_endtag(self, tag):
        if tag == self.offen:
            self.offen = None
        elif tag == "span":
            self.in_versteckt = False

    def handle_data(self, data):
        if self.offen:
            self.stuecke[self.offen][-1] += data
            if self.in_versteckt:
                art, text = self.praefixe[-1]
                self.praefixe[-1] = (art, text + data)


def markiert(antwort, abschnitt=None):
    html = antwort.content.decode()
    if abschnitt:
        html = html[html.index(abschnitt) :]
    leser = Markiert()
    leser.feed(html)
    return leser


# -- the diff function --------------------------------------------------------------------------------------------


def test_words_that_changed_come_out_as_deleted_and_inserted_pieces():
    stuecke = woerter_vergleichen("werktags von 8 bis 22 Uhr", "werktags von 8 bis 20 Uhr")
    assert [(s.art, s.text.strip()) for s in stuecke] == [
        (GLEICH, "werktags von 8 bis"),
        (GELOESCHT, "22"),
        (EINGEFUEGT, "20"),
        (GLEICH, "Uhr"),
    ]


def test_an_added_paragraph_is_one_insertion_and_leaves_the_others_unchanged():
    absaetze = text_vergleichen("Eins.\n\nZwei.", "Eins.\n\nZwei.\n\nDrei.")
    assert [a.art for a in absaetze] == [GLEICH, GLEICH, EINGEFUEGT]
    assert absaetze[2].neu[0].text == "Drei." and absaetze[2].alt == ()


def test_a_removed_paragraph_is_one_deletion():
    absaetze = text_vergleichen("Eins.\nZwei.\nDrei.", "Eins.\nDrei.")
    assert [a.art for a in absaetze] == [GLEICH, GELOESCHT, GLEICH]


def test_a_changed_paragraph_keeps_both_sides_for_the_side_by_side_view():
    (absatz,) = text_vergleichen("Kosten 480.000 EUR.", "Kosten 520.000 EUR.")
    assert absatz.art == GEAENDERT
    assert "".join(s.text for s in absatz.alt) == "Kosten 480.000 EUR."
    assert "".join(s.text for s in absatz.neu) == "Kosten 520.000 EUR."


def test_sections_compare_field_by_field_and_leave_out_sections_empty_in_both():
    abschnitte = abschnitte_vergleichen(
        {"titel": "T", "bericht": "", "begruendung": "alt"}, {"titel": "T", "bericht": "", "begruendung": "neu"}
    )
    assert [a.feld for a in abschnitte] == ["titel", "begruendung"]
    assert [a.geaendert for a in abschnitte] == [False, True]
    assert hat_unterschiede(abschnitte)
    assert not hat_unterschiede(abschnitte_vergleichen({"titel": "T"}, {"titel": "T"}))


def test_a_section_only_the_new_version_has_is_all_inserted():
    (abschnitt,) = abschnitte_vergleichen({"bericht": ""}, {"bericht": "Neu.\n\nAuch neu."})
    assert [a.art for a in abschnitt.absaetze] == [EINGEFUEGT, EINGEFUEGT]


def test_anlagen_removed_and_added_by_title():
    assert anlagen_vergleichen(["Plan", "Karte"], ["Karte", "Gutachten"]) == (["Plan"], ["Gutachten"])


# -- the diff page --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_diff_page_of_the_demo_neufassung_shows_the_changed_hour_and_the_added_point(client, demodaten):
    neu = Vorlage.objects.get(nummer=760, zusatz="Neufassung")
    antwort = client.get(reverse("vorlagen:unterschiede", kwargs={"kennung": neu.kennung}))
    assert antwort.status_code == 200
    leser = markiert(antwort)
    assert "gelöscht: 22 " in leser.stuecke["del"]
    assert "eingefügt: 20 " in leser.stuecke["ins"]
    assert any("Handwerksbetriebe und soziale Dienste" in text for text in leser.stuecke["ins"])
    # Screen readers hear what changed, not only a colour: every <del>/<ins> starts with its hidden word.
    assert len(leser.praefixe) == len(leser.stuecke["del"]) + len(leser.stuecke["ins"])
    assert {(art, text) for art, text in leser.praefixe} == {("del", "gelöscht: "), ("ins", "eingefügt: ")}
    html = antwort.content.decode()
    assert "<caption>Beschlussantrag</caption>" in html
    assert re.search(r'<th scope="col">frühere Fassung</th><th scope="col">diese Fassung</th>', html)


@pytest.mark.django_db
def test_the_inline_view_shows_one_column_without_a_table(client):
    alt, neu = fassungen()
    url = reverse("vorlagen:unterschiede", kwargs={"kennung": neu.kennung})
    antwort = client.get(url, {"ansicht": "inline", "mit": alt.kennung})
    html = antwort.content.decode()
    assert "<table" not in html.split("<main", 1)[-1]
    assert any("Ladezonen" in text for text in markiert(antwort).stuecke["ins"])
    # The link to the other view keeps the other parameters.
    assert f'href="?ansicht=nebeneinander&amp;mit={alt.kennung}"' in html
    nebeneinander = client.get(url)
    assert '<table class="unterschiede-tabelle">' in nebeneinander.content.decode()


@pytest.mark.django_db
def test_anlagen_added_and_removed_are_listed(client):
    alt, neu = fassungen()
    AnlageFactory(vorlage=alt, titel="Lageplan alt")
    AnlageFactory(vorlage=neu, titel="Lageplan mit Ladezonen")
    AnlageFactory(vorlage=alt, titel="Gutachten")
    AnlageFactory(vorlage=neu, titel="Gutachten")
    antwort = client.get(reverse("vorlagen:unterschiede", kwargs={"kennung": neu.kennung}))
    leser = markiert(antwort, 'id="anlagen-unterschiede"')
    assert leser.stuecke == {"del": ["entfernt: Lageplan alt"], "ins": ["hinzugefügt: Lageplan mit Ladezonen"]}


@pytest.mark.django_db
def test_the_diff_answers_404_when_the_earlier_version_is_a_draft(sachbearbeitung):
    alt = VorlageFactory(entwurf=True, beschlussantrag="geheimer Entwurfstext")
    neu = VorlageFactory(nummer=alt.nummer, zusatz="Neufassung", bezug=alt, bezugsart="neufassung")
    url = reverse("vorlagen:unterschiede", kwargs={"kennung": neu.kennung})
    antwort = Client().get(url)
    assert antwort.status_code == 404
    assert "geheimer Entwurfstext" not in antwort.content.decode()
    sitzungsdienst = Client()
    sitzungsdienst.force_login(sachbearbeitung)
    assert sitzungsdienst.get(url).status_code == 200


@pytest.mark.django_db
def test_the_diff_answers_404_to_the_public_when_the_earlier_version_is_not_public(client):
    alt = VorlageFactory(oeffentlich=False, beschlussantrag="nichtöffentlicher Text")
    neu = VorlageFactory(nummer=alt.nummer, zusatz="Neufassung", bezug=alt, bezugsart="neufassung")
    antwort = client.get(reverse("vorlagen:unterschiede", kwargs={"kennung": neu.kennung}))
    assert antwort.status_code == 404
    assert "nichtöffentlicher Text" not in antwort.content.decode()
    # Nor does another way in (?mit=) show it.
    antwort = client.get(reverse("vorlagen:unterschiede", kwargs={"kennung": neu.kennung}), {"mit": alt.kennung})
    assert antwort.status_code == 404


@pytest.mark.django_db
def test_a_vorlage_without_earlier_version_has_no_diff(client):
    vorlage = VorlageFactory()
    assert client.get(reverse("vorlagen:unterschiede", kwargs={"kennung": vorlage.kennung})).status_code == 404


@pytest.mark.django_db
def test_mit_compares_with_another_version_of_the_same_number_but_not_with_an_unrelated_paper(client):
    alt, neu = fassungen()
    zweite = VorlageFactory(
        nummer=760,
        jahr=2026,
        zusatz="2. Neufassung",
        datum=datetime.date(2026, 11, 16),
        beschlussantrag="1. Gebühren von 9 bis 20 Uhr.",
        bezug=neu,
        bezugsart="neufassung",
    )
    url = reverse("vorlagen:unterschiede", kwargs={"kennung": zweite.kennung})
    antwort = client.get(url, {"mit": alt.kennung})
    assert antwort.status_code == 200
    assert antwort.context["alt"] == alt and antwort.context["neu"] == zweite
    fremd = VorlageFactory()
    assert client.get(url, {"mit": fremd.kennung}).status_code == 404


# -- links both ways on the Vorlage page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pages_link_neufassung_and_original_both_ways(client):
    alt, neu = fassungen()
    seite = client.get(alt.get_absolute_url()).content.decode()
    assert "Diese Fassung ist ersetzt durch GRDrs 760/2026 Neufassung." in seite
    assert neu.get_absolute_url() in seite
    seite = client.get(neu.get_absolute_url()).content.decode()
    assert "Neufassung von" in seite and alt.get_absolute_url() in seite
    assert reverse("vorlagen:unterschiede", kwargs={"kennung": neu.kennung}) in seite


@pytest.mark.django_db
def test_an_ergaenzung_says_ergaenzt_durch_and_does_not_replace(client):
    alt = VorlageFactory()
    ergaenzung = VorlageFactory(nummer=alt.nummer, zusatz="Ergänzung", bezug=alt, bezugsart="ergaenzung")
    seite = client.get(alt.get_absolute_url()).content.decode()
    assert "ergänzt durch" in seite and ergaenzung.get_absolute_url() in seite
    assert "Diese Fassung ist ersetzt" not in seite
    assert "Ergänzung zu" in client.get(ergaenzung.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_draft_neufassung_is_not_named_on_the_public_page(client):
    alt = VorlageFactory()
    entwurf = VorlageFactory(nummer=alt.nummer, zusatz="Neufassung", entwurf=True, bezug=alt, bezugsart="neufassung")
    seite = client.get(alt.get_absolute_url()).content.decode()
    assert "ersetzt" not in seite and entwurf.kennung not in seite


@pytest.mark.django_db
def test_a_hidden_original_is_not_named_on_the_neufassung_page(client):
    alt = VorlageFactory(oeffentlich=False, titel="Geheimer alter Titel")
    neu = VorlageFactory(nummer=alt.nummer, zusatz="Neufassung", bezug=alt, bezugsart="neufassung")
    seite = client.get(neu.get_absolute_url()).content.decode()
    assert "Geheimer alter Titel" not in seite and "Neufassung von" not in seite


@pytest.mark.django_db
def test_the_vorlage_page_runs_the_same_queries_with_few_or_many_versions(client):
    # Each page is asked for once: a second request would come from the page cache.
    ohne = VorlageFactory()
    client.get(VorlageFactory().get_absolute_url())  # the site's own caches (ContentTypes, settings) filled once
    ketten = {}
    for anzahl, nummer in ((1, 900), (6, 901)):
        alt = VorlageFactory(nummer=nummer, datum=datetime.date(2021, 1, 1))
        for n in range(anzahl):
            VorlageFactory(nummer=nummer, zusatz=f"{n + 1}. Neufassung", bezug=alt, bezugsart="neufassung")
            VorlageFactory(nummer=nummer, zusatz=f"{n + 1}. Ergänzung", bezug=alt, bezugsart="ergaenzung")
        ketten[anzahl] = (alt, Vorlage.objects.get(nummer=nummer, zusatz=f"{anzahl}. Neufassung"))
    ohne_abfragen = _abfragen(client, ohne)
    original = [_abfragen(client, ketten[anzahl][0]) for anzahl in (1, 6)]
    neufassung = [_abfragen(client, ketten[anzahl][1]) for anzahl in (1, 6)]
    assert original == [ohne_abfragen, ohne_abfragen]
    # The earlier version is one query more, however many versions there are.
    assert neufassung == [ohne_abfragen + 1, ohne_abfragen + 1]


def _abfragen(client, vorlage):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as erfasst:
        assert client.get(vorlage.get_absolute_url()).status_code == 200
    return len(erfasst)


@pytest.mark.django_db
@pytest.mark.parametrize("anzahl", [2, 12])
def test_the_diff_page_runs_a_fixed_number_of_queries(client, anzahl, django_assert_max_num_queries):
    alt, neu = fassungen()
    for n in range(anzahl):
        AnlageFactory(vorlage=alt, titel=f"alt {n}")
        AnlageFactory(vorlage=neu, titel=f"neu {n}")
    url = reverse("vorlagen:unterschiede", kwargs={"kennung": neu.kennung})
    client.get(url)
    with django_assert_max_num_queries(6):
        assert client.get(url, {"x": anzahl}).status_code == 200


# -- validation and the service -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_neufassung_anlegen_copies_the_paper_as_a_draft_with_the_same_number():
    alt = VorlageFactory(nummer=760, jahr=2026, datum=datetime.date(2026, 1, 5), beschlussantrag="Text")
    nutzer = SachbearbeitungFactory()
    neu = services.neufassung_anlegen(vorlage=alt, user=nutzer, bezugsart="neufassung")
    assert (neu.art, neu.nummer, neu.jahr, neu.zusatz) == (alt.art, 760, 2026, "Neufassung")
    assert neu.status == Vorlage.Status.ENTWURF and neu.bezug == alt and neu.beschlussantrag == "Text"
    assert neu.kennung == "grdrs-760-2026-neufassung"
    zweite = services.neufassung_anlegen(vorlage=alt, user=nutzer, bezugsart="neufassung")
    assert zweite.zusatz == "2. Neufassung"
    ergaenzung = services.neufassung_anlegen(vorlage=alt, user=nutzer, bezugsart="ergaenzung")
    assert ergaenzung.zusatz == "Ergänzung" and ergaenzung.bezugsart == "ergaenzung"


@pytest.mark.django_db
def test_neufassung_anlegen_refuses_a_draft_with_a_german_reason():
    entwurf = VorlageFactory(entwurf=True)
    with pytest.raises(ValidationError, match="nur von einer veröffentlichten Vorlage"):
        services.neufassung_anlegen(vorlage=entwurf, user=None, bezugsart="neufassung")


@pytest.mark.django_db
def test_a_published_neufassung_of_a_draft_or_of_a_later_paper_or_another_series_is_refused():
    entwurf = VorlageFactory(entwurf=True)
    neu = VorlageFactory.build(
        nummer=entwurf.nummer,
        zusatz="Neufassung",
        bezug=entwurf,
        bezugsart="neufassung",
        dienststelle=entwurf.dienststelle,
    )
    with pytest.raises(ValidationError, match="Entwurf"):
        neu.full_clean()
    spaeter = VorlageFactory(datum=datetime.date(2021, 12, 1))
    neu.bezug = spaeter
    with pytest.raises(ValidationError, match="älter"):
        neu.full_clean()
    antrag = VorlageFactory(art=Vorlage.Art.ANTRAG, datum=datetime.date(2021, 1, 1))
    neu.bezug = antrag
    with pytest.raises(ValidationError, match="Nummernkreis"):
        neu.full_clean()
    neu.bezugsart = "ergaenzung"
    neu.full_clean()


@pytest.mark.django_db
def test_a_cycle_of_versions_is_refused():
    alt, neu = fassungen()
    alt.bezug, alt.bezugsart = neu, "neufassung"
    with pytest.raises(ValidationError):
        alt.full_clean()


# -- the PDF annex --------------------------------------------------------------------------------------------------


def _pdf_text(antwort):
    inhalt = b"".join(antwort.streaming_content) if antwort.streaming else antwort.content
    text = subprocess.run(["pdftotext", "-", "-"], input=inhalt, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", " ", re.sub("\u2010\\s+", "", text))


@pytest.mark.django_db
def test_the_pdf_of_the_demo_neufassung_carries_the_changes_as_an_annex(client, demodaten):
    neu = Vorlage.objects.get(nummer=760, zusatz="Neufassung")
    antwort = client.get(reverse("druck:vorlage", kwargs={"kennung": neu.kennung}))
    assert antwort.status_code == 200
    text = _pdf_text(antwort)
    assert "Änderungen gegenüber der früheren Fassung" in text
    assert "[– 22]" in text and "[+ 20]" in text
    assert "[+ 3. Für Handwerksbetriebe" in text


@pytest.mark.django_db
def test_the_annex_follows_the_clerks_choice_and_changes_the_content_version():
    from druck import inhalt
    from druck.models import Druckstueck

    _alt, neu = fassungen()

    def daten():
        return inhalt.daten_fuer(art=Druckstueck.Art.VORLAGE, gegenstand=neu, user=inhalt.anonym())

    ohne = daten()
    assert ohne["aenderungen"] is None
    neu.unterschiede_im_pdf = True
    neu.save()
    mit = daten()
    assert mit["aenderungen"]["bezug"] == "GRDrs 760/2026"
    assert [titel for titel, _ in mit["aenderungen"]["abschnitte"]] == ["Beschlussantrag"]
    assert inhalt.inhaltsversion(mit) != inhalt.inhaltsversion(ohne)


@pytest.mark.django_db
def test_the_public_pdf_has_no_annex_when_the_earlier_version_is_not_public(client):
    from druck import inhalt
    from druck.models import Druckstueck

    alt, neu = fassungen(unterschiede_im_pdf=True)
    Vorlage.objects.filter(pk=alt.pk).update(oeffentlich=False)
    daten = inhalt.daten_fuer(art=Druckstueck.Art.VORLAGE, gegenstand=neu, user=inhalt.anonym())
    assert daten["aenderungen"] is None
    text = _pdf_text(client.get(reverse("druck:vorlage", kwargs={"kennung": neu.kennung})))
    assert "Änderungen gegenüber" not in text and "22 Uhr" not in text


# -- OParl ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def validatoren():
    from tests.test_oparl import validatoren as schemas

    return schemas.__wrapped__()


def _paper(client, vorlage):
    from tests.test_oparl import holen, url

    return holen(client, url("paper", pk=vorlage.pk))


@pytest.mark.django_db
def test_oparl_links_neufassung_both_ways_in_related_paper_and_ergaenzung_as_sub_and_superordinated(client):
    from oparl.abbildung import oparl_url as url

    alt, neu = fassungen()
    ergaenzung = VorlageFactory(nummer=760, jahr=2026, zusatz="Ergänzung", bezug=alt, bezugsart="ergaenzung")
    paper_alt, paper_neu, paper_erg = (_paper(client, v) for v in (alt, neu, ergaenzung))
    assert paper_alt["relatedPaper"] == [url("paper", pk=neu.pk)]
    assert paper_alt["subordinatedPaper"] == [url("paper", pk=ergaenzung.pk)]
    assert "superordinatedPaper" not in paper_alt
    assert paper_neu["relatedPaper"] == [url("paper", pk=alt.pk)]
    assert "subordinatedPaper" not in paper_neu and "superordinatedPaper" not in paper_neu
    assert paper_erg["superordinatedPaper"] == [url("paper", pk=alt.pk)]
    assert "relatedPaper" not in paper_erg


@pytest.mark.django_db
def test_oparl_version_links_follow_the_schema_and_name_only_public_papers(client, validatoren):
    from oparl.abbildung import oparl_url as url
    from tests.test_oparl import validieren

    alt = VorlageFactory(oeffentlich=False)
    neu = VorlageFactory(nummer=alt.nummer, zusatz="Neufassung", bezug=alt, bezugsart="neufassung")
    entwurf = VorlageFactory(nummer=alt.nummer, zusatz="Ergänzung", entwurf=True, bezug=neu, bezugsart="ergaenzung")
    paper = _paper(client, neu)
    validieren(validatoren, paper)
    assert "relatedPaper" not in paper and "subordinatedPaper" not in paper
    assert url("paper", pk=entwurf.pk) not in json.dumps(paper)
    assert url("paper", pk=alt.pk) not in json.dumps(paper)
    oeffentlich_alt, oeffentlich_neu = fassungen(unterschiede_im_pdf=True)
    validieren(validatoren, _paper(client, oeffentlich_alt))
    validieren(validatoren, _paper(client, oeffentlich_neu))


@pytest.mark.django_db
def test_publishing_a_neufassung_changes_the_modified_of_the_paper_it_replaces(client, ohne_caches):
    alt = VorlageFactory(nummer=5, datum=datetime.date(2021, 1, 1))
    Vorlage.objects.filter(pk=alt.pk).update(geaendert_am=datetime.datetime(2021, 1, 2, tzinfo=datetime.UTC))
    vorher = _paper(client, alt)["modified"]
    VorlageFactory(nummer=5, zusatz="Neufassung", bezug=alt, bezugsart="neufassung")
    assert _paper(client, alt)["modified"] > vorher


# -- the importer ---------------------------------------------------------------------------------------------------


@pytest.fixture
def oparl_server():
    from tests.oparl_server import OparlServer

    with OparlServer() as server:
        yield server


def _importieren(server, papiere):
    from tests.test_oparl_import import importieren, kleines_system

    return importieren(kleines_system(server, papiere=papiere))


def _papier(n, referenz, *, datum="2021-01-05", **extra):
    from tests.test_oparl_import import papier

    return {**papier(n), "reference": referenz, "date": datum, **extra}


@pytest.mark.django_db
def test_the_importer_maps_superordinated_paper_to_an_ergaenzung_whatever_the_order(oparl_server):
    # The Ergänzung comes first in the list, before the paper it adds to.
    papiere = [
        _papier(2, "7/2021 Ergänzung", datum="2021-02-01", superordinatedPaper=["BASIS/paper/1"]),
        _papier(1, "7/2021"),
    ]
    bericht = _importieren(oparl_server, papiere)
    ergaenzung = Vorlage.objects.get(nummer=7, zusatz="Ergänzung")
    assert ergaenzung.bezug == Vorlage.objects.get(nummer=7, zusatz="")
    assert ergaenzung.bezugsart == Vorlage.Bezugsart.ERGAENZUNG
    assert bericht.zahlen["Paper-Fassung"]["aktualisiert"] == 1
    # A second run changes nothing.
    assert _importieren(oparl_server, papiere).zahlen["Paper-Fassung"]["aktualisiert"] == 0


@pytest.mark.django_db
def test_the_importer_maps_a_related_paper_of_the_same_number_to_a_neufassung(oparl_server):
    papiere = [
        _papier(1, "8/2021", relatedPaper=["BASIS/paper/2", "BASIS/paper/3"]),
        _papier(2, "8/2021 Neufassung", datum="2021-02-01", relatedPaper=["BASIS/paper/1", "BASIS/paper/4"]),
        _papier(3, "8/2021 2. Neufassung", datum="2021-03-01", relatedPaper=["BASIS/paper/1", "BASIS/paper/2"]),
        # Another related paper (an Antrag it answers) stays unmapped.
        _papier(4, "3/2021", paperType="Antrag"),
    ]
    _importieren(oparl_server, papiere)
    erste, neufassung, zweite = (Vorlage.objects.get(nummer=8, zusatz=z) for z in ("", "Neufassung", "2. Neufassung"))
    assert erste.bezug is None
    assert (neufassung.bezug, neufassung.bezugsart) == (erste, "neufassung")
    assert (zweite.bezug, zweite.bezugsart) == (neufassung, "neufassung")
    assert Vorlage.objects.get(nummer=3).bezug is None


@pytest.mark.django_db
def test_the_importer_skips_hostile_version_links_with_their_reasons(oparl_server):
    papiere = [
        _papier(1, "9/2021 Ergänzung", superordinatedPaper=["BASIS/paper/1"]),  # itself
        _papier(2, "10/2021 Ergänzung", superordinatedPaper=["BASIS/paper/999"]),  # unknown
        _papier(3, "11/2021", datum="2021-01-05", superordinatedPaper=["BASIS/paper/4"]),  # a cycle with 4
        _papier(4, "12/2021", datum="2021-01-05", superordinatedPaper=["BASIS/paper/3"]),
        _papier(5, "13/2021 Ergänzung", datum="2020-01-01", superordinatedPaper=["BASIS/paper/6"]),  # older
        _papier(6, "14/2021", datum="2021-06-01"),
        _papier(7, "15/2021 Ergänzung", superordinatedPaper="kein Verweis"),
        _papier(8, "16/2021 Ergänzung", superordinatedPaper=[{"kaputt": True}, 17]),
    ]
    bericht = _importieren(oparl_server, papiere)
    gruende = bericht.gruende["Paper-Fassung"]
    assert gruende["Verweis auf sich selbst"] == 1
    assert gruende["superordinatedPaper unbekannt oder nicht importiert"] == 2  # 999 and the text "kein Verweis"
    assert gruende["Diese Verknüpfung ergäbe einen Kreis von Fassungen."] == 1
    assert gruende["Die frühere Fassung muss älter sein als diese Vorlage."] == 1
    assert Vorlage.objects.filter(bezug__isnull=False).count() == 1  # one side of the cycle
    assert Vorlage.objects.count() == 8  # every paper itself is imported
    assert any("Paper-Fassung" in zeile for zeile in bericht.zeilen())


# -- the admin ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_action_creates_the_neufassung_and_opens_its_form(sachbearbeitung_client):
    alt = VorlageFactory(nummer=44, beschlussantrag="Alter Antrag")
    antwort = sachbearbeitung_client.post(
        reverse("admin:vorlagen_vorlage_changelist"),
        {"action": "neufassung_anlegen", "_selected_action": [alt.pk]},
    )
    neu = Vorlage.objects.get(bezug=alt)
    assert antwort.status_code == 302
    assert antwort["Location"] == reverse("admin:vorlagen_vorlage_change", args=[neu.pk])
    assert (neu.zusatz, neu.status, neu.beschlussantrag) == ("Neufassung", Vorlage.Status.ENTWURF, "Alter Antrag")
    formular = sachbearbeitung_client.get(antwort["Location"]).content.decode()
    assert "Unterschiede zur früheren Fassung als Anhang ins PDF" in formular
    assert 'name="bezug"' in formular


@pytest.mark.django_db
def test_the_admin_action_names_a_draft_it_cannot_copy(sachbearbeitung_client):
    entwurf = VorlageFactory(entwurf=True)
    antwort = sachbearbeitung_client.post(
        reverse("admin:vorlagen_vorlage_changelist"),
        {"action": "ergaenzung_anlegen", "_selected_action": [entwurf.pk]},
        follow=True,
    )
    assert "nur von einer veröffentlichten Vorlage" in antwort.content.decode()
    assert not Vorlage.objects.filter(bezug=entwurf).exists()


@pytest.mark.django_db
def test_a_neufassung_of_a_later_paper_is_refused_with_a_german_message():
    spaeter = VorlageFactory(nummer=45, datum=datetime.date(2021, 12, 1))
    neu = VorlageFactory(nummer=45, zusatz="Neufassung", entwurf=True, datum=datetime.date(2021, 11, 1))
    neu.bezug, neu.bezugsart = spaeter, "neufassung"
    with pytest.raises(ValidationError) as fehler:
        neu.full_clean()
    assert fehler.value.message_dict["bezug"] == ["Die frühere Fassung muss älter sein als diese Vorlage."]
