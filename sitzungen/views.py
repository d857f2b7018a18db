import posixpath
from types import SimpleNamespace

from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, View
from django_filters.views import FilterView

from betrieb.paginierung import GrosseListeMixin, NachsichtigeSeitenMixin
from gremien.models import Ausschuss, Mitgliedschaft, Person
from sitzungen import fassungen
from sitzungen.filters import MitgliedschaftFilter, PersonFilter, SitzungFilter
from sitzungen.models import Beratung, Sitzung, Tagesordnungsaenderung, Tagesordnungsfassung
from vorlagen import seitenteile, weitere_dateien
from vorlagen.models import Vorlage
from vorlagen.views import datei_antwort

# The photo formats the admin accepts (gremien.admin checks the content); the stored name ends in one of these.
FOTO_TYPEN = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}

KURZLISTE = 10
# Committee pages list the chair first, then members, deputies and sachkundige Einwohner.
ROLLEN_REIHENFOLGE = list(Mitgliedschaft.Rolle.values)


def politische_vorlagen(user):
    """The Vorlagen ``user`` may see, newest first, with what became of the Anträge and Anfragen among them (as
    ``user`` sees it). Callers narrow it to an Urheber: only Anträge and Anfragen are signed by Fraktionen and
    councillors, a Vorlage of the administration has its Dienststelle instead."""
    return Vorlage.objects.sichtbar_fuer(user).antragsstatus_nachladen(user).ohne_langtexte().neueste()


def sitzzeilen(mitgliedschaften):
    """Seats as the Fraktion page prints them: person, link, role, dates, made once here. A Fraktion may have many
    members: plain dicts are what the template reads fastest, and one ``reverse`` and one date format serve every
    row (benchmarks/bench_personen.py)."""
    muster = "999999999"
    basis = reverse("sitzungen:person-detail", kwargs={"pk": int(muster)})
    datumsformat = gettext("d.m.Y")
    heute = gettext("heute")
    rollen = {wert: str(name) for wert, name in Mitgliedschaft.Rolle.choices}
    formatiert = {}

    def datum(tag):
        if tag not in formatiert:
            formatiert[tag] = dateformat.format(tag, datumsformat)
        return formatiert[tag]

    return [
        {
            "name": m.person.name,
            "url": basis.replace(muster, str(m.person_id)),
            "rolle": rollen.get(m.rolle, m.rolle),
            "zeitraum": f"{datum(m.beginn)} – {datum(m.ende) if m.ende else heute}",
        }
        for m in mitgliedschaften
    ]


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
        # Fraktionen too: they get a page of their own (members, Anträge and Anfragen, seats in Gremien).
        return Ausschuss.objects.all()

    def get_template_names(self):
        if self.object.art == Ausschuss.Art.FRAKTION:
            return ["sitzungen/fraktion_detail.html"]
        return super().get_template_names()

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
        if self.object.art == Ausschuss.Art.FRAKTION:
            return self.fraktion_kontext(**kwargs)
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

    def fraktion_kontext(self, **kwargs):
        """The Fraktion page: members (current and past, or those of the chosen term), the Anträge and Anfragen
        the Fraktion signed (as Urheber, only those the visitor may see) and its members' seats in Gremien."""
        fraktion = self.object
        filter_ = self.mitglieder_filter
        wahlperiode = filter_.gewaehlt
        sitze = Mitgliedschaft.objects.filter(ausschuss=fraktion)
        if not filter_.is_valid():
            sitze = sitze.none()
        if wahlperiode is not None:
            sitze = sitze.in_wahlperiode(wahlperiode)
        # Only what the rows print: a large Fraktion's members are read as lean objects (bench_personen.py).
        sitze = list(
            sitze.select_related("person")
            .only("person_id", "rolle", "beginn", "ende", "person__titel", "person__vorname", "person__nachname")
            .order_by("person__nachname", "person__vorname", "-beginn", "pk")
        )
        heute = timezone.localdate()
        aktuelle, fruehere = [], []
        for m in sitze:
            (aktuelle if m.beginn <= heute and (m.ende is None or m.ende >= heute) else fruehere).append(m)
        aktuelle.sort(key=lambda m: ROLLEN_REIHENFOLGE.index(m.rolle))

        vorlagen = politische_vorlagen(self.request.user).filter(urheber__fraktion=fraktion)
        # The members' seats in Gremien: today's, or those held in the chosen term by its members then.
        gremiensitze = Mitgliedschaft.objects.exclude(ausschuss__art=Ausschuss.Art.FRAKTION)
        if wahlperiode is not None:
            vorlagen = vorlagen.in_wahlperiode(wahlperiode)
            gremiensitze = gremiensitze.in_wahlperiode(wahlperiode)
        else:
            gremiensitze = gremiensitze.aktuell()
        # Per Gremium the number of members holding a seat there, linked to the people index filtered by Fraktion
        # and Gremium: the names are there, and a large Fraktion's page stays short (benchmarks/bench_personen.py).
        gremiensitze = list(
            gremiensitze.filter(person__in={m.person_id for m in (sitze if wahlperiode else aktuelle)})
            .values("ausschuss__slug", "ausschuss__name")
            .annotate(anzahl=Count("person", distinct=True))
            .order_by("ausschuss__reihenfolge", "ausschuss__name")
        )
        return super().get_context_data(
            mitglieder_filter=filter_,
            wahlperiode=wahlperiode,
            aktuelle_mitglieder=aktuelle,
            fruehere_mitglieder=fruehere,
            # Rows as plain dicts: a Fraktion may have many members, and a dict is what the template reads fastest
            # (benchmarks/bench_personen.py).
            aktuelle_zeilen=sitzzeilen(aktuelle),
            fruehere_zeilen=sitzzeilen(fruehere),
            vorlagen=list(vorlagen[:KURZLISTE]),
            gremiensitze=gremiensitze,
            **kwargs,
        )


