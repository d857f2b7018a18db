"""The route engine of Mitzeichnung and Freigabe: start, decide, ask again after a text change, cancel.

Keyword-only, atomic, validating first; a refusal is a ValidationError with a German message. Every write names
the Textstand and the step in the Vorlage's admin history (the audit trail clerks read). Mails go through the post
outbox and leave only after the transaction commits.

The order of a route: the Mitzeichnungen of the lowest ``stufe`` open first; when all steps of a stufe are decided
with agreement, the next stufe opens; the Freigabe (one stufe above the last Mitzeichnung) opens last. An Einspruch
ends the route (zurückgegeben); an approved Freigabe ends it (freigegeben) and sets ``Vorlage.freigegeben_am``.
"""

import datetime

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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
    # As the city prints it: "Referat SOS", "Grundsatzreferat KM"; an Amt by its name ("Sozialamt").
    if dienststelle.art == Dienststelle.Art.REFERAT and dienststelle.kurzname:
        return f"{dienststelle.name.split()[0]} {dienststelle.kurzname}"
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


# --- the work area of a Dienststelle (issue 19, part A2) -------------------------------------------------------

# The fields staff of an Amt write in their work area; number, publication, visibility and the Beratungsfolge stay
# the Sitzungsdienst's (admin).
ENTWURFSFELDER = (
    "art",
    "dienststelle",
    "datum",
    "aktenzeichen",
    "titel",
    "beschlussantrag",
    "bericht",
    "begruendung",
    "finanzielle_auswirkungen",
    "unterzeichnet_von",
    "unterzeichnet_funktion",
)


def _zugehoerig_pruefen(user, dienststelle, heute):
    if not Dienststellenzugehoerigkeit.objects.aktuell(heute).filter(benutzer=user, dienststelle=dienststelle).exists():
        raise ValidationError(
            _("Sie gehören %(dienststelle)s nicht an und können dort keine Vorlage schreiben.")
            % {"dienststelle": dienststelle.name}
        )


def _felder_setzen(vorlage, daten):
    unbekannt = set(daten) - set(ENTWURFSFELDER)
    if unbekannt:
        raise ValidationError(
            _("Diese Angaben gehören nicht in den Arbeitsbereich: %(felder)s")
            % {"felder": ", ".join(sorted(unbekannt))}
        )
    # Compared by the stored value (a Dienststelle by its id): a new draft has no Dienststelle to read yet.
    geaendert = [
        feld
        for feld, wert in daten.items()
        if getattr(vorlage, Vorlage._meta.get_field(feld).attname) != getattr(wert, "pk", wert)
    ]
    for feld, wert in daten.items():
        setattr(vorlage, feld, wert)
    if vorlage.nummer is None and vorlage.datum:
        # Without a number the year follows the date; the Sitzungsdienst's registration counts in it.
        vorlage.jahr = vorlage.datum.year
    return geaendert


@transaction.atomic
def entwurf_anlegen(*, user, daten, jetzt=None) -> Vorlage:
    """A new draft of a Dienststelle ``user`` belongs to, written in the work area (``daten``: ENTWURFSFELDER)."""
    heute = _stichtag(_jetzt(jetzt))
    vorlage = Vorlage(status=Vorlage.Status.ENTWURF)
    _felder_setzen(vorlage, daten)
    if vorlage.dienststelle_id is None:
        raise ValidationError(_("Bitte die federführende Dienststelle wählen."))
    _zugehoerig_pruefen(user, vorlage.dienststelle, heute)
    vorlage.full_clean()
    vorlage.save()
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[vorlage],
        action_flag=ADDITION,
        change_message=_("Entwurf im Arbeitsbereich der Dienststelle angelegt."),
        single_object=True,
    )
    return vorlage


