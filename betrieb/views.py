import sys

from django.views import defaults

from betrieb.ausfall import antwort_503, ist_datenbankausfall


def server_error(request):
    """handler500: a database outage outside a view (a middleware saving the session, say) is a 503 as well."""
    fehler = sys.exc_info()[1]
    if fehler is not None and ist_datenbankausfall(fehler):
        return antwort_503(request, fehler)
    return defaults.server_error(request)
