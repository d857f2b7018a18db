"""The project's URLs plus stand-ins for ``abo:abbestellen`` and ``abo:verwalten`` while the subscription pages
(built in parallel, issue 18) are not on this branch. Tests use it only when those names do not resolve; once the
real pages are merged it is unused and can go."""

from django.http import HttpResponse
from django.urls import include, path

from ratsinfo.urls import urlpatterns as projekt


def _platzhalter(request, token):
    return HttpResponse(token)


abo = (
    [
        path("abbestellen/<str:token>/", _platzhalter, name="abbestellen"),
        path("verwalten/<str:token>/", _platzhalter, name="verwalten"),
    ],
    "abo",
)

urlpatterns = [path("abonnements/", include(abo)), *projekt]
