from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from protokoll import sitzungsgeld
from protokoll.forms import ZeitraumFormular
from protokoll.models import Sitzungsgeld
from ratsinfo.admin import NurLesenMixin


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
