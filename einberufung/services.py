"""Sending the Einladung and its Nachträge (§ 34 GemO BW). Keyword-only, atomic, validating first.

Each recipient gets a mail of her own, rendered with what the one rule lets her see: the non-public TOP titles
reach only those whose account may see them (``Tagesordnungspunkt.objects.sichtbar_fuer``); extra recipients and
members without an account read the agenda as the anonymous visitor does. The mails go into the outbox
(``post.services.einreihen``) in one call, in the same transaction as the Einberufung and its Ladungen: either the
whole Einberufung is recorded and queued, or nothing is. The worker sends after the commit.
"""

import dataclasses

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import get_template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from einberufung.models import Einberufung, Ladung
from gremien.models import Mitgliedschaft
from post.links import absolut_reverse
from post.models import Nachricht
from post.services import einreihen, nachricht_bauen
from sitzungen.fassungen import tagesordnung_fassung_festhalten
from sitzungen.models import Sitzung, Tagesordnungsaenderung, Tagesordnungspunkt
from sitzungen.services import tagesordnung_aenderung_festhalten

HINZUGEFUEGT = "hinzugefuegt"
ENTFERNT = "entfernt"
TITEL = "titel"
VERSCHOBEN = "verschoben"


def ladungsfrist(ausschuss):
    """The Gremium's own Ladungsfrist in days, else the installation's."""
    if ausschuss.ladungsfrist_tage is not None:
        return ausschuss.ladungsfrist_tage
    return settings.RATSINFO_LADUNGSFRIST_TAGE


def tage_bis_zur_sitzung(*, sitzung, jetzt):
    """Whole days from the sending day to the day of the Sitzung, both in local time."""
    return (timezone.localdate(sitzung.beginn) - timezone.localdate(jetzt)).days


@dataclasses.dataclass
class Empfaenger:
    name: str
    adresse: str
    rolle: str
    person: object = None
    benutzer: object = None


def mitglieder_am_sitzungstag(sitzung, stichtag=None):
    """(recipients with an address, persons without one, number of persons) of the Gremium on the Sitzung's day
    (or ``stichtag``): members and deputies in every role, each person once."""
    personen = {}
    rollen = {}
    mitgliedschaften = (
        Mitgliedschaft.objects.aktuell(stichtag or timezone.localdate(sitzung.beginn))
        .filter(ausschuss_id=sitzung.ausschuss_id)
        .select_related("person__benutzer")
        .order_by("person__nachname", "person__vorname", "person_id")
    )
    for mitgliedschaft in mitgliedschaften:
        personen.setdefault(mitgliedschaft.person_id, mitgliedschaft.person)
        rollen.setdefault(mitgliedschaft.person_id, set()).add(mitgliedschaft.rolle)
    empfaenger, ohne_adresse = [], []
    for person_id, person in personen.items():
        # A deputy is a deputy only if she holds no seat of her own in the Gremium.
        if rollen[person_id] == {Mitgliedschaft.Rolle.STELLVERTRETUNG}:
            rolle = Ladung.Rolle.STELLVERTRETUNG
        else:
            rolle = Ladung.Rolle.MITGLIED
        adresse = person.email or (person.benutzer.email if person.benutzer_id else "")
        if adresse:
            empfaenger.append(
                Empfaenger(name=person.name, adresse=adresse, rolle=rolle, person=person, benutzer=person.benutzer)
            )
        else:
            ohne_adresse.append(person)
    return empfaenger, ohne_adresse, len(personen)


def _tagesordnung(sitzung):
    return list(Tagesordnungspunkt.objects.filter(sitzung=sitzung).order_by("-oeffentlich", "reihenfolge", "pk"))


class Sichtbarkeit:
    """Which TOPs of the Sitzung each recipient may see, by the one rule; asked once per account."""

    def __init__(self, sitzung):
        self.sitzung = sitzung
        self._je_benutzer = {}
        self.oeffentlich = self.fuer(None)

    def fuer(self, benutzer):
        schluessel = benutzer.pk if benutzer is not None else None
        if schluessel not in self._je_benutzer:
            user = benutzer if benutzer is not None else AnonymousUser()
            self._je_benutzer[schluessel] = frozenset(
                Tagesordnungspunkt.objects.sichtbar_fuer(user).filter(sitzung=self.sitzung).values_list("pk", flat=True)
            )
        return self._je_benutzer[schluessel]


