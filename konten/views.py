"""Councillors' accounts: login, logout, password reset (throttled) and change, "Meine Sitzungen", notifications.

How the login and the reset mails are throttled is described in ``konten.drossel``.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from gremien.models import Ausschuss
from konten.drossel import Anmeldesperre, PasswortDrossel
from konten.forms import AnmeldeFormular, BenachrichtigungenFormular
from konten.models import Benachrichtigungseinstellung
from konten.services import abmelde_token_lesen, benachrichtigungen_abbestellen, benachrichtigungen_einstellen
from ratsinfo.clientadresse import client_ip
from sitzungen.models import Sitzung

# The name the refusals were logged under before the app existed: operators filter and alert on it.
logger = logging.getLogger("ratsinfo.konten")


class AnmeldenView(auth_views.LoginView):
    form_class = AnmeldeFormular
    template_name = "konto/anmelden.html"


class AbmeldenView(auth_views.LogoutView):
    """POST only (Django's LogoutView); redirects to LOGOUT_REDIRECT_URL."""


class PasswortVergessenView(auth_views.PasswordResetView):
    template_name = "konto/passwort_vergessen.html"
    email_template_name = "konto/passwort_vergessen_mail.txt"
    subject_template_name = "konto/passwort_vergessen_betreff.txt"
    success_url = reverse_lazy("konto:passwort-vergessen-gesendet")

    def form_valid(self, form):
        ip = client_ip(self.request)
        drossel = PasswortDrossel(form.cleaned_data["email"], ip)
        if grund := drossel.ablehnungsgrund():
            logger.warning("Passwort-Link abgewiesen: zu viele Anfragen (Adresse %s).", ip or "unbekannt")
            form.add_error(None, grund)
            antwort = self.form_invalid(form)
            antwort.status_code = 429
            return antwort
        drossel.zaehlen()
        return super().form_valid(form)

    @property
    def extra_email_context(self):
        # Mails are rendered without the request's context processors.
        return {"koerperschaft": settings.RATSINFO_KOERPERSCHAFT}


class PasswortVergessenGesendetView(auth_views.PasswordResetDoneView):
    template_name = "konto/passwort_vergessen_gesendet.html"


class PasswortNeuView(auth_views.PasswordResetConfirmView):
    template_name = "konto/passwort_neu.html"
    success_url = reverse_lazy("konto:passwort-neu-fertig")

    def form_valid(self, form):
        # Whoever proved access to the mailbox may log in at once, even if someone else caused a lock.
        Anmeldesperre(form.user.get_username()).aufheben()
        return super().form_valid(form)


class PasswortNeuFertigView(auth_views.PasswordResetCompleteView):
    template_name = "konto/passwort_neu_fertig.html"


class PasswortAendernView(auth_views.PasswordChangeView):
    template_name = "konto/passwort_aendern.html"
    success_url = reverse_lazy("konto:passwort-geaendert")


class PasswortGeaendertView(auth_views.PasswordChangeDoneView):
    template_name = "konto/passwort_geaendert.html"


def meine_sitzungen(user, ab=None):
    """Upcoming Sitzungen (from the start of today, so a running one stays) of the committees ``user`` sits on
    today, with their agenda: every TOP marked by the visibility rule, the visible Vorlagen of each prefetched."""
    ab = ab or timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return (
        Sitzung.objects.sichtbar_fuer(user)
        .filter(ausschuss__in=Ausschuss.objects.mit_mitglied(user))
        .kommende(jetzt=ab)
        .fuer_liste()
        .mit_tagesordnung(user)
    )


class MeineSitzungenView(LoginRequiredMixin, TemplateView):
    template_name = "konto/meine_sitzungen.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        person = getattr(user, "person", None)
        if person is None:
            return super().get_context_data(person=None, mitgliedschaften=[], sitzungen=[], **kwargs)
        mitgliedschaften = (
            person.mitgliedschaften.aktuell()
            .select_related("ausschuss")
            .order_by("ausschuss__reihenfolge", "ausschuss__name", "pk")
        )
        return super().get_context_data(
            person=person, mitgliedschaften=mitgliedschaften, sitzungen=meine_sitzungen(user), **kwargs
        )


class BenachrichtigungenView(LoginRequiredMixin, FormView):
    """The councillor chooses which news reach her by e-mail and how often."""

    template_name = "konto/benachrichtigungen.html"
    form_class = BenachrichtigungenFormular

    def get_form_kwargs(self):
        einstellung = Benachrichtigungseinstellung.objects.filter(benutzer=self.request.user).first()
        return {**super().get_form_kwargs(), "instance": einstellung}

    def form_valid(self, form):
        benachrichtigungen_einstellen(benutzer=self.request.user, **form.cleaned_data)
        return redirect(f"{reverse('konto:benachrichtigungen')}?gespeichert=1")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            gespeichert="gespeichert" in self.request.GET,
            ohne_adresse=not user.email,
            ohne_person=getattr(user, "person", None) is None,
            **kwargs,
        )


@method_decorator(csrf_exempt, name="dispatch")
class BenachrichtigungenAbbestellenView(TemplateView):
    """The link in every notification (``List-Unsubscribe``): a GET asks, a POST switches everything off.

    Without CSRF token and without login, as RFC 8058 requires of the one-click POST a mail program sends
    (body ``List-Unsubscribe=One-Click``); the signed token in the address is the proof. A forged or expired
    token answers 400 with the reason.
    """

    template_name = "konto/benachrichtigungen_abbestellen.html"

    def dispatch(self, request, *args, token, **kwargs):
        try:
            self.benutzer = get_user_model().objects.get(pk=abmelde_token_lesen(token))
        except signing.SignatureExpired:
            return self._ungueltig(_("Der Link ist abgelaufen."))
        except (signing.BadSignature, get_user_model().DoesNotExist):
            return self._ungueltig(_("Der Link ist ungültig oder unvollständig."))
        return super().dispatch(request, *args, **kwargs)

    def _ungueltig(self, grund):
        return render(self.request, "konto/benachrichtigungen_abbestellen_ungueltig.html", {"grund": grund}, status=400)

    def post(self, request, *args, **kwargs):
        benachrichtigungen_abbestellen(benutzer=self.benutzer)
        return self.render_to_response(self.get_context_data(abbestellt=True))
