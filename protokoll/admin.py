"""The clerks' admin of the record of a Sitzung. Recording during the meeting happens on its own page
(``protokoll:erfassung``); here the record is looked up, filtered and corrected afterwards."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Stimme
from ratsinfo.admin import VERLAUF, ZEITSTEMPEL


@admin.register(Anwesenheit)
class AnwesenheitAdmin(admin.ModelAdmin):
    list_display = ["person", "sitzung", "status", "stimmberechtigt", "ab_top", "bis_top", "vertritt"]
    list_filter = ["status", "stimmberechtigt", ("sitzung__ausschuss", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "sitzung__ausschuss", "ab_top", "bis_top", "vertritt"]
    search_fields = ["person__nachname", "person__vorname", "sitzung__ausschuss__name", "sitzung__name"]
    autocomplete_fields = ["sitzung", "person", "vertritt"]
    # A TOP is no admin page of its own (it is entered on its Sitzung); its id is enough to correct a record.
    raw_id_fields = ["ab_top", "bis_top"]
    date_hierarchy = "sitzung__beginn"
    fieldsets = [
        (None, {"fields": ["sitzung", "person", "status", "stimmberechtigt"]}),
        (_("Kommen, Gehen, Vertretung"), {"fields": [("ab_top", "bis_top"), "vertritt", "bemerkung"]}),
        VERLAUF,
    ]
    readonly_fields = ZEITSTEMPEL


@admin.register(Befangenheit)
class BefangenheitAdmin(admin.ModelAdmin):
    list_display = ["person", "tagesordnungspunkt", "sitzung"]
    list_filter = [("tagesordnungspunkt__sitzung__ausschuss", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "tagesordnungspunkt__sitzung__ausschuss"]
    search_fields = ["person__nachname", "person__vorname", "tagesordnungspunkt__titel"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["tagesordnungspunkt"]
    fields = ["tagesordnungspunkt", "person", "grund", "erstellt_am"]
    readonly_fields = ["erstellt_am"]

    @admin.display(description=_("Sitzung"), ordering="tagesordnungspunkt__sitzung__beginn")
    def sitzung(self, befangenheit):
        return befangenheit.tagesordnungspunkt.sitzung


class StimmeInline(admin.TabularInline):
    model = Stimme
    fields = ["person", "stimme"]
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Abstimmung)
class AbstimmungAdmin(admin.ModelAdmin):
    list_display = ["tagesordnungspunkt", "sitzung", "reihenfolge", "art", "ja", "nein", "enthaltung"]
    list_filter = ["art", ("tagesordnungspunkt__sitzung__ausschuss", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["tagesordnungspunkt__sitzung__ausschuss"]
    search_fields = ["tagesordnungspunkt__titel", "gegenstand", "tagesordnungspunkt__sitzung__ausschuss__name"]
    raw_id_fields = ["tagesordnungspunkt"]
    fieldsets = [
        (None, {"fields": ["tagesordnungspunkt", "reihenfolge", "gegenstand", "art"]}),
        (_("Stimmen"), {"fields": [("ja", "nein", "enthaltung")]}),
        VERLAUF,
    ]
    readonly_fields = ZEITSTEMPEL
    inlines = [StimmeInline]

    @admin.display(description=_("Sitzung"), ordering="tagesordnungspunkt__sitzung__beginn")
    def sitzung(self, abstimmung):
        return abstimmung.tagesordnungspunkt.sitzung
