"""The forms of the clerk's recording page. Each one carries the whole state of one row or one TOP, so sending it
again (after a lost connection) records the same thing again."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gremien.models import Person
from protokoll.models import Abstimmung, Anwesenheit, Stimme
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN
from ratsinfo.validators import datum_pruefen
from sitzungen.models import Sitzung, Tagesordnungspunkt


class ErfassungForm(forms.Form):
    def __init__(self, *args, sitzung, tops, **kwargs):
        super().__init__(*args, **kwargs)
        self.sitzung = sitzung
        self.tops = tops
        for name, feld in self.fields.items():
            if name in ("ab_top", "bis_top", "tagesordnungspunkt"):
                feld.queryset = Tagesordnungspunkt.objects.filter(pk__in=[top.pk for top in tops])


class AnwesenheitForm(ErfassungForm):
    person = forms.ModelChoiceField(Person.objects.all(), label=_("Person"))
    status = forms.ChoiceField(label=_("Anwesenheit"), choices=Anwesenheit.Status.choices)
    ab_top = forms.ModelChoiceField(Tagesordnungspunkt.objects.none(), label=_("ab TOP"), required=False)
    bis_top = forms.ModelChoiceField(Tagesordnungspunkt.objects.none(), label=_("bis TOP"), required=False)
    vertritt = forms.ModelChoiceField(Person.objects.all(), label=_("in Vertretung für"), required=False)


class TopForm(ErfassungForm):
    tagesordnungspunkt = forms.ModelChoiceField(Tagesordnungspunkt.objects.none(), label=_("Tagesordnungspunkt"))


class BefangenheitForm(TopForm):
    befangen = forms.ModelMultipleChoiceField(Person.objects.all(), label=_("befangen"), required=False)


class AbstimmungForm(TopForm):
    art = forms.ChoiceField(label=_("Art der Abstimmung"), choices=Abstimmung.Art.choices)
    ja = forms.IntegerField(label=_("Ja"), min_value=0, max_value=999, required=False)
    nein = forms.IntegerField(label=_("Nein"), min_value=0, max_value=999, required=False)
    enthaltung = forms.IntegerField(label=_("Enthaltung"), min_value=0, max_value=999, required=False)


def stimmen_aus(daten, personen):
    """Person -> the value of her radio buttons ``stimme-<person id>`` in a namentliche Abstimmung; "keine" and
    anything unknown count as no vote."""
    return {p: daten[f"stimme-{p.pk}"] for p in personen if daten.get(f"stimme-{p.pk}") in Stimme.Wert.values}


class ErgebnisForm(TopForm):
    ergebnis = forms.ChoiceField(
        label=_("Ergebnis"), choices=[("", "–"), *Tagesordnungspunkt.Ergebnis.choices], required=False
    )
    beschluss = forms.CharField(label=_("Beschlusstext"), required=False, widget=forms.Textarea, strip=False)


class VertagenForm(TopForm):
    ziel = forms.ModelChoiceField(Sitzung.objects.none(), label=_("auf die Sitzung"))

    def __init__(self, *args, spaetere, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ziel"].queryset = Sitzung.objects.filter(pk__in=[s.pk for s in spaetere])


def letzte_zwoelf_monate(heute=None):
    heute = heute or timezone.localdate()
    try:
        von = heute.replace(year=heute.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        von = heute.replace(year=heute.year - 1, day=28) + datetime.timedelta(days=1)
    return von, heute


class ZeitraumFormular(forms.Form):
    """A period von–bis (both days included), by default the last twelve months.

    Read from the query string: an empty field takes its default, an invalid one shows its German error and the
    page shows no rows for it.
    """

    von = forms.DateField(
        label=_("Von"),
        required=False,
        validators=[datum_pruefen],
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}, format="%Y-%m-%d"),
    )
    bis = forms.DateField(
        label=_("Bis"),
        required=False,
        validators=[datum_pruefen],
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}, format="%Y-%m-%d"),
    )

    def __init__(self, daten=None, **kwargs):
        von, bis = letzte_zwoelf_monate()
        daten = daten.copy() if daten is not None else {}
        # An empty field means the default; the form then shows the default it used.
        for name, standard in (("von", von), ("bis", bis)):
            if not daten.get(name):
                daten[name] = standard.isoformat()
        super().__init__(daten, **kwargs)

    def clean(self):
        daten = super().clean()
        von, bis = daten.get("von"), daten.get("bis")
        if von and bis and von > bis:
            raise forms.ValidationError(_("„Von“ muss vor „Bis“ liegen oder derselbe Tag sein."))
        return daten

    @property
    def zeitraum(self):
        """(von, bis) when the form is valid, else None."""
        if not self.is_valid():
            return None
        return self.cleaned_data["von"], self.cleaned_data["bis"]
