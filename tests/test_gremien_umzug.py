"""The move of Ausschuss, Ort, Person, Mitgliedschaft and Dienststelle into the bottom app gremien (issue 16): old
admin bookmarks still lead to their pages, the migrations keep the content types' ids (and so every permission,
admin log entry and import origin tied to them), and gremien imports nothing from the apps above it."""

import ast
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from gremien.models import Ausschuss, Dienststelle, Mitgliedschaft, Ort, Person
from oparlimport.models import Herkunft
from tests.factories import DienststelleFactory, MitgliedschaftFactory, OrtFactory, UserFactory

GREMIEN = Path(__file__).resolve().parent.parent / "gremien"
DARUEBER = {"vorlagen", "sitzungen", "druck", "suche", "oeffentlich", "oparl", "oparlimport", "konten", "betrieb"}
ALTE_APPS = {"ausschuss": "sitzungen", "ort": "sitzungen", "person": "sitzungen", "mitgliedschaft": "sitzungen"}
ALTE_APPS["dienststelle"] = "vorlagen"


def test_old_admin_address_of_a_person_leads_to_its_new_one_with_the_query(admin_client):
    person = MitgliedschaftFactory().person
    neu = reverse("admin:gremien_person_change", args=[person.pk])

    antwort = admin_client.get(neu.replace("/gremien/", "/sitzungen/") + "?_changelist_filters=konto%3Dja")

    assert antwort.status_code == 301
    assert antwort["Location"] == neu + "?_changelist_filters=konto%3Dja"
    assert admin_client.get(antwort["Location"]).status_code == 200


@pytest.mark.parametrize("modell", sorted(ALTE_APPS))
def test_old_admin_list_of_each_moved_model_leads_to_its_new_one(admin_client, modell):
    neu = reverse(f"admin:gremien_{modell}_changelist")

    antwort = admin_client.get(neu.replace("/gremien/", f"/{ALTE_APPS[modell]}/"), follow=True)

    assert antwort.redirect_chain == [(neu, 301)]
    assert antwort.status_code == 200


def test_admin_pages_that_stay_in_sitzungen_are_not_redirected(admin_client):
    antwort = admin_client.get(reverse("admin:sitzungen_sitzung_changelist"))

    assert antwort.status_code == 200


def test_gremien_imports_nothing_from_the_apps_above_it():
    aufwaerts = []
    for datei in sorted(GREMIEN.rglob("*.py")):
        for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            namen = [a.name for a in knoten.names] if isinstance(knoten, ast.Import) else []
            if isinstance(knoten, ast.ImportFrom) and knoten.module:
                namen = [knoten.module]
            aufwaerts += [f"{datei.name}: {name}" for name in namen if name.split(".")[0] in DARUEBER]

    assert aufwaerts == []


def _migrieren(ziele):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(ziele or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _inhaltstypen(ids):
    return dict(ContentType.objects.filter(pk__in=ids).values_list("pk", "app_label"))


@pytest.mark.django_db(transaction=True)
def test_migrations_keep_the_content_type_ids_and_what_points_to_them_both_ways():
    mitgliedschaft = MitgliedschaftFactory()
    ausschuss, dienststelle, ort = mitgliedschaft.ausschuss, DienststelleFactory(), OrtFactory()
    modelle = [Ausschuss, Ort, Person, Mitgliedschaft, Dienststelle]
    ids = {model._meta.model_name: ContentType.objects.get_for_model(model).pk for model in modelle}
    sachbearbeitung = UserFactory(is_staff=True)
    sachbearbeitung.user_permissions.add(
        Permission.objects.get(content_type=ids["ausschuss"], codename="change_ausschuss")
    )
    LogEntry.objects.create(
        user=sachbearbeitung,
        content_type_id=ids["dienststelle"],
        object_id=str(dienststelle.pk),
        object_repr=str(dienststelle),
        action_flag=ADDITION,
    )
    Herkunft.objects.create(
        content_type_id=ids["ausschuss"],
        object_id=ausschuss.pk,
        oparl_id="https://quelle.example/org/1",
        typ="Organization",
    )

    _migrieren([("gremien", None)])

    assert _inhaltstypen(ids.values()) == {ids[model]: app for model, app in ALTE_APPS.items()}

    _migrieren(None)

    assert _inhaltstypen(ids.values()) == dict.fromkeys(ids.values(), "gremien")
    assert get_user_model().objects.get(pk=sachbearbeitung.pk).has_perm("gremien.change_ausschuss")
    assert LogEntry.objects.get().get_edited_object() == dienststelle
    assert Herkunft.objects.get().objekt == ausschuss
    assert (Ausschuss.objects.get(), Ort.objects.get(), Dienststelle.objects.get()) == (ausschuss, ort, dienststelle)
    assert Mitgliedschaft.objects.get() == mitgliedschaft


@pytest.mark.django_db(transaction=True)
def test_upgrade_after_a_stopped_migrate_folds_a_second_content_type_into_the_old_one():
    alte_id = ContentType.objects.get_for_model(Person).pk
    _migrieren([("gremien", None)])
    # What Django creates when ``migrate`` stops between gremien 0001 and sitzungen 0007, and what a clerk may
    # have granted on it in the meantime.
    doppelt = ContentType.objects.create(app_label="gremien", model="person")
    doppeltes_recht = Permission.objects.create(
        content_type=doppelt, codename="change_person", name="Can change Person"
    )
    nur_dort = Permission.objects.create(content_type=doppelt, codename="personen_pruefen", name="Personen prüfen")
    benutzer = UserFactory(is_staff=True)
    benutzer.user_permissions.add(doppeltes_recht, nur_dort)

    _migrieren(None)

    assert list(ContentType.objects.filter(model="person").values_list("pk", "app_label")) == [(alte_id, "gremien")]
    benutzer = get_user_model().objects.get(pk=benutzer.pk)
    assert benutzer.has_perm("gremien.change_person")
    assert benutzer.has_perm("gremien.personen_pruefen")
    assert Permission.objects.filter(content_type_id=alte_id, codename="change_person").count() == 1
