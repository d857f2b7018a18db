"""The citizens' digests: what is new for each due subscription, one German mail per address, into the outbox.

Everything is read through the one visibility rule for the anonymous visitor (``sichtbar_fuer(AnonymousUser())``
of the domain's querysets): a subscriber has no account, and her address may be passed on. What a subscription
follows that is no longer public (a Vorlage back in draft, made non-public) simply yields nothing.

A run works in batches of ``STAPEL`` addresses. Per batch the news of all its subscriptions are read together, a
fixed number of queries per kind of subscription, and sorted to the subscriptions in Python by their own window
``(seit, bis]``: ``seit`` is ``gesendet_bis`` (or the confirmation), ``bis`` the moment the run started. The mails
of a batch are put into the outbox and ``gesendet_bis`` of the subscriptions that took part is set to ``bis`` in
one transaction, so nothing is sent twice nor skipped. A subscription whose news could not be built (an error)
keeps its ``gesendet_bis`` and is tried again next time; the run goes on.

One mail per address: a reader with five subscriptions gets one digest, with an unsubscribe link under each part.
Its ``List-Unsubscribe`` header (RFC 2369/8058) ends exactly what the mail was about: with one subscription that
subscription (``links.kopfzeilen``), with several all of them (``links.alle_kopfzeilen``: the address's
"alle abbestellen" link, whose one-click POST deletes every subscription of the address). A mail client's
"Abbestellen" button can thus never leave part of the digest coming.
"""

import dataclasses
import datetime
import json
import logging
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from abonnements import links, suchabgleich
from abonnements.models import Abonnement
from gremien.models import Mitgliedschaft
from post.links import absolut
from post.models import Nachricht
from post.services import einreihen, nachricht_bauen
from protokoll.models import Niederschrift, Stimme
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from vorlagen.models import Anlage, Vorlage

logger = logging.getLogger(__name__)

STAPEL = 200  # addresses per batch
SUCHE_HOECHSTENS = 20  # hits named per search subscription and digest
# A run may start a little earlier than the last one did (cron, a slow previous run): a subscription is due when
# its last digest is at least this old, so a second run on the same day sends nothing twice.
# A Vorlage's long texts and search vector: a digest names a Vorlage and links to it, and these columns made up most
# of what its queries read.
VORLAGE_TEXTE = ("suchvektor", "beschlussantrag", "bericht", "begruendung", "finanzielle_auswirkungen", "mitzeichnung")
FAELLIG_NACH = {
    Abonnement.Rhythmus.TAEGLICH: datetime.timedelta(hours=20),
    Abonnement.Rhythmus.WOECHENTLICH: datetime.timedelta(days=6, hours=20),
}


@dataclasses.dataclass
class Eintrag:
    text: str
    url: str = ""
    zeilen: list = dataclasses.field(default_factory=list)  # indented lines under it (a Sitzung's agenda)


@dataclasses.dataclass
class Ergebnis:
    """The figures of a run (or batch): what the command prints."""

    adressen: int = 0
    abonnements: int = 0
    nachrichten: int = 0
    ohne_neues: int = 0
    fehler: int = 0

    def __iadd__(self, anderes):
        for feld in dataclasses.fields(self):
            setattr(self, feld.name, getattr(self, feld.name) + getattr(anderes, feld.name))
        return self


def faellig_q(jetzt):
    """Confirmed subscriptions whose last digest (or confirmation) is old enough for their rhythm."""
    bedingung = Q()
    for rhythmus, abstand in FAELLIG_NACH.items():
        grenze = jetzt - abstand
        bedingung |= Q(rhythmus=rhythmus) & (
            Q(gesendet_bis__lte=grenze) | Q(gesendet_bis__isnull=True, bestaetigt_am__lte=grenze)
        )
    return Q(bestaetigt_am__isnull=False) & bedingung


def _seit(abonnement):
    return abonnement.gesendet_bis or abonnement.bestaetigt_am


def _im_fenster(zeitpunkt, seit, bis):
    return zeitpunkt is not None and seit < zeitpunkt <= bis


def _datum(wert):
    if isinstance(wert, datetime.datetime):
        return formats.date_format(timezone.localtime(wert), "DATE_FORMAT")
    return formats.date_format(wert, "DATE_FORMAT") if wert else ""


