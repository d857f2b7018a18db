# The Änderungsprotokoll (a proxy without a table) now belongs to the app betrieb (betrieb/0001 and 0002).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ratsinfo', '0001_initial'),
        ('betrieb', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Aenderung'),
            ],
        ),
    ]
