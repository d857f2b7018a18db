"""Writes of the record of a Sitzung as it happens. Keyword-only, atomic, validating first.

Every function sets a state rather than applying a change (the attendance of a person *is* this, the vote on a TOP
*is* that), so the clerk's page may send the same form twice after a lost connection without harm.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from gremien.models import Mitgliedschaft
from protokoll.beschlussfaehigkeit import STIMMBERECHTIGTE_ROLLEN, Sitzungsstand
from protokoll.models import (
    Abstimmung,
    Anwesenheit,
    Befangenheit,
    Niederschrift,
    Sitzungsdokument,
    Stimme,
    Unterschrift,
)

# Re-exported: the demo data and callers outside the worker read a text at once.
from protokoll.tasks import sitzungsdokument_text_aktualisieren as sitzungsdokument_text_aktualisieren
from protokoll.tasks import sitzungsdokument_text_lesen
from sitzungen.fassungen import tagesordnung_fassung_festhalten
from sitzungen.models import Beratung, Tagesordnungsaenderung, Tagesordnungspunkt
from sitzungen.services import beratungsfolge_abgleichen, sitzung_kurz, tagesordnung_aenderung_festhalten
from vorlagen.models import Anlage
from vorlagen.storage import dateien_zuruecknehmen_bei_fehler

# The results after which a TOP comes back on a later agenda.
WIEDER_AUF_DIE_TAGESORDNUNG = (
    Tagesordnungspunkt.Ergebnis.VERTAGT,
    Tagesordnungspunkt.Ergebnis.ABGESETZT,
    Tagesordnungspunkt.Ergebnis.VERWIESEN,
)


def rollen_am_tag(sitzung):
    """person id -> the roles of the people with a seat in the Sitzung's Gremium on its day."""
    rollen = {}
    for person_id, rolle in (
        Mitgliedschaft.objects.aktuell(timezone.localdate(sitzung.beginn))
        .filter(ausschuss_id=sitzung.ausschuss_id)
        .values_list("person_id", "rolle")
    ):
        rollen.setdefault(person_id, set()).add(rolle)
    return rollen


def stimmberechtigt_nach_rolle(rollen, *, vertritt):
    # Sachkundige Einwohner advise without a vote; a Stellvertreter votes only in the place of a member (§ 37).
    if rollen & set(STIMMBERECHTIGTE_ROLLEN):
        return True
    return Mitgliedschaft.Rolle.STELLVERTRETUNG in rollen and vertritt is not None


@transaction.atomic
def anwesenheit_erfassen(
    *,
    sitzung,
    person,
    status=Anwesenheit.Status.ANWESEND,
    stimmberechtigt=None,
    ab_top=None,
    bis_top=None,
    vertritt=None,
    bemerkung=None,
):
    """Record one person's attendance at a Sitzung (create or replace). Without ``stimmberechtigt`` it follows the
    person's seat in the Gremium on the day of the Sitzung."""
    anwesenheit = Anwesenheit.objects.select_for_update().filter(sitzung=sitzung, person=person).first()
    anwesenheit = anwesenheit or Anwesenheit(sitzung=sitzung, person=person)
    if status != Anwesenheit.Status.ANWESEND:
        ab_top = bis_top = vertritt = None
    if stimmberechtigt is None:
        stimmberechtigt = stimmberechtigt_nach_rolle(rollen_am_tag(sitzung).get(person.pk, set()), vertritt=vertritt)
    anwesenheit.status = status
    anwesenheit.stimmberechtigt = stimmberechtigt
    anwesenheit.ab_top = ab_top
    anwesenheit.bis_top = bis_top
    anwesenheit.vertritt = vertritt
    if bemerkung is not None:
        anwesenheit.bemerkung = bemerkung
    anwesenheit.full_clean()
    if ab_top and bis_top and _stelle(ab_top) > _stelle(bis_top):
        raise ValidationError(
            {"bis_top": _("„Anwesend bis“ liegt vor „anwesend ab“. Prüfen Sie die Tagesordnungspunkte.")}
        )
    if vertritt is not None:
        doppelt = Anwesenheit.objects.filter(sitzung=sitzung, vertritt=vertritt).exclude(person=person)
        if doppelt.exists():
            raise ValidationError(
                {"vertritt": _("%(person)s wird in dieser Sitzung schon vertreten.") % {"person": vertritt}}
            )
    anwesenheit.save()
    return anwesenheit


