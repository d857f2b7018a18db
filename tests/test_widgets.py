"""ratsinfo.widgets: the same HTML as Django's template-rendered widgets."""

import pytest
from django import forms
from django.urls import reverse

from ratsinfo.widgets import SchnelleAuswahl
from tests.factories import AusschussFactory

AUSWAHL = [("", "alle"), ("a&b", "A <b>"), ("x", "X")]
GRUPPEN = [("", "alle"), ('Gruppe "1"', [("a", "A"), ("b", "B")]), ("c", "C")]


@pytest.mark.parametrize("choices", [AUSWAHL, GRUPPEN])
@pytest.mark.parametrize("wert", ["a&b", None, "b"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_f", "aria-invalid": "true", "required": True, "disabled": False}])
def test_schnelle_auswahl_renders_exactly_like_djangos_select(choices, wert, attrs):
    erwartet = forms.Select(choices=choices).render("f", wert, attrs)

    assert SchnelleAuswahl(choices=choices).render("f", wert, attrs) == erwartet


@pytest.mark.django_db
def test_search_form_renders_the_committees_with_the_fast_widget(client):
    AusschussFactory(name="Ausschuss für <Umwelt>", slug="umwelt")

    text = client.get(reverse("suche:suche"), {"q": "x", "ausschuss": "umwelt"}).content.decode()

    assert '<option value="umwelt" selected>Ausschuss für &lt;Umwelt&gt;</option>' in text


@pytest.mark.django_db
def test_the_committee_choices_are_read_with_one_plain_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sitzungen.filters import SitzungFilter

    AusschussFactory(name="Bezirksbeirat Mitte", slug="mitte")
    formular = SitzungFilter({}).form
    with CaptureQueriesContext(connection) as erfasst:
        html = str(formular["ausschuss"])
    assert len(erfasst) == 1 and "DECLARE" not in erfasst[0]["sql"]
    assert '<option value="mitte">Bezirksbeirat Mitte</option>' in html
