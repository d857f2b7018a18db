"""The login forms of the councillors (``/konto/anmelden/``) and of the admin, both throttled (``konten.drossel``);
the choice of notifications (``/konto/benachrichtigungen/``)."""

import logging

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from konten.drossel import Anmeldesperre, sperrmeldung
from konten.models import Benachrichtigungseinstellung
from ratsinfo.clientadresse import client_ip

# The name the refusals were logged under before the app existed: operators filter and alert on it.
logger = logging.getLogger("ratsinfo.konten")


class GedrosselteAnmeldungMixin:
    """Refuses logins for a name or address with too many recent failures, without checking the password."""

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()
        ip = client_ip(self.request) if self.request is not None else None
        sperre = Anmeldesperre(username, ip)
        if sperre.gesperrt():
            logger.warning("Anmeldung abgewiesen: zu viele Fehlversuche (Adresse %s).", ip or "unbekannt")
            raise ValidationError(sperrmeldung(), code="zu_viele_fehlversuche")
        try:
            cleaned_data = super().clean()
        except ValidationError:
            sperre.fehlversuch()
            raise
        sperre.aufheben()
        return cleaned_data


class AnmeldeFormular(GedrosselteAnmeldungMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Benutzername oder Passwort ist falsch. Bitte achten Sie auch auf Groß- und Kleinschreibung."
        ),
        "inactive": _("Dieses Konto ist deaktiviert."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Benutzername")
        self.fields["password"].label = _("Passwort")


class AdminAnmeldeFormular(GedrosselteAnmeldungMixin, AdminAuthenticationForm):
    """The admin's login (staff only), sharing the counters of the councillors' login."""


class BenachrichtigungenFormular(forms.ModelForm):
    """What a councillor wants to be told by e-mail, and how often (``konto:benachrichtigungen``)."""

    class Meta:
        model = Benachrichtigungseinstellung
        fields = ["neue_vorlagen", "tagesordnung", "nachtraege", "niederschriften", "rhythmus"]
        widgets = {"rhythmus": forms.RadioSelect}
