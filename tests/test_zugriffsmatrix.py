"""The access matrix of issue 3: every URL pattern, requested by every persona, against planted canaries.

A world of Vorlagen, Anlagen, Beratungen, Sitzungen and TOPs is planted with a unique canary string in every
free text field (and in the file content of every Anlage). Each persona then requests every URL of every pattern
of the URLconf. A canary must appear exactly where the visibility rule allows and nowhere else, in the body or in
a header; an object the persona may not see answers 404.

* The URL patterns are taken from the URLconf itself. A pattern without an entry in ``MATRIX`` fails
  ``test_every_url_pattern_has_an_entry_in_the_matrix``, so a new view cannot escape the matrix.
* Who may see which planted object is written down in ``SICHTBAR``, derived by hand from the docstring of
  ``gremien/sichtbarkeit.py`` - deliberately not by calling the querysets that are under test.
* The admin has its own permission system and is left out of the matrix; ``test_admin_sends_visitors_...``
  checks only that visitors without staff status are sent to the admin login. ``set_language`` and static and
  media serving show no data and are left out too.
"""

import dataclasses
import datetime
import io
import re
from html import escape
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import models
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views import static
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from gremien.models import Person
from oparl.abbildung import beschlussauszug_pfad
from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Niederschrift, Sitzungsdokument, Unterschrift
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN
from sitzungen.fassungen import tagesordnung_fassung_festhalten
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from suche.services import suchwoerter_aufbauen
from tests.factories import (
    MINI_PDF,
    AbstimmungFactory,
    AnlageFactory,
    AnlageSeiteFactory,
    AnwesenheitFactory,
    AusschussFactory,
    BefangenheitFactory,
    BeratungFactory,
    HerkunftFactory,
    MitgliedschaftFactory,
    NiederschriftFactory,
    PersonFactory,
    SitzungFactory,
    SitzungsdokumentFactory,
    StimmeFactory,
    TagesordnungspunktFactory,
    UnterschriftFactory,
    UrheberFactory,
    UserFactory,
    VorlageFactory,
    WahlperiodeFactory,
    bild_bauen,
)
from vorlagen.models import Anlage, Vorlage

# Personas

ANONYM = "anonym"
NICHTMITGLIED = "nichtmitglied"  # councillor with seats elsewhere (and one that only starts tomorrow)
MITGLIED = "mitglied"  # councillor with a seat today in committee A (and one in C that ended yesterday)
SITZUNGSDIENST = "sitzungsdienst"  # clerk: is_staff and the permission vorlagen.nichtoeffentliches_sehen
# Issue 19: staff of an Amt. "amt" works in the Dienststelle of the draft, "amt-fremd" in that of the public
# Vorlage (which has no draft): the one sees her Dienststelle's draft everywhere, the other sees no draft at all.
AMT = "amt"
AMT_FREMD = "amt-fremd"
PERSONAS = [ANONYM, NICHTMITGLIED, MITGLIED, SITZUNGSDIENST, AMT, AMT_FREMD]

ALLE = frozenset(PERSONAS)
GREMIUM_A = frozenset({MITGLIED, SITZUNGSDIENST})
NUR_SITZUNGSDIENST = frozenset({SITZUNGSDIENST})
NIEMAND = frozenset()

# Who may see which planted object, from the rule's documentation (gremien/sichtbarkeit.py):
# "Anonymous visitors see published, public content. A logged-in councillor additionally sees the non-public
# TOPs, Beratungen, Vorlagen and Anlagen of the committees she is a member of today ... Drafts stay invisible to
# councillors. Clerks with the permission ... see everything, drafts included. Vorlagen and Anlagen marked
# vertraulich are seen by those clerks only." Plus the model docs: an Anlage and a Beratung are at most as visible
# as their Vorlage; a non-public Anlage of a public Vorlage is seen by the committees of its Beratungsfolge; a TOP
# is public only if it and its Sitzung are public. Committee A is the member's, B the non-member's, C nobody's
# today (the member left C yesterday, so C stays closed to her).
SICHTBAR = {
    # Published and public: everybody. These are the controls that prove the test sees text at all.
    "vorlage-oeffentlich": ALLE,
    "anlage-oeffentlich": ALLE,
    "beratung-oeffentlich-a": ALLE,
    "vorlage-fremd": ALLE,
    "beratung-fremd-c": ALLE,
    "top-a-oeffentlich": ALLE,
    "top-b-oeffentlich": ALLE,
    "kontakt-offen": ALLE,  # contact data of a person who consented to publishing it
    # Sitzungen themselves are public, even non-public ones: that, when and where they take place is announced
    # (SitzungQuerySet.sichtbar_fuer). What is hidden is their non-public agenda.
    "sitzung-a-oeffentlich": ALLE,
    "sitzung-a-np": ALLE,
    "sitzung-b-oeffentlich": ALLE,
    "sitzung-c-oeffentlich": ALLE,
    "sitzung-c-np": ALLE,
    # Non-public matters of committee A: its members of today, and the clerks.
    "vorlage-np": GREMIUM_A,
    "beratung-np-a": GREMIUM_A,
    "anlage-von-vorlage-np": GREMIUM_A,  # marked public, but its Vorlage is not
    "anlage-np": GREMIUM_A,  # non-public Anlage of the public Vorlage, which has Beratungen in A
    "beratung-oeffentlich-np-a": GREMIUM_A,  # non-public Beratung of the public Vorlage in A
    "top-a-np": GREMIUM_A,  # non-public TOP in A's public Sitzung
    "top-a-np-sitzung": GREMIUM_A,  # TOP in A's non-public Sitzung
    # Non-public matters of committee C: nobody of the councillors today, so the clerks only.
    "anlage-fremd-np": NUR_SITZUNGSDIENST,  # non-public Anlage of a public Vorlage that only C deliberates
    "beratung-oeffentlich-np-c": NUR_SITZUNGSDIENST,  # non-public Beratung of the public Vorlage in C
    "top-c-np": NUR_SITZUNGSDIENST,
    "top-c-np-sitzung": NUR_SITZUNGSDIENST,
    "top-c-oeffentlich-in-np-sitzung": NUR_SITZUNGSDIENST,  # marked public, but its Sitzung is not
    # Drafts: clerks only, even for members of the committee that deliberates them; and the staff of the
    # Dienststelle that writes it (issue 19), with its Beratungsfolge and Anlagen.
    "vorlage-entwurf": NUR_SITZUNGSDIENST | {AMT},
    "beratung-entwurf-a": NUR_SITZUNGSDIENST | {AMT},
    "anlage-von-vorlage-entwurf": NUR_SITZUNGSDIENST | {AMT},
    # vertraulich (Personalangelegenheiten): clerks only, even for members of the committee.
    "vorlage-vertraulich": NUR_SITZUNGSDIENST,
    "beratung-vertraulich-a": NUR_SITZUNGSDIENST,
    "anlage-von-vorlage-vertraulich": NUR_SITZUNGSDIENST,
    "anlage-vertraulich": NUR_SITZUNGSDIENST,  # vertraulich Anlage of the public Vorlage
    # Contact data without the person's consent is not published anywhere.
    "kontakt-geheim": NIEMAND,
    # The record of a Sitzung (issue 17). Sitzungsdokumente by their own rule (SitzungsdokumentQuerySet): public ones of
    # a public Sitzung for everybody, the others for the Gremium's members and the clerks.
    "dokument-a-oeffentlich": ALLE,
    "dokument-a-np": GREMIUM_A,  # non-public document of A's public Sitzung
    "dokument-c-np-sitzung": NUR_SITZUNGSDIENST,  # marked public, but C's Sitzung is not
    "dokument-a-in-np-sitzung": GREMIUM_A,  # marked public, but its Sitzung is not
    "dokument-c-np": NUR_SITZUNGSDIENST,  # non-public, of C's public Sitzung: nobody of the councillors today
    # Votes and Befangenheiten exactly as their TOP's content.
    "abstimmung-a-oeffentlich": ALLE,
    "abstimmung-a-np": GREMIUM_A,
    "befangenheit-a-np": GREMIUM_A,
    # Attendance is public; the clerk's remark on it is published nowhere (see oparl:meeting).
    "anwesenheit-a": ALLE,
    # Issue 17, the Niederschrift: published ones are seen by everybody (their non-public TOPs by the TOP rule),
    # a draft by the clerks only. A vote and a Befangenheit are as visible as their TOP; a signature as its
    # Niederschrift.
    "niederschrift-a-oeffentlich": ALLE,
    "niederschrift-c-np": ALLE,
    "niederschrift-b-entwurf": NUR_SITZUNGSDIENST,
    "unterschrift-a-oeffentlich": ALLE,
    "unterschrift-b-entwurf": NUR_SITZUNGSDIENST,
    # Issue 20, papers signed by the Fraktion and by Mia: by the same rule as the Vorlagen above, one of each case.
    # The non-public Antrag is A's through its non-public Beratung there; the draft is the Dienststelle's of the
    # draft Vorlage, so "amt" sees it as she sees that one.
    "antrag-oeffentlich": ALLE,
    "antrag-np": GREMIUM_A,
    "beratung-antrag-np-a": GREMIUM_A,
    "antrag-entwurf": NUR_SITZUNGSDIENST | {AMT},
    "anfrage-oeffentlich": ALLE,
    "anfrage-vertraulich": NUR_SITZUNGSDIENST,
}
# The Sitzung of each planted Niederschrift.
NIEDERSCHRIFTEN = {
    "sitzung-a-oeffentlich": "niederschrift-a-oeffentlich",
    "sitzung-c-np": "niederschrift-c-np",
    "sitzung-b-oeffentlich": "niederschrift-b-entwurf",
}

VORLAGEN = ["vorlage-oeffentlich", "vorlage-fremd", "vorlage-np", "vorlage-entwurf", "vorlage-vertraulich"]
# Issue 20: the signed papers are planted apart from the Beschlussvorlagen above, whose number searches and pages
# (agendas, versions, subscriptions) stay as they are; lists of every Vorlage expect both.
ANTRAEGE = ["antrag-oeffentlich", "antrag-np", "antrag-entwurf"]
ANFRAGEN = ["anfrage-oeffentlich", "anfrage-vertraulich"]
GEZEICHNET = ANTRAEGE + ANFRAGEN
ALLE_VORLAGEN = VORLAGEN + GEZEICHNET
SITZUNGEN = ["sitzung-a-oeffentlich", "sitzung-a-np", "sitzung-b-oeffentlich", "sitzung-c-oeffentlich", "sitzung-c-np"]

# The record of each Sitzung (issue 17): a vote and a Befangenheit at every TOP are seen exactly when the TOP's
# content is; attendance is public, as in the Niederschrift.
SICHTBAR |= {
    f"{art}-{top}": SICHTBAR[top]
    for top in [name for name in SICHTBAR if name.startswith("top-")]
    for art in ("abstimmung", "befangenheit")
}
SICHTBAR |= {f"anwesenheit-{sitzung}": ALLE for sitzung in SITZUNGEN}
# Issue 18, the Einberufung: its record (the Notfall reason, the changes, the recipients and their messages in the
# outbox) is for the clerks only.
SICHTBAR |= dict.fromkeys(("einberufung-a-np", "ladung-a-np", "nachricht-a-np"), NUR_SITZUNGSDIENST)

# Text fields that carry no canary, because the rule treats them as public on purpose:
AUSNAHMEN = {
    # Derived from art, number, year and Zusatz; it carries the canary of the Zusatz.
    Vorlage: {"kennung"},
    # A Sitzung's name is its public announcement: Sitzungen themselves are public, their non-public agenda is
    # not (sichtbarkeit.py, SitzungQuerySet.sichtbar_fuer). So no canary in Sitzung.name.
    Sitzung: {"name"},
    # Hidden TOPs still appear by their number ("N 1"), only their content is hidden (mit_sichtbarkeit).
    Tagesordnungspunkt: {"nummer"},
}


def kanarie(objekt, feld):
    """The canary of one field of one planted object. The "-zz" end keeps one canary from containing another."""
    return f"kanarie-{objekt}-{feld}-zz"


def textfelder(model):
    """Every free text field of a model: CharField and TextField (and subclasses) without choices."""
    return [
        feld
        for feld in model._meta.concrete_fields
        if isinstance(feld, models.CharField | models.TextField)
        and not feld.choices
        and feld.name not in AUSNAHMEN.get(model, ())
    ]


def beratung_termin(nummer):
    """Beratungen have no free text: a unique date of their own (shown as "Sitzungstermin") is their canary."""
    return datetime.date(2033, 3, nummer)


