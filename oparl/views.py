"""The OParl 1.1 endpoints: thin views over ``oparl.abbildung``, always as the anonymous visitor sees the data."""

import json
import math
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from oparl import abbildung
from oparl.abbildung import OEFFENTLICHKEIT, SCHEMA, TYPEN, absolut, oparl_url, zeitpunkt
from oparl.models import Tombstone
from oparl.openapi import openapi_beschreibung
from protokoll.models import Sitzungsdokument
from vorlagen.models import Anlage

STANDARD_LIMIT = 20
MAX_LIMIT = 100
FILTER = ("created_since", "created_until", "modified_since", "modified_until")


class OparlFehler(Exception):
    def __init__(self, status, message, debug=""):
        super().__init__(message)
        self.status, self.message, self.debug = status, message, debug


def json_antwort(daten, status=200):
    antwort = HttpResponse(
        json.dumps(daten, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    # Public data for any web page that wants it.
    antwort["Access-Control-Allow-Origin"] = "*"
    return antwort


def fehler_antwort(status, message, debug=""):
    return json_antwort(
        {"type": SCHEMA + "Error", "message": message, "debug": debug or message},
        status=status,
    )


def ausfall_antwort(meldung, fehlername):
    """The answer of the API to a database outage (registered with betrieb.ausfall)."""
    return fehler_antwort(503, meldung, fehlername)


class OparlView(View):
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except OparlFehler as fehler:
            return fehler_antwort(fehler.status, fehler.message, fehler.debug)
        except Http404 as fehler:
            return fehler_antwort(404, "Objekt nicht gefunden.", str(fehler) or request.path)

    def options(self, request, *args, **kwargs):
        antwort = super().options(request, *args, **kwargs)
        antwort["Access-Control-Allow-Origin"] = "*"
        return antwort


class SystemView(OparlView):
    def get(self, request):
        return json_antwort(abbildung.system_json())


class BodyListeView(OparlView):
    def get(self, request):
        parameter = Parameter.lesen(request)
        return json_antwort(seite_bauen(parameter, [abbildung.body_json()], 1, oparl_url("body-liste")))


class BodyView(OparlView):
    def get(self, request, pk):
        if pk != 1:
            raise Http404("Es gibt nur eine Körperschaft.")
        return json_antwort(abbildung.body_json())


# The attachment download of each File type that we serve ourselves.
DOWNLOADS = {"file": "file-download", "sitzungsdokument": "sitzungsdokument-download"}


def tombstone_json(tombstone):
    typ = TYPEN[tombstone.typ]
    pk = tombstone.pfad.rsplit("/", 1)[1]
    daten = {
        "id": oparl_url(typ.name, pk=pk),
        "type": SCHEMA + typ.oparl,
        "created": zeitpunkt(tombstone.erstellt_am),
        "modified": zeitpunkt(tombstone.geloescht_am),
        "deleted": True,
    }
    if typ.oparl == "File":
        # The schema requires accessUrl even of a deleted File; the address stays and answers 404 now.
        daten["accessUrl"] = oparl_url(DOWNLOADS.get(typ.name, "file-download"), pk=pk)
    return daten


class ObjektView(OparlView):
    typ = None

    def get(self, request, pk):
        typ = TYPEN[self.typ]
        objekt = typ.abfrage().filter(pk=pk).first()
        if objekt is not None:
            return json_antwort(typ.json(objekt))
        tombstone = Tombstone.objects.filter(pfad=f"{typ.name}/{pk}").first()
        if tombstone is not None:
            return json_antwort(tombstone_json(tombstone))
        raise Http404(f"Kein {typ.oparl} mit der Nummer {pk}.")


# Times a database column can hold after conversion to any time zone (Python's datetime ends at year 9999, and an
# offset of up to a day moves a time across that end).
ZEIT_MIN = datetime(1, 1, 2, tzinfo=UTC)
ZEIT_MAX = datetime(9999, 12, 30, tzinfo=UTC)


def zeit_lesen(name, wert):
    # In an unencoded query string the "+" of an offset arrives as a space.
    try:
        zeit = datetime.fromisoformat(wert.strip().replace(" ", "+"))
        if timezone.is_naive(zeit):
            zeit = timezone.make_aware(zeit)
        im_bereich = ZEIT_MIN <= zeit.astimezone(UTC) <= ZEIT_MAX
    except (ValueError, OverflowError):
        raise OparlFehler(
            400, f"Ungültiger Wert für {name}.", f"{name}={wert!r} ist kein ISO-8601-Zeitpunkt."
        ) from None
    if not im_bereich:
        raise OparlFehler(400, f"Ungültiger Wert für {name}.", f"{name}={wert!r} liegt außerhalb 0001–9999.")
    return zeit


class Parameter:
    """The list parameters of a request, checked: wrong values are the client's error (400), not ignored."""

    def __init__(self, zeiten, limit, omit_internal, seite, roh):
        self.zeiten, self.limit, self.omit_internal, self.seite, self.roh = zeiten, limit, omit_internal, seite, roh

    @classmethod
    def lesen(cls, request):
        get = request.GET
        zeiten = {name: zeit_lesen(name, get[name]) for name in FILTER if get.get(name)}
        try:
            limit = int(get.get("limit", STANDARD_LIMIT))
            seite = int(get.get("page", 1))
        except ValueError:
            raise OparlFehler(400, "limit und page müssen ganze Zahlen sein.", request.GET.urlencode()) from None
        if limit < 1 or seite < 1:
            raise OparlFehler(400, "limit und page müssen mindestens 1 sein.", request.GET.urlencode())
        omit = get.get("omit_internal", "false").lower()
        if omit not in {"true", "false", "1", "0"}:
            raise OparlFehler(400, "omit_internal ist true oder false.", f"omit_internal={omit!r}")
        # Every given filter is carried into every link, in the client's own spelling.
        roh = {name: get[name] for name in (*FILTER, "omit_internal") if get.get(name)}
        roh["limit"] = str(min(limit, MAX_LIMIT))
        return cls(zeiten, min(limit, MAX_LIMIT), omit in {"true", "1"}, seite, roh)

    def url(self, basis, seite):
        return f"{basis}?{urlencode({**self.roh, 'page': seite})}"

    def filtern(self, abfrage, geaendert="oparl_geaendert"):
        bedingungen = {
            "created_since": ("erstellt_am__gte",),
            "created_until": ("erstellt_am__lte",),
            "modified_since": (f"{geaendert}__gte",),
            "modified_until": (f"{geaendert}__lte",),
        }
        for name, zeit in self.zeiten.items():
            abfrage = abfrage.filter(**{bedingungen[name][0]: zeit})
        return abfrage


def seite_bauen(parameter, daten, gesamt, basis):
    seiten = max(1, math.ceil(gesamt / parameter.limit))
    if parameter.seite > seiten:
        raise OparlFehler(404, "Diese Seite gibt es nicht.", f"page={parameter.seite}, es gibt {seiten}")
    links = {
        "first": parameter.url(basis, 1),
        "last": parameter.url(basis, seiten),
        "self": parameter.url(basis, parameter.seite),
    }
    if parameter.seite > 1:
        links["prev"] = parameter.url(basis, parameter.seite - 1)
    if parameter.seite < seiten:
        links["next"] = parameter.url(basis, parameter.seite + 1)
    return {
        "data": daten,
        "pagination": {
            "totalElements": gesamt,
            "elementsPerPage": parameter.limit,
            "currentPage": parameter.seite,
            "totalPages": seiten,
        },
        "links": links,
    }


# Properties that hold embedded objects: left out with omit_internal=true.
EINGEBETTET = {
    "agendaItem",
    "location",
    "membership",
    "auxiliaryFile",
    "consultation",
    "invitation",
    "resultsProtocol",
    "verbatimProtocol",
}


class ListeView(OparlView):
    """One of the Body's lists: the rows of its types one after another, each in the order of its pk, then the
    tombstones (only with modified_since, as the specification asks). Each source is counted and sliced in the
    database, so a page runs the same queries whatever the size of the list."""

    def get(self, request, liste):
        if liste not in abbildung.LISTEN:
            raise Http404(f"Keine Liste {liste}.")
        parameter = Parameter.lesen(request)
        typen = [TYPEN[name] for name in abbildung.LISTEN[liste]]
        quellen = [(typ, parameter.filtern(typ.abfrage()).order_by("pk")) for typ in typen]
        if "modified_since" in parameter.zeiten:
            tombstones = Tombstone.objects.filter(typ__in=[typ.name for typ in typen]).order_by("pk")
            tombstones = parameter.filtern(tombstones, geaendert="geloescht_am")
            quellen.append((None, tombstones))
        anfang = (parameter.seite - 1) * parameter.limit
        ende = anfang + parameter.limit
        daten, gesamt = [], 0
        for typ, abfrage in quellen:
            anzahl = abfrage.count()
            von, bis = max(anfang - gesamt, 0), min(ende - gesamt, anzahl)
            if von < bis:
                for objekt in abfrage[von:bis]:
                    if typ is None:
                        daten.append(tombstone_json(objekt))
                        continue
                    eintrag = typ.json(objekt)
                    if parameter.omit_internal:
                        eintrag = {k: v for k, v in eintrag.items() if k not in EINGEBETTET}
                    daten.append(eintrag)
            gesamt += anzahl
        return json_antwort(seite_bauen(parameter, daten, gesamt, oparl_url("liste", liste=liste)))


class DownloadView(View):
    """File.downloadUrl: the file of an Anlage (or a Sitzungsdokument, below) as an attachment, through the same
    rule as the inline download of the site."""

    modell = Anlage

    def get(self, request, pk):
        datei = get_object_or_404(self.modell.objects.sichtbar_fuer(OEFFENTLICHKEIT), pk=pk)
        if not datei.datei.storage.exists(datei.datei.name):
            raise Http404("Die Datei ist nicht vorhanden.")
        antwort = FileResponse(
            datei.datei.open("rb"), content_type=datei.mime_typ, as_attachment=True, filename=datei.dateiname
        )
        antwort["Access-Control-Allow-Origin"] = "*"
        return antwort


class SitzungsdokumentDownloadView(DownloadView):
    modell = Sitzungsdokument


class UnbekanntView(OparlView):
    def get(self, request, rest):
        raise Http404(f"Unbekannte Adresse {request.path}.")


class OpenApiView(View):
    def get(self, request):
        return json_antwort(openapi_beschreibung())


class EntwicklerView(TemplateView):
    template_name = "oparl/entwickler.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            system_url=absolut(reverse("oparl:system")), openapi_url=absolut(reverse("oparl:openapi")), **kwargs
        )
