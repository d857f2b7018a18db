"""The clerks' admin for Ausschüsse with their members, Personen, Orte, Sitzungen with their Tagesordnung, and the
Beratungsfolge of a Vorlage."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ratsinfo.admin import VERLAUF, ZEITSTEMPEL, OhneVerweisknoepfeMixin
from sitzungen.models import Ausschuss, Beratung, Mitgliedschaft, Ort, Person, Sitzung, Tagesordnungspunkt
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


# -- Mitgliedschaften ----------------------------------------------------------------------------------------------


def _beendete_zuletzt():
    """Ordering: seats that have ended go below the others."""
    return Case(When(ende__lt=timezone.localdate(), then=Value(1)), default=Value(0))


def _nach_rolle():
    """Ordering: Vorsitz, stellvertretender Vorsitz, Mitglied, Stellvertretung, sachkundige Einwohner."""
    return Case(
        *(When(rolle=wert, then=Value(stelle)) for stelle, wert in enumerate(Mitgliedschaft.Rolle.values)),
        default=Value(len(Mitgliedschaft.Rolle.values)),
    )


class MitgliedschaftenDerPersonInline(admin.TabularInline):
    model = Mitgliedschaft
    fk_name = "person"
    fields = ["ausschuss", "rolle", "beginn", "ende"]
    autocomplete_fields = ["ausschuss"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ausschuss")

    def get_ordering(self, request):
        return [_beendete_zuletzt(), "ausschuss__reihenfolge", "ausschuss__name", "-beginn"]


class MitgliederInline(admin.TabularInline):
    model = Mitgliedschaft
    fk_name = "ausschuss"
    fields = ["person", "rolle", "beginn", "ende"]
    autocomplete_fields = ["person"]
    verbose_name_plural = _("Mitglieder")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def get_ordering(self, request):
        return [_beendete_zuletzt(), _nach_rolle(), "person__nachname", "person__vorname", "-beginn"]


@admin.register(Ausschuss)
class AusschussAdmin(admin.ModelAdmin):
    list_display = ["name", "kurzname", "art", "aktiv", "reihenfolge"]
    list_filter = ["art", "aktiv"]
    search_fields = ["name", "kurzname"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "kurzname", "slug", "art", "aktiv", "reihenfolge", "beschreibung"]}),
        VERLAUF,
    ]
    readonly_fields = ZEITSTEMPEL
    inlines = [MitgliederInline]


class AktuellMitgliedInFilter(admin.SimpleListFilter):
    """The Personen who sit on a committee today: the filter clerks use to check a committee's composition."""

    title = _("Gremium (aktuelle Mitgliedschaft)")
    parameter_name = "mitglied_in"

    def lookups(self, request, model_admin):
        gremien = Ausschuss.objects.filter(pk__in=Mitgliedschaft.objects.aktuell().values("ausschuss"))
        return [(str(pk), name) for pk, name in gremien.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value():
            sitze = Mitgliedschaft.objects.aktuell().filter(ausschuss_id=self.value())
            return queryset.filter(pk__in=sitze.values("person"))
        return queryset


class BenutzerkontoFilter(admin.SimpleListFilter):
    title = Person._meta.get_field("benutzer").verbose_name
    parameter_name = "konto"

    def lookups(self, request, model_admin):
        return [("ja", _("mit Benutzerkonto")), ("nein", _("ohne Benutzerkonto"))]

    def queryset(self, request, queryset):
        if self.value() in ("ja", "nein"):
            return queryset.filter(benutzer__isnull=self.value() == "nein")
        return queryset


class PersonForm(forms.ModelForm):
    class Meta:
        error_messages = {
            "benutzer": {"unique": _("Dieses Benutzerkonto ist schon mit einer anderen Person verknüpft.")},
        }


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonForm
    list_display = ["name", "fraktion", "partei", "mit_benutzerkonto", "kontakt_veroeffentlichen"]
    list_filter = [
        ("fraktion", admin.RelatedOnlyFieldListFilter),
        "kontakt_veroeffentlichen",
        AktuellMitgliedInFilter,
        BenutzerkontoFilter,
    ]
    list_select_related = ["fraktion"]
    search_fields = ["nachname", "vorname", "titel", "benutzer__username"]
    autocomplete_fields = ["fraktion", "benutzer"]
    fieldsets = [
        (None, {"fields": [("titel", "vorname", "nachname"), "fraktion", "partei"]}),
        (
            _("Kontakt"),
            {
                "fields": ["kontakt_veroeffentlichen", "email", "telefon"],
                "description": _(
                    "E-Mail und Telefon erscheinen nur auf der Website, wenn die Person eingewilligt hat. Ohne "
                    "Einwilligung bleiben sie der Verwaltung vorbehalten."
                ),
            },
        ),
        (
            Person._meta.get_field("benutzer").verbose_name,
            {
                "fields": ["benutzer"],
                "description": _(
                    "Mit einem verknüpften Benutzerkonto sieht die Person nach der Anmeldung die nichtöffentlichen "
                    "Tagesordnungspunkte, Vorlagen und Anlagen der Gremien, in denen sie heute Mitglied ist."
                ),
            },
        ),
        VERLAUF,
    ]
    readonly_fields = ZEITSTEMPEL
    inlines = [MitgliedschaftenDerPersonInline]

    @admin.display(description=_("Name"), ordering="nachname")
    def name(self, person):
        vorname = " ".join(teil for teil in [person.titel, person.vorname] if teil)
        return f"{person.nachname}, {vorname}"

    @admin.display(description=_("Benutzerkonto"), boolean=True, ordering="benutzer")
    def mit_benutzerkonto(self, person):
        return person.benutzer_id is not None


class MitgliedschaftStandFilter(admin.SimpleListFilter):
    title = _("Stand")
    parameter_name = "aktuell"

    def lookups(self, request, model_admin):
        return [("ja", _("aktuell")), ("beendet", _("beendet")), ("kuenftig", _("beginnt später"))]

    def queryset(self, request, queryset):
        heute = timezone.localdate()
        if self.value() == "ja":
            return queryset.aktuell(heute)
        if self.value() == "beendet":
            return queryset.filter(ende__lt=heute)
        if self.value() == "kuenftig":
            return queryset.filter(beginn__gt=heute)
        return queryset


@admin.register(Mitgliedschaft)
class MitgliedschaftAdmin(admin.ModelAdmin):
    list_display = ["person", "ausschuss", "rolle", "beginn", "ende", "aktuell"]
    list_filter = [("ausschuss", admin.RelatedOnlyFieldListFilter), "rolle", MitgliedschaftStandFilter]
    list_select_related = ["person", "ausschuss"]
    search_fields = ["person__nachname", "person__vorname", "ausschuss__name", "ausschuss__kurzname"]
    date_hierarchy = "beginn"
    autocomplete_fields = ["person", "ausschuss"]
    fieldsets = [(None, {"fields": ["person", "ausschuss", "rolle", ("beginn", "ende")]}), VERLAUF]
    readonly_fields = ZEITSTEMPEL

    @admin.display(description=_("aktuell"), boolean=True)
    def aktuell(self, mitgliedschaft):
        heute = timezone.localdate()
        return mitgliedschaft.beginn <= heute and (mitgliedschaft.ende is None or mitgliedschaft.ende >= heute)

    def get_queryset(self, request):
        # The change page and the autocomplete print Person and Ausschuss with each seat.
        return super().get_queryset(request).select_related("person", "ausschuss")

    def get_changeform_initial_data(self, request):
        return {"beginn": timezone.localdate(), **super().get_changeform_initial_data(request)}


@admin.register(Ort)
class OrtAdmin(admin.ModelAdmin):
    list_display = ["bezeichnung", "raum", "strasse", "ort"]
    search_fields = ["bezeichnung", "raum", "strasse", "ort"]
    fieldsets = [(None, {"fields": ["bezeichnung", "raum", "strasse", ("postleitzahl", "ort")]}), VERLAUF]
    readonly_fields = ZEITSTEMPEL


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
    list_display = ["titel", "ausschuss", "beginn", "status", "oeffentlich"]
    list_filter = [("ausschuss", admin.RelatedOnlyFieldListFilter), "status", "oeffentlich"]
    list_select_related = ["ausschuss"]
    search_fields = ["ausschuss__name", "ausschuss__kurzname", "name"]
    date_hierarchy = "beginn"
    autocomplete_fields = ["ausschuss", "ort"]
    fieldsets = [(None, {"fields": ["ausschuss", "name", ("beginn", "ende"), "ort", "status", "oeffentlich"]}), VERLAUF]
    readonly_fields = ZEITSTEMPEL
    inlines = [TagesordnungspunktInline]

    @admin.display(description=_("Titel"), ordering="name")
    def titel(self, sitzung):
        return sitzung.titel

    def get_queryset(self, request):
        # Autocomplete results and the change form print the Ausschuss with each Sitzung.
        return super().get_queryset(request).select_related("ausschuss", "ort")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The Beratungsfolge of each Vorlage on the agenda follows the agenda.
        beratungsfolge_abgleichen(sitzung=form.instance)


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
