from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views import View

from druck.models import Druckstueck
from druck.services import druckstueck_anfordern
from gremien.sichtbarkeit import darf_alles_sehen
from ratsinfo import speicher
from sitzungen.models import Sitzung, Tagesordnungspunkt
from vorlagen.models import Anlage, Vorlage
from vorlagen.services import anlagen_abrufe_protokollieren

# How long the "wird erstellt" page waits before it asks again.
NEU_LADEN_SEKUNDEN = 3


def pdf_antwort(request, druckstueck):
    """The stored file, inline, with validators; a 304 when the client's copy is still the current one."""
    etag = f'"{druckstueck.inhaltsversion[:32]}-{druckstueck.pk}"'
    geaendert = int(druckstueck.fertig_am.timestamp())
    antwort = get_conditional_response(request, etag=etag, last_modified=geaendert)
    if antwort is None:
        antwort = speicher.datei_antwort(druckstueck.datei, mime_typ="application/pdf", dateiname=druckstueck.dateiname)
    antwort["ETag"] = etag
    antwort["Last-Modified"] = http_date(geaendert)
    if druckstueck.benutzer_id:
        # A personal copy with non-public content: no shared cache, and no copy left on the device.
        patch_cache_control(antwort, private=True, no_store=True)
    else:
        # The same address may serve a personal copy to someone logged in, and a new version at any time.
        patch_cache_control(antwort, no_cache=True)
    patch_vary_headers(antwort, ["Cookie"])
    return antwort


class DruckView(View):
    """Looks the document up through the rule (404 otherwise), then serves its PDF or says it is being made."""

    art = None

    def gegenstand(self, request, **kwargs):
        raise NotImplementedError

    def get(self, request, **kwargs):
        gegenstand = self.gegenstand(request, **kwargs)
        try:
            druckstueck = druckstueck_anfordern(art=self.art, gegenstand=gegenstand, user=request.user)
        except Druckstueck.DoesNotExist:
            raise Http404("Dieses Dokument gibt es nicht.") from None
        if druckstueck.ist_fertig:
            return pdf_antwort(request, druckstueck)
        fehler = druckstueck.status == Druckstueck.Status.FEHLER
        neu_laden = NEU_LADEN_SEKUNDEN
        if druckstueck.wird_wiederholt:
            # Tried again on the first request after this: a temporary fault (503), not a final one (500).
            neu_laden = max(int((druckstueck.naechster_versuch - timezone.now()).total_seconds()) + 1, 1)
        antwort = render(
            request,
            "druck/wird_erstellt.html",
            {
                "druckstueck": druckstueck,
                "gegenstand": gegenstand,
                "fehler": fehler,
                "neu_laden": neu_laden,
            },
            status=(503 if druckstueck.wird_wiederholt else 500) if fehler else 202,
        )
        antwort["Retry-After"] = str(neu_laden)
        patch_cache_control(antwort, no_store=True)
        return antwort


class VorlagePdfView(DruckView):
    """The published Vorlage as PDF: a draft's PDF is never public, not even under this address for clerks."""

    art = Druckstueck.Art.VORLAGE

    def gegenstand(self, request, kennung):
        return get_object_or_404(
            Vorlage.objects.veroeffentlicht().sichtbar_fuer(request.user).select_related("dienststelle"),
            kennung=kennung,
        )


class VorlageVorschauView(DruckView):
    """The clerks' preview from the admin, drafts included."""

    art = Druckstueck.Art.VORLAGE

    def gegenstand(self, request, kennung):
        if not (request.user.is_staff and darf_alles_sehen(request.user)):
            raise Http404("Dieses Dokument gibt es nicht.")
        return get_object_or_404(Vorlage.objects.sichtbar_fuer(request.user), kennung=kennung)


class SitzungDruckView(DruckView):
    def gegenstand(self, request, pk):
        return get_object_or_404(Sitzung.objects.sichtbar_fuer(request.user).fuer_liste(), pk=pk)


class TagesordnungPdfView(SitzungDruckView):
    art = Druckstueck.Art.TAGESORDNUNG


class MappePdfView(SitzungDruckView):
    art = Druckstueck.Art.MAPPE

    def get(self, request, **kwargs):
        antwort = super().get(request, **kwargs)
        if antwort.status_code == 200 and antwort.get("Content-Type") == "application/pdf":
            # A personal Mappe carries the files of non-public Anlagen: each counts as a download of them.
            sitzung = self.gegenstand(request, **kwargs)
            tops = Tagesordnungspunkt.objects.sichtbar_fuer(request.user).filter(sitzung=sitzung)
            anlagen = Anlage.objects.sichtbar_fuer(request.user).filter(vorlage__tagesordnungspunkte__in=tops)
            anlagen_abrufe_protokollieren(anlagen=anlagen.distinct(), benutzer=request.user)
        return antwort


class NiederschriftPdfView(SitzungDruckView):
    """The Niederschrift as the page shows it: published for everyone, a draft for the clerks only."""

    art = Druckstueck.Art.NIEDERSCHRIFT


class BeschlussauszugPdfView(DruckView):
    """The extract of one TOP's decision for the Ämter: as visible as the TOP's content."""

    art = Druckstueck.Art.BESCHLUSSAUSZUG

    def gegenstand(self, request, pk, top):
        return get_object_or_404(
            Tagesordnungspunkt.objects.sichtbar_fuer(request.user).select_related("sitzung__ausschuss"),
            sitzung_id=pk,
            pk=top,
        )
