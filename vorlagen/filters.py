import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.utils import get_model_field

from gremien.models import Ausschuss, Person, Wahlperiode
from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN
from ratsinfo.validators import datum_pruefen
from ratsinfo.widgets import ModelAuswahlFilter, SchnelleAuswahl
from vorlagen.models import Antragsstatus, Urheber, Vorlage, nummer_lesen


def ausschuesse(request):
    # Ausschuss belongs to the sitzungen app, which vorlagen must not import; the Beratungsfolge relation
    # names the model, so the filter follows it instead.
    ausschuss_model = get_model_field(Vorlage, "beratungen__ausschuss").related_model
    return ausschuss_model.objects.gremien()


class VorlageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Nummer oder Titel"),
        method="suchen",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("z. B. 952/2021 oder Integration")}),
    )
    ausschuss = ModelAuswahlFilter(
        label=_("Ausschuss / Gremium"),
        to_field_name="slug",
        queryset=ausschuesse,
        method="nach_ausschuss",
        empty_label=_("alle Gremien"),
        widget=SchnelleAuswahl,
    )
    art = django_filters.ChoiceFilter(
        label=_("Vorlagenart"), choices=Vorlage.Art.choices, empty_label=_("alle Arten"), widget=SchnelleAuswahl
    )
    von = django_filters.DateFilter(
        label=_("Datum von"),
        field_name="datum",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )
    bis = django_filters.DateFilter(
        label=_("Datum bis"),
        field_name="datum",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )
    jahr = django_filters.NumberFilter(label=_("Jahr"), min_value=1900, max_value=2200, decimal_places=0)
    # All terms by default: a paper is looked for across terms (bookmarks and links keep finding it).
    wahlperiode = ModelAuswahlFilter(
        label=_("Wahlperiode"),
        queryset=Wahlperiode.objects.all(),
        method="nach_wahlperiode",
        empty_label=_("alle Wahlperioden"),
        widget=SchnelleAuswahl,
    )

    class Meta:
        model = Vorlage
        fields = ["q", "ausschuss", "art", "von", "bis", "jahr", "wahlperiode"]

    def nach_ausschuss(self, queryset, name, value):
        # Only Beratungen the visitor may see count: a non-public Beratung must not betray itself through the
        # committee filter.
        beratung_model = get_model_field(Vorlage, "beratungen").related_model
        user = self.request.user if self.request else None
        beratungen = beratung_model.objects.sichtbar_fuer(user).filter(ausschuss=value)
        return queryset.filter(pk__in=beratungen.values("vorlage"))

    def suchen(self, queryset, name, value):
        if nummer_lesen(value):
            return queryset.nach_nummer(value)
        for wort in value.split()[:10]:
            queryset = queryset.filter(Q(titel__icontains=wort) | Q(aktenzeichen__icontains=wort))
        return queryset

    def nach_wahlperiode(self, queryset, name, value):
        return queryset.in_wahlperiode(value)


def fraktionen(request):
    # Fraktionen are Ausschuss rows of their own art (gremien, below vorlagen: a plain import).
    return Ausschuss.objects.filter(art=Ausschuss.Art.FRAKTION).order_by("name")


def urheber_personen(request):
    # Only people who signed an Antrag or Anfrage: the choice stays short and names no one else.
    return Person.objects.filter(pk__in=Urheber.objects.filter(person__isnull=False).values("person")).order_by(
        "nachname", "vorname", "pk"
    )


def datumsfilter(label, lookup_expr):
    return django_filters.DateFilter(
        label=label,
        field_name="datum",
        lookup_expr=lookup_expr,
        widget=forms.DateInput(attrs={"type": "date", "min": DATUM_MIN, "max": DATUM_MAX}),
        validators=[datum_pruefen],
    )


class AntragFilter(django_filters.FilterSet):
    """The filters of the Anträge list and its feed (``AnfrageFilter``: the same for Anfragen).

    The status filter annotates the status in SQL for ``request.user`` (``Vorlage.objects.mit_antragsstatus``);
    the rows shown get theirs through ``antragsstatus_nachladen``. All Wahlperioden by default, as in the Vorlagen
    list: the list is sorted newest first, so the current term leads anyway, and a link or feed keeps what it showed
    when a term ends.
    """

    STATUS = [
        Antragsstatus.EINGEGANGEN,
        Antragsstatus.IN_BERATUNG,
        Antragsstatus.BESCHLOSSEN,
        Antragsstatus.ABGELEHNT,
        Antragsstatus.ERLEDIGT,
        Antragsstatus.ZURUECKGEZOGEN,
    ]

    q = django_filters.CharFilter(
        label=_("Nummer oder Titel"),
        method="suchen",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    fraktion = ModelAuswahlFilter(
        label=_("Fraktion"),
        to_field_name="slug",
        queryset=fraktionen,
        method="nach_fraktion",
        empty_label=_("alle Fraktionen"),
        widget=SchnelleAuswahl,
    )
    person = ModelAuswahlFilter(
        label=_("Antragsteller/-in"),
        queryset=urheber_personen,
        method="nach_person",
        empty_label=_("alle Personen"),
        widget=SchnelleAuswahl,
    )
    status = django_filters.ChoiceFilter(
        label=_("Stand"), choices=[], method="nach_status", empty_label=_("jeder Stand"), widget=SchnelleAuswahl
    )
    ausschuss = ModelAuswahlFilter(
        label=_("Gremium (Beratungsfolge)"),
        to_field_name="slug",
        queryset=ausschuesse,
        method="nach_ausschuss",
        empty_label=_("alle Gremien"),
        widget=SchnelleAuswahl,
    )
    wahlperiode = ModelAuswahlFilter(
        label=_("Wahlperiode"),
        queryset=Wahlperiode.objects.all(),
        method="nach_wahlperiode",
        empty_label=_("alle Wahlperioden"),
        widget=SchnelleAuswahl,
    )
    von = datumsfilter(_("Datum von"), "gte")
    bis = datumsfilter(_("Datum bis"), "lte")

    class Meta:
        model = Vorlage
        fields = ["q", "fraktion", "person", "status", "ausschuss", "wahlperiode", "von", "bis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = [(status.value, status.label) for status in self.STATUS]

    suchen = VorlageFilter.suchen
    nach_ausschuss = VorlageFilter.nach_ausschuss
    nach_wahlperiode = VorlageFilter.nach_wahlperiode

    def nach_fraktion(self, queryset, name, value):
        return queryset.filter(pk__in=Urheber.objects.filter(fraktion=value).values("vorlage"))

    def nach_person(self, queryset, name, value):
        return queryset.filter(pk__in=Urheber.objects.filter(person=value).values("vorlage"))

    def nach_status(self, queryset, name, value):
        # Only this filter needs the status in SQL; the rows shown get it from ``antragsstatus_nachladen``.
        return queryset.mit_antragsstatus(self.request.user).filter(antragsstatus=value)


class AnfrageFilter(AntragFilter):
    STATUS = [
        Antragsstatus.OFFEN,
        Antragsstatus.UEBERFAELLIG,
        Antragsstatus.BEANTWORTET,
        Antragsstatus.ZURUECKGEZOGEN,
    ]
