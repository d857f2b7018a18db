"""What this app adds to the Sitzung page: the Sitzung's own documents under their heading.

``sitzungen`` sits below ``protokoll`` and must not import it; ``ProtokollConfig.ready()`` enters the provider
through ``vorlagen.weitere_dateien``, whose prefetch reads the documents the visitor may see in one query.
"""

from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from protokoll.models import Sitzungsdokument
from vorlagen.weitere_dateien import SITZUNG, Anbieter, WeitereDatei, anbieter_eintragen

ATTRIBUT = "sichtbare_dokumente"


def _prefetch(user):
    # The text and the search vector are the large columns; the page shows neither.
    dokumente = Sitzungsdokument.objects.sichtbar_fuer(user).order_by("reihenfolge", "pk").defer("text", "suchvektor")
    return Prefetch("dokumente", queryset=dokumente, to_attr=ATTRIBUT)


def _datei(dokument):
    return WeitereDatei(
        name=dokument.titel,
        url=dokument.get_absolute_url(),
        extern=False,
        angabe=f"{dokument.get_art_display()}, {dokument.dateiname}, {filesizeformat(dokument.groesse)}",
        nichtoeffentlich=not (dokument.oeffentlich and dokument.sitzung.oeffentlich),
    )


SITZUNGSDOKUMENTE = Anbieter(
    prefetch=_prefetch, attribut=ATTRIBUT, datei=_datei, ueberschrift=gettext_lazy("Sitzungsdokumente")
)


def eintragen():
    anbieter_eintragen(SITZUNGSDOKUMENTE, fuer=SITZUNG)
