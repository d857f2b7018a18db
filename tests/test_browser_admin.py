"""The clerks' admin and the public Vorlage page in a real browser: nothing cut off at 1280 px, nothing
overlapping on a phone (Debian's Chromium through Playwright, as tests/test_browser.py drives it)."""

import os

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_browser import DESKTOP, TELEFON, Seiten, browser, demodaten_live, vorlage_url  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The cells of the inline and change-list tables whose right edge lies beyond the window, or beyond a box that
# scrolls sideways and so hides them until the clerk scrolls.
ABGESCHNITTEN = """
breite => [...document.querySelectorAll(
    '.inline-group table th, .inline-group table td, #result_list th, #result_list td'
)].filter(zelle => zelle.offsetParent !== null && !zelle.closest('tr.empty-form')).map(zelle => {
    const box = zelle.getBoundingClientRect();
    let sichtbar_bis = breite;
    for (let e = zelle.parentElement; e && e !== document.body; e = e.parentElement) {
        const stil = getComputedStyle(e);
        if (stil.overflowX !== 'visible') {
            sichtbar_bis = Math.min(sichtbar_bis, e.getBoundingClientRect().right);
        }
    }
    return {
        gruppe: (zelle.closest('.inline-group') || {id: 'result_list'}).id,
        spalte: zelle.className || zelle.textContent.trim().slice(0, 30),
        rechts: Math.round(box.right),
        sichtbar_bis: Math.round(sichtbar_bis),
    };
}).filter(z => z.rechts > z.sichtbar_bis + 1)
"""


@pytest.fixture
def sachbearbeitung_im_browser(browser, demodaten_live):  # noqa: F811
    from tests.factories import SachbearbeitungFactory

    client = Client()
    client.force_login(SachbearbeitungFactory())
    seiten = Seiten(browser, demodaten_live, DESKTOP)
    seiten.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": demodaten_live.url}]
    )
    yield seiten
    seiten.schliessen()


def test_every_inline_and_list_column_is_visible_at_1280_px(sachbearbeitung_im_browser):
    from sitzungen.models import Sitzung
    from vorlagen.models import Vorlage

    vorlage = Vorlage.objects.get(jahr=2001, nummer=952)
    sitzung = Sitzung.objects.filter(tagesordnungspunkte__vorlagen__isnull=False).order_by("-beginn").first()
    abgeschnitten = {}
    for url in [
        reverse("admin:vorlagen_vorlage_change", args=[vorlage.pk]),
        reverse("admin:sitzungen_sitzung_change", args=[sitzung.pk]),
        reverse("admin:vorlagen_vorlage_changelist"),
        reverse("admin:sitzungen_sitzung_changelist"),
        reverse("admin:sitzungen_beratung_changelist"),
    ]:
        page = sachbearbeitung_im_browser.oeffnen(url)
        assert page.locator("#content-main").count()
        if zellen := page.evaluate(ABGESCHNITTEN, DESKTOP["width"]):
            abgeschnitten[url] = zellen

    assert abgeschnitten == {}


# Each cell of the public Beratungsfolge on a phone is a card row: its label (the cell's ::before, in the first
# grid column) and its value. A pseudo-element has no box to ask for, so the label's text is set once more, in
# the label's font, to measure it: a word cannot wrap, so a label ends where its longest word ends, or later.
UEBERLAPPUNGEN = """
() => [...document.querySelectorAll('table.beratungsfolge td')].map(zelle => {
    const etikett = getComputedStyle(zelle, '::before');
    const text = etikett.content.replace(/^"|"$/g, '');
    const messen = wort => {
        const probe = document.createElement('span');
        probe.textContent = wort;
        probe.style.font = etikett.font;
        probe.style.letterSpacing = etikett.letterSpacing;
        probe.style.position = 'absolute';
        probe.style.whiteSpace = 'nowrap';
        document.body.appendChild(probe);
        const breite = probe.getBoundingClientRect().width;
        probe.remove();
        return breite;
    };
    const spalten = getComputedStyle(zelle).gridTemplateColumns.split(' ').map(parseFloat);
    const anfang = zelle.getBoundingClientRect().left + parseFloat(getComputedStyle(zelle).paddingLeft);
    const breite = Math.min(messen(text), Math.max(spalten[0] || 0, ...text.split(/\\s+/).map(messen)));
    const bereich = document.createRange();
    bereich.selectNodeContents(zelle);
    const wert = [...bereich.getClientRects()].filter(r => r.width > 0);
    return {
        etikett: text,
        etikett_rechts: Math.round(anfang + breite),
        wert_links: wert.length ? Math.round(Math.min(...wert.map(r => r.left))) : null,
    };
})
"""


def test_on_a_phone_the_beratungsfolge_labels_do_not_overlap_their_values(browser, demodaten_live):  # noqa: F811
    seiten = Seiten(browser, demodaten_live, TELEFON)
    try:
        page = seiten.oeffnen(vorlage_url())
        zellen = page.evaluate(UEBERLAPPUNGEN)
    finally:
        seiten.schliessen()

    assert zellen and all(zelle["etikett"] for zelle in zellen)
    assert [z for z in zellen if z["wert_links"] is not None and z["etikett_rechts"] > z["wert_links"]] == []
