from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.views import View

from protokoll.models import Sitzungsdokument
from vorlagen.views import datei_antwort


class SitzungsdokumentView(View):
    """Serves the file of a Sitzungsdokument to whoever may see it, as the Anlage download does: no public URL of
    its own, the rule first (a hidden document is a 404), non-public files never in a shared cache."""

    def get(self, request, sitzung, pk, dateiname):
        dokument = get_object_or_404(Sitzungsdokument.objects.sichtbar_fuer(request.user), pk=pk, sitzung_id=sitzung)
        if dateiname != dokument.dateiname:
            return redirect(dokument, permanent=True)
        if not dokument.datei.storage.exists(dokument.datei.name):
            raise Http404("Die Datei dieses Dokuments ist nicht vorhanden.")
        antwort = datei_antwort(dokument)
        if not Sitzungsdokument.objects.sichtbar_fuer(AnonymousUser()).filter(pk=dokument.pk).exists():
            # Non-public: no shared cache may keep a copy.
            patch_cache_control(antwort, private=True, no_store=True)
        return antwort


class NiederschriftView(View):
    """The Niederschrift page (built in issue 17's part on the Niederschrift)."""

    def get(self, request, *args, **kwargs):
        raise Http404
