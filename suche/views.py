from django.views.generic import ListView

from betrieb.paginierung import NachsichtigeSeitenMixin
from suche.filters import SucheFilter
from suche.suche import GRENZE, TYPEN, Suche, Treffermenge, Zeitueberschreitung, zeitlimit


class SucheView(NachsichtigeSeitenMixin, ListView):
    """/suche/?q=…: hits of every kind the user may see, filtered, ranked and paged (see ``suche.suche``)."""

    template_name = "suche/suche.html"
    context_object_name = "zeilen"

    def get(self, request, *args, **kwargs):
        # Every query of the search (not the rendering of the page) under the time limit.
        try:
            with zeitlimit():
                return super().get(request, *args, **kwargs)
        except Zeitueberschreitung:
            self.suche, self.object_list = None, Treffermenge()
            return self.render_to_response({"filter": self.filterset, "zeitueberschreitung": True})

    def get_queryset(self):
        self.filterset = SucheFilter(self.request.GET or None, request=self.request)
        parameter = self.filterset.suchparameter()
        self.suche = Suche(user=self.request.user, **parameter) if parameter else None
        if self.suche is None or not self.suche.begriff:
            return Treffermenge()
        return self.suche.treffermenge()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suche = self.suche if self.suche and self.suche.begriff else None
        anzahlen = suche.anzahlen() if suche else {}
        context.update(
            filter=self.filterset,
            suche=suche,
            treffer=suche.laden(context["zeilen"]) if suche else [],
            # (kind, count, "mehr"/"mindestens"/""): a count of GRENZE or more is shown as a lower bound.
            anzahlen=[(typ, anzahlen.get(typ, 0), suche.offen(typ)) for typ in TYPEN] if suche else [],
            gesamt=sum(anzahlen.values()),
            gesamt_offen=suche.offen() if suche else "",
            liste_offen=suche.offen(suche.typ or None) if suche else "",
            grenze=GRENZE,
            vorschlag=suche.vorschlag() if suche else None,
        )
        return context