def _zeit(wert):
    return formats.date_format(timezone.localtime(wert), "DATETIME_FORMAT")


def _top_zeile(top, ergebnisse=None):
    zeile = f"{top.bezeichnung} {top.titel}"
    if top.ergebnis:
        ergebnis = ergebnisse[top.ergebnis] if ergebnisse else top.get_ergebnis_display()
        zeile += " – " + _("Ergebnis: %(ergebnis)s") % {"ergebnis": ergebnis}
    return zeile


def _suchschluessel(abonnement):
    """Subscriptions with the same words and filters share one search: it is asked once per run."""
    return abonnement.suchbegriff, json.dumps(abonnement.suchfilter, sort_keys=True, default=str)


class Vorrat:
    """The news already read in a run, kept across its batches: ``{art: {key: (seit, daten)}}``.

    The daily subscriptions of a run nearly all share one window, so the batches would read the same day's news
    again and again (the Beratungen of the day's Vorlagen, the changed Sitzungen of every Gremium, each search).
    What a key holds was read for the window ``(seit, bis]``; a batch whose subscription begins earlier reads that
    key again with the wider window. Each subscription still takes only what lies in its own window (the
    ``_im_fenster`` checks), so a wider read never adds anything. The news are those up to ``bis``, the moment the
    run began; what changes while the run goes on (minutes) is the next run's news.
    """

    def __init__(self, bis):
        self.bis = bis
        self.daten = {art: {} for art in Abonnement.Art.values}
        # A Sitzung's agenda lines and a new Vorlage's line are the same in every digest of its Gremium: made
        # once per run.
        self.sitzung_zeilen = {}
        self.vorlage_eintraege = {}
        # The searches of all the run's due subscriptions are asked together in its first batch: a search's
        # UNION ALL part costs the same for one subscription as for a hundred, the query of new ids once per call.
        self.suchen_gelesen = False


