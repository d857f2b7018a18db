import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vorlagen.models import Vorlage


class ArbeitsbereichFilter(django_filters.FilterSet):
    """The work area's list: by status and by words of the title or the Aktenzeichen."""

    q = django_filters.CharFilter(
        label=_("Titel oder Aktenzeichen"),
        method="suchen",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Vorlage.Status.choices, empty_label=_("alle"))

    class Meta:
        model = Vorlage
        fields = ["q", "status"]

    def suchen(self, queryset, name, value):
        return queryset.filter(Q(titel__icontains=value) | Q(aktenzeichen__icontains=value)) if value else queryset
