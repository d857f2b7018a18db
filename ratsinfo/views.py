import sys

from django.views import defaults
from django.views.generic import TemplateView

from ratsinfo.ausfall import antwort_503, ist_datenbankausfall
from sitzungen.models import Sitzung
from vorlagen.models import Vorlage

ANZAHL = 8


class StartseiteView(TemplateView):
    template_name = "startseite.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            naechste_sitzungen=Sitzung.objects.sichtbar_fuer(user).fuer_liste().kommende()[:ANZAHL],
            neueste_vorlagen=Vorlage.objects.sichtbar_fuer(user).fuer_liste().neueste()[:ANZAHL],
            **kwargs,
        )


def server_error(request):
    """handler500: a database outage outside a view (a middleware saving the session, say) is a 503 as well."""
    fehler = sys.exc_info()[1]
    if fehler is not None and ist_datenbankausfall(fehler):
        return antwort_503(request, fehler)
    return defaults.server_error(request)
