from django.db.models import Min, Prefetch, Q
from django.utils import timezone
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from betrieb.paginierung import GrosseListeMixin
from gremien.models import Ausschuss, Mitgliedschaft, Person
from sitzungen.filters import SitzungFilter
from sitzungen.models import Beratung, Sitzung
from vorlagen import seitenteile, weitere_dateien
from vorlagen.models import Vorlage

KURZLISTE = 10
# Committee pages list the chair first, then members, deputies and sachkundige Einwohner.
ROLLEN_REIHENFOLGE = list(Mitgliedschaft.Rolle.values)


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
        user = self.request.user
        beratungen = Beratung.objects.sichtbar_fuer(user).filter(ausschuss=self.object)
        vorlagen = (
            Vorlage.objects.sichtbar_fuer(user).filter(pk__in=beratungen.values("vorlage")).fuer_liste().neueste()
        )
        mitglieder = (
            Mitgliedschaft.objects.aktuell()
            .filter(ausschuss=self.object)
            .select_related("person", "person__fraktion")
            .order_by("person__nachname", "person__vorname", "pk")
        )
        return super().get_context_data(
            mitglieder=sorted(mitglieder, key=lambda m: ROLLEN_REIHENFOLGE.index(m.rolle)),
            kommende_sitzungen=sitzungen.kommende()[:KURZLISTE],
            vergangene_sitzungen=sitzungen.vergangene()[:KURZLISTE],
            vorlagen=vorlagen[:KURZLISTE],
            **kwargs,
        )


class SitzungListView(GrosseListeMixin, FilterView):
    filterset_class = SitzungFilter
    template_name = "sitzungen/sitzung_liste.html"
    context_object_name = "sitzungen"

    def get_queryset(self):
        # The pk makes the order total, so a row never shows on two pages (index sitzung_beginn_id_idx).
        return Sitzung.objects.sichtbar_fuer(self.request.user).fuer_liste().order_by("-beginn", "-pk")


class SitzungDetailView(DetailView):
    template_name = "sitzungen/sitzung_detail.html"
    context_object_name = "sitzung"

    def get_queryset(self):
        user = self.request.user
        return (
            Sitzung.objects.sichtbar_fuer(user)
            .fuer_liste()
            .mit_tagesordnung(user)
            .prefetch_related(*weitere_dateien.prefetches(weitere_dateien.SITZUNG, user))
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            weitere_dateien=weitere_dateien.dateien(self.object, weitere_dateien.SITZUNG),
            **seitenteile.kontext(self.request, self.object, seitenteile.SITZUNG),
            datei_abschnitte=weitere_dateien.abschnitte(self.object, weitere_dateien.SITZUNG),
            **kwargs,
        )


class PersonDetailView(DetailView):
    template_name = "sitzungen/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.select_related("fraktion").prefetch_related(
            Prefetch(
                "mitgliedschaften",
                queryset=Mitgliedschaft.objects.select_related("ausschuss").order_by("-beginn", "pk"),
            )
        )

    def get_context_data(self, **kwargs):
        heute = timezone.localdate()
        mitgliedschaften = self.object.mitgliedschaften.all()
        return super().get_context_data(
            aktuelle=[m for m in mitgliedschaften if m.beginn <= heute and (m.ende is None or m.ende >= heute)],
            fruehere=[m for m in mitgliedschaften if m.ende is not None and m.ende < heute],
            **seitenteile.kontext(self.request, self.object, seitenteile.PERSON),
            **kwargs,
        )
