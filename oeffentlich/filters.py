import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss, Wahlperiode
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN
from ratsinfo.validators import datum_pruefen
from ratsinfo.widgets import ModelAuswahlFilter, SchnelleAuswahl
from sitzungen.models import Tagesordnungspunkt


class BeschlussFilter(django_filters.FilterSet):
    """The list of Beschlüsse and its Atom feed: by committee, date of the Sitzung and result."""

    ausschuss = ModelAuswahlFilter(
        label=_("Ausschuss / Gremium"),
        field_name="sitzung__ausschuss",
        to_field_name="slug",
        queryset=Ausschuss.objects.gremien(),
        empty_label=_("alle Gremien"),
        widget=SchnelleAuswahl,
    )
    von = django_filters.DateFilter(
        label=_("Sitzung von"),
        field_name="sitzung__beginn",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )
    bis = django_filters.DateFilter(
        label=_("Sitzung bis"),
        field_name="sitzung__beginn",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )
    ergebnis = django_filters.ChoiceFilter(
        label=_("Ergebnis"),
        choices=Tagesordnungspunkt.Ergebnis.choices,
        empty_label=_("alle"),
        widget=SchnelleAuswahl,
    )

    # All terms by default: the list (and its feed) shows the newest Beschlüsse first anyway.
    wahlperiode = ModelAuswahlFilter(
        label=_("Wahlperiode"),
        queryset=Wahlperiode.objects.all(),
        method="nach_wahlperiode",
        empty_label=_("alle Wahlperioden"),
        widget=SchnelleAuswahl,
    )

    class Meta:
        model = Tagesordnungspunkt
        fields = ["ausschuss", "von", "bis", "ergebnis", "wahlperiode"]

    def nach_wahlperiode(self, queryset, name, value):
        return queryset.in_wahlperiode(value)
