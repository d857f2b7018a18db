"""The clerks' admin of the record of a Sitzung. Recording during the meeting happens on its own page
(``protokoll:erfassung``); here the record is looked up, filtered and corrected afterwards."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import modelformset_factory
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import sitzungen.admin  # noqa: F401 - registers the Sitzung admin extended here
from protokoll import services, sitzungsgeld
from protokoll.forms import ZeitraumFormular
from protokoll.models import (
    Abstimmung,
    Anwesenheit,
    Befangenheit,
    Niederschrift,
    Sitzungsdokument,
    Sitzungsgeld,
    Stimme,
    Unterschrift,
)
from ratsinfo.admin import VERLAUF, ZEITSTEMPEL, NurLesenMixin
from sitzungen.models import Sitzung, Tagesordnungspunkt
from vorlagen.admin import DateienImFormularMixin, speicherfehler_grund
from vorlagen.forms import AnlageDateiWidget, DateienBehaltenMixin


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


# -- Niederschrift ---------------------------------------------------------------------------------------------------


class UnterschriftFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        neue = [
            form.cleaned_data
            for form in self.extra_forms
            if form.has_changed() and not form.cleaned_data.get("DELETE", False)
        ]
        urkundspersonen = sum(1 for daten in neue if daten.get("rolle") == Unterschrift.Rolle.MITGLIED)
        for daten in neue:
            try:
                services.unterschrift_pruefen(
                    niederschrift=self.instance,
                    rolle=daten.get("rolle"),
                    datum=daten.get("datum"),
                    person=daten.get("person"),
                    neue_urkundspersonen=urkundspersonen,
                )
            except ValidationError as fehler:
                raise ValidationError(fehler.messages) from None

    def save_new(self, form, commit=True):
        # Through the service: it checks the order and makes the Niederschrift unterzeichnet with the fourth one.
        return services.niederschrift_unterzeichnen(
            niederschrift=self.instance,
            rolle=form.cleaned_data["rolle"],
            datum=form.cleaned_data["datum"],
            person=form.cleaned_data.get("person"),
            name=form.cleaned_data.get("name", ""),
        )


class UnterschriftForm(forms.ModelForm):
    class Meta:
        model = Unterschrift
        fields = ["rolle", "person", "name", "datum"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The name comes from the person; it is typed only for a Schriftführerin of the administration.
        self.fields["name"].required = False

    def clean(self):
        daten = super().clean()
        if not daten.get("name") and daten.get("person"):
            daten["name"] = daten["person"].name
            self.instance.name = daten["name"]
        if not daten.get("name") and "name" not in self.errors:
            self.add_error("name", _("Bitte wählen Sie eine Person oder geben Sie einen Namen ein."))
        return daten


class UnterschriftInline(admin.TabularInline):
    model = Unterschrift
    form = UnterschriftForm
    formset = UnterschriftFormSet
    extra = 0
    autocomplete_fields = ["person"]

    def has_change_permission(self, request, obj=None):
        # A signature is given, not edited: a wrong one is removed from the draft and given again.
        return False

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None and obj.status == Niederschrift.Status.ENTWURF and super().has_add_permission(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == Niederschrift.Status.ENTWURF
            and super().has_delete_permission(request, obj)
        )


class NiederschriftForm(forms.ModelForm):
    genehmigen_in = forms.ModelChoiceField(
        label=_("Genehmigen in der Sitzung"),
        queryset=Sitzung.objects.none(),
        required=False,
        help_text=_("Eine spätere Sitzung desselben Gremiums, in der die unterzeichnete Niederschrift genehmigt wird."),
    )

    class Meta:
        model = Niederschrift
        fields = ["sitzung", "einleitung", "schluss"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        niederschrift = self.instance
        if niederschrift.pk and niederschrift.status == Niederschrift.Status.UNTERZEICHNET:
            self.fields["genehmigen_in"].queryset = (
                Sitzung.objects.filter(
                    ausschuss_id=niederschrift.sitzung.ausschuss_id, beginn__gt=niederschrift.sitzung.beginn
                )
                .fuer_liste()
                .order_by("beginn")
            )
        else:
            del self.fields["genehmigen_in"]


@admin.register(Niederschrift)
class NiederschriftAdmin(admin.ModelAdmin):
    form = NiederschriftForm
    list_display = ["sitzung", "status", "genehmigt_in", "veroeffentlicht_am"]
    list_filter = ["status", ("veroeffentlicht_am", admin.EmptyFieldListFilter), "sitzung__ausschuss"]
    list_select_related = ["sitzung__ausschuss", "genehmigt_in__ausschuss"]
    search_fields = ["sitzung__ausschuss__name", "sitzung__name", "einleitung", "schluss"]
    date_hierarchy = "sitzung__beginn"
    autocomplete_fields = ["sitzung"]
    readonly_fields = ["status", "genehmigt_in", "veroeffentlicht_am", "tagesordnung_bearbeiten", *ZEITSTEMPEL]
    inlines = [UnterschriftInline]
    actions = ["entwerfen", "veroeffentlichen"]

    def get_fieldsets(self, request, obj=None):
        stand = ["status", "genehmigt_in", "veroeffentlicht_am"]
        if obj is not None and obj.status == Niederschrift.Status.UNTERZEICHNET:
            stand.append("genehmigen_in")
        return [
            (None, {"fields": ["sitzung"]}),
            (
                _("Text"),
                {
                    "fields": ["einleitung", "tagesordnung_bearbeiten", "schluss"],
                    "description": _(
                        "Die Eröffnung wird aus der Erfassung vorgeschlagen (Aktion „Entwurf aus der Erfassung "
                        "aktualisieren“); was Sie hier ändern, bleibt erhalten."
                    ),
                },
            ),
            (
                _("Unterzeichnung, Genehmigung, Veröffentlichung"),
                {
                    "fields": stand,
                    "description": _(
                        "Unterzeichnet ist die Niederschrift mit den Unterschriften des Vorsitzes, zweier "
                        "Urkundspersonen und der Schriftführung (unten). Dann kann sie veröffentlicht und in einer "
                        "späteren Sitzung genehmigt werden."
                    ),
                },
            ),
            VERLAUF,
        ]

    def get_readonly_fields(self, request, obj=None):
        felder = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            felder.append("sitzung")
            if obj.status != Niederschrift.Status.ENTWURF:
                felder += ["einleitung", "schluss"]
        return felder

    @admin.display(description=_("Tagesordnungspunkte"))
    def tagesordnung_bearbeiten(self, niederschrift):
        if niederschrift.pk is None:
            return _("Nach dem ersten Speichern: Beratungsverlauf und Beschluss je Tagesordnungspunkt.")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:protokoll_niederschrift_tagesordnung", args=[niederschrift.pk]),
            _("Beratungsverlauf und Beschlüsse bearbeiten"),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new Niederschrift starts as the draft of the record; text the clerk typed already stays.
            services.niederschrift_entwerfen(sitzung=obj.sitzung)
            obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sitzung = form.cleaned_data.get("genehmigen_in")
        if sitzung is not None:
            try:
                services.niederschrift_genehmigen(niederschrift=form.instance, sitzung=sitzung)
            except ValidationError as fehler:
                self.message_user(request, " ".join(fehler.messages), messages.ERROR)
            else:
                self.message_user(request, _("Die Niederschrift ist genehmigt."), messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # A signed record is part of the Sitzung's history: only a draft may go.
        if obj is not None and obj.status != Niederschrift.Status.ENTWURF:
            return False
        return super().has_delete_permission(request, obj)

    def _fuer_jede(self, request, queryset, aufruf, erfolg, misserfolg):
        erfolgreich, fehler = 0, []
        for niederschrift in queryset.select_related("sitzung__ausschuss"):
            try:
                with transaction.atomic():
                    aufruf(niederschrift)
            except ValidationError as grund:
                fehler.append(f"{niederschrift.sitzung}: {' '.join(grund.messages)}")
            else:
                erfolgreich += 1
        if erfolgreich:
            self.message_user(request, erfolg(erfolgreich) % {"anzahl": erfolgreich}, messages.SUCCESS)
        if fehler:
            meldung = misserfolg(len(fehler)) % {"anzahl": len(fehler), "fehler": " – ".join(fehler)}
            self.message_user(request, meldung, messages.ERROR)

    @admin.action(description=_("Entwurf aus der Erfassung aktualisieren"), permissions=["change"])
    def entwerfen(self, request, queryset):
        self._fuer_jede(
            request,
            queryset,
            lambda niederschrift: services.niederschrift_entwerfen(sitzung=niederschrift.sitzung),
            lambda n: ngettext("%(anzahl)d Entwurf aktualisiert.", "%(anzahl)d Entwürfe aktualisiert.", n),
            lambda n: ngettext(
                "%(anzahl)d Niederschrift nicht aktualisiert: %(fehler)s",
                "%(anzahl)d Niederschriften nicht aktualisiert: %(fehler)s",
                n,
            ),
        )

    @admin.action(description=_("Ausgewählte Niederschriften veröffentlichen"), permissions=["change"])
    def veroeffentlichen(self, request, queryset):
        self._fuer_jede(
            request,
            queryset,
            lambda niederschrift: services.niederschrift_veroeffentlichen(niederschrift=niederschrift),
            lambda n: ngettext(
                "%(anzahl)d Niederschrift veröffentlicht.", "%(anzahl)d Niederschriften veröffentlicht.", n
            ),
            lambda n: ngettext(
                "%(anzahl)d Niederschrift nicht veröffentlicht: %(fehler)s",
                "%(anzahl)d Niederschriften nicht veröffentlicht: %(fehler)s",
                n,
            ),
        )

    # The Beratungsverlauf and Beschluss of every TOP on one page: the text of the Niederschrift per item.

    def get_urls(self):
        return [
            path(
                "<int:pk>/tagesordnung/",
                self.admin_site.admin_view(self.tagesordnung_view),
                name="protokoll_niederschrift_tagesordnung",
            ),
            *super().get_urls(),
        ]

    def tagesordnung_view(self, request, pk):
        niederschrift = get_object_or_404(Niederschrift.objects.select_related("sitzung__ausschuss"), pk=pk)
        if not (
            self.has_change_permission(request, niederschrift)
            and request.user.has_perm("sitzungen.change_tagesordnungspunkt")
        ):
            raise PermissionDenied
        bearbeitbar = niederschrift.status == Niederschrift.Status.ENTWURF
        formset_klasse = modelformset_factory(
            Tagesordnungspunkt, fields=["beratungsverlauf", "beschluss"], extra=0, edit_only=True
        )
        tops = niederschrift.sitzung.tagesordnungspunkte.order_by("-oeffentlich", "reihenfolge", "pk")
        formset = formset_klasse(request.POST or None, queryset=tops)
        if request.method == "POST" and bearbeitbar and formset.is_valid():
            with transaction.atomic():
                # Each TOP saved on its own (full_clean in the form, save() for the page cache).
                formset.save()
            self.message_user(request, _("Beratungsverlauf und Beschlüsse gespeichert."), messages.SUCCESS)
            return redirect("admin:protokoll_niederschrift_change", niederschrift.pk)
        kontext = {
            **self.admin_site.each_context(request),
            "title": _("Beratungsverlauf und Beschlüsse: %(sitzung)s") % {"sitzung": niederschrift.sitzung},
            "opts": self.model._meta,
            "original": niederschrift,
            "formset": formset,
            "bearbeitbar": bearbeitbar,
        }
        return TemplateResponse(request, "admin/protokoll/niederschrift/tagesordnung.html", kontext)


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
