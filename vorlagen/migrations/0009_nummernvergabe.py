"""Numbers given per Nummernkreis and year (vorlagen.services.nummer_vergeben): a counter row per series and year,
and drafts that wait for their number. Existing Vorlagen all have a number and keep it, with their kennung and
addresses; the new check "published => has a number" holds for them as it is.
"""

import ratsinfo.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vorlagen', '0008_gremien_umgezogen'),
    ]

    operations = [
        migrations.CreateModel(
            name='Nummernzaehler',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nummernkreis', models.CharField(max_length=30, verbose_name='Nummernkreis')),
                ('jahr', models.PositiveSmallIntegerField(verbose_name='Jahr')),
                ('letzte_nummer', models.PositiveIntegerField(default=0, verbose_name='zuletzt vergebene Nummer')),
            ],
            options={
                'verbose_name': 'Nummernzähler',
                'verbose_name_plural': 'Nummernzähler',
                'ordering': ['-jahr', 'nummernkreis'],
            },
        ),
        migrations.AddField(
            model_name='vorlage',
            name='nummer_vergeben_am',
            field=models.DateTimeField(blank=True, editable=False, null=True, validators=[ratsinfo.validators.datum_pruefen], verbose_name='Nummer vergeben am'),
        ),
        migrations.AlterField(
            model_name='vorlage',
            name='nummer',
            field=models.PositiveIntegerField(blank=True, help_text='Leer lassen: „Nummer vergeben (registrieren)“ gibt die nächste freie Nummer des Nummernkreises im Jahr. Von Hand nur für Vorlagen, die schon eine Nummer haben (ältere Papiere, Nachträge).', null=True, verbose_name='Nummer'),
        ),
        migrations.AddConstraint(
            model_name='vorlage',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'entwurf'), ('nummer__isnull', False), _connector='OR'), name='vorlage_veroeffentlicht_mit_nummer', violation_error_message='Eine veröffentlichte Vorlage braucht eine Nummer.'),
        ),
        migrations.AddConstraint(
            model_name='vorlage',
            constraint=models.CheckConstraint(condition=models.Q(('nummer_vergeben_am__isnull', True), ('nummer__isnull', False), _connector='OR'), name='vorlage_vergeben_mit_nummer', violation_error_message='Eine registrierte Vorlage braucht eine Nummer.'),
        ),
        migrations.AddConstraint(
            model_name='nummernzaehler',
            constraint=models.UniqueConstraint(fields=('nummernkreis', 'jahr'), name='nummernzaehler_eindeutig_je_kreis_und_jahr', violation_error_message='Für diesen Nummernkreis gibt es in diesem Jahr schon einen Zähler.'),
        ),
        migrations.AddConstraint(
            model_name='nummernzaehler',
            constraint=models.CheckConstraint(condition=models.Q(('jahr__gte', 1900), ('jahr__lte', 2200)), name='nummernzaehler_jahr_plausibel', violation_error_message='Das Jahr muss zwischen 1900 und 2200 liegen.'),
        ),
        migrations.AddIndex(
            model_name='vorlage',
            index=models.Index(fields=['art', 'jahr', 'nummer'], name='vorlage_nummernkreis_idx'),
        ),
    ]