def stand_der_tagesordnung(tops, oeffentlich_sichtbar):
    """The agenda as sent, for the record and for the next Nachtrag's comparison."""
    return [
        {
            "id": top.pk,
            "bezeichnung": top.bezeichnung,
            "oeffentlich": top.oeffentlich,
            "titel": top.titel,
            "reihenfolge": top.reihenfolge,
            "oeffentlich_sichtbar": top.pk in oeffentlich_sichtbar,
        }
        for top in tops
    ]


def aenderungen_ermitteln(vorher, jetzt):
    """What changed between two states of the agenda (``stand_der_tagesordnung``): added, removed, retitled and
    moved (a new number or place) TOPs, in the order of the current agenda, the removed ones last."""
    alt = {eintrag["id"]: eintrag for eintrag in vorher}
    neu_ids = {eintrag["id"] for eintrag in jetzt}
    aenderungen = []
    for eintrag in jetzt:
        frueher = alt.get(eintrag["id"])
        if frueher is None:
            aenderungen.append({"art": HINZUGEFUEGT, "neu": eintrag, "alt": None})
            continue
        if frueher["titel"] != eintrag["titel"]:
            aenderungen.append({"art": TITEL, "neu": eintrag, "alt": frueher})
        if (frueher["bezeichnung"], frueher["reihenfolge"]) != (eintrag["bezeichnung"], eintrag["reihenfolge"]):
            aenderungen.append({"art": VERSCHOBEN, "neu": eintrag, "alt": frueher})
    for eintrag in vorher:
        if eintrag["id"] not in neu_ids:
            aenderungen.append({"art": ENTFERNT, "neu": None, "alt": eintrag})
    return aenderungen


def aenderungen_fuer(aenderungen, *, sichtbar, sah_nichtoeffentliches):
    """The changes one recipient may read: a TOP she may see now as it is; one she saw before (public then, or she
    was told the non-public part) but may not see now, as removed; nothing of a TOP she never saw."""
    ergebnis = []
    for aenderung in aenderungen:
        alt, neu = aenderung["alt"], aenderung["neu"]
        jetzt_sichtbar = neu is not None and neu["id"] in sichtbar
        vorher_sichtbar = alt is not None and (alt["oeffentlich_sichtbar"] or sah_nichtoeffentliches)
        if jetzt_sichtbar:
            ergebnis.append(aenderung)
        elif vorher_sichtbar and aenderung["art"] in (ENTFERNT, VERSCHOBEN):
            # Moved out of her sight (e.g. into the non-public part): for her it left the agenda.
            ergebnis.append({"art": ENTFERNT, "neu": None, "alt": alt})
    return ergebnis


def aenderung_als_text(aenderung):
    alt, neu = aenderung["alt"], aenderung["neu"]
    if aenderung["art"] == HINZUGEFUEGT:
        return _("Neu: %(top)s %(titel)s") % {"top": neu["bezeichnung"], "titel": neu["titel"]}
    if aenderung["art"] == ENTFERNT:
        return _("Abgesetzt: %(top)s %(titel)s") % {"top": alt["bezeichnung"], "titel": alt["titel"]}
    if aenderung["art"] == TITEL:
        return _("Neuer Titel: %(top)s %(titel)s (bisher: %(alt)s)") % {
            "top": neu["bezeichnung"],
            "titel": neu["titel"],
            "alt": alt["titel"],
        }
    if alt["bezeichnung"] == neu["bezeichnung"]:
        return _("Verschoben: %(top)s %(titel)s (neue Reihenfolge)") % {
            "top": neu["bezeichnung"],
            "titel": neu["titel"],
        }
    return _("Verschoben: %(alt)s → %(top)s %(titel)s") % {
        "alt": alt["bezeichnung"],
        "top": neu["bezeichnung"],
        "titel": neu["titel"],
    }


