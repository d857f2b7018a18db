from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from oparlimport.models import Datei, Herkunft
from ratsinfo.admin import NurLesenMixin


class NurLesen(NurLesenMixin, admin.ModelAdmin):
    """The importer writes these records; clerks look them up (where did this Vorlage come from?), nothing more."""

    actions = None


@admin.register(Herkunft)
class HerkunftAdmin(NurLesen):
    list_display = ["oparl_id", "typ", "unser_objekt", "geloescht", "modified", "geaendert_am"]
    list_filter = ["typ", "geloescht", "content_type"]
    search_fields = ["oparl_id", "web"]
    date_hierarchy = "geaendert_am"
    fields = ["oparl_id", "web", "typ", "content_type", "object_id", "unser_objekt", "geloescht", "modified", "daten"]
    readonly_fields = fields

    @admin.display(description=_("bei uns"), ordering="object_id")
    def unser_objekt(self, herkunft):
        # A link by content type and id, without loading the object: the list stays at a fixed number of queries.
        ct = herkunft.content_type
        text = f"{ct.name} {herkunft.object_id}"
        try:
            url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[herkunft.object_id])
        except NoReverseMatch:
            return text
        return format_html('<a href="{}">{}</a>', url, text)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type")


@admin.register(Datei)
class DateiAdmin(NurLesen):
    list_display = ["__str__", "dateiname", "rolle", "vorlage", "sitzung", "anlage", "sitzungsdokument", "geaendert_am"]
    list_filter = [
        "rolle",
        ("anlage", admin.EmptyFieldListFilter),
        ("sitzungsdokument", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "dateiname", "oparl_id"]
    fields = [
        "oparl_id",
        "name",
        "dateiname",
        "mime_typ",
        "datum",
        "groesse",
        "rolle",
        "reihenfolge",
        "vorlage",
        "sitzung",
        "anlage",
        "sitzungsdokument",
        "access_url",
        "download_url",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("vorlage", "sitzung__ausschuss", "anlage", "sitzungsdokument")
        )
