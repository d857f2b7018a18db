import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from django_filters.views import FilterView

from betrieb.paginierung import GrosseListeMixin
from gremien.models import Ausschuss
from oeffentlich import ical
from oeffentlich.filters import BeschlussFilter
from oeffentlich.kalender import monat_verschieben, monatsgrenzen, monatsraster
from oeffentlich.oeffentlichkeit import oeffentlichkeit
from protokoll.models import Abstimmung
from sitzungen.models import Sitzung, Tagesordnungspunkt
from vorlagen.models import Vorlage

# A subscribed "all Sitzungen" calendar holds the last year and everything planned: older meetings are history
# (on the website), and a feed that grows forever slows every calendar app that polls it.
ICAL_RUECKBLICK = datetime.timedelta(days=365)
# Years before and after today that the calendar pages through; beyond, a crawler following "next" would never stop.
KALENDER_SPANNE_JAHRE = 30


class StartseiteView(TemplateView):
    """The start page: the next Sitzungen and the newest Vorlagen, each as the visitor may see them (a
    councillor's include her committees' non-public ones, so this page is not only for the public)."""

    template_name = "startseite.html"
    anzahl = 8

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            naechste_sitzungen=Sitzung.objects.sichtbar_fuer(user).fuer_liste().kommende()[: self.anzahl],
            neueste_vorlagen=Vorlage.objects.sichtbar_fuer(user).fuer_liste().neueste()[: self.anzahl],
            **kwargs,
        )


def beschluesse(user):
    """The Beschlüsse ``user`` may see, newest Sitzung first, in the order of its agenda."""
    return (
        Tagesordnungspunkt.objects.sichtbar_fuer(user)
        .mit_beschluss()
        .select_related("sitzung__ausschuss")
        .prefetch_related(
            Prefetch("vorlagen", queryset=Vorlage.objects.sichtbar_fuer(user).order_by("jahr", "nummer")),
            Prefetch("abstimmungen", queryset=Abstimmung.objects.sichtbar_fuer(user)),
        )
        .order_by("-sitzung__beginn", "-sitzung_id", "-oeffentlich", "reihenfolge", "pk")
    )


class BeschlussListView(GrosseListeMixin, FilterView):
    filterset_class = BeschlussFilter
    template_name = "oeffentlich/beschluss_liste.html"
    context_object_name = "beschluesse"

    def get_queryset(self):
        return beschluesse(self.request.user)


class KalenderView(TemplateView):
    """The Sitzungskalender: one month as a table of weeks, and the same Sitzungen as a list below it."""

    template_name = "oeffentlich/kalender.html"

    def get(self, request, *args, **kwargs):
        if "jahr" not in kwargs:
            heute = timezone.localdate()
            ziel = reverse("oeffentlich:kalender-monat", kwargs={"jahr": heute.year, "monat": heute.month})
            query = request.GET.urlencode()
            return redirect(f"{ziel}?{query}" if query else ziel)
        if not 1 <= kwargs["monat"] <= 12 or abs(kwargs["jahr"] - timezone.localdate().year) > KALENDER_SPANNE_JAHRE:
            raise Http404(_("Diesen Monat zeigt der Kalender nicht."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, jahr, monat, **kwargs):
        ausschuesse = Ausschuss.objects.gremien()
        ausschuss = None
        if self.request.GET.get("ausschuss"):
            slug = self.request.GET["ausschuss"]
            if "\x00" in slug:
                # PostgreSQL cannot even compare a text with a NUL byte; no committee has one in its slug.
                raise Http404(_("Dieses Gremium gibt es nicht."))
            ausschuss = get_object_or_404(ausschuesse, slug=slug)
        erster, letzter = monatsgrenzen(jahr, monat)
        sitzungen = Sitzung.objects.sichtbar_fuer(self.request.user).fuer_liste().order_by("beginn", "pk")
        if ausschuss:
            sitzungen = sitzungen.filter(ausschuss=ausschuss)
        sitzungen = list(sitzungen.filter(beginn__date__gte=erster, beginn__date__lte=letzter))
        vorher, nachher = monat_verschieben(jahr, monat, -1), monat_verschieben(jahr, monat, 1)
        heute = timezone.localdate()
        return super().get_context_data(
            monat_erster=datetime.date(jahr, monat, 1),
            wochen=monatsraster(jahr, monat, sitzungen),
            sitzungen_im_monat=[s for s in sitzungen if timezone.localdate(s.beginn).month == monat],
            ausschuss=ausschuss,
            ausschuesse=ausschuesse,
            vorheriger_monat=datetime.date(*vorher, 1),
            naechster_monat=datetime.date(*nachher, 1),
            dieser_monat=datetime.date(heute.year, heute.month, 1),
            **kwargs,
        )


class ICalView(View):
    """Base of the .ics downloads: always built for the public, whoever asks (see ``oeffentlichkeit``)."""

    def sitzungen(self):
        raise NotImplementedError

    def kalendername(self):
        raise NotImplementedError

    def dateiname(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        inhalt = ical.kalender(ical.sitzungen_fuer_kalender(self.sitzungen()), request, self.kalendername())
        antwort = HttpResponse(inhalt, content_type="text/calendar; charset=utf-8")
        antwort["Content-Disposition"] = f'inline; filename="{self.dateiname()}"'
        return antwort


class AlleSitzungenICalView(ICalView):
    def sitzungen(self):
        return Sitzung.objects.sichtbar_fuer(oeffentlichkeit()).filter(beginn__gte=timezone.now() - ICAL_RUECKBLICK)

    def kalendername(self):
        return _("Sitzungen – %(koerperschaft)s") % {"koerperschaft": settings.RATSINFO_KOERPERSCHAFT}

    def dateiname(self):
        return "sitzungen.ics"


class AusschussICalView(ICalView):
    def get(self, request, *args, slug, **kwargs):
        self.ausschuss = get_object_or_404(Ausschuss.objects.gremien(), slug=slug)
        return super().get(request, *args, **kwargs)

    def sitzungen(self):
        return Sitzung.objects.sichtbar_fuer(oeffentlichkeit()).filter(
            ausschuss=self.ausschuss, beginn__gte=timezone.now() - ICAL_RUECKBLICK
        )

    def kalendername(self):
        return _("Sitzungen: %(ausschuss)s") % {"ausschuss": self.ausschuss.name}

    def dateiname(self):
        return f"{self.ausschuss.slug}.ics"


class SitzungICalView(ICalView):
    def get(self, request, *args, pk, **kwargs):
        self.sitzung = get_object_or_404(Sitzung.objects.sichtbar_fuer(oeffentlichkeit()), pk=pk)
        return super().get(request, *args, **kwargs)

    def sitzungen(self):
        return Sitzung.objects.filter(pk=self.sitzung.pk)

    def kalendername(self):
        return str(self.sitzung.titel)

    def dateiname(self):
        return f"sitzung-{self.sitzung.pk}.ics"


class BarrierefreiheitView(TemplateView):
    template_name = "oeffentlich/barrierefreiheit.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kontakt_email=settings.RATSINFO_BARRIEREFREIHEIT_KONTAKT,
            stand=settings.RATSINFO_BARRIEREFREIHEIT_STAND,
            **kwargs,
        )


class LeichteSpracheView(TemplateView):
    template_name = "oeffentlich/leichte_sprache.html"