class Neuigkeiten:
    """The news of one batch of subscriptions, read per kind in a fixed number of queries (none for what the
    run's ``Vorrat`` already holds)."""

    def __init__(self, abonnements, bis, vorrat=None):
        self.anonym = AnonymousUser()
        self.bis = bis
        alle_suchen = {}
        if vorrat is None or vorrat.bis != bis:
            vorrat = Vorrat(bis)
        elif not vorrat.suchen_gelesen:
            alle_suchen = self._alle_suchen()
            vorrat.suchen_gelesen = True
        self.vorrat = vorrat
        self._sitzung_zeilen = vorrat.sitzung_zeilen
        # The labels of the results are translated once (each get_ergebnis_display() translates all choices anew).
        self._ergebnisse = {wert: str(name) for wert, name in Tagesordnungspunkt.Ergebnis.choices}
        nach_art = {art: [a for a in abonnements if a.art == art] for art in Abonnement.Art.values}
        self.gremium = self._aus_vorrat(
            Abonnement.Art.GREMIUM, nach_art[Abonnement.Art.GREMIUM], lambda a: a.ausschuss_id, self._gremien
        )
        self.vorlage = self._aus_vorrat(
            Abonnement.Art.VORLAGE, nach_art[Abonnement.Art.VORLAGE], lambda a: a.vorlage_id, self._vorlagen
        )
        self.person = self._aus_vorrat(
            Abonnement.Art.PERSON, nach_art[Abonnement.Art.PERSON], lambda a: a.person_id, self._personen
        )
        self.suche = self._aus_vorrat(
            Abonnement.Art.SUCHE, nach_art[Abonnement.Art.SUCHE], _suchschluessel, self._suchen, alle_suchen
        )

    def _alle_suchen(self):
        """``{search key: earliest seit}`` of every due search subscription of the run (one query)."""
        seit = {}
        zeilen = Abonnement.objects.filter(faellig_q(self.bis), art=Abonnement.Art.SUCHE).values_list(
            "suchbegriff", "suchfilter", "gesendet_bis", "bestaetigt_am"
        )
        for suchbegriff, suchfilter, gesendet_bis, bestaetigt_am in zeilen:
            abonnement = Abonnement(suchbegriff=suchbegriff, suchfilter=suchfilter)
            schluessel, beginn = _suchschluessel(abonnement), gesendet_bis or bestaetigt_am
            seit[schluessel] = min(seit.get(schluessel, beginn), beginn)
        return seit

    def _aus_vorrat(self, art, abonnements, schluessel_von, lesen, vorab=None):
        """``{key: daten}`` for these subscriptions; what the run's Vorrat lacks (or holds for a narrower window)
        is read in one go, with the earliest window of those keys, together with the keys ``vorab`` (``{key:
        seit}``) that later batches will need."""
        seit = {}
        for abonnement in abonnements:
            schluessel = schluessel_von(abonnement)
            seit[schluessel] = min(seit.get(schluessel, _seit(abonnement)), _seit(abonnement))
        lesen_fuer = dict(vorab or {})
        for schluessel, beginn in seit.items():
            lesen_fuer[schluessel] = min(lesen_fuer.get(schluessel, beginn), beginn)
        vorrat = self.vorrat.daten[art]
        fehlend = {k: s for k, s in lesen_fuer.items() if k not in vorrat or vorrat[k][0] > s}
        if fehlend:
            fruehester = min(fehlend.values())
            gelesen = lesen(list(fehlend), fruehester)
            for schluessel in fehlend:
                vorrat[schluessel] = (fruehester, gelesen.get(schluessel))
        return {schluessel: vorrat[schluessel][1] for schluessel in seit}

    def _fenster(self, feld, seit):
        return {f"{feld}__gt": seit, f"{feld}__lte": self.bis}

    def _gremien(self, ids, seit):
        if not ids:
            return {}
        beratungen = (
            Beratung.objects.sichtbar_fuer(self.anonym)
            .filter(ausschuss__in=ids, **self._fenster("vorlage__veroeffentlicht_am", seit))
            .select_related("vorlage")
            .defer(*(f"vorlage__{feld}" for feld in VORLAGE_TEXTE))
            .order_by("vorlage__veroeffentlicht_am", "pk")
        )
        tops = Tagesordnungspunkt.objects.sichtbar_fuer(self.anonym)
        geaendert = tops.filter(sitzung__ausschuss__in=ids, **self._fenster("geaendert_am", seit)).values("sitzung")
        sitzungen = (
            Sitzung.objects.sichtbar_fuer(self.anonym)
            .filter(ausschuss__in=ids)
            .filter(Q(**self._fenster("geaendert_am", seit)) | Q(pk__in=geaendert))
            .select_related("ausschuss", "ort")
            .defer("suchvektor")
            .prefetch_related(
                Prefetch(
                    "tagesordnungspunkte",
                    queryset=tops.order_by("-oeffentlich", "reihenfolge", "pk").defer("suchvektor"),
                    to_attr="sichtbare_tops",
                )
            )
            .order_by("beginn", "pk")
        )
        niederschriften = (
            Niederschrift.objects.sichtbar_fuer(self.anonym)
            .filter(sitzung__ausschuss__in=ids, **self._fenster("veroeffentlicht_am", seit))
            .select_related("sitzung__ausschuss")
            .defer("sitzung__suchvektor")
            .order_by("veroeffentlicht_am", "pk")
        )
        daten = {pk: {"beratungen": [], "sitzungen": [], "niederschriften": []} for pk in ids}
        for beratung in beratungen:
            daten[beratung.ausschuss_id]["beratungen"].append(beratung)
        for sitzung in sitzungen:
            daten[sitzung.ausschuss_id]["sitzungen"].append(sitzung)
        for niederschrift in niederschriften:
            daten[niederschrift.sitzung.ausschuss_id]["niederschriften"].append(niederschrift)
        return daten

    def _vorlagen(self, ids, seit):
        if not ids:
            return {}
        vorlagen = Vorlage.objects.sichtbar_fuer(self.anonym).filter(pk__in=ids).defer(*VORLAGE_TEXTE)
        daten = {v.pk: {"vorlage": v, "beratungen": [], "ergebnisse": [], "anlagen": []} for v in vorlagen}
        if not daten:
            return {}
        beratungen = (
            Beratung.objects.sichtbar_fuer(self.anonym)
            .filter(vorlage__in=list(daten), **self._fenster("geaendert_am", seit))
            .select_related("ausschuss", "sitzung")
            .defer("sitzung__suchvektor")
            .order_by("reihenfolge", "pk")
        )
        ergebnisse = (
            Tagesordnungspunkt.vorlagen.through.objects.filter(
                vorlage__in=list(daten),
                tagesordnungspunkt__in=Tagesordnungspunkt.objects.sichtbar_fuer(self.anonym)
                .exclude(ergebnis="")
                .filter(**self._fenster("geaendert_am", seit)),
            )
            .select_related("tagesordnungspunkt__sitzung__ausschuss")
            .defer("tagesordnungspunkt__suchvektor", "tagesordnungspunkt__sitzung__suchvektor")
            .order_by("tagesordnungspunkt__sitzung__beginn", "pk")
        )
        anlagen = (
            Anlage.objects.sichtbar_fuer(self.anonym)
            .filter(vorlage__in=list(daten), **self._fenster("erstellt_am", seit))
            .order_by("erstellt_am", "pk")
        )
        for beratung in beratungen:
            daten[beratung.vorlage_id]["beratungen"].append(beratung)
        for zuordnung in ergebnisse:
            daten[zuordnung.vorlage_id]["ergebnisse"].append(zuordnung.tagesordnungspunkt)
        for anlage in anlagen:
            daten[anlage.vorlage_id]["anlagen"].append(anlage)
        return daten

    def _personen(self, ids, seit):
        if not ids:
            return {}
        stimmen = (
            Stimme.objects.sichtbar_fuer(self.anonym)
            .filter(person__in=ids, **self._fenster("abstimmung__erstellt_am", seit))
            .select_related("abstimmung__tagesordnungspunkt__sitzung__ausschuss")
            .defer("abstimmung__tagesordnungspunkt__suchvektor", "abstimmung__tagesordnungspunkt__sitzung__suchvektor")
            .order_by("abstimmung__erstellt_am", "pk")
        )
        mitgliedschaften = (
            Mitgliedschaft.objects.filter(person__in=ids, **self._fenster("erstellt_am", seit))
            .select_related("ausschuss")
            .order_by("beginn", "pk")
        )
        daten = {pk: {"stimmen": [], "mitgliedschaften": []} for pk in ids}
        for stimme in stimmen:
            daten[stimme.person_id]["stimmen"].append(stimme)
        for mitgliedschaft in mitgliedschaften:
            daten[mitgliedschaft.person_id]["mitgliedschaften"].append(mitgliedschaft)
        return daten

    def _suchen(self, schluessel, seit):
        """One search per distinct query of the batch (not per subscription), all in the same window."""
        abfragen = [
            suchabgleich.Suchabfrage(
                schluessel=nummer,
                suchbegriff=suchbegriff,
                suchfilter=json.loads(suchfilter),
                seit=seit,
                bis=self.bis,
            )
            for nummer, (suchbegriff, suchfilter) in enumerate(schluessel)
        ]
        treffer = suchabgleich.neue_treffer(abfragen=abfragen)
        return {schluessel[nummer]: funde for nummer, funde in treffer.items()}

    # The entries of one subscription, in its own window

    def eintraege(self, abonnement):
        seit, bis = _seit(abonnement), self.bis
        return {
            Abonnement.Art.GREMIUM: self._gremium_eintraege,
            Abonnement.Art.VORLAGE: self._vorlage_eintraege,
            Abonnement.Art.PERSON: self._person_eintraege,
            Abonnement.Art.SUCHE: self._suche_eintraege,
        }[abonnement.art](abonnement, seit, bis)

    def _gremium_eintraege(self, abonnement, seit, bis):
        daten = self.gremium.get(abonnement.ausschuss_id)
        if not daten:
            return []
        eintraege, gesehen = [], set()
        for beratung in daten["beratungen"]:
            vorlage = beratung.vorlage
            if vorlage.pk in gesehen or not _im_fenster(vorlage.veroeffentlicht_am, seit, bis):
                continue
            gesehen.add(vorlage.pk)
            if vorlage.pk not in self.vorrat.vorlage_eintraege:
                self.vorrat.vorlage_eintraege[vorlage.pk] = Eintrag(
                    _("Neue Vorlage: %(vorlage)s") % {"vorlage": vorlage}, absolut(vorlage.get_absolute_url())
                )
            eintraege.append(self.vorrat.vorlage_eintraege[vorlage.pk])
        for sitzung in daten["sitzungen"]:
            tops = sitzung.sichtbare_tops
            geaendert = [sitzung.geaendert_am, *(top.geaendert_am for top in tops)]
            if not any(_im_fenster(zeitpunkt, seit, bis) for zeitpunkt in geaendert):
                continue
            if sitzung.erstellt_am > seit:
                muster = _("Neue Sitzung: %(sitzung)s")
            else:
                muster = _("Sitzung geändert: %(sitzung)s")
            if sitzung.pk not in self._sitzung_zeilen:
                titel = f"{sitzung.titel}, {_zeit(sitzung.beginn)}"
                if sitzung.status == Sitzung.Status.ABGESAGT:
                    titel += " – " + _("abgesagt")
                zeilen = [(t.geaendert_am, _top_zeile(t, self._ergebnisse)) for t in tops]
                self._sitzung_zeilen[sitzung.pk] = (titel, absolut(sitzung.get_absolute_url()), zeilen)
            titel, url, zeilen = self._sitzung_zeilen[sitzung.pk]
            # A new Sitzung with its whole public agenda; a changed one with what changed (new TOPs, results),
            # the rest is a click away: a day of results in a busy Gremium would otherwise repeat whole agendas.
            neu = sitzung.erstellt_am > seit
            zeilen = [zeile for geaendert, zeile in zeilen if neu or _im_fenster(geaendert, seit, bis)]
            eintraege.append(Eintrag(muster % {"sitzung": titel}, url, zeilen))
        for niederschrift in daten["niederschriften"]:
            if _im_fenster(niederschrift.veroeffentlicht_am, seit, bis):
                eintraege.append(
                    Eintrag(
                        _("Niederschrift veröffentlicht: %(sitzung)s") % {"sitzung": niederschrift.sitzung.titel},
                        absolut(niederschrift.get_absolute_url()),
                    )
                )
        return eintraege

    def _vorlage_eintraege(self, abonnement, seit, bis):
        daten = self.vorlage.get(abonnement.vorlage_id)
        if not daten:
            return []  # no longer public: nothing about it
        vorlage, eintraege = daten["vorlage"], []
        url = absolut(vorlage.get_absolute_url())
        if _im_fenster(vorlage.veroeffentlicht_am, seit, bis):
            eintraege.append(Eintrag(_("Die Vorlage wurde veröffentlicht."), url))
        elif _im_fenster(vorlage.geaendert_am, seit, bis):
            eintraege.append(Eintrag(_("Die Vorlage wurde geändert."), url))
        if vorlage.status == Vorlage.Status.ZURUECKGEZOGEN and _im_fenster(vorlage.geaendert_am, seit, bis):
            eintraege.append(Eintrag(_("Die Vorlage ist zurückgezogen."), url))
        for anlage in daten["anlagen"]:
            if _im_fenster(anlage.erstellt_am, seit, bis):
                eintraege.append(Eintrag(_("Neue Anlage: %(anlage)s") % {"anlage": anlage.titel}, url))
        for beratung in daten["beratungen"]:
            if not _im_fenster(beratung.geaendert_am, seit, bis):
                continue
            text = _("Beratung im Gremium %(gremium)s zur %(rolle)s") % {
                "gremium": beratung.ausschuss,
                "rolle": beratung.get_rolle_display(),
            }
            if beratung.sitzungstermin:
                text += ", " + _("Termin: %(datum)s") % {"datum": _datum(beratung.sitzungstermin)}
            if beratung.ergebnis:
                text += " – " + _("Ergebnis: %(ergebnis)s") % {"ergebnis": beratung.get_ergebnis_display()}
            ziel = beratung.sitzung.get_absolute_url() if beratung.sitzung_id else vorlage.get_absolute_url()
            eintraege.append(Eintrag(text, absolut(ziel)))
        for top in daten["ergebnisse"]:
            if _im_fenster(top.geaendert_am, seit, bis):
                text = _("%(sitzung)s, %(top)s") % {"sitzung": top.sitzung.titel, "top": _top_zeile(top)}
                eintraege.append(Eintrag(text, absolut(top.get_absolute_url())))
        return eintraege

    def _person_eintraege(self, abonnement, seit, bis):
        daten = self.person.get(abonnement.person_id)
        if not daten:
            return []
        eintraege = []
        for mitgliedschaft in daten["mitgliedschaften"]:
            if _im_fenster(mitgliedschaft.erstellt_am, seit, bis):
                text = _("Neue Mitgliedschaft: %(gremium)s (%(rolle)s) ab %(datum)s") % {
                    "gremium": mitgliedschaft.ausschuss,
                    "rolle": mitgliedschaft.get_rolle_display(),
                    "datum": _datum(mitgliedschaft.beginn),
                }
                eintraege.append(Eintrag(text, absolut(mitgliedschaft.ausschuss.get_absolute_url())))
        for stimme in daten["stimmen"]:
            if _im_fenster(stimme.abstimmung.erstellt_am, seit, bis):
                top = stimme.abstimmung.tagesordnungspunkt
                text = _("Namentliche Abstimmung in %(sitzung)s, %(top)s: %(stimme)s") % {
                    "sitzung": top.sitzung.titel,
                    "top": f"{top.bezeichnung} {top.titel}",
                    "stimme": stimme.get_stimme_display(),
                }
                eintraege.append(Eintrag(text, absolut(top.get_absolute_url())))
        return eintraege

    def _suche_eintraege(self, abonnement, seit, bis):
        funde = [fund for fund in self.suche.get(_suchschluessel(abonnement)) or [] if _im_fenster(fund[2], seit, bis)]
        eintraege = [
            Eintrag(f"{art}: {objekt}", absolut(objekt.get_absolute_url()))
            for art, objekt, _datum in funde[:SUCHE_HOECHSTENS]
        ]
        if len(funde) > SUCHE_HOECHSTENS:
            # A common word finds a hundred new papers a day; the mail names the first and leads to the search.
            parameter = {**(abonnement.suchfilter or {}), "q": abonnement.suchbegriff, "sortierung": "datum"}
            eintraege.append(
                Eintrag(
                    _("… und %(anzahl)d weitere neue Treffer dieser Suche") % {"anzahl": len(funde) - SUCHE_HOECHSTENS},
                    absolut(f"{reverse('suche:suche')}?{urlencode(parameter)}"),
                )
            )
        return eintraege