@transaction.atomic
def anwesenheiten_vorbelegen(*, sitzung):
    """One row per member of the Gremium on the day of the Sitzung (present, as most are; the clerk marks the
    others). Stellvertreter get a row only when they come. Existing rows stay as they are. Returns the new rows."""
    sitzung.full_clean()
    vorhanden = set(Anwesenheit.objects.filter(sitzung=sitzung).values_list("person_id", flat=True))
    neu = []
    for person_id, rollen in sorted(rollen_am_tag(sitzung).items()):
        if person_id in vorhanden or rollen == {Mitgliedschaft.Rolle.STELLVERTRETUNG}:
            continue
        anwesenheit = Anwesenheit(
            sitzung=sitzung,
            person_id=person_id,
            status=Anwesenheit.Status.ANWESEND,
            stimmberechtigt=stimmberechtigt_nach_rolle(rollen, vertritt=None),
        )
        anwesenheit.full_clean()
        anwesenheit.save()
        neu.append(anwesenheit)
    return neu


def _stelle(top):
    # The order of the agenda as Sitzungsstand reads it: public TOPs first.
    return (not top.oeffentlich, top.reihenfolge, top.pk)


def _stimmen_von(tagesordnungspunkt, person):
    return Stimme.objects.filter(abstimmung__tagesordnungspunkt=tagesordnungspunkt, person=person)


@transaction.atomic
def befangenheit_erfassen(*, tagesordnungspunkt, person, grund=""):
    """Mark a member befangen at a TOP (§ 18): she leaves and does not vote. Recording it twice changes nothing."""
    befangenheit = Befangenheit.objects.filter(tagesordnungspunkt=tagesordnungspunkt, person=person).first()
    if befangenheit is not None:
        return befangenheit
    befangenheit = Befangenheit(tagesordnungspunkt=tagesordnungspunkt, person=person, grund=grund)
    befangenheit.full_clean()
    if _stimmen_von(tagesordnungspunkt, person).exists():
        raise ValidationError(
            _(
                "%(person)s hat bei %(top)s schon namentlich abgestimmt. Entfernen Sie zuerst die Stimme, dann "
                "die Befangenheit."
            )
            % {"person": person, "top": tagesordnungspunkt.bezeichnung}
        )
    befangenheit.save()
    return befangenheit


@transaction.atomic
def befangenheit_aufheben(*, tagesordnungspunkt, person):
    """Take a Befangenheit back (recorded by mistake). Without one nothing happens."""
    Befangenheit.objects.filter(tagesordnungspunkt=tagesordnungspunkt, person=person).delete()


