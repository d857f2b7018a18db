"""The clerks' admin for the bodies and their people: Ausschüsse with their members, Personen with their seats,
Mitgliedschaften, Orte, and the Dienststellen of the administration."""

from django import forms
from django.contrib import admin
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gremien.models import (
    Ausschuss,
    Dienststelle,
    Dienststellenzugehoerigkeit,
    Mitgliedschaft,
    Ort,
    Person,
    Wahlperiode,
)
from ratsinfo.admin import VERLAUF, ZEITSTEMPEL

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
        (_("Einberufung"), {"fields": ["ladungsfrist_tage"]}),
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


# -- Dienststellen and their staff (issue 19) ------------------------------------------------------------------------


class MitarbeitendeInline(admin.TabularInline):
    """The user accounts working in a Dienststelle: they see and edit its drafts in their work area and decide its
    steps of Mitzeichnung; ``leitung`` gives the Freigabe."""

    model = Dienststellenzugehoerigkeit
    fk_name = "dienststelle"
    fields = ["benutzer", "leitung", "beginn", "ende"]
    autocomplete_fields = ["benutzer"]
    verbose_name_plural = _("Mitarbeitende (Arbeitsbereich und Mitzeichnung)")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("benutzer")

    def get_ordering(self, request):
        return [_beendete_zuletzt(), "-leitung", "benutzer__last_name", "benutzer__username", "-beginn"]


@admin.register(Dienststelle)
class DienststelleAdmin(admin.ModelAdmin):
    list_display = ["name", "kurzname", "art", "uebergeordnet"]
    list_filter = ["art"]
    list_select_related = ["uebergeordnet"]
    search_fields = ["name", "kurzname"]
    autocomplete_fields = ["uebergeordnet"]
    fieldsets = [(None, {"fields": ["name", "kurzname", "art", "uebergeordnet"]}), VERLAUF]
    readonly_fields = ZEITSTEMPEL
    inlines = [MitarbeitendeInline]


@admin.register(Dienststellenzugehoerigkeit)
class DienststellenzugehoerigkeitAdmin(admin.ModelAdmin):
    list_display = ["benutzer", "dienststelle", "leitung", "beginn", "ende", "aktuell"]
    list_filter = [("dienststelle", admin.RelatedOnlyFieldListFilter), "leitung", MitgliedschaftStandFilter]
    list_select_related = ["benutzer", "dienststelle"]
    search_fields = [
        "benutzer__username",
        "benutzer__first_name",
        "benutzer__last_name",
        "benutzer__email",
        "dienststelle__name",
        "dienststelle__kurzname",
    ]
    date_hierarchy = "beginn"
    autocomplete_fields = ["benutzer", "dienststelle"]
    fieldsets = [(None, {"fields": ["benutzer", "dienststelle", "leitung", ("beginn", "ende")]}), VERLAUF]
    readonly_fields = ZEITSTEMPEL

    @admin.display(description=_("aktuell"), boolean=True)
    def aktuell(self, zugehoerigkeit):
        heute = timezone.localdate()
        return zugehoerigkeit.beginn <= heute and (zugehoerigkeit.ende is None or zugehoerigkeit.ende >= heute)

    def get_changeform_initial_data(self, request):
        return {"beginn": timezone.localdate(), **super().get_changeform_initial_data(request)}


@admin.register(Wahlperiode)
class WahlperiodeAdmin(admin.ModelAdmin):
    list_display = ["name", "beginn", "ende", "aktuell"]
    search_fields = ["name"]
    date_hierarchy = "beginn"
    fieldsets = [(None, {"fields": ["name", ("beginn", "ende")]}), VERLAUF]
    readonly_fields = ZEITSTEMPEL

    @admin.display(description=_("aktuell"), boolean=True)
    def aktuell(self, wahlperiode):
        return wahlperiode.beginn <= timezone.localdate() <= wahlperiode.ende
