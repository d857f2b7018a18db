"""The layers of docs/architecture.md, checked on the imports: dependencies only downwards, and no import circles.

Every .py of the project's apps (not migrations) is parsed with ``ast``; imports at module level and inside
functions both count, since a lazy import still ties the two modules together. Third-party imports are ignored.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. An app that does not exist (yet) is simply absent. ``ratsinfo`` is split: its cross-cutting
# modules are the bottom every app may import; settings, root URLs, wsgi and asgi are the top and may import
# anything. ``betrieb`` sits just above ratsinfo's helpers, not among the feature apps as first planned:
# the lists of vorlagen, sitzungen and suche page with its counting paginator, and it imports no domain app
# (docs/architecture.md).
RATSINFO_OBEN = {"ratsinfo.settings", "ratsinfo.urls", "ratsinfo.wsgi", "ratsinfo.asgi"}
SCHICHTEN = {
    "ratsinfo": 1,
    "betrieb": 2,
    "post": 2,
    "gremien": 3,
    "vorlagen": 4,
    "sitzungen": 5,
    "protokoll": 6,
    "einberufung": 6,
    "mitzeichnung": 6,
    "druck": 7,
    "suche": 7,
    "oeffentlich": 7,
    "oparl": 7,
    "oparlimport": 7,
    "konten": 7,
    "abonnements": 7,
    "demodaten": 7,
}
FEATURE = 7
SCHICHT_NAMEN = {
    1: "ratsinfo (Querschnitt)",
    2: "betrieb, post",
    3: "gremien",
    4: "vorlagen",
    5: "sitzungen",
    6: "protokoll, einberufung, mitzeichnung",
    FEATURE: "Feature-Apps",
}
OBEN = 8  # ratsinfo's settings, urls, wsgi, asgi
# Imports within the feature layer that the plan lists; every other one is a violation.
ERLAUBT_IN_DER_SCHICHT = {
    ("oparlimport", "oparl"),
    *(("demodaten", app) for app in SCHICHTEN if SCHICHTEN[app] == FEATURE),
}
# A feature registers into another feature's extension point from its AppConfig.ready(), and only there: as
# (importing module, extension point module); docs/architecture.md names each.
ERWEITERUNGSPUNKTE = {
    ("suche.apps", "abonnements.suchabgleich"),  # the search matches the search subscriptions of the digests
}

# Known upward imports of today's code, each where another developer of issue 16 is moving the module right now
# (the Gremien to ``gremien``, accounts to ``konten``, operations to ``betrieb``, the demo data to ``demodaten``).
# As (importing module, imported module); the lead empties this list after merging those branches. Nothing may be
# added here for new code: an entry that no longer occurs fails the test, so the list only shrinks.
# (importing module, imported module) pairs tolerated for a while; none now: an upward import is mended, not listed.
BEKANNTE_AUSNAHMEN: set[tuple[str, str]] = set()


def _modulname(wurzel, datei):
    teile = list(datei.relative_to(wurzel).with_suffix("").parts)
    if teile[-1] == "__init__":
        teile.pop()
    return ".".join(teile)


def _dateien(wurzel):
    """The .py files of the apps in SCHICHTEN that exist under ``wurzel``, migrations left out."""
    for app in SCHICHTEN:
        ordner = wurzel / app
        if not (ordner / "__init__.py").exists():
            continue
        for datei in sorted(ordner.rglob("*.py")):
            if "migrations" not in datei.relative_to(wurzel).parts:
                yield datei


def _importe(wurzel, datei, module):
    """``(line, imported module)`` for every import of a project module in ``datei``, also inside functions.

    ``from a import b`` counts as an import of ``a.b`` where that is a module, else of ``a``.
    """
    modul = _modulname(wurzel, datei)
    paket = modul if datei.name == "__init__.py" else modul.rpartition(".")[0]
    for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"), filename=str(datei))):
        if isinstance(knoten, ast.Import):
            ziele = [alias.name for alias in knoten.names]
        elif isinstance(knoten, ast.ImportFrom):
            basis = knoten.module or ""
            if knoten.level:
                oben = paket.split(".")[: len(paket.split(".")) - (knoten.level - 1)]
                basis = ".".join([*oben, basis] if basis else oben)
            ziele = [f"{basis}.{alias.name}" if f"{basis}.{alias.name}" in module else basis for alias in knoten.names]
        else:
            continue
        for ziel in ziele:
            # ``import a.b.c`` of a module that is not ours, or of a name below a module: the nearest module.
            while ziel and ziel not in module:
                ziel = ziel.rpartition(".")[0]
            if ziel and ziel != modul:
                yield knoten.lineno, ziel


def _schicht(modul):
    if modul in RATSINFO_OBEN:
        return OBEN
    return SCHICHTEN[modul.split(".")[0]]


def importgraph(wurzel):
    """``{module: [(file, line, imported module), ...]}`` for the project's apps under ``wurzel``."""
    dateien = {_modulname(wurzel, datei): datei for datei in _dateien(wurzel)}
    module = set(dateien)
    return {
        modul: [(datei.relative_to(wurzel), zeile, ziel) for zeile, ziel in _importe(wurzel, datei, module)]
        for modul, datei in dateien.items()
    }


