"""Versions of a convened Sitzung's Tagesordnung (issue 19, item 5): recording them and what changed between them.

A republished agenda keeps its earlier versions: every time the published agenda changes (Einladung, Nachtrag, a
clerk's edit, an Anlage replaced, a TOP vertagt onto it) a ``Tagesordnungsfassung`` holds a snapshot of every TOP
with its Vorlagen and their Anlagen. ``unterschiede`` compares two snapshots (a pure function); ``darstellung``
prepares versions and differences for one visitor, showing each entry only as that visitor may see it today.
"""

import dataclasses
import hashlib
import json

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from gremien.models import Ausschuss
from gremien.sichtbarkeit import angemeldet, darf_alles_sehen
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


# --- For one visitor ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Eintrag:
    """A TOP, Vorlage or Anlage of a version as one visitor may see it: ``titel`` None means hidden text."""

    bezeichnung: str = ""
    titel: str | None = None
    url: str = ""
    dateiname: str = ""
    groesse: int = 0
    kinder: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Aenderung:
    art: str
    top: Eintrag
    vorher_top: Eintrag | None = None
    vorlage: Eintrag | None = None
    anlage: Eintrag | None = None
    vorher_anlage: Eintrag | None = None


@dataclasses.dataclass
class Fassungsansicht:
    fassung: Tagesordnungsfassung
    tops: list
    aenderungen: list
    vorgaenger: Tagesordnungsfassung | None


