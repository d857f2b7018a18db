"""The environment of a benchmark that runs Django in its own process, set before Django is imported."""

import os
import tempfile


def eigene_daten(praefix, *, bench_datenbank=True):
    """A fresh temporary ``RATSINFO_DATA_DIR`` (the embedded SQLite database and the files) and the settings module;
    with ``bench_datenbank`` and ``RATSINFO_BENCH_DATABASE_URL`` set, that PostgreSQL database instead of SQLite.
    Returns the folder."""
    daten = tempfile.mkdtemp(prefix=praefix)
    os.environ["RATSINFO_DATA_DIR"] = daten
    if bench_datenbank and os.environ.get("RATSINFO_BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["RATSINFO_BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
    return daten
