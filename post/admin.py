from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from post.models import Nachricht
from post.services import erneut_senden
from ratsinfo.admin import NurLesenMixin


@admin.register(Nachricht)
class NachrichtAdmin(NurLesenMixin, admin.ModelAdmin):
    """The outbox as the proof of what was sent: read-only, with "send again" for failed messages."""

    list_display = ["erstellt_am", "art", "adresse", "betreff", "status", "versuche", "gesendet_am"]
    list_filter = ["status", "art"]
    list_select_related = ["empfaenger"]
    search_fields = ["adresse", "betreff", "message_id"]
    date_hierarchy = "erstellt_am"
    actions = ["erneut_senden_aktion"]
    fieldsets = [
        (None, {"fields": ["art", "empfaenger", "adresse", "betreff", "status"]}),
        (
            _("Versand"),
            {"fields": ["erstellt_am", "gesendet_am", "versuche", "naechster_versuch", "antwort", "message_id"]},
        ),
        (_("Inhalt"), {"fields": ["text", "kopfzeilen"]}),
    ]
    readonly_fields = [feld for _, optionen in fieldsets for feld in optionen["fields"]]

    @admin.action(description=_("Ausgewählte fehlgeschlagene Nachrichten erneut senden"), permissions=["view"])
    def erneut_senden_aktion(self, request, queryset):
        anzahl = erneut_senden(nachrichten=list(queryset))
        self.message_user(
            request,
            ngettext(
                "%(anzahl)d Nachricht wird erneut gesendet.", "%(anzahl)d Nachrichten werden erneut gesendet.", anzahl
            )
            % {"anzahl": anzahl},
            messages.SUCCESS,
        )
