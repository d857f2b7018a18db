"""What changed in a Vorlage's text since a Dienststelle co-signed it: section by section, word by word.

Small on purpose (the task page only); the public diff between versions is ``vorlagen``' own. The result is plain
data (text pieces marked gleich / weg / neu) that the template escapes and prints as ``<del>``/``<ins>``.
"""

import difflib
import re

WOERTER = re.compile(r"\s+|[^\s]+")


def woerter_vergleichen(alt, neu):
    """``[(art, text)]`` with art "gleich", "weg" or "neu"; whitespace is kept as its own piece."""
    a = WOERTER.findall(alt or "")
    b = WOERTER.findall(neu or "")
    teile = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            teile.append(("gleich", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            teile.append(("weg", "".join(a[a1:a2])))
        if b2 > b1:
            teile.append(("neu", "".join(b[b1:b2])))
    return teile


def abschnitte_vergleichen(alt, neu, felder):
    """The changed sections only: ``[{"feld", "titel", "teile"}]`` in the order of ``felder`` ({feld: titel})."""
    return [
        {"feld": feld, "titel": titel, "teile": woerter_vergleichen(alt.get(feld, ""), neu.get(feld, ""))}
        for feld, titel in felder.items()
        if (alt.get(feld) or "") != (neu.get(feld) or "")
    ]
