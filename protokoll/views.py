from django.http import Http404
from django.views import View


class SitzungsdokumentView(View):
    """The download of a Sitzungsdokument (built in issue 17's part on Sitzungsdokumente)."""

    def get(self, request, *args, **kwargs):
        raise Http404


class NiederschriftView(View):
    """The Niederschrift page (built in issue 17's part on the Niederschrift)."""

    def get(self, request, *args, **kwargs):
        raise Http404
