"""The Änderungsprotokoll moved from the app ratsinfo to betrieb (issue 16): an installation that upgrades keeps its
content type (same id) and with it the clerks' permission to read the protocol; the old admin addresses lead on."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from betrieb.models import Aenderung
from tests.factories import AenderungFactory, UserFactory

# The state of the last main before the move: the proxy still in ratsinfo, no app betrieb.
VOR_DEM_UMZUG = [("ratsinfo", "0001_initial"), ("betrieb", None)]


def migrieren(ziele=None):
    executor = MigrationExecutor(connection)
    executor.migrate(ziele or executor.loader.graph.leaf_nodes())
    # The migrations changed content types behind the cache's back.
    ContentType.objects.clear_cache()


@pytest.fixture
def vor_dem_umzug(transactional_db):
    migrieren(VOR_DEM_UMZUG)
    yield
    migrieren()


def test_an_upgrade_keeps_the_content_type_and_the_clerks_permission_of_the_aenderungsprotokoll(vor_dem_umzug, client):
    alt = ContentType.objects.get(app_label="ratsinfo", model="aenderung")
    gruppe = Group.objects.create(name="Sitzungsdienst")
    gruppe.permissions.add(Permission.objects.get(content_type=alt, codename="view_aenderung"))
    sachbearbeiterin = UserFactory(is_staff=True)
    sachbearbeiterin.groups.add(gruppe)

    migrieren()

    neu = ContentType.objects.get_for_model(Aenderung, for_concrete_model=False)
    assert (neu.pk, neu.app_label, neu.model) == (alt.pk, "betrieb", "aenderung")
    assert not ContentType.objects.filter(app_label="ratsinfo").exists()
    sachbearbeiterin = get_user_model().objects.get(pk=sachbearbeiterin.pk)
    assert sachbearbeiterin.has_perm("betrieb.view_aenderung")
    client.force_login(sachbearbeiterin)
    assert client.get(reverse("admin:betrieb_aenderung_changelist")).status_code == 200


def test_migrating_back_gives_the_content_type_back_to_ratsinfo(transactional_db):
    vorher = ContentType.objects.get_for_model(Aenderung, for_concrete_model=False)

    migrieren(VOR_DEM_UMZUG)
    try:
        zurueck = ContentType.objects.get(pk=vorher.pk)
        assert (zurueck.app_label, zurueck.model) == ("ratsinfo", "aenderung")
        assert Permission.objects.filter(content_type=zurueck, codename="view_aenderung").exists()
    finally:
        migrieren()


def test_an_old_admin_address_of_the_aenderungsprotokoll_leads_to_the_same_page(admin_client):
    eintrag = AenderungFactory()

    # The addresses as clerks bookmarked them before the move.
    liste = admin_client.get("/admin/ratsinfo/aenderung/?action_flag__exact=2")
    eintragsseite = admin_client.get(f"/admin/ratsinfo/aenderung/{eintrag.pk}/change/")

    assert liste.status_code == eintragsseite.status_code == 301
    assert liste["Location"] == reverse("admin:betrieb_aenderung_changelist") + "?action_flag__exact=2"
    assert eintragsseite["Location"] == reverse("admin:betrieb_aenderung_change", args=[eintrag.pk])
    assert admin_client.get(eintragsseite["Location"]).status_code == 200
