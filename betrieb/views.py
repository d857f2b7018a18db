import sys
from urllib.parse import quote

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.views import defaults

from betrieb.ausfall import antwort_503, ist_datenbankausfall


def server_error(request):
    """handler500: a database outage outside a view (a middleware saving the session, say) is a 503 as well."""
    fehler = sys.exc_info()[1]
    if fehler is not None and ist_datenbankausfall(fehler):
        return antwort_503(request, fehler)
    return defaults.server_error(request)


def alte_adresse_aenderungsprotokoll(request, rest=""):
    """Until issue 16 the Änderungsprotokoll's admin pages lived under /admin/ratsinfo/aenderung/; clerks'
    bookmarks and links in old mails lead on to the same page under its app betrieb."""
    ziel = reverse("admin:betrieb_aenderung_changelist") + quote(rest)
    if request.META.get("QUERY_STRING"):
        ziel = f"{ziel}?{request.META['QUERY_STRING']}"
    return HttpResponsePermanentRedirect(ziel)
