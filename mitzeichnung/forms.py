"""Forms of the Dienststelle's work area and of a task: a draft, its route, a decision."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gremien.models import Dienststelle, Dienststellenzugehoerigkeit
from mitzeichnung.models import Schritt
from mitzeichnung.services import ENTWURFSFELDER
from vorlagen.models import Vorlage


class EntwurfForm(forms.ModelForm):
    """The text of a draft as the Amt writes it; the federführende Dienststelle is one of the user's."""

    class Meta:
        model = Vorlage
        fields = list(ENTWURFSFELDER)
        widgets = {
            "datum": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "beschlussantrag": forms.Textarea(attrs={"rows": 6}),
            "bericht": forms.Textarea(attrs={"rows": 12}),
            "begruendung": forms.Textarea(attrs={"rows": 8}),
            "finanzielle_auswirkungen": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, dienststellen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dienststelle"].queryset = Dienststelle.objects.filter(pk__in=dienststellen)
        self.fields["dienststelle"].empty_label = None
        if not self.instance.pk:
            self.fields["datum"].initial = timezone.localdate()
            self.fields["art"].initial = Vorlage.Art.BESCHLUSSVORLAGE

    def daten(self):
        return {feld: self.cleaned_data[feld] for feld in self._meta.fields}


def _mitarbeitende():
    """The accounts that belong to a Dienststelle today: who may be named zuständig or Vertretung."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Dienststellenzugehoerigkeit.objects.aktuell().values("benutzer"),
        )
        .order_by("last_name", "first_name", "username")
    )


class KontoAuswahl(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class MitzeichnungZeileForm(forms.Form):
    """One Dienststelle asked to co-sign; an empty row is left out."""

    dienststelle = forms.ModelChoiceField(
        label=_("Dienststelle"), queryset=Dienststelle.objects.all(), required=False, empty_label=_("— keine —")
    )
    stufe = forms.IntegerField(
        label=_("Stufe"),
        min_value=1,
        max_value=20,
        initial=1,
        required=False,
        help_text=_("Gleiche Stufe: parallel; höhere Stufe: erst danach."),
    )
    frist = forms.DateField(label=_("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    zustaendig = KontoAuswahl(
        label=_("zuständig"), queryset=_mitarbeitende(), required=False, empty_label=_("jede/r der Dienststelle")
    )
    vertretung = KontoAuswahl(label=_("Vertretung"), queryset=_mitarbeitende(), required=False, empty_label=_("—"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fresh querysets per form: accounts that joined a Dienststelle since the server started are offered too.
        self.fields["zustaendig"].queryset = _mitarbeitende()
        self.fields["vertretung"].queryset = _mitarbeitende()

    def clean(self):
        daten = super().clean()
        if not daten.get("dienststelle"):
            if any(daten.get(feld) for feld in ("frist", "zustaendig", "vertretung")):
                raise forms.ValidationError(_("Bitte eine Dienststelle wählen oder die Zeile leeren."))
            return daten
        if daten.get("stufe") is None:
            self.add_error("stufe", _("Bitte die Stufe angeben."))
        if not daten.get("frist"):
            self.add_error("frist", _("Bitte eine Frist angeben."))
        _zugehoerig_pruefen(self, daten, leitung=False)
        return daten

    def eintrag(self):
        return {
            feld: self.cleaned_data.get(feld) for feld in ("dienststelle", "stufe", "frist", "zustaendig", "vertretung")
        }


def _zugehoerig_pruefen(form, daten, *, leitung):
    dienststelle = daten.get("dienststelle")
    for feld in ("zustaendig", "vertretung"):
        benutzer = daten.get(feld)
        if benutzer is None or dienststelle is None:
            continue
        zugehoerig = Dienststellenzugehoerigkeit.objects.aktuell().filter(benutzer=benutzer, dienststelle=dienststelle)
        if leitung and feld == "zustaendig":
            zugehoerig = zugehoerig.filter(leitung=True)
        if not zugehoerig.exists():
            if leitung and feld == "zustaendig":
                meldung = _("%(konto)s hat in %(dienststelle)s keine Leitung und kann nicht freigeben.")
            else:
                meldung = _("%(konto)s gehört %(dienststelle)s nicht an.")
            form.add_error(
                feld,
                meldung % {"konto": benutzer.get_full_name() or benutzer.get_username(), "dienststelle": dienststelle},
            )


MitzeichnungFormSet = forms.formset_factory(MitzeichnungZeileForm, extra=4, max_num=30, absolute_max=30)


class FreigabeForm(forms.Form):
    """The last step: the Freigabe by the Bürgermeister/-in or Referent/-in."""

    dienststelle = forms.ModelChoiceField(
        label=_("Dienststelle der Freigabe"),
        queryset=Dienststelle.objects.filter(
            pk__in=Dienststellenzugehoerigkeit.objects.aktuell().filter(leitung=True).values("dienststelle")
        ),
        empty_label=None,
        help_text=_("Wer dort die Leitung hat, gibt frei (Bürgermeister/-in, Referent/-in)."),
    )
    frist = forms.DateField(label=_("Frist der Freigabe"), widget=forms.DateInput(attrs={"type": "date"}))
    zustaendig = KontoAuswahl(
        label=_("zuständig für die Freigabe"),
        queryset=_mitarbeitende(),
        required=False,
        empty_label=_("jede/r mit Leitung"),
    )
    vertretung = KontoAuswahl(
        label=_("Vertretung bei der Freigabe"), queryset=_mitarbeitende(), required=False, empty_label=_("—")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dienststelle"].queryset = Dienststelle.objects.filter(
            pk__in=Dienststellenzugehoerigkeit.objects.aktuell().filter(leitung=True).values("dienststelle")
        )
        self.fields["zustaendig"].queryset = _mitarbeitende()
        self.fields["vertretung"].queryset = _mitarbeitende()

    def clean(self):
        daten = super().clean()
        _zugehoerig_pruefen(self, daten, leitung=True)
        return daten

    def eintrag(self):
        return {feld: self.cleaned_data.get(feld) for feld in ("dienststelle", "frist", "zustaendig", "vertretung")}


class EntscheidungForm(forms.Form):
    """The decision on a step; a remark or an objection needs its text."""

    entscheidung = forms.ChoiceField(label=_("Ihre Entscheidung"), widget=forms.RadioSelect)
    anmerkung = forms.CharField(
        label=_("Anmerkung oder Begründung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Pflicht bei „zugestimmt mit Anmerkung“ und bei einem Einspruch."),
    )

    def __init__(self, *args, schritt, **kwargs):
        super().__init__(*args, **kwargs)
        if schritt.art == Schritt.Art.FREIGABE:
            wahl = [
                (Schritt.Status.ZUGESTIMMT, _("freigeben")),
                (Schritt.Status.EINSPRUCH, _("Einspruch: mit Begründung zurückgeben")),
            ]
        else:
            wahl = [
                (Schritt.Status.ZUGESTIMMT, _("zustimmen")),
                (Schritt.Status.MIT_ANMERKUNG, _("zustimmen mit Anmerkung")),
                (Schritt.Status.EINSPRUCH, _("Einspruch mit Begründung")),
            ]
        self.fields["entscheidung"].choices = wahl

    def clean(self):
        daten = super().clean()
        entscheidung = daten.get("entscheidung")
        if entscheidung in (Schritt.Status.MIT_ANMERKUNG, Schritt.Status.EINSPRUCH) and not daten.get("anmerkung"):
            self.add_error(
                "anmerkung",
                _("Bitte begründen Sie Ihren Einspruch.")
                if entscheidung == Schritt.Status.EINSPRUCH
                else _("Bitte tragen Sie Ihre Anmerkung ein."),
            )
        return daten
