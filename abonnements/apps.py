from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbonnementsConfig(AppConfig):
    """Citizens follow a Gremium, a Vorlage, a Person or a search by e-mail, without an account."""

    name = "abonnements"
    verbose_name = _("Abonnements")
