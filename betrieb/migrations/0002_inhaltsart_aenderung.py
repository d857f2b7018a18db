# The content type of the Änderungsprotokoll keeps its id and changes its app label (ratsinfo -> betrieb): the
# permissions to view it, and with them the clerks' group's, point to that id. Without this, migrate would leave
# the old type stale and create a new one whose permissions nobody has.

from django.db import IntegrityError, migrations, transaction


def _umbenennen(apps, schema_editor, *, von, nach):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    try:
        with transaction.atomic(using=db):
            ContentType.objects.db_manager(db).filter(app_label=von, model="aenderung").update(app_label=nach)
    except IntegrityError:
        # Both exist already (a partial earlier run): as with Django's own RenameContentType, the old one stays
        # for `manage.py remove_stale_contenttypes` to report rather than guessing which permissions to keep.
        pass
    ContentType.objects.clear_cache()


def vorwaerts(apps, schema_editor):
    _umbenennen(apps, schema_editor, von="ratsinfo", nach="betrieb")


def rueckwaerts(apps, schema_editor):
    _umbenennen(apps, schema_editor, von="betrieb", nach="ratsinfo")


class Migration(migrations.Migration):

    dependencies = [
        ('betrieb', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(vorwaerts, rueckwaerts, elidable=False),
    ]