class Welt:
    """The planted objects (by name), the canaries (canary -> (object, field)) and the personas' users."""

    def __init__(self):
        self.o = {}
        self.kanarien = {}
        self.benutzer = {}
        self.anlagen_von = {}
        self.beratungen_von = {}
        self.tops_von = {}
        self.dokumente_von = {}
        self._marken = {}

    def k(self, objekt, feld):
        wert = kanarie(objekt, feld) if feld != "termin" else self._marken[objekt]
        assert self.kanarien[wert] == (objekt, feld)
        return wert

    def kanarien_fuer(self, model, objekt):
        """Field values that put the object's canary into every text field of ``model``."""
        werte = {}
        for feld in textfelder(model):
            wert = kanarie(objekt, feld.name)
            self.kanarien[wert] = (objekt, feld.name)
            if feld.name == "dateiname":
                wert = f"{wert}.pdf"
            elif feld.name == "mime_typ":
                wert = f"application/pdf; name={wert}"
            elif isinstance(feld, models.EmailField):
                wert = f"{wert}@example.org"
            assert feld.max_length is None or len(wert) <= feld.max_length, (model, feld.name, wert)
            werte[feld.name] = wert
        return werte

    def vorlage(self, name, **kwargs):
        self.o[name] = VorlageFactory(**self.kanarien_fuer(Vorlage, name), **kwargs)
        self.anlagen_von[name] = []
        self.beratungen_von[name] = []
        return self.o[name]

    def anlage(self, name, vorlage, **kwargs):
        inhalt = MINI_PDF + b"%" + kanarie(name, "datei").encode() + b"\n"
        self.kanarien[kanarie(name, "datei")] = (name, "datei")
        werte = self.kanarien_fuer(Anlage, name)
        self.o[name] = AnlageFactory(
            vorlage=self.o[vorlage],
            datei=ContentFile(inhalt, name=werte["dateiname"]),
            groesse=len(inhalt),
            **werte,
            **kwargs,
        )
        # The extracted text of its page: only the search shows it, with the Anlage's visibility.
        self.kanarien[kanarie(name, "seitentext")] = (name, "seitentext")
        AnlageSeiteFactory(anlage=self.o[name], nummer=1, text=f"Seite mit {kanarie(name, 'seitentext')} darin.")
        self.anlagen_von[vorlage].append(name)
        return self.o[name]

    def dokument(self, name, sitzung, **kwargs):
        inhalt = MINI_PDF + b"%" + kanarie(name, "datei").encode() + b"\n"
        self.kanarien[kanarie(name, "datei")] = (name, "datei")
        werte = self.kanarien_fuer(Sitzungsdokument, name)
        # Its extracted text, with words around the canary as a real text has them (PostgreSQL's ts_headline ends a
        # snippet at the last word matched, which would cut the "-zz" off a text that is the canary alone).
        werte["text"] = f"Text mit {werte['text']} darin."
        self.o[name] = SitzungsdokumentFactory(
            sitzung=self.o[sitzung],
            datei=ContentFile(inhalt, name=werte["dateiname"]),
            groesse=len(inhalt),
            **werte,
            **kwargs,
        )
        self.dokumente_von.setdefault(sitzung, []).append(name)
        return self.o[name]

    def beratung(self, name, vorlage, ausschuss, **kwargs):
        termin = beratung_termin(len(self._marken) + 1)
        self._marken[name] = termin.strftime("%d.%m.%Y")
        self.kanarien[self._marken[name]] = (name, "termin")
        self.o[name] = BeratungFactory(vorlage=self.o[vorlage], ausschuss=ausschuss, termin=termin, **kwargs)
        self.beratungen_von[vorlage].append(name)
        return self.o[name]

    def top(self, name, sitzung, vorlagen=(), **kwargs):
        self.o[name] = TagesordnungspunktFactory(
            sitzung=self.o[sitzung], **self.kanarien_fuer(Tagesordnungspunkt, name), ergebnis="beschlossen", **kwargs
        )
        self.o[name].vorlagen.set([self.o[v] for v in vorlagen])
        return self.o[name]

    def protokoll(self, name, model, factory, **kwargs):
        self.o[name] = factory(**self.kanarien_fuer(model, name), **kwargs)
        return self.o[name]

    def abstimmung_und_befangenheit(self, top, abstimmende, befangene):
        """A namentliche Abstimmung and a Befangenheit at ``top``, with canaries in their text fields."""
        abstimmung = self.o[f"abstimmung-{top}"] = AbstimmungFactory(
            tagesordnungspunkt=self.o[top],
            art="namentlich",
            ja=1,
            **self.kanarien_fuer(Abstimmung, f"abstimmung-{top}"),
        )
        StimmeFactory(abstimmung=abstimmung, person=abstimmende)
        self.o[f"befangenheit-{top}"] = BefangenheitFactory(
            tagesordnungspunkt=self.o[top], person=befangene, **self.kanarien_fuer(Befangenheit, f"befangenheit-{top}")
        )


@pytest.fixture
def welt(db):
    w = Welt()
    heute = timezone.localdate()
    a = w.o["ausschuss-a"] = AusschussFactory(name="Ausschuss Matrix A", slug="matrix-a")
    b = w.o["ausschuss-b"] = AusschussFactory(name="Ausschuss Matrix B", slug="matrix-b")
    c = w.o["ausschuss-c"] = AusschussFactory(name="Ausschuss Matrix C", slug="matrix-c")

    # Personas. Names of people on committees are public; their contact data is a canary of its own, published
    # only with the person's consent.
    mia = w.o["mia"] = PersonFactory(vorname="Mia", nachname="Mitglied", kontakt_veroeffentlichen=False)
    nils = w.o["nils"] = PersonFactory(vorname="Nils", nachname="Nichtmitglied", kontakt_veroeffentlichen=True)
    for person, objekt in ((mia, "kontakt-geheim"), (nils, "kontakt-offen")):
        person.email = f"{kanarie(objekt, 'email')}@example.org"
        person.telefon = kanarie(objekt, "telefon")
        w.kanarien[kanarie(objekt, "email")] = (objekt, "email")
        w.kanarien[kanarie(objekt, "telefon")] = (objekt, "telefon")
    MitgliedschaftFactory(person=mia, ausschuss=a)
    MitgliedschaftFactory(
        person=mia, ausschuss=c, beginn=heute - datetime.timedelta(days=400), ende=heute - datetime.timedelta(days=1)
    )
    MitgliedschaftFactory(person=nils, ausschuss=b)
    MitgliedschaftFactory(person=nils, ausschuss=a, beginn=heute + datetime.timedelta(days=1))
    w.benutzer[ANONYM] = None
    w.benutzer[MITGLIED] = mia.benutzer = UserFactory(username="matrix-mitglied", password=None)
    w.benutzer[NICHTMITGLIED] = nils.benutzer = UserFactory(username="matrix-nichtmitglied", password=None)
    mia.save()
    nils.save()
    sitzungsdienst = w.benutzer[SITZUNGSDIENST] = UserFactory(
        username="matrix-sitzungsdienst", is_staff=True, password=None
    )
    sitzungsdienst.user_permissions.add(
        Permission.objects.get(content_type__app_label="vorlagen", codename="nichtoeffentliches_sehen"),
        Permission.objects.get(content_type__app_label="protokoll", codename="change_anwesenheit"),
        Permission.objects.get(content_type__app_label="einberufung", codename="view_einberufung"),
        Permission.objects.get(content_type__app_label="sitzungen", codename="change_sitzung"),
    )

    # Vorlagen with their Beratungsfolge and Anlagen.
    w.vorlage("vorlage-oeffentlich")
    w.beratung("beratung-oeffentlich-a", "vorlage-oeffentlich", a)
    w.beratung("beratung-oeffentlich-np-a", "vorlage-oeffentlich", a, oeffentlich=False)
    w.beratung("beratung-oeffentlich-np-c", "vorlage-oeffentlich", c, oeffentlich=False)
    w.anlage("anlage-oeffentlich", "vorlage-oeffentlich")
    w.anlage("anlage-np", "vorlage-oeffentlich", oeffentlich=False)
    w.anlage("anlage-vertraulich", "vorlage-oeffentlich", vertraulich=True)

    w.vorlage("vorlage-fremd")
    w.beratung("beratung-fremd-c", "vorlage-fremd", c)
    w.anlage("anlage-fremd-np", "vorlage-fremd", oeffentlich=False)

    w.vorlage("vorlage-np", oeffentlich=False)
    w.beratung("beratung-np-a", "vorlage-np", a, oeffentlich=False)
    w.anlage("anlage-von-vorlage-np", "vorlage-np")

    w.vorlage("vorlage-entwurf", entwurf=True)
    w.beratung("beratung-entwurf-a", "vorlage-entwurf", a)
    w.anlage("anlage-von-vorlage-entwurf", "vorlage-entwurf")

    w.vorlage("vorlage-vertraulich", vertraulich=True)
    w.beratung("beratung-vertraulich-a", "vorlage-vertraulich", a)
    w.anlage("anlage-von-vorlage-vertraulich", "vorlage-vertraulich")

    # The public Vorlage refers to the others: the references must be filtered by the rule too.
    w.o["vorlage-oeffentlich"].vorliegende_antraege.set([w.o["vorlage-np"], w.o["vorlage-entwurf"]])
    w.o["vorlage-oeffentlich"].erledigte_antraege.set([w.o["vorlage-vertraulich"], w.o["vorlage-fremd"]])
    # Versions (issue 19): each Neufassung names its earlier version, and the earlier one its later ones, only for
    # who may see the other; the diff needs both. The public Vorlage replaced by a non-public one, a public one
    # replacing a draft (with the PDF annex: the public PDF must not carry the draft's text), a confidential one
    # replacing the public one.
    for name, bezug, pdf in (
        ("vorlage-np", "vorlage-oeffentlich", False),
        ("vorlage-fremd", "vorlage-entwurf", True),
        ("vorlage-vertraulich", "vorlage-oeffentlich", False),
    ):
        Vorlage.objects.filter(pk=w.o[name].pk).update(
            bezug=w.o[bezug], bezugsart=Vorlage.Bezugsart.NEUFASSUNG, unterschiede_im_pdf=pdf
        )
        w.o[name].refresh_from_db()

    # Sitzungen (all upcoming, so they also appear on Meine Sitzungen) and their agendas.
    for name, ausschuss, oeffentlich in (
        ("sitzung-a-oeffentlich", a, True),
        ("sitzung-a-np", a, False),
        ("sitzung-b-oeffentlich", b, True),
        ("sitzung-c-oeffentlich", c, True),
        ("sitzung-c-np", c, False),
    ):
        w.o[name] = SitzungFactory(ausschuss=ausschuss, oeffentlich=oeffentlich)
        # Issue 19: the first published version of each agenda is empty; the second (below) has every TOP.
        tagesordnung_fassung_festhalten(sitzung=w.o[name], anlass="Einladung")
    w.top(
        "top-a-oeffentlich",
        "sitzung-a-oeffentlich",
        vorlagen=["vorlage-oeffentlich", "vorlage-entwurf", "vorlage-vertraulich"],
    )
    w.top("top-a-np", "sitzung-a-oeffentlich", vorlagen=["vorlage-np"], oeffentlich=False)
    w.top("top-a-np-sitzung", "sitzung-a-np", vorlagen=["vorlage-np", "vorlage-oeffentlich"], oeffentlich=False)
    w.top("top-b-oeffentlich", "sitzung-b-oeffentlich", vorlagen=["vorlage-oeffentlich"])
    w.top("top-c-np", "sitzung-c-oeffentlich", vorlagen=["vorlage-fremd"], oeffentlich=False)
    w.top("top-c-np-sitzung", "sitzung-c-np", vorlagen=["vorlage-fremd"], oeffentlich=False)
    # Data the admin form would refuse (a public TOP in a non-public Sitzung), but the rule must still hold.
    w.top("top-c-oeffentlich-in-np-sitzung", "sitzung-c-np", vorlagen=["vorlage-fremd"])
    w.tops_von = {
        sitzung: [name for name in SICHTBAR if name.startswith("top-") and w.o[name].sitzung == w.o[sitzung]]
        for sitzung in SITZUNGEN
    }
    # The record: Vito votes at every TOP, Bea is befangen at every TOP, both attend every Sitzung.
    vito = w.o["vito"] = PersonFactory(vorname="Vito", nachname="Votum")
    bea = w.o["bea"] = PersonFactory(vorname="Bea", nachname="Befangen")
    for sitzung in SITZUNGEN:
        w.o[f"anwesenheit-{sitzung}"] = AnwesenheitFactory(
            sitzung=w.o[sitzung], person=vito, **w.kanarien_fuer(Anwesenheit, f"anwesenheit-{sitzung}")
        )
        AnwesenheitFactory(sitzung=w.o[sitzung], person=bea)
        for top in w.tops_von[sitzung]:
            w.abstimmung_und_befangenheit(top, vito, bea)
    for sitzung, name in NIEDERSCHRIFTEN.items():
        veroeffentlicht = None if name.endswith("-entwurf") else timezone.now()
        w.o[name] = NiederschriftFactory(
            sitzung=w.o[sitzung], veroeffentlicht_am=veroeffentlicht, **w.kanarien_fuer(Niederschrift, name)
        )
        unterschrift = name.replace("niederschrift-", "unterschrift-")
        if unterschrift in SICHTBAR:
            w.o[unterschrift] = UnterschriftFactory(
                niederschrift=w.o[name], rolle="schriftfuehrung", **w.kanarien_fuer(Unterschrift, unterschrift)
            )
    w.dokument("dokument-a-in-np-sitzung", "sitzung-a-np", art="einladung")
    w.dokument("dokument-c-np", "sitzung-c-oeffentlich", art="praesentation", oeffentlich=False)
    assert set(w.kanarien.values()) >= {(objekt, "titel") for objekt in VORLAGEN}
    assert {objekt for objekt, _feld in w.kanarien.values()} <= set(SICHTBAR)
    # The record of the Sitzungen (issue 17).
    w.dokument("dokument-a-oeffentlich", "sitzung-a-oeffentlich", art="einladung")
    w.dokument("dokument-a-np", "sitzung-a-oeffentlich", art="niederschrift", oeffentlich=False)
    w.dokument("dokument-c-np-sitzung", "sitzung-c-np", art="sonstiges")
    w.protokoll("abstimmung-a-oeffentlich", Abstimmung, AbstimmungFactory, tagesordnungspunkt=w.o["top-a-oeffentlich"])
    w.protokoll("abstimmung-a-np", Abstimmung, AbstimmungFactory, tagesordnungspunkt=w.o["top-a-np"])
    w.protokoll("befangenheit-a-np", Befangenheit, BefangenheitFactory, tagesordnungspunkt=w.o["top-a-np"], person=nils)
    w.protokoll("anwesenheit-a", Anwesenheit, AnwesenheitFactory, sitzung=w.o["sitzung-a-oeffentlich"], person=mia)
    einberufung_pflanzen(w)
    for name in SITZUNGEN:
        tagesordnung_fassung_festhalten(sitzung=w.o[name], anlass="Nachtrag 1")
    aenderungen_pflanzen(w)

    amt_pflanzen(w)
    # Issue 20: a Fraktion with the member Mia (the Fraktion page lists its members and their seats, and the papers
    # it signed); Nils has a photo with consent (the photo has no canary: it is public once consented to).
    fraktion = w.o["fraktion-m"] = AusschussFactory(name="Fraktion Matrix", slug="matrix-fraktion", art="fraktion")
    MitgliedschaftFactory(person=mia, ausschuss=fraktion)
    antraege_pflanzen(w)
    # The vocabulary of "Meinten Sie …", as after loading data: it must hold no word of hidden content.
    suchwoerter_aufbauen()
    # Issue 20: one Wahlperiode spanning every date of the world (public as a whole: no canary).
    w.wahlperiode = WahlperiodeFactory(name="Matrix-Wahlperiode", beginn=DATUM_MIN, ende=DATUM_MAX)
    nils.foto.save("foto.jpg", ContentFile(bild_bauen()), save=False)
    nils.foto_einwilligung_am = heute
    nils.save()
    return w


