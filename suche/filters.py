import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN
from ratsinfo.validators import datum_pruefen
from ratsinfo.widgets import ModelAuswahlFilter, SchnelleAuswahl
from suche.suche import ANLAGE, DOKUMENT, SITZUNG, TOP, VORLAGE
from vorlagen.models import Vorlage

TYP_CHOICES = [
    (VORLAGE, _("Vorlagen")),
    (SITZUNG, _("Sitzungen")),
    (TOP, _("Tagesordnungspunkte")),
    (ANLAGE, _("Anlagen")),
    (DOKUMENT, _("Sitzungsdokumente")),
]
SORTIERUNG_CHOICES = [("relevanz", _("Relevanz")), ("datum", _("Datum, neueste zuerst"))]


class SucheFilter(django_filters.FilterSet):
    """The search form. It is not applied to one queryset: ``suche.suche.Suche`` takes its cleaned data and applies
    each filter to every kind of result in the way that fits it (a TOP's date is its Sitzung's, an Anlage's its
    Vorlage's)."""

    q = django_filters.CharFilter(
        label=_("Suchbegriff"),
        # No max_length: a long paste is read up to its first 500 characters instead of being refused.
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _('z. B. Integration, "Bündnis für Integration" oder 952/2021')}
        ),
    )
    ausschuss = ModelAuswahlFilter(
        label=_("Ausschuss / Gremium"),
        to_field_name="slug",
        queryset=Ausschuss.objects.gremien(),
        empty_label=_("alle Gremien"),
        widget=SchnelleAuswahl,
    )
    von = django_filters.DateFilter(
        label=_("Zeitraum von"),
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )
    bis = django_filters.DateFilter(
        label=_("Zeitraum bis"),
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )
    art = django_filters.ChoiceFilter(
        label=_("Vorlagenart"), choices=Vorlage.Art.choices, empty_label=_("alle Arten"), widget=SchnelleAuswahl
    )
    typ = django_filters.ChoiceFilter(
        label=_("Art des Treffers"), choices=TYP_CHOICES, empty_label=_("alle"), widget=SchnelleAuswahl
    )
    sortierung = django_filters.ChoiceFilter(
        label=_("Sortierung"), choices=SORTIERUNG_CHOICES, empty_label=None, null_label=None, widget=SchnelleAuswahl
    )

    class Meta:
        # django-filter wants a model; the form's fields are all declared above, none generated from it.
        model = Vorlage
        fields = []

    def suchparameter(self):
        """The cleaned filters as keyword arguments of ``Suche``; empty when the form is not valid."""
        if not self.is_valid():
            return None
        daten = self.form.cleaned_data
        return {
            "begriff": daten.get("q") or "",
            "ausschuss": daten.get("ausschuss"),
            "von": daten.get("von"),
            "bis": daten.get("bis"),
            "art": daten.get("art") or "",
            "typ": daten.get("typ") or "",
            "sortierung": daten.get("sortierung") or "relevanz",
        }
