from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from konten.models import Benachrichtigungseinstellung
from konten.services import benachrichtigungen_abbestellen
from ratsinfo.admin import NurLesenMixin


@admin.register(Benachrichtigungseinstellung)
class BenachrichtigungseinstellungAdmin(NurLesenMixin, admin.ModelAdmin):
    """What councillors chose to be told. She chooses herself on her account page; the Sitzungsdienst looks, and
    can switch them off (e.g. when her address bounces)."""

    list_display = [
        "benutzer",
        "neue_vorlagen",
        "tagesordnung",
        "nachtraege",
        "niederschriften",
        "rhythmus",
        "gesendet_bis",
    ]
    list_filter = ["rhythmus", "neue_vorlagen", "tagesordnung", "nachtraege", "niederschriften"]
    list_select_related = ["benutzer"]
    search_fields = ["benutzer__username", "benutzer__email", "benutzer__last_name"]
    autocomplete_fields = ["benutzer"]
    date_hierarchy = "geaendert_am"
    actions = ["abbestellen_aktion"]
    fieldsets = [
        (None, {"fields": ["benutzer", "rhythmus"]}),
        (_("Benachrichtigungen"), {"fields": ["neue_vorlagen", "tagesordnung", "nachtraege", "niederschriften"]}),
        (_("Stand des Versands"), {"fields": ["gesendet_bis", "erstellt_am", "geaendert_am"]}),
    ]
    readonly_fields = [feld for _, optionen in fieldsets for feld in optionen["fields"]]

    @admin.action(description=_("Alle Benachrichtigungen der Ausgewählten abstellen"), permissions=["view"])
    def abbestellen_aktion(self, request, queryset):
        anzahl = 0
        for einstellung in queryset.select_related("benutzer"):
            anzahl += benachrichtigungen_abbestellen(benutzer=einstellung.benutzer)
        self.message_user(
            request,
            ngettext(
                "Die Benachrichtigungen von %(anzahl)d Konto sind abgestellt.",
                "Die Benachrichtigungen von %(anzahl)d Konten sind abgestellt.",
                anzahl,
            )
            % {"anzahl": anzahl},
            messages.SUCCESS,
        )
