"""The record of the Einberufungen, read-only: services write it (the clerk's page ``einberufung:einberufung``),
nobody changes it afterwards."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from einberufung.models import Einberufung, Ladung
from ratsinfo.admin import NurLesenMixin


class LadungInline(admin.TabularInline):
    model = Ladung
    fields = ["name", "rolle", "person", "nichtoeffentlich", "adresse", "status", "antwort", "nachricht"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "nachricht")

    @admin.display(description=_("E-Mail-Adresse"))
    def adresse(self, ladung):
        return ladung.nachricht.adresse

    @admin.display(description=_("Status"))
    def status(self, ladung):
        return ladung.nachricht.get_status_display()

    @admin.display(description=_("Antwort des Mailservers"))
    def antwort(self, ladung):
        return ladung.nachricht.antwort


@admin.register(Einberufung)
class EinberufungAdmin(NurLesenMixin, admin.ModelAdmin):
    list_display = ["__str__", "art", "versendet_am", "versendet_von", "frist_eingehalten", "seite"]
    list_filter = ["art", "frist_eingehalten", ("sitzung__ausschuss", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["sitzung__ausschuss", "versendet_von"]
    search_fields = ["sitzung__name", "sitzung__ausschuss__name", "notfall_begruendung", "ladungen__name"]
    date_hierarchy = "versendet_am"
    fieldsets = [
        (None, {"fields": ["sitzung", "art", "nummer", "versendet_am", "versendet_von", "seite"]}),
        (
            _("Ladungsfrist"),
            {"fields": ["ladungsfrist_tage", "frist_eingehalten", "notfall_begruendung"]},
        ),
        (_("Empfänger"), {"fields": ["mitglieder_anzahl", "ohne_adresse"]}),
        (_("Tagesordnung"), {"fields": ["aenderungen", "tagesordnung"]}),
    ]
    readonly_fields = [feld for _name, teil in fieldsets for feld in teil["fields"]]
    inlines = [LadungInline]

    @admin.display(description=_("Seite der Einberufung"))
    def seite(self, einberufung):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("einberufung:einberufung", kwargs={"pk": einberufung.sitzung_id}),
            _("Stand und Nachweis"),
        )
