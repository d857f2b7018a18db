import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss, Mitgliedschaft, Wahlperiode
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

    # All terms by default, like the other filters: the list already opens on the coming Sitzungen.
    wahlperiode = ModelAuswahlFilter(
        label=_("Wahlperiode"),
        queryset=Wahlperiode.objects.all(),
        method="nach_wahlperiode",
        empty_label=_("alle Wahlperioden"),
        widget=SchnelleAuswahl,
    )

    class Meta:
        model = Sitzung
        fields = ["ausschuss", "zeitraum", "von", "bis", "status", "wahlperiode"]

    def nach_zeitraum(self, queryset, name, value):
        if value == "kommende":
            return queryset.kommende()
        return queryset.vergangene()

    def nach_wahlperiode(self, queryset, name, value):
        return queryset.in_wahlperiode(value)


class MitgliedschaftFilter(django_filters.FilterSet):
    """The seats on a Gremium page and a person page by Wahlperiode. Without a choice the page decides: the
    Gremium page shows today's members (what a visitor asks first), the person page every seat."""

    wahlperiode = ModelAuswahlFilter(
        label=_("Wahlperiode"),
        queryset=Wahlperiode.objects.all(),
        method="nach_wahlperiode",
        widget=SchnelleAuswahl,
    )

    class Meta:
        model = Mitgliedschaft
        fields = ["wahlperiode"]

    def __init__(self, *args, leer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if leer is not None:
            self.form.fields["wahlperiode"].empty_label = leer

    def nach_wahlperiode(self, queryset, name, value):
        return queryset.in_wahlperiode(value)

    @property
    def gewaehlt(self):
        """The chosen Wahlperiode, None without a (valid) choice."""
        return self.form.cleaned_data.get("wahlperiode") if self.is_valid() else None
