"""Form widgets that render without Django's per-option templates.

Django renders a ``<select>`` by including ``select_option.html`` (and ``attrs.html``) once per option; with the
43 committees of a city that was most of the time of the search page (every request renders the filter form).
``SchnelleAuswahl`` writes the same HTML in Python (``tests/test_widgets.py`` compares it with Django's), so
labels, ``selected`` and the attributes the form adds (``aria-describedby``, ``aria-invalid``, ``required``)
stay exactly as before.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attribute(attrs):
    # As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name only.
    return "".join(
        f" {conditional_escape(name)}" if wert is True else f' {conditional_escape(name)}="{conditional_escape(wert)}"'
        for name, wert in attrs.items()
        if wert is not False
    )


class SchnelleAuswahl(forms.Select):
    """A ``Select`` rendered in Python: same HTML as Django's templates, a fraction of the time."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        werte = self.format_value(value)
        gewaehlt = False
        teile = [f'<select name="{conditional_escape(name)}"{_attribute(attrs)}>']
        for gruppe, auswahl in self.choices:
            # As ChoiceWidget.optgroups: a named group holds a list of choices; None is written as "".
            if isinstance(auswahl, list | tuple):
                teile.append(f'\n  <optgroup label="{conditional_escape(gruppe)}">')
                optionen = auswahl
            else:
                optionen = [(gruppe, auswahl)]
            for wert, beschriftung in optionen:
                wert = "" if wert is None else str(wert)
                markiert = (not gewaehlt or self.allow_multiple_selected) and wert in werte
                gewaehlt |= markiert
                teile.append(
                    f'\n  <option value="{conditional_escape(wert)}"{" selected" if markiert else ""}>'
                    f"{conditional_escape(beschriftung)}</option>\n"
                )
            if isinstance(auswahl, list | tuple):
                teile.append("\n  </optgroup>")
        teile.append("\n</select>")
        return mark_safe("".join(teile))
