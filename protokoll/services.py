"""Writes to the record of a Sitzung: plain keyword-only functions, atomic, validated first."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from gremien.models import Mitgliedschaft
from protokoll.beschlussfaehigkeit import Sitzungsstand
from protokoll.models import Anwesenheit, Niederschrift, Unterschrift

# -- Niederschrift (§ 38 GemO BW): Entwurf -> unterzeichnet -> genehmigt in a later Sitzung; published once signed --

URKUNDSPERSONEN = 2


def _namen(anwesenheiten):
    return ", ".join(a.person.name for a in anwesenheiten) or "–"


def einleitung_vorschlagen(sitzung, stand=None):
    """The opening of the Niederschrift as the record has it: date, place, Vorsitz, attendance, Beschlussfähigkeit.

    Always German: the Niederschrift is a German document, whatever the clerk's admin language.
    """
    stand = stand or Sitzungsstand(sitzung)
    with translation.override("de"):
        beginn = timezone.localtime(sitzung.beginn)
        vorsitz = (
            Mitgliedschaft.objects.aktuell(beginn.date())
            .filter(ausschuss_id=sitzung.ausschuss_id, rolle=Mitgliedschaft.Rolle.VORSITZ)
            .select_related("person")
            .order_by("beginn", "pk")
            .first()
        )
        zeilen = [
            _("Sitzung: %(titel)s") % {"titel": sitzung.titel},
            _("Datum: %(datum)s, Beginn %(uhrzeit)s Uhr")
            % {"datum": formats.date_format(beginn, "l, j. F Y"), "uhrzeit": formats.date_format(beginn, "H:i")},
        ]
        if sitzung.ort:
            zeilen.append(_("Ort: %(ort)s") % {"ort": sitzung.ort})
        zeilen.append(_("Vorsitz: %(name)s") % {"name": vorsitz.person.name if vorsitz else "–"})
        status = Anwesenheit.Status
        nach_status = {wert: [a for a in stand.anwesenheiten if a.status == wert] for wert in status.values}
        zeilen.append(_("Anwesend: %(namen)s") % {"namen": _namen(nach_status[status.ANWESEND])})
        if nach_status[status.ENTSCHULDIGT]:
            zeilen.append(_("Entschuldigt: %(namen)s") % {"namen": _namen(nach_status[status.ENTSCHULDIGT])})
        if nach_status[status.UNENTSCHULDIGT]:
            zeilen.append(_("Unentschuldigt: %(namen)s") % {"namen": _namen(nach_status[status.UNENTSCHULDIGT])})
        faehigkeit = stand.beschlussfaehigkeit()
        zeilen.append("")
        if faehigkeit.mitglieder == 0:
            # No seats recorded for the day (e.g. an earlier term): the clerk states it by hand.
            satz = _("Die Zahl der stimmberechtigten Mitglieder ist für diesen Tag nicht erfasst.")
        elif faehigkeit.beschlussfaehig:
            satz = _(
                "Die oder der Vorsitzende stellt die ordnungsgemäße Einberufung und die Beschlussfähigkeit fest: "
                "%(anwesend)s von %(mitglieder)s stimmberechtigten Mitgliedern sind anwesend."
            ) % {"anwesend": faehigkeit.anwesend, "mitglieder": faehigkeit.mitglieder}
        else:
            satz = _(
                "Das Gremium ist nicht beschlussfähig: %(anwesend)s von %(mitglieder)s stimmberechtigten Mitgliedern "
                "sind anwesend, nötig sind %(noetig)s."
            ) % {"anwesend": faehigkeit.anwesend, "mitglieder": faehigkeit.mitglieder, "noetig": faehigkeit.noetig}
        zeilen.append(satz)
        return "\n".join(zeilen)


def schluss_vorschlagen(sitzung):
    with translation.override("de"):
        if not sitzung.ende:
            return ""
        return _("Die oder der Vorsitzende schließt die Sitzung um %(uhrzeit)s Uhr.") % {
            "uhrzeit": formats.date_format(timezone.localtime(sitzung.ende), "H:i")
        }


def _nur_entwurf(niederschrift, meldung):
    if niederschrift.status != Niederschrift.Status.ENTWURF:
        raise ValidationError(meldung % {"status": niederschrift.get_status_display()}, code="falscher_status")


@transaction.atomic
def niederschrift_entwerfen(*, sitzung):
    """The draft of the Sitzung's Niederschrift, created or refreshed from the record.

    The opening follows the record (attendance may be corrected after the meeting) as long as the clerk has not
    edited it: a text that differs from the last proposal is hers and stays. The closing is only filled when empty.
    """
    niederschrift = Niederschrift.objects.select_for_update().filter(sitzung=sitzung).first()
    if niederschrift is None:
        niederschrift = Niederschrift(sitzung=sitzung)
    else:
        _nur_entwurf(
            niederschrift,
            _("Die Niederschrift ist %(status)s; ein neuer Entwurf ist nur vor der Unterzeichnung möglich."),
        )
    vorschlag = einleitung_vorschlagen(sitzung)
    if niederschrift.einleitung.strip() in ("", niederschrift.einleitung_vorschlag.strip()):
        niederschrift.einleitung = vorschlag
    niederschrift.einleitung_vorschlag = vorschlag
    if not niederschrift.schluss.strip():
        niederschrift.schluss = schluss_vorschlagen(sitzung)
    niederschrift.full_clean()
    niederschrift.save()
    return niederschrift


def unterschrift_pruefen(*, niederschrift, rolle, datum, person=None, neue_urkundspersonen=1):
    """Whether the signature may go under the Niederschrift: the service asks it, and the admin's form before it.

    The Urkundspersonen are members of the Gremium present at the Sitzung with a vote (their Anwesenheit says so).
    """
    _nur_entwurf(niederschrift, _("Die Niederschrift ist %(status)s; sie wird nicht erneut unterzeichnet."))
    if rolle == Unterschrift.Rolle.MITGLIED:
        if person is None:
            raise ValidationError(
                {"person": _("Eine Urkundsperson ist ein Mitglied des Gremiums; wählen Sie die Person.")}
            )
        anwesend = {a.person_id for a in Sitzungsstand(niederschrift.sitzung).anwesend_bei() if a.stimmberechtigt}
        if person.pk not in anwesend:
            raise ValidationError(
                {
                    "person": _(
                        "%(name)s war in der Sitzung nicht als stimmberechtigtes Mitglied anwesend und kann die "
                        "Niederschrift nicht als Urkundsperson unterzeichnen."
                    )
                    % {"name": person.name}
                }
            )
        vorhanden = niederschrift.unterschriften.filter(rolle=rolle).count()
        if vorhanden + neue_urkundspersonen > URKUNDSPERSONEN:
            raise ValidationError(_("Es unterzeichnen zwei Urkundspersonen, nicht mehr."), code="urkundspersonen")
    if datum and datum < timezone.localdate(niederschrift.sitzung.beginn):
        raise ValidationError({"datum": _("Die Niederschrift kann erst nach der Sitzung unterzeichnet werden.")})


@transaction.atomic
def niederschrift_unterzeichnen(*, niederschrift, rolle, datum, person=None, name=""):
    """One signature under the draft; with the Vorsitz, two Urkundspersonen and the Schriftführung it is signed."""
    niederschrift = Niederschrift.objects.select_for_update().select_related("sitzung").get(pk=niederschrift.pk)
    unterschrift_pruefen(niederschrift=niederschrift, rolle=rolle, datum=datum, person=person)
    unterschrift = Unterschrift(
        niederschrift=niederschrift,
        rolle=rolle,
        person=person,
        name=name or (person.name if person else ""),
        datum=datum,
    )
    unterschrift.full_clean()
    unterschrift.save()
    rollen = list(niederschrift.unterschriften.values_list("rolle", flat=True))
    if (
        Unterschrift.Rolle.VORSITZ in rollen
        and Unterschrift.Rolle.SCHRIFTFUEHRUNG in rollen
        and rollen.count(Unterschrift.Rolle.MITGLIED) >= URKUNDSPERSONEN
    ):
        niederschrift.status = Niederschrift.Status.UNTERZEICHNET
        niederschrift.full_clean()
        niederschrift.save()
    return unterschrift


@transaction.atomic
def niederschrift_genehmigen(*, niederschrift, sitzung):
    """The approval of the signed Niederschrift in a later Sitzung of the same Gremium, which records it."""
    niederschrift = Niederschrift.objects.select_for_update().select_related("sitzung").get(pk=niederschrift.pk)
    if niederschrift.status != Niederschrift.Status.UNTERZEICHNET:
        raise ValidationError(
            _("Genehmigt wird nur eine unterzeichnete Niederschrift; diese ist %(status)s.")
            % {"status": niederschrift.get_status_display()},
            code="falscher_status",
        )
    if sitzung.ausschuss_id != niederschrift.sitzung.ausschuss_id:
        raise ValidationError(
            {"genehmigt_in": _("Die Niederschrift wird in einer Sitzung desselben Gremiums genehmigt.")}
        )
    if sitzung.beginn <= niederschrift.sitzung.beginn:
        raise ValidationError({"genehmigt_in": _("Die Niederschrift wird in einer späteren Sitzung genehmigt.")})
    niederschrift.status = Niederschrift.Status.GENEHMIGT
    niederschrift.genehmigt_in = sitzung
    niederschrift.full_clean()
    niederschrift.save()
    return niederschrift


@transaction.atomic
def niederschrift_veroeffentlichen(*, niederschrift, jetzt=None):
    """Publish the signed Niederschrift: its public part for everyone, the rest by the TOP rule."""
    niederschrift = Niederschrift.objects.select_for_update().get(pk=niederschrift.pk)
    if niederschrift.status == Niederschrift.Status.ENTWURF:
        raise ValidationError(
            _("Ein Entwurf wird nicht veröffentlicht; die Niederschrift muss zuerst unterzeichnet sein."),
            code="falscher_status",
        )
    if niederschrift.veroeffentlicht_am is not None:
        raise ValidationError(_("Die Niederschrift ist schon veröffentlicht."), code="schon_veroeffentlicht")
    niederschrift.veroeffentlicht_am = jetzt or timezone.now()
    niederschrift.full_clean()
    niederschrift.save()
    return niederschrift