class PersonListView(NachsichtigeSeitenMixin, FilterView):
    """The people index: councillors and sachkundige Einwohner with their Fraktion and seats (sitzungen.filters
    .PersonFilter says which term it shows)."""

    filterset_class = PersonFilter
    template_name = "sitzungen/person_liste.html"
    context_object_name = "personen"

    def get_queryset(self):
        return Person.objects.order_by("nachname", "vorname", "pk")

    def paginate_queryset(self, queryset, page_size):
        # The seats of the shown term, for the rows of this page only: one query for the whole page.
        sitze = (
            self.filterset.sitze()
            .select_related("ausschuss")
            .order_by("ausschuss__reihenfolge", "ausschuss__name", "-beginn", "pk")
        )
        queryset = queryset.prefetch_related(Prefetch("mitgliedschaften", queryset=sitze, to_attr="sitze"))
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        kontext = super().get_context_data(**kwargs)
        heute = timezone.localdate()
        for person in kontext["personen"]:
            fraktionen = [m for m in person.sitze if m.ausschuss.art == Ausschuss.Art.FRAKTION]
            # The Fraktion today if the person has one, else the last one of the term.
            heutige = [m for m in fraktionen if m.beginn <= heute and (m.ende is None or m.ende >= heute)]
            fraktionen.sort(key=lambda m: m.beginn)
            person.fraktion_zeile = (heutige or fraktionen or [None])[-1]
            person.gremiensitze = [m for m in person.sitze if m.ausschuss.art != Ausschuss.Art.FRAKTION]
        kontext["wahlperiode"] = self.filterset.wahlperiode_gewaehlt
        kontext["alle_wahlperioden"] = self.filterset.alle
        return kontext


class PersonFotoView(View):
    """A person's photo, only with her consent (``Person.objects.mit_foto``); 404 without, at once after the
    consent is removed. The file was checked by content on upload (gremien.admin.PersonForm)."""

    def get(self, request, pk):
        person = get_object_or_404(Person.objects.mit_foto(), pk=pk)
        endung = posixpath.splitext(person.foto.name)[1].lower()
        if endung not in FOTO_TYPEN:
            raise Http404("Kein Foto in einem erlaubten Format.")
        datei = SimpleNamespace(datei=person.foto, dateiname=f"foto-{person.pk}{endung}", mime_typ=FOTO_TYPEN[endung])
        try:
            antwort = datei_antwort(datei)
        except FileNotFoundError:
            raise Http404("Die Datei des Fotos ist nicht vorhanden.") from None
        # Caches may keep it but must ask again each time: a withdrawn consent takes effect at once.
        patch_cache_control(antwort, public=True, no_cache=True, max_age=0)
        antwort["X-Content-Type-Options"] = "nosniff"
        return antwort


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
        return Person.objects.select_related("fraktion").prefetch_related(
            Prefetch("mitgliedschaften", queryset=sitze),
            # The Fraktion history stays whole whatever term is chosen above.
            Prefetch(
                "mitgliedschaften",
                queryset=Mitgliedschaft.objects.filter(ausschuss__art=Ausschuss.Art.FRAKTION)
                .select_related("ausschuss")
                .order_by("-beginn", "pk"),
                to_attr="fraktionssitze",
            ),
        )

    def get_context_data(self, **kwargs):
        heute = timezone.localdate()
        kwargs["antraege_und_anfragen"] = list(
            politische_vorlagen(self.request.user).filter(urheber__person=self.object)[:KURZLISTE]
        )
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
