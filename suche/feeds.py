"""The Atom feed of a search (``/suche/feed/?q=…`` with the search page's parameters): its newest public hits.

Feed readers fetch without cookies and a feed's address is passed on, so the feed is built for the anonymous
visitor whoever asks (``Suche(user=AnonymousUser())``), like every feed of the site. Parameters the search form
refuses, or no search term at all, answer 400 with the reason: a feed reader shows it, a 500 would tell nothing.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from ratsinfo.validators import steuerzeichen_entfernen
from suche.filters import SucheFilter
from suche.suche import ANLAGE, DOKUMENT, SITZUNG, TOP, VORLAGE, Suche, Zeitueberschreitung, zeitlimit

ANZAHL = 30


def _grund(filterset):
    """The form's errors as one German sentence per field, for the 400 answer."""
    form = filterset.form
    teile = []
    for feld, fehler in form.errors.items():
        name = form.fields[feld].label if feld in form.fields else feld
        teile.append(f"{name}: {' '.join(fehler)}")
    return _("Ungültige Parameter der Suche. %(fehler)s") % {"fehler": " ".join(teile)}


class SucheFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        filterset = SucheFilter(request.GET or None)
        parameter = filterset.suchparameter()
        if parameter is None and filterset.is_bound:
            return HttpResponseBadRequest(_grund(filterset), content_type="text/plain; charset=utf-8")
        suche = None
        if parameter is not None:
            parameter["sortierung"] = "datum"  # a feed lists the newest first, whatever the page was sorted by
            suche = Suche(user=AnonymousUser(), **parameter)
        if suche is None or not suche.begriff:
            return HttpResponseBadRequest(
                _("Bitte geben Sie einen Suchbegriff an (Parameter q)."), content_type="text/plain; charset=utf-8"
            )
        # The feed object of one request: the instance of this class serves every request.
        request.suchfeed = (suche, request.GET.urlencode())
        try:
            with zeitlimit():
                return super().__call__(request, *args, **kwargs)
        except Zeitueberschreitung:
            antwort = HttpResponse(
                _("Die Suche hat zu lange gedauert. Bitte versuchen Sie es mit genaueren Begriffen."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            antwort["Retry-After"] = "60"
            return antwort

    def get_object(self, request, *args, **kwargs):
        return request.suchfeed

    def title(self, objekt):
        suche, _abfrage = objekt
        return _("Suche: %(begriff)s – %(koerperschaft)s") % {
            "begriff": steuerzeichen_entfernen(suche.begriff.text),
            "koerperschaft": settings.RATSINFO_KOERPERSCHAFT,
        }

    def subtitle(self, objekt):
        return _("Die neuesten öffentlichen Treffer dieser Suche im Ratsinformationssystem.")

    def link(self, objekt):
        return f"{reverse('suche:suche')}?{objekt[1]}"

    def feed_url(self, objekt):
        return f"{reverse('suche:feed')}?{objekt[1]}"

    def items(self, objekt):
        suche, _abfrage = objekt
        return suche.laden(suche.treffermenge()[:ANZAHL])

    def item_title(self, treffer):
        objekt = treffer.objekt
        if treffer.typ == VORLAGE:
            titel = f"{objekt.bezeichnung}: {objekt.titel}"
        elif treffer.typ == SITZUNG:
            titel = f"{objekt.titel}, {date_format(timezone.localtime(objekt.beginn), 'j. F Y, H:i')}"
        elif treffer.typ == TOP:
            titel = f"{objekt.sitzung.titel}: {objekt.bezeichnung} {objekt.titel}"
        elif treffer.typ == ANLAGE:
            titel = _("Anlage %(anlage)s zu %(vorlage)s") % {
                "anlage": objekt.titel,
                "vorlage": objekt.vorlage.bezeichnung,
            }
        else:
            titel = f"{objekt.sitzung.titel}: {objekt.titel}"
        return steuerzeichen_entfernen(titel)

    def item_description(self, treffer):
        art = {
            VORLAGE: _("Vorlage"),
            SITZUNG: _("Sitzung"),
            TOP: _("Tagesordnungspunkt"),
            ANLAGE: _("Anlage"),
            DOKUMENT: _("Sitzungsdokument"),
        }[treffer.typ]
        # The snippet is escaped text with <mark> around the words found (suche.suche.markieren); feed readers
        # show the summary as plain text more often than not, so the marks go and the escaped text stays.
        ausschnitt = strip_tags(treffer.ausschnitt)
        return steuerzeichen_entfernen(f"{art} · {ausschnitt}" if ausschnitt else str(art))

    def item_link(self, treffer):
        return treffer.objekt.get_absolute_url()

    def item_pubdate(self, treffer):
        if treffer.typ == VORLAGE and treffer.objekt.veroeffentlicht_am:
            return treffer.objekt.veroeffentlicht_am
        datum = treffer.datum
        if isinstance(datum, datetime.datetime):
            return datum
        return timezone.make_aware(datetime.datetime.combine(datum, datetime.time()))

    def item_guid(self, treffer):
        return f"tag:{settings.RATSINFO_UID_DOMAIN},2025:suche-{treffer.typ}-{treffer.objekt.pk}"

    item_guid_is_permalink = False
