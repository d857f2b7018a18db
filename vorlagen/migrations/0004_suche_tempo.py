# The search on large data sets (docs/benchmarks.md): a plain index on the date of a Vorlage. Hits of Anlagen
# sorted by their Vorlage's date, and searches with a "Zeitraum", walked or scanned every Vorlage without it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("vorlagen", "0003_suche"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="vorlage",
            index=models.Index(fields=["-datum", "-id"], name="vorlage_datum_suche_idx"),
        ),
    ]
