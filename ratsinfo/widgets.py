"""Form widgets that render without Django's per-option templates.

Django renders a ``<select>`` by including ``select_option.html`` (and ``attrs.html``) once per option; with the
43 committees of a city that was most of the time of the search page (every request renders the filter form).
``SchnelleAuswahl`` writes the same HTML in Python from the same context, so labels, ``selected`` and the
attributes the form adds (``aria-describedby``, ``aria-invalid``, ``required``) stay exactly as before.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attribute(attrs):
    # As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name only.
    return mark_safe(
        "".join(
            format_html(" {}", name) if wert is True else format_html(' {}="{}"', name, wert)
            for name, wert in attrs.items()
            if wert is not False
        )
    )


def _option(option):
    return format_html(
        '<option value="{}"{}>{}</option>', str(option["value"]), _attribute(option["attrs"]), option["label"]
    )


class SchnelleAuswahl(forms.Select):
    """A ``Select`` rendered in Python: same HTML as Django's templates, a fraction of the time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        teile = []
        for gruppe, optionen, _index in widget["optgroups"]:
            inhalt = format_html_join("", "\n  {}\n", ((_option(option),) for option in optionen))
            if gruppe:
                inhalt = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', gruppe, inhalt)
            teile.append(inhalt)
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], _attribute(widget["attrs"]), mark_safe("".join(teile))
        )
