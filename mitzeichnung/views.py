"""The Dienststelle's work area (its drafts, their text and route) and everyone's "Meine Aufgaben".

Staff of an Amt work here, not in the admin: they write and send their drafts, the Sitzungsdienst numbers,
publishes and puts them on agendas in the admin (docs/sitzungsdienst.md says why). Every list starts from the one
visibility rule (``Vorlage.objects.sichtbar_fuer``); a draft or step that is not the user's answers 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from gremien.models import Dienststellenzugehoerigkeit
from mitzeichnung import services
from mitzeichnung.filters import ArbeitsbereichFilter
from mitzeichnung.forms import EntscheidungForm, EntwurfForm, FreigabeForm, MitzeichnungFormSet
from mitzeichnung.models import Laufweg, Schritt
from vorlagen.models import TEXTFELDER, Vorlage
from vorlagen.services import textinhalt
from vorlagen.unterschiede import abschnitte_vergleichen

SITZUNGSMARKE = "mitzeichnung_aufgaben"


def marke_setzen(request, wert):
    """Remember in the session whether the user belongs to a Dienststelle: the site header shows "Meine Aufgaben"
    from it without a query on every page. Set at login and refreshed on every page of this app."""
    if request.session.get(SITZUNGSMARKE) != wert:
        request.session[SITZUNGSMARKE] = wert


def marke_nach_anmeldung(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        marke_setzen(request, Dienststellenzugehoerigkeit.objects.aktuell().filter(benutzer=user).exists())


class DienststellenMixin(LoginRequiredMixin):
    """The user's Dienststellen of today; the header's mark follows them."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            marke_setzen(request, bool(self.dienststellen))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def dienststellen(self):
        return list(
            Dienststellenzugehoerigkeit.objects.aktuell()
            .filter(benutzer=self.request.user)
            .order_by()
            .values_list("dienststelle", flat=True)
            .distinct()
        )

    def eigene_vorlagen(self):
        """The Vorlagen of the user's Dienststellen she may see (drafts and published ones)."""
        return Vorlage.objects.sichtbar_fuer(self.request.user).filter(dienststelle__in=self.dienststellen)

    def eigener_entwurf(self, pk):
        return get_object_or_404(self.eigene_vorlagen().select_related("dienststelle"), pk=pk)


def _letzter_laufweg(feld):
    return Subquery(Laufweg.objects.filter(vorlage=OuterRef("pk")).order_by("-gestartet_am", "-pk").values(feld)[:1])