def antraege_pflanzen(w):
    """Issue 20: the signed papers of SICHTBAR, each signed by the Fraktion and then by Mia. They are dated before
    the Beschlussvorlagen, one day apart in the order of GEZEICHNET, so "newest first" has one answer."""
    papiere = {
        "antrag-oeffentlich": {"art": Vorlage.Art.ANTRAG},
        "antrag-np": {"art": Vorlage.Art.ANTRAG, "oeffentlich": False},
        "antrag-entwurf": {
            "art": Vorlage.Art.ANTRAG,
            "entwurf": True,
            "dienststelle": w.o["vorlage-entwurf"].dienststelle,
        },
        "anfrage-oeffentlich": {"art": Vorlage.Art.ANFRAGE},
        "anfrage-vertraulich": {"art": Vorlage.Art.ANFRAGE, "vertraulich": True},
    }
    assert list(papiere) == GEZEICHNET
    for tag, (name, felder) in zip(range(len(papiere), 0, -1), papiere.items(), strict=True):
        w.vorlage(name, datum=datetime.date(2021, 10, tag), **felder)
        UrheberFactory(vorlage=w.o[name], fraktion=w.o["fraktion-m"], reihenfolge=1)
        UrheberFactory(vorlage=w.o[name], person=w.o["mia"], reihenfolge=2)
    w.beratung("beratung-antrag-np-a", "antrag-np", w.o["ausschuss-a"], oeffentlich=False)


def amt_pflanzen(w):
    """Issue 19: the two Amt personas, and a running Laufweg on the draft whose open step belongs to a third
    Dienststelle that no persona works in (so nobody of the personas may decide it)."""
    from mitzeichnung.models import Laufweg, Schritt
    from tests.factories import DienststelleFactory, DienststellenzugehoerigkeitFactory

    for persona, vorlage in ((AMT, "vorlage-entwurf"), (AMT_FREMD, "vorlage-oeffentlich")):
        w.benutzer[persona] = UserFactory(username=f"matrix-{persona}", password=None)
        DienststellenzugehoerigkeitFactory(benutzer=w.benutzer[persona], dienststelle=w.o[vorlage].dienststelle)
    laufweg = Laufweg.objects.create(
        vorlage=w.o["vorlage-entwurf"], gestartet_von=w.benutzer[SITZUNGSDIENST], gestartet_am=timezone.now()
    )
    w.schritt = Schritt.objects.create(
        laufweg=laufweg,
        dienststelle=DienststelleFactory(name="Matrix-Kämmerei"),
        frist=timezone.localdate(),
        status=Schritt.Status.OFFEN,
        geoeffnet_am=timezone.now(),
    )


def einberufung_pflanzen(w):
    """Issue 18: a late Einladung to A's non-public Sitzung, its Ladung and the failed message, with canaries."""
    from einberufung.models import Einberufung, Ladung
    from post.models import Nachricht
    from tests.factories import EinberufungFactory, LadungFactory, NachrichtFactory

    einberufung = w.protokoll(
        "einberufung-a-np", Einberufung, EinberufungFactory, sitzung=w.o["sitzung-a-np"], frist_eingehalten=False
    )
    nachricht = w.protokoll("nachricht-a-np", Nachricht, NachrichtFactory, art="einladung", status="fehlgeschlagen")
    w.protokoll("ladung-a-np", Ladung, LadungFactory, einberufung=einberufung, person=None, nachricht=nachricht)


def aenderungen_pflanzen(w):
    """Issue 19: every TOP of every Sitzung was moved after the Einladung. The history row keeps the TOP's title
    (its canary): the public Sitzung page must show it exactly to those who may see the TOP."""
    from sitzungen.models import Tagesordnungsaenderung

    for sitzung in SITZUNGEN:
        for top in w.tops_von[sitzung]:
            objekt = w.o[top]
            Tagesordnungsaenderung.objects.create(
                sitzung=objekt.sitzung,
                tagesordnungspunkt=objekt,
                art=Tagesordnungsaenderung.Art.VERSCHOBEN,
                titel=objekt.titel,
                oeffentlich=objekt.oeffentlich,
                vorher=objekt.bezeichnung,
                nachher=objekt.bezeichnung,
                nach_einberufung=True,
            )


def planung_zeigt(w, sitzung):
    """The clerk's agenda page: every TOP's title and the Vorlagen on it by their name (issue 19)."""
    zeigt = []
    for top in w.tops_von[sitzung]:
        zeigt += z(w, top, "titel", nur=NUR_SITZUNGSDIENST)
        for vorlage in w.o[top].vorlagen.all():
            objekt = next(n for n in VORLAGEN if w.o[n] == vorlage)
            zeigt += [(NUR_SITZUNGSDIENST, w.k(objekt, "zusatz"))]
    return zeigt


# What each URL is expected to show


@dataclasses.dataclass
class Abruf:
    """One request of the matrix and what each persona should get from it."""

    url: str
    sichtbar: frozenset = ALLE  # who gets the page; everybody else gets a 404
    zeigt: list = dataclasses.field(default_factory=list)  # [(personas, canary)]: shown to exactly these
    erfolg: int = 200  # the status for those who get the page
    anmeldung: bool = False  # anonymous visitors are sent to the login page instead
    treffer: tuple | None = None  # lists: the objects the count "N Vorlagen" / "N Sitzungen" may include


def z(w, objekt, *felder, bedingung=None, nur=ALLE):
    """Canaries of ``objekt`` that a page shows to whoever may see ``bedingung`` (default: the object itself)."""
    wer = SICHTBAR[bedingung or objekt] & SICHTBAR[objekt] & nur
    return [(wer, w.k(objekt, feld)) for feld in felder]


def vorlage_zeilen(w, namen, ueber=None):
    """The rows of a list of Vorlagen (number with Zusatz, title); ``ueber`` maps a Vorlage to a Beratung."""
    zeilen = []
    for name in namen:
        zeilen += z(w, name, "zusatz", "titel", bedingung=(ueber or {}).get(name))
    return zeilen


# (Neufassung, the version it replaces) as planted in the world.
FASSUNGEN = [
    ("vorlage-np", "vorlage-oeffentlich"),
    ("vorlage-fremd", "vorlage-entwurf"),
    ("vorlage-vertraulich", "vorlage-oeffentlich"),
]


def unterschiede_seite(w, name, bezug):
    """The diff page of a Neufassung: the text of both versions, to who may see both."""
    beide = SICHTBAR[name] & SICHTBAR[bezug]
    felder = ("titel", "beschlussantrag", "bericht", "begruendung", "finanzielle_auswirkungen")
    zeigt = [(beide, w.k(objekt, feld)) for objekt in (name, bezug) for feld in felder]
    url = reverse("vorlagen:unterschiede", kwargs={"kennung": w.o[name].kennung})
    return Abruf(url, sichtbar=beide, zeigt=zeigt)


def startseite_vorlagen(w, anzahl=8):
    """The start page's newest Vorlagen (StartseiteView.anzahl), each persona's own: the clerk may see all ten
    planted ones, so the two oldest signed papers must be missing for her while others see theirs."""
    neueste = sorted(ALLE_VORLAGEN, key=lambda n: (w.o[n].datum, w.o[n].jahr, w.o[n].nummer, w.o[n].pk), reverse=True)
    zeigt = []
    for persona in PERSONAS:
        for name in [n for n in neueste if persona in SICHTBAR[n]][:anzahl]:
            zeigt += [(wer & {persona}, k) for wer, k in vorlage_zeilen(w, [name])]
    return zeigt


def vorlage_seite(w, name):
    zeigt = z(w, name, *(feld.name for feld in textfelder(Vorlage)))
    for anlage in w.anlagen_von[name]:
        zeigt += z(w, anlage, "titel", "dateiname")
    for beratung in w.beratungen_von[name]:
        zeigt += z(w, beratung, "termin")
    for bezug in w.o[name].vorliegende_antraege.all() | w.o[name].erledigte_antraege.all():
        objekt = next(n for n in VORLAGEN if w.o[n] == bezug)
        zeigt += [(wer & SICHTBAR[name], k) for wer, k in vorlage_zeilen(w, [objekt])]
    return Abruf(w.o[name].get_absolute_url(), sichtbar=SICHTBAR[name], zeigt=zeigt)


def anlage_abrufe(w, name):
    anlage = w.o[name]
    falscher_name = reverse(
        "vorlagen:anlage", kwargs={"kennung": anlage.vorlage.kennung, "pk": anlage.pk, "dateiname": "falsch.pdf"}
    )
    return [
        Abruf(anlage.get_absolute_url(), sichtbar=SICHTBAR[name], zeigt=z(w, name, "datei", "dateiname", "mime_typ")),
        # A wrong file name redirects to the right one - which names the file, so only for those who may see it.
        Abruf(falscher_name, sichtbar=SICHTBAR[name], erfolg=301, zeigt=z(w, name, "dateiname")),
    ]


def tagesordnung(w, sitzung, nur=ALLE):
    zeigt = []
    for top in w.tops_von[sitzung]:
        zeigt += z(w, top, "titel", "beschluss", nur=nur)
        for vorlage in w.o[top].vorlagen.all():
            objekt = next(n for n in VORLAGEN if w.o[n] == vorlage)
            zeigt += [(SICHTBAR[top] & SICHTBAR[objekt] & nur, w.k(objekt, "zusatz"))]
    return zeigt


def fassung_seite(w, sitzung):
    """Issue 19: the second version of an agenda (every TOP new against the empty first one) with its visible
    Vorlagen and their visible Anlagen, each under the TOP rule."""
    zeigt = []
    for top in w.tops_von[sitzung]:
        zeigt += z(w, top, "titel")
        for vorlage in w.o[top].vorlagen.all():
            objekt = next(n for n in VORLAGEN if w.o[n] == vorlage)
            wer = SICHTBAR[top] & SICHTBAR[objekt]
            zeigt += [(wer & personas, k) for personas, k in z(w, objekt, "zusatz", "titel")]
            for anlage in w.anlagen_von[objekt]:
                zeigt += [(wer & personas, k) for personas, k in z(w, anlage, "titel", "dateiname")]
    return zeigt


def fassungen_abrufe(w):
    return [
        *(
            Abruf(
                reverse("sitzungen:fassungen", kwargs={"pk": w.o[name].pk}),
                zeigt=[e for top in w.tops_von[name] for e in z(w, top, "titel")],
            )
            for name in SITZUNGEN
        ),
        Abruf(reverse("sitzungen:fassungen", kwargs={"pk": 999999}), sichtbar=NIEMAND),
    ]


def fassung_abrufe(w):
    return [
        *(
            Abruf(reverse("sitzungen:fassung", kwargs={"pk": w.o[name].pk, "nummer": 2}), zeigt=fassung_seite(w, name))
            for name in SITZUNGEN
        ),
        Abruf(reverse("sitzungen:fassung", kwargs={"pk": w.o["sitzung-a-np"].pk, "nummer": 1})),
        Abruf(reverse("sitzungen:fassung", kwargs={"pk": w.o["sitzung-a-np"].pk, "nummer": 3}), sichtbar=NIEMAND),
        Abruf(reverse("sitzungen:fassung", kwargs={"pk": 999999, "nummer": 1}), sichtbar=NIEMAND),
    ]


def sitzungsdokumente(w, sitzung, *felder):
    return [e for name in w.dokumente_von.get(sitzung, []) for e in z(w, name, *felder)]


def dokument_abrufe(w, name):
    dokument = w.o[name]
    falscher_name = reverse(
        "protokoll:dokument", kwargs={"sitzung": dokument.sitzung_id, "pk": dokument.pk, "dateiname": "falsch.pdf"}
    )
    return [
        Abruf(dokument.get_absolute_url(), sichtbar=SICHTBAR[name], zeigt=z(w, name, "datei", "dateiname", "mime_typ")),
        # A wrong file name redirects to the right one - which names the file, so only for those who may see it.
        Abruf(falscher_name, sichtbar=SICHTBAR[name], erfolg=301, zeigt=z(w, name, "dateiname")),
    ]


def mappe(w, sitzung):
    """The Mappe: the Sitzung's documents and its Tagesordnung, then the visible Vorlagen of each visible TOP with
    their visible Anlagen."""
    zeigt = tagesordnung(w, sitzung) + sitzungsdokumente(w, sitzung, "titel")
    for top in w.tops_von[sitzung]:
        for vorlage in w.o[top].vorlagen.all():
            objekt = next(n for n in VORLAGEN if w.o[n] == vorlage)
            wer = SICHTBAR[top] & SICHTBAR[objekt]
            zeigt += [(wer & personas, k) for personas, k in z(w, objekt, "titel", "bericht", "aktenzeichen")]
            for anlage in w.anlagen_von[objekt]:
                zeigt += [(wer & personas, k) for personas, k in z(w, anlage, "titel", "dateiname")]
    return zeigt


