# The agenda from the pool (0010_vorrat_und_verlauf) and the published versions of an agenda (0010_tagesordnungsfassungen) were written side by side.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('sitzungen', '0010_tagesordnungsfassungen'),
        ('sitzungen', '0010_vorrat_und_verlauf'),
    ]

    operations = [
    ]
