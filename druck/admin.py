"""The clerks' view of the rendered PDFs: above all, the warnings of a Mappe (an Anlage that could not be merged)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from druck.models import Druckstueck
from druck.services import druckstueck_neu_erstellen


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
    """Read only: PDFs are made by the tasks, never by hand; a failed one can be sent to be made again."""

    list_display = ["dateiname", "art", "variante", "status", "versuche", "naechster_versuch", "fertig_am", "warnungen"]
    list_filter = [MitWarnungenFilter, "art", "status"]
    list_select_related = ["benutzer"]
    search_fields = ["dateiname", "warnungen"]
    date_hierarchy = "erstellt_am"
    fields = [
        "art",
        "vorlage",
        "sitzung",
        "tagesordnungspunkt",
        "benutzer",
        "dateiname",
        "status",
        "fortschritt",
        "seiten",
        "groesse",
        "warnungen",
        "versuche",
        "naechster_versuch",
        "inhaltsversion",
        "erstellt_am",
        "fertig_am",
    ]
    readonly_fields = fields
    actions = ["neu_erstellen"]

    @admin.action(description=_("Ausgewählte fehlgeschlagene PDFs neu erstellen"), permissions=["neu_erstellen"])
    def neu_erstellen(self, request, queryset):
        erstellt, uebersprungen = 0, 0
        for druckstueck in queryset:
            try:
                druckstueck = druckstueck_neu_erstellen(druckstueck=druckstueck)
            except ValidationError:
                uebersprungen += 1
                continue
            erstellt += 1
            if druckstueck.status == Druckstueck.Status.FEHLER:
                self.message_user(
                    request, _("„%(pdf)s“ ist wieder fehlgeschlagen.") % {"pdf": druckstueck.dateiname}, messages.ERROR
                )
        if erstellt:
            self.message_user(
                request,
                ngettext("%(anzahl)d PDF wird neu erstellt.", "%(anzahl)d PDFs werden neu erstellt.", erstellt)
                % {"anzahl": erstellt},
                messages.SUCCESS,
            )
        if uebersprungen:
            self.message_user(
                request,
                ngettext(
                    "%(anzahl)d PDF übersprungen: nur fehlgeschlagene PDFs werden neu erstellt.",
                    "%(anzahl)d PDFs übersprungen: nur fehlgeschlagene PDFs werden neu erstellt.",
                    uebersprungen,
                )
                % {"anzahl": uebersprungen},
                messages.WARNING,
            )

    def has_neu_erstellen_permission(self, request):
        # Who may read the warnings of the PDFs may have a failed one made again: it changes no data.
        return self.has_view_permission(request)

    @admin.display(description=_("Fassung"), ordering="benutzer")
    def variante(self, druckstueck):
        if druckstueck.benutzer_id is None:
            return _("öffentlich")
        return _("persönlich: %(benutzer)s") % {"benutzer": druckstueck.benutzer}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
