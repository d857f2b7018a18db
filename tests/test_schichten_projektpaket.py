"""The thin project package and the apps taken out of it (issue 16) keep their place in the layers: ``betrieb`` and
``ratsinfo``'s helpers import no app above them, and nothing but the project's top imports ``konten`` or
``demodaten``. Read from the source, so an upward import fails here before it makes a circle."""

import ast
from pathlib import Path

WURZEL = Path(__file__).resolve().parent.parent
APPS = {"ratsinfo", "betrieb", "konten", "demodaten", "gremien", "vorlagen", "sitzungen"} | {
    "druck",
    "suche",
    "oeffentlich",
    "oparl",
    "oparlimport",
}
# ratsinfo's top: settings, root URLs and the start page may import anything.
RATSINFO_OBEN = {"settings.py", "urls.py", "views.py", "wsgi.py", "asgi.py"}


def importierte_apps(datei):
    apps = set()
    for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
        if isinstance(knoten, ast.Import):
            apps |= {alias.name.split(".")[0] for alias in knoten.names}
        elif isinstance(knoten, ast.ImportFrom) and knoten.level == 0 and knoten.module:
            apps.add(knoten.module.split(".")[0])
    return apps & APPS


def module(app):
    return [d for d in (WURZEL / app).rglob("*.py") if "migrations" not in d.parts]


def test_betrieb_and_the_helpers_of_the_project_package_import_only_each_other():
    unten = [*module("betrieb"), *(d for d in module("ratsinfo") if d.name not in RATSINFO_OBEN)]

    verstoesse = {str(d.relative_to(WURZEL)): importierte_apps(d) - {"ratsinfo", "betrieb"} for d in unten}

    assert {datei: apps for datei, apps in verstoesse.items() if apps} == {}


def test_no_app_but_the_project_top_imports_konten_or_demodaten():
    erlaubt = {WURZEL / "ratsinfo" / name for name in RATSINFO_OBEN}
    verstoesse = {
        str(d.relative_to(WURZEL)): importierte_apps(d) & {"konten", "demodaten"}
        for app in APPS - {"konten", "demodaten"}
        if (WURZEL / app).is_dir()
        for d in module(app)
        if d not in erlaubt
    }
    # konten never needs the demo data.
    verstoesse.update({str(d.relative_to(WURZEL)): importierte_apps(d) & {"demodaten"} for d in module("konten")})

    assert {datei: apps for datei, apps in verstoesse.items() if apps} == {}
