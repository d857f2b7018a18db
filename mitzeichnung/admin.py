"""The clerks' view of the routes: Laufwege with their steps (read only: steps are decided by their people, never
typed in), the action "Laufweg abbrechen", and the page "Auf den Laufweg schicken" linked from the Vorlage's form.

The Vorlage admin (vorlagen, layer 4) must not import this app; it links here by URL name, and after each save it
calls the functions registered with ``vorlagen.admin.nach_speichern_eintragen`` (see ``apps.py``): a changed text
on a running route asks the Mitzeichnungen again.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gremien.models import Dienststelle, Dienststellenzugehoerigkeit
from mitzeichnung import services
from mitzeichnung.models import Laufweg, Schritt
from ratsinfo.admin import ZEITSTEMPEL, NurLesenMixin
from vorlagen.admin import nur_fuer_berechtigte
from vorlagen.models import Vorlage


def _fehlertext(fehler):
    return " ".join(fehler.messages)


class SchrittInline(admin.TabularInline):
    model = Schritt
    fields = [
        "stufe",
        "art",
        "dienststelle",
        "zustaendig",
        "vertretung",
        "frist",
        "status",
        "entschieden_von",
        "entschieden_am",
        "textstand",
        "anmerkung",
        "wiederholung_von",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("dienststelle", "zustaendig", "vertretung", "entschieden_von", "textstand")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AbbruchFormular(forms.Form):
    grund = forms.CharField(label=_("Grund des Abbruchs"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Laufweg)
class LaufwegAdmin(admin.ModelAdmin):
    list_display = ["vorlage", "status", "gestartet_von", "gestartet_am", "beendet_am"]
    list_filter = ["status", ("vorlage__dienststelle", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["vorlage", "gestartet_von"]
    search_fields = ["vorlage__titel", "vorlage__nummer__exact", "vorlage__dienststelle__name"]
    date_hierarchy = "gestartet_am"
    readonly_fields = ["vorlage", "status", "gestartet_von", "gestartet_am", "beendet_am", *ZEITSTEMPEL]
    fieldsets = [
        (None, {"fields": ["vorlage", "status", "gestartet_von", "gestartet_am", "beendet_am"]}),
        (_("Zeitstempel"), {"fields": ZEITSTEMPEL, "classes": ["collapse"]}),
    ]
    inlines = [SchrittInline]
    actions = ["abbrechen"]

    def get_queryset(self, request):
        vorlagen = nur_fuer_berechtigte(request, Vorlage.objects.all())
        return super().get_queryset(request).filter(vorlage__in=vorlagen)

    def has_add_permission(self, request):
        # A route is started from its Vorlage ("Auf den Laufweg schicken"), with the steps in one go.
        return False

    def has_delete_permission(self, request, obj=None):
        # A route is a record of decisions: it is cancelled, never deleted.
        return False

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_starten"
        return [
            path("starten/<int:vorlage_id>/", self.admin_site.admin_view(self.starten_view), name=name),
            *super().get_urls(),
        ]

    @admin.action(description=_("Laufweg abbrechen"), permissions=["change"])
    def abbrechen(self, request, queryset):
        formular = AbbruchFormular(request.POST if "abbrechen_bestaetigt" in request.POST else None)
        if formular.is_bound and formular.is_valid():
            abgebrochen, fehler = [], []
            for laufweg in queryset.select_related("vorlage"):
                try:
                    services.laufweg_abbrechen(laufweg=laufweg, user=request.user, grund=formular.cleaned_data["grund"])
                except ValidationError as ausnahme:
                    fehler.append(f"{laufweg.vorlage.bezeichnung}: {_fehlertext(ausnahme)}")
                else:
                    abgebrochen.append(laufweg.vorlage.bezeichnung)
            if abgebrochen:
                meldung = ngettext(
                    "%(anzahl)d Laufweg abgebrochen: %(vorlagen)s",
                    "%(anzahl)d Laufwege abgebrochen: %(vorlagen)s",
                    len(abgebrochen),
                )
                self.message_user(request, meldung % {"anzahl": len(abgebrochen), "vorlagen": ", ".join(abgebrochen)})
            if fehler:
                self.message_user(request, " – ".join(fehler), messages.ERROR)
            return None
        kontext = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Laufweg abbrechen"),
            "laufwege": queryset.select_related("vorlage"),
            "formular": formular,
            "aktion": "abbrechen",
            "auswahl": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/mitzeichnung/laufweg/abbrechen.html", kontext)

    def starten_view(self, request, vorlage_id):
        if not self.has_view_permission(request) or not request.user.has_perm("mitzeichnung.add_laufweg"):
            raise PermissionDenied
        vorlage = get_object_or_404(
            nur_fuer_berechtigte(request, Vorlage.objects.select_related("dienststelle")), pk=vorlage_id
        )
        if not request.user.has_perm("vorlagen.change_vorlage"):
            raise PermissionDenied
        daten = request.POST if request.method == "POST" else None
        zeilen = MitzeichnungFormSet(daten, prefix="mitzeichnung")
        freigabe = FreigabeFormular(daten, prefix="freigabe", initial={"dienststelle": vorlage.dienststelle_id})
        fehler = []
        if daten is not None and zeilen.is_valid() and freigabe.is_valid():
            mitzeichnungen = [
                zeile.cleaned_data for zeile in zeilen if zeile.cleaned_data and not zeile.cleaned_data.get("DELETE")
            ]
            try:
                laufweg = services.laufweg_starten(
                    vorlage=vorlage,
                    user=request.user,
                    mitzeichnungen=[
                        {schluessel: wert for schluessel, wert in eintrag.items() if schluessel != "DELETE"}
                        for eintrag in mitzeichnungen
                    ],
                    freigabe=freigabe.cleaned_data,
                )
            except ValidationError as ausnahme:
                fehler = ausnahme.messages
            else:
                self.message_user(
                    request,
                    _("%(vorlage)s ist auf dem Laufweg.") % {"vorlage": vorlage.bezeichnung},
                    messages.SUCCESS,
                )
                offen = laufweg.schritte.offen().select_related("dienststelle")
                for schritt in services.ohne_adresse(list(offen)):
                    self.message_user(
                        request,
                        _(
                            "%(schritt)s: niemand mit E-Mail-Adresse erhält die Aufgabe; der Schritt ist offen, "
                            "bitte Bescheid geben."
                        )
                        % {"schritt": schritt},
                        messages.WARNING,
                    )
                return HttpResponseRedirect(reverse("admin:mitzeichnung_laufweg_change", args=[laufweg.pk]))
        kontext = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Auf den Laufweg schicken: %(vorlage)s") % {"vorlage": vorlage.bezeichnung},
            "vorlage": vorlage,
            "zeilen": zeilen,
            "freigabe": freigabe,
            "fehler": fehler,
        }
        return TemplateResponse(request, "admin/mitzeichnung/laufweg/starten.html", kontext)


def _konten():
    # Accounts of the administration: whoever works in a Dienststelle today.
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Dienststellenzugehoerigkeit.objects.aktuell().values("benutzer"),
        )
        .order_by("last_name", "first_name", "username")
    )


class KontoFeld(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class MitzeichnungZeile(forms.Form):
    dienststelle = forms.ModelChoiceField(label=_("Dienststelle"), queryset=Dienststelle.objects.all())
    stufe = forms.IntegerField(
        label=_("Stufe"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Leer: 1. Gleiche Stufe: parallel; höhere Stufe: danach."),
    )
    frist = forms.DateField(label=_("Frist"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    zustaendig = KontoFeld(label=_("zuständig"), queryset=None, required=False)
    vertretung = KontoFeld(label=_("Vertretung"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zustaendig"].queryset = _konten()
        self.fields["vertretung"].queryset = _konten()

    def clean_stufe(self):
        # No initial value: a row left empty stays unchanged and is passed over.
        return self.cleaned_data.get("stufe") or 1

    def clean_frist(self):
        frist = self.cleaned_data["frist"]
        if frist < timezone.localdate():
            raise ValidationError(_("Die Frist liegt in der Vergangenheit."))
        return frist


class FreigabeFormular(MitzeichnungZeile):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["stufe"]
        self.fields["zustaendig"].help_text = _("Leer: jede/r mit Leitung in der Dienststelle.")


MitzeichnungFormSet = forms.formset_factory(MitzeichnungZeile, extra=4, can_delete=True)


@admin.register(Schritt)
class SchrittAdmin(NurLesenMixin, admin.ModelAdmin):
    """All steps across the routes, to see what waits where and since when (read only)."""

    list_display = ["laufweg", "art", "stufe", "dienststelle", "zustaendig", "vertretung", "frist", "status"]
    list_filter = ["status", "art", ("dienststelle", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["laufweg__vorlage", "dienststelle", "zustaendig", "vertretung"]
    search_fields = ["laufweg__vorlage__titel", "laufweg__vorlage__nummer__exact", "dienststelle__name"]
    date_hierarchy = "frist"
    fieldsets = [
        (None, {"fields": ["laufweg", "art", "stufe", "dienststelle", "zustaendig", "vertretung", "frist"]}),
        (
            _("Entscheidung"),
            {
                "fields": [
                    "status",
                    "geoeffnet_am",
                    "erinnert_am",
                    "entschieden_am",
                    "entschieden_von",
                    "textstand",
                    "anmerkung",
                    "wiederholung_von",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        vorlagen = nur_fuer_berechtigte(request, Vorlage.objects.all())
        return super().get_queryset(request).filter(laufweg__vorlage__in=vorlagen)
