"""The clerk's forms of the Einberufung page: plain HTML forms, errors as German sentences."""

from email.utils import parseaddr

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sitzungen.models import Sitzung

MAX_WEITERE = 200


def weitere_empfaenger_lesen(text):
    """Lines "Name <adresse>" (or a bare address) into (name, address) pairs; a ValidationError names every line
    that is none."""
    empfaenger, fehler = [], []
    for nummer, zeile in enumerate(text.splitlines(), start=1):
        zeile = zeile.strip()
        if not zeile:
            continue
        name, adresse = parseaddr(zeile)
        try:
            if not adresse or ("<" in zeile) != (">" in zeile):
                raise ValidationError("")
            validate_email(adresse)
        except ValidationError:
            fehler.append(
                gettext("Zeile %(nummer)s ist keine gültige Angabe „Name <adresse>“: %(zeile)s")
                % {"nummer": nummer, "zeile": zeile[:100]}
            )
            continue
        empfaenger.append((name.strip()[:300] or adresse, adresse))
    if len(empfaenger) > MAX_WEITERE:
        fehler.append(gettext("Höchstens %(anzahl)s weitere Empfänger je Versand.") % {"anzahl": MAX_WEITERE})
    if fehler:
        raise ValidationError(fehler)
    return empfaenger


class VersandForm(forms.Form):
    notfall_begruendung = forms.CharField(
        label=_("Begründung des Notfalls"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur nötig, wenn die Ladungsfrist nicht eingehalten werden kann (§ 34 Abs. 2 GemO)."),
    )
    weitere_empfaenger = forms.CharField(
        label=_("Weitere Empfänger"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Eine Angabe je Zeile: Name <adresse@example.org>. Sie erhalten nur den öffentlichen Teil."),
    )

    def clean_weitere_empfaenger(self):
        return weitere_empfaenger_lesen(self.cleaned_data["weitere_empfaenger"])


class BekanntmachungForm(forms.ModelForm):
    class Meta:
        model = Sitzung
        fields = ["bekanntmachung_am"]
        widgets = {"bekanntmachung_am": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