def aufwaertsimporte(graph):
    """``(module, imported module, sentence)`` for every import that goes up or sideways against the plan."""
    for modul, importe in graph.items():
        von_app, von = modul.split(".")[0], _schicht(modul)
        for datei, zeile, ziel in importe:
            nach_app, nach = ziel.split(".")[0], _schicht(ziel)
            if (von_app == nach_app and nach != OBEN) or von == OBEN or nach < von:
                continue
            if von == nach == FEATURE and (von_app, nach_app) in ERLAUBT_IN_DER_SCHICHT:
                continue
            if (modul, ziel) in ERWEITERUNGSPUNKTE:
                continue
            if nach == OBEN:
                regel = "nur settings, urls, wsgi und asgi stehen oben; nichts importiert sie"
            elif von == nach:
                regel = f"in der Schicht {SCHICHT_NAMEN[von]} importiert eine App keine andere"
            else:
                regel = f"Schicht {SCHICHT_NAMEN[von]} importiert nicht aus der höheren Schicht {SCHICHT_NAMEN[nach]}"
            yield modul, ziel, f"{datei}:{zeile}: {modul} importiert {ziel} ({regel})"


def importkreise(graph):
    """Every circle of imports between project modules, each as a list ``[a, b, ..., a]``.

    One circle per strongly connected component (Tarjan), found by a walk inside the component.
    """
    kanten = {modul: sorted({ziel for _, _, ziel in importe if ziel in graph}) for modul, importe in graph.items()}
    index, tief, stapel, auf_stapel, komponenten = {}, {}, [], set(), []

    def besuchen(start):
        # Iterative Tarjan: a recursive one would hit the recursion limit on a long chain of imports.
        arbeit = [(start, iter(kanten[start]))]
        index[start] = tief[start] = len(index)
        stapel.append(start)
        auf_stapel.add(start)
        while arbeit:
            knoten, nachfolger = arbeit[-1]
            weiter = next(nachfolger, None)
            if weiter is None:
                arbeit.pop()
                if arbeit:
                    tief[arbeit[-1][0]] = min(tief[arbeit[-1][0]], tief[knoten])
                if tief[knoten] == index[knoten]:
                    komponente = set()
                    while True:
                        m = stapel.pop()
                        auf_stapel.discard(m)
                        komponente.add(m)
                        if m == knoten:
                            break
                    komponenten.append(komponente)
            elif weiter not in index:
                index[weiter] = tief[weiter] = len(index)
                stapel.append(weiter)
                auf_stapel.add(weiter)
                arbeit.append((weiter, iter(kanten[weiter])))
            elif weiter in auf_stapel:
                tief[knoten] = min(tief[knoten], index[weiter])

    for modul in sorted(kanten):
        if modul not in index:
            besuchen(modul)
    kreise = []
    for komponente in komponenten:
        if len(komponente) < 2:
            continue
        start = min(komponente)
        # Breadth-first from start back to start inside the component: the shortest circle through it.
        vorgaenger, rand = {start: None}, [start]
        while rand:
            naechster_rand = []
            for knoten in rand:
                for ziel in kanten[knoten]:
                    if ziel == start:
                        pfad = [knoten]
                        while vorgaenger[pfad[-1]] is not None:
                            pfad.append(vorgaenger[pfad[-1]])
                        kreise.append([*reversed(pfad), start])
                        naechster_rand = []
                        break
                    if ziel in komponente and ziel not in vorgaenger:
                        vorgaenger[ziel] = knoten
                        naechster_rand.append(ziel)
                else:
                    continue
                break
            rand = naechster_rand
    return sorted(kreise)


def _schreiben(wurzel, dateien):
    for pfad, text in dateien.items():
        datei = wurzel / pfad
        datei.parent.mkdir(parents=True, exist_ok=True)
        datei.write_text(text, encoding="utf-8")
        for ordner in datei.relative_to(wurzel).parents:
            if ordner != Path(".") and not (wurzel / ordner / "__init__.py").exists():
                (wurzel / ordner / "__init__.py").write_text("", encoding="utf-8")