def protokoll_top(w, top, nur=ALLE):
    """What the Niederschrift and the Beschlussauszug print of a TOP: its content, vote and Befangenheit."""
    zeigt = z(w, top, "titel", "beschluss", "beratungsverlauf", nur=nur)
    for vorlage in w.o[top].vorlagen.all():
        objekt = next(n for n in VORLAGEN if w.o[n] == vorlage)
        zeigt += [(SICHTBAR[top] & SICHTBAR[objekt] & nur, w.k(objekt, "zusatz"))]
    for objekt, feld in ((f"abstimmung-{top}", "gegenstand"), (f"befangenheit-{top}", "grund")):
        if objekt in SICHTBAR:
            zeigt += z(w, objekt, feld, nur=nur)
    return zeigt


def niederschrift_abrufe(w, adresse):
    """The Niederschrift of every Sitzung (page or PDF): 404 where there is none or it is a draft one may not see."""
    abrufe = []
    for sitzung in SITZUNGEN:
        url = reverse(adresse, kwargs={"pk": w.o[sitzung].pk})
        name = NIEDERSCHRIFTEN.get(sitzung)
        if name is None:
            abrufe.append(Abruf(url, sichtbar=NIEMAND))
            continue
        zeigt = z(w, name, "einleitung", "schluss")
        unterschrift = name.replace("niederschrift-", "unterschrift-")
        if unterschrift in SICHTBAR:
            zeigt += z(w, unterschrift, "name")
        for top in w.tops_von[sitzung]:
            zeigt += protokoll_top(w, top, nur=SICHTBAR[name])
        abrufe.append(Abruf(url, sichtbar=SICHTBAR[name], zeigt=zeigt))
    abrufe.append(Abruf(reverse(adresse, kwargs={"pk": 999999}), sichtbar=NIEMAND))
    return abrufe


def beschlussauszug_abrufe(w):
    abrufe = [
        Abruf(
            reverse("druck:beschlussauszug", kwargs={"pk": w.o[top].sitzung_id, "top": w.o[top].pk}),
            sichtbar=SICHTBAR[top],
            zeigt=protokoll_top(w, top),
        )
        for top in TOPS
    ]
    # A TOP under the address of another Sitzung.
    fremd = reverse(
        "druck:beschlussauszug", kwargs={"pk": w.o["sitzung-b-oeffentlich"].pk, "top": w.o["top-a-oeffentlich"].pk}
    )
    abrufe.append(Abruf(fremd, sichtbar=NIEMAND))
    return abrufe


def liste(name, **parameter):
    return f"{reverse(name)}?{urlencode(parameter)}" if parameter else reverse(name)


ANLAGEN = [name for name in SICHTBAR if name.startswith("anlage-")]
DOKUMENTE = [name for name in SICHTBAR if name.startswith("dokument-")]
TOPS = [name for name in SICHTBAR if name.startswith("top-")]


def suche_abrufe(w):
    """The search: hits, snippets, counts per kind and suggestions only from what the persona may see.

    Every planted text starts with "kanarie", so ``q=kanarie`` with one kind counts exactly the visible objects
    of that kind. A search for one hidden canary (without its "-zz" end, so the repeated query is no leak) shows
    that object's row and snippet only to those who may see it; a misspelt one must not be corrected into it.
    """
    entwurf = w.o["vorlage-entwurf"]
    antrag = w.o["antrag-entwurf"]
    abrufe = [
        Abruf(reverse("suche:suche")),
        Abruf(liste("suche:suche", q="kanarie", typ="vorlage"), treffer=tuple(ALLE_VORLAGEN)),
        Abruf(liste("suche:suche", q="kanarie", typ="anlage"), treffer=tuple(ANLAGEN)),
        Abruf(liste("suche:suche", q="kanarie", typ="top"), treffer=tuple(TOPS)),
        Abruf(liste("suche:suche", q="kanarie", typ="sitzung"), treffer=()),
        Abruf(liste("suche:suche", q="kanarie", typ="dokument"), treffer=tuple(DOKUMENTE)),
        Abruf(
            liste("suche:suche", q="kanarie", typ="dokument", ausschuss="matrix-a"),
            treffer=("dokument-a-oeffentlich", "dokument-a-np", "dokument-a-in-np-sitzung"),
        ),
        Abruf(
            liste("suche:suche", q="kanarie", typ="vorlage", ausschuss="matrix-c"),
            # The public Vorlage is deliberated by C only in a non-public Beratung.
            treffer=("vorlage-fremd", "beratung-oeffentlich-np-c"),
        ),
        Abruf(liste("suche:suche", q="kanarie", typ="anlage", sortierung="datum", page="2"), treffer=tuple(ANLAGEN)),
        Abruf(
            liste("suche:suche", q=f"GRDrs {entwurf.nummer}/{entwurf.jahr}", typ="vorlage"),
            zeigt=vorlage_zeilen(w, ["vorlage-entwurf"]),
            treffer=("vorlage-entwurf",),
        ),
        # Anträge are counted in a series of their own: the draft Antrag by its number.
        Abruf(
            liste("suche:suche", q=f"Antrag {antrag.nummer}/{antrag.jahr}", typ="vorlage"),
            zeigt=vorlage_zeilen(w, ["antrag-entwurf"]),
            treffer=("antrag-entwurf",),
        ),
    ]
    for name in GEZEICHNET:
        abrufe.append(Abruf(liste("suche:suche", q=w.k(name, "titel")[:-3]), zeigt=vorlage_zeilen(w, [name])))
    for name in VORLAGEN:
        for feld in ("titel", "bericht"):
            abrufe.append(Abruf(liste("suche:suche", q=w.k(name, feld)[:-3]), zeigt=vorlage_zeilen(w, [name])))
        # A misspelt hidden word: neither a hit nor a "Meinten Sie" may give it away.
        abrufe.append(Abruf(liste("suche:suche", q=w.k(name, "titel")[:-4] + "x")))
    for name in ANLAGEN:
        abrufe.append(
            Abruf(liste("suche:suche", q=w.k(name, "seitentext")[:-3]), zeigt=z(w, name, "seitentext", "titel"))
        )
    for name in TOPS:
        abrufe.append(Abruf(liste("suche:suche", q=w.k(name, "beschluss")[:-3]), zeigt=z(w, name, "titel")))
    for name in DOKUMENTE:
        abrufe.append(Abruf(liste("suche:suche", q=w.k(name, "text")[:-3]), zeigt=z(w, name, "text", "titel")))
        abrufe.append(Abruf(liste("suche:suche", q=w.k(name, "titel")[:-3]), zeigt=z(w, name, "titel")))
    return abrufe


def suche_feed_abrufe(w):
    """Issue 18: the Atom feed of a search is built for the anonymous visitor, whoever asks; bad parameters 400."""
    abrufe = [
        Abruf(reverse("suche:feed"), erfolg=400),
        Abruf(liste("suche:feed", q="kanarie", von="kein-datum"), erfolg=400),
        Abruf(liste("suche:feed", q="kanarie", typ="vorlage", ausschuss="matrix-a")),
    ]
    for name in ALLE_VORLAGEN:
        zeigt = fuer_die_oeffentlichkeit(vorlage_zeilen(w, [name]))
        abrufe.append(Abruf(liste("suche:feed", q=w.k(name, "titel")[:-3]), zeigt=zeigt))
    for name in ANLAGEN:
        zeigt = fuer_die_oeffentlichkeit(z(w, name, "seitentext", "titel"))
        abrufe.append(Abruf(liste("suche:feed", q=w.k(name, "seitentext")[:-3]), zeigt=zeigt))
    for name in TOPS:
        zeigt = fuer_die_oeffentlichkeit(z(w, name, "titel"))
        abrufe.append(Abruf(liste("suche:feed", q=w.k(name, "beschluss")[:-3]), zeigt=zeigt))
    for name in DOKUMENTE:
        zeigt = fuer_die_oeffentlichkeit(z(w, name, "text", "titel"))
        abrufe.append(Abruf(liste("suche:feed", q=w.k(name, "text")[:-3]), zeigt=zeigt))
    return abrufe


def vorlagen_liste(w):
    a_beratungen = {
        "vorlage-oeffentlich": "beratung-oeffentlich-a",
        "vorlage-entwurf": "beratung-entwurf-a",
        "vorlage-np": "beratung-np-a",
        "vorlage-vertraulich": "beratung-vertraulich-a",
    }
    c_beratungen = {"vorlage-fremd": "beratung-fremd-c", "vorlage-oeffentlich": "beratung-oeffentlich-np-c"}
    # A search for a hidden title asks for the canary without its "-zz" end: the form repeats the search term,
    # which must not count as a leak, while a hit in the results still shows the whole canary.
    suche = {name: w.k(name, "titel")[:-3] for name in VORLAGEN}
    entwurf = w.o["vorlage-entwurf"]
    # The non-public Antrag is on A's Beratungsfolge too (the Beschlussvorlagen-only filter below leaves it out).
    a_alle = a_beratungen | {"antrag-np": "beratung-antrag-np-a"}
    return [
        Abruf(liste("vorlagen:liste"), zeigt=vorlage_zeilen(w, ALLE_VORLAGEN), treffer=tuple(ALLE_VORLAGEN)),
        Abruf(
            liste("vorlagen:liste", ausschuss="matrix-a"),
            zeigt=vorlage_zeilen(w, a_alle, ueber=a_alle),
            treffer=tuple(a_alle.values()),
        ),
        # Listing the public Vorlage under C would tell that C deliberates it - in a non-public Beratung.
        Abruf(
            liste("vorlagen:liste", ausschuss="matrix-c"),
            zeigt=vorlage_zeilen(w, c_beratungen, ueber=c_beratungen),
            treffer=tuple(c_beratungen.values()),
        ),
        *(
            Abruf(liste("vorlagen:liste", q=suche[name]), zeigt=vorlage_zeilen(w, [name]), treffer=(name,))
            for name in VORLAGEN
        ),
        Abruf(
            liste("vorlagen:liste", q=w.k("vorlage-vertraulich", "aktenzeichen")[:-3]),
            zeigt=vorlage_zeilen(w, ["vorlage-vertraulich"]),
            treffer=("vorlage-vertraulich",),
        ),
        Abruf(
            liste("vorlagen:liste", q=f"GRDrs {entwurf.nummer}/{entwurf.jahr}"),
            zeigt=vorlage_zeilen(w, ["vorlage-entwurf"]),
            treffer=("vorlage-entwurf",),
        ),
        Abruf(
            liste("vorlagen:liste", q="kanarie", ausschuss="matrix-a", art="beschlussvorlage", jahr="2021"),
            zeigt=vorlage_zeilen(w, a_beratungen, ueber=a_beratungen),
            treffer=tuple(a_beratungen.values()),
        ),
        Abruf(liste("vorlagen:liste", page="2"), treffer=tuple(ALLE_VORLAGEN)),
    ]


def fuer_die_oeffentlichkeit(zeigt):
    """Feeds, iCal and the sitemap are built for an anonymous visitor, whoever asks (oeffentlich.oeffentlichkeit).

    So every persona gets exactly what the anonymous visitor may see: a canary the public may see is shown to
    everybody, any other to nobody - not even to the clerk, whose calendar app fetches without her login.
    """
    return [(ALLE if ANONYM in wer else NIEMAND, wert) for wer, wert in zeigt]


def ical_abrufe(w):
    abrufe = []
    for name in SITZUNGEN:
        # Only TOP titles go into an event's description; the number of a hidden TOP stays, its title does not.
        zeigt = [eintrag for top in w.tops_von[name] for eintrag in z(w, top, "titel")]
        abrufe.append(
            Abruf(
                reverse("oeffentlich:ical-sitzung", kwargs={"pk": w.o[name].pk}),
                zeigt=fuer_die_oeffentlichkeit(zeigt),
            )
        )
    abrufe.append(Abruf(reverse("oeffentlich:ical-sitzung", kwargs={"pk": 999999}), sichtbar=NIEMAND))
    return abrufe


def ical_tops(w, sitzungen):
    return fuer_die_oeffentlichkeit([e for s in sitzungen for top in w.tops_von[s] for e in z(w, top, "titel")])


def vorlagen_feeds(w):
    a_beratungen = {
        "vorlage-oeffentlich": "beratung-oeffentlich-a",
        "vorlage-entwurf": "beratung-entwurf-a",
        "vorlage-np": "beratung-np-a",
        "vorlage-vertraulich": "beratung-vertraulich-a",
        "antrag-np": "beratung-antrag-np-a",
    }
    c_beratungen = {"vorlage-fremd": "beratung-fremd-c", "vorlage-oeffentlich": "beratung-oeffentlich-np-c"}
    return [
        Abruf(
            reverse("oeffentlich:feed-vorlagen-ausschuss", kwargs={"slug": "matrix-a"}),
            zeigt=fuer_die_oeffentlichkeit(vorlage_zeilen(w, a_beratungen, ueber=a_beratungen)),
        ),
        # The public Vorlage is deliberated by C only in a non-public Beratung: it must not show up under C.
        Abruf(
            reverse("oeffentlich:feed-vorlagen-ausschuss", kwargs={"slug": "matrix-c"}),
            zeigt=fuer_die_oeffentlichkeit(vorlage_zeilen(w, c_beratungen, ueber=c_beratungen)),
        ),
        Abruf(reverse("oeffentlich:feed-vorlagen-ausschuss", kwargs={"slug": "gibt-es-nicht"}), sichtbar=NIEMAND),
    ]


