"""The clerks' admin of the record of a Sitzung. Recording during the meeting happens on its own page
(``protokoll:erfassung``); here the record is looked up, filtered and corrected afterwards."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from protokoll import sitzungsgeld
from protokoll.forms import ZeitraumFormular
from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Sitzungsgeld, Stimme
from ratsinfo.admin import VERLAUF, ZEITSTEMPEL, NurLesenMixin


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


@admin.register(Sitzungsgeld)
class SitzungsgeldAdmin(NurLesenMixin, admin.ModelAdmin):
    """The Hauptamt's Sitzungsgeld: per person the Sitzungen attended in a period, as a table and as CSV.

    Needs ``protokoll.view_sitzungsgeld``. The list is not Django's changelist (that lists rows, the Hauptamt needs
    sums per person); one record opens read-only like the other protocols.
    """

    list_display = ("person", "sitzung", "status", "vertritt")
    list_select_related = ("person", "sitzung__ausschuss", "vertritt")
    change_list_template = "admin/protokoll/sitzungsgeld.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_csv"
        return [path("csv/", self.admin_site.admin_view(self.csv_view), name=name), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        formular = ZeitraumFormular(request.GET)
        zeitraum = formular.zeitraum
        zeilen = list(Sitzungsgeld.objects.sitzungsgeld(*zeitraum)) if zeitraum else []
        kontext = {
            **self.admin_site.each_context(request),
            "title": _("Sitzungsgeld"),
            "opts": self.opts,
            "formular": formular,
            "zeilen": zeilen,
            "summe": sum(zeile["sitzungen"] for zeile in zeilen),
            "csv_url": f"{reverse('admin:protokoll_sitzungsgeld_csv')}?{request.GET.urlencode()}",
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_list_template, kontext)

    def csv_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        formular = ZeitraumFormular(request.GET)
        if formular.zeitraum is None:
            fehler = " ".join(meldung for meldungen in formular.errors.values() for meldung in meldungen)
            return HttpResponseBadRequest(
                _("Der Zeitraum ist ungültig: %(fehler)s") % {"fehler": fehler},
                content_type="text/plain; charset=utf-8",
            )
        return sitzungsgeld.csv_antwort(Sitzungsgeld.objects.sitzungsgeld(*formular.zeitraum), *formular.zeitraum)
