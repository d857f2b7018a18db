"""Receivers of the route: a decided step is never deleted; a Vorlage saved in the admin asks the route again."""

from django.db import IntegrityError


def entschiedenen_schritt_behalten(sender, instance, **kwargs):
    # PostgreSQL refuses this with a trigger too (migration 0002); on SQLite this is the guard (see there why).
    if instance.ist_entschieden:
        raise IntegrityError("Ein entschiedener Schritt der Mitzeichnung wird nicht gelöscht.")


def nach_vorlage_gespeichert(*, request, vorlage):
    """After the Vorlage's admin saved: a changed text on a running route asks the Mitzeichnungen again."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from mitzeichnung.services import ohne_adresse, text_geaendert

    neue = text_geaendert(vorlage=vorlage, user=request.user)
    if neue:
        messages.warning(
            request,
            _("Der Text wurde nach der Mitzeichnung geändert; erneut erbeten von: %(stellen)s.")
            % {"stellen": ", ".join(schritt.dienststelle.name for schritt in neue)},
        )
        for schritt in ohne_adresse([s for s in neue if s.status == s.Status.OFFEN]):
            messages.warning(
                request,
                _("%(dienststelle)s: niemand mit E-Mail-Adresse erhält die Aufgabe; bitte Bescheid geben.")
                % {"dienststelle": schritt.dienststelle.name},
            )
