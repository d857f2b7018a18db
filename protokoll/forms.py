import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN
from ratsinfo.validators import datum_pruefen


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