def kalender_monat(w):
    beginn = timezone.localtime(w.o["sitzung-a-oeffentlich"].beginn)
    url = reverse("oeffentlich:kalender-monat", kwargs={"jahr": beginn.year, "monat": beginn.month})
    return [
        Abruf(url),
        Abruf(f"{url}?ausschuss=matrix-a"),
        Abruf(f"{url}?ausschuss=gibt-es-nicht", sichtbar=NIEMAND),
        Abruf(reverse("oeffentlich:kalender-monat", kwargs={"jahr": beginn.year, "monat": 13}), sichtbar=NIEMAND),
    ]


def oparl_objekt(w, name, typ, zeigt=()):
    """One OParl object: the API is built for the anonymous visitor, whoever asks (oparl.abbildung)."""
    return Abruf(
        reverse(f"oparl:{typ}", kwargs={"pk": w.o[name].pk}),
        sichtbar=ALLE if ANONYM in SICHTBAR.get(name, ALLE) else NIEMAND,
        zeigt=fuer_die_oeffentlichkeit(list(zeigt)),
    )


def oparl_paper(w, name):
    zeigt = z(w, name, "titel", "zusatz")
    for anlage in w.anlagen_von[name]:
        zeigt += [(wer & SICHTBAR[name], k) for wer, k in z(w, anlage, "titel", "dateiname", "seitentext")]
    return oparl_objekt(w, name, "paper", zeigt)


def oparl_tops(w, sitzungen):
    return [e for s in sitzungen for top in w.tops_von[s] for e in oparl_top(w, top)]


PROTOKOLL_DOKUMENTE = ["dokument-a-oeffentlich", "dokument-a-np", "dokument-c-np-sitzung"]


def oparl_top(w, top):
    """An AgendaItem: its content, with the vote's subject (vendor extension) as its TOP; never a Befangenheit's
    reason (a note of the clerks, ``(NIEMAND, …)`` so it is checked for everybody)."""
    zeigt = z(w, top, "titel", "beschluss")
    for name in ("abstimmung-a-oeffentlich", "abstimmung-a-np"):
        if w.o[name].tagesordnungspunkt_id == w.o[top].pk:
            zeigt += z(w, name, "gegenstand")
    if w.o["befangenheit-a-np"].tagesordnungspunkt_id == w.o[top].pk:
        zeigt.append((NIEMAND, w.k("befangenheit-a-np", "grund")))
    return zeigt


def oparl_dokument(w, name):
    return z(w, name, "titel", "dateiname", "text")


def oparl_meeting(w, sitzung):
    zeigt = oparl_tops(w, [sitzung])
    zeigt += [e for name in PROTOKOLL_DOKUMENTE if w.o[name].sitzung == w.o[sitzung] for e in oparl_dokument(w, name)]
    if w.o["anwesenheit-a"].sitzung == w.o[sitzung]:
        zeigt.append((NIEMAND, w.k("anwesenheit-a", "bemerkung")))
    return zeigt


def oparl_listen(w):
    """Every list of the Body, in one page (limit 100) and in pages of one, with a filter carried along."""
    inhalt = {
        "paper": [
            *vorlage_zeilen(w, ALLE_VORLAGEN),
            *(e for name in ANLAGEN for e in z(w, name, "titel", "dateiname", "seitentext")),
        ],
        "file": [
            *(e for name in ANLAGEN for e in z(w, name, "titel", "dateiname", "seitentext")),
            *(e for name in PROTOKOLL_DOKUMENTE for e in oparl_dokument(w, name)),
        ],
        "meeting": [e for name in SITZUNGEN for e in oparl_meeting(w, name)],
        "agendaItem": oparl_tops(w, SITZUNGEN),
    }
    abrufe = []
    for liste in (
        "organization",
        "person",
        "meeting",
        "paper",
        "agendaItem",
        "consultation",
        "file",
        "membership",
        "locationList",
        "legislativeTermList",
    ):
        adresse = reverse("oparl:liste", kwargs={"liste": liste})
        abrufe.append(Abruf(f"{adresse}?limit=100", zeigt=fuer_die_oeffentlichkeit(inhalt.get(liste, []))))
        abrufe.append(Abruf(f"{adresse}?limit=1&modified_since=2000-01-01T00:00:00"))
    abrufe.append(Abruf(reverse("oparl:liste", kwargs={"liste": "gibt-es-nicht"}), sichtbar=NIEMAND))
    return abrufe


def herkunft_abrufe(w):
    """Issue 6: the old id of an imported object leads to ours for whoever may see it; the rest get a 404."""
    abrufe = []
    for name in [*ALLE_VORLAGEN, *TOPS]:
        herkunft = HerkunftFactory(objekt=w.o[name], oparl_id=f"https://alt.example.org/oparl/{name}")
        adresse = reverse("oparlimport:herkunft") + "?" + urlencode({"id": herkunft.oparl_id})
        abrufe.append(Abruf(adresse, sichtbar=SICHTBAR[name], erfolg=302))
    unbekannt = urlencode({"id": "https://alt.example.org/oparl/gibt-es-nicht"})
    abrufe.append(Abruf(reverse("oparlimport:herkunft") + "?" + unbekannt, sichtbar=NIEMAND))
    abrufe.append(Abruf(reverse("oparlimport:herkunft"), erfolg=400))
    return abrufe


def oparl_fehlt(typ):
    return Abruf(reverse(f"oparl:{typ}", kwargs={"pk": 999999}), sichtbar=NIEMAND)


def sitzung_seite(w, sitzung):
    """The Sitzung page: its agenda, and the record of each TOP as visible as the TOP, attendance for all."""
    zeigt = tagesordnung(w, sitzung) + z(w, f"anwesenheit-{sitzung}", "bemerkung")
    for top in w.tops_von[sitzung]:
        zeigt += z(w, f"abstimmung-{top}", "gegenstand") + z(w, f"befangenheit-{top}", "grund")
    return zeigt


def stimmen_einer_person(w):
    return [eintrag for top in TOPS for eintrag in z(w, top, "titel") + z(w, f"abstimmung-{top}", "gegenstand")]


def beschluss_zeilen(w, tops):
    return [eintrag for top in tops for eintrag in z(w, top, "titel", "beschluss")]


TOPS_A = ["top-a-oeffentlich", "top-a-np", "top-a-np-sitzung"]


def beschluesse(w):
    return [
        Abruf(liste("oeffentlich:beschluesse"), zeigt=beschluss_zeilen(w, TOPS), treffer=tuple(TOPS)),
        Abruf(
            liste("oeffentlich:beschluesse", ausschuss="matrix-a"),
            zeigt=beschluss_zeilen(w, TOPS_A),
            treffer=tuple(TOPS_A),
        ),
        Abruf(
            liste("oeffentlich:beschluesse", ausschuss="matrix-c", von="2000-01-01", page="2"),
            treffer=("top-c-np", "top-c-np-sitzung", "top-c-oeffentlich-in-np-sitzung"),
        ),
        Abruf(liste("oeffentlich:beschluesse", von="kein-datum"), treffer=()),
    ]


def abbestellen_url(benutzer):
    from konten.services import abmelde_token

    return reverse("konto:benachrichtigungen-abbestellen", kwargs={"token": abmelde_token(benutzer)})


def einberufung_zeigt(w, sitzung, *weitere):
    """The record of the Einberufung on its page and in its proof (only A's non-public Sitzung has one)."""
    if sitzung != "sitzung-a-np":
        return []
    return [
        *z(w, "einberufung-a-np", "notfall_begruendung", "aenderungen"),
        *z(w, "ladung-a-np", "name"),
        *z(w, "nachricht-a-np", "adresse", "antwort", *weitere),
    ]


def passwort_neu(w, token=None):
    benutzer = w.benutzer[MITGLIED]
    uidb64 = urlsafe_base64_encode(force_bytes(benutzer.pk))
    token = token or default_token_generator.make_token(benutzer)
    return reverse("konto:passwort-neu", kwargs={"uidb64": uidb64, "token": token})


AMT_VORLAGEN = {AMT: "vorlage-entwurf", AMT_FREMD: "vorlage-oeffentlich"}


def arbeitsbereich_abrufe(w):
    """Issue 19: the work area lists the Vorlagen of the user's Dienststelle; a Vorlage's page there exists only
    for its Dienststelle's staff (not for the Sitzungsdienst, who works in the admin); only a draft goes on a route."""
    zeigt = [(frozenset({persona}), w.k(name, "titel")) for persona, name in AMT_VORLAGEN.items()]
    # Issue 20: the draft Antrag is of the same Dienststelle as the draft Vorlage.
    entwuerfe = [zeigt[0], (frozenset({AMT}), w.k("antrag-entwurf", "titel"))]
    abrufe = [
        Abruf(reverse("mitzeichnung:arbeitsbereich"), anmeldung=True, zeigt=zeigt + entwuerfe[1:]),
        Abruf(liste("mitzeichnung:arbeitsbereich", status="entwurf"), anmeldung=True, zeigt=entwuerfe),
        Abruf(reverse("mitzeichnung:entwurf-neu"), anmeldung=True, sichtbar=frozenset(AMT_VORLAGEN)),
    ]
    for name in VORLAGEN:
        wer = frozenset(persona for persona, vorlage in AMT_VORLAGEN.items() if vorlage == name)
        url = reverse("mitzeichnung:entwurf", kwargs={"pk": w.o[name].pk})
        abrufe.append(Abruf(url, anmeldung=True, sichtbar=wer, zeigt=z(w, name, "titel", "bericht", nur=wer)))
        url = reverse("mitzeichnung:laufweg-starten", kwargs={"pk": w.o[name].pk})
        entwurf = wer if name == "vorlage-entwurf" else NIEMAND
        abrufe.append(Abruf(url, anmeldung=True, sichtbar=entwurf, zeigt=z(w, name, "titel", nur=entwurf)))
    abrufe.append(Abruf(reverse("mitzeichnung:entwurf", kwargs={"pk": 999999}), anmeldung=True, sichtbar=NIEMAND))
    return abrufe