@transaction.atomic
def abstimmung_erfassen(
    *,
    tagesordnungspunkt,
    art,
    ja=0,
    nein=0,
    enthaltung=0,
    stimmen=None,
    reihenfolge=1,
    gegenstand="",
    stand=None,
):
    """Record the vote number ``reihenfolge`` on a TOP (create or replace).

    ``offen``: the counts as given. ``einstimmig``: no Nein; without Ja counted, all present and entitled to vote
    who did not abstain voted Ja. ``namentlich``: ``stimmen`` maps each Person to ``ja``, ``nein`` or
    ``enthaltung``; the counts are taken from them. Every count is checked against those present, entitled to
    vote and not befangen at the TOP (``Sitzungsstand.stimmen_pruefen``); a caller that has read the
    ``Sitzungsstand`` of the TOP's Sitzung already passes it as ``stand``."""
    stand = stand or Sitzungsstand(tagesordnungspunkt.sitzung)
    befangen = stand.befangene.get(tagesordnungspunkt.pk, set())
    berechtigt = {a.person_id for a in stand.stimmberechtigt_bei(tagesordnungspunkt.pk)}
    stimmen = dict(stimmen or {})
    if art == Abstimmung.Art.NAMENTLICH:
        for person, wert in stimmen.items():
            if person.pk in befangen:
                raise ValidationError(
                    _("%(person)s ist bei %(top)s befangen und stimmt nicht mit.")
                    % {"person": person, "top": tagesordnungspunkt.bezeichnung}
                )
            if person.pk not in berechtigt:
                raise ValidationError(
                    _("%(person)s ist bei %(top)s nicht als anwesend und stimmberechtigt erfasst.")
                    % {"person": person, "top": tagesordnungspunkt.bezeichnung}
                )
            if wert not in Stimme.Wert.values:
                raise ValidationError(_("Eine Stimme ist Ja, Nein oder Enthaltung."))
        werte = list(stimmen.values())
        ja, nein, enthaltung = (werte.count(wert) for wert in Stimme.Wert.values)
    elif stimmen:
        raise ValidationError(_("Stimmen einzelner Mitglieder gibt es nur bei einer namentlichen Abstimmung."))
    elif art == Abstimmung.Art.EINSTIMMIG:
        if nein:
            raise ValidationError(_("Eine einstimmige Abstimmung hat keine Gegenstimmen."))
        ja = ja or max(len(berechtigt) - enthaltung, 0)

    abstimmung = (
        Abstimmung.objects.select_for_update()
        .filter(tagesordnungspunkt=tagesordnungspunkt, reihenfolge=reihenfolge)
        .first()
    ) or Abstimmung(tagesordnungspunkt=tagesordnungspunkt, reihenfolge=reihenfolge)
    abstimmung.art = art
    abstimmung.ja, abstimmung.nein, abstimmung.enthaltung = ja, nein, enthaltung
    abstimmung.gegenstand = gegenstand
    # The constraints are the service's own checks above (einstimmig without Nein, counts from validated numbers,
    # the row found by its TOP and Reihenfolge under a lock): asking the database for each again would cost four
    # queries of a vote that must answer within 50 ms. The database still holds them.
    abstimmung.full_clean(validate_constraints=False)
    stand.stimmen_pruefen(top_id=tagesordnungspunkt.pk, ja=ja, nein=nein, enthaltung=enthaltung)
    abstimmung.save()

    # The Stimmen were checked above (person present, entitled, not befangen; a known value; one per person), so
    # they are written in bulk: a namentliche Abstimmung of 60 members is three statements, not 180.
    bisher = {stimme.person_id: stimme for stimme in abstimmung.stimmen.all()}
    if art != Abstimmung.Art.NAMENTLICH:
        stimmen = {}
    bleiben = {person.pk for person in stimmen}
    weg = [stimme.pk for person_id, stimme in bisher.items() if person_id not in bleiben]
    if weg:
        Stimme.objects.filter(pk__in=weg).delete()
    neu, geaendert = [], []
    for person, wert in stimmen.items():
        stimme = bisher.get(person.pk)
        if stimme is None:
            neu.append(Stimme(abstimmung=abstimmung, person=person, stimme=wert))
        elif stimme.stimme != wert:
            stimme.stimme = wert
            geaendert.append(stimme)
    Stimme.objects.bulk_create(neu)
    Stimme.objects.bulk_update(geaendert, ["stimme"])
    return abstimmung


def beschluss_vorschlag(tagesordnungspunkt):
    """The Beschlussantrag of the TOP's Vorlagen, the text a Beschluss usually takes over word for word."""
    antraege = [v.beschlussantrag.strip() for v in tagesordnungspunkt.vorlagen.all() if v.beschlussantrag.strip()]
    return "\n\n".join(antraege)


@transaction.atomic
def ergebnis_erfassen(*, tagesordnungspunkt, ergebnis, beschluss=""):
    """Record the result of a TOP and the text decided. An empty text is taken from the Beschlussantrag of the
    TOP's Vorlage(n) when something was decided. The Beratungen tied to the TOP follow the result."""
    top = Tagesordnungspunkt.objects.select_for_update().get(pk=tagesordnungspunkt.pk)
    vorher = top.ergebnis
    top.ergebnis = ergebnis
    beschlossen = (Tagesordnungspunkt.Ergebnis.BESCHLOSSEN, Tagesordnungspunkt.Ergebnis.GEAENDERT_BESCHLOSSEN)
    if not beschluss.strip() and ergebnis in beschlossen:
        beschluss = beschluss_vorschlag(top)
    top.beschluss = beschluss
    top.full_clean()
    top.save()
    for beratung in Beratung.objects.filter(tagesordnungspunkt=top).select_for_update():
        # A Beratung's own result set by hand (different from what the TOP had) is the clerk's and stays.
        if beratung.ergebnis in ("", vorher) and beratung.ergebnis != ergebnis:
            beratung.ergebnis = ergebnis
            beratung.full_clean()
            beratung.save()
    tagesordnungspunkt.ergebnis, tagesordnungspunkt.beschluss = top.ergebnis, top.beschluss
    return top


