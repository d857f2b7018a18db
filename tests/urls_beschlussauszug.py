"""The site's URLconf with a stand-in for the Beschlussauszug PDF (issue 17, part B: druck:beschlussauszug), for the
tests of AgendaItem.resolutionFile (tests/test_oparl_protokoll.py). Imported only by the tests that use it, so the
site's URLconf is read with the test settings."""

from django.urls import include, path
from django.views import View

from ratsinfo.urls import urlpatterns as site_urlpatterns


class AuszugView(View):
    def get(self, request, pk, top):
        raise NotImplementedError


urlpatterns = [
    # Listed first, so that this "druck" namespace is the one reverse() finds.
    path(
        "",
        include(
            (
                [path("sitzungen/<int:pk>/beschluesse/<int:top>.pdf", AuszugView.as_view(), name="beschlussauszug")],
                "druck",
            )
        ),
    ),
    *site_urlpatterns,
]