# One entry per URL pattern (namespace:name): how to build its URLs from the planted world.
MATRIX = {
    **{
        name: lambda w, name=name: [
            abruf for abruf in arbeitsbereich_abrufe(w) if resolve(urlsplit(abruf.url).path).view_name == name
        ]
        for name in (
            "mitzeichnung:arbeitsbereich",
            "mitzeichnung:entwurf-neu",
            "mitzeichnung:entwurf",
            "mitzeichnung:laufweg-starten",
        )
    },
    "startseite": lambda w: [Abruf(reverse("startseite"), zeigt=startseite_vorlagen(w))],
    "vorlagen:liste": vorlagen_liste,
    "vorlagen:detail": lambda w: [
        *(vorlage_seite(w, name) for name in ALLE_VORLAGEN),
        Abruf(reverse("vorlagen:detail", kwargs={"kennung": "grdrs-99999-2021"}), sichtbar=NIEMAND),
    ],
    # The diff of two versions: only for who may see both; the Vorlage without an earlier version has none.
    "vorlagen:unterschiede": lambda w: [
        *(unterschiede_seite(w, name, bezug) for name, bezug in FASSUNGEN),
        Abruf(
            reverse("vorlagen:unterschiede", kwargs={"kennung": w.o["vorlage-oeffentlich"].kennung}), sichtbar=NIEMAND
        ),
        Abruf(
            reverse("vorlagen:unterschiede", kwargs={"kennung": w.o["vorlage-fremd"].kennung})
            + "?"
            + urlencode({"mit": w.o["vorlage-np"].kennung}),
            sichtbar=NIEMAND,
        ),
    ],
    "vorlagen:anlage": lambda w: [
        *(abruf for name in SICHTBAR if name.startswith("anlage-") for abruf in anlage_abrufe(w, name)),
        # The non-public Anlage of one Vorlage asked for under the address of another one.
        Abruf(
            reverse(
                "vorlagen:anlage",
                kwargs={
                    "kennung": w.o["vorlage-fremd"].kennung,
                    "pk": w.o["anlage-np"].pk,
                    "dateiname": w.o["anlage-np"].dateiname,
                },
            ),
            sichtbar=NIEMAND,
        ),
    ],
    # PDFs (druck): the same rule as the pages they print. A draft's PDF is never public, not even for clerks;
    # the admin preview is for clerks only, drafts and confidential Vorlagen included.
    "druck:vorlage": lambda w: [
        *(
            dataclasses.replace(
                vorlage_seite(w, name),
                url=reverse("druck:vorlage", kwargs={"kennung": w.o[name].kennung}),
                sichtbar=NIEMAND if name == "vorlage-entwurf" else SICHTBAR[name],
            )
            for name in VORLAGEN
        ),
        Abruf(reverse("druck:vorlage", kwargs={"kennung": "grdrs-99999-2021"}), sichtbar=NIEMAND),
    ],
    "druck:vorlage-vorschau": lambda w: [
        dataclasses.replace(
            vorlage_seite(w, name),
            url=reverse("druck:vorlage-vorschau", kwargs={"kennung": w.o[name].kennung}),
            sichtbar=NUR_SITZUNGSDIENST,
        )
        for name in VORLAGEN
    ],
    "druck:tagesordnung": lambda w: [
        *(
            Abruf(reverse("druck:tagesordnung", kwargs={"pk": w.o[name].pk}), zeigt=tagesordnung(w, name))
            for name in SITZUNGEN
        ),
        Abruf(reverse("druck:tagesordnung", kwargs={"pk": 999999}), sichtbar=NIEMAND),
    ],
    "druck:mappe": lambda w: [
        *(Abruf(reverse("druck:mappe", kwargs={"pk": w.o[name].pk}), zeigt=mappe(w, name)) for name in SITZUNGEN),
        Abruf(reverse("druck:mappe", kwargs={"pk": 999999}), sichtbar=NIEMAND),
    ],
    # Issue 17: the Niederschrift (page and PDF) and the Beschlussauszug of a TOP.
    "druck:niederschrift": lambda w: niederschrift_abrufe(w, "druck:niederschrift"),
    "druck:beschlussauszug": beschlussauszug_abrufe,
    "protokoll:niederschrift": lambda w: niederschrift_abrufe(w, "protokoll:niederschrift"),
    "suche:suche": suche_abrufe,
    "suche:feed": suche_feed_abrufe,
    "sitzungen:ausschuss-liste": lambda w: [Abruf(reverse("sitzungen:ausschuss-liste"))],
    "sitzungen:ausschuss-detail": lambda w: [
        Abruf(
            w.o["ausschuss-a"].get_absolute_url(),
            zeigt=vorlage_zeilen(
                w,
                ["vorlage-oeffentlich", "vorlage-entwurf", "vorlage-np", "vorlage-vertraulich", "antrag-np"],
                ueber={"vorlage-entwurf": "beratung-entwurf-a", "vorlage-vertraulich": "beratung-vertraulich-a"},
            ),
        ),
        Abruf(w.o["ausschuss-b"].get_absolute_url()),
        Abruf(
            w.o["ausschuss-c"].get_absolute_url(),
            zeigt=vorlage_zeilen(
                w, ["vorlage-fremd", "vorlage-oeffentlich"], ueber={"vorlage-oeffentlich": "beratung-oeffentlich-np-c"}
            ),
        ),
        # Issue 20: the Fraktion page (members, seats) lists the papers it signed, each only to who may see it.
        Abruf(w.o["fraktion-m"].get_absolute_url(), zeigt=vorlage_zeilen(w, GEZEICHNET)),
        Abruf(reverse("sitzungen:ausschuss-detail", kwargs={"slug": "gibt-es-nicht"}), sichtbar=NIEMAND),
    ],
    "sitzungen:person-detail": lambda w: [
        # Issue 20: the papers Mia signed, each only to who may see it.
        Abruf(w.o["mia"].get_absolute_url(), zeigt=vorlage_zeilen(w, GEZEICHNET)),
        # The world's Sitzungen are upcoming: the votes show in a period that includes them (not the default).
        Abruf(f"{w.o['vito'].get_absolute_url()}?von=2000-01-01&bis=2200-12-31", zeigt=stimmen_einer_person(w)),
        Abruf(w.o["vito"].get_absolute_url()),
        Abruf(f"{w.o['vito'].get_absolute_url()}?von=kein-datum"),
        Abruf(w.o["nils"].get_absolute_url(), zeigt=z(w, "kontakt-offen", "email", "telefon")),
        Abruf(reverse("sitzungen:person-detail", kwargs={"pk": 999999}), sichtbar=NIEMAND),
    ],
    # Issue 20: the people index (names are public; contact data never shows there) and the photo with consent.
    "sitzungen:person-liste": lambda w: [
        Abruf(liste("sitzungen:person-liste")),
        Abruf(liste("sitzungen:person-liste", fraktion="matrix-fraktion", wahlperiode="alle")),
        Abruf(reverse("sitzungen:person-liste") + "?" + urlencode({"gremium": "matrix-a", "name": "Mia"})),
        Abruf(liste("sitzungen:person-liste", fraktion="gibt-es-nicht")),
    ],
    "sitzungen:person-foto": lambda w: [
        Abruf(reverse("sitzungen:person-foto", kwargs={"pk": w.o["nils"].pk})),
        Abruf(reverse("sitzungen:person-foto", kwargs={"pk": w.o["mia"].pk}), sichtbar=NIEMAND),
        Abruf(reverse("sitzungen:person-foto", kwargs={"pk": 999999}), sichtbar=NIEMAND),
    ],
    "sitzungen:sitzung-liste": lambda w: [
        Abruf(liste("sitzungen:sitzung-liste"), treffer=tuple(SITZUNGEN)),
        Abruf(
            liste("sitzungen:sitzung-liste", ausschuss="matrix-a"), treffer=("sitzung-a-oeffentlich", "sitzung-a-np")
        ),
        Abruf(liste("sitzungen:sitzung-liste", zeitraum="kommende"), treffer=tuple(SITZUNGEN)),
    ],
    "sitzungen:sitzung-detail": lambda w: [
        *(
            Abruf(
                w.o[name].get_absolute_url(),
                zeigt=sitzung_seite(w, name) + sitzungsdokumente(w, name, "titel", "dateiname"),
            )
            for name in SITZUNGEN
        ),
        Abruf(reverse("sitzungen:sitzung-detail", kwargs={"pk": 999999}), sichtbar=NIEMAND),
    ],
    # Issue 19: the published versions of an agenda and what changed, each entry under the one rule.
    "sitzungen:fassungen": fassungen_abrufe,
    "sitzungen:fassung": fassung_abrufe,
    # Issue 17: the clerk's recording page; for everybody else it does not exist.
    "protokoll:erfassung": lambda w: [
        *(
            Abruf(
                reverse("protokoll:erfassung", kwargs={"pk": w.o[name].pk}),
                sichtbar=NUR_SITZUNGSDIENST,
                anmeldung=True,
                zeigt=tagesordnung(w, name, nur=NUR_SITZUNGSDIENST),
            )
            for name in SITZUNGEN
        ),
        Abruf(reverse("protokoll:erfassung", kwargs={"pk": 999999}), sichtbar=NIEMAND, anmeldung=True),
    ],
    # Issue 19: the clerk's agenda page (pool, numbering, history); for everybody else it does not exist.
    "sitzungen:tagesordnung-planen": lambda w: [
        *(
            Abruf(
                reverse("sitzungen:tagesordnung-planen", kwargs={"pk": w.o[name].pk}),
                sichtbar=NUR_SITZUNGSDIENST,
                anmeldung=True,
                zeigt=planung_zeigt(w, name),
            )
            for name in SITZUNGEN
        ),
        Abruf(reverse("sitzungen:tagesordnung-planen", kwargs={"pk": 999999}), sichtbar=NIEMAND, anmeldung=True),
    ],
    # Issue 18: the clerk's Einberufung page and its proof; for everybody else they do not exist.
    "einberufung:einberufung": lambda w: [
        *(
            Abruf(
                reverse("einberufung:einberufung", kwargs={"pk": w.o[name].pk}),
                sichtbar=NUR_SITZUNGSDIENST,
                anmeldung=True,
                zeigt=einberufung_zeigt(w, name),
            )
            for name in SITZUNGEN
        ),
        Abruf(reverse("einberufung:einberufung", kwargs={"pk": 999999}), sichtbar=NIEMAND, anmeldung=True),
    ],
    "einberufung:nachweis": lambda w: [
        *(
            Abruf(
                reverse("einberufung:nachweis", kwargs={"pk": w.o[name].pk}),
                sichtbar=NUR_SITZUNGSDIENST,
                anmeldung=True,
                zeigt=einberufung_zeigt(w, name, "message_id"),
            )
            for name in SITZUNGEN
        ),
        Abruf(reverse("einberufung:nachweis", kwargs={"pk": 999999}), sichtbar=NIEMAND, anmeldung=True),
    ],
    "protokoll:dokument": lambda w: [
        *(abruf for name in DOKUMENTE for abruf in dokument_abrufe(w, name)),
        # The non-public document of one Sitzung asked for under the address of another one.
        Abruf(
            reverse(
                "protokoll:dokument",
                kwargs={
                    "sitzung": w.o["sitzung-b-oeffentlich"].pk,
                    "pk": w.o["dokument-a-np"].pk,
                    "dateiname": w.o["dokument-a-np"].dateiname,
                },
            ),
            sichtbar=NIEMAND,
        ),
    ],
    "konto:anmelden": lambda w: [Abruf(reverse("konto:anmelden"))],
    # Logout is POST only; a GET is refused for everybody.
    "konto:abmelden": lambda w: [Abruf(reverse("konto:abmelden"), erfolg=405)],
    "konto:meine-sitzungen": lambda w: [
        Abruf(
            reverse("konto:meine-sitzungen"),
            anmeldung=True,
            zeigt=[
                *tagesordnung(w, "sitzung-a-oeffentlich", nur={MITGLIED}),
                *tagesordnung(w, "sitzung-a-np", nur={MITGLIED}),
                *tagesordnung(w, "sitzung-b-oeffentlich", nur={NICHTMITGLIED}),
                # The member left C yesterday: C's Sitzungen are not hers any more.
                *tagesordnung(w, "sitzung-c-oeffentlich", nur=NIEMAND),
            ],
        )
    ],
    "konto:passwort-vergessen": lambda w: [Abruf(reverse("konto:passwort-vergessen"))],
    "konto:passwort-vergessen-gesendet": lambda w: [Abruf(reverse("konto:passwort-vergessen-gesendet"))],
    "konto:passwort-neu": lambda w: [
        Abruf(passwort_neu(w), erfolg=302),  # a valid link moves the token into the session
        Abruf(passwort_neu(w, token="ungueltig-123"), erfolg=200),
    ],
    "konto:passwort-neu-fertig": lambda w: [Abruf(reverse("konto:passwort-neu-fertig"))],
    "konto:passwort-aendern": lambda w: [Abruf(reverse("konto:passwort-aendern"), anmeldung=True)],
    "konto:passwort-geaendert": lambda w: [Abruf(reverse("konto:passwort-geaendert"), anmeldung=True)],
    # Issue 18: the councillors' notifications. The unsubscribe link works without login (its token is the proof)
    # and shows nothing but a button; a forged token is a 400 for everybody.
    "konto:benachrichtigungen": lambda w: [Abruf(reverse("konto:benachrichtigungen"), anmeldung=True)],
    "konto:benachrichtigungen-abbestellen": lambda w: [
        Abruf(abbestellen_url(w.benutzer[MITGLIED])),
        Abruf(reverse("konto:benachrichtigungen-abbestellen", kwargs={"token": "MQ:gefaelscht:xyz"}), erfolg=400),
    ],
    # Issue 7: calendar, iCal, feeds, sitemap, information pages.
    "oeffentlich:kalender": lambda w: [Abruf(reverse("oeffentlich:kalender"), erfolg=302)],
    "oeffentlich:kalender-monat": kalender_monat,
    "oeffentlich:ical-alle": lambda w: [Abruf(reverse("oeffentlich:ical-alle"), zeigt=ical_tops(w, SITZUNGEN))],
    "oeffentlich:ical-sitzung": ical_abrufe,
    "oeffentlich:ical-ausschuss": lambda w: [
        Abruf(
            reverse("oeffentlich:ical-ausschuss", kwargs={"slug": "matrix-a"}),
            zeigt=ical_tops(w, ["sitzung-a-oeffentlich", "sitzung-a-np"]),
        ),
        Abruf(
            reverse("oeffentlich:ical-ausschuss", kwargs={"slug": "matrix-c"}),
            zeigt=ical_tops(w, ["sitzung-c-oeffentlich", "sitzung-c-np"]),
        ),
        Abruf(reverse("oeffentlich:ical-ausschuss", kwargs={"slug": "gibt-es-nicht"}), sichtbar=NIEMAND),
    ],
    "oeffentlich:feed-vorlagen": lambda w: [
        Abruf(reverse("oeffentlich:feed-vorlagen"), zeigt=fuer_die_oeffentlichkeit(vorlage_zeilen(w, ALLE_VORLAGEN)))
    ],
    "oeffentlich:feed-vorlagen-ausschuss": vorlagen_feeds,
    "oeffentlich:feed-sitzungen": lambda w: [Abruf(reverse("oeffentlich:feed-sitzungen"))],
    "oeffentlich:beschluesse": beschluesse,
    "oeffentlich:feed-beschluesse": lambda w: [
        Abruf(reverse("oeffentlich:feed-beschluesse"), zeigt=fuer_die_oeffentlichkeit(beschluss_zeilen(w, TOPS))),
        Abruf(
            liste("oeffentlich:feed-beschluesse", ausschuss="matrix-a"),
            zeigt=fuer_die_oeffentlichkeit(beschluss_zeilen(w, TOPS_A)),
        ),
        Abruf(liste("oeffentlich:feed-beschluesse", von="kein-datum")),
    ],
    "oeffentlich:sitemap": lambda w: [Abruf(reverse("oeffentlich:sitemap"))],
    "oeffentlich:sitemap-abschnitt": lambda w: [
        # The addresses of Vorlagen carry the canary of their Zusatz (in the kennung).
        Abruf(
            reverse("oeffentlich:sitemap-abschnitt", kwargs={"section": "vorlagen"}),
            zeigt=fuer_die_oeffentlichkeit([eintrag for name in ALLE_VORLAGEN for eintrag in z(w, name, "zusatz")]),
        ),
        *(
            Abruf(reverse("oeffentlich:sitemap-abschnitt", kwargs={"section": abschnitt}))
            for abschnitt in ("seiten", "gremien", "sitzungen")
        ),
        Abruf(reverse("oeffentlich:sitemap-abschnitt", kwargs={"section": "gibt-es-nicht"}), sichtbar=NIEMAND),
    ],
    "oeffentlich:barrierefreiheit": lambda w: [Abruf(reverse("oeffentlich:barrierefreiheit"))],
    "oeffentlich:leichte-sprache": lambda w: [Abruf(reverse("oeffentlich:leichte-sprache"))],
    # Issue 6: the OParl API. It is built for the anonymous visitor whoever asks, like the feeds: every persona
    # gets exactly the public view, and a hidden object answers 404 for everybody, the clerk included.
    "oparlimport:herkunft": herkunft_abrufe,
    "oparl:entwickler": lambda w: [Abruf(reverse("oparl:entwickler"))],
    "oparl:openapi": lambda w: [Abruf(reverse("oparl:openapi"))],
    "oparl:system": lambda w: [Abruf(reverse("oparl:system"))],
    "oparl:body-liste": lambda w: [Abruf(reverse("oparl:body-liste"))],
    "oparl:body": lambda w: [Abruf(reverse("oparl:body", kwargs={"pk": 1})), oparl_fehlt("body")],
    "oparl:liste": oparl_listen,
    "oparl:paper": lambda w: [*(oparl_paper(w, name) for name in ALLE_VORLAGEN), oparl_fehlt("paper")],
    "oparl:file": lambda w: [
        *(oparl_objekt(w, name, "file", z(w, name, "titel", "dateiname", "seitentext")) for name in ANLAGEN),
        oparl_fehlt("file"),
    ],
    # File metadata of an import without a stored copy (issue 15): the world has none; the rule is tested in
    # tests/test_oparl_feindlich.py (shown with its Vorlage, hidden with it).
    "oparl:originaldatei": lambda w: [oparl_fehlt("originaldatei")],
    "oparl:file-download": lambda w: [
        *(oparl_objekt(w, name, "file-download", z(w, name, "datei")) for name in ANLAGEN),
        oparl_fehlt("file-download"),
    ],
    # Sitzungsdokumente as Files of their Meeting (issue 17), ids of their own, through their rule.
    "oparl:sitzungsdokument": lambda w: [
        *(oparl_objekt(w, name, "sitzungsdokument", oparl_dokument(w, name)) for name in PROTOKOLL_DOKUMENTE),
        oparl_fehlt("sitzungsdokument"),
    ],
    "oparl:sitzungsdokument-download": lambda w: [
        *(
            oparl_objekt(w, name, "sitzungsdokument-download", z(w, name, "datei", "dateiname"))
            for name in PROTOKOLL_DOKUMENTE
        ),
        oparl_fehlt("sitzungsdokument-download"),
    ],
    # AgendaItem.resolutionFile: only a visible TOP with a Beschluss, and only once druck serves the Beschlussauszug.
    "oparl:beschlussauszug": lambda w: [
        *(
            Abruf(
                reverse("oparl:beschlussauszug", kwargs={"pk": w.o[top].pk}),
                sichtbar=ALLE if ANONYM in SICHTBAR[top] and beschlussauszug_pfad(1, 1) else NIEMAND,
            )
            for top in TOPS
        ),
        oparl_fehlt("beschlussauszug"),
    ],
    "oparl:consultation": lambda w: [
        *(oparl_objekt(w, name, "consultation") for name in SICHTBAR if name.startswith("beratung-")),
        oparl_fehlt("consultation"),
    ],
    # Hidden TOPs are there by number (public: false), as on the Sitzung's page; their content is not.
    "oparl:agendaitem": lambda w: [
        *(
            Abruf(
                reverse("oparl:agendaitem", kwargs={"pk": w.o[top].pk}),
                zeigt=fuer_die_oeffentlichkeit(oparl_top(w, top)),
            )
            for top in TOPS
        ),
        oparl_fehlt("agendaitem"),
    ],
    "oparl:meeting": lambda w: [
        *(
            Abruf(
                reverse("oparl:meeting", kwargs={"pk": w.o[name].pk}),
                zeigt=fuer_die_oeffentlichkeit(oparl_meeting(w, name)),
            )
            for name in SITZUNGEN
        ),
        oparl_fehlt("meeting"),
    ],
    "oparl:organization": lambda w: [
        *(oparl_objekt(w, name, "organization") for name in ("ausschuss-a", "ausschuss-b", "ausschuss-c")),
        oparl_fehlt("organization"),
    ],
    "oparl:verwaltungsbereich": lambda w: [
        Abruf(reverse("oparl:verwaltungsbereich", kwargs={"pk": w.o["vorlage-oeffentlich"].dienststelle_id})),
        oparl_fehlt("verwaltungsbereich"),
    ],
    "oparl:person": lambda w: [
        oparl_objekt(w, "mia", "person"),
        oparl_objekt(w, "nils", "person", z(w, "kontakt-offen", "email", "telefon")),
        oparl_fehlt("person"),
    ],
    "oparl:membership": lambda w: [
        *(Abruf(reverse("oparl:membership", kwargs={"pk": m.pk})) for m in w.o["mia"].mitgliedschaften.all()),
        oparl_fehlt("membership"),
    ],
    "oparl:location": lambda w: [
        Abruf(reverse("oparl:location", kwargs={"pk": w.o["sitzung-a-oeffentlich"].ort_id})),
        oparl_fehlt("location"),
    ],
    "oparl:unbekannt": lambda w: [
        Abruf(reverse("oparl:unbekannt", kwargs={"rest": "gibt/es/nicht"}), sichtbar=NIEMAND)
    ],
}


