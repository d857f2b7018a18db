import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN
from ratsinfo.validators import datum_pruefen
from ratsinfo.widgets import ModelAuswahlFilter, SchnelleAuswahl
from sitzungen.models import Sitzung


class SitzungFilter(django_filters.FilterSet):
    ausschuss = ModelAuswahlFilter(
        label=_("Ausschuss / Gremium"),
        to_field_name="slug",
        queryset=Ausschuss.objects.gremien(),
        empty_label=_("alle Gremien"),
        widget=SchnelleAuswahl,
    )
    zeitraum = django_filters.ChoiceFilter(
        label=_("Zeitraum"),
        choices=[("kommende", _("kommende")), ("vergangene", _("vergangene"))],
        empty_label=_("alle"),
        method="nach_zeitraum",
        widget=SchnelleAuswahl,
    )
    von = django_filters.DateFilter(
        label=_("Datum von"),
        field_name="beginn",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )
    bis = django_filters.DateFilter(
        label=_("Datum bis"),
        field_name="beginn",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Sitzung.Status.choices, empty_label=_("alle"), widget=SchnelleAuswahl
    )

    class Meta:
        model = Sitzung
        fields = ["ausschuss", "zeitraum", "von", "bis", "status"]

    def nach_zeitraum(self, queryset, name, value):
        if value == "kommende":
            return queryset.kommende()
        return queryset.vergangene()
