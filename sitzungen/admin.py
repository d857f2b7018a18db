"""The clerks' admin for Sitzungen with their Tagesordnung and the Beratungsfolge of a Vorlage (Ausschüsse,
Personen and Orte: gremien/admin.py)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss
from ratsinfo.admin import VERLAUF, ZEITSTEMPEL, OhneVerweisknoepfeMixin
from sitzungen.fassungen import tagesordnung_fassung_festhalten
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from sitzungen.services import beratungsfolge_abgleichen
from vorlagen.admin import VorlageAdmin
from vorlagen.models import Vorlage


def _mit_titel(filterklasse, titel):
    """A list filter with a heading of its own; Beratung's field names ("Vorlage an", "zur") fit the table only."""

    class Filter(filterklasse):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = titel

    return Filter


AUSSCHUSS_IN_BERATUNGSFOLGE = _mit_titel(
    admin.RelatedOnlyFieldListFilter,
    format_lazy("{} ({})", Ausschuss._meta.verbose_name, Beratung._meta.verbose_name_plural),
)


def _constraint_meldung(model, name):
    (constraint,) = (c for c in model._meta.constraints if c.name == name)
    return constraint.violation_error_message


class TagesordnungFormSet(forms.BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        # Django names the raw fields ("oeffentlich und nummer"); the clerk reads the constraint's own sentence.
        if set(unique_check) >= {"oeffentlich", "nummer"}:
            return _constraint_meldung(Tagesordnungspunkt, "top_nummer_eindeutig_je_sitzung")
        return super().get_unique_error_message(unique_check)


class TagesordnungspunktForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A TOP that treats a Vorlage is usually called like it; the clerk types a title only to differ.
        # The database still requires one (clean() fills it in or names the field).
        self.fields["titel"].required = False
        self.fields["titel"].help_text = _("Leer lassen, um den Titel der Vorlage zu übernehmen.")

    def clean(self):
        cleaned_data = super().clean()
        vorlagen = cleaned_data.get("vorlagen")
        if not cleaned_data.get("titel") and "titel" not in self.errors:
            vorlage = vorlagen.order_by("jahr", "nummer", "pk").first() if vorlagen else None
            if vorlage is not None and vorlage.titel:
                cleaned_data["titel"] = vorlage.titel[: Tagesordnungspunkt._meta.get_field("titel").max_length]
            else:
                self.add_error(
                    "titel",
                    _("Bitte geben Sie einen Titel ein oder wählen Sie eine Vorlage, deren Titel übernommen wird."),
                )
        if vorlagen:
            # The Sitzung as the clerk is about to save it, status included (the inline's instance points to it).
            try:
                self.instance.sitzung.entwuerfe_ablehnen(vorlagen)
            except ValidationError as fehler:
                self.add_error("vorlagen", fehler)
        return cleaned_data


class TagesordnungspunktInline(OhneVerweisknoepfeMixin, admin.TabularInline):
    model = Tagesordnungspunkt
    form = TagesordnungspunktForm
    formset = TagesordnungFormSet
    fields = ["reihenfolge", "nummer", "oeffentlich", "titel", "vorlagen", "ergebnis", "beschluss"]
    autocomplete_fields = ["vorlagen"]
    ordering = ["-oeffentlich", "reihenfolge", "pk"]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2})}}
    verbose_name_plural = _("Tagesordnung")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("vorlagen")


class SitzungForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if not self.instance._state.adding and "ausschuss" in self.changed_data and self.instance.beratungen.exists():
            # The Beratungen tied to this Sitzung name its Ausschuss; moving the Sitzung would contradict them.
            self.add_error(
                "ausschuss",
                _(
                    "Vorlagen dieser Sitzung stehen schon in der Beratungsfolge dieses Ausschusses; "
                    "der Ausschuss kann nicht mehr geändert werden. Legen Sie eine neue Sitzung an."
                ),
            )
        return cleaned_data


@admin.register(Sitzung)
class SitzungAdmin(admin.ModelAdmin):
    form = SitzungForm
    list_display = ["titel", "ausschuss", "beginn", "status", "oeffentlich", "planung", "erfassung", "einberufung"]
    list_filter = [("ausschuss", admin.RelatedOnlyFieldListFilter), "status", "oeffentlich"]
    list_select_related = ["ausschuss"]
    search_fields = ["ausschuss__name", "ausschuss__kurzname", "name"]
    date_hierarchy = "beginn"
    autocomplete_fields = ["ausschuss", "ort"]
    fieldsets = [
        (None, {"fields": ["ausschuss", "name", ("beginn", "ende"), "ort", "status", "oeffentlich", "erfassung"]}),
        (_("Tagesordnung aus dem Vorrat"), {"fields": ["annahmeschluss", "planung"]}),
        (_("Einberufung"), {"fields": ["einberufung", "bekanntmachung_am"]}),
        VERLAUF,
    ]
    readonly_fields = [*ZEITSTEMPEL, "planung", "erfassung", "einberufung"]
    inlines = [TagesordnungspunktInline]

    @admin.display(description=_("Titel"), ordering="name")
    def titel(self, sitzung):
        return sitzung.titel

    @admin.display(description=_("Tagesordnung planen"))
    def planung(self, sitzung):
        if not sitzung.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("sitzungen:tagesordnung-planen", kwargs={"pk": sitzung.pk}),
            _("Vorlagen aus dem Vorrat aufnehmen, verschieben, nummerieren, Änderungen"),
        )

    @admin.display(description=_("Sitzungsverlauf"))
    def erfassung(self, sitzung):
        # The clerk's recording page (protokoll, a layer above) is named by its URL only.
        if not sitzung.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("protokoll:erfassung", kwargs={"pk": sitzung.pk}),
            _("Anwesenheit, Abstimmungen und Beschlüsse erfassen"),
        )

    @admin.display(description=_("Einberufung"))
    def einberufung(self, sitzung):
        # The clerk's Einberufung page (einberufung, a layer above) is named by its URL only.
        if not sitzung.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("einberufung:einberufung", kwargs={"pk": sitzung.pk}),
            _("Einladung und Nachträge versenden, Nachweis"),
        )

    def get_queryset(self, request):
        # Autocomplete results and the change form print the Ausschuss with each Sitzung.
        return super().get_queryset(request).select_related("ausschuss", "ort")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The Beratungsfolge of each Vorlage on the agenda follows the agenda.
        beratungsfolge_abgleichen(sitzung=form.instance)
        # A changed agenda of a convened Sitzung is a new published version (nothing recorded if unchanged).
        tagesordnung_fassung_festhalten(
            sitzung=form.instance, anlass="Änderung durch den Sitzungsdienst", user=request.user
        )


class BeratungForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if self.instance.tagesordnungspunkt_id and "sitzung" in self.changed_data:
            # The TOP is no field here; without this its error from Beratung.clean() would have nowhere to go.
            self.add_error(
                "sitzung",
                _(
                    "Diese Beratung steht als %(top)s auf der Tagesordnung der Sitzung. Um sie zu verlegen, "
                    "nehmen Sie die Vorlage dort von der Tagesordnung."
                )
                % {"top": self.instance.tagesordnungspunkt.bezeichnung},
            )
        return cleaned_data


class BeratungInline(OhneVerweisknoepfeMixin, admin.TabularInline):
    model = Beratung
    form = BeratungForm
    fields = ["ausschuss", "rolle", "oeffentlich", "termin", "sitzung", "ergebnis", "reihenfolge", "tagesordnungspunkt"]
    readonly_fields = ["tagesordnungspunkt"]
    autocomplete_fields = ["ausschuss", "sitzung"]
    ordering = ["reihenfolge", "termin", "pk"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ausschuss", "sitzung__ausschuss", "tagesordnungspunkt")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sitzung":
            kwargs["queryset"] = Sitzung.objects.select_related("ausschuss")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The Beratungsfolge belongs on the Vorlage's page, but Beratung lives in this app and `vorlagen` must not import
# from `sitzungen`. So this app extends the Vorlage admin that vorlagen/admin.py registered (imported above, so the
# order of INSTALLED_APPS does not matter) with the Beratungsfolge inline, first as on the paper, and its filter.
class VorlageMitBeratungsfolgeAdmin(VorlageAdmin):
    inlines = [BeratungInline, *VorlageAdmin.inlines]
    list_filter = [*VorlageAdmin.list_filter, ("beratungen__ausschuss", AUSSCHUSS_IN_BERATUNGSFOLGE)]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # An Anlage added or replaced (or a title changed) on a Vorlage on the agenda of a convened Sitzung changes
        # that published agenda: each such Sitzung gets a new version if its snapshot differs.
        vorlage = form.instance
        sitzungen = Sitzung.objects.filter(
            tagesordnungspunkte__vorlagen=vorlage,
            status__in=[Sitzung.Status.EINBERUFEN, Sitzung.Status.ABGESCHLOSSEN],
        ).distinct()
        for sitzung in sitzungen:
            tagesordnung_fassung_festhalten(
                sitzung=sitzung, anlass=f"Änderung an {vorlage.bezeichnung}", user=request.user
            )


admin.site.unregister(Vorlage)
admin.site.register(Vorlage, VorlageMitBeratungsfolgeAdmin)


@admin.register(Beratung)
class BeratungAdmin(admin.ModelAdmin):
    """All Beratungen across the Vorlagen, to plan agendas: which Vorlagen wait for which Ausschuss.

    A list to read; a Beratung is changed in the Beratungsfolge of its Vorlage, where the list links to.
    """

    list_display = ["vorlage_verweis", "ausschuss", "rolle", "termin", "sitzung", "oeffentlich", "ergebnis"]
    list_display_links = None
    list_filter = [
        ("ausschuss", _mit_titel(admin.RelatedOnlyFieldListFilter, Ausschuss._meta.verbose_name)),
        ("rolle", _mit_titel(admin.ChoicesFieldListFilter, _("Zweck"))),
        "oeffentlich",
        "ergebnis",
        ("sitzung", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["vorlage", "ausschuss", "sitzung__ausschuss"]
    search_fields = ["vorlage__titel", "vorlage__nummer__exact", "ausschuss__name", "ausschuss__kurzname"]
    date_hierarchy = "termin"
    actions = None

    @admin.display(description=Beratung._meta.get_field("vorlage").verbose_name, ordering="vorlage")
    def vorlage_verweis(self, beratung):
        url = reverse("admin:vorlagen_vorlage_change", args=[beratung.vorlage_id])
        return format_html('<a href="{}">{}</a>', url, beratung.vorlage)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
