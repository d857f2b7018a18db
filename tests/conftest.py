import pytest
from django.apps import apps
from django.core.cache import cache

from druck.storage import DruckSpeicher
from ratsinfo import speicher
from vorlagen.storage import AnlagenSpeicher
from vorlagen.zwischenspeicher import ZwischenSpeicher

pytest_plugins = ["tests.s3", "tests.smtp"]

# The local storage of each alias, whatever RATSINFO_SPEICHER the environment of the test run says.
LOKALE_SPEICHER = {"anlagen": AnlagenSpeicher, "druck": DruckSpeicher, "zwischenspeicher": ZwischenSpeicher}
# Every file field of the project with its STORAGES alias, read once before any test replaces a field's storage: a
# new file model that names one of the project's storage callables is covered without a line here.
DATEIFELDER = speicher.dateifelder(apps.get_models())


@pytest.fixture(autouse=True)
def dateien_in_tmp(settings, tmp_path, monkeypatch):
    """Uploaded files of a test go to a fresh folder, never into var/ of the checkout."""
    # A field resolved its storage when the model was imported, so the field itself is pointed elsewhere.
    for feld, alias in DATEIFELDER:
        monkeypatch.setattr(feld, "storage", LOKALE_SPEICHER[alias](location=tmp_path / alias))
    settings.RATSINFO_SPEICHER = speicher.LOKAL
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


@pytest.fixture(autouse=True)
def caches_wie_in_produktion(settings):
    """The count cache and the page cache are on, with production's seconds: a defect that shows only with a
    cache (an invalid filter's empty query cannot be keyed, issue 14) must show in the tests. Each test starts
    and ends with empty caches, so nothing a test stored leaks into the next. A test that needs them off asks
    for ``ohne_caches`` and says why."""
    from betrieb.seitencache import LOKAL

    settings.RATSINFO_ANZAHL_CACHE_SEKUNDEN = 60
    settings.RATSINFO_SEITEN_CACHE_SEKUNDEN = 30
    cache.clear()
    LOKAL.clear()
    yield
    cache.clear()
    LOKAL.clear()


@pytest.fixture
def ohne_caches(settings):
    """Both caches off, as the embedded default has the page cache and as an operator may set the count cache."""
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


@pytest.fixture
def aemter(db):
    """Issue 19: three Dienststellen with their staff. The Amt für Umweltschutz writes drafts (Uta, Ulf); the
    Tiefbauamt co-signs (Tim; Tina is his Vertretung); the Referat Städtebau gives the Freigabe (Rita with Leitung,
    Rolf without). Nora belongs to no Dienststelle."""
    from types import SimpleNamespace

    from tests.factories import DienststelleFactory, DienststellenzugehoerigkeitFactory, UserFactory

    def konto(name, vorname):
        return UserFactory(username=name, first_name=vorname, last_name="Muster", email=f"{name}@example.org")

    w = SimpleNamespace()
    w.umwelt = DienststelleFactory(name="Amt für Umweltschutz", kurzname="AfU", art="amt")
    w.tiefbau = DienststelleFactory(name="Tiefbauamt", kurzname="TBA", art="amt")
    w.referat = DienststelleFactory(name="Referat Städtebau", kurzname="StU", art="referat")
    w.uta, w.ulf = konto("uta", "Uta"), konto("ulf", "Ulf")
    w.tim, w.tina = konto("tim", "Tim"), konto("tina", "Tina")
    w.rita, w.rolf = konto("rita", "Rita"), konto("rolf", "Rolf")
    w.nora = konto("nora", "Nora")
    for benutzer, dienststelle, leitung in (
        (w.uta, w.umwelt, False),
        (w.ulf, w.umwelt, False),
        (w.tim, w.tiefbau, False),
        (w.tina, w.tiefbau, False),
        (w.rita, w.referat, True),
        (w.rolf, w.referat, False),
    ):
        DienststellenzugehoerigkeitFactory(benutzer=benutzer, dienststelle=dienststelle, leitung=leitung)
    return w
