"""The clerks' admin for Vorlagen and their Anlagen, and the audit of non-public downloads.

The Beratungsfolge of a Vorlage is edited here too, but its model lives in ``sitzungen``, which may import from
``vorlagen`` and not the other way round; ``sitzungen/admin.py`` therefore adds it to the Vorlage admin.

Upper apps that must act after a Vorlage was saved in the admin (``mitzeichnung``: a changed text on a running route
asks the Mitzeichnungen again) register a function with ``nach_speichern_eintragen`` from their AppConfig.ready();
it runs in ``save_related``, inside the admin's transaction, whichever admin subclass is registered.
"""

import contextlib
import errno
import logging
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gremien.sichtbarkeit import darf_alles_sehen
from ratsinfo.admin import ZEITSTEMPEL, NurLesenMixin
from vorlagen import services
from vorlagen.forms import AnlageForm, DateienBehaltenMixin
from vorlagen.models import NUMMERNKREISE, URHEBER_ARTEN, Anlage, AnlageAbruf, Nummernzaehler, Urheber, Vorlage
from vorlagen.storage import dateien_zuruecknehmen_bei_fehler

logger = logging.getLogger(__name__)

# "952/2021", "GRDrs 952/2021" or "GRDrs 952/2021 Neufassung", as clerks write a number.
BEZEICHNUNG = re.compile(
    r"^\s*(?:(?P<kreis>[^\W\d]+)\s*)?(?P<nummer>\d+)\s*/\s*(?P<jahr>\d{4})(?:\s+(?P<zusatz>.+?))?\s*$"
)


# Functions called as f(request=..., vorlage=...) after the Vorlage's form and inlines were saved.
NACH_SPEICHERN = []


def nach_speichern_eintragen(funktion):
    """Have ``funktion(request=, vorlage=)`` called after each save of a Vorlage in the admin (once per function)."""
    if funktion not in NACH_SPEICHERN:
        NACH_SPEICHERN.append(funktion)
    return funktion


def nur_fuer_berechtigte(request, queryset):
    """Confidential papers (Personalangelegenheiten) are for clerks with the permission, in the admin too."""
    if darf_alles_sehen(request.user):
        return queryset
    return queryset.filter(vertraulich=False)


class AnlageInline(admin.TabularInline):
    model = Anlage
    form = AnlageForm
    fields = ["titel", "datei", "reihenfolge", "oeffentlich", "vertraulich", "textstatus", "seitenzahl"]
    readonly_fields = ["textstatus", "seitenzahl"]
    extra = 0

    def get_queryset(self, request):
        return nur_fuer_berechtigte(request, super().get_queryset(request).select_related("vorlage"))