# -- the project ----------------------------------------------------------------------------------------------------


def test_no_app_imports_from_a_higher_layer():
    verstoesse = {(modul, ziel): satz for modul, ziel, satz in aufwaertsimporte(importgraph(ROOT))}

    neu = [satz for schluessel, satz in sorted(verstoesse.items()) if schluessel not in BEKANNTE_AUSNAHMEN]
    assert not neu, "Import gegen die Schichten (docs/architecture.md):\n" + "\n".join(neu)
    erledigt = sorted(BEKANNTE_AUSNAHMEN - set(verstoesse))
    assert not erledigt, f"Ausnahmen, die es nicht mehr gibt - aus BEKANNTE_AUSNAHMEN streichen: {erledigt}"


def test_no_import_circles_between_project_modules():
    kreise = importkreise(importgraph(ROOT))

    assert not kreise, "Importkreise:\n" + "\n".join(" → ".join(kreis) for kreis in kreise)


def test_every_app_of_the_project_has_a_layer():
    apps = {datei.parent.name for datei in ROOT.glob("*/apps.py")}

    assert apps <= set(SCHICHTEN), f"Apps ohne Schicht in tests/test_architektur.py: {sorted(apps - set(SCHICHTEN))}"


# -- the checker itself, on small synthetic trees -------------------------------------------------------------------


def test_checker_reports_an_upward_import_inside_a_function_with_file_line_and_rule(tmp_path):
    _schreiben(
        tmp_path,
        {
            "sitzungen/models.py": "class Sitzung:\n    pass\n",
            "vorlagen/sichtbarkeit.py": "import re\n\n\ndef regel():\n    from sitzungen.models import Sitzung\n",
        },
    )

    verstoesse = list(aufwaertsimporte(importgraph(tmp_path)))

    assert [(modul, ziel) for modul, ziel, _ in verstoesse] == [("vorlagen.sichtbarkeit", "sitzungen.models")]
    satz = verstoesse[0][2]
    assert "vorlagen/sichtbarkeit.py:5" in satz
    assert "Schicht vorlagen importiert nicht aus der höheren Schicht sitzungen" in satz


def test_checker_reports_imports_between_feature_apps_except_the_listed_ones(tmp_path):
    _schreiben(
        tmp_path,
        {
            "oparl/abbildung.py": "from oparlimport.models import Datei\n",
            "oparlimport/models.py": "class Datei:\n    pass\n",
            "oparlimport/services.py": "from oparl import abbildung\nfrom sitzungen.models import Sitzung\n",
            "sitzungen/models.py": "from vorlagen.models import Vorlage\nfrom ratsinfo import widgets\n",
            "vorlagen/models.py": "class Vorlage:\n    pass\n",
            "ratsinfo/widgets.py": "from ratsinfo.settings import DEBUG\n",
            "ratsinfo/settings.py": "from oparl import abbildung\nDEBUG = False\n",
        },
    )

    verstoesse = sorted((modul, ziel) for modul, ziel, _ in aufwaertsimporte(importgraph(tmp_path)))

    assert verstoesse == [("oparl.abbildung", "oparlimport.models"), ("ratsinfo.widgets", "ratsinfo.settings")]


def test_checker_names_an_import_circle_also_through_a_lazy_import(tmp_path):
    _schreiben(
        tmp_path,
        {
            "druck/services.py": "from druck.tasks import erstellen\n",
            "druck/tasks.py": "def erstellen():\n    from druck import services\n",
            "druck/pdf.py": "from . import inhalt\n",
            "druck/inhalt.py": "import json\n",
        },
    )

    assert importkreise(importgraph(tmp_path)) == [["druck.services", "druck.tasks", "druck.services"]]


def test_checker_finds_nothing_in_a_tree_that_keeps_the_plan(tmp_path):
    _schreiben(
        tmp_path,
        {
            "druck/services.py": "from druck.tasks import erstellen\nfrom vorlagen.models import Vorlage\n",
            "druck/tasks.py": "from druck.inhalt import daten\n",
            "druck/inhalt.py": "from ratsinfo.datumsgrenzen import DATUM_MIN\n",
            "vorlagen/models.py": "from gremien.models import Person\n",
            "gremien/models.py": "import django\n",
            "ratsinfo/datumsgrenzen.py": "DATUM_MIN = None\n",
            "ratsinfo/urls.py": "from druck import services\n",
        },
    )

    graph = importgraph(tmp_path)

    assert list(aufwaertsimporte(graph)) == []
    assert importkreise(graph) == []
