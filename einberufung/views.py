"""The clerk's page of the Einberufung and its proof as a PDF.

Like protokoll's recording page: outside /admin/, for active staff with the permission to see Einberufungen;
sending needs the permission to add one. For everybody else the pages do not exist (404); anonymous visitors are
sent to the login. Sending is a two-step form: the preview shows the mail and the Frist, the confirmation sends.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from einberufung import services
from einberufung.forms import BekanntmachungForm, VersandForm
from einberufung.models import Einberufung, Ladung
from einberufung.pdf import nachweis_pdf
from post.models import Nachricht
from post.services import erneut_senden
from sitzungen.models import Sitzung

ANSEHEN = "einberufung.view_einberufung"
VERSENDEN = "einberufung.add_einberufung"


def einberufungen_der_sitzung(sitzung):
    """The Einberufungen of a Sitzung with their Ladungen and messages: three queries, whatever their number."""
    ladungen = Ladung.objects.select_related("nachricht").order_by("rolle", "name", "pk")
    return list(
        Einberufung.objects.filter(sitzung=sitzung)
        .select_related("versendet_von")
        .prefetch_related(Prefetch("ladungen", queryset=ladungen))
        .order_by("nummer")
    )


def zusammenfassen(einberufung):
    """Counts of one Einberufung for the page and the proof (from the prefetched Ladungen)."""
    ladungen = list(einberufung.ladungen.all())
    status = dict.fromkeys(Nachricht.Status.values, 0)
    for ladung in ladungen:
        status[ladung.nachricht.status] += 1
    einberufung.mitglieder_geladen = sum(1 for ladung in ladungen if ladung.rolle != Ladung.Rolle.WEITERE)
    einberufung.weitere_geladen = len(ladungen) - einberufung.mitglieder_geladen
    einberufung.status_zaehlung = status
    einberufung.fehlgeschlagen = status[Nachricht.Status.FEHLGESCHLAGEN]
    einberufung.offen = status[Nachricht.Status.WARTEND] + status[Nachricht.Status.IN_ARBEIT]
    return einberufung


class SachbearbeitungMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_staff and user.is_active and user.has_perm(ANSEHEN)):
            raise Http404(_("Diese Seite gibt es nicht."))
        return super().dispatch(request, *args, **kwargs)

    def sitzung_lesen(self, pk):
        return get_object_or_404(
            Sitzung.objects.sichtbar_fuer(self.request.user).select_related("ausschuss", "ort"), pk=pk
        )


class EinberufungView(SachbearbeitungMixin, View):
    template_name = "einberufung/einberufung.html"

    def get(self, request, pk):
        sitzung = self.sitzung_lesen(pk)
        return self.seite(sitzung)

    def post(self, request, pk):
        sitzung = self.sitzung_lesen(pk)
        if not request.user.has_perm(VERSENDEN):
            messages.error(request, _("Sie dürfen keine Einladungen versenden."))
            return self.seite(sitzung, status=403)
        aktion = request.POST.get("aktion")
        if aktion == "bekanntmachung":
            return self.bekanntmachung(sitzung)
        if aktion == "erneut":
            return self.erneut(sitzung)
        if aktion not in ("vorschau", "senden"):
            return self.seite(sitzung, status=400, fehler=_("Unbekannte Aktion."))
        art = request.POST.get("art")
        if art not in Einberufung.Art.values:
            return self.seite(sitzung, status=400, fehler=_("Unbekannte Art der Einberufung."))
        form = VersandForm(request.POST)
        if not form.is_valid():
            return self.seite(sitzung, versand_form=form)
        angaben = {
            "sitzung": sitzung,
            "notfall_begruendung": form.cleaned_data["notfall_begruendung"],
            "weitere_empfaenger": form.cleaned_data["weitere_empfaenger"],
        }
        try:
            if aktion == "vorschau":
                plan, betreff, text = services.vorschau(user=request.user, art=art, **angaben)
                return self.seite(sitzung, versand_form=form, vorschau={"plan": plan, "betreff": betreff, "text": text})
            versenden = (
                services.einladung_versenden if art == Einberufung.Art.EINLADUNG else services.nachtrag_versenden
            )
            versand = versenden(user=request.user, **angaben)
        except ValidationError as fehler:
            feld = "notfall_begruendung" if getattr(fehler, "code", None) == "notfall_begruendung" else None
            for meldung in fehler.messages:
                form.add_error(feld, meldung)
            return self.seite(sitzung, versand_form=form)
        messages.success(
            request,
            _("%(einberufung)s: %(anzahl)s Nachrichten sind im Postausgang und werden jetzt versandt.")
            % {"einberufung": versand.einberufung, "anzahl": len(versand.ladungen)},
        )
        if versand.ohne_adresse:
            messages.warning(
                request,
                _("Ohne E-Mail-Adresse, bitte auf anderem Weg laden: %(namen)s")
                % {"namen": ", ".join(person.name for person in versand.ohne_adresse)},
            )
        if versand.ohne_aenderung:
            messages.info(
                request,
                _("Keine für sie sichtbare Änderung, daher keine Nachricht an: %(namen)s")
                % {"namen": ", ".join(versand.ohne_aenderung)},
            )
        return redirect("einberufung:einberufung", pk=sitzung.pk)

    def bekanntmachung(self, sitzung):
        form = BekanntmachungForm(self.request.POST, instance=sitzung)
        if not form.is_valid():
            return self.seite(sitzung, bekanntmachung_form=form)
        try:
            services.bekanntmachung_erfassen(
                sitzung=sitzung, datum=form.cleaned_data["bekanntmachung_am"], user=self.request.user
            )
        except ValidationError as fehler:
            for meldung in fehler.messages:
                form.add_error(None, meldung)
            return self.seite(sitzung, bekanntmachung_form=form)
        messages.success(self.request, _("Das Datum der Bekanntmachung ist gespeichert."))
        return redirect("einberufung:einberufung", pk=sitzung.pk)

    def erneut(self, sitzung):
        anzahl = erneut_senden(
            nachrichten=Nachricht.objects.filter(
                ladung__einberufung__sitzung=sitzung, status=Nachricht.Status.FEHLGESCHLAGEN
            )
        )
        messages.success(self.request, _("%(anzahl)s Nachrichten werden erneut gesendet.") % {"anzahl": anzahl})
        return redirect("einberufung:einberufung", pk=sitzung.pk)

    def seite(self, sitzung, *, status=200, fehler=None, versand_form=None, bekanntmachung_form=None, vorschau=None):
        einberufungen = [zusammenfassen(einberufung) for einberufung in einberufungen_der_sitzung(sitzung)]
        _empfaenger, ohne_adresse, mitglieder = services.mitglieder_am_sitzungstag(sitzung)
        jetzt = timezone.now()
        art = Einberufung.Art.NACHTRAG if einberufungen else Einberufung.Art.EINLADUNG
        antwort = TemplateResponse(
            self.request,
            self.template_name,
            {
                "sitzung": sitzung,
                "einberufungen": einberufungen,
                "einladung": einberufungen[0] if einberufungen else None,
                "ohne_adresse": ohne_adresse,
                "mitglieder": mitglieder,
                "ladungsfrist": services.ladungsfrist(sitzung.ausschuss),
                "tage": services.tage_bis_zur_sitzung(sitzung=sitzung, jetzt=jetzt),
                "begonnen": sitzung.beginn <= jetzt,
                "art": art,
                "fehlgeschlagen": sum(einberufung.fehlgeschlagen for einberufung in einberufungen),
                "fehler": fehler,
                "versand_form": versand_form or VersandForm(),
                "bekanntmachung_form": bekanntmachung_form or BekanntmachungForm(instance=sitzung),
                "vorschau": vorschau,
                "darf_versenden": self.request.user.has_perm(VERSENDEN),
            },
            status=status,
        )
        # Addresses of councillors: no shared cache keeps the page.
        patch_cache_control(antwort, private=True, no_store=True)
        return antwort


class NachweisPdfView(SachbearbeitungMixin, View):
    """The "Nachweis der Einberufung": rendered at once (a few pages, no Anlagen), never cached."""

    def get(self, request, pk):
        sitzung = self.sitzung_lesen(pk)
        einberufungen = [zusammenfassen(einberufung) for einberufung in einberufungen_der_sitzung(sitzung)]
        inhalt = nachweis_pdf(
            sitzung=sitzung, einberufungen=einberufungen, ladungsfrist=services.ladungsfrist(sitzung.ausschuss)
        )
        antwort = HttpResponse(inhalt, content_type="application/pdf")
        antwort["Content-Disposition"] = f'inline; filename="nachweis-einberufung-{sitzung.pk}.pdf"'
        patch_cache_control(antwort, private=True, no_store=True)
        return antwort