@dataclasses.dataclass
class Plan:
    """Everything an Einberufung will be, before anything is written: the preview and the sending share it."""

    sitzung: Sitzung
    art: str
    nummer: int
    jetzt: object
    ladungsfrist_tage: int
    tage: int
    frist_eingehalten: bool
    notfall_begruendung: str
    empfaenger: list
    ohne_adresse: list
    mitglieder_anzahl: int
    tops: list
    stand: list
    aenderungen: list
    vorherige: object
    sichtbarkeit: Sichtbarkeit
    # Asked once for all mails: looking up the template and reversing the links cost more than rendering.
    vorlage: object = None
    links: dict = None


def planen(*, sitzung, art, notfall_begruendung="", weitere_empfaenger=(), jetzt=None, stichtag=None):
    """Check that the Einladung or Nachtrag may go out now and collect what it will hold (ValidationError with a
    German message otherwise). Writes nothing. ``stichtag``: whose seats count, if not those of the Sitzung's day
    (only for recording an old Einberufung whose seats were never entered, as the demo data does)."""
    jetzt = jetzt or timezone.now()
    notfall_begruendung = (notfall_begruendung or "").strip()
    if sitzung.status == Sitzung.Status.ABGESAGT:
        raise ValidationError(_("Die Sitzung ist abgesagt; es wird nicht zu ihr eingeladen."))
    if sitzung.beginn <= jetzt:
        raise ValidationError(_("Die Sitzung hat schon begonnen; zu ihr kann nicht mehr eingeladen werden."))
    vorherige = sitzung.einberufungen.order_by("-nummer").first()
    if art == Einberufung.Art.EINLADUNG:
        if vorherige is not None:
            raise ValidationError(
                _("Zu dieser Sitzung wurde bereits eingeladen. Änderungen der Tagesordnung gehen als Nachtrag hinaus.")
            )
        nummer = 0
    else:
        if vorherige is None:
            raise ValidationError(_("Vor einem Nachtrag muss die Einladung versandt sein."))
        nummer = vorherige.nummer + 1
    frist = ladungsfrist(sitzung.ausschuss)
    tage = tage_bis_zur_sitzung(sitzung=sitzung, jetzt=jetzt)
    eingehalten = tage >= frist
    if not eingehalten and not notfall_begruendung:
        raise ValidationError(
            ngettext(
                "Die Ladungsfrist von %(frist)s Tag ist nicht eingehalten (noch %(tage)s Tage bis zur Sitzung). "
                "Ohne Frist darf nur in Notfällen eingeladen werden: bitte geben Sie den Grund an.",
                "Die Ladungsfrist von %(frist)s Tagen ist nicht eingehalten (noch %(tage)s Tage bis zur Sitzung). "
                "Ohne Frist darf nur in Notfällen eingeladen werden: bitte geben Sie den Grund an.",
                frist,
            )
            % {"frist": frist, "tage": tage},
            code="notfall_begruendung",
        )
    if eingehalten:
        # A reason for a Notfall that is none would mislead whoever reads the proof.
        notfall_begruendung = ""
    empfaenger, ohne_adresse, anzahl = mitglieder_am_sitzungstag(sitzung, stichtag)
    bekannt = {e.adresse.lower() for e in empfaenger}
    for name, adresse in weitere_empfaenger:
        if adresse.lower() not in bekannt:
            bekannt.add(adresse.lower())
            empfaenger.append(Empfaenger(name=name or adresse, adresse=adresse, rolle=Ladung.Rolle.WEITERE))
    if not empfaenger:
        raise ValidationError(
            _(
                "Niemand kann geladen werden: kein Mitglied des Gremiums hat eine E-Mail-Adresse, und es sind keine "
                "weiteren Empfänger angegeben."
            )
        )
    sichtbarkeit = Sichtbarkeit(sitzung)
    tops = _tagesordnung(sitzung)
    stand = stand_der_tagesordnung(tops, sichtbarkeit.oeffentlich)
    aenderungen = []
    if vorherige is not None:
        aenderungen = aenderungen_ermitteln(vorherige.tagesordnung, stand)
        if not aenderungen:
            raise ValidationError(
                _(
                    "Die Tagesordnung hat sich seit der letzten Einberufung nicht geändert; "
                    "ein Nachtrag ist nicht nötig."
                )
            )
    return Plan(
        sitzung=sitzung,
        art=art,
        nummer=nummer,
        jetzt=jetzt,
        ladungsfrist_tage=frist,
        tage=tage,
        frist_eingehalten=eingehalten,
        notfall_begruendung=notfall_begruendung,
        empfaenger=empfaenger,
        ohne_adresse=ohne_adresse,
        mitglieder_anzahl=anzahl,
        tops=tops,
        stand=stand,
        aenderungen=aenderungen,
        vorherige=vorherige,
        sichtbarkeit=sichtbarkeit,
    )


