from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import DetailView

from protokoll.models import Niederschrift, anwesenheiten_der_sitzung, tagesordnung_mit_protokoll


class SitzungsdokumentView(View):
    """The download of a Sitzungsdokument (built in issue 17's part on Sitzungsdokumente)."""

    def get(self, request, *args, **kwargs):
        raise Http404


class NiederschriftView(DetailView):
    """The Niederschrift of a Sitzung: published for everyone (non-public TOPs by the TOP rule), drafts for clerks."""

    template_name = "protokoll/niederschrift.html"
    context_object_name = "niederschrift"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Niederschrift.objects.sichtbar_fuer(self.request.user).fuer_seite(), sitzung_id=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        sitzung = self.object.sitzung
        tops = list(tagesordnung_mit_protokoll(self.request.user, sitzung))
        return super().get_context_data(
            sitzung=sitzung,
            anwesenheiten=anwesenheiten_der_sitzung(sitzung),
            teile=[
                ("oeffentlich", [top for top in tops if top.oeffentlich]),
                ("nichtoeffentlich", [top for top in tops if not top.oeffentlich]),
            ],
            genehmigte=Niederschrift.objects.filter(genehmigt_in=sitzung).select_related("sitzung__ausschuss"),
            **kwargs,
        )
