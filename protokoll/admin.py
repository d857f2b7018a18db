"""The clerks' admin for the record of a Sitzung.

The Sitzung admin is registered by ``sitzungen``, which must not import this app. So this module takes the Sitzung
admin registered there (imported below, so the order of INSTALLED_APPS does not matter) and registers a subclass
that adds the rows of the Sitzung's own documents, with the file mechanics of the Anlagen: uploads checked by
``vorlagen.dateipruefung``, kept across an error elsewhere on the page, written atomically, read for the search.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

import sitzungen.admin  # noqa: F401 - registers the Sitzung admin extended here
from protokoll import services
from protokoll.models import Sitzungsdokument
from sitzungen.models import Sitzung
from vorlagen.admin import DateienImFormularMixin, speicherfehler_grund
from vorlagen.forms import AnlageDateiWidget, DateienBehaltenMixin


class SitzungsdokumentForm(DateienBehaltenMixin, forms.ModelForm):
    class Meta:
        model = Sitzungsdokument
        fields = ["art", "titel", "datei", "oeffentlich", "reihenfolge"]
        widgets = {"datei": AnlageDateiWidget}


class SitzungsdokumentInline(admin.TabularInline):
    model = Sitzungsdokument
    form = SitzungsdokumentForm
    fields = ["art", "titel", "datei", "oeffentlich", "reihenfolge", "textstatus", "seitenzahl"]
    readonly_fields = ["textstatus", "seitenzahl"]
    ordering = ["reihenfolge", "pk"]
    extra = 0

    def get_queryset(self, request):
        # The file widget links each file through its download address, which names the Sitzung.
        return super().get_queryset(request).select_related("sitzung")


SitzungAdminBisher = type(admin.site.get_model_admin(Sitzung))


class SitzungMitDokumentenAdmin(DateienImFormularMixin, SitzungAdminBisher):
    inlines = [*SitzungAdminBisher.inlines, SitzungsdokumentInline]

    def speicherfehler_text(self, fehler):
        return _(
            "Die Datei konnte nicht gespeichert werden. %(grund)s Es wurde nichts gespeichert: Die Sitzung und ihre "
            "bisherigen Dokumente sind unverändert. Bitte informieren Sie den Betrieb und laden Sie die Datei danach "
            "erneut hoch."
        ) % {"grund": speicherfehler_grund(fehler)}

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Sitzungsdokument:
            # A new or replaced file is read for the search in the background, after the save is committed.
            for dokument in self.neue_dateien(formset):
                services.sitzungsdokument_text_anstossen(dokument=dokument)


admin.site.unregister(Sitzung)
admin.site.register(Sitzung, SitzungMitDokumentenAdmin)
