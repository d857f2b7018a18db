"""Tombstones: a public object that is deleted, or leaves the public view, stays in the API as ``deleted: true``.

Signals, against the house rule "nothing important hides in signals": public objects are deleted and hidden from
many places (admin forms, actions, inlines, cascades, the shell, the importer), and the API must not lose a
single one of them - a client that synchronises with modified_since would keep a vanished object forever.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from gremien.models import Ausschuss, Mitgliedschaft, Person
from oparl.abbildung import MODELLE, TYPEN
from oparl.models import Tombstone
from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Sitzungsdokument
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from vorlagen.models import Anlage, Vorlage

OEFFENTLICHKEIT = AnonymousUser()


def war_oeffentlich(objekt):
    """Whether the API showed the object: asked before the deletion, while the rows the rule looks at (the
    Vorlage of an Anlage …) still exist, and with the API's own queryset, so that e.g. a non-public TOP, which
    is in the API by its number, gets its tombstone too."""
    return TYPEN[MODELLE[type(objekt)]].abfrage().filter(pk=objekt.pk).exists()


def tombstone_anlegen(typ, pk, erstellt_am, grund=Tombstone.Grund.GELOESCHT):
    Tombstone.objects.update_or_create(
        pfad=f"{typ}/{pk}",
        defaults={"typ": typ, "erstellt_am": erstellt_am, "grund": grund, "geloescht_am": timezone.now()},
    )


# -- leaving and re-entering the public view ---------------------------------------------------------------------
#
# Of our models only these can be hidden while they exist: Sitzungen, TOPs (by number), people, committees and
# places are always in the API. A Vorlage takes its Anlagen and Beratungen along (they are at most as visible).


def _oeffentlich_abhaengig(objekt):
    """``{(typ, pk): erstellt_am}`` of the API objects whose visibility depends on ``objekt``, as far as the
    public sees them now. One query per type."""
    if isinstance(objekt, Vorlage):
        abfragen = [
            ("paper", Vorlage.objects.sichtbar_fuer(OEFFENTLICHKEIT).filter(pk=objekt.pk)),
            ("file", Anlage.objects.sichtbar_fuer(OEFFENTLICHKEIT).filter(vorlage_id=objekt.pk)),
            ("consultation", Beratung.objects.sichtbar_fuer(OEFFENTLICHKEIT).filter(vorlage_id=objekt.pk)),
        ]
    elif isinstance(objekt, Anlage):
        abfragen = [("file", Anlage.objects.sichtbar_fuer(OEFFENTLICHKEIT).filter(pk=objekt.pk))]
    elif isinstance(objekt, Sitzungsdokument):
        abfragen = [("sitzungsdokument", Sitzungsdokument.objects.sichtbar_fuer(OEFFENTLICHKEIT).filter(pk=objekt.pk))]
    else:
        abfragen = [("consultation", Beratung.objects.sichtbar_fuer(OEFFENTLICHKEIT).filter(pk=objekt.pk))]
    return {
        (typ, pk): erstellt for typ, abfrage in abfragen for pk, erstellt in abfrage.values_list("pk", "erstellt_am")
    }


def _grund(objekt):
    if isinstance(objekt, Vorlage) and objekt.status == Vorlage.Status.ENTWURF:
        return Tombstone.Grund.ZURUECKGEZOGEN
    return Tombstone.Grund.NICHT_OEFFENTLICH


def _vor_dem_speichern(sender, instance, raw=False, **kwargs):
    instance._oparl_vorher = {} if raw or instance._state.adding else _oeffentlich_abhaengig(instance)


def _nach_dem_speichern(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if created:
        # A new row has no children yet and no tombstone (ids are not reused): nothing to compare. A new
        # Consultation on an agenda gives its AgendaItem a link, though.
        if isinstance(instance, Beratung) and instance.tagesordnungspunkt_id:
            _anstossen(Tagesordnungspunkt, instance.tagesordnungspunkt_id)
        return
    vorher = getattr(instance, "_oparl_vorher", {})
    jetzt = _oeffentlich_abhaengig(instance)
    verschwunden = vorher.keys() - jetzt.keys()
    for typ, pk in verschwunden:
        tombstone_anlegen(typ, pk, vorher[(typ, pk)], grund=_grund(instance))
    if verschwunden and isinstance(instance, Sitzungsdokument):
        # The Meeting embeds its Files: the same for it.
        _anstossen(Sitzung, instance.sitzung_id)
    elif verschwunden and not isinstance(instance, Vorlage) and ("paper", instance.vorlage_id) not in verschwunden:
        # The Paper embeds its Files and Consultations: its list changed, so a client must fetch it again.
        _anstossen(Vorlage, instance.vorlage_id)
    neu_sichtbar = jetzt.keys() - vorher.keys()
    if neu_sichtbar:
        Tombstone.objects.filter(pfad__in=[f"{typ}/{pk}" for typ, pk in neu_sichtbar]).delete()
    erschienen = neu_sichtbar - {(MODELLE[sender], instance.pk)}
    # Rows that come (back) into view with an old timestamp would be missed by a client asking for changes since
    # its last visit: they count as changed now.
    for typ, modell in (("file", Anlage), ("consultation", Beratung), ("sitzungsdokument", Sitzungsdokument)):
        pks = [pk for name, pk in erschienen if name == typ]
        if pks:
            _anstossen(modell, *pks)
    # An AgendaItem links its Consultation: it (and with it the Meeting) changed when that came or went.
    beratungen = [pk for name, pk in verschwunden | neu_sichtbar if name == "consultation"]
    if beratungen:
        tops = Beratung.objects.filter(pk__in=beratungen, tagesordnungspunkt__isnull=False)
        _anstossen(Tagesordnungspunkt, *tops.values_list("tagesordnungspunkt_id", flat=True))


def _anstossen(modell, *pks):
    modell.objects.filter(pk__in=pks).update(geaendert_am=timezone.now())


# -- deletion ----------------------------------------------------------------------------------------------------

# A deleted child changes its parent's list of embedded objects or links: the parent's modified moves on.
ELTERN = {
    Anlage: [(Vorlage, "vorlage_id")],
    Beratung: [(Vorlage, "vorlage_id"), (Tagesordnungspunkt, "tagesordnungspunkt_id")],
    Tagesordnungspunkt: [(Sitzung, "sitzung_id")],
    Mitgliedschaft: [(Person, "person_id"), (Ausschuss, "ausschuss_id")],
    Sitzungsdokument: [(Sitzung, "sitzung_id")],
}

# The record of a Sitzung is embedded in its Meeting and AgendaItems (the vendor extension), with no id of its own:
# a deleted row leaves no tombstone, but the object that showed it changed.
EINGEBETTET_IN = {
    Abstimmung: (Tagesordnungspunkt, "tagesordnungspunkt_id"),
    Befangenheit: (Tagesordnungspunkt, "tagesordnungspunkt_id"),
    Anwesenheit: (Sitzung, "sitzung_id"),
}


def _vor_dem_loeschen(sender, instance, **kwargs):
    instance._oparl_oeffentlich = war_oeffentlich(instance)


def _nach_dem_loeschen(sender, instance, **kwargs):
    if not getattr(instance, "_oparl_oeffentlich", False):
        return
    tombstone_anlegen(MODELLE[sender], instance.pk, instance.erstellt_am)
    for modell, feld in ELTERN.get(sender, []):
        # In a cascade the parent may be gone already or follow; the update then touches no or a doomed row.
        _anstossen(modell, getattr(instance, feld))


def _eingebettet_geloescht(sender, instance, **kwargs):
    modell, feld = EINGEBETTET_IN[sender]
    _anstossen(modell, getattr(instance, feld))


def tombstones_anbinden():
    for model in EINGEBETTET_IN:
        post_delete.connect(_eingebettet_geloescht, sender=model, dispatch_uid=f"oparl-eingebettet-{model.__name__}")
    for model in MODELLE:
        pre_delete.connect(_vor_dem_loeschen, sender=model, dispatch_uid=f"oparl-vor-{model.__name__}")
        post_delete.connect(_nach_dem_loeschen, sender=model, dispatch_uid=f"oparl-nach-{model.__name__}")
    for model in (Vorlage, Anlage, Beratung, Sitzungsdokument):
        pre_save.connect(_vor_dem_speichern, sender=model, dispatch_uid=f"oparl-vor-speichern-{model.__name__}")
        post_save.connect(_nach_dem_speichern, sender=model, dispatch_uid=f"oparl-nach-speichern-{model.__name__}")
