from django.contrib.admin.models import LogEntry
from django.utils.translation import gettext_lazy as _


class Aenderung(LogEntry):
    """Django's admin log under the name clerks know it by; a proxy, so no table of its own."""

    class Meta:
        proxy = True
        verbose_name = _("Änderung")
        verbose_name_plural = _("Änderungsprotokoll")