class Sichtbarkeit:
    """The one rule applied to snapshot entries, read once for a set of versions (at most four queries).

    A TOP's text shows only if the TOP rule lets ``user`` see it: a member of the Gremium or a clerk sees every
    TOP; anyone else only a TOP that was public in the snapshot AND, if it still exists, is visible today
    (``Tagesordnungspunkt.mit_sichtbarkeit``). Vorlagen and Anlagen show only if they are in their
    ``sichtbar_fuer(user)`` today; an Anlage deleted since shows only if it was public and its Vorlage is visible.
    """

    def __init__(self, *, sitzung, user, fassungen):
        self.sitzung = sitzung
        self.alles = darf_alles_sehen(user)
        self.gremium = self.alles or (
            angemeldet(user) and Ausschuss.objects.mit_mitglied(user).filter(pk=sitzung.ausschuss_id).exists()
        )
        self.tops_heute = dict(
            Tagesordnungspunkt.objects.filter(sitzung=sitzung)
            .mit_sichtbarkeit(user)
            .values_list("pk", "inhalt_sichtbar")
        )
        vorlagen_ids, anlagen_ids = set(), set()
        for fassung in fassungen:
            for top in fassung.inhalt.get("tops", []):
                for vorlage in top["vorlagen"]:
                    vorlagen_ids.add(vorlage["id"])
                    anlagen_ids.update(anlage["id"] for anlage in vorlage["anlagen"])
        self.vorlagen = dict(
            Vorlage.objects.sichtbar_fuer(user).filter(pk__in=vorlagen_ids).values_list("pk", "kennung")
        )
        self.anlagen = {
            pk: (kennung, dateiname, datei, groesse)
            for pk, kennung, dateiname, datei, groesse in Anlage.objects.sichtbar_fuer(user)
            .filter(pk__in=anlagen_ids)
            .values_list("pk", "vorlage__kennung", "dateiname", "datei", "groesse")
        }
        self.anlagen_vorhanden = set(Anlage.objects.filter(pk__in=anlagen_ids).values_list("pk", flat=True))

    def top_sichtbar(self, top):
        if self.gremium:
            return True
        return self.sitzung.oeffentlich and top["oeffentlich"] and self.tops_heute.get(top["id"], True)

    def vorlage_sichtbar(self, vorlage):
        return vorlage["id"] in self.vorlagen

    def anlage_sichtbar(self, vorlage, anlage):
        if not self.vorlage_sichtbar(vorlage):
            return False
        if anlage["id"] in self.anlagen:
            return True
        if anlage["id"] in self.anlagen_vorhanden:
            return False
        return self.alles or (anlage.get("oeffentlich", False) and not anlage.get("vertraulich", True))

    def top(self, top, *, mit_inhalt=False):
        if not self.top_sichtbar(top):
            return Eintrag(bezeichnung=top["bezeichnung"])
        eintrag = Eintrag(bezeichnung=top["bezeichnung"], titel=top["titel"])
        if mit_inhalt:
            eintrag.kinder = [
                self.vorlage(vorlage, mit_anlagen=True) for vorlage in top["vorlagen"] if self.vorlage_sichtbar(vorlage)
            ]
        return eintrag

    def vorlage(self, vorlage, *, mit_anlagen=False):
        kennung = self.vorlagen[vorlage["id"]]
        eintrag = Eintrag(
            bezeichnung=vorlage["bezeichnung"],
            titel=vorlage["titel"],
            url=reverse("vorlagen:detail", kwargs={"kennung": kennung}),
        )
        if mit_anlagen:
            eintrag.kinder = [
                self.anlage(anlage) for anlage in vorlage["anlagen"] if self.anlage_sichtbar(vorlage, anlage)
            ]
        return eintrag

    def anlage(self, anlage):
        eintrag = Eintrag(titel=anlage["titel"], dateiname=anlage["dateiname"], groesse=anlage["groesse"])
        heute = self.anlagen.get(anlage["id"])
        # A link only while the file of this version is still the one served: a replaced file is gone.
        if heute is not None and f"{heute[2]}|{heute[3]}" == anlage["identitaet"]:
            eintrag.url = reverse(
                "vorlagen:anlage",
                kwargs={"kennung": heute[0], "pk": anlage["id"], "dateiname": heute[1] or "datei"},
            )
        return eintrag

    def aenderungen(self, alt, neu):
        """``unterschiede(alt, neu)`` with each entry reduced to what the visitor may see; entries about hidden
        text are left out, a hidden TOP that came, went or moved appears by its number only."""
        ergebnis = []
        for roh in unterschiede(alt, neu):
            art = roh["art"]
            sichtbar = self.top_sichtbar(roh["top"]) and (
                "vorher_top" not in roh or self.top_sichtbar(roh["vorher_top"])
            )
            if not sichtbar and art not in ("top_neu", "top_entfernt", "top_verschoben"):
                continue
            aenderung = Aenderung(
                art=art,
                top=self.top(roh["top"]) if sichtbar else Eintrag(bezeichnung=roh["top"]["bezeichnung"]),
            )
            if "vorher_top" in roh:
                vorher = roh["vorher_top"]
                aenderung.vorher_top = self.top(vorher) if sichtbar else Eintrag(bezeichnung=vorher["bezeichnung"])
            if "vorlage" in roh:
                if not self.vorlage_sichtbar(roh["vorlage"]):
                    continue
                aenderung.vorlage = self.vorlage(roh["vorlage"])
            if "anlage" in roh:
                if not self.anlage_sichtbar(roh["vorlage"], roh["anlage"]):
                    continue
                aenderung.anlage = self.anlage(roh["anlage"])
                if "vorher" in roh:
                    aenderung.vorher_anlage = self.anlage(roh["vorher"])
            ergebnis.append(aenderung)
        return ergebnis


def darstellung(*, sitzung, user, fassungen):
    """Versions of ``sitzung`` (ordered by number, each preceded by the one before it or first) as ``user`` may see
    them: each with its agenda and what changed against the version before it."""
    sichtbarkeit = Sichtbarkeit(sitzung=sitzung, user=user, fassungen=fassungen)
    ansichten, vorher = [], None
    for fassung in fassungen:
        if vorher is not None and vorher.nummer != fassung.nummer - 1:
            vorher = None
        ansichten.append(
            Fassungsansicht(
                fassung=fassung,
                tops=[sichtbarkeit.top(top, mit_inhalt=True) for top in fassung.inhalt.get("tops", [])],
                aenderungen=sichtbarkeit.aenderungen(vorher.inhalt, fassung.inhalt) if vorher else [],
                vorgaenger=vorher,
            )
        )
        vorher = fassung
    return ansichten