# Issue 18, citizens' subscriptions (abonnements): only what the anonymous visitor may see can be followed, by anyone,
# logged in or not (the mails go to an address, not to an account). A subscription whose Vorlage stopped being
# public (planted here directly, as if it had been withdrawn) shows on its pages without its title, for everybody.


def abo_abonnent(w):
    """One citizen following every planted Vorlage, confirmed or not; made once per world."""
    from tests.factories import AbonnementFactory, AbonnentFactory  # one addition for this block only

    if "abo" not in w.__dict__:
        abonnent = AbonnentFactory(adresse="matrix-buergerin@example.org")
        w.abo = {
            name: AbonnementFactory(
                abonnent=abonnent, art="vorlage", ausschuss=None, vorlage=w.o[name], bestaetigt_am=None
            )
            for name in VORLAGEN
        }
        w.abonnent = abonnent
    return w.abonnent


def abo_titel(w, name):
    """The Vorlage's title and number on a subscription's page: for everybody while it is public, else for nobody."""
    wer = ALLE if SICHTBAR[name] == ALLE else NIEMAND
    return [(wer, w.k(name, "titel")), (wer, w.k(name, "zusatz"))]


def abo_neu(w):
    abrufe = [
        Abruf(liste("abo:neu", gremium="matrix-a")),
        Abruf(liste("abo:neu", person=w.o["mia"].pk)),
        Abruf(liste("abo:neu", suche="kanarie", ausschuss="matrix-c", typ="vorlage")),
        Abruf(liste("abo:neu"), sichtbar=NIEMAND),
        Abruf(liste("abo:neu", gremium="gibt-es-nicht"), sichtbar=NIEMAND),
    ]
    for name in VORLAGEN:
        oeffentlich = SICHTBAR[name] == ALLE
        for wert in (w.o[name].kennung, w.o[name].pk):
            abrufe.append(
                Abruf(
                    liste("abo:neu", vorlage=wert),
                    sichtbar=ALLE if oeffentlich else NIEMAND,
                    zeigt=abo_titel(w, name) if oeffentlich else [],
                )
            )
    return abrufe


def abo_bestaetigen(w):
    from abonnements.services import bestaetigungs_signatur

    abo_abonnent(w)
    return [
        *(
            Abruf(
                reverse("abo:bestaetigen", kwargs={"signatur": bestaetigungs_signatur(w.abo[name])}),
                zeigt=abo_titel(w, name),
            )
            for name in VORLAGEN
        ),
        Abruf(reverse("abo:bestaetigen", kwargs={"signatur": "erfunden"}), erfolg=400),
    ]


def abo_abbestellen(w):
    # GET only: the page with the button; the matrix never unsubscribes.
    abo_abonnent(w)
    return [
        *(
            Abruf(reverse("abo:abbestellen", kwargs={"token": w.abo[name].token}), zeigt=abo_titel(w, name))
            for name in VORLAGEN
        ),
        Abruf(reverse("abo:abbestellen", kwargs={"token": "gibt-es-nicht"}), sichtbar=NIEMAND),
    ]


MATRIX |= {
    "abo:neu": abo_neu,
    "abo:bestaetigen": abo_bestaetigen,
    "abo:abbestellen": abo_abbestellen,
    "abo:verwalten": lambda w: [
        Abruf(
            abo_abonnent(w).get_absolute_url(),
            zeigt=[eintrag for name in VORLAGEN for eintrag in abo_titel(w, name)],
        ),
        Abruf(reverse("abo:verwalten", kwargs={"token": "gibt-es-nicht"}), sichtbar=NIEMAND),
    ],
    # Names no subscription, only the address: shown to whoever holds the link (GET; the matrix never deletes).
    "abo:alle-abbestellen": lambda w: [
        Abruf(reverse("abo:alle-abbestellen", kwargs={"token": abo_abonnent(w).token})),
        Abruf(reverse("abo:alle-abbestellen", kwargs={"token": "gibt-es-nicht"}), sichtbar=NIEMAND),
    ],
    "abo:verwaltungslink": lambda w: [Abruf(reverse("abo:verwaltungslink"))],
    "abo:datenschutz": lambda w: [Abruf(reverse("abo:datenschutz"))],
}


# Issue 20: the lists of Anträge and Anfragen and their feeds, unfiltered and by signatory, status, Gremium and
# number: each signed paper's row for who may see it, and the count of exactly those. The status is derived as the
# visitor sees it: the non-public Antrag is "in Beratung" (its Beratung in A) for those who may see it at all.
def gezeichnete(w, adresse, namen, ueber=None, **filter_):
    treffer = tuple((ueber or {}).get(name, name) for name in namen)
    return Abruf(liste(adresse, **filter_), zeigt=vorlage_zeilen(w, namen, ueber=ueber), treffer=treffer)


def gezeichnete_abrufe(w, adresse, namen):
    """The filters both lists share, for the papers ``namen`` of the list at ``adresse``."""
    return [
        gezeichnete(w, adresse, namen),
        gezeichnete(w, adresse, namen, fraktion="matrix-fraktion"),
        gezeichnete(w, adresse, namen, person=w.o["mia"].pk),
        *(gezeichnete(w, adresse, [name], q=w.k(name, "titel")[:-3]) for name in namen),
    ]


def gezeichnete_feed(w, adresse, namen, **filter_):
    return Abruf(liste(adresse, **filter_), zeigt=fuer_die_oeffentlichkeit(vorlage_zeilen(w, namen)))


MATRIX |= {
    "vorlagen:antraege": lambda w: [
        *gezeichnete_abrufe(w, "vorlagen:antraege", ANTRAEGE),
        gezeichnete(w, "vorlagen:antraege", ["antrag-np"], status="in_beratung"),
        gezeichnete(w, "vorlagen:antraege", ["antrag-oeffentlich", "antrag-entwurf"], status="eingegangen"),
        # Listed under A only for who may see its non-public Beratung there.
        gezeichnete(
            w, "vorlagen:antraege", ["antrag-np"], ueber={"antrag-np": "beratung-antrag-np-a"}, ausschuss="matrix-a"
        ),
        gezeichnete(
            w,
            "vorlagen:antraege",
            ["antrag-entwurf"],
            q=f"Antrag {w.o['antrag-entwurf'].nummer}/{w.o['antrag-entwurf'].jahr}",
        ),
        Abruf(liste("vorlagen:antraege", ausschuss="matrix-c", status="beschlossen", q="kanarie"), treffer=()),
        Abruf(liste("vorlagen:antraege", fraktion="gibt-es-nicht"), treffer=()),
    ],
    "vorlagen:anfragen": lambda w: [
        *gezeichnete_abrufe(w, "vorlagen:anfragen", ANFRAGEN),
        gezeichnete(w, "vorlagen:anfragen", ANFRAGEN, status="offen"),
        Abruf(liste("vorlagen:anfragen", ausschuss="matrix-a", status="offen"), treffer=()),
    ],
    # The public's view, whoever asks: the non-public Antrag stays out of A's feed even for its members.
    "oeffentlich:feed-antraege": lambda w: [
        gezeichnete_feed(w, "oeffentlich:feed-antraege", ANTRAEGE),
        gezeichnete_feed(w, "oeffentlich:feed-antraege", ANTRAEGE, fraktion="matrix-fraktion"),
        gezeichnete_feed(w, "oeffentlich:feed-antraege", ANTRAEGE, person=w.o["mia"].pk),
        gezeichnete_feed(w, "oeffentlich:feed-antraege", ["antrag-np"], ausschuss="matrix-a"),
        Abruf(liste("oeffentlich:feed-antraege", fraktion="gibt-es-nicht"), erfolg=400),
    ],
    "oeffentlich:feed-anfragen": lambda w: [
        gezeichnete_feed(w, "oeffentlich:feed-anfragen", ANFRAGEN),
        gezeichnete_feed(w, "oeffentlich:feed-anfragen", ANFRAGEN, fraktion="matrix-fraktion"),
        gezeichnete_feed(w, "oeffentlich:feed-anfragen", ANFRAGEN, person=w.o["mia"].pk),
        Abruf(liste("oeffentlich:feed-anfragen", von="kein-datum"), erfolg=400),
    ],
}


# Issue 20: filtered by a Wahlperiode that spans the world's dates, a page shows exactly what it shows unfiltered
# (its first request of the matrix, repeated with the filter); and the Wahlperioden in OParl.
def _auch_mit_wahlperiode(name):
    ohne = MATRIX[name]

    def abrufe(w):
        alle = ohne(w)
        erste = alle[0]
        trenner = "&" if "?" in erste.url else "?"
        return [*alle, dataclasses.replace(erste, url=f"{erste.url}{trenner}wahlperiode={w.wahlperiode.pk}")]

    MATRIX[name] = abrufe


for _name in (
    "vorlagen:liste",
    "vorlagen:antraege",
    "vorlagen:anfragen",
    "sitzungen:sitzung-liste",
    "oeffentlich:beschluesse",
    "sitzungen:ausschuss-detail",
    "sitzungen:person-detail",
    "sitzungen:person-liste",
):
    _auch_mit_wahlperiode(_name)

