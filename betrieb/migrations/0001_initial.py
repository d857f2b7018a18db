# The Änderungsprotokoll moves here from the app ratsinfo. It is a proxy of Django's LogEntry and has no table of its
# own: only Django's idea of which app holds it changes (ratsinfo/0002 removes it there). Its content type follows in
# 0002, so the permissions of the clerks' group stay attached.

import django.contrib.admin.models
from django.db import migrations


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('ratsinfo', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Aenderung',
                    fields=[
                    ],
                    options={
                        'verbose_name': 'Änderung',
                        'verbose_name_plural': 'Änderungsprotokoll',
                        'proxy': True,
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=('admin.logentry',),
                    managers=[
                        ('objects', django.contrib.admin.models.LogEntryManager()),
                    ],
                ),
            ],
        ),
    ]
