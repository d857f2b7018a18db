from django.views.generic import TemplateView

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
