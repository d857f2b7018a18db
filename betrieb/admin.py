"""The Änderungsprotokoll: Django's admin log, read-only, under the name clerks know it by.

Every change a clerk makes in the admin, and every write of a service that is given the user, is recorded as a
``LogEntry`` with who and when. Each object shows its own entries under "Geschichte"; the Änderungsprotokoll lists
all of them.
"""

from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from betrieb.models import Aenderung
from ratsinfo.admin import NurLesenMixin


@admin.register(Aenderung)
class AenderungsprotokollAdmin(NurLesenMixin, admin.ModelAdmin):
    """Who changed what and when. Nobody adds, changes or deletes entries: the record must stay true."""

    list_display = ["action_time", "user", "content_type", "objekt", "action_flag", "aenderung"]
    list_filter = [
        "action_flag",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username", "user__first_name", "user__last_name"]
    date_hierarchy = "action_time"
    fields = ["action_time", "user", "content_type", "object_id", "object_repr", "action_flag", "aenderung"]
    readonly_fields = fields

    @admin.display(description=LogEntry._meta.get_field("object_repr").verbose_name)
    def objekt(self, eintrag):
        url = eintrag.get_admin_url() if eintrag.action_flag != DELETION else None
        return format_html('<a href="{}">{}</a>', url, eintrag.object_repr) if url else eintrag.object_repr

    @admin.display(description=LogEntry._meta.get_field("change_message").verbose_name)
    def aenderung(self, eintrag):
        return eintrag.get_change_message()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        kontext = {"title": _("Eintrag im Änderungsprotokoll"), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, kontext)
