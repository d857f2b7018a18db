from django.db.models import Min, Prefetch, Q
from django.utils import timezone
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from ratsinfo.paginierung import NachsichtigeSeitenMixin
from sitzungen.filters import SitzungFilter
from sitzungen.models import Ausschuss, Sitzung, Tagesordnungspunkt
from vorlagen.models import Vorlage

KURZLISTE = 10


class AusschussListView(ListView):
    template_name = "sitzungen/ausschuss_liste.html"
    context_object_name = "ausschuesse"

    def get_queryset(self):
        return Ausschuss.objects.gremien().annotate(
            naechste_sitzung=Min("sitzungen__beginn", filter=Q(sitzungen__beginn__gte=timezone.now())),
        )


class AusschussDetailView(DetailView):
    template_name = "sitzungen/ausschuss_detail.html"
    context_object_name = "ausschuss"

    def get_queryset(self):
        return Ausschuss.objects.gremien()

    def get_context_data(self, **kwargs):
        sitzungen = Sitzung.objects.sichtbar_fuer(self.request.user).filter(ausschuss=self.object).fuer_liste()
        vorlagen = (
            Vorlage.objects.sichtbar_fuer(self.request.user)
            .filter(beratungen__ausschuss=self.object)
            .distinct()
            .fuer_liste()
            .neueste()
        )
        return super().get_context_data(
            kommende_sitzungen=sitzungen.kommende()[:KURZLISTE],
            vergangene_sitzungen=sitzungen.vergangene()[:KURZLISTE],
            vorlagen=vorlagen[:KURZLISTE],
            **kwargs,
        )


class SitzungListView(NachsichtigeSeitenMixin, FilterView):
    filterset_class = SitzungFilter
    template_name = "sitzungen/sitzung_liste.html"
    context_object_name = "sitzungen"

    def get_queryset(self):
        return Sitzung.objects.sichtbar_fuer(self.request.user).fuer_liste()


class SitzungDetailView(DetailView):
    template_name = "sitzungen/sitzung_detail.html"
    context_object_name = "sitzung"

    def get_queryset(self):
        user = self.request.user
        tops = (
            Tagesordnungspunkt.objects.mit_sichtbarkeit(user)
            .order_by("-oeffentlich", "reihenfolge", "pk")
            .prefetch_related(
                Prefetch("vorlagen", queryset=Vorlage.objects.sichtbar_fuer(user).order_by("jahr", "nummer"))
            )
        )
        return (
            Sitzung.objects.sichtbar_fuer(user)
            .fuer_liste()
            .prefetch_related(Prefetch("tagesordnungspunkte", queryset=tops))
        )
