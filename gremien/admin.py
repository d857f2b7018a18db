"""The clerks' admin for the bodies and their people: Ausschüsse with their members, Personen with their seats,
Mitgliedschaften, Orte, and the Dienststellen of the administration."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Case, Value, When
from django.urls import reverse
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
from gremien.services import foto_entfernen
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


FOTO_MAX_BYTES = 5 * 1024 * 1024
FOTO_MAX_KANTE = 4000
# Pillow's name of the format -> the file ending the stored photo gets (the view serves the type by it).
FOTO_FORMATE = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def foto_pruefen(datei):
    """The ending for an uploaded photo after checking its content with Pillow: JPEG, PNG or WebP, at most 5 MB and
    4000 × 4000 pixels, and a picture that decodes. The name and the browser's content type are not trusted: a PDF
    or an HTML page named .jpg, and a decompression bomb, are refused here with a German message."""
    from PIL import Image, UnidentifiedImageError

    if datei.size > FOTO_MAX_BYTES:
        raise forms.ValidationError(_("Das Foto ist größer als 5 MB."), code="foto_zu_gross")
    fehler = forms.ValidationError(
        _("Die Datei ist kein lesbares Bild im Format JPEG, PNG oder WebP."), code="foto_kein_bild"
    )
    try:
        datei.seek(0)
        with Image.open(datei) as bild:
            # Image.open reads only the header: the size is known before a single pixel is decoded.
            if bild.format not in FOTO_FORMATE:
                raise fehler
            breite, hoehe = bild.size
            if breite > FOTO_MAX_KANTE or hoehe > FOTO_MAX_KANTE:
                raise forms.ValidationError(_("Das Foto ist größer als 4000 × 4000 Pixel."), code="foto_zu_viele_pixel")
            format_ = bild.format
            bild.verify()
        datei.seek(0)
        with Image.open(datei) as bild:
            # verify() checks the structure; decoding proves the pixels are there too (a truncated file fails).
            bild.load()
    except forms.ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise fehler from None
    finally:
        datei.seek(0)
    return FOTO_FORMATE[format_]


class _FotoVerweis:
    """The stored photo as the admin's file widget prints it: the Anlagen storage gives files no address of their
    own, so the link goes to the photo view (which shows it only with consent)."""

    def __init__(self, datei):
        self.name = datei.name
        self.url = reverse("sitzungen:person-foto", kwargs={"pk": datei.instance.pk})

    def __str__(self):
        return self.name


class FotoWidget(forms.ClearableFileInput):
    def is_initial(self, value):
        return bool(value) and getattr(value, "instance", None) is not None

    def format_value(self, value):
        if self.is_initial(value):
            return _FotoVerweis(value)
        return None


class PersonForm(forms.ModelForm):
    class Meta:
        widgets = {"foto": FotoWidget}
        error_messages = {
            "benutzer": {"unique": _("Dieses Benutzerkonto ist schon mit einer anderen Person verknüpft.")},
        }

    def clean_foto(self):
        foto = self.cleaned_data.get("foto")
        if isinstance(foto, UploadedFile):
            # A name of our own with the ending of the checked format: never the uploader's name.
            foto.name = "foto" + foto_pruefen(foto)
        return foto

    def clean(self):
        daten = super().clean()
        foto = daten.get("foto")
        einwilligung_entfernt = "foto_einwilligung_am" in self.changed_data and not daten.get("foto_einwilligung_am")
        if einwilligung_entfernt and foto and not isinstance(foto, UploadedFile):
            # Consent withdrawn: the photo goes with it (deleted on saving), it is not kept without consent. A new
            # upload without consent is refused instead (Person.clean).
            daten["foto"] = False
        return daten


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
            _("Foto"),
            {
                "fields": ["foto", "foto_einwilligung_am"],
                "description": _(
                    "Das Foto erscheint nur, wenn die Person eingewilligt hat (Datum der Einwilligung). JPEG, PNG "
                    "oder WebP, höchstens 5 MB und 4000 × 4000 Pixel. Wird das Datum der Einwilligung gelöscht, "
                    "wird auch das Foto gelöscht."
                ),
            },
        ),
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

    def save_model(self, request, obj, form, change):
        alt = Person.objects.filter(pk=obj.pk).values_list("foto", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if alt and alt != obj.foto.name:
            # A replaced or withdrawn photo leaves no copy in the storage.
            foto_entfernen(name=alt)

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
