import pytest

from druck.models import Druckstueck
from druck.storage import DruckSpeicher
from vorlagen.models import Anlage
from vorlagen.storage import AnlagenSpeicher


@pytest.fixture(autouse=True)
def dateien_in_tmp(settings, tmp_path, monkeypatch):
    """Uploaded files of a test go to a fresh folder, never into var/ of the checkout."""
    # The field resolved its storage when the model was imported, so the field itself is pointed elsewhere.
    monkeypatch.setattr(Anlage._meta.get_field("datei"), "storage", AnlagenSpeicher(location=tmp_path / "anlagen"))
    monkeypatch.setattr(Druckstueck._meta.get_field("datei"), "storage", DruckSpeicher(location=tmp_path / "druck"))
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "zwischenspeicher": {
            "BACKEND": "vorlagen.zwischenspeicher.ZwischenSpeicher",
            "OPTIONS": {"location": tmp_path / "zwischenspeicher"},
        },
    }
    # Real password hashing costs a quarter second per user; the tests are not about its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The cache outlives a test; a count kept from an earlier test would be wrong (tests/test_grosse_listen.py
    # switches it on).
    settings.RATSINFO_ANZAHL_CACHE_SEKUNDEN = 0
    settings.RATSINFO_SEITEN_CACHE_SEKUNDEN = 0


@pytest.fixture
def sachbearbeitung(db):
    from tests.factories import SachbearbeitungFactory

    return SachbearbeitungFactory()


@pytest.fixture
def sachbearbeitung_client(client, sachbearbeitung):
    client.force_login(sachbearbeitung)
    return client


@pytest.fixture
def demodaten(db):
    """The full demo data set, as `make run` loads it."""
    from django.core.management import call_command

    call_command("demodaten_laden", verbosity=0)