def mail_rendern(*, plan, name, sichtbar, aenderungen=(), mit_konto=False):
    """(subject, text) of the mail to one recipient, who sees the TOPs ``sichtbar`` and ``aenderungen``."""
    sitzung = plan.sitzung
    with translation.override(settings.LANGUAGE_CODE):
        datum = formats.date_format(timezone.localtime(sitzung.beginn), "j. F Y")
        if plan.art == Einberufung.Art.EINLADUNG:
            betreff = _("Einladung: %(titel)s am %(datum)s") % {"titel": sitzung.titel, "datum": datum}
        else:
            betreff = _("%(nummer)s. Nachtrag zur Einladung: %(titel)s am %(datum)s") % {
                "nummer": plan.nummer,
                "titel": sitzung.titel,
                "datum": datum,
            }
        sichtbare = [top for top in plan.tops if top.pk in sichtbar]
        if plan.vorlage is None:
            plan.vorlage = get_template("einberufung/mail.txt")
            plan.links = {
                "sitzung": absolut_reverse("sitzungen:sitzung-detail", pk=sitzung.pk),
                "tagesordnung": absolut_reverse("druck:tagesordnung", pk=sitzung.pk),
                "mappe": absolut_reverse("druck:mappe", pk=sitzung.pk),
            }
        text = plan.vorlage.render(
            {
                "plan": plan,
                "sitzung": sitzung,
                "name": name,
                "nachtrag": plan.art == Einberufung.Art.NACHTRAG,
                "oeffentliche": [top for top in sichtbare if top.oeffentlich],
                "nichtoeffentliche": [top for top in sichtbare if not top.oeffentlich],
                "aenderungen": [aenderung_als_text(aenderung) for aenderung in aenderungen],
                "mit_konto": mit_konto,
                "links": plan.links,
                "koerperschaft": settings.RATSINFO_KOERPERSCHAFT,
            },
        )
    return betreff, text


def vorschau(*, sitzung, user, art, notfall_begruendung="", weitere_empfaenger=(), jetzt=None):
    """The plan and the mail as the clerk herself may see it (never more than the rule lets her), for the
    confirmation step. Writes nothing."""
    plan = planen(
        sitzung=sitzung,
        art=art,
        notfall_begruendung=notfall_begruendung,
        weitere_empfaenger=weitere_empfaenger,
        jetzt=jetzt,
    )
    sichtbar = plan.sichtbarkeit.fuer(user if user.is_authenticated else None)
    aenderungen = aenderungen_fuer(plan.aenderungen, sichtbar=sichtbar, sah_nichtoeffentliches=False)
    betreff, text = mail_rendern(plan=plan, name=_("Vorname Nachname"), sichtbar=sichtbar, aenderungen=aenderungen)
    return plan, betreff, text


@dataclasses.dataclass
class Versand:
    einberufung: Einberufung
    ladungen: list
    ohne_adresse: list
    ohne_aenderung: list


def _letzte_ladungen(sitzung):
    """Per person id and per address: whether her latest Ladung to this Sitzung named the non-public TOPs."""
    je_person, je_adresse = {}, {}
    ladungen = (
        Ladung.objects.filter(einberufung__sitzung=sitzung)
        .order_by("einberufung__nummer")
        .values_list("person_id", "nachricht__adresse", "nichtoeffentlich")
    )
    for person_id, adresse, nichtoeffentlich in ladungen:
        if person_id is not None:
            je_person[person_id] = nichtoeffentlich
        je_adresse[adresse.lower()] = nichtoeffentlich
    return je_person, je_adresse


