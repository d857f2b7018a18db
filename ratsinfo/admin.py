"""Admin pieces shared by the apps, and the Änderungsprotokoll.

Every change a clerk makes in the admin, and every write of a service that is given the user, is recorded as a
``LogEntry`` with who and when. Each object shows its own entries under "Geschichte"; the Änderungsprotokoll lists
all of them, read-only.
"""

from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ratsinfo.models import Aenderung

# The navigation column takes a quarter of a 1280 px screen, and the Tagesordnung and Beratungsfolge tables need
# it; the clerks reach every list from the start page and the breadcrumbs.
admin.site.enable_nav_sidebar = False

# When a record was created and last changed; shown read-only on the change forms.
ZEITSTEMPEL = ("erstellt_am", "geaendert_am")

VERLAUF = (
    _("Verlauf"),
    {
        "fields": ZEITSTEMPEL,
        "description": _("Wer wann was geändert hat, zeigt die „Geschichte“ oben rechts."),
    },
)


class OhneVerweisknoepfeMixin:
    """For the rows of a wide inline table: foreign keys without the four buttons (change, add, delete, view the
    related object) beside each box. They cost a fifth of the table's width on a 1280 px screen, and clerks edit
    an Ausschuss or a Sitzung on its own page, not from the row of another."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        feld = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(feld, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return feld


class NurLesenMixin:
    """A record the system writes and clerks only look at (protocols, import origins, tombstones): no add, change
    or delete in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
