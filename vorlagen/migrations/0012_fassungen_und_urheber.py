# The PDF annex of a version (0011_unterschiede_im_pdf) and the integrity of authors (0011_urheber_integritaet) were written side by side.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('vorlagen', '0011_unterschiede_im_pdf'),
        ('vorlagen', '0011_urheber_integritaet'),
    ]

    operations = [
    ]
