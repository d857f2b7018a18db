from urllib.parse import quote

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, View
from django_filters.views import FilterView

from betrieb.paginierung import GrosseListeMixin
from ratsinfo import speicher
from vorlagen import seitenteile, weitere_dateien
from vorlagen.filters import AnfrageFilter, AntragFilter, VorlageFilter
from vorlagen.models import Anlage, Urheber, Vorlage
from vorlagen.services import anlage_abruf_protokollieren


class VorlageListView(GrosseListeMixin, FilterView):
    filterset_class = VorlageFilter
    template_name = "vorlagen/vorlage_liste.html"
    context_object_name = "vorlagen"

    def get_queryset(self):
        user = self.request.user
        # The status of the Anträge and Anfragen among them, as this visitor may see it (other rows: none).
        return Vorlage.objects.sichtbar_fuer(user).mit_antragsstatus(user).fuer_liste().neueste()


def urheber_prefetch():
    """The authors of each row in the order they signed, with their Fraktion or Person (public: no rule needed)."""
    return Prefetch(
        "urheber", queryset=Urheber.objects.select_related("fraktion", "person").order_by("reihenfolge", "pk")
    )


class AntragListView(GrosseListeMixin, FilterView):
    """The Anträge (``/antraege/``) with their authors and what became of them; ``AnfrageListView`` the Anfragen."""

    filterset_class = AntragFilter
    template_name = "vorlagen/antrag_liste.html"
    context_object_name = "vorlagen"
    art = Vorlage.Art.ANTRAG
    feed_name = "oeffentlich:feed-antraege"

    def get_queryset(self):
        user = self.request.user
        sichtbare = Vorlage.objects.sichtbar_fuer(user)
        return (
            sichtbare.filter(art=self.art)
            .mit_antragsstatus(user)
            .prefetch_related(
                urheber_prefetch(), Prefetch("erledigt_durch", queryset=sichtbare.order_by("jahr", "nummer"))
            )
            .neueste()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(art=self.art, feed_name=self.feed_name, **kwargs)


class AnfrageListView(AntragListView):
    filterset_class = AnfrageFilter
    art = Vorlage.Art.ANFRAGE
    feed_name = "oeffentlich:feed-anfragen"


class VorlageDetailView(DetailView):
    template_name = "vorlagen/vorlage_detail.html"
    context_object_name = "vorlage"
    slug_field = "kennung"
    slug_url_kwarg = "kennung"

    def get_queryset(self):
        user = self.request.user
        sichtbare = Vorlage.objects.sichtbar_fuer(user)
        return (
            sichtbare.mit_antragsstatus(user)
            .select_related("dienststelle")
            .prefetch_related(
                # The Beratung model lives in sitzungen; the reverse relation reaches it without an import.
                Prefetch(
                    "beratungen",
                    queryset=Vorlage.beratungen.rel.related_model.objects.sichtbar_fuer(user)
                    .fuer_beratungsfolge()
                    .order_by("reihenfolge", "termin", "pk"),
                ),
                Prefetch("anlagen", queryset=Anlage.objects.sichtbar_fuer(user)),
                Prefetch("vorliegende_antraege", queryset=sichtbare.order_by("jahr", "nummer")),
                Prefetch("erledigte_antraege", queryset=sichtbare.order_by("jahr", "nummer")),
                # "erledigt durch GRDrs …" under the status of an Antrag: only the GRDrs the visitor may see.
                Prefetch("erledigt_durch", queryset=sichtbare.order_by("jahr", "nummer")),
                *weitere_dateien.prefetches(weitere_dateien.VORLAGE, user),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            weitere_dateien=weitere_dateien.dateien(self.object, weitere_dateien.VORLAGE),
            **seitenteile.kontext(self.request, self.object, seitenteile.VORLAGE),
            **kwargs,
        )


class AnlageDownloadView(View):
    """Serves the file of an Anlage to whoever may see it: Anlagen have no public URL of their own."""

    def get(self, request, kennung, pk, dateiname):
        anlage = get_object_or_404(
            Anlage.objects.sichtbar_fuer(request.user).select_related("vorlage"), pk=pk, vorlage__kennung=kennung
        )
        if dateiname != anlage.dateiname:
            return redirect(anlage, permanent=True)
        try:
            antwort = self.datei_antwort(anlage)
        except FileNotFoundError:
            raise Http404("Die Datei dieser Anlage ist nicht vorhanden.") from None
        abruf = anlage_abruf_protokollieren(anlage=anlage, benutzer=request.user)
        if abruf is not None:
            # Non-public: no shared cache may keep a copy.
            patch_cache_control(antwort, private=True, no_store=True)
        return antwort

    def datei_antwort(self, anlage):
        return datei_antwort(anlage)


def datei_antwort(objekt):
    """The response that sends the stored file of an Anlage (or of anything that holds its file like one: ``datei``,
    ``dateiname``, ``mime_typ``) once the caller has applied the visibility rule. The file is opened first: a
    missing file raises FileNotFoundError (the caller's 404), an unreachable bucket the 503 of betrieb.ausfall."""
    praefix = settings.RATSINFO_ANLAGEN_X_ACCEL_PREFIX
    if praefix:
        if not objekt.datei.storage.exists(objekt.datei.name):
            raise FileNotFoundError(objekt.datei.name)
        # The web server sends the file from its internal location; Django has already checked the rule.
        antwort = HttpResponse(content_type=objekt.mime_typ)
        antwort["X-Accel-Redirect"] = praefix.rstrip("/") + "/" + quote(objekt.datei.name)
        antwort["Content-Disposition"] = content_disposition_header(False, objekt.dateiname)
        return antwort
    return speicher.datei_antwort(objekt.datei, mime_typ=objekt.mime_typ, dateiname=objekt.dateiname)
