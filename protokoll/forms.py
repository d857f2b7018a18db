"""The forms of the clerk's recording page. Each one carries the whole state of one row or one TOP, so sending it
again (after a lost connection) records the same thing again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gremien.models import Person
from protokoll.models import Abstimmung, Anwesenheit, Stimme
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
