"""Minimal task pages the mails of the route link to ("Meine Aufgaben" and one task); replaced by the work area."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from mitzeichnung.models import Schritt


class AufgabenView(LoginRequiredMixin, ListView):
    """The open steps the signed-in user may decide, as zuständig, Vertretung or member of the Dienststelle."""

    template_name = "mitzeichnung/aufgaben.html"
    context_object_name = "schritte"

    def get_queryset(self):
        return Schritt.objects.offen_fuer(self.request.user)


class AufgabeView(LoginRequiredMixin, DetailView):
    """One step, for whoever may decide it; for everybody else it does not exist (404)."""

    template_name = "mitzeichnung/aufgabe.html"
    context_object_name = "schritt"

    def get_queryset(self):
        return Schritt.objects.entscheidbar_von(self.request.user).select_related(
            "laufweg__vorlage", "dienststelle", "zustaendig", "vertretung"
        )