class UrheberFormSet(forms.BaseInlineFormSet):
    """The signatories as one list: a published Antrag or Anfrage keeps at least one (the database refuses to lose
    the last one too, migration 0011). Each row checks itself that its paper is an Antrag or Anfrage
    (``Urheber.clean``)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        bleibende = [
            formular for formular in self.forms if formular.cleaned_data and not formular.cleaned_data.get("DELETE")
        ]
        vorlage = self.instance
        if not bleibende and vorlage.pk and vorlage.ist_veroeffentlicht and vorlage.art in URHEBER_ARTEN:
            raise ValidationError(
                _(
                    "Ein veröffentlichter Antrag oder eine veröffentlichte Anfrage behält mindestens eine "
                    "Antragstellerin oder einen Antragsteller."
                ),
                code="letzter_urheber",
            )


class UrheberInline(admin.TabularInline):
    """Who signed an Antrag or Anfrage, in the order of the signatures: a Fraktion or a person per row."""

    model = Urheber
    formset = UrheberFormSet
    fields = ["reihenfolge", "fraktion", "person"]
    # The Fraktion field offers only Fraktionen: the autocomplete honours the field's limit_choices_to.
    autocomplete_fields = ["fraktion", "person"]
    extra = 0
    verbose_name = _("Antragsteller/-in (Fraktion oder Person)")
    verbose_name_plural = _(
        "Antragsteller/-innen (nur bei Anträgen und Anfragen, in der Reihenfolge der Unterschriften)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("vorlage", "fraktion", "person")


class VorlageForm(forms.ModelForm):
    def validate_constraints(self):
        super().validate_constraints()
        # The address (kennung) is derived from the number in Vorlage.clean() and is no form field, so Django leaves
        # its constraint out. Numbers that differ only in spelling ("Ergänzung", "Ergaenzung") share an address and
        # would otherwise end in an IntegrityError instead of a message.
        if self.errors:
            return
        (eindeutige_kennung,) = (c for c in Vorlage._meta.constraints if c.name == "vorlage_kennung_eindeutig")
        try:
            eindeutige_kennung.validate(Vorlage, self.instance)
        except ValidationError as fehler:
            self._update_errors(fehler)


def speicherfehler_grund(fehler):
    """Why the storage of the Anlagen (and of the Sitzungsdokumente) refused a file, in words for the operators."""
    if fehler.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("Der Speicherplatz für Anlagen ist erschöpft (Datenträger voll).")
    if fehler.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("Der Speicher für Anlagen ist nicht beschreibbar.")
    return _("Der Speicher für Anlagen hat einen Fehler gemeldet.")


def speicherfehler_text(fehler):
    """Why an Anlage could not be written, in words a clerk can pass on to the operators."""
    return _(
        "Die Datei konnte nicht gespeichert werden. %(grund)s Es wurde nichts gespeichert: Die Vorlage und ihre "
        "bisherigen Anlagen sind unverändert. Bitte informieren Sie den Betrieb und laden Sie die Datei danach "
        "erneut hoch."
    ) % {"grund": speicherfehler_grund(fehler)}


class DateienImFormularMixin:
    """For a ModelAdmin whose inlines upload files into the Anlagen storage (Vorlage, and the Sitzung admin that
    ``protokoll`` extends): files written before a storage error go again, the form comes back with the reason,
    and uploads that passed their checks are kept across any other error (``vorlagen.forms``)."""

    def speicherfehler_text(self, fehler):
        return speicherfehler_text(fehler)

    @staticmethod
    def neue_dateien(formset):
        """The rows of a saved formset with a new or replaced file: their text is to be read."""
        geaendert = [objekt for objekt, felder in formset.changed_objects if "datei" in felder]
        return [*formset.new_objects, *geaendert]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The admin saves the object and its files in one transaction; a storage that cannot write a file (disk
        # full, read-only) rolls it all back, and files written before the failure in the same request go too.
        try:
            with dateien_zuruecknehmen_bei_fehler():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as fehler:
            # The admin's own atomic block around the save has been rolled back by the exception already. The form
            # is shown again with everything the clerk entered and the reason as its error (get_form), instead of
            # a redirect that would lose the input.
            logger.exception("Anlage konnte nicht gespeichert werden (%s)", request.path)
            request.ratsinfo_speicherfehler = self.speicherfehler_text(fehler)
            for datei in request.FILES.values():
                with contextlib.suppress(OSError, ValueError):
                    datei.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.form, DateienBehaltenMixin):
            # The kept files of a row are bound to the clerk who chose them.
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "benutzer": request.user}
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Shown again after an error: the files chosen in the rows are kept, so the clerk need not choose them
        # once more (vorlagen.forms).
        for inline in context.get("inline_admin_formsets", []):
            for formular in inline.formset.forms:
                if isinstance(formular, DateienBehaltenMixin):
                    formular.dateien_behalten()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        speicherfehler = getattr(request, "ratsinfo_speicherfehler", None)
        if speicherfehler is None:
            return form

        class FormularNachSpeicherfehler(form):
            def clean(self):
                super().clean()
                raise ValidationError(speicherfehler, code="speicherfehler")

        return FormularNachSpeicherfehler


def zugang_text(objekt):
    """Who may see a Vorlage or Anlage, in a word: the marker in the admin lists."""
    if objekt.vertraulich:
        return _("vertraulich")
    if not objekt.oeffentlich:
        return _("nichtöffentlich")
    return _("öffentlich")


def _fehlertext(fehler):
    """A service's ValidationError as one line, naming the fields it concerns."""
    if not hasattr(fehler, "error_dict"):
        return " ".join(fehler.messages)
    teile = []
    for feld, meldungen in fehler.message_dict.items():
        text = " ".join(meldungen)
        if feld != NON_FIELD_ERRORS:
            text = f"{capfirst(Vorlage._meta.get_field(feld).verbose_name)}: {text}"
        teile.append(text)
    return " ".join(teile)


