"""Issue 17, item 1 in a real browser: the clerk records attendance and a vote with the keyboard, sees the
Beschlussfähigkeit change, and loses the connection without losing a change (Debian's Chromium through Playwright,
as tests/test_browser.py drives it)."""

import os

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_browser import DESKTOP, Seiten, browser  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def erfassung(browser, live_server):  # noqa: F811
    from tests.factories import MitgliedschaftFactory, SachbearbeitungFactory, SitzungFactory, TagesordnungspunktFactory

    sitzung = SitzungFactory()
    mitglieder = [MitgliedschaftFactory(ausschuss=sitzung.ausschuss).person for _ in range(3)]
    top = TagesordnungspunktFactory(sitzung=sitzung, nummer="1", reihenfolge=1, titel="Neubau der Grundschule")
    client = Client()
    client.force_login(SachbearbeitungFactory())
    seiten = Seiten(browser, live_server, DESKTOP)
    seiten.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = seiten.oeffnen(reverse("protokoll:erfassung", kwargs={"pk": sitzung.pk}))
    yield seiten, page, sitzung, mitglieder, top
    seiten.schliessen()
    assert not seiten.csp_verstoesse, seiten.csp_verstoesse


def test_attendance_and_a_vote_by_keyboard_change_the_beschlussfaehigkeit(erfassung):
    from playwright.sync_api import expect

    from protokoll.models import Abstimmung

    _seiten, page, _sitzung, mitglieder, top = erfassung
    live = page.locator("[data-stand=sitzung]")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text("Nicht beschlussfähig: 0 von 3")

    # The access key's target, then Tab into the table: the first row's first radio button.
    page.locator("#anwesenheit").focus()
    for person in mitglieder[:2]:
        page.locator(f"#person-{person.pk} input[value=anwesend]").focus()
        page.keyboard.press("Space")
        expect(page.locator(f"#anw-{person.pk} .speicherstand")).to_have_text("gespeichert")
    expect(live).to_contain_text("Beschlussfähig: 2 von 3")

    # An arrow key moves the choice within the group and saves it: the second member is excused after all.
    page.locator(f"#person-{mitglieder[1].pk} input[value=anwesend]").focus()
    page.keyboard.press("ArrowRight")
    expect(live).to_contain_text("Nicht beschlussfähig: 1 von 3")
    page.keyboard.press("ArrowLeft")
    expect(live).to_contain_text("Beschlussfähig: 2 von 3")

    formular = page.locator(f"#abst-{top.pk}")
    formular.get_by_label("Ja", exact=True).focus()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    expect(formular.locator(".speicherstand")).to_have_text("gespeichert")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    expect(formular.locator(".speicherstand")).to_contain_text("3 Stimmen, aber nur 2 stimmberechtigte")
    assert Abstimmung.objects.values_list("ja", "nein").get(tagesordnungspunkt=top) == (2, 0)

    # The focus is visible (WCAG 2.4.7): the focused field draws an outline.
    umriss = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert umriss != "none"


def test_a_change_made_without_connection_is_sent_when_it_returns(erfassung):
    from playwright.sync_api import expect

    from protokoll.models import Anwesenheit

    seiten, page, sitzung, mitglieder, _top = erfassung
    seiten.context.set_offline(True)
    page.locator(f"#person-{mitglieder[0].pk} input[value=anwesend]").check()
    expect(page.locator(f"#anw-{mitglieder[0].pk} .speicherstand")).to_contain_text("Keine Verbindung")
    assert not Anwesenheit.objects.filter(sitzung=sitzung).exists()
    assert "anw-" in page.evaluate("JSON.stringify(localStorage)")

    seiten.context.set_offline(False)
    expect(page.locator(f"#anw-{mitglieder[0].pk} .speicherstand")).to_have_text("gespeichert", timeout=20_000)
    assert Anwesenheit.objects.get(sitzung=sitzung).person == mitglieder[0]
    assert "anw-" not in page.evaluate("JSON.stringify(localStorage)")
