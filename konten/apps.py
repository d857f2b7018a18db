from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KontenConfig(AppConfig):
    """Accounts of councillors and clerks: login with its throttle, password reset and change, "Meine Sitzungen";
    the councillors' notifications by e-mail (their settings page, the sending command, the one-click unsubscribe)."""

    name = "konten"
    verbose_name = _("Konten")
