from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from oparl.abbildung import TYPEN, oparl_url
from oparl.models import Tombstone
from ratsinfo.admin import NurLesenMixin


@admin.register(Tombstone)
class TombstoneAdmin(NurLesenMixin, admin.ModelAdmin):
    """What was removed from the API and why: read only, the API writes it (oparl.services); deleting one would let
    a synchronising client keep the removed object forever."""

    list_display = ["pfad", "typ", "grund", "erstellt_am", "geloescht_am"]
    list_filter = ["grund", "typ"]
    search_fields = ["pfad"]
    date_hierarchy = "geloescht_am"
    fields = ["typ", "pfad", "oparl_id", "grund", "erstellt_am", "geloescht_am"]
    readonly_fields = fields
    actions = None

    @admin.display(description=_("OParl-Id"))
    def oparl_id(self, tombstone):
        if tombstone.typ not in TYPEN:
            return "–"
        return oparl_url(tombstone.typ, pk=tombstone.objekt_pk)
