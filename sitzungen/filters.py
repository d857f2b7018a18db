import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss, Mitgliedschaft, Person, Wahlperiode
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


ALLE_WAHLPERIODEN = "alle"


def _wahlperioden_auswahl():
    return [(ALLE_WAHLPERIODEN, _("alle Wahlperioden")), *((str(w.pk), w.name) for w in Wahlperiode.objects.all())]


def _keine_einschraenkung(queryset, name, value):
    # The filters of the people index work together on the seats of the chosen term (filter_queryset).
    return queryset


class PersonFilter(django_filters.FilterSet):
    """The people index: everyone with a seat in a Gremium or a Fraktion in the chosen Wahlperiode.

    Without a choice the current Wahlperiode applies (the one today falls in; if none does, the seats held today):
    a visitor asks first who sits on the council now. "alle" shows everyone who ever held a seat. Fraktion,
    Gremium and Rolle look at the seats of that term, so "SPD in 2019–2024" finds who was in the SPD then.
    """

    name = django_filters.CharFilter(label=_("Name"), method=_keine_einschraenkung)
    fraktion = ModelAuswahlFilter(
        label=_("Fraktion"),
        to_field_name="slug",
        queryset=Ausschuss.objects.filter(art=Ausschuss.Art.FRAKTION),
        empty_label=_("alle Fraktionen"),
        method=_keine_einschraenkung,
        widget=SchnelleAuswahl,
    )
    gremium = ModelAuswahlFilter(
        label=_("Gremium"),
        to_field_name="slug",
        queryset=Ausschuss.objects.gremien(),
        empty_label=_("alle Gremien"),
        method=_keine_einschraenkung,
        widget=SchnelleAuswahl,
    )
    rolle = django_filters.ChoiceFilter(
        label=_("Rolle"),
        choices=Mitgliedschaft.Rolle.choices,
        empty_label=_("alle Rollen"),
        method=_keine_einschraenkung,
        widget=SchnelleAuswahl,
    )
    wahlperiode = django_filters.ChoiceFilter(
        label=_("Wahlperiode"),
        choices=_wahlperioden_auswahl,
        empty_label=_("aktuelle Wahlperiode"),
        method=_keine_einschraenkung,
        widget=SchnelleAuswahl,
    )

    class Meta:
        model = Person
        fields = ["name", "fraktion", "gremium", "rolle", "wahlperiode"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound: without a choice the current Wahlperiode still applies (an unbound FilterSet filters nothing).
        super().__init__(data if data is not None else {}, *args, **kwargs)

    @property
    def wahlperiode_gewaehlt(self):
        """The Wahlperiode the list shows: the chosen one, the current one by default, None for "alle" (or when
        no Wahlperiode covers today)."""
        wert = self.form.cleaned_data.get("wahlperiode") if self.is_valid() else ""
        if wert == ALLE_WAHLPERIODEN:
            return None
        if wert:
            return Wahlperiode.objects.filter(pk=wert).first()
        return self.aktuelle_wahlperiode

    @property
    def alle(self):
        return self.is_valid() and self.form.cleaned_data.get("wahlperiode") == ALLE_WAHLPERIODEN

    @property
    def aktuelle_wahlperiode(self):
        if not hasattr(self, "_aktuelle"):
            self._aktuelle = Wahlperiode.objects.aktuelle().first()
        return self._aktuelle

    def sitze(self):
        """The seats the list looks at: those of the chosen term, of today without a term, or all."""
        sitze = Mitgliedschaft.objects.all()
        if self.alle:
            return sitze
        wahlperiode = self.wahlperiode_gewaehlt
        return sitze.in_wahlperiode(wahlperiode) if wahlperiode else sitze.aktuell()

    def filter_queryset(self, queryset):
        daten = self.form.cleaned_data
        sitze = self.sitze()
        queryset = queryset.filter(pk__in=sitze.values("person"))
        gremium, rolle, fraktion = daten.get("gremium"), daten.get("rolle"), daten.get("fraktion")
        if gremium or rolle:
            # The role belongs to the Gremium seat when a Gremium is chosen.
            gremiensitze = sitze.filter(ausschuss=gremium) if gremium else sitze
            if rolle:
                gremiensitze = gremiensitze.filter(rolle=rolle)
            queryset = queryset.filter(pk__in=gremiensitze.values("person"))
        if fraktion:
            queryset = queryset.filter(pk__in=sitze.filter(ausschuss=fraktion).values("person"))
        for wort in (daten.get("name") or "").split()[:5]:
            queryset = queryset.filter(
                Q(nachname__icontains=wort) | Q(vorname__icontains=wort) | Q(titel__icontains=wort)
            )
        return queryset
