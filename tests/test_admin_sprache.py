"""The clerks' admin speaks German, whatever language the browser prefers.

Django 6.1's German catalogues lack the strings added to the admin since their last translation ("Run",
"Filter by …", "Search …", "- Select an option -"); the project's German catalogue (locale/de) fills the gap. The
test reads what a clerk sees or hears (text, and the labels a screen reader announces) on the pages they use and
looks for English UI strings from a list. After a Django upgrade, a new English string fails it here first.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from sitzungen.services import beratungsfolge_abgleichen
from tests.factories import AnlageFactory, SitzungFactory, TagesordnungspunktFactory, VorlageFactory

pytestmark = pytest.mark.django_db

# Visible or announced English of Django's admin, auth and forms; each a whole phrase or word.
ENGLISCH = [
    "- Select an option -",
    "Run",
    "Filter by",
    "Search",
    "Pagination",
    "Logout",
    "Log out",
    "Welcome",
    "View site",
    "Home",
    "Breadcrumbs",
    "Sidebar",
    "Toggle navigation",
    "Start typing to filter",
    "Add another",
    "Save",
    "Save and add another",
    "Save and continue editing",
    "Delete",
    "History",
    "Change password",
    "Show all",
    "Show counts",
    "Hide counts",
    "Clear all filters",
    "Currently",
    "Clear",
    "Select all",
    "selected",
    "results",
    "Action",
    "Actions",
    "Go",
    "Yes",
    "No",
    "Unknown",
    "Any date",
    "Today",
    "Past 7 days",
    "This month",
    "This year",
    "No date",
    "Has date",
    "Date",
    "Time",
    "Password-based authentication",
    "Enabled",
    "Disabled",
    "Reset password",
    "Set password",
    "Remove",
    "Change",
    "View",
    "Add",
]
ENGLISCH_MUSTER = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ENGLISCH)) + r")(?![\w-])")
ANGESAGTE_ATTRIBUTE = {"aria-label", "title", "placeholder", "alt"}


class SichtbarerText(HTMLParser):
    """The text a page shows or announces: text nodes outside script/style, labels, titles, button values."""

    def __init__(self):
        super().__init__()
        self.teile = []
        self._versteckt = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._versteckt += 1
        werte = dict(attrs)
        for name, wert in attrs:
            if name in ANGESAGTE_ATTRIBUTE and wert:
                self.teile.append(wert)
        if tag == "input" and werte.get("type") in {"submit", "button"} and werte.get("value"):
            self.teile.append(werte["value"])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._versteckt:
            self._versteckt -= 1

    def handle_data(self, data):
        if not self._versteckt and data.strip():
            self.teile.append(data.strip())


def englisch_auf(html):
    leser = SichtbarerText()
    leser.feed(html)
    return sorted({treffer.group(0) for teil in leser.teile for treffer in ENGLISCH_MUSTER.finditer(teil)})


@pytest.fixture
def seiten(admin_user):
    vorlage = VorlageFactory(nummer=952, titel="20 Jahre Stuttgarter Bündnis für Integration")
    AnlageFactory(vorlage=vorlage)
    top = TagesordnungspunktFactory(sitzung=SitzungFactory(), titel="Bündnis für Integration")
    top.vorlagen.add(vorlage)
    beratungsfolge_abgleichen(sitzung=top.sitzung)
    return [
        reverse("admin:index"),
        reverse("admin:vorlagen_vorlage_changelist"),
        reverse("admin:vorlagen_vorlage_add"),
        reverse("admin:vorlagen_vorlage_change", args=[vorlage.pk]),
        reverse("admin:sitzungen_sitzung_changelist"),
        reverse("admin:sitzungen_sitzung_changelist") + "?q=Integration",
        reverse("admin:sitzungen_sitzung_add"),
        reverse("admin:sitzungen_sitzung_change", args=[top.sitzung.pk]),
        reverse("admin:sitzungen_beratung_changelist"),
        reverse("admin:gremien_person_add"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[admin_user.pk]),
        reverse("admin:vorlagen_vorlage_delete", args=[VorlageFactory(entwurf=True, nummer=953).pk]),
        reverse("admin:password_change"),
    ]


@pytest.mark.parametrize("sprache", ["de-DE,de;q=0.9", "en-US,en;q=0.9"])
def test_admin_pages_show_no_english_ui_strings(admin_client, seiten, sprache):
    gefunden = {}
    for url in seiten:
        antwort = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=sprache)
        assert antwort.status_code == 200, url
        if englisch := englisch_auf(antwort.content.decode()):
            gefunden[url] = englisch

    assert gefunden == {}


@pytest.mark.parametrize("sprache", ["de-DE,de;q=0.9", "en-US,en;q=0.9"])
def test_admin_javascript_strings_are_german(admin_client, sprache):
    katalog = admin_client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE=sprache).content.decode()

    for englisch, deutsch in [
        ("Choose all %s", "Alle %s auswählen"),
        ("Remove all %s", "Alle %s entfernen"),
        ("Today (%(date)s)", "Heute (%(date)s)"),
        ("Show", "Einblenden"),
    ]:
        assert f"{json.dumps(englisch)}: {json.dumps(deutsch)}" in katalog


def test_the_english_choice_still_gives_english(admin_client):
    """English is a choice (the language switch's cookie); the German catalogue must not leak into it."""
    admin_client.cookies["django_language"] = "en"

    html = admin_client.get(reverse("admin:sitzungen_sitzung_changelist")).content.decode()

    assert "Search" in englisch_auf(html)
    assert "durchsuchen" not in html


def test_a_request_in_english_leaves_the_thread_german(admin_client):
    admin_client.cookies["django_language"] = "en"
    admin_client.get(reverse("admin:sitzungen_sitzung_changelist"))

    assert translation.get_language() == "de"
