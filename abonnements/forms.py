"""What to follow (read from the query of ``/abo/neu/``) and the forms of the subscription pages."""

import datetime

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from abonnements.models import Abonnement
from gremien.models import Ausschuss, Person
from ratsinfo.datumsgrenzen import datum_im_rahmen
from vorlagen.models import Vorlage

# The filters of the search page (suche.filters.SucheFilter) a search subscription keeps; "sortierung" and "page"
# change only the order of the page, not what is new. The kinds of hit are the search's own (suche.suche.TYPEN),
# written out since a feature app does not import another.
SUCHFILTER = ("ausschuss", "von", "bis", "art", "typ")
TREFFERARTEN = ("vorlage", "sitzung", "top", "anlage", "dokument")
SUCHBEGRIFF_MAX = 200


class GegenstandFehlt(Exception):
    """The query names nothing the anonymous visitor may follow; the message is German."""


def _zahl(text):
    return text.isascii() and text.isdigit() and len(text) < 12


def _suchfilter(query):
    filter_ = {}
    for name in SUCHFILTER:
        wert = query.get(name, "").strip()
        if not wert:
            continue
        if name == "ausschuss":
            if not Ausschuss.objects.gremien().filter(slug=wert).exists():
                raise GegenstandFehlt(gettext("Dieses Gremium gibt es nicht."))
        elif name in ("von", "bis"):
            try:
                datum = datetime.date.fromisoformat(wert)
            except ValueError:
                raise GegenstandFehlt(gettext("Das Datum „%(wert)s“ ist ungültig.") % {"wert": wert[:20]}) from None
            if not datum_im_rahmen(datum):
                raise GegenstandFehlt(gettext("Das Datum „%(wert)s“ liegt außerhalb des Zeitraums.") % {"wert": wert})
            wert = datum.isoformat()
        elif name == "art" and wert not in Vorlage.Art.values:
            raise GegenstandFehlt(gettext("Diese Vorlagenart gibt es nicht."))
        elif name == "typ" and wert not in TREFFERARTEN:
            raise GegenstandFehlt(gettext("Diese Art von Treffern gibt es nicht."))
        filter_[name] = wert
    # Sorted keys: the same search is stored the same way, so the unique constraint finds the duplicate.
    return dict(sorted(filter_.items()))


def gegenstand_lesen(query):
    """The fields of the Abonnement that ``query`` asks to follow, and a German title for the page.

    Only what the anonymous visitor may see, by the one visibility rule: the subscription's mails go to whoever
    owns the address, logged in or not. Raises GegenstandFehlt otherwise.
    """
    anonym = AnonymousUser()
    # PostgreSQL refuses NUL in a string, and no name or search needs a control character.
    werte = [query.get(name, "") for name in ("gremium", "vorlage", "person", "suche", *SUCHFILTER)]
    if any(ord(zeichen) < 32 for wert in werte for zeichen in wert):
        raise GegenstandFehlt(gettext("Die Adresse enthält Steuerzeichen."))
    if wert := query.get("gremium", "").strip():
        ausschuss = Ausschuss.objects.gremien().filter(slug=wert).first()
        if ausschuss is None:
            raise GegenstandFehlt(gettext("Dieses Gremium gibt es nicht."))
        return {"art": Abonnement.Art.GREMIUM, "ausschuss": ausschuss}, str(ausschuss)
    if wert := query.get("vorlage", "").strip():
        vorlagen = Vorlage.objects.sichtbar_fuer(anonym)
        vorlage = (vorlagen.filter(pk=int(wert)) if _zahl(wert) else vorlagen.filter(kennung=wert[:120])).first()
        if vorlage is None:
            raise GegenstandFehlt(gettext("Diese Vorlage gibt es nicht oder sie ist nicht öffentlich."))
        return {"art": Abonnement.Art.VORLAGE, "vorlage": vorlage}, str(vorlage)
    if wert := query.get("person", "").strip():
        person = Person.objects.filter(pk=int(wert)).first() if _zahl(wert) else None
        if person is None:
            raise GegenstandFehlt(gettext("Diese Person gibt es nicht."))
        return {"art": Abonnement.Art.PERSON, "person": person}, person.name
    if "suche" in query:
        begriff = " ".join(query.get("suche", "").split())[:SUCHBEGRIFF_MAX]
        if not begriff:
            raise GegenstandFehlt(gettext("Bitte geben Sie einen Suchbegriff an."))
        return (
            {"art": Abonnement.Art.SUCHE, "suchbegriff": begriff, "suchfilter": _suchfilter(query)},
            f"„{begriff}“",
        )
    raise GegenstandFehlt(
        gettext(
            "Bitte wählen Sie auf der Seite eines Gremiums, einer Vorlage, einer Person oder einer Suche "
            "„Per E-Mail folgen“."
        )
    )


def einwilligung_text():
    """The consent as the visitor reads it, in her language: stored word for word with the time."""
    return gettext(
        "Ich willige ein, dass meine E-Mail-Adresse, dieses Abonnement und der Zeitpunkt meiner Einwilligung "
        "gespeichert werden, damit mir die Neuigkeiten per E-Mail geschickt werden. Ich kann die Einwilligung "
        "jederzeit mit dem Link in jeder E-Mail widerrufen; dann werden meine Daten gelöscht."
    )


class FehlerBeschriebenesFeld(forms.BoundField):
    """A field with an error points to it (aria-describedby), as to its help text, so a screen reader reads it."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and self.auto_id:
            beschrieben = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{beschrieben} {self.auto_id}_error".strip()
        return attrs


class Formular(forms.Form):
    bound_field_class = FehlerBeschriebenesFeld


class AbonnierenFormular(Formular):
    adresse = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    rhythmus = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=Abonnement.Rhythmus.choices,
        initial=Abonnement.Rhythmus.TAEGLICH,
        widget=forms.RadioSelect,
    )
    einwilligung = forms.BooleanField(
        required=True,
        error_messages={"required": _("Ohne Ihre Einwilligung können wir Ihnen keine E-Mails schicken.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["einwilligung"].label = einwilligung_text()
        self.fields["einwilligung"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("abo:datenschutz"), gettext("Datenschutzhinweise")
        )


class VerwaltungslinkFormular(Formular):
    adresse = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class RhythmusFormular(forms.Form):
    rhythmus = forms.ChoiceField(label=_("Rhythmus"), choices=Abonnement.Rhythmus.choices)
