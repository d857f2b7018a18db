from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KontenConfig(AppConfig):
    """Accounts of councillors and clerks: login with its throttle, password reset and change, "Meine Sitzungen";
    the account page that notification settings will join."""

    name = "konten"
    verbose_name = _("Konten")