@transaction.atomic
def entwurf_aendern(*, vorlage, user, daten, jetzt=None) -> tuple[Vorlage, list[Schritt]]:
    """Save the work area's changes to a draft of ``user``'s Dienststelle. On a running route a changed text asks
    the Dienststellen that co-signed another text again (``text_geaendert``). Returns the draft and the new steps."""
    jetzt = _jetzt(jetzt)
    heute = _stichtag(jetzt)
    gesperrt = Vorlage.objects.select_for_update().filter(pk=vorlage.pk).first()
    if gesperrt is None:
        raise ValidationError(_("Diese Vorlage gibt es nicht."))
    if gesperrt.status != Vorlage.Status.ENTWURF:
        raise ValidationError(_("Eine veröffentlichte Vorlage ändert nur noch der Sitzungsdienst."))
    _zugehoerig_pruefen(user, gesperrt.dienststelle, heute)
    geaendert = _felder_setzen(gesperrt, daten)
    _zugehoerig_pruefen(user, gesperrt.dienststelle, heute)
    gesperrt.full_clean()
    gesperrt.save()
    if geaendert:
        felder = ", ".join(str(Vorlage._meta.get_field(feld).verbose_name) for feld in geaendert)
        _protokollieren(
            user=user,
            vorlage=gesperrt,
            nachricht=_("Im Arbeitsbereich der Dienststelle geändert: %(felder)s") % {"felder": felder},
        )
    neue = text_geaendert(vorlage=gesperrt, user=user, jetzt=jetzt) if geaendert else []
    return gesperrt, neue


# --- reminders -------------------------------------------------------------------------------------------------


def _erinnerung_text(schritt, heute):
    vorlage = schritt.laufweg.vorlage
    if schritt.frist < heute:
        stand = _("Die Frist ist am %(frist)s abgelaufen.") % {"frist": schritt.frist.strftime("%d.%m.%Y")}
    else:
        stand = _("Die Frist endet heute, am %(frist)s.") % {"frist": schritt.frist.strftime("%d.%m.%Y")}
    aufgabe = (
        _("die Freigabe der folgenden Vorlage")
        if schritt.art == Schritt.Art.FREIGABE
        else _("die Mitzeichnung der folgenden Vorlage für %(dienststelle)s")
        % {"dienststelle": schritt.dienststelle.name}
    )
    zeilen = [
        _("Guten Tag,"),
        "",
        _("%(aufgabe)s ist noch offen.") % {"aufgabe": aufgabe[:1].upper() + aufgabe[1:]},
        stand,
        "",
        f"{vorlage.bezeichnung}: {vorlage.titel}",
        "",
        _("Zur Aufgabe: %(link)s") % {"link": _aufgabe_link(schritt)},
    ]
    return "\n".join(zeilen) + "\n"


@transaction.atomic
def erinnerungen_senden(*, jetzt=None) -> int:
    """One reminder per open step of a running route whose Frist is today or past and who was not reminded today,
    to zuständig and Vertretung (or, with nobody named, the Dienststelle's members; for a Freigabe those with
    Leitung). Sets ``erinnert_am``; a second run on the same day sends nothing. Returns the number of mails."""
    jetzt = _jetzt(jetzt)
    heute = _stichtag(jetzt)
    tagesbeginn = timezone.make_aware(datetime.datetime.combine(heute, datetime.time.min))
    faellig = (
        Schritt.objects.offen()
        .filter(laufweg__status=Laufweg.Status.LAUFEND, frist__lte=heute)
        .filter(Q(erinnert_am__isnull=True) | Q(erinnert_am__lt=tagesbeginn))
        .select_related("laufweg__vorlage", "dienststelle")
        .order_by("frist", "pk")
    )
    nachrichten = []
    for schritt in faellig.select_for_update(of=("self",)):
        # The row is locked: a second run at the same moment waits and then finds it reminded.
        if (
            not Schritt.objects.filter(pk=schritt.pk)
            .filter(Q(erinnert_am__isnull=True) | Q(erinnert_am__lt=tagesbeginn))
            .update(erinnert_am=jetzt)
        ):
            continue
        betreff = _("Erinnerung: %(art)s %(vorlage)s, Frist %(frist)s") % {
            "art": schritt.get_art_display(),
            "vorlage": schritt.laufweg.vorlage.bezeichnung,
            "frist": schritt.frist.strftime("%d.%m.%Y"),
        }
        text = _erinnerung_text(schritt, heute)
        for benutzer in empfaenger(schritt, heute):
            if benutzer.email:
                nachrichten.append(
                    nachricht_bauen(
                        art=Nachricht.Art.AUFGABE,
                        adresse=benutzer.email,
                        betreff=betreff,
                        text=text,
                        empfaenger=benutzer,
                    )
                )
    if nachrichten:
        einreihen(nachrichten=nachrichten)
    return len(nachrichten)
