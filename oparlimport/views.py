"""Old links keep working: the id or page address of an object in the city's previous system leads to ours."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from oparl.abbildung import MODELLE, oparl_url
from oparl.views import fehler_antwort
from oparlimport.models import Datei, Herkunft

HTML, JSON = "text/html", "application/json"


def varianten(adresse):
    """The address as given and with the other scheme: old systems were reached over http and https alike."""
    for alt, neu in (("http://", "https://"), ("https://", "http://")):
        if adresse.startswith(alt):
            return [adresse, neu + adresse.removeprefix(alt)]
    return [adresse]


def herkunft_finden(adresse):
    """The Herkunft of an original OParl id or, failing that, of a web address of the source."""
    kandidaten = varianten(adresse)
    treffer = {h.oparl_id: h for h in Herkunft.objects.filter(oparl_id__in=kandidaten).select_related("content_type")}
    for kandidat in kandidaten:
        if kandidat in treffer:
            return treffer[kandidat]
    return Herkunft.objects.filter(web__in=kandidaten).select_related("content_type").order_by("pk").first()


def sichtbar(objekt, user):
    """Through the one visibility rule, where the model has one; the others (committees, people, places) are
    public. A TOP counts as seen only with its content: its number alone is no page to redirect to."""
    modell = type(objekt)
    if not hasattr(modell.objects, "sichtbar_fuer"):
        return True
    return modell.objects.sichtbar_fuer(user).filter(pk=objekt.pk).exists()


class HerkunftView(View):
    """``/oparl/herkunft/?id=<original id or web address>``: 302 to our page, or to our OParl object when the
    client asks for JSON. Unknown, vanished or hidden objects answer 404 with the reason."""

    http_method_names = ["get", "head"]

    def get(self, request):
        json_gewuenscht = request.get_preferred_type([HTML, JSON]) == JSON
        adresse = request.GET.get("id", "").strip()
        if not adresse:
            antwort = self.fehler(
                request, json_gewuenscht, 400, _("Bitte die frühere Adresse im Parameter id angeben.")
            )
        else:
            antwort = self.weiterleiten(request, json_gewuenscht, adresse)
        patch_vary_headers(antwort, ["Accept"])
        return antwort

    def weiterleiten(self, request, json_gewuenscht, adresse):
        herkunft = herkunft_finden(adresse)
        if herkunft is None:
            return self.fehler(request, json_gewuenscht, 404, _("Diese Adresse ist hier nicht bekannt."))
        modell = herkunft.content_type.model_class()
        objekt = modell._default_manager.filter(pk=herkunft.object_id).first() if modell else None
        if isinstance(objekt, Datei):
            # File metadata without a downloaded file has no page here; a downloaded one is our Anlage.
            if objekt.anlage is None:
                return self.fehler(request, json_gewuenscht, 404, _("Diese Datei wurde nicht übernommen."))
            objekt = objekt.anlage
        if objekt is None or not sichtbar(objekt, request.user):
            # Deleted and hidden alike: whoever may not see an object does not learn that it exists.
            return self.fehler(request, json_gewuenscht, 404, _("Dieses Objekt gibt es hier nicht mehr."))
        if json_gewuenscht:
            ziel = oparl_url(MODELLE[type(objekt)], pk=objekt.pk)
        elif hasattr(objekt, "get_absolute_url"):
            ziel = objekt.get_absolute_url()
        else:
            return self.fehler(
                request, json_gewuenscht, 404, _("Für dieses Objekt gibt es keine eigene Seite, nur die OParl-Daten.")
            )
        return HttpResponseRedirect(ziel)

    @staticmethod
    def fehler(request, json_gewuenscht, status, meldung):
        if json_gewuenscht:
            return fehler_antwort(status, meldung, request.GET.get("id", ""))
        return render(request, "oparlimport/herkunft_fehler.html", {"meldung": meldung}, status=status)
