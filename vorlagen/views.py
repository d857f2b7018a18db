from urllib.parse import quote

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, View
from django_filters.views import FilterView

from betrieb.paginierung import GrosseListeMixin
from ratsinfo import speicher
from vorlagen import seitenteile, unterschiede, weitere_dateien
from vorlagen.filters import AnfrageFilter, AntragFilter, VorlageFilter
from vorlagen.models import TEXTFELDER, Anlage, Urheber, Vorlage, urheber_und_antworten_laden
from vorlagen.services import anlage_abruf_protokollieren


class VorlageListView(GrosseListeMixin, FilterView):
    filterset_class = VorlageFilter
    template_name = "vorlagen/vorlage_liste.html"
    context_object_name = "vorlagen"

    def get_queryset(self):
        user = self.request.user
        # The status of the Anträge and Anfragen among them, as this visitor may see it (other rows: none).
        return Vorlage.objects.sichtbar_fuer(user).antragsstatus_nachladen(user).fuer_liste().neueste()


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
            .antragsstatus_nachladen(user)
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
            sichtbare.antragsstatus_nachladen(user)
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
                *fassungen_prefetches(sichtbare),
                *weitere_dateien.prefetches(weitere_dateien.VORLAGE, user),
            )
        )

    def get_object(self, queryset=None):
        vorlage = super().get_object(queryset)
        # The authors and the answer, only for the kinds that have them (see urheber_und_antworten_laden).
        urheber_und_antworten_laden([vorlage], self.request.user)
        return vorlage

    def get_context_data(self, **kwargs):
        folgende = self.object.sichtbare_folgefassungen
        return super().get_context_data(
            ersetzt_durch=[f for f in folgende if f.bezugsart == Vorlage.Bezugsart.NEUFASSUNG],
            ergaenzt_durch=[f for f in folgende if f.bezugsart == Vorlage.Bezugsart.ERGAENZUNG],
            weitere_dateien=weitere_dateien.dateien(self.object, weitere_dateien.VORLAGE),
            **seitenteile.kontext(self.request, self.object, seitenteile.VORLAGE),
            **kwargs,
        )


def fassungen_prefetches(sichtbare):
    """The earlier version and the later ones of a Vorlage, each only if the visitor may see it: a hidden one is
    ``None`` (``bezug``) or missing (``folgefassungen``), so the page never names it."""
    return [
        Prefetch("bezug", queryset=sichtbare.select_related(None)),
        Prefetch("folgefassungen", queryset=sichtbare.order_by("datum", "pk"), to_attr="sichtbare_folgefassungen"),
    ]


class UnterschiedeView(DetailView):
    """The text difference between two versions of a Vorlage, both visible to the visitor (else 404).

    By default the Vorlage against the one it replaces or adds to (``bezug``); ``?mit=<kennung>`` compares it with
    another version: one with the same number (a Neufassung keeps it) or linked directly. ``?ansicht=inline``
    shows one column instead of the two side by side.
    """

    template_name = "vorlagen/unterschiede.html"
    context_object_name = "vorlage"
    slug_field = "kennung"
    slug_url_kwarg = "kennung"
    ANSICHTEN = ("nebeneinander", "inline")

    def get_queryset(self):
        return Vorlage.objects.sichtbar_fuer(self.request.user).select_related("dienststelle")

    def andere_fassung(self, vorlage):
        sichtbare = self.get_queryset()
        mit = self.request.GET.get("mit", "").strip()
        if not mit:
            if vorlage.bezug_id is None:
                raise Http404("Diese Vorlage hat keine frühere Fassung.")
            andere = sichtbare.filter(pk=vorlage.bezug_id).first()
        else:
            gleiche_nummer = Q(pk__in=Vorlage.objects.im_nummernkreis(vorlage.art, vorlage.jahr).values("pk"))
            gleiche_nummer &= Q(nummer=vorlage.nummer) if vorlage.nummer is not None else Q(pk__in=[])
            verknuepft = Q(pk=vorlage.bezug_id) | Q(bezug=vorlage)
            andere = sichtbare.filter(gleiche_nummer | verknuepft).exclude(pk=vorlage.pk).filter(kennung=mit).first()
        if andere is None:
            # Hidden or unknown alike: a diff never shows text of a version the visitor may not see.
            raise Http404("Die andere Fassung gibt es nicht oder sie ist nicht sichtbar.")
        return andere

    def get_context_data(self, **kwargs):
        vorlage = self.object
        andere = self.andere_fassung(vorlage)
        alt, neu = sorted([vorlage, andere], key=lambda v: (v.datum, v.pk))
        anlagen = Anlage.objects.sichtbar_fuer(self.request.user).filter(vorlage__in=[alt.pk, neu.pk])
        titel = {alt.pk: [], neu.pk: []}
        for vorlage_id, anlage_titel in anlagen.order_by("reihenfolge", "pk").values_list("vorlage_id", "titel"):
            titel[vorlage_id].append(anlage_titel)
        entfernt, hinzugefuegt = unterschiede.anlagen_vergleichen(titel[alt.pk], titel[neu.pk])
        ansicht = self.request.GET.get("ansicht")
        return super().get_context_data(
            alt=alt,
            neu=neu,
            andere=andere,
            abschnitte=abschnitte_mit_titel(alt, neu),
            anlagen_entfernt=entfernt,
            anlagen_hinzugefuegt=hinzugefuegt,
            ansicht=ansicht if ansicht in self.ANSICHTEN else self.ANSICHTEN[0],
            **kwargs,
        )


def abschnitte_mit_titel(alt, neu):
    """The compared sections of two Vorlagen, each with its field's name as heading: ``[(titel, abschnitt)]``."""
    abschnitte = unterschiede.abschnitte_vergleichen(
        {feld: getattr(alt, feld) for feld in TEXTFELDER}, {feld: getattr(neu, feld) for feld in TEXTFELDER}
    )
    return [(Vorlage._meta.get_field(a.feld).verbose_name, a) for a in abschnitte]


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
