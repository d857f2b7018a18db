"""The project's URLs plus ``/__boden__/``: the floor of the load test, a Django view that touches no database.

The floor passes the whole middleware stack but is never looked up in the page cache: a lookup asks Redis for the
data version, which halved the floor (about 2,000 instead of 4,400 requests/s at 8 connections) and so made every
page look better against it than it is.
"""

from django.http import HttpResponse
from django.urls import path

from betrieb import seitencache
from ratsinfo import urls as projekt_urls

BODEN = "/__boden__/"
seitencache.AUSGENOMMEN = (*seitencache.AUSGENOMMEN, BODEN)

handler500 = projekt_urls.handler500


def boden(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__boden__/", boden, name="boden"), *projekt_urls.urlpatterns]