MATRIX["oparl:legislativeterm"] = lambda w: [
    Abruf(reverse("oparl:legislativeterm", kwargs={"pk": w.wahlperiode.pk})),
    oparl_fehlt("legislativeterm"),
]

# The URLconf


def url_muster(resolver=None, namespace="", route=""):
    """(namespace, name, route, callback) of every pattern, walking nested resolvers and joining namespaces.

    The name is ``namespace:name``; a pattern without a name is named by its route.
    """
    resolver = resolver or get_resolver()
    for muster in resolver.url_patterns:
        if isinstance(muster, URLResolver):
            ns = ":".join(teil for teil in (namespace, muster.namespace) if teil)
            yield from url_muster(muster, ns, route + str(muster.pattern))
        elif isinstance(muster, URLPattern):
            vollstaendig = route + str(muster.pattern)
            name = ":".join(teil for teil in (namespace, muster.name or vollstaendig) if teil)
            yield namespace, name, vollstaendig, muster.callback


def ausgenommen(namespace, name, callback):
    return (
        namespace.split(":")[0] == "admin"  # own permission system: see test_admin_sends_...
        or name == "set_language"
        or getattr(callback, "__module__", "") in {static.__name__, "django.contrib.staticfiles.views"}
    )


def matrix_muster():
    return {
        name: route for namespace, name, route, callback in url_muster() if not ausgenommen(namespace, name, callback)
    }


def test_every_url_pattern_has_an_entry_in_the_matrix():
    fehlend = [f"{name} ({route})" for name, route in matrix_muster().items() if name not in MATRIX]
    assert not fehlend, "neue URL ohne Eintrag in der Zugriffsmatrix: " + ", ".join(fehlend)


def test_every_matrix_entry_belongs_to_a_url_pattern():
    muster = matrix_muster()
    verwaist = [name for name in MATRIX if name not in muster]
    assert not verwaist, "Eintrag der Zugriffsmatrix ohne URL-Muster: " + ", ".join(verwaist)


def test_the_urlconf_walk_finds_the_known_surfaces():
    """A guard against a URLconf walk that silently finds nothing."""
    assert {"startseite", "vorlagen:detail", "vorlagen:anlage", "sitzungen:sitzung-detail"} <= set(matrix_muster())


# The world itself


def test_every_text_field_of_the_planted_objects_carries_its_canary(welt):
    """Canaries in every text field, as stored: a text field added to a model later gets one automatically."""
    for name, objekt in welt.o.items():
        model = type(objekt)
        if name not in SICHTBAR or model in (Beratung, Person):
            continue
        objekt = model.objects.get(pk=objekt.pk)
        for feld in textfelder(model):
            assert kanarie(name, feld.name) in getattr(objekt, feld.name), (name, feld.name)
        if model is Vorlage:
            assert kanarie(name, "zusatz") in objekt.kennung
        if model in (Anlage, Sitzungsdokument):
            with objekt.datei.open("rb") as datei:
                assert kanarie(name, "datei").encode() in datei.read()
    for objekt in ("kontakt-geheim", "kontakt-offen"):
        person = welt.o["mia" if objekt == "kontakt-geheim" else "nils"]
        person.refresh_from_db()
        assert kanarie(objekt, "email") in person.email
        assert kanarie(objekt, "telefon") in person.telefon


# The matrix


def antworttext(antwort, url):
    """Body and headers in lower case, with the request's own URL taken out where the page repeats it.

    Pages repeat the address they were asked for (e.g. the login link's ``?next=``); a canary that the visitor
    put into the address herself is not a leak.
    """
    # The test client closes the response itself once its streaming content is used up (closing it again here
    # would fire request_finished and close the database connection of the test transaction).
    inhalt = b"".join(antwort.streaming_content) if antwort.streaming else antwort.content
    kopf = "\n".join(f"{schluessel}: {wert}" for schluessel, wert in antwort.headers.items())
    text = inhalt.decode("utf-8", errors="replace")
    if antwort.get("Content-Type", "").startswith("application/pdf"):
        # PDF text sits in compressed streams: the raw bytes stay searched, and the extracted text is added.
        text += "\n" + pdf_text(inhalt)
    text = (text + "\n" + kopf).lower()
    # Search snippets highlight the words of a canary one by one; without the marks a leaked snippet shows whole.
    text = re.sub(r"</?mark>", "", text)
    echos = {url, quote(url, safe="/"), quote(url, safe=""), escape(url), escape(quote(url, safe="/"))}
    for echo in sorted(echos, key=len, reverse=True):
        text = text.replace(echo.lower(), "«adresse»")
    return text


def pdf_text(inhalt):
    """Everything a PDF can show or tell: page text, outline, metadata - in forms a line break cannot split.

    A canary may be broken across lines (at its own hyphens, or by German hyphenation with U+2010), so the text
    is added a second time with line breaks after hyphens joined and a third time without any whitespace.
    """
    try:
        leser = PdfReader(io.BytesIO(inhalt))
        teile = [seite.extract_text() or "" for seite in leser.pages]
    except PdfReadError:
        # The test Anlagen are minimal PDFs without a cross-reference table; their raw bytes are searched anyway.
        return ""

    def gliederung(eintraege):
        for eintrag in eintraege:
            if isinstance(eintrag, list):
                yield from gliederung(eintrag)
            else:
                yield eintrag.title

    teile += gliederung(leser.outline)
    teile += [str(wert) for wert in (leser.metadata or {}).values()]
    text = "\n".join(teile)
    verbunden = re.sub(r"-\s+", "-", re.sub("\u2010\\s+", "", text))
    return "\n".join([text, verbunden, re.sub(r"\s+", "", verbunden)])


def trefferzahl(antwort_text):
    gefunden = re.search(r'class="trefferzahl"[^>]*>\s*(\d+)', antwort_text)
    return int(gefunden[1]) if gefunden else None


def pruefen(client, persona, name, abruf, verboten):
    """The problems of one request for one persona, as readable lines."""
    wo = f"{persona} GET {abruf.url} [{name}]"
    try:
        antwort = client.get(abruf.url)
    except Exception as fehler:  # a 500 is a finding of its own
        return [f"{wo}: Serverfehler {fehler!r}"]
    text = antworttext(antwort, abruf.url)
    probleme = []
    for wert, (objekt, feld) in verboten.items():
        if wert in text:
            probleme.append(f"{wo}: LECK {objekt}.{feld} ({wert}) - status {antwort.status_code}")

    if abruf.anmeldung and persona == ANONYM:
        ziel = resolve_url(settings.LOGIN_URL)
        if antwort.status_code != 302 or urlsplit(antwort.get("Location", "")).path != ziel:
            probleme.append(f"{wo}: erwartet Umleitung zur Anmeldung {ziel}, bekam {antwort.status_code}")
        return probleme
    erwartet = abruf.erfolg if persona in abruf.sichtbar else 404
    if antwort.status_code != erwartet:
        probleme.append(f"{wo}: Status {antwort.status_code}, erwartet {erwartet} {antwort.get('Location', '')}")
        return probleme
    if erwartet == 404:
        return probleme

    # A canary may be listed more than once (a Vorlage on several TOPs): it is shown if any listing shows it.
    gezeigt = {}
    for wer, wert in abruf.zeigt:
        gezeigt[wert] = gezeigt.get(wert, NIEMAND) | wer
    for wert, wer in gezeigt.items():
        if persona in wer and wert not in text:
            probleme.append(f"{wo}: erwartete Kanarie fehlt: {wert}")
        elif persona not in wer and wert in text and wert not in verboten:
            probleme.append(f"{wo}: erscheint hier, obwohl nicht sichtbar: {wert}")
    if abruf.treffer is not None:
        erwartet_anzahl = sum(1 for objekt in abruf.treffer if persona in SICHTBAR[objekt])
        anzahl = trefferzahl(antwort.content.decode() if not antwort.streaming else "")
        if anzahl != erwartet_anzahl:
            probleme.append(f"{wo}: Trefferzahl {anzahl}, erwartet {erwartet_anzahl} (aus {abruf.treffer})")
    return probleme


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, welt, persona):
    _matrix_pruefen(client, welt, persona)


# Against the bucket (RATSINFO_SPEICHER=s3): the Anlagen and PDFs come from there, the rule must not change. The
# public visitor and the member cover both sides of the rule; all four would add minutes to every run.
@pytest.mark.parametrize("persona", [ANONYM, MITGLIED])
def test_access_matrix_with_files_in_the_object_store(client, s3, welt, persona):
    _matrix_pruefen(client, welt, persona)


def _matrix_pruefen(client, welt, persona):
    if welt.benutzer[persona] is not None:
        client.force_login(welt.benutzer[persona])
    verboten = {
        wert: schluessel for wert, schluessel in welt.kanarien.items() if persona not in SICHTBAR[schluessel[0]]
    }
    probleme = []
    abrufe = 0
    for name in matrix_muster():
        if name not in MATRIX:
            continue  # reported by test_every_url_pattern_has_an_entry_in_the_matrix
        eintraege = MATRIX[name](welt)
        assert eintraege, f"der Eintrag {name} der Zugriffsmatrix baut keine URL"
        for abruf in eintraege:
            aufgeloest = resolve(urlsplit(abruf.url).path).view_name
            assert aufgeloest == name, f"{abruf.url} gehört zu {aufgeloest}, nicht zu {name}"
            probleme += pruefen(client, persona, name, abruf, verboten)
            abrufe += 1
    assert abrufe > 30
    assert not probleme, f"{len(probleme)} Befunde:\n" + "\n".join(probleme)


# The admin, outside the matrix


@pytest.mark.parametrize("persona", [ANONYM, NICHTMITGLIED, MITGLIED])
def test_admin_sends_visitors_without_staff_status_to_the_admin_login(client, welt, persona):
    if welt.benutzer[persona] is not None:
        client.force_login(welt.benutzer[persona])
    anmeldung = reverse("admin:login")
    for url in (
        reverse("admin:index"),
        reverse("admin:vorlagen_vorlage_change", args=[welt.o["vorlage-np"].pk]),
        reverse("admin:vorlagen_vorlage_change", args=[welt.o["vorlage-entwurf"].pk]),
        reverse("admin:vorlagen_vorlage_changelist"),
    ):
        antwort = client.get(url)
        assert antwort.status_code == 302, url
        assert urlsplit(antwort["Location"]).path == anmeldung, url
        for text in (antworttext(antwort, url), antworttext(client.get(antwort["Location"]), antwort["Location"])):
            assert "kanarie-" not in text, url


# Issue 18: the councillors' notifications are a surface too. Every persona with an account chooses everything;
# what her mail names must be what the rule lets her see, read for her alone.


@pytest.mark.parametrize("persona", [NICHTMITGLIED, MITGLIED, SITZUNGSDIENST])
def test_notification_mails_carry_no_canary_the_recipient_may_not_see(smtp, welt, persona):
    from konten.services import benachrichtigungen_senden
    from post.versand import faellige_senden
    from tests.factories import BenachrichtigungseinstellungFactory

    for benutzer in welt.benutzer.values():
        if benutzer is not None:
            BenachrichtigungseinstellungFactory(
                benutzer=benutzer, gesendet_bis=timezone.now() - datetime.timedelta(days=1)
            )
    # Everything of the world is news: the run's window ends after it was planted.
    benachrichtigungen_senden(rhythmus="taeglich", jetzt=timezone.now() + datetime.timedelta(minutes=5))
    faellige_senden()
    benutzer = welt.benutzer[persona]
    mails = smtp.an(benutzer.email)
    text = "\n".join(
        mail.get_body(("plain",)).get_content() + "\n" + "\n".join(f"{k}: {v}" for k, v in mail.items())
        for mail in mails
    ).lower()
    lecks = [
        f"{objekt}.{feld}"
        for wert, (objekt, feld) in welt.kanarien.items()
        if persona not in SICHTBAR[objekt] and wert in text
    ]
    assert not lecks, f"{persona}: {lecks}"
    # The controls: what her Gremien brought reaches her, non-public included.
    erwartet = {
        MITGLIED: ["vorlage-oeffentlich", "vorlage-np", "top-a-oeffentlich", "top-a-np", "top-a-np-sitzung"],
        NICHTMITGLIED: ["top-b-oeffentlich"],
        SITZUNGSDIENST: [],  # she sits on no Gremium: nothing is her news
    }[persona]
    for objekt in erwartet:
        assert kanarie(objekt, "titel") in text, objekt
    assert bool(mails) == bool(erwartet)


# Issue 19: the tasks of Mitzeichnung and Freigabe. The planted step on the draft (``amt_pflanzen``) belongs to a
# Dienststelle no persona works in: "Meine Aufgaben" opens empty for each who is logged in, and the step is nobody's.
def mitzeichnung_schritt(w):
    from tests.factories import LaufwegFactory, SchrittFactory, UserFactory  # one addition for this block only

    if "schritt" not in w.__dict__:
        laufweg = LaufwegFactory(vorlage=w.o["vorlage-entwurf"])
        w.schritt = SchrittFactory(laufweg=laufweg, zustaendig=UserFactory(username="matrix-amt"))
    return w.schritt


MATRIX |= {
    "mitzeichnung:aufgaben": lambda w: [
        Abruf(reverse("mitzeichnung:aufgaben"), anmeldung=True, zeigt=[(NIEMAND, w.k("vorlage-entwurf", "titel"))])
    ],
    "mitzeichnung:aufgabe": lambda w: [
        Abruf(
            reverse("mitzeichnung:aufgabe", kwargs={"pk": mitzeichnung_schritt(w).pk}),
            sichtbar=NIEMAND,
            anmeldung=True,
        ),
        Abruf(reverse("mitzeichnung:aufgabe", kwargs={"pk": 999999}), sichtbar=NIEMAND, anmeldung=True),
    ],
}
