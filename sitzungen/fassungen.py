"""Versions of a convened Sitzung's Tagesordnung (issue 19, item 5): recording them and what changed between them.

A republished agenda keeps its earlier versions: every time the published agenda changes (Einladung, Nachtrag, a
clerk's edit, an Anlage replaced, a TOP vertagt onto it) a ``Tagesordnungsfassung`` holds a snapshot of every TOP
with its Vorlagen and their Anlagen. ``unterschiede`` compares two snapshots (a pure function); ``darstellung``
prepares versions and differences for one visitor, showing each entry only as that visitor may see it today.
"""

import hashlib
import json

from django.db import models, transaction
from django.utils import timezone

from sitzungen.models import Sitzung, Tagesordnungsfassung, Tagesordnungspunkt
from vorlagen.models import Anlage, Vorlage

FORMAT = 1


def _anlage_identitaet(anlage):
    # The stored name changes when a file is replaced (the storage never overwrites), the size almost always: a
    # content identity without reading the file. geaendert_am is left out: a new title alone is no new file.
    return f"{anlage.datei.name}|{anlage.groesse}"


def tagesordnung_erfassen(sitzung):
    """The snapshot of ``sitzung``'s agenda as stored in a ``Tagesordnungsfassung`` (three queries)."""
    anlagen = Anlage.objects.order_by("reihenfolge", "pk")
    vorlagen = Vorlage.objects.order_by("jahr", "nummer", "pk").prefetch_related(
        models.Prefetch("anlagen", queryset=anlagen)
    )
    tops = (
        Tagesordnungspunkt.objects.filter(sitzung=sitzung)
        .order_by("-oeffentlich", "reihenfolge", "pk")
        .prefetch_related(models.Prefetch("vorlagen", queryset=vorlagen))
    )
    return {
        "format": FORMAT,
        "tops": [
            {
                "id": top.pk,
                "bezeichnung": top.bezeichnung,
                "nummer": top.nummer,
                "reihenfolge": top.reihenfolge,
                "oeffentlich": top.oeffentlich,
                "titel": top.titel,
                "vorlagen": [
                    {
                        "id": vorlage.pk,
                        "bezeichnung": str(vorlage.bezeichnung),
                        "titel": vorlage.titel,
                        "kennung": vorlage.kennung,
                        "anlagen": [
                            {
                                "id": anlage.pk,
                                "titel": anlage.titel,
                                "dateiname": anlage.dateiname,
                                "groesse": anlage.groesse,
                                "oeffentlich": anlage.oeffentlich,
                                "vertraulich": anlage.vertraulich,
                                "identitaet": _anlage_identitaet(anlage),
                            }
                            for anlage in vorlage.anlagen.all()
                        ],
                    }
                    for vorlage in top.vorlagen.all()
                ],
            }
            for top in tops
        ],
    }


