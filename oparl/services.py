"""Tombstones: a public object that is deleted stays in the API as ``deleted: true``."""

from django.db.models.signals import post_delete, pre_delete

from oparl.abbildung import MODELLE, TYPEN
from oparl.models import Tombstone


def war_oeffentlich(objekt):
    """Whether the API showed the object: asked before the deletion, while the rows the rule looks at (the
    Vorlage of an Anlage …) still exist, and with the API's own queryset, so that e.g. a non-public TOP, which
    is in the API by its number, gets its tombstone too."""
    return TYPEN[MODELLE[type(objekt)]].abfrage().filter(pk=objekt.pk).exists()


def tombstone_anlegen(typ, pk, erstellt_am):
    Tombstone.objects.update_or_create(pfad=f"{typ}/{pk}", defaults={"typ": typ, "erstellt_am": erstellt_am})


def _vor_dem_loeschen(sender, instance, **kwargs):
    instance._oparl_oeffentlich = war_oeffentlich(instance)


def _nach_dem_loeschen(sender, instance, **kwargs):
    if getattr(instance, "_oparl_oeffentlich", False):
        tombstone_anlegen(MODELLE[sender], instance.pk, instance.erstellt_am)


def tombstones_anbinden():
    for model in MODELLE:
        pre_delete.connect(_vor_dem_loeschen, sender=model, dispatch_uid=f"oparl-vor-{model.__name__}")
        post_delete.connect(_nach_dem_loeschen, sender=model, dispatch_uid=f"oparl-nach-{model.__name__}")
