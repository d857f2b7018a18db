"""Atom feeds of new Vorlagen (all, or per committee), of Anträge and Anfragen (with their lists' filters), of
Beschlüsse and of upcoming Sitzungen, built for the public.

Feed readers fetch without cookies, so every feed asks the visibility rule about an anonymous visitor
(``oeffentlichkeit``), never about ``request.user``: drafts, non-public and confidential Vorlagen never appear,
and a committee's feed lists a Vorlage only through a Beratung the public may see (a public Vorlage deliberated
by that committee in a non-public Beratung does not show up under it).

Texts from the database pass through ``steuerzeichen_entfernen`` (XML 1.0 cannot carry control characters, and
Django's feed writer refuses them with an exception), and the summaries, which Atom declares as HTML, are escaped:
a name typed by a clerk or sent by an imported source is shown as text by a feed reader, never rendered.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gremien.models import Ausschuss
from oeffentlich.filters import BeschlussFilter
from oeffentlich.oeffentlichkeit import oeffentlichkeit
from oeffentlich.views import beschluesse
from ratsinfo.validators import steuerzeichen_entfernen
from sitzungen.models import Beratung, Sitzung
from vorlagen.filters import AnfrageFilter, AntragFilter
from vorlagen.models import Urheber, Vorlage

ANZAHL = 30


class VorlagenFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request, slug=None):
        return get_object_or_404(Ausschuss.objects.gremien(), slug=slug) if slug else None

    def title(self, ausschuss):
        if ausschuss:
            return _("Neue Vorlagen: %(ausschuss)s") % {"ausschuss": steuerzeichen_entfernen(ausschuss.name)}
        return _("Neue Vorlagen – %(koerperschaft)s") % {"koerperschaft": settings.RATSINFO_KOERPERSCHAFT}

    def subtitle(self, ausschuss):
        return _("Neu veröffentlichte Vorlagen im Ratsinformationssystem.")

    def link(self, ausschuss):
        if ausschuss:
            return f"{reverse('vorlagen:liste')}?ausschuss={ausschuss.slug}"
        return reverse("vorlagen:liste")

    def feed_url(self, ausschuss):
        if ausschuss:
            return reverse("oeffentlich:feed-vorlagen-ausschuss", kwargs={"slug": ausschuss.slug})
        return reverse("oeffentlich:feed-vorlagen")

    def items(self, ausschuss):
        vorlagen = Vorlage.objects.sichtbar_fuer(oeffentlichkeit())
        if ausschuss:
            beratungen = Beratung.objects.sichtbar_fuer(oeffentlichkeit()).filter(ausschuss=ausschuss)
            vorlagen = vorlagen.filter(pk__in=beratungen.values("vorlage"))
        return vorlagen.fuer_liste().order_by("-veroeffentlicht_am", "-pk")[:ANZAHL]

    def item_title(self, vorlage):
        return steuerzeichen_entfernen(f"{vorlage.bezeichnung}: {vorlage.titel}")

    def item_description(self, vorlage):
        teile = [vorlage.get_art_display(), date_format(vorlage.datum, "j. F Y"), str(vorlage.dienststelle)]
        if vorlage.status == Vorlage.Status.ZURUECKGEZOGEN:
            teile.append(_("zurückgezogen"))
        return html_zusammenfassung(teile)

    def item_pubdate(self, vorlage):
        return vorlage.veroeffentlicht_am

    def item_updateddate(self, vorlage):
        return vorlage.geaendert_am

    def item_guid(self, vorlage):
        # The Vorlage's URL is permanent once published, and so is its tag URI.
        return f"tag:{settings.RATSINFO_UID_DOMAIN},2025:vorlage-{vorlage.pk}"

    item_guid_is_permalink = False

    def item_categories(self, vorlage):
        return [vorlage.get_art_display()]


def html_zusammenfassung(teile):
    """The summary Atom sends as ``type="html"``: the parts as escaped text, joined."""
    return escape(" · ".join(steuerzeichen_entfernen(teil) for teil in teile))


class SitzungenFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Kommende Sitzungen")
    subtitle = gettext_lazy("Die nächsten Sitzungen des Gemeinderats, seiner Ausschüsse und Beiräte.")

    def link(self):
        return f"{reverse('sitzungen:sitzung-liste')}?zeitraum=kommende"

    def feed_url(self):
        return reverse("oeffentlich:feed-sitzungen")

    def items(self):
        return Sitzung.objects.sichtbar_fuer(oeffentlichkeit()).fuer_liste().kommende()[:ANZAHL]

    def item_title(self, sitzung):
        beginn = date_format(timezone.localtime(sitzung.beginn), "j. F Y, H:i")
        titel = f"{steuerzeichen_entfernen(sitzung.titel)}, {beginn}"
        if sitzung.status == Sitzung.Status.ABGESAGT:
            return _("Abgesagt: %(titel)s") % {"titel": titel}
        return titel

    def item_description(self, sitzung):
        teile = [sitzung.ausschuss.name, sitzung.get_status_display()]
        if sitzung.ort:
            teile.append(str(sitzung.ort))
        teile.append(_("öffentlich") if sitzung.oeffentlich else _("nichtöffentlich"))
        return html_zusammenfassung(teile)

    def item_pubdate(self, sitzung):
        return sitzung.erstellt_am

    def item_updateddate(self, sitzung):
        return sitzung.geaendert_am

    def item_guid(self, sitzung):
        return f"tag:{settings.RATSINFO_UID_DOMAIN},2025:sitzung-{sitzung.pk}"

    item_guid_is_permalink = False


class BeschluesseFeed(Feed):
    """The list of Beschlüsse as a feed, with the same filters in the query string (``?ausschuss=…&von=…``).

    An invalid filter gives an empty feed, as the list shows an empty list with the form's error.
    """

    feed_type = Atom1Feed
    title = gettext_lazy("Beschlüsse")
    subtitle = gettext_lazy("Beschlüsse des Gemeinderats, seiner Ausschüsse und Beiräte, die neuesten zuerst.")

    def get_object(self, request):
        filterset = BeschlussFilter(request.GET or None, queryset=beschluesse(oeffentlichkeit()))
        filterset.abfrage = request.GET.urlencode()
        return filterset

    def link(self, filterset):
        return reverse("oeffentlich:beschluesse") + (f"?{filterset.abfrage}" if filterset.abfrage else "")

    def feed_url(self, filterset):
        return reverse("oeffentlich:feed-beschluesse") + (f"?{filterset.abfrage}" if filterset.abfrage else "")

    def items(self, filterset):
        if filterset.is_bound and not filterset.is_valid():
            return []
        return filterset.qs[:ANZAHL]

    def item_title(self, top):
        return steuerzeichen_entfernen(f"{top.sitzung.ausschuss.name}: {top.bezeichnung} {top.titel}")

    def item_description(self, top):
        teile = [
            date_format(timezone.localtime(top.sitzung.beginn), "j. F Y"),
            top.get_ergebnis_display(),
            Truncator(top.beschluss).words(80),
        ]
        return html_zusammenfassung(teile)

    def item_link(self, top):
        return top.get_absolute_url()

    def item_pubdate(self, top):
        return top.sitzung.beginn

    def item_updateddate(self, top):
        return top.geaendert_am

    def item_guid(self, top):
        return f"tag:{settings.RATSINFO_UID_DOMAIN},2025:beschluss-{top.pk}"

    item_guid_is_permalink = False

    def item_categories(self, top):
        return [steuerzeichen_entfernen(top.sitzung.ausschuss.name)]


class AntraegeFeed(Feed):
    """The Anträge list as a feed, with its filters in the query string (``/feeds/antraege/?fraktion=spd``).

    The public's view only, status included (derived from what the public may see). An invalid filter value is the
    reader's mistake: a 400 that names it, since a feed reader shows no form to put the error next to.
    """

    feed_type = Atom1Feed
    filterset_class = AntragFilter
    art = Vorlage.Art.ANTRAG
    liste = "vorlagen:antraege"
    feed_name = "oeffentlich:feed-antraege"
    title = gettext_lazy("Anträge")
    subtitle = gettext_lazy("Anträge aus dem Gemeinderat und was aus ihnen wurde, die neuesten zuerst.")

    def __call__(self, request, *args, **kwargs):
        filterset = self.filterset(request)
        if filterset.is_bound and not filterset.is_valid():
            fehler = "; ".join(
                f"{filterset.form.fields[feld].label if feld in filterset.form.fields else feld}: {' '.join(texte)}"
                for feld, texte in filterset.errors.items()
            )
            return HttpResponseBadRequest(
                _("Ungültiger Filter: %(fehler)s") % {"fehler": steuerzeichen_entfernen(fehler)},
                content_type="text/plain; charset=utf-8",
            )
        request.antragsfilter = filterset
        return super().__call__(request, *args, **kwargs)

    def filterset(self, request):
        oeffentlich = oeffentlichkeit()
        vorlagen = (
            Vorlage.objects.sichtbar_fuer(oeffentlich)
            .filter(art=self.art)
            .antragsstatus_nachladen(oeffentlich)
            .prefetch_related(
                Prefetch(
                    "urheber",
                    queryset=Urheber.objects.select_related("fraktion", "person").order_by("reihenfolge", "pk"),
                )
            )
        )
        # The filter's committee condition asks request.user: the feed's filters answer for the public, too.
        filterset = self.filterset_class(request.GET or None, queryset=vorlagen, request=_OeffentlicheAnfrage(request))
        filterset.abfrage = request.GET.urlencode()
        return filterset

    def get_object(self, request):
        return request.antragsfilter

    def link(self, filterset):
        return reverse(self.liste) + (f"?{filterset.abfrage}" if filterset.abfrage else "")

    def feed_url(self, filterset):
        return reverse(self.feed_name) + (f"?{filterset.abfrage}" if filterset.abfrage else "")

    def items(self, filterset):
        return filterset.qs.order_by("-datum", "-jahr", "-nummer", "-pk")[:ANZAHL]

    def item_title(self, vorlage):
        return steuerzeichen_entfernen(f"{vorlage.bezeichnung}: {vorlage.titel}")

    def item_description(self, vorlage):
        urheber = ", ".join(u.person.name if u.person_id else u.fraktion.name for u in vorlage.urheber.all())
        teile = [date_format(vorlage.datum, "j. F Y")]
        if urheber:
            teile.append(urheber)
        teile.append(_("Stand: %(stand)s") % {"stand": vorlage.antragsstatus_anzeige})
        return html_zusammenfassung(teile)

    def item_pubdate(self, vorlage):
        return vorlage.veroeffentlicht_am

    def item_updateddate(self, vorlage):
        return vorlage.geaendert_am

    def item_guid(self, vorlage):
        # The same tag as in the Vorlagen feed: a reader subscribed to both sees one paper once.
        return f"tag:{settings.RATSINFO_UID_DOMAIN},2025:vorlage-{vorlage.pk}"

    item_guid_is_permalink = False

    def item_categories(self, vorlage):
        return [vorlage.antragsstatus_anzeige]


class AnfragenFeed(AntraegeFeed):
    filterset_class = AnfrageFilter
    art = Vorlage.Art.ANFRAGE
    liste = "vorlagen:anfragen"
    feed_name = "oeffentlich:feed-anfragen"
    title = gettext_lazy("Anfragen")
    subtitle = gettext_lazy("Anfragen aus dem Gemeinderat und ob sie beantwortet sind, die neuesten zuerst.")


class _OeffentlicheAnfrage:
    """The request as the filters see it in a feed: its parameters, and the public as its user."""

    def __init__(self, request):
        self.GET = request.GET
        self.user = oeffentlichkeit()
