"""Writes of the search: the word list of “Meinten Sie …”. Keyword-only, atomic."""

import re
from collections import Counter

from django.db import connection, transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from protokoll.models import Sitzungsdokument
from sitzungen.models import Sitzung, Tagesordnungspunkt
from suche.models import Suchwort
from vorlagen.models import AnlageSeite, Vorlage

# Words shorter than this are not worth suggesting; longer ones are noise (hashes, URLs).
WORT_MIN, WORT_MAX = 4, 60
WORT_MUSTER = re.compile(rf"[^\W\d_]{{{WORT_MIN},{WORT_MAX}}}")


def oeffentliche_texte():
    """Querysets of one text column each, over content an anonymous visitor may see: the rule decides, not SQL
    written here. A word of a non-public paper must never become a suggestion."""
    return [
        Vorlage.objects.sichtbar_fuer(None).annotate(
            inhalt=Concat(
                "titel",
                Value(" "),
                "beschlussantrag",
                Value(" "),
                "bericht",
                Value(" "),
                "begruendung",
                Value(" "),
                "finanzielle_auswirkungen",
                output_field=TextField(),
            )
        ),
        Tagesordnungspunkt.objects.sichtbar_fuer(None).annotate(
            inhalt=Concat("titel", Value(" "), "beschluss", output_field=TextField())
        ),
        Sitzung.objects.sichtbar_fuer(None).annotate(inhalt=F("name")),
        AnlageSeite.objects.sichtbar_fuer(None).annotate(inhalt=F("text")),
        Sitzungsdokument.objects.sichtbar_fuer(None).annotate(
            inhalt=Concat("titel", Value(" "), "text", output_field=TextField())
        ),
    ]


@transaction.atomic
def suchwoerter_aufbauen() -> int:
    """Rebuild the word list from public content; returns the number of words."""
    Suchwort.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for queryset in oeffentliche_texte():
                sql, params = queryset.values("inhalt").query.sql_with_params()
                # The database splits and counts: the text of 600,000 pages never travels to Python.
                cursor.execute(
                    "INSERT INTO suche_suchwort (wort, anzahl) "
                    f"SELECT w, count(*) FROM ({sql}) AS t, unnest(tsvector_to_array(to_tsvector('simple', t.inhalt)))"
                    " AS w WHERE length(w) BETWEEN %s AND %s AND w !~ '[^[:alpha:]]' GROUP BY w "
                    "ON CONFLICT (wort) DO UPDATE SET anzahl = suche_suchwort.anzahl + excluded.anzahl",
                    [*params, WORT_MIN, WORT_MAX],
                )
        return Suchwort.objects.count()
    zaehler = Counter()
    for queryset in oeffentliche_texte():
        for inhalt in queryset.values_list("inhalt", flat=True).iterator():
            zaehler.update(wort.lower() for wort in WORT_MUSTER.findall(inhalt or ""))
    Suchwort.objects.bulk_create(Suchwort(wort=wort, anzahl=anzahl) for wort, anzahl in zaehler.items())
    return len(zaehler)