def _protokollieren(*, user, objekt, flag, nachricht):
    # The admin's history is the change record clerks look at; service writes belong in it too.
    if user is None or not user.is_authenticated:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[objekt], action_flag=flag, change_message=nachricht, single_object=True
    )


def _versenden(*, art, sitzung, user, notfall_begruendung, weitere_empfaenger, jetzt, stichtag=None):
    # Two clerks sending at once: the second waits here and then finds the first one's Einberufung.
    sitzung = Sitzung.objects.select_for_update(of=("self",)).select_related("ausschuss", "ort").get(pk=sitzung.pk)
    plan = planen(
        sitzung=sitzung,
        art=art,
        notfall_begruendung=notfall_begruendung,
        weitere_empfaenger=weitere_empfaenger,
        jetzt=jetzt,
        stichtag=stichtag,
    )
    einberufung = Einberufung(
        sitzung=sitzung,
        art=art,
        nummer=plan.nummer,
        versendet_am=plan.jetzt,
        versendet_von=user if user is not None and user.is_authenticated else None,
        ladungsfrist_tage=plan.ladungsfrist_tage,
        frist_eingehalten=plan.frist_eingehalten,
        notfall_begruendung=plan.notfall_begruendung,
        aenderungen="\n".join(aenderung_als_text(aenderung) for aenderung in plan.aenderungen),
        tagesordnung=plan.stand,
        mitglieder_anzahl=plan.mitglieder_anzahl,
        ohne_adresse=[person.name for person in plan.ohne_adresse],
    )
    einberufung.full_clean()
    je_person, je_adresse = _letzte_ladungen(sitzung) if plan.vorherige else ({}, {})
    nachrichten, ladungen, ohne_aenderung = [], [], []
    nachricht_art = Nachricht.Art.EINLADUNG if art == Einberufung.Art.EINLADUNG else Nachricht.Art.NACHTRAG
    for empfaenger in plan.empfaenger:
        sichtbar = plan.sichtbarkeit.fuer(empfaenger.benutzer)
        aenderungen = ()
        if plan.vorherige is not None:
            if empfaenger.person is not None:
                sah = je_person.get(empfaenger.person.pk, False)
            else:
                sah = je_adresse.get(empfaenger.adresse.lower(), False)
            aenderungen = aenderungen_fuer(plan.aenderungen, sichtbar=sichtbar, sah_nichtoeffentliches=sah)
            if not aenderungen:
                # Nothing she may see has changed: a mail saying so would tell her that something hidden did.
                ohne_aenderung.append(empfaenger.name)
                continue
        betreff, text = mail_rendern(
            plan=plan,
            name=empfaenger.name,
            sichtbar=sichtbar,
            aenderungen=aenderungen,
            mit_konto=empfaenger.benutzer is not None,
        )
        try:
            nachricht = nachricht_bauen(
                art=nachricht_art,
                adresse=empfaenger.adresse,
                betreff=betreff,
                text=text,
                empfaenger=empfaenger.benutzer,
            )
        except ValidationError as fehler:
            raise ValidationError(
                _("Die Adresse von %(name)s ist ungültig: %(adresse)s")
                % {"name": empfaenger.name, "adresse": empfaenger.adresse}
            ) from fehler
        nachrichten.append(nachricht)
        ladungen.append(
            Ladung(
                person=empfaenger.person,
                name=empfaenger.name[: Ladung._meta.get_field("name").max_length],
                rolle=empfaenger.rolle,
                nichtoeffentlich=bool(sichtbar - plan.sichtbarkeit.oeffentlich),
            )
        )
    einberufung.save()
    for ladung, nachricht in zip(ladungen, einreihen(nachrichten=nachrichten), strict=True):
        ladung.einberufung = einberufung
        ladung.nachricht = nachricht
    Ladung.objects.bulk_create(ladungen)
    if art == Einberufung.Art.EINLADUNG and sitzung.status == Sitzung.Status.GEPLANT:
        sitzung.status = Sitzung.Status.EINBERUFEN
        try:
            sitzung.full_clean()
        except ValidationError as fehler:
            raise ValidationError(fehler.messages) from fehler
        sitzung.save(update_fields=["status", "geaendert_am"])
    # The agenda as sent is a published version (stored in German, like every record of the council's work).
    tagesordnung_fassung_festhalten(
        sitzung=sitzung, anlass=f"Nachtrag {plan.nummer}" if plan.nummer else "Einladung", user=user, jetzt=plan.jetzt
    )
    frist_text = (
        _("Frist eingehalten")
        if plan.frist_eingehalten
        else _("Frist nicht eingehalten – Notfall: %(grund)s") % {"grund": plan.notfall_begruendung}
    )
    bezeichnung = _("%(nummer)s. Nachtrag") % {"nummer": plan.nummer} if plan.nummer else _("Einladung")
    meldung = _("%(art)s an %(anzahl)s Empfänger versandt (%(frist)s).") % {
        "art": bezeichnung,
        "anzahl": len(ladungen),
        "frist": frist_text,
    }
    _protokollieren(user=user, objekt=einberufung, flag=ADDITION, nachricht=meldung)
    _protokollieren(user=user, objekt=sitzung, flag=CHANGE, nachricht=meldung)
    if art == Einberufung.Art.NACHTRAG:
        # The agenda's history: which TOPs came with which Nachtrag (planning rows say when they were put on).
        tops = {top.pk: top for top in plan.tops}
        for aenderung in plan.aenderungen:
            if aenderung["art"] == HINZUGEFUEGT:
                neu = aenderung["neu"]
                tagesordnung_aenderung_festhalten(
                    sitzung=sitzung,
                    art=Tagesordnungsaenderung.Art.NACHTRAG,
                    tagesordnungspunkt=tops.get(neu["id"]),
                    nachher=_("%(top)s, mit dem %(nummer)s. Nachtrag")
                    % {"top": neu["bezeichnung"], "nummer": plan.nummer},
                    titel=neu["titel"],
                    oeffentlich=neu["oeffentlich"],
                    user=user,
                )
    return Versand(
        einberufung=einberufung, ladungen=ladungen, ohne_adresse=plan.ohne_adresse, ohne_aenderung=ohne_aenderung
    )


