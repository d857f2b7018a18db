"""Councillors' accounts: login, logout, password reset (throttled) and change, "Meine Sitzungen".

How the login and the reset mails are throttled is described in ``konten.drossel``.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.generic import TemplateView

from gremien.models import Ausschuss
from konten.drossel import Anmeldesperre, PasswortDrossel, client_ip
from konten.forms import AnmeldeFormular
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
