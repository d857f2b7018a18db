"""The route engine of Mitzeichnung and Freigabe: start, decide, ask again after a text change, cancel.

Keyword-only, atomic, validating first; a refusal is a ValidationError with a German message. Every write names
the Textstand and the step in the Vorlage's admin history (the audit trail clerks read). Mails go through the post
outbox and leave only after the transaction commits.

The order of a route: the Mitzeichnungen of the lowest ``stufe`` open first; when all steps of a stufe are decided
with agreement, the next stufe opens; the Freigabe (one stufe above the last Mitzeichnung) opens last. An Einspruch
ends the route (zurückgegeben); an approved Freigabe ends it (freigegeben) and sets ``Vorlage.freigegeben_am``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gremien.models import Dienststelle, Dienststellenzugehoerigkeit
from mitzeichnung.models import Laufweg, Schritt
from post.links import absolut_reverse
from post.models import Nachricht
from post.services import einreihen, nachricht_bauen
from vorlagen.models import Vorlage
from vorlagen.services import _protokollieren, textstand_festhalten

# A Dienststelle asked again after a text change gets at least this many days.
NEUE_FRIST_TAGE = 3

ENTSCHEIDUNGEN = (Schritt.Status.ZUGESTIMMT, Schritt.Status.MIT_ANMERKUNG, Schritt.Status.EINSPRUCH)
ZUSTIMMUNGEN = (Schritt.Status.ZUGESTIMMT, Schritt.Status.MIT_ANMERKUNG)
UNENTSCHIEDEN = (Schritt.Status.WARTET, Schritt.Status.OFFEN)


def _jetzt(jetzt):
    return jetzt or timezone.now()


def _stichtag(jetzt):
    return timezone.localdate(jetzt)


# --- who may decide, who is told -------------------------------------------------------------------------------


def darf_entscheiden(user, schritt, stichtag=None) -> bool:
    """Whether ``user`` may decide ``schritt`` (whatever its status): zuständig, Vertretung, or — nobody named — a
    current member of the Dienststelle (for the Freigabe: with ``leitung``). ``SchrittQuerySet.entscheidbar_von``
    asks the same in SQL."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.pk in (schritt.zustaendig_id, schritt.vertretung_id):
        return True
    if schritt.zustaendig_id is not None:
        return False
    zugehoerig = Dienststellenzugehoerigkeit.objects.aktuell(stichtag).filter(
        benutzer=user, dienststelle_id=schritt.dienststelle_id
    )
    if schritt.art == Schritt.Art.FREIGABE:
        zugehoerig = zugehoerig.filter(leitung=True)
    return zugehoerig.exists()