@transaction.atomic
def einladung_versenden(*, sitzung, user, notfall_begruendung="", weitere_empfaenger=(), jetzt=None, stichtag=None):
    """Send the Einladung to every member and deputy of the Gremium on the Sitzung's day who has an address, and
    to ``weitere_empfaenger`` ((name, address) pairs); the Sitzung becomes einberufen. Members without an address
    come back in ``Versand.ohne_adresse``. A late Einladung needs ``notfall_begruendung``."""
    return _versenden(
        art=Einberufung.Art.EINLADUNG,
        sitzung=sitzung,
        user=user,
        notfall_begruendung=notfall_begruendung,
        weitere_empfaenger=weitere_empfaenger,
        jetzt=jetzt,
        stichtag=stichtag,
    )


@transaction.atomic
def nachtrag_versenden(*, sitzung, user, notfall_begruendung="", weitere_empfaenger=(), jetzt=None):
    """Send a Nachtrag: what changed on the agenda since the last Einberufung, to each recipient what she may see
    (recipients who may see none of it get no mail: ``Versand.ohne_aenderung``). Refused when nothing changed."""
    return _versenden(
        art=Einberufung.Art.NACHTRAG,
        sitzung=sitzung,
        user=user,
        notfall_begruendung=notfall_begruendung,
        weitere_empfaenger=weitere_empfaenger,
        jetzt=jetzt,
    )


@transaction.atomic
def bekanntmachung_erfassen(*, sitzung, datum, user=None):
    """Record the day of the ortsübliche Bekanntmachung of the Sitzung."""
    sitzung.bekanntmachung_am = datum
    sitzung.full_clean()
    sitzung.save(update_fields=["bekanntmachung_am", "geaendert_am"])
    if datum is None:
        nachricht = _("Datum der ortsüblichen Bekanntmachung entfernt.")
    else:
        nachricht = _("Ortsübliche Bekanntmachung am %(datum)s erfasst.") % {
            "datum": formats.date_format(datum, "d.m.Y")
        }
    _protokollieren(user=user, objekt=sitzung, flag=CHANGE, nachricht=nachricht)
    return sitzung
