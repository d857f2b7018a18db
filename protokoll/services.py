"""Writes of the record of a Sitzung as it happens. Keyword-only, atomic, validating first.

Every function sets a state rather than applying a change (the attendance of a person *is* this, the vote on a TOP
*is* that), so the clerk's page may send the same form twice after a lost connection without harm.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gremien.models import Mitgliedschaft
from protokoll.beschlussfaehigkeit import STIMMBERECHTIGTE_ROLLEN, Sitzungsstand
from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Stimme
from sitzungen.models import Beratung, Tagesordnungspunkt
from sitzungen.services import beratungsfolge_abgleichen

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
):
    """Record the vote number ``reihenfolge`` on a TOP (create or replace).

    ``offen``: the counts as given. ``einstimmig``: no Nein; without Ja counted, all present and entitled to vote
    who did not abstain voted Ja. ``namentlich``: ``stimmen`` maps each Person to ``ja``, ``nein`` or
    ``enthaltung``; the counts are taken from them. Every count is checked against those present, entitled to
    vote and not befangen at the TOP (``Sitzungsstand.stimmen_pruefen``)."""
    stand = Sitzungsstand(tagesordnungspunkt.sitzung)
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
    abstimmung.full_clean()
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
def top_vertagen(*, tagesordnungspunkt, sitzung):
    """Put a vertagt, abgesetzt or verwiesen TOP on the agenda of a later Sitzung of the same Gremium, as a new TOP
    with its Vorlagen that names where it comes from. The old TOP keeps its result and history. Asked twice for the
    same Sitzung, the TOP put there the first time is returned."""
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
    return neu
