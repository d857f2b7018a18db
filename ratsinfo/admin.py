"""The admin site's configuration and the admin pieces every app may share; imports no app.

The Änderungsprotokoll, which lists the admin's ``LogEntry`` rows read-only, lives in ``betrieb``.
"""

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.utils.translation import gettext_lazy as _

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