@admin.register(Vorlage)
class VorlageAdmin(DateienImFormularMixin, admin.ModelAdmin):
    form = VorlageForm
    list_display = ["bezeichnung", "titel", "art", "dienststelle", "datum", "status", "zugang"]
    list_filter = ["art", "status", "oeffentlich", "vertraulich", "jahr", "dienststelle"]
    list_select_related = ["dienststelle"]
    search_fields = [
        "titel",
        "nummer__exact",
        "aktenzeichen",
        "beschlussantrag",
        "bericht",
        "begruendung",
        "urheber__fraktion__name",
        "urheber__fraktion__kurzname",
        "urheber__person__nachname",
    ]
    date_hierarchy = "datum"
    autocomplete_fields = ["dienststelle", "vorliegende_antraege", "erledigte_antraege", "bezug", "anfrage"]
    readonly_fields = [
        "status",
        "veroeffentlicht_am",
        "nummer_vergeben_am",
        "kennung",
        "pdf_vorschau",
        "laufweg",
        *ZEITSTEMPEL,
    ]
    inlines = [AnlageInline, UrheberInline]
    actions = ["nummer_vergeben", "veroeffentlichen", "zurueckziehen", "neufassung_anlegen", "ergaenzung_anlegen"]
    fieldsets = [
        (
            _("Kopf"),
            {
                "fields": [
                    "art",
                    ("nummer", "jahr", "zusatz"),
                    ("datum", "antwort_bis"),
                    "dienststelle",
                    "aktenzeichen",
                    "titel",
                ]
            },
        ),
        (_("Text"), {"fields": ["beschlussantrag", "bericht", "begruendung", "finanzielle_auswirkungen"]}),
        (
            _("Mitzeichnung und Bezüge"),
            {"fields": ["laufweg", "mitzeichnung", "vorliegende_antraege", "erledigte_antraege", "anfrage"]},
        ),
        (
            _("Neufassung oder Ergänzung"),
            {
                "fields": [("bezug", "bezugsart"), "unterschiede_im_pdf"],
                "description": _(
                    "Die frühere Vorlage, die diese ersetzt (Neufassung, gleicher Nummernkreis) oder ergänzt. Sie "
                    "muss älter und veröffentlicht sein. Beide Seiten verweisen dann aufeinander; die Seite "
                    "„Unterschiede“ zeigt, was sich am Text geändert hat. Einfacher: in der Liste die Vorlage "
                    "auswählen und die Aktion „Neufassung anlegen“ oder „Ergänzung anlegen“."
                ),
            },
        ),
        (_("Unterzeichnung"), {"fields": ["unterzeichnet_von", "unterzeichnet_funktion"]}),
        (
            _("Zugang"),
            {
                "fields": ["oeffentlich", "vertraulich"],
                "description": _(
                    "Öffentliche Vorlagen sieht jeder, sobald sie veröffentlicht sind. Nichtöffentliche sehen nur "
                    "die Mitglieder der Gremien in der Beratungsfolge und der Sitzungsdienst; vertrauliche "
                    "(z. B. Personalangelegenheiten) nur der Sitzungsdienst. Anlagen können darüber hinaus "
                    "einzeln nichtöffentlich oder vertraulich sein."
                ),
            },
        ),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "nummer_vergeben_am",
                    "veroeffentlicht_am",
                    "kennung",
                    "pdf_vorschau",
                    *ZEITSTEMPEL,
                ],
                "description": format_lazy(
                    "{} {}",
                    _(
                        "Ein Entwurf ohne Nummer bekommt die nächste freie Nummer seines Nummernkreises im Jahr "
                        "mit „Speichern und Nummer vergeben (registrieren)“ oder der Aktion „Nummer vergeben "
                        "(registrieren)“ in der Liste; danach sind Art, Nummer und Jahr fest."
                    ),
                    _(
                        "Einen Entwurf veröffentlicht die Schaltfläche „Speichern und veröffentlichen“ unten. In der "
                        "Liste der Vorlagen geht es auch für mehrere: Vorlagen auswählen, dann die Aktion „Ausgewählte "
                        "Vorlagen veröffentlichen“ oder „… zurückziehen“. Veröffentlichte Vorlagen werden nicht "
                        "gelöscht, sondern zurückgezogen."
                    ),
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return nur_fuer_berechtigte(request, super().get_queryset(request))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        kann = self.has_change_permission(request, obj) and (obj is None or not obj.ist_veroeffentlicht)
        context["kann_veroeffentlichen"] = kann and not context.get("is_popup")
        ohne_nummer = obj is None or obj.nummer is None
        context["kann_nummer_vergeben"] = (
            self.has_change_permission(request, obj) and ohne_nummer and not context.get("is_popup")
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_readonly_fields(self, request, obj=None):
        felder = super().get_readonly_fields(request, obj)
        if obj is not None and obj.nummer_vergeben_am is not None:
            # A given number stays with its series and year: changing the Art or the Jahr would move it into
            # another series, where it may be taken or break the sequence.
            return [*felder, "art", "nummer", "jahr"]
        return felder

    def response_add(self, request, obj, post_url_continue=None):
        if "_veroeffentlichen" in request.POST:
            return self._nach_speichern_veroeffentlichen(request, obj)
        if "_nummer_vergeben" in request.POST:
            return self._nach_speichern_nummer_vergeben(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_veroeffentlichen" in request.POST:
            return self._nach_speichern_veroeffentlichen(request, obj)
        if "_nummer_vergeben" in request.POST:
            return self._nach_speichern_nummer_vergeben(request, obj)
        return super().response_change(request, obj)

    def _nach_speichern_nummer_vergeben(self, request, vorlage):
        """The button "Speichern und Nummer vergeben (registrieren)": the form is saved; then the action's service
        gives the number."""
        if not self.has_change_permission(request, vorlage):
            raise PermissionDenied
        try:
            services.nummer_vergeben(vorlage=vorlage, user=request.user)
        except ValidationError as fehler:
            meldung = _("%(vorlage)s ist gespeichert, aber nicht registriert: %(fehler)s") % {
                "vorlage": vorlage.bezeichnung,
                "fehler": _fehlertext(fehler),
            }
            self.message_user(request, meldung, messages.ERROR)
        else:
            meldung = _("%(vorlage)s ist gespeichert und registriert.") % {"vorlage": vorlage.bezeichnung}
            self.message_user(request, meldung, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:vorlagen_vorlage_change", args=[vorlage.pk]))

    def _nach_speichern_veroeffentlichen(self, request, vorlage):
        """The button "Speichern und veröffentlichen": the form is saved; then the action's service publishes."""
        if not self.has_change_permission(request, vorlage):
            raise PermissionDenied
        try:
            services.vorlage_veroeffentlichen(vorlage=vorlage, user=request.user)
        except ValidationError as fehler:
            meldung = _("%(vorlage)s ist gespeichert, aber nicht veröffentlicht: %(fehler)s") % {
                "vorlage": vorlage.bezeichnung,
                "fehler": _fehlertext(fehler),
            }
            self.message_user(request, meldung, messages.ERROR)
        else:
            meldung = _("%(vorlage)s ist gespeichert und veröffentlicht.") % {"vorlage": vorlage.bezeichnung}
            self.message_user(request, meldung, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:vorlagen_vorlage_change", args=[vorlage.pk]))

    @admin.display(description=Vorlage._meta.get_field("nummer").verbose_name)
    def bezeichnung(self, vorlage):
        return vorlage.bezeichnung

    @admin.display(description=_("PDF"))
    def pdf_vorschau(self, vorlage):
        # By URL name only: the PDF lives in the druck app, which imports vorlagen, never the reverse.
        if not vorlage.pk:
            return _("nach dem Speichern")
        url = reverse("druck:vorlage-vorschau", kwargs={"kennung": vorlage.kennung})
        return format_html('<a class="button" href="{}" target="_blank">{}</a>', url, _("PDF-Vorschau (auch Entwurf)"))

    @admin.display(description=_("Laufweg (Mitzeichnung und Freigabe)"))
    def laufweg(self, vorlage):
        # By URL name and reverse relation only: the route lives in the mitzeichnung app, which imports vorlagen.
        if not vorlage.pk:
            return _("nach dem Speichern")
        laufweg = vorlage.laufwege.order_by("-gestartet_am", "-pk").first()
        teile = []
        if laufweg is not None:
            url = reverse("admin:mitzeichnung_laufweg_change", args=[laufweg.pk])
            teile.append(format_html('<a href="{}">{}</a>', url, laufweg.get_status_display()))
        if vorlage.freigegeben_am:
            teile.append(
                format_html("{} {}", _("freigegeben am"), date_format(timezone.localtime(vorlage.freigegeben_am)))
            )
        if not vorlage.ist_veroeffentlicht and (laufweg is None or laufweg.status != "laufend"):
            url = reverse("admin:mitzeichnung_laufweg_starten", args=[vorlage.pk])
            teile.append(format_html('<a class="button" href="{}">{}</a>', url, _("Auf den Laufweg schicken")))
        return format_html_join(" ", "{}", ((teil,) for teil in teile)) if teile else _("kein Laufweg")

    @admin.display(description=_("Zugang"), ordering="oeffentlich")
    def zugang(self, vorlage):
        return zugang_text(vorlage)

    def get_changeform_initial_data(self, request):
        heute = timezone.localdate()
        return {"jahr": heute.year, "datum": heute, **super().get_changeform_initial_data(request)}

    def get_search_results(self, request, queryset, search_term):
        if (
            request.path == reverse("admin:autocomplete")
            and request.GET.get("field_name") == "anfrage"
            and request.GET.get("model_name") == "vorlage"
        ):
            # "Antwort auf die Anfrage" offers only what a Stellungnahme answers: Anfragen and Anträge.
            queryset = queryset.filter(art__in=URHEBER_ARTEN)
        # A number as it is written finds its Vorlage, in the list and in every autocomplete field.
        treffer = BEZEICHNUNG.match(search_term)
        if treffer is None:
            return super().get_search_results(request, queryset, search_term)
        gefunden = queryset.filter(nummer=int(treffer["nummer"]), jahr=int(treffer["jahr"]))
        if treffer["kreis"]:
            arten = [art for art, kreis in NUMMERNKREISE.items() if kreis.casefold() == treffer["kreis"].casefold()]
            if not arten:
                return super().get_search_results(request, queryset, search_term)
            gefunden = gefunden.filter(art__in=arten)
        if treffer["zusatz"]:
            gefunden = gefunden.filter(zusatz__iexact=treffer["zusatz"])
        return gefunden, False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for funktion in NACH_SPEICHERN:
            funktion(request=request, vorlage=form.instance)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Anlage:
            # A new or replaced file is read for the search in the background, after the save is committed.
            for anlage in self.neue_dateien(formset):
                services.anlage_text_anstossen(anlage=anlage)

    def has_delete_permission(self, request, obj=None):
        # Published records are withdrawn, never deleted: their address stays and OParl keeps them.
        if obj is not None and obj.ist_veroeffentlicht:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # "Ausgewählte Vorlagen löschen" with published ones among them: name them and delete nothing.
        zu_loeschen, anzahl, fehlende_rechte, geschuetzt = super().get_deleted_objects(objs, request)
        veroeffentlicht = [vorlage for vorlage in objs if vorlage.ist_veroeffentlicht]
        if veroeffentlicht:
            fehlende_rechte.discard(Vorlage._meta.verbose_name)
            geschuetzt = [
                *geschuetzt,
                *(
                    _("%(vorlage)s ist veröffentlicht und kann nur zurückgezogen werden.") % {"vorlage": vorlage}
                    for vorlage in veroeffentlicht
                ),
            ]
        return zu_loeschen, anzahl, fehlende_rechte, geschuetzt

    @admin.action(description=_("Nummer vergeben (registrieren)"), permissions=["change"])
    def nummer_vergeben(self, request, queryset):
        # In the order of the papers' dates, so the numbers of several registered at once follow them.
        vergeben, fehler = [], []
        for vorlage in queryset.order_by("datum", "pk"):
            try:
                services.nummer_vergeben(vorlage=vorlage, user=request.user)
            except ValidationError as ausnahme:
                fehler.append(f"{vorlage.bezeichnung}: {_fehlertext(ausnahme)}")
            else:
                vergeben.append(vorlage.bezeichnung)
        if vergeben:
            meldung = ngettext(
                "%(anzahl)d Vorlage registriert: %(nummern)s",
                "%(anzahl)d Vorlagen registriert: %(nummern)s",
                len(vergeben),
            )
            self.message_user(request, meldung % {"anzahl": len(vergeben), "nummern": ", ".join(vergeben)})
        if fehler:
            meldung = ngettext(
                "%(anzahl)d Vorlage nicht registriert: %(fehler)s",
                "%(anzahl)d Vorlagen nicht registriert: %(fehler)s",
                len(fehler),
            )
            self.message_user(request, meldung % {"anzahl": len(fehler), "fehler": " – ".join(fehler)}, messages.ERROR)

    @admin.action(description=_("Ausgewählte Vorlagen veröffentlichen"), permissions=["change"])
    def veroeffentlichen(self, request, queryset):
        erfolgreich, fehler = self._fuer_jede(request, queryset, services.vorlage_veroeffentlichen)
        if erfolgreich:
            meldung = ngettext("%(anzahl)d Vorlage veröffentlicht.", "%(anzahl)d Vorlagen veröffentlicht.", erfolgreich)
            self.message_user(request, meldung % {"anzahl": erfolgreich}, messages.SUCCESS)
        if fehler:
            meldung = ngettext(
                "%(anzahl)d Vorlage nicht veröffentlicht: %(fehler)s",
                "%(anzahl)d Vorlagen nicht veröffentlicht: %(fehler)s",
                len(fehler),
            )
            self.message_user(request, meldung % {"anzahl": len(fehler), "fehler": " – ".join(fehler)}, messages.ERROR)

    @admin.action(description=_("Ausgewählte Vorlagen zurückziehen"), permissions=["change"])
    def zurueckziehen(self, request, queryset):
        erfolgreich, fehler = self._fuer_jede(request, queryset, services.vorlage_zurueckziehen)
        if erfolgreich:
            meldung = ngettext("%(anzahl)d Vorlage zurückgezogen.", "%(anzahl)d Vorlagen zurückgezogen.", erfolgreich)
            self.message_user(request, meldung % {"anzahl": erfolgreich}, messages.SUCCESS)
        if fehler:
            meldung = ngettext(
                "%(anzahl)d Vorlage nicht zurückgezogen: %(fehler)s",
                "%(anzahl)d Vorlagen nicht zurückgezogen: %(fehler)s",
                len(fehler),
            )
            self.message_user(request, meldung % {"anzahl": len(fehler), "fehler": " – ".join(fehler)}, messages.ERROR)

    @admin.action(description=_("Neufassung anlegen"), permissions=["add"])
    def neufassung_anlegen(self, request, queryset):
        return self._fassungen_anlegen(request, queryset, Vorlage.Bezugsart.NEUFASSUNG)

    @admin.action(description=_("Ergänzung anlegen"), permissions=["add"])
    def ergaenzung_anlegen(self, request, queryset):
        return self._fassungen_anlegen(request, queryset, Vorlage.Bezugsart.ERGAENZUNG)

    def _fassungen_anlegen(self, request, queryset, bezugsart):
        """A draft copy of each chosen published Vorlage (vorlagen.services.neufassung_anlegen); with one, the
        clerk lands on the new draft's form."""
        angelegt, fehler = [], []
        for vorlage in queryset.order_by("datum", "pk"):
            try:
                angelegt.append(services.neufassung_anlegen(vorlage=vorlage, user=request.user, bezugsart=bezugsart))
            except ValidationError as ausnahme:
                fehler.append(f"{vorlage.bezeichnung}: {_fehlertext(ausnahme)}")
        if fehler:
            meldung = ngettext(
                "%(anzahl)d Vorlage nicht angelegt: %(fehler)s",
                "%(anzahl)d Vorlagen nicht angelegt: %(fehler)s",
                len(fehler),
            )
            self.message_user(request, meldung % {"anzahl": len(fehler), "fehler": " – ".join(fehler)}, messages.ERROR)
        if angelegt:
            meldung = ngettext(
                "%(anzahl)d Entwurf angelegt: %(nummern)s",
                "%(anzahl)d Entwürfe angelegt: %(nummern)s",
                len(angelegt),
            )
            nummern = ", ".join(neu.bezeichnung for neu in angelegt)
            self.message_user(request, meldung % {"anzahl": len(angelegt), "nummern": nummern}, messages.SUCCESS)
            if len(angelegt) == 1:
                return HttpResponseRedirect(reverse("admin:vorlagen_vorlage_change", args=[angelegt[0].pk]))
        return None

    def _fuer_jede(self, request, queryset, service):
        """Apply a service to each Vorlage on its own, so one that fails does not hold up the others."""
        erfolgreich, fehler = 0, []
        for vorlage in queryset:
            try:
                service(vorlage=vorlage, user=request.user)
            except ValidationError as ausnahme:
                fehler.append(f"{vorlage.bezeichnung}: {_fehlertext(ausnahme)}")
            else:
                erfolgreich += 1
        return erfolgreich, fehler


@admin.register(AnlageAbruf)
class AnlageAbrufAdmin(NurLesenMixin, admin.ModelAdmin):
    """Who downloaded which non-public Anlage when. A record to read: nobody adds, changes or deletes entries."""

    list_display = ["zeitpunkt", "benutzer", "anlage", "vorlage"]
    list_filter = [
        ("benutzer", admin.RelatedOnlyFieldListFilter),
        ("anlage__vorlage", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["benutzer", "anlage__vorlage"]
    search_fields = [
        "benutzer__username",
        "benutzer__first_name",
        "benutzer__last_name",
        "anlage__titel",
        "anlage__vorlage__titel",
        "anlage__vorlage__nummer__exact",
    ]
    date_hierarchy = "zeitpunkt"
    fields = ["zeitpunkt", "benutzer", "anlage", "vorlage"]
    readonly_fields = fields
    actions = None

    @admin.display(description=Vorlage._meta.verbose_name, ordering="anlage__vorlage")
    def vorlage(self, abruf):
        vorlage = abruf.anlage.vorlage
        url = reverse("admin:vorlagen_vorlage_change", args=[vorlage.pk])
        return format_html('<a href="{}">{}</a>', url, vorlage.bezeichnung)

    def get_queryset(self, request):
        # The change page prints the Anlage with its Vorlage as well.
        return super().get_queryset(request).select_related("benutzer", "anlage__vorlage")


@admin.register(Nummernzaehler)
class NummernzaehlerAdmin(NurLesenMixin, admin.ModelAdmin):
    """The last number given per Nummernkreis and year, to look at: only "Nummer vergeben (registrieren)" counts,
    so a number given once is never given again."""

    list_display = ["nummernkreis", "jahr", "letzte_nummer"]
    list_filter = ["jahr", "nummernkreis"]
    search_fields = ["nummernkreis"]
    fields = list_display
    readonly_fields = list_display
    actions = None
