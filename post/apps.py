from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostConfig(AppConfig):
    """The one mail pipeline: every message goes into the outbox (``Nachricht``) and is sent by the worker."""

    name = "post"
    verbose_name = _("Postausgang")