def empfaenger(schritt, stichtag=None) -> list:
    """The accounts a step's task mail goes to: zuständig and Vertretung, or with nobody named every current member
    of the Dienststelle (for the Freigabe: those with ``leitung``) plus the Vertretung. Active accounts only."""
    User = get_user_model()
    if schritt.zustaendig_id is not None:
        ids = [schritt.zustaendig_id]
    else:
        zugehoerig = Dienststellenzugehoerigkeit.objects.aktuell(stichtag).filter(
            dienststelle_id=schritt.dienststelle_id
        )
        if schritt.art == Schritt.Art.FREIGABE:
            zugehoerig = zugehoerig.filter(leitung=True)
        ids = list(zugehoerig.values_list("benutzer_id", flat=True))
    if schritt.vertretung_id is not None:
        ids.append(schritt.vertretung_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def ohne_adresse(schritte, stichtag=None) -> list:
    """The steps whose task mail reaches nobody (no recipient or nobody with an e-mail address): the step is open
    all the same, and the admin tells whoever started or changed the route."""
    return [s for s in schritte if not any(u.email for u in empfaenger(s, stichtag))]


def _aufgabe_link(schritt):
    return absolut_reverse("mitzeichnung:aufgabe", pk=schritt.pk)


def _aufgaben_mitteilen(schritte, stichtag):
    nachrichten = []
    for schritt in schritte:
        vorlage = schritt.laufweg.vorlage
        if schritt.art == Schritt.Art.FREIGABE:
            betreff = _("Freigabe erbeten: %(vorlage)s") % {"vorlage": vorlage.bezeichnung}
            bitte = _("bitte geben Sie die folgende Vorlage frei oder geben Sie sie mit Einspruch zurück.")
        else:
            betreff = _("Mitzeichnung erbeten: %(vorlage)s") % {"vorlage": vorlage.bezeichnung}
            bitte = _("bitte zeichnen Sie die folgende Vorlage für %(dienststelle)s mit.") % {
                "dienststelle": schritt.dienststelle.name
            }
        zeilen = [
            _("Guten Tag,"),
            "",
            bitte,
            "",
            f"{vorlage.bezeichnung}: {vorlage.titel}",
            _("Frist: %(frist)s") % {"frist": schritt.frist.strftime("%d.%m.%Y")},
        ]
        if schritt.wiederholung_von_id:
            zeilen.append(_("Der Text wurde nach Ihrer Mitzeichnung geändert; bitte sehen Sie ihn erneut an."))
        zeilen += ["", _("Zur Aufgabe: %(link)s") % {"link": _aufgabe_link(schritt)}]
        text = "\n".join(zeilen) + "\n"
        for benutzer in empfaenger(schritt, stichtag):
            if not benutzer.email:
                continue
            nachrichten.append(
                nachricht_bauen(
                    art=Nachricht.Art.AUFGABE, adresse=benutzer.email, betreff=betreff, text=text, empfaenger=benutzer
                )
            )
    if nachrichten:
        einreihen(nachrichten=nachrichten)


def _rueckgabe_mitteilen(schritt):
    laufweg = schritt.laufweg
    vorlage = laufweg.vorlage
    starter = laufweg.gestartet_von
    if not starter.email:
        return
    text = "\n".join(
        [
            _("Guten Tag,"),
            "",
            _("%(dienststelle)s hat Einspruch gegen die Vorlage erhoben; der Laufweg ist beendet.")
            % {"dienststelle": schritt.dienststelle.name},
            "",
            f"{vorlage.bezeichnung}: {vorlage.titel}",
            "",
            _("Begründung:"),
            schritt.anmerkung,
            "",
            _("Zur Vorlage: %(link)s")
            % {"link": absolut_reverse("admin:vorlagen_vorlage_change", object_id=vorlage.pk)},
        ]
    )
    einreihen(
        nachrichten=[
            nachricht_bauen(
                art=Nachricht.Art.AUFGABE,
                adresse=starter.email,
                betreff=_("Einspruch: %(vorlage)s") % {"vorlage": vorlage.bezeichnung},
                text=text + "\n",
                empfaenger=starter,
            )
        ]
    )


# --- the order of the steps ------------------------------------------------------------------------------------


def _weiterschalten(laufweg, jetzt):
    """Open the waiting steps of the lowest stufe that is not fully decided; returns the steps opened."""
    aktuelle = list(laufweg.schritte.aktuell().exclude(status=Schritt.Status.ENTFALLEN))
    offen = [s for s in aktuelle if s.status in UNENTSCHIEDEN]
    if not offen:
        return []
    stufe = min(s.stufe for s in offen)
    zu_oeffnen = [s for s in offen if s.stufe == stufe and s.status == Schritt.Status.WARTET]
    for schritt in zu_oeffnen:
        schritt.status = Schritt.Status.OFFEN
        schritt.geoeffnet_am = jetzt
        schritt.full_clean()
        schritt.save(update_fields=["status", "geoeffnet_am", "geaendert_am"])
    if zu_oeffnen:
        _aufgaben_mitteilen(zu_oeffnen, _stichtag(jetzt))
    return zu_oeffnen


def _uebrige_entfallen(laufweg):
    laufweg.schritte.filter(status__in=UNENTSCHIEDEN).update(
        status=Schritt.Status.ENTFALLEN, geaendert_am=timezone.now()
    )


def _laufweg_beenden(laufweg, status, jetzt):
    laufweg.status = status
    laufweg.beendet_am = jetzt
    laufweg.full_clean()
    laufweg.save(update_fields=["status", "beendet_am", "geaendert_am"])
    _uebrige_entfallen(laufweg)


def _schritt_beschreibung(schritt):
    return _("%(art)s %(dienststelle)s (Schritt %(pk)s)") % {
        "art": schritt.get_art_display(),
        "dienststelle": schritt.dienststelle.name,
        "pk": schritt.pk,
    }


# --- the printed line ------------------------------------------------------------------------------------------


def _dienststelle_kurz(dienststelle):
    # As the city prints it: "Referat SOS"; the full name where no short name is kept.
    if dienststelle.kurzname:
        art = dienststelle.get_art_display()
        return dienststelle.kurzname if dienststelle.kurzname.startswith(art) else f"{art} {dienststelle.kurzname}"
    return dienststelle.name


def mitzeichnung_text(vorlage) -> str:
    """ "Mitzeichnung der beteiligten Stellen" as printed: one line per decided Mitzeichnung of the latest Laufweg
    (a decision replaced by a later one after a text change is left out)."""
    laufweg = Laufweg.objects.filter(vorlage=vorlage).order_by("-gestartet_am", "-pk").first()
    if laufweg is None:
        return ""
    schritte = (
        laufweg.schritte.aktuell()
        .filter(art=Schritt.Art.MITZEICHNUNG, status__in=ENTSCHEIDUNGEN)
        .select_related("dienststelle")
        .order_by("stufe", "dienststelle__name", "pk")
    )
    zeilen = []
    for schritt in schritte:
        stelle = _dienststelle_kurz(schritt.dienststelle)
        if schritt.status == Schritt.Status.ZUGESTIMMT:
            zeilen.append(_("%(stelle)s: zugestimmt") % {"stelle": stelle})
        elif schritt.status == Schritt.Status.MIT_ANMERKUNG:
            zeilen.append(
                _("%(stelle)s: zugestimmt mit Anmerkung: %(anmerkung)s")
                % {"stelle": stelle, "anmerkung": " ".join(schritt.anmerkung.split())}
            )
        else:
            zeilen.append(
                _("%(stelle)s: Einspruch: %(anmerkung)s")
                % {"stelle": stelle, "anmerkung": " ".join(schritt.anmerkung.split())}
            )
    return "\n".join(zeilen)


def _mitzeichnung_schreiben(vorlage):
    text = mitzeichnung_text(vorlage)
    # update(): the printed field only; it is not one of TEXTFELDER, so no new Textstand follows from it.
    Vorlage.objects.filter(pk=vorlage.pk).update(mitzeichnung=text)
    vorlage.mitzeichnung = text


# --- the services ----------------------------------------------------------------------------------------------


def _eintrag_pruefen(eintrag, *, nummer, freigabe, heute):
    if not isinstance(eintrag, dict):
        raise ValidationError(_("Zeile %(nummer)s ist unvollständig.") % {"nummer": nummer})
    dienststelle = eintrag.get("dienststelle")
    if not isinstance(dienststelle, Dienststelle):
        raise ValidationError(_("Zeile %(nummer)s: Bitte eine Dienststelle wählen.") % {"nummer": nummer})
    frist = eintrag.get("frist")
    if isinstance(frist, datetime.datetime) or not isinstance(frist, datetime.date):
        raise ValidationError(_("Zeile %(nummer)s: Bitte eine Frist angeben.") % {"nummer": nummer})
    if frist < heute:
        raise ValidationError(
            _("Zeile %(nummer)s: Die Frist %(frist)s liegt in der Vergangenheit.")
            % {"nummer": nummer, "frist": frist.strftime("%d.%m.%Y")}
        )
    if not freigabe:
        stufe = eintrag.get("stufe")
        if isinstance(stufe, bool) or not isinstance(stufe, int) or stufe < 1:
            raise ValidationError(_("Zeile %(nummer)s: Die Stufe ist eine Zahl ab 1.") % {"nummer": nummer})
    zustaendig = eintrag.get("zustaendig")
    vertretung = eintrag.get("vertretung")
    for benutzer in (zustaendig, vertretung):
        if benutzer is not None and not benutzer.is_active:
            raise ValidationError(
                _("Zeile %(nummer)s: Das Konto %(konto)s ist gesperrt.") % {"nummer": nummer, "konto": benutzer}
            )
    if zustaendig is not None and vertretung is not None and zustaendig.pk == vertretung.pk:
        raise ValidationError(_("Zeile %(nummer)s: Die Vertretung muss eine andere Person sein.") % {"nummer": nummer})


@transaction.atomic
def laufweg_starten(*, vorlage, user, mitzeichnungen, freigabe, jetzt=None) -> Laufweg:
    """Send a draft on its route: the Mitzeichnungen (``[{"dienststelle", "stufe", "frist", "zustaendig",
    "vertretung"}]``; same stufe = parallel, higher = later) and the Freigabe (the same dict without stufe; its
    Dienststelle defaults to the federführende). Opens the lowest stufe and mails its people."""
    jetzt = _jetzt(jetzt)
    heute = _stichtag(jetzt)
    gesperrt = Vorlage.objects.select_for_update().filter(pk=vorlage.pk).first()
    if gesperrt is None:
        raise ValidationError(_("Die Vorlage ist nicht gespeichert."))
    if gesperrt.status != Vorlage.Status.ENTWURF:
        raise ValidationError(_("Nur ein Entwurf kann auf den Laufweg geschickt werden."))
    if Laufweg.objects.laufend().filter(vorlage=gesperrt).exists():
        raise ValidationError(_("Für diese Vorlage läuft schon ein Laufweg."))
    if not (user and user.is_authenticated):
        raise ValidationError(_("Ein Laufweg wird von einem angemeldeten Konto gestartet."))
    mitzeichnungen = list(mitzeichnungen or [])
    for nummer, eintrag in enumerate(mitzeichnungen, start=1):
        _eintrag_pruefen(eintrag, nummer=nummer, freigabe=False, heute=heute)
    gesehen = set()
    for eintrag in mitzeichnungen:
        dienststelle = eintrag["dienststelle"]
        if dienststelle.pk == gesperrt.dienststelle_id:
            raise ValidationError(
                _("%(dienststelle)s ist federführend und zeichnet nicht mit.") % {"dienststelle": dienststelle.name}
            )
        if dienststelle.pk in gesehen:
            raise ValidationError(
                _("%(dienststelle)s ist zweimal zur Mitzeichnung genannt.") % {"dienststelle": dienststelle.name}
            )
        gesehen.add(dienststelle.pk)
    if not freigabe:
        raise ValidationError(_("Die Freigabe fehlt."))
    freigabe = {**freigabe, "dienststelle": freigabe.get("dienststelle") or gesperrt.dienststelle}
    _eintrag_pruefen(freigabe, nummer=_("Freigabe"), freigabe=True, heute=heute)
    leitung = freigabe.get("zustaendig")
    if (
        leitung is not None
        and not Dienststellenzugehoerigkeit.objects.aktuell(heute)
        .filter(benutzer=leitung, dienststelle=freigabe["dienststelle"], leitung=True)
        .exists()
    ):
        raise ValidationError(
            _("%(konto)s hat keine Leitung in %(dienststelle)s und kann nicht freigeben.")
            % {"konto": leitung, "dienststelle": freigabe["dienststelle"].name}
        )

    laufweg = Laufweg(vorlage=gesperrt, gestartet_von=user, gestartet_am=jetzt)
    laufweg.full_clean()
    laufweg.save()
    hoechste = max((eintrag["stufe"] for eintrag in mitzeichnungen), default=0)
    schritte = [
        Schritt(
            laufweg=laufweg,
            art=Schritt.Art.MITZEICHNUNG,
            stufe=eintrag["stufe"],
            dienststelle=eintrag["dienststelle"],
            zustaendig=eintrag.get("zustaendig"),
            vertretung=eintrag.get("vertretung"),
            frist=eintrag["frist"],
        )
        for eintrag in mitzeichnungen
    ]
    schritte.append(
        Schritt(
            laufweg=laufweg,
            art=Schritt.Art.FREIGABE,
            stufe=hoechste + 1,
            dienststelle=freigabe["dienststelle"],
            zustaendig=freigabe.get("zustaendig"),
            vertretung=freigabe.get("vertretung"),
            frist=freigabe["frist"],
        )
    )
    for schritt in schritte:
        schritt.full_clean()
        schritt.save()
    textstand = textstand_festhalten(vorlage=gesperrt, user=user)
    _protokollieren(
        user=user,
        vorlage=gesperrt,
        nachricht=_("Laufweg %(laufweg)s gestartet (Textstand %(textstand)s): %(schritte)s")
        % {
            "laufweg": laufweg.pk,
            "textstand": textstand.pk,
            "schritte": "; ".join(
                _("Stufe %(stufe)s: %(schritt)s") % {"stufe": s.stufe, "schritt": _schritt_beschreibung(s)}
                for s in schritte
            ),
        },
    )
    _weiterschalten(laufweg, jetzt)
    return laufweg


def _text_seit_mitzeichnung_geaendert(laufweg, textstand):
    return (
        laufweg.schritte.aktuell()
        .filter(art=Schritt.Art.MITZEICHNUNG, status__in=ZUSTIMMUNGEN)
        .exclude(textstand=textstand)
        .exists()
    )


@transaction.atomic
def schritt_entscheiden(*, schritt, user, entscheidung, anmerkung="", jetzt=None) -> Schritt:
    """Decide an open step: zugestimmt, zugestimmt mit Anmerkung (Mitzeichnung only) or Einspruch (with reason).
    Records the Textstand seen; opens the next stufe, or ends the route (Einspruch: zurückgegeben; Freigabe:
    freigegeben)."""
    jetzt = _jetzt(jetzt)
    heute = _stichtag(jetzt)
    gesperrt = (
        Schritt.objects.select_for_update().select_related("laufweg", "dienststelle").filter(pk=schritt.pk).first()
    )
    if gesperrt is None:
        raise ValidationError(_("Diesen Schritt gibt es nicht."))
    laufweg = Laufweg.objects.select_for_update().select_related("vorlage", "gestartet_von").get(pk=gesperrt.laufweg_id)
    gesperrt.laufweg = laufweg
    if laufweg.status != Laufweg.Status.LAUFEND:
        raise ValidationError(_("Der Laufweg ist beendet."))
    if gesperrt.status != Schritt.Status.OFFEN:
        raise ValidationError(
            _("Dieser Schritt ist nicht offen (Status: %(status)s).") % {"status": gesperrt.get_status_display()}
        )
    if entscheidung not in ENTSCHEIDUNGEN:
        raise ValidationError(_("Bitte zustimmen, mit Anmerkung zustimmen oder Einspruch erheben."))
    if gesperrt.art == Schritt.Art.FREIGABE and entscheidung == Schritt.Status.MIT_ANMERKUNG:
        raise ValidationError(_("Eine Freigabe wird erteilt oder mit Einspruch zurückgegeben."))
    anmerkung = (anmerkung or "").strip()
    if entscheidung == Schritt.Status.EINSPRUCH and not anmerkung:
        raise ValidationError(_("Ein Einspruch braucht eine Begründung."))
    if entscheidung == Schritt.Status.MIT_ANMERKUNG and not anmerkung:
        raise ValidationError(_("Bitte die Anmerkung eintragen."))
    if not darf_entscheiden(user, gesperrt, heute):
        raise ValidationError(_("Sie dürfen diesen Schritt nicht entscheiden."))
    vorlage = laufweg.vorlage
    textstand = textstand_festhalten(vorlage=vorlage, user=user)
    if (
        gesperrt.art == Schritt.Art.FREIGABE
        and entscheidung == Schritt.Status.ZUGESTIMMT
        and _text_seit_mitzeichnung_geaendert(laufweg, textstand)
    ):
        raise ValidationError(
            _(
                "Der Text wurde nach der Mitzeichnung geändert. Die betroffenen Dienststellen müssen ihn erst erneut "
                "mitzeichnen."
            )
        )

    gesperrt.status = entscheidung
    gesperrt.anmerkung = anmerkung
    gesperrt.entschieden_am = jetzt
    gesperrt.entschieden_von = user
    gesperrt.textstand = textstand
    gesperrt.full_clean()
    gesperrt.save(
        update_fields=["status", "anmerkung", "entschieden_am", "entschieden_von", "textstand", "geaendert_am"]
    )
    nachricht = _("%(schritt)s: %(entscheidung)s (Textstand %(textstand)s)") % {
        "schritt": _schritt_beschreibung(gesperrt),
        "entscheidung": gesperrt.get_status_display(),
        "textstand": textstand.pk,
    }
    if anmerkung:
        nachricht += " – " + anmerkung
    _protokollieren(user=user, vorlage=vorlage, nachricht=nachricht)

    if gesperrt.art == Schritt.Art.MITZEICHNUNG:
        _mitzeichnung_schreiben(vorlage)
    if entscheidung == Schritt.Status.EINSPRUCH:
        _laufweg_beenden(laufweg, Laufweg.Status.ZURUECKGEGEBEN, jetzt)
        _rueckgabe_mitteilen(gesperrt)
    elif gesperrt.art == Schritt.Art.FREIGABE:
        _laufweg_beenden(laufweg, Laufweg.Status.FREIGEGEBEN, jetzt)
        Vorlage.objects.filter(pk=vorlage.pk).update(freigegeben_am=jetzt)
        vorlage.freigegeben_am = jetzt
        _protokollieren(
            user=user,
            vorlage=vorlage,
            nachricht=_("Freigegeben (Laufweg %(laufweg)s, Textstand %(textstand)s).")
            % {"laufweg": laufweg.pk, "textstand": textstand.pk},
        )
    else:
        _weiterschalten(laufweg, jetzt)
    return gesperrt


@transaction.atomic
def text_geaendert(*, vorlage, user, jetzt=None) -> list[Schritt]:
    """After the text of a Vorlage on a running route was saved: every Dienststelle whose Mitzeichnung saw another
    text is asked again with a new step (``wiederholung_von``); the old decision stays. An open Freigabe waits again
    until they have decided. Returns the new steps."""
    jetzt = _jetzt(jetzt)
    heute = _stichtag(jetzt)
    laufweg = Laufweg.objects.select_for_update().laufend().filter(vorlage_id=vorlage.pk).first()
    if laufweg is None:
        return []
    textstand = textstand_festhalten(vorlage=vorlage, user=user)
    veraltet = list(
        laufweg.schritte.aktuell()
        .filter(art=Schritt.Art.MITZEICHNUNG, status__in=ZUSTIMMUNGEN)
        .exclude(textstand=textstand)
        .select_related("dienststelle")
        .order_by("stufe", "pk")
    )
    if not veraltet:
        return []
    neue = []
    for alt in veraltet:
        schritt = Schritt(
            laufweg=laufweg,
            art=Schritt.Art.MITZEICHNUNG,
            stufe=alt.stufe,
            dienststelle=alt.dienststelle,
            zustaendig_id=alt.zustaendig_id,
            vertretung_id=alt.vertretung_id,
            frist=max(alt.frist, heute + datetime.timedelta(days=NEUE_FRIST_TAGE)),
            wiederholung_von=alt,
        )
        schritt.full_clean()
        schritt.save()
        neue.append(schritt)
    # The Freigabe must not be given while a Dienststelle looks at the text again.
    laufweg.schritte.filter(art=Schritt.Art.FREIGABE, status=Schritt.Status.OFFEN).update(
        status=Schritt.Status.WARTET, geoeffnet_am=None, geaendert_am=timezone.now()
    )
    _protokollieren(
        user=user,
        vorlage=vorlage,
        nachricht=_("Text geändert (Textstand %(textstand)s): Mitzeichnung erneut erbeten: %(schritte)s")
        % {
            "textstand": textstand.pk,
            "schritte": "; ".join(
                _("%(neu)s statt Schritt %(alt)s") % {"neu": _schritt_beschreibung(s), "alt": s.wiederholung_von_id}
                for s in neue
            ),
        },
    )
    _weiterschalten(laufweg, jetzt)
    _mitzeichnung_schreiben(vorlage)
    for schritt in neue:
        schritt.refresh_from_db(fields=["status", "geoeffnet_am"])
    return neue


@transaction.atomic
def laufweg_abbrechen(*, laufweg, user, grund, jetzt=None) -> Laufweg:
    """Stop a running route (the draft is withdrawn or rewritten); the undecided steps fall away."""
    jetzt = _jetzt(jetzt)
    gesperrt = Laufweg.objects.select_for_update().select_related("vorlage").filter(pk=laufweg.pk).first()
    if gesperrt is None:
        raise ValidationError(_("Diesen Laufweg gibt es nicht."))
    if gesperrt.status != Laufweg.Status.LAUFEND:
        raise ValidationError(_("Der Laufweg ist schon beendet."))
    grund = (grund or "").strip()
    if not grund:
        raise ValidationError(_("Bitte einen Grund für den Abbruch angeben."))
    _laufweg_beenden(gesperrt, Laufweg.Status.ABGEBROCHEN, jetzt)
    textstand = textstand_festhalten(vorlage=gesperrt.vorlage, user=user)
    _protokollieren(
        user=user,
        vorlage=gesperrt.vorlage,
        nachricht=_("Laufweg %(laufweg)s abgebrochen (Textstand %(textstand)s): %(grund)s")
        % {"laufweg": gesperrt.pk, "textstand": textstand.pk, "grund": grund},
    )
    laufweg.status, laufweg.beendet_am = gesperrt.status, gesperrt.beendet_am
    return gesperrt
