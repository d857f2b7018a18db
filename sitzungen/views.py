from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from betrieb.paginierung import GrosseListeMixin
from gremien.models import Ausschuss, Mitgliedschaft, Person
from sitzungen import fassungen
from sitzungen.filters import MitgliedschaftFilter, SitzungFilter
from sitzungen.models import Beratung, Sitzung, Tagesordnungsaenderung, Tagesordnungsfassung
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

    @cached_property
    def mitglieder_filter(self):
        return MitgliedschaftFilter(
            self.request.GET,
            queryset=Mitgliedschaft.objects.filter(ausschuss=self.object),
            request=self.request,
            leer=_("heute (aktuelle Mitglieder)"),
        )

    def mitglieder(self):
        filter_ = self.mitglieder_filter
        if not filter_.is_valid():
            return Mitgliedschaft.objects.none()
        if filter_.gewaehlt is None:
            return filter_.queryset.aktuell()
        return filter_.qs

    def get_context_data(self, **kwargs):
        sitzungen = Sitzung.objects.sichtbar_fuer(self.request.user).filter(ausschuss=self.object).fuer_liste()
        user = self.request.user
        beratungen = Beratung.objects.sichtbar_fuer(user).filter(ausschuss=self.object)
        vorlagen = (
            Vorlage.objects.sichtbar_fuer(user).filter(pk__in=beratungen.values("vorlage")).fuer_liste().neueste()
        )
        mitglieder = (
            self.mitglieder()
            .select_related("person", "person__fraktion")
            .order_by("person__nachname", "person__vorname", "beginn", "pk")
        )
        return super().get_context_data(
            mitglieder=sorted(mitglieder, key=lambda m: ROLLEN_REIHENFOLGE.index(m.rolle)),
            mitglieder_filter=self.mitglieder_filter,
            wahlperiode=self.mitglieder_filter.gewaehlt,
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


# How many versions of the agenda are recorded (the Sitzung page links to them when there is more than one).
_FASSUNGEN_ANZAHL = Subquery(
    Tagesordnungsfassung.objects.filter(sitzung=OuterRef("pk"))
    .order_by()
    .values("sitzung")
    .annotate(anzahl=Count("pk"))
    .values("anzahl")[:1]
)


class SitzungDetailView(DetailView):
    template_name = "sitzungen/sitzung_detail.html"
    context_object_name = "sitzung"

    def get_queryset(self):
        user = self.request.user
        return (
            Sitzung.objects.sichtbar_fuer(user)
            .fuer_liste()
            .mit_tagesordnung(user)
            .prefetch_related(
                *weitere_dateien.prefetches(weitere_dateien.SITZUNG, user),
                # The changes after the Einladung, a hidden TOP's only by its number (one query).
                Prefetch(
                    "tagesordnungsaenderungen",
                    queryset=Tagesordnungsaenderung.objects.oeffentlich_bekannt()
                    .mit_sichtbarkeit(user)
                    .chronologisch(),
                    to_attr="aenderungen_der_tagesordnung",
                ),
            )
            .annotate(fassungen_anzahl=_FASSUNGEN_ANZAHL)
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

    @cached_property
    def mitgliedschaften_filter(self):
        return MitgliedschaftFilter(
            self.request.GET,
            queryset=Mitgliedschaft.objects.select_related("ausschuss").order_by("-beginn", "pk"),
            request=self.request,
            leer=_("alle Wahlperioden"),
        )

    def get_queryset(self):
        filter_ = self.mitgliedschaften_filter
        sitze = filter_.qs if filter_.is_valid() else Mitgliedschaft.objects.none()
        return Person.objects.select_related("fraktion").prefetch_related(Prefetch("mitgliedschaften", queryset=sitze))

    def get_context_data(self, **kwargs):
        heute = timezone.localdate()
        mitgliedschaften = self.object.mitgliedschaften.all()
        wahlperiode = self.mitgliedschaften_filter.gewaehlt
        if wahlperiode is not None:
            # The seats of that term, whether they are still held or not, with their dates.
            kwargs["in_wahlperiode"] = list(mitgliedschaften)
        return super().get_context_data(
            mitgliedschaften_filter=self.mitgliedschaften_filter,
            wahlperiode=wahlperiode,
            aktuelle=[m for m in mitgliedschaften if m.beginn <= heute and (m.ende is None or m.ende >= heute)],
            fruehere=[m for m in mitgliedschaften if m.ende is not None and m.ende < heute],
            **seitenteile.kontext(self.request, self.object, seitenteile.PERSON),
            **kwargs,
        )


class FassungenView(DetailView):
    """The published versions of a Sitzung's agenda, each with what changed against the one before (public)."""

    template_name = "sitzungen/fassungen.html"
    context_object_name = "sitzung"

    def get_queryset(self):
        return Sitzung.objects.sichtbar_fuer(self.request.user).fuer_liste()

    def get_context_data(self, **kwargs):
        liste = list(Tagesordnungsfassung.objects.der_sitzung(self.object))
        ansichten = fassungen.darstellung(sitzung=self.object, user=self.request.user, fassungen=liste)
        return super().get_context_data(ansichten=list(reversed(ansichten)), **kwargs)


class FassungView(DetailView):
    """One version of a Sitzung's agenda as it was published, and what changed against the one before."""

    template_name = "sitzungen/fassung.html"
    context_object_name = "sitzung"

    def get_queryset(self):
        return Sitzung.objects.sichtbar_fuer(self.request.user).fuer_liste()

    def get_context_data(self, **kwargs):
        nummer = self.kwargs["nummer"]
        liste = list(Tagesordnungsfassung.objects.der_sitzung(self.object).filter(nummer__in=[nummer - 1, nummer]))
        if not liste or liste[-1].nummer != nummer:
            raise Http404("Diese Fassung der Tagesordnung gibt es nicht.")
        ansicht = fassungen.darstellung(sitzung=self.object, user=self.request.user, fassungen=liste)[-1]
        anzahl = Tagesordnungsfassung.objects.filter(sitzung=self.object).count()
        return super().get_context_data(ansicht=ansicht, anzahl=anzahl, **kwargs)
