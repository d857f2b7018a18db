"""The text difference between two versions of a Vorlage, section by section and word by word.

Pure functions over ``{feld: text}`` dicts (the shape of ``vorlagen.models.TEXTFELDER`` and of a ``Textstand``'s
``inhalt``), so the diff page of a Neufassung, its PDF annex and the Mitzeichnung (which compares the text a step
saw with today's) share one implementation. Nothing here reads the database: the caller decides, through the
visibility rule, which two versions may be compared at all.

A section is split into paragraphs (blank lines or line breaks); paragraphs are matched first, so an inserted
paragraph is one insertion and not a shift of every following one; paragraphs that replace each other are
compared word by word. Each paragraph comes out as a list of ``Stueck`` (art ``gleich``, ``geloescht`` or
``eingefuegt``) that a template prints as text, ``<del>`` and ``<ins>``.
"""

import dataclasses
import difflib
import re

GLEICH = "gleich"
GELOESCHT = "geloescht"
EINGEFUEGT = "eingefuegt"

_ABSATZGRENZE = re.compile(r"\s*\n\s*")
# Words with the space that follows them: joined again, the pieces give back the text.
_WOERTER = re.compile(r"\S+\s*")


@dataclasses.dataclass(frozen=True)
class Stueck:
    art: str  # GLEICH, GELOESCHT or EINGEFUEGT
    text: str


@dataclasses.dataclass(frozen=True)
class Absatz:
    """One paragraph of the comparison: ``art`` GLEICH (unchanged), GELOESCHT or EINGEFUEGT (the whole paragraph)
    or ``geaendert`` (words changed inside it). ``alt`` and ``neu`` are the pieces of each side for the side by side
    view; ``stuecke`` the pieces of both in reading order for the inline view."""

    art: str
    stuecke: tuple
    alt: tuple
    neu: tuple


GEAENDERT = "geaendert"


@dataclasses.dataclass(frozen=True)
class Abschnitt:
    feld: str
    absaetze: tuple

    @property
    def geaendert(self):
        return any(absatz.art != GLEICH for absatz in self.absaetze)


def absaetze_von(text):
    """The paragraphs of a text: split at line breaks, without empty ones and surrounding spaces."""
    return [teil.strip() for teil in _ABSATZGRENZE.split(text or "") if teil.strip()]


def _woerter(text):
    return _WOERTER.findall(text)


def _zusammenfassen(stuecke):
    """Neighbouring pieces of the same kind as one piece (fewer, longer <del>/<ins>)."""
    ergebnis = []
    for stueck in stuecke:
        if not stueck.text:
            continue
        if ergebnis and ergebnis[-1].art == stueck.art:
            ergebnis[-1] = Stueck(stueck.art, ergebnis[-1].text + stueck.text)
        else:
            ergebnis.append(stueck)
    return tuple(ergebnis)


def woerter_vergleichen(alt, neu):
    """Word by word: the pieces of both texts in reading order (deleted before inserted at each change)."""
    a, b = _woerter(alt), _woerter(neu)
    stuecke = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            stuecke.append(Stueck(GLEICH, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            stuecke.append(Stueck(GELOESCHT, "".join(a[i1:i2])))
        if j2 > j1:
            stuecke.append(Stueck(EINGEFUEGT, "".join(b[j1:j2])))
    return _zusammenfassen(stuecke)


def _geaendert(alt, neu):
    stuecke = woerter_vergleichen(alt, neu)
    return Absatz(
        GEAENDERT,
        stuecke,
        tuple(s for s in stuecke if s.art != EINGEFUEGT),
        tuple(s for s in stuecke if s.art != GELOESCHT),
    )


def _nur(art, text):
    stueck = (Stueck(art, text),)
    return Absatz(art, stueck, stueck if art == GELOESCHT else (), stueck if art == EINGEFUEGT else ())


def text_vergleichen(alt, neu):
    """The paragraphs of two texts compared: unchanged ones, deleted, inserted, and changed inside."""
    a, b = absaetze_von(alt), absaetze_von(neu)
    absaetze = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for text in a[i1:i2]:
                stueck = (Stueck(GLEICH, text),)
                absaetze.append(Absatz(GLEICH, stueck, stueck, stueck))
        elif op == "delete":
            absaetze += [_nur(GELOESCHT, text) for text in a[i1:i2]]
        elif op == "insert":
            absaetze += [_nur(EINGEFUEGT, text) for text in b[j1:j2]]
        else:
            # Replaced paragraphs: pair them in order, word by word; the surplus of one side stands alone.
            paare = min(i2 - i1, j2 - j1)
            for k in range(paare):
                absaetze.append(_geaendert(a[i1 + k], b[j1 + k]))
            absaetze += [_nur(GELOESCHT, text) for text in a[i1 + paare : i2]]
            absaetze += [_nur(EINGEFUEGT, text) for text in b[j1 + paare : j2]]
    return tuple(absaetze)


def abschnitte_vergleichen(alt: dict, neu: dict) -> list[Abschnitt]:
    """The sections of two versions (``{feld: text}``), in the order of ``alt`` then the fields only ``neu`` has;
    a section empty in both is left out."""
    felder = list(alt) + [feld for feld in neu if feld not in alt]
    ergebnis = []
    for feld in felder:
        alter_text, neuer_text = alt.get(feld) or "", neu.get(feld) or ""
        if not alter_text.strip() and not neuer_text.strip():
            continue
        ergebnis.append(Abschnitt(feld, text_vergleichen(alter_text, neuer_text)))
    return ergebnis


def hat_unterschiede(abschnitte):
    return any(abschnitt.geaendert for abschnitt in abschnitte)


def anlagen_vergleichen(alt_titel, neu_titel):
    """The titles of Anlagen removed from and added to a version: ``(entfernt, hinzugefuegt)``, in their order."""
    alt_menge, neu_menge = set(alt_titel), set(neu_titel)
    return (
        [titel for titel in alt_titel if titel not in neu_menge],
        [titel for titel in neu_titel if titel not in alt_menge],
    )