class ArbeitsbereichView(DienststellenMixin, FilterView):
    filterset_class = ArbeitsbereichFilter
    template_name = "mitzeichnung/arbeitsbereich.html"
    context_object_name = "vorlagen"
    paginate_by = 20

    def get_queryset(self):
        return (
            self.eigene_vorlagen()
            .select_related("dienststelle")
            .annotate(laufweg_status=_letzter_laufweg("status"), laufweg_gestartet=_letzter_laufweg("gestartet_am"))
            .order_by("-geaendert_am", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            hat_dienststelle=bool(self.dienststellen),
            laufweg_status=dict(Laufweg.Status.choices),
            **kwargs,
        )


class EntwurfNeuView(DienststellenMixin, FormView):
    form_class = EntwurfForm
    template_name = "mitzeichnung/entwurf_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.dienststellen:
            raise Http404(_("Sie gehören keiner Dienststelle an."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "dienststellen": self.dienststellen}

    def form_valid(self, form):
        try:
            vorlage = services.entwurf_anlegen(user=self.request.user, daten=form.daten())
        except ValidationError as fehler:
            form.add_error(None, fehler)
            return self.form_invalid(form)
        messages.success(self.request, _("Der Entwurf ist gespeichert."))
        return redirect("mitzeichnung:entwurf", pk=vorlage.pk)


class EntwurfView(DienststellenMixin, FormView):
    """A Vorlage of the user's Dienststelle: a draft's text to edit, a published one to read, and its routes."""

    form_class = EntwurfForm
    template_name = "mitzeichnung/entwurf.html"

    @cached_property
    def vorlage(self):
        return self.eigener_entwurf(self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        if self.vorlage.ist_veroeffentlicht:
            messages.error(request, _("Eine veröffentlichte Vorlage ändert nur noch der Sitzungsdienst."))
            return redirect("mitzeichnung:entwurf", pk=self.vorlage.pk)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        # The Dienststellen to choose from: the user's, and the draft's own (she belongs to it, or it is not hers).
        return {**super().get_form_kwargs(), "instance": self.vorlage, "dienststellen": self.dienststellen}

    def get_context_data(self, **kwargs):
        laufwege = list(
            self.vorlage.laufwege.prefetch_related(
                Prefetch(
                    "schritte",
                    queryset=Schritt.objects.select_related(
                        "dienststelle", "zustaendig", "vertretung", "entschieden_von"
                    ),
                )
            ).order_by("-gestartet_am", "-pk")
        )
        return super().get_context_data(
            vorlage=self.vorlage,
            laufwege=laufwege,
            laeuft=any(laufweg.status == Laufweg.Status.LAUFEND for laufweg in laufwege),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            _vorlage, neue = services.entwurf_aendern(vorlage=self.vorlage, user=self.request.user, daten=form.daten())
        except ValidationError as fehler:
            form.add_error(None, fehler)
            return self.form_invalid(form)
        messages.success(self.request, _("Der Entwurf ist gespeichert."))
        if neue:
            messages.info(
                self.request,
                _("Der Text hat sich geändert: %(dienststellen)s werden erneut um Mitzeichnung gebeten.")
                % {"dienststellen": ", ".join(schritt.dienststelle.name for schritt in neue)},
            )
        return redirect("mitzeichnung:entwurf", pk=self.vorlage.pk)


class LaufwegStartenView(DienststellenMixin, TemplateView):
    """ "Auf den Laufweg schicken": the Mitzeichnungen (parallel or in order) and the Freigabe."""

    template_name = "mitzeichnung/laufweg_starten.html"

    @cached_property
    def vorlage(self):
        vorlage = self.eigener_entwurf(self.kwargs["pk"])
        if vorlage.ist_veroeffentlicht:
            raise Http404(_("Nur ein Entwurf geht auf den Laufweg."))
        return vorlage

    def formulare(self, daten=None):
        frist = timezone.localdate() + timezone.timedelta(days=14)
        zeilen = MitzeichnungFormSet(daten, prefix="mitzeichnung")
        freigabe = FreigabeForm(
            daten, prefix="freigabe", initial={"dienststelle": self.vorlage.dienststelle_id, "frist": frist}
        )
        return zeilen, freigabe

    def get(self, request, *args, **kwargs):
        zeilen, freigabe = self.formulare()
        return self.render_to_response(self.get_context_data(zeilen=zeilen, freigabe=freigabe))

    def post(self, request, *args, **kwargs):
        zeilen, freigabe = self.formulare(request.POST)
        if zeilen.is_valid() and freigabe.is_valid():
            mitzeichnungen = [form.eintrag() for form in zeilen if form.cleaned_data.get("dienststelle")]
            try:
                services.laufweg_starten(
                    vorlage=self.vorlage,
                    user=request.user,
                    mitzeichnungen=mitzeichnungen,
                    freigabe=freigabe.eintrag(),
                )
            except ValidationError as fehler:
                freigabe.add_error(None, fehler)
            else:
                messages.success(request, _("Der Entwurf ist auf dem Laufweg."))
                return redirect("mitzeichnung:entwurf", pk=self.vorlage.pk)
        return self.render_to_response(self.get_context_data(zeilen=zeilen, freigabe=freigabe), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(vorlage=self.vorlage, **kwargs)


class AufgabenView(DienststellenMixin, TemplateView):
    """Meine Aufgaben: the open steps the user may decide, by Frist, and the ones she decided lately."""

    template_name = "mitzeichnung/aufgaben.html"
    ZULETZT = 10

    def get_context_data(self, **kwargs):
        user = self.request.user
        offen = list(Schritt.objects.offen_fuer(user))
        entschieden = list(
            Schritt.objects.filter(entschieden_von=user)
            .select_related("laufweg__vorlage", "dienststelle")
            .order_by("-entschieden_am", "-pk")[: self.ZULETZT]
        )
        return super().get_context_data(offen=offen, entschieden=entschieden, heute=timezone.localdate(), **kwargs)


class AufgabeView(DienststellenMixin, FormView):
    """One open step: the Vorlage's text as stored, what changed since the Dienststelle saw it, the decision."""

    template_name = "mitzeichnung/aufgabe.html"
    form_class = EntscheidungForm

    @cached_property
    def schritt(self):
        return get_object_or_404(
            Schritt.objects.offen_fuer(self.request.user).select_related("wiederholung_von__textstand"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "schritt": self.schritt}

    def get_context_data(self, **kwargs):
        vorlage = self.schritt.laufweg.vorlage
        jetzt = textinhalt(vorlage)
        vorher = self.schritt.wiederholung_von.textstand if self.schritt.wiederholung_von_id else None
        felder = {feld: Vorlage._meta.get_field(feld).verbose_name for feld in TEXTFELDER}
        return super().get_context_data(
            schritt=self.schritt,
            vorlage=vorlage,
            abschnitte=vorlage.abschnitte(),
            vorher=vorher,
            # The public diff's comparison, paragraph by paragraph; only the sections that changed.
            unterschiede=[
                {"titel": felder.get(abschnitt.feld, abschnitt.feld), "absaetze": abschnitt.absaetze}
                for abschnitt in (abschnitte_vergleichen(vorher.inhalt, jetzt) if vorher else [])
                if abschnitt.geaendert
            ],
            vertretung_fuer=(
                self.schritt.zustaendig
                if self.schritt.vertretung_id == self.request.user.pk and self.schritt.zustaendig_id
                else None
            ),
            heute=timezone.localdate(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.schritt_entscheiden(
                schritt=self.schritt,
                user=self.request.user,
                entscheidung=form.cleaned_data["entscheidung"],
                anmerkung=form.cleaned_data["anmerkung"],
            )
        except ValidationError as fehler:
            form.add_error(None, fehler)
            return self.form_invalid(form)
        messages.success(self.request, _("Ihre Entscheidung ist gespeichert."))
        return redirect("mitzeichnung:aufgaben")