@transaction.atomic
def top_vertagen(*, tagesordnungspunkt, sitzung, user=None):
    """Put a vertagt, abgesetzt or verwiesen TOP on the agenda of a later Sitzung of the same Gremium, as a new TOP
    with its Vorlagen that names where it comes from. The old TOP keeps its result and history. Asked twice for the
    same Sitzung, the TOP put there the first time is returned. Both agendas' histories record the move."""
    top = tagesordnungspunkt
    if top.ergebnis not in WIEDER_AUF_DIE_TAGESORDNUNG:
        raise ValidationError(
            _("Nur ein vertagter, abgesetzter oder verwiesener Tagesordnungspunkt kommt auf eine spätere Sitzung.")
        )
    if sitzung.ausschuss_id != top.sitzung.ausschuss_id:
        raise ValidationError(_("Der Tagesordnungspunkt kommt auf eine Sitzung desselben Gremiums."))
    if sitzung.beginn <= top.sitzung.beginn:
        raise ValidationError(_("Der Tagesordnungspunkt kommt auf eine spätere Sitzung."))
    schon = top.fortsetzungen.filter(sitzung=sitzung).first()
    if schon is not None:
        return schon
    vorlagen = list(top.vorlagen.all())
    sitzung.entwuerfe_ablehnen(vorlagen)
    oeffentlich = top.oeffentlich and sitzung.oeffentlich
    agenda = sitzung.tagesordnungspunkte.all()
    hoechste = agenda.aggregate(hoechste=Max("reihenfolge"))["hoechste"] or 0
    nummern = set(agenda.filter(oeffentlich=oeffentlich).values_list("nummer", flat=True))
    nummer = len(nummern) + 1
    while str(nummer) in nummern:
        nummer += 1
    neu = Tagesordnungspunkt(
        sitzung=sitzung,
        nummer=str(nummer),
        reihenfolge=hoechste + 1,
        oeffentlich=oeffentlich,
        titel=top.titel,
        vertagt_aus=top,
    )
    neu.full_clean()
    neu.save()
    neu.vorlagen.set(vorlagen)
    beratungsfolge_abgleichen(sitzung=sitzung)
    vorlage = min(vorlagen, key=lambda v: (v.jahr, v.nummer or 0, v.pk), default=None)
    tagesordnung_aenderung_festhalten(
        sitzung=top.sitzung,
        art=Tagesordnungsaenderung.Art.VERTAGT,
        tagesordnungspunkt=top,
        vorher=top.bezeichnung,
        nachher=_("%(sitzung)s, %(top)s") % {"sitzung": sitzung_kurz(sitzung), "top": neu.bezeichnung},
        vorlage=vorlage,
        user=user,
    )
    tagesordnung_aenderung_festhalten(
        sitzung=sitzung,
        art=Tagesordnungsaenderung.Art.AUS_VERTAGUNG,
        tagesordnungspunkt=neu,
        vorher=_("%(sitzung)s, %(top)s") % {"sitzung": sitzung_kurz(top.sitzung), "top": top.bezeichnung},
        nachher=neu.bezeichnung,
        vorlage=vorlage,
        user=user,
    )
    # A convened Sitzung's published agenda grew: a new version, so the public sees what came and when.
    tagesordnung_fassung_festhalten(
        sitzung=sitzung,
        anlass=f"Vertagt aus der Sitzung vom {timezone.localtime(top.sitzung.beginn):%d.%m.%Y}",
        user=user,
    )
    return neu


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


def sitzungsdokument_text_anstossen(*, dokument: Sitzungsdokument) -> None:
    """Mark the document's text as pending and read it in the background once the upload is committed.

    Called by the write paths that store a file (the Sitzung admin's documents, ``sitzungsdokument_ablegen``).
    """
    Sitzungsdokument.objects.filter(pk=dokument.pk).update(textstatus=Anlage.Textstatus.AUSSTEHEND)
    dokument.textstatus = Anlage.Textstatus.AUSSTEHEND
    transaction.on_commit(lambda: sitzungsdokument_text_lesen.enqueue(dokument.pk))


def sitzungsdokument_ablegen(
    *, sitzung, art: str, titel: str, datei, oeffentlich: bool = True, reihenfolge: int = 1
) -> Sitzungsdokument:
    """Store a new document of ``sitzung``: checked like an Anlage's upload, its text read after the commit.

    A storage error rolls back the row and removes the file written (``dateien_zuruecknehmen_bei_fehler``).
    """
    with dateien_zuruecknehmen_bei_fehler(), transaction.atomic():
        dokument = Sitzungsdokument(
            sitzung=sitzung, art=art, titel=titel, datei=datei, oeffentlich=oeffentlich, reihenfolge=reihenfolge
        )
        dokument.full_clean()
        dokument.save()
        sitzungsdokument_text_anstossen(dokument=dokument)
    return dokument
