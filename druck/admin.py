"""The clerks' view of the rendered PDFs: above all, the warnings of a Mappe (an Anlage that could not be merged)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from druck.models import Druckstueck


class MitWarnungenFilter(admin.SimpleListFilter):
    title = _("Warnungen")
    parameter_name = "warnungen"

    def lookups(self, request, model_admin):
        return [("ja", _("mit Warnungen")), ("nein", _("ohne Warnungen"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.mit_warnungen()
        if self.value() == "nein":
            return queryset.filter(warnungen="")
        return queryset


@admin.register(Druckstueck)
class DruckstueckAdmin(admin.ModelAdmin):
    """Read only: PDFs are made by the tasks, never by hand."""

    list_display = ["dateiname", "art", "variante", "status", "seiten", "fertig_am", "warnungen"]
    list_filter = [MitWarnungenFilter, "art", "status"]
    list_select_related = ["benutzer"]
    search_fields = ["dateiname", "warnungen"]
    date_hierarchy = "erstellt_am"
    fields = [
        "art",
        "vorlage",
        "sitzung",
        "benutzer",
        "dateiname",
        "status",
        "fortschritt",
        "seiten",
        "groesse",
        "warnungen",
        "inhaltsversion",
        "erstellt_am",
        "fertig_am",
    ]
    readonly_fields = fields
    actions = None

    @admin.display(description=_("Fassung"), ordering="benutzer")
    def variante(self, druckstueck):
        if druckstueck.benutzer_id is None:
            return _("öffentlich")
        return _("persönlich: %(benutzer)s") % {"benutzer": druckstueck.benutzer}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
