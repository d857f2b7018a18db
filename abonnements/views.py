"""The citizens' subscription pages under /abo/ and the privacy notice /datenschutz/.

None of them is cached (``never_cache``): they carry personal tokens and forms, and the page cache
(``betrieb.seitencache``) leaves pages marked private alone. Bad input answers with a German page and a 4xx status.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from abonnements import services
from abonnements.drossel import AboDrossel
from abonnements.forms import (
    AbonnierenFormular,
    GegenstandFehlt,
    RhythmusFormular,
    VerwaltungslinkFormular,
    einwilligung_text,
    gegenstand_lesen,
)
from abonnements.models import Abonnement, Abonnent
from ratsinfo.clientadresse import client_ip

logger = logging.getLogger("ratsinfo.abonnements")


def fehlerseite(request, grund, status):
    return TemplateResponse(request, "abo/fehler.html", {"grund": grund, "status": status}, status=status)


def _gedrosselt(request, form, adresse):
    """The German refusal (and a log line) when the request is over a limit; else counts it and returns None."""
    ip = client_ip(request)
    drossel = AboDrossel(adresse, ip)
    if grund := drossel.ablehnungsgrund():
        logger.warning("Abonnement-Anfrage abgewiesen: zu viele Anfragen (Adresse %s).", ip or "unbekannt")
        form.add_error(None, grund)
        return True
    drossel.zaehlen()
    return False


@method_decorator(never_cache, name="dispatch")
class AbonnierenView(View):
    """/abo/neu/?gremium=…|vorlage=…|person=…|suche=…: e-mail, rhythm, consent; then the confirmation mail."""

    template_name = "abo/neu.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.gegenstand, self.titel = gegenstand_lesen(request.GET)
        except GegenstandFehlt as fehler:
            return fehlerseite(request, str(fehler), 404)
        return super().dispatch(request, *args, **kwargs)

    def seite(self, form, status=200):
        kontext = {"form": form, "titel": self.titel, "art": self.gegenstand["art"], "gegenstand": self.gegenstand}
        return TemplateResponse(self.request, self.template_name, kontext, status=status)

    def get(self, request, *args, **kwargs):
        return self.seite(AbonnierenFormular())

    def post(self, request, *args, **kwargs):
        form = AbonnierenFormular(request.POST)
        if not form.is_valid():
            return self.seite(form, status=400)
        adresse = form.cleaned_data["adresse"]
        if _gedrosselt(request, form, adresse):
            return self.seite(form, status=429)
        try:
            services.abonnieren(
                adresse=adresse,
                gegenstand=self.gegenstand,
                rhythmus=form.cleaned_data["rhythmus"],
                einwilligung_text=einwilligung_text(),
            )
        except ValidationError as fehler:
            for meldung in fehler.messages:
                form.add_error(None, meldung)
            return self.seite(form, status=400)
        # The same answer whether the address was new, waiting or already subscribed.
        return TemplateResponse(request, "abo/gesendet.html", {"adresse": adresse, "titel": self.titel})


@method_decorator(never_cache, name="dispatch")
class BestaetigenView(View):
    """The link of the confirmation mail: GET shows a button, POST confirms (a mail scanner's GET confirms nothing)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.abonnement = services.abonnement_zur_signatur(kwargs["signatur"])
        except services.LinkUngueltig as fehler:
            return fehlerseite(request, fehler.grund, fehler.status)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return TemplateResponse(request, "abo/bestaetigen.html", {"abonnement": self.abonnement})

    def post(self, request, *args, **kwargs):
        services.bestaetigen(abonnement=self.abonnement, einwilligung_text=einwilligung_text())
        return TemplateResponse(
            request, "abo/bestaetigt.html", {"abonnement": self.abonnement, "abonnent": self.abonnement.abonnent}
        )


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class AbbestellenView(View):
    """One click from every mail: GET shows a button, POST unsubscribes. RFC 8058: a mail client POSTs
    ``List-Unsubscribe=One-Click`` without a CSRF token, so the token in the address is the only proof needed."""

    def dispatch(self, request, *args, **kwargs):
        self.abonnement = (
            Abonnement.objects.select_related("abonnent", "ausschuss", "vorlage", "person")
            .mit_oeffentlichkeit()
            .filter(token=kwargs["token"])
            .first()
        )
        if self.abonnement is None:
            return fehlerseite(
                request,
                _("Dieses Abonnement gibt es nicht (mehr). Vielleicht haben Sie es schon abbestellt."),
                404,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return TemplateResponse(request, "abo/abbestellen.html", {"abonnement": self.abonnement})

    def post(self, request, *args, **kwargs):
        adresse_geloescht = services.abbestellen(abonnement=self.abonnement)
        return TemplateResponse(
            request,
            "abo/abbestellt.html",
            {"abonnement": self.abonnement, "adresse_geloescht": adresse_geloescht},
        )


@method_decorator(never_cache, name="dispatch")
class VerwaltenView(View):
    """/abo/verwalten/<token>/: every subscription of one address; change the rhythm, delete one or all."""

    def dispatch(self, request, *args, **kwargs):
        self.abonnent = Abonnent.objects.filter(token=kwargs["token"]).first()
        if self.abonnent is None:
            return fehlerseite(
                request,
                _(
                    "Diesen Link zur Verwaltung gibt es nicht (mehr). Unter „Abonnements verwalten“ können Sie sich "
                    "einen neuen schicken lassen."
                ),
                404,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        abonnements = (
            self.abonnent.abonnements.select_related("ausschuss", "vorlage", "person")
            .mit_oeffentlichkeit()
            .order_by("erstellt_am", "pk")
        )
        return TemplateResponse(
            request,
            "abo/verwalten.html",
            {"abonnent": self.abonnent, "abonnements": abonnements, "rhythmen": Abonnement.Rhythmus.choices},
        )

    def post(self, request, *args, **kwargs):
        aktion = request.POST.get("aktion", "")
        if aktion == "alle_loeschen":
            services.alle_loeschen(abonnent=self.abonnent)
            return TemplateResponse(request, "abo/geloescht.html", {})
        pk = request.POST.get("abonnement", "")
        abonnement = self.abonnent.abonnements.filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() else None
        if abonnement is None:
            return fehlerseite(request, _("Dieses Abonnement gibt es unter Ihrer Adresse nicht (mehr)."), 400)
        if aktion == "loeschen":
            meldung = _("Das Abonnement „%(titel)s“ ist gelöscht.") % self._titel(abonnement)
            if services.abbestellen(abonnement=abonnement):
                return TemplateResponse(request, "abo/geloescht.html", {})
            messages.success(request, meldung)
        elif aktion == "rhythmus":
            form = RhythmusFormular(request.POST)
            if not form.is_valid():
                return fehlerseite(request, _("Bitte wählen Sie täglich oder wöchentlich."), 400)
            services.rhythmus_aendern(abonnement=abonnement, rhythmus=form.cleaned_data["rhythmus"])
            messages.success(request, _("Der Rhythmus ist geändert."))
        else:
            return fehlerseite(request, _("Diese Aktion gibt es nicht."), 400)
        return redirect(self.abonnent)

    @staticmethod
    def _titel(abonnement):
        sichtbar = Abonnement.objects.mit_oeffentlichkeit().filter(pk=abonnement.pk, gegenstand_oeffentlich=True)
        return {"titel": abonnement.gegenstand_text() if sichtbar.exists() else _("nicht mehr öffentlich")}


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class AlleAbbestellenView(View):
    """The one-click link of a digest that groups several subscriptions (RFC 8058): the mail client's button must
    stop the whole digest, not one part of it. Like ``AbbestellenView`` without a CSRF token: the address's token is
    the proof. GET shows a button, POST deletes every subscription and the address."""

    def dispatch(self, request, *args, **kwargs):
        self.abonnent = Abonnent.objects.filter(token=kwargs["token"]).first()
        if self.abonnent is None:
            return fehlerseite(
                request,
                _("Diese Adresse ist nicht (mehr) gespeichert. Vielleicht haben Sie schon alles abbestellt."),
                404,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return TemplateResponse(request, "abo/alle_abbestellen.html", {"abonnent": self.abonnent})

    def post(self, request, *args, **kwargs):
        services.alle_loeschen(abonnent=self.abonnent)
        return TemplateResponse(request, "abo/geloescht.html", {})


@method_decorator(never_cache, name="dispatch")
class VerwaltungslinkView(View):
    """/abo/verwalten/: the manage link by mail. The answer is the same for known and unknown addresses."""

    template_name = "abo/verwaltungslink.html"

    def get(self, request, *args, **kwargs):
        return TemplateResponse(request, self.template_name, {"form": VerwaltungslinkFormular()})

    def post(self, request, *args, **kwargs):
        form = VerwaltungslinkFormular(request.POST)
        if not form.is_valid():
            return TemplateResponse(request, self.template_name, {"form": form}, status=400)
        adresse = form.cleaned_data["adresse"]
        if _gedrosselt(request, form, adresse):
            return TemplateResponse(request, self.template_name, {"form": form}, status=429)
        services.verwaltungslink_senden(adresse=adresse)
        return TemplateResponse(request, self.template_name, {"gesendet": True, "adresse": adresse})


class DatenschutzView(TemplateView):
    template_name = "abo/datenschutz.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kontakt=settings.RATSINFO_DATENSCHUTZ_KONTAKT,
            verwalten_url=reverse("abo:verwaltungslink"),
            tage=settings.RATSINFO_ABO_BESTAETIGUNG_TAGE,
            **kwargs,
        )