def _abschnitt_titel(abonnement):
    art = {
        Abonnement.Art.GREMIUM: _("Gremium"),
        Abonnement.Art.VORLAGE: _("Vorlage"),
        Abonnement.Art.PERSON: _("Person"),
        Abonnement.Art.SUCHE: _("Suche"),
    }[abonnement.art]
    return f"{art}: {abonnement.gegenstand_text()}"


def _kopfzeilen(abonnent, abonnements):
    if len(abonnements) == 1:
        return links.kopfzeilen(abonnements[0])
    return links.alle_kopfzeilen(abonnent)


def _nachricht(abonnent, teile, bis):
    abonnements = [abonnement for abonnement, _eintraege in teile]
    anzahl = sum(len(eintraege) for _abonnement, eintraege in teile)
    kontext = {
        "teile": [
            {"titel": _abschnitt_titel(a), "eintraege": eintraege, "abbestellen": links.abbestellen_url(a)}
            for a, eintraege in teile
        ],
        "datum": _datum(bis),
        "verwalten": links.verwalten_url(abonnent),
        "anzahl": anzahl,
    }
    betreff = ngettext(
        "Ratsinformation: %(anzahl)d Neuigkeit bis %(datum)s",
        "Ratsinformation: %(anzahl)d Neuigkeiten bis %(datum)s",
        anzahl,
    ) % {"anzahl": anzahl, "datum": kontext["datum"]}
    return nachricht_bauen(
        art=Nachricht.Art.ZUSAMMENFASSUNG,
        adresse=abonnent.adresse,
        betreff=betreff,
        text=render_to_string("abonnements/mail/zusammenfassung.txt", kontext),
        kopfzeilen=_kopfzeilen(abonnent, abonnements),
    )