def pruefsumme(inhalt):
    return hashlib.sha256(json.dumps(inhalt, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def tagesordnung_fassung_festhalten(*, sitzung, anlass, user=None, jetzt=None):
    """Record the current agenda of ``sitzung`` as a new version if the Sitzung is convened and the agenda differs
    from the last recorded version; return the new ``Tagesordnungsfassung`` or None.

    The Sitzung's row is locked so that two clerks saving at the same moment get numbers 2 and 3, not two 2s.
    """
    sitzung = Sitzung.objects.select_for_update().get(pk=sitzung.pk)
    if not sitzung.ist_einberufen:
        return None
    inhalt = tagesordnung_erfassen(sitzung)
    summe = pruefsumme(inhalt)
    letzte = Tagesordnungsfassung.objects.filter(sitzung=sitzung).order_by("-nummer").first()
    if letzte is not None and letzte.pruefsumme == summe:
        return None
    fassung = Tagesordnungsfassung(
        sitzung=sitzung,
        nummer=(letzte.nummer + 1) if letzte else 1,
        veroeffentlicht_am=jetzt or timezone.now(),
        anlass=str(anlass)[:200],
        user=user if user is not None and user.is_authenticated else None,
        inhalt=inhalt,
        pruefsumme=summe,
    )
    fassung.full_clean()
    fassung.save()
    return fassung


# --- What changed -----------------------------------------------------------------------------------------------


def _nach_id(eintraege):
    return {eintrag["id"]: eintrag for eintrag in eintraege}


def _anlagen_unterschiede(alte_vorlage, neue_vorlage):
    alt = _nach_id(alte_vorlage["anlagen"])
    neu = _nach_id(neue_vorlage["anlagen"])
    for anlage in neue_vorlage["anlagen"]:
        vorher = alt.get(anlage["id"])
        if vorher is None:
            yield {"art": "anlage_neu", "anlage": anlage}
        elif vorher["identitaet"] != anlage["identitaet"]:
            yield {"art": "anlage_ersetzt", "anlage": anlage, "vorher": vorher}
        elif vorher["titel"] != anlage["titel"]:
            yield {"art": "anlage_umbenannt", "anlage": anlage, "vorher": vorher}
    for anlage in alte_vorlage["anlagen"]:
        if anlage["id"] not in neu:
            yield {"art": "anlage_entfernt", "anlage": anlage}


def _vorlagen_unterschiede(alter_top, neuer_top):
    alt = _nach_id(alter_top["vorlagen"])
    neu = _nach_id(neuer_top["vorlagen"])
    for vorlage in neuer_top["vorlagen"]:
        vorher = alt.get(vorlage["id"])
        if vorher is None:
            yield {"art": "vorlage_neu", "vorlage": vorlage}
            continue
        for aenderung in _anlagen_unterschiede(vorher, vorlage):
            yield {**aenderung, "vorlage": vorlage}
    for vorlage in alter_top["vorlagen"]:
        if vorlage["id"] not in neu:
            yield {"art": "vorlage_entfernt", "vorlage": vorlage}


def unterschiede(alt, neu):
    """What changed from snapshot ``alt`` to snapshot ``neu`` (a pure function; ``alt`` None: nothing).

    A list of dicts, each with ``art`` and the snapshot entries it concerns: ``top_neu``, ``top_entfernt``
    (``top``), ``top_verschoben`` (number or position among the remaining TOPs changed; ``top`` and ``vorher``),
    ``top_umbenannt`` (``top``, ``vorher``), ``vorlage_neu``/``vorlage_entfernt`` (``top``, ``vorlage``),
    ``anlage_neu``/``anlage_ersetzt``/``anlage_umbenannt``/``anlage_entfernt`` (``top``, ``vorlage``, ``anlage``,
    ``vorher`` for a replaced or renamed one). Every entry also names ``vorher_top`` when the TOP existed before.
    """
    if alt is None:
        return []
    alte_tops = _nach_id(alt["tops"])
    neue_tops = _nach_id(neu["tops"])
    gemeinsam_alt = [top["id"] for top in alt["tops"] if top["id"] in neue_tops]
    gemeinsam_neu = [top["id"] for top in neu["tops"] if top["id"] in alte_tops]
    rang_alt = {top_id: rang for rang, top_id in enumerate(gemeinsam_alt)}
    rang_neu = {top_id: rang for rang, top_id in enumerate(gemeinsam_neu)}
    ergebnis = []
    for top in neu["tops"]:
        vorher = alte_tops.get(top["id"])
        if vorher is None:
            ergebnis.append({"art": "top_neu", "top": top})
            continue
        if vorher["bezeichnung"] != top["bezeichnung"] or rang_alt[top["id"]] != rang_neu[top["id"]]:
            ergebnis.append({"art": "top_verschoben", "top": top, "vorher": vorher, "vorher_top": vorher})
        if vorher["titel"] != top["titel"]:
            ergebnis.append({"art": "top_umbenannt", "top": top, "vorher": vorher, "vorher_top": vorher})
        for aenderung in _vorlagen_unterschiede(vorher, top):
            ergebnis.append({**aenderung, "top": top, "vorher_top": vorher})
    for top in alt["tops"]:
        if top["id"] not in neue_tops:
            ergebnis.append({"art": "top_entfernt", "top": top})
    return ergebnis
