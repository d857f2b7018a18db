"""The project's URLs plus ``/__boden__/``: the floor of the load test, a Django view that touches no database."""

from django.http import HttpResponse
from django.urls import path

from ratsinfo import urls as projekt_urls

handler500 = projekt_urls.handler500


def boden(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__boden__/", boden, name="boden"), *projekt_urls.urlpatterns]