def faellige_abonnenten(*, jetzt, nach=0, anzahl=STAPEL):
    """The ids of the next ``anzahl`` addresses with a due subscription, after the id ``nach`` (one query)."""
    return list(
        Abonnement.objects.filter(faellig_q(jetzt), abonnent_id__gt=nach)
        .order_by("abonnent_id")
        .values_list("abonnent_id", flat=True)
        .distinct()[:anzahl]
    )


@transaction.atomic
def stapel_einreihen(*, abonnent_ids, jetzt, vorrat=None):
    """Build the digests of these addresses' due subscriptions (news up to ``jetzt``) and queue them.

    ``vorrat``: the run's news read so far (a ``Vorrat`` for the same ``jetzt``), shared by its batches."""
    ergebnis = Ergebnis()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The batch's few queries are large (the search subscriptions' UNION ALL has a part per subscription)
            # but each reads few rows: compiling them with JIT took seconds per batch on the benchmark data, more
            # than running them. Local to this transaction, as the search's own time limit does it.
            cursor.execute(
                "SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"
            )
    abonnements = list(
        Abonnement.objects.filter(faellig_q(jetzt), abonnent_id__in=abonnent_ids)
        .select_related("abonnent", "ausschuss", "vorlage", "person")
        .defer(*(f"vorlage__{feld}" for feld in VORLAGE_TEXTE))
        .order_by("abonnent_id", "erstellt_am", "pk")
    )
    with translation.override("de"):
        neuigkeiten = Neuigkeiten(abonnements, jetzt, vorrat)
        je_adresse = {}
        for abonnement in abonnements:
            je_adresse.setdefault(abonnement.abonnent_id, []).append(abonnement)
        nachrichten, erledigt = [], []
        for abos in je_adresse.values():
            abonnent, teile, geprueft = abos[0].abonnent, [], []
            ergebnis.adressen += 1
            for abonnement in abos:
                ergebnis.abonnements += 1
                try:
                    eintraege = neuigkeiten.eintraege(abonnement)
                except Exception:
                    # One broken subscription must not stop the digest of everyone else; it keeps its window.
                    logger.exception("Zusammenfassung: Abonnement %s nicht lesbar", abonnement.pk)
                    ergebnis.fehler += 1
                    continue
                geprueft.append(abonnement)
                if eintraege:
                    teile.append((abonnement, eintraege))
            if not teile:
                # Nothing new: the window is closed all the same, nothing was left out.
                ergebnis.ohne_neues += 1
                erledigt.extend(geprueft)
                continue
            try:
                nachrichten.append(_nachricht(abonnent, teile, jetzt))
            except ValidationError:
                logger.warning("Zusammenfassung: Adresse von Abonnent/in %s ungültig", abonnent.pk)
                ergebnis.fehler += 1
                continue
            erledigt.extend(geprueft)
    if nachrichten:
        einreihen(nachrichten=nachrichten)
        ergebnis.nachrichten = len(nachrichten)
    if erledigt:
        Abonnement.objects.filter(pk__in=[a.pk for a in erledigt]).update(gesendet_bis=jetzt)
    return ergebnis


def zusammenfassungen_einreihen(*, jetzt=None, stapel=STAPEL):
    """Every due digest, batch by batch (each batch its own transaction); returns the summed ``Ergebnis``."""
    jetzt = jetzt or timezone.now()
    gesamt, nach, vorrat = Ergebnis(), 0, Vorrat(jetzt)
    while ids := faellige_abonnenten(jetzt=jetzt, nach=nach, anzahl=stapel):
        try:
            gesamt += stapel_einreihen(abonnent_ids=ids, jetzt=jetzt, vorrat=vorrat)
        except OperationalError:
            raise  # the database is gone: a real error, the command says so
        except Exception:
            # A batch that cannot be read (a defect in one kind of news) is rolled back and tried again next time;
            # the other batches still go out.
            logger.exception("Zusammenfassung: Stapel ab Abonnent/in %s nicht gebaut", ids[0])
            gesamt.adressen += len(ids)
            gesamt.fehler += len(ids)
        nach = ids[-1]
    return gesamt
