"""Form widgets that render without Django's per-option templates.

Django renders a ``<select>`` by including ``select_option.html`` (and ``attrs.html``) once per option; with the
43 committees of a city that was most of the time of the search page (every request renders the filter form).
``SchnelleAuswahl`` writes the same HTML in Python (``tests/test_widgets.py`` compares it with Django's), so
labels, ``selected`` and the attributes the form adds (``aria-describedby``, ``aria-invalid``, ``required``)
stay exactly as before.

``ModelAuswahlFilter`` reads a filter's model choices (the committees) with one plain query: Django's
``ModelChoiceIterator`` uses ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE,
FETCH, CLOSE), three round trips for a few dozen rows: 1.3 instead of 0.75 ms on every list and search page.
"""

import html

import django_filters
import django_filters.fields
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import SafeData, mark_safe


def _text(wert):
    # As conditional_escape, but a lazy label (a translated choice) is turned into text once, not asked for
    # __html__ through its proxy: that was most of the time of a select with translated choices.
    text = str(wert)
    return text if isinstance(text, SafeData) else html.escape(text)


def _attribute(attrs):
    # As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name only.
    return "".join(
        f" {_text(name)}" if wert is True else f' {_text(name)}="{_text(wert)}"'
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
        teile = [f'<select name="{_text(name)}"{_attribute(attrs)}>']
        for gruppe, auswahl in self.choices:
            # As ChoiceWidget.optgroups: a named group holds a list of choices; None is written as "".
            if isinstance(auswahl, list | tuple):
                teile.append(f'\n  <optgroup label="{_text(gruppe)}">')
                optionen = auswahl
            else:
                optionen = [(gruppe, auswahl)]
            for wert, beschriftung in optionen:
                wert = "" if wert is None else str(wert)
                markiert = (not gewaehlt or self.allow_multiple_selected) and wert in werte
                gewaehlt |= markiert
                gewaehlt_attr = " selected" if markiert else ""
                teile.append(f'\n  <option value="{_text(wert)}"{gewaehlt_attr}>{_text(beschriftung)}</option>\n')
            if isinstance(auswahl, list | tuple):
                teile.append("\n  </optgroup>")
        teile.append("\n</select>")
        return mark_safe("".join(teile))


class _OhneServerCursor(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # The field's queryset is the form's own copy, so its rows are read once per form, never kept beyond it.
        for objekt in self.queryset:
            yield self.choice(objekt)


class EinfacherModelIterator(django_filters.fields.ModelChoiceIterator, _OhneServerCursor):
    """django-filter's iterator (with its "null" choice) on top of one plain query."""


class EinfacheModelAuswahl(django_filters.fields.ModelChoiceField):
    iterator = EinfacherModelIterator


class ModelAuswahlFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` whose choices come from one plain query."""

    field_class = EinfacheModelAuswahl
