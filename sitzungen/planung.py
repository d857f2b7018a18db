"""The clerk's agenda page: the Tagesordnung of a Sitzung planned from the pool ("Vorrat") of released Vorlagen.

Like einberufung's page: outside /admin/, for active staff with the permission to change Sitzungen; for everybody
else the page does not exist (404), anonymous visitors are sent to the login. Plain forms, POST-redirect-GET and
messages: it works without JavaScript. The writes are the services in sitzungen/services.py.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from sitzungen import services
from sitzungen.models import Beratung, Sitzung, Tagesordnungsaenderung, Tagesordnungspunkt
from vorlagen.models import Vorlage

PLANEN = "sitzungen.change_sitzung"


class AufnehmenForm(forms.Form):
    beratungen = forms.ModelMultipleChoiceField(
        queryset=Beratung.objects.none(),
        label=gettext_lazy("Vorlagen aus dem Vorrat"),
        error_messages={
            "required": gettext_lazy("Bitte wählen Sie mindestens eine Vorlage aus dem Vorrat."),
            "invalid_choice": gettext_lazy("Diese Vorlage ist nicht (mehr) im Vorrat; bitte laden Sie die Seite neu."),
            "invalid_pk_value": gettext_lazy("Ungültige Auswahl."),
        },
    )

    def __init__(self, *args, sitzung, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beratungen"].queryset = Beratung.objects.im_vorrat_fuer(sitzung)

    def reihenfolge(self):
        """The chosen rows in the order the clerk gave ("Platz" per row; empty: after the numbered, as listed)."""
        gewaehlt = list(self.cleaned_data["beratungen"])
        plaetze = {}
        for beratung in gewaehlt:
            wert = (self.data.get(f"platz-{beratung.pk}") or "").strip()
            if not wert:
                continue
            if not wert.isdigit() or not 1 <= int(wert) <= 999:
                raise ValidationError(
                    _("Der Platz muss eine ganze Zahl zwischen 1 und 999 sein (%(vorlage)s).")
                    % {"vorlage": beratung.vorlage.bezeichnung}
                )
            plaetze[beratung.pk] = int(wert)
        vorrat = list(self.fields["beratungen"].queryset.values_list("pk", flat=True))
        return sorted(gewaehlt, key=lambda b: (plaetze.get(b.pk, 1000), vorrat.index(b.pk)))


class TopForm(forms.Form):
    tagesordnungspunkt = forms.ModelChoiceField(
        queryset=Tagesordnungspunkt.objects.none(),
        error_messages={"invalid_choice": gettext_lazy("Diesen Tagesordnungspunkt gibt es hier nicht (mehr).")},
    )
    position = forms.IntegerField(label=gettext_lazy("an Position"), required=False, min_value=1, max_value=999)

    def __init__(self, *args, sitzung, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tagesordnungspunkt"].queryset = Tagesordnungspunkt.objects.filter(sitzung=sitzung)


class TagesordnungPlanenView(LoginRequiredMixin, View):
    template_name = "sitzungen/tagesordnung_planen.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_staff and user.is_active and user.has_perm(PLANEN)):
            raise Http404(_("Diese Seite gibt es nicht."))
        return super().dispatch(request, *args, **kwargs)

    def sitzung_lesen(self, pk):
        return get_object_or_404(
            Sitzung.objects.sichtbar_fuer(self.request.user).select_related("ausschuss", "ort"), pk=pk
        )

    def get(self, request, pk):
        return self.seite(self.sitzung_lesen(pk))

    def post(self, request, pk):
        sitzung = self.sitzung_lesen(pk)
        aktion = request.POST.get("aktion")
        user = request.user
        try:
            if aktion == "aufnehmen":
                form = AufnehmenForm(request.POST, sitzung=sitzung)
                if not form.is_valid():
                    return self.seite(sitzung, status=400, fehler=self.fehlertexte(form))
                neue = services.auf_tagesordnung_setzen(sitzung=sitzung, beratungen=form.reihenfolge(), user=user)
                meldung = _("Auf die Tagesordnung gesetzt: %(tops)s") % {
                    "tops": ", ".join(top.bezeichnung for top in neue)
                }
            elif aktion in ("hoch", "runter", "position", "entfernen"):
                form = TopForm(request.POST, sitzung=sitzung)
                if not form.is_valid():
                    return self.seite(sitzung, status=400, fehler=self.fehlertexte(form))
                top = form.cleaned_data["tagesordnungspunkt"]
                if aktion == "entfernen":
                    bezeichnung = top.bezeichnung
                    services.top_entfernen(tagesordnungspunkt=top, user=user)
                    meldung = _("%(top)s ist von der Tagesordnung genommen; die Vorlage ist wieder im Vorrat.") % {
                        "top": bezeichnung
                    }
                else:
                    if aktion == "position" and form.cleaned_data["position"] is None:
                        raise ValidationError(_("Bitte geben Sie die Position an."))
                    top = services.top_verschieben(
                        tagesordnungspunkt=top,
                        user=user,
                        richtung=aktion if aktion != "position" else None,
                        position=form.cleaned_data["position"],
                    )
                    meldung = _("%(top)s ist verschoben.") % {"top": top.bezeichnung}
            elif aktion == "nummerieren":
                geaendert = services.tops_nummerieren(sitzung=sitzung, user=user)
                meldung = (
                    _("Die Nummern sind neu vergeben (%(anzahl)s geändert).") % {"anzahl": len(geaendert)}
                    if geaendert
                    else _("Die Nummern waren schon in Ordnung.")
                )
            else:
                return self.seite(sitzung, status=400, fehler=_("Unbekannte Aktion."))
        except ValidationError as fehler:
            return self.seite(sitzung, status=400, fehler=" ".join(fehler.messages))
        messages.success(request, meldung)
        return redirect("sitzungen:tagesordnung-planen", pk=sitzung.pk)

    @staticmethod
    def fehlertexte(form):
        return " ".join(meldung for fehler in form.errors.values() for meldung in fehler)

    def seite(self, sitzung, *, status=200, fehler=None):
        user = self.request.user
        tops = list(
            Tagesordnungspunkt.objects.filter(sitzung=sitzung)
            .order_by("-oeffentlich", "reihenfolge", "pk")
            .prefetch_related(Prefetch("vorlagen", queryset=Vorlage.objects.order_by("jahr", "nummer", "pk")))
        )
        vorrat = list(Beratung.objects.im_vorrat_fuer(sitzung))
        verlauf = list(
            Tagesordnungsaenderung.objects.filter(sitzung=sitzung)
            .select_related("user", "vorlage")
            .order_by("-zeitpunkt", "-pk")
        )
        antwort = TemplateResponse(
            self.request,
            self.template_name,
            {
                "sitzung": sitzung,
                "oeffentliche": [top for top in tops if top.oeffentlich],
                "nichtoeffentliche": [top for top in tops if not top.oeffentlich],
                "vorrat": vorrat,
                "verlauf": verlauf,
                "fehler": fehler,
                "planbar": sitzung.status not in (Sitzung.Status.ABGESAGT, Sitzung.Status.ABGESCHLOSSEN),
                "darf_einberufung_sehen": user.has_perm("einberufung.view_einberufung"),
            },
            status=status,
        )
        # Drafts and non-public papers: no shared cache keeps the page.
        patch_cache_control(antwort, private=True, no_store=True)
        return antwort
