"""Writes with side effects on Sitzungen and their Tagesordnung. Keyword-only, atomic, validating first."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sitzungen.fassungen import tagesordnung_fassung_festhalten
from sitzungen.models import Beratung, Sitzung, Tagesordnungsaenderung, Tagesordnungspunkt


@transaction.atomic
def beratungsfolge_abgleichen(*, sitzung: Sitzung) -> None:
    """Bring the Beratungen of the Vorlagen on this agenda in line with the agenda.

    Clerks say on each TOP which Vorlagen it concerns; a Vorlage's Beratungsfolge must then show this Sitzung.
    An existing planned step of the Vorlage in this Ausschuss (no Sitzung yet, the nearest date first) is tied
    to the TOP; without one a step is added. A Vorlage taken off a TOP releases its step again, so the
    Beratungsfolge never points to a TOP that no longer concerns the Vorlage.
    """
    sitzung.full_clean()
    datum = timezone.localdate(sitzung.beginn)
    gewuenscht = {}
    for top in sitzung.tagesordnungspunkte.prefetch_related("vorlagen"):
        for vorlage in top.vorlagen.all():
            gewuenscht[(vorlage.pk, top.pk)] = (vorlage, top)

    for beratung in Beratung.objects.filter(sitzung=sitzung).select_for_update():
        if beratung.tagesordnungspunkt_id is None:
            # Tied to this Sitzung by hand in the Vorlage: keep it, and give it its TOP once there is one.
            schluessel = next((k for k in gewuenscht if k[0] == beratung.vorlage_id), None)
            if schluessel is None:
                continue
        else:
            schluessel = (beratung.vorlage_id, beratung.tagesordnungspunkt_id)
        if schluessel in gewuenscht:
            _verknuepfen(beratung, gewuenscht.pop(schluessel)[1], datum=datum)
        else:
            beratung.sitzung = None
            beratung.tagesordnungspunkt = None
            beratung.save(update_fields=["sitzung", "tagesordnungspunkt", "geaendert_am"])

    for vorlage, top in gewuenscht.values():
        offen = Beratung.objects.filter(vorlage=vorlage, ausschuss=sitzung.ausschuss, sitzung__isnull=True)
        beratung = (
            offen.filter(termin=datum).first()
            or offen.filter(termin__isnull=True).first()
            or offen.order_by("termin", "pk").first()
        )
        if beratung is None:
            beratung = Beratung(
                vorlage=vorlage,
                ausschuss=sitzung.ausschuss,
                rolle=Beratung.Rolle.BERATUNG,
                oeffentlich=top.oeffentlich,
                reihenfolge=vorlage.beratungen.count() + 1,
            )
        _verknuepfen(beratung, top, datum=datum)


def _verknuepfen(beratung, top, *, datum):
    beratung.sitzung = top.sitzung
    beratung.tagesordnungspunkt = top
    beratung.termin = datum
    if top.ergebnis and not beratung.ergebnis:
        beratung.ergebnis = top.ergebnis
    beratung.full_clean()
    beratung.save()


# -- The agenda from the pool ("Vorrat"), its numbering and its history (issue 19, item 4) --------------------------
#
# Numbering rule: Ö 1…n and N 1…m, whole numbers, in the order of the agenda. It follows every change while the
# Sitzung is only planned. Once it is einberufen, the councillors hold the agenda on paper: a number sent stays,
# a TOP put on later gets the next free number of its part, a move changes only the order, and "Nummern neu
# vergeben" is refused. Sub-numbers typed in the admin ("3.1") become whole numbers when the agenda is renumbered.


def tagesordnung_aenderung_festhalten(
    *,
    sitzung,
    art,
    tagesordnungspunkt=None,
    vorher="",
    nachher="",
    vorlage=None,
    user=None,
    titel=None,
    oeffentlich=None,
):
    """Record one change of the agenda of ``sitzung`` (also called by protokoll's Vertagung and einberufung's
    Nachtrag). Title and publicity are taken from the TOP unless given: the row must still say the right thing
    once the TOP is gone."""
    top = tagesordnungspunkt
    aenderung = Tagesordnungsaenderung(
        sitzung=sitzung,
        tagesordnungspunkt=top,
        art=art,
        titel=(titel if titel is not None else (top.titel if top else ""))[:500],
        oeffentlich=oeffentlich if oeffentlich is not None else (top.oeffentlich if top else sitzung.oeffentlich),
        vorher=vorher[:300],
        nachher=nachher[:300],
        vorlage=vorlage,
        nach_einberufung=sitzung.ist_einberufen,
        user=user if user is not None and user.is_authenticated else None,
    )
    aenderung.full_clean()
    aenderung.save()
    return aenderung


def sitzung_sperren(sitzung):
    """The Sitzung row locked: two clerks planning the same agenda take turns (ignored by SQLite, which locks the
    whole database for a write anyway)."""
    return Sitzung.objects.select_for_update(of=("self",)).select_related("ausschuss").get(pk=sitzung.pk)


def _agenda(sitzung):
    return list(sitzung.tagesordnungspunkte.order_by("-oeffentlich", "reihenfolge", "pk"))


def _bezeichnung(oeffentlich, nummer):
    return f"{'Ö' if oeffentlich else 'N'} {nummer}"


def _ordnen(tops):
    """Give ``tops`` (Ö then N, in the wanted order) the places 1…k; writes only those that change."""
    geaendert = []
    for platz, top in enumerate(tops, start=1):
        if top.reihenfolge != platz:
            top.reihenfolge = platz
            geaendert.append(top)
    if geaendert:
        Tagesordnungspunkt.objects.bulk_update(geaendert, ["reihenfolge"])


def _nummern_setzen(neue_nummern):
    """Write {top: number} without tripping the constraint (sitzung, oeffentlich, nummer) halfway: first every
    changing TOP gets a temporary number no real one has ("~" and its id), then its final one. Two statements in
    the caller's transaction; PostgreSQL checks the constraint per row, so a swap in one statement would fail."""
    aendern = [(top, nummer) for top, nummer in neue_nummern.items() if top.nummer != nummer]
    if not aendern:
        return []
    for top, _nummer in aendern:
        top.nummer = f"~{top.pk}"
    Tagesordnungspunkt.objects.bulk_update([top for top, _nummer in aendern], ["nummer"])
    for top, nummer in aendern:
        top.nummer = nummer
    Tagesordnungspunkt.objects.bulk_update([top for top, _nummer in aendern], ["nummer"])
    return [top for top, _nummer in aendern]


def _durchnummerieren(sitzung, tops, *, user, ausser=()):
    """Ö 1…n, N 1…m in the order of ``tops``; a "nummeriert" row for each TOP whose number changed (but the TOPs
    in ``ausser``, whose own row says where they are)."""
    vorher = {top.pk: top.bezeichnung for top in tops}
    zaehler = {True: 0, False: 0}
    neue_nummern = {}
    for top in tops:
        zaehler[top.oeffentlich] += 1
        neue_nummern[top] = str(zaehler[top.oeffentlich])
    geaendert = _nummern_setzen(neue_nummern)
    ausgenommen = {top.pk for top in ausser}
    for top in geaendert:
        if top.pk in ausgenommen:
            continue
        tagesordnung_aenderung_festhalten(
            sitzung=sitzung,
            art=Tagesordnungsaenderung.Art.NUMMERIERT,
            tagesordnungspunkt=top,
            vorher=vorher[top.pk],
            nachher=top.bezeichnung,
            user=user,
        )
    return geaendert


def naechste_nummer(tops, oeffentlich):
    """The next free whole number of the public or non-public part: one above the highest whole number there."""
    nummern = {top.nummer for top in tops if top.oeffentlich == oeffentlich}
    ganze = [int(nummer) for nummer in nummern if nummer.isdigit()]
    nummer = max(ganze, default=0) + 1
    while str(nummer) in nummern:
        nummer += 1
    return str(nummer)


def fassung_festhalten_wenn_einberufen(sitzung, *, user, anlass):
    """After a change of a convened Sitzung's agenda: a new version of the published agenda
    (``sitzungen.fassungen``; it records nothing for a planned Sitzung or an unchanged agenda)."""
    if sitzung.ist_einberufen:
        tagesordnung_fassung_festhalten(sitzung=sitzung, anlass=anlass, user=user)


@transaction.atomic
def auf_tagesordnung_setzen(*, sitzung, beratungen, user=None):
    """Put the Vorlagen of ``beratungen`` (rows of the pool, in the order given) on the agenda of ``sitzung``: one
    TOP each, titled like its Vorlage, public when the Beratung and the Sitzung are, at the end of its part, and
    tied to the Beratung. Returns the new TOPs."""
    sitzung = sitzung_sperren(sitzung)
    sitzung.full_clean()
    if sitzung.status in (Sitzung.Status.ABGESAGT, Sitzung.Status.ABGESCHLOSSEN):
        raise ValidationError(
            _("Die Sitzung ist %(status)s; ihre Tagesordnung wird nicht mehr geplant.")
            % {"status": sitzung.get_status_display()}
        )
    gewaehlt = [beratung.pk for beratung in beratungen]
    if not gewaehlt:
        raise ValidationError(_("Bitte wählen Sie mindestens eine Vorlage aus dem Vorrat."))
    if len(set(gewaehlt)) != len(gewaehlt):
        raise ValidationError(_("Jede Vorlage kommt nur einmal auf die Tagesordnung."))
    vorrat = {
        beratung.pk: beratung
        for beratung in Beratung.objects.im_vorrat_fuer(sitzung).filter(pk__in=gewaehlt).select_for_update(of=("self",))
    }
    fehlend = [pk for pk in gewaehlt if pk not in vorrat]
    if fehlend:
        namen = [b.vorlage.bezeichnung for b in Beratung.objects.filter(pk__in=fehlend).select_related("vorlage")]
        raise ValidationError(
            _(
                "Nicht mehr im Vorrat dieser Sitzung (schon auf einer Tagesordnung, zurückgezogen oder nicht "
                "freigegeben): %(vorlagen)s"
            )
            % {"vorlagen": ", ".join(namen) or "–"}
        )
    reihe = [vorrat[pk] for pk in gewaehlt]
    vorlagen = [beratung.vorlage for beratung in reihe]
    if len({vorlage.pk for vorlage in vorlagen}) != len(vorlagen):
        raise ValidationError(_("Jede Vorlage kommt nur einmal auf die Tagesordnung."))
    sitzung.entwuerfe_ablehnen(vorlagen)
    tops = _agenda(sitzung)
    einberufen = sitzung.ist_einberufen
    datum = timezone.localdate(sitzung.beginn)
    neue = []
    titel_laenge = Tagesordnungspunkt._meta.get_field("titel").max_length
    for beratung in reihe:
        oeffentlich = beratung.oeffentlich and sitzung.oeffentlich
        top = Tagesordnungspunkt(
            sitzung=sitzung,
            # Numbered at the end of its part now; renumbered below while the Sitzung is only planned.
            nummer=naechste_nummer(tops, oeffentlich),
            reihenfolge=len(tops) + 1,
            oeffentlich=oeffentlich,
            titel=beratung.vorlage.titel[:titel_laenge],
        )
        top.full_clean()
        top.save()
        top.vorlagen.add(beratung.vorlage)
        beratung.sitzung = sitzung
        beratung.tagesordnungspunkt = top
        beratung.termin = datum
        beratung.full_clean()
        beratung.save(update_fields=["sitzung", "tagesordnungspunkt", "termin", "geaendert_am"])
        tops.append(top)
        neue.append((top, beratung.vorlage))
    tops.sort(key=lambda top: (not top.oeffentlich, top.reihenfolge, top.pk))
    _ordnen(tops)
    if not einberufen:
        _durchnummerieren(sitzung, tops, user=user, ausser=[top for top, _vorlage in neue])
    for top, vorlage in neue:
        tagesordnung_aenderung_festhalten(
            sitzung=sitzung,
            art=Tagesordnungsaenderung.Art.AUFGENOMMEN,
            tagesordnungspunkt=top,
            nachher=top.bezeichnung,
            vorlage=vorlage,
            user=user,
        )
    fassung_festhalten_wenn_einberufen(sitzung, user=user, anlass="Tagesordnungspunkte aufgenommen")
    return [top for top, _vorlage in neue]


@transaction.atomic
def top_verschieben(*, tagesordnungspunkt, user=None, richtung=None, position=None):
    """Move a TOP within its part (Ö or N): ``richtung`` "hoch"/"runter" by one place, or to ``position``
    (1 = first of its part). A planned agenda is renumbered; a convened one keeps its numbers."""
    sitzung = sitzung_sperren(tagesordnungspunkt.sitzung)
    tops = _agenda(sitzung)
    top = next((t for t in tops if t.pk == tagesordnungspunkt.pk), None)
    if top is None:
        raise ValidationError(_("Dieser Tagesordnungspunkt steht nicht auf der Tagesordnung dieser Sitzung."))
    teil = [t for t in tops if t.oeffentlich == top.oeffentlich]
    alt = teil.index(top)
    if richtung == "hoch":
        neu = alt - 1
    elif richtung == "runter":
        neu = alt + 1
    elif position is not None:
        neu = position - 1
    else:
        raise ValidationError(_("Bitte geben Sie an, wohin der Tagesordnungspunkt verschoben wird."))
    if not 0 <= neu < len(teil):
        raise ValidationError(_("Die Position muss zwischen 1 und %(anzahl)s liegen.") % {"anzahl": len(teil)})
    if neu == alt:
        return top
    vorher = _("%(top)s (Platz %(platz)s)") % {"top": top.bezeichnung, "platz": alt + 1}
    teil.insert(neu, teil.pop(alt))
    andere = [t for t in tops if t.oeffentlich != top.oeffentlich]
    tops = teil + andere if top.oeffentlich else andere + teil
    _ordnen(tops)
    if not sitzung.ist_einberufen:
        _durchnummerieren(sitzung, tops, user=user, ausser=[top])
    tagesordnung_aenderung_festhalten(
        sitzung=sitzung,
        art=Tagesordnungsaenderung.Art.VERSCHOBEN,
        tagesordnungspunkt=top,
        vorher=vorher,
        nachher=_("%(top)s (Platz %(platz)s)") % {"top": top.bezeichnung, "platz": neu + 1},
        user=user,
    )
    fassung_festhalten_wenn_einberufen(sitzung, user=user, anlass="Tagesordnungspunkt verschoben")
    return top


@transaction.atomic
def top_entfernen(*, tagesordnungspunkt, user=None):
    """Take a TOP off the agenda: its Vorlagen go back to the pool (their Beratungen lose Sitzung and TOP), the
    history keeps what it was. A TOP with a result or a record of the Sitzung is not removed (it was dealt with:
    vertagen or absetzen instead)."""
    sitzung = sitzung_sperren(tagesordnungspunkt.sitzung)
    top = Tagesordnungspunkt.objects.filter(pk=tagesordnungspunkt.pk, sitzung=sitzung).first()
    if top is None:
        raise ValidationError(_("Dieser Tagesordnungspunkt steht nicht auf der Tagesordnung dieser Sitzung."))
    if top.ergebnis or top.beschluss:
        raise ValidationError(
            _("%(top)s hat schon ein Ergebnis und bleibt auf der Tagesordnung; vertagen oder absetzen Sie ihn.")
            % {"top": top.bezeichnung}
        )
    vorlage = top.vorlagen.order_by("jahr", "nummer", "pk").first()
    Beratung.objects.filter(tagesordnungspunkt=top).update(
        sitzung=None, tagesordnungspunkt=None, geaendert_am=timezone.now()
    )
    tagesordnung_aenderung_festhalten(
        sitzung=sitzung,
        art=Tagesordnungsaenderung.Art.ENTFERNT,
        tagesordnungspunkt=top,
        vorher=top.bezeichnung,
        vorlage=vorlage,
        user=user,
    )
    try:
        with transaction.atomic():
            top.delete()
    except ProtectedError as fehler:
        raise ValidationError(
            _("%(top)s hat schon Einträge im Sitzungsverlauf oder eine Fortsetzung und bleibt auf der Tagesordnung.")
            % {"top": top.bezeichnung}
        ) from fehler
    tops = _agenda(sitzung)
    _ordnen(tops)
    if not sitzung.ist_einberufen:
        _durchnummerieren(sitzung, tops, user=user)
    fassung_festhalten_wenn_einberufen(sitzung, user=user, anlass="Tagesordnungspunkt entfernt")


@transaction.atomic
def tops_nummerieren(*, sitzung, user=None):
    """Number the agenda anew: Ö 1…n and N 1…m, whole numbers, in the order of the agenda. Refused once the
    Sitzung is einberufen: the numbers sent to the councillors stay. Returns the TOPs whose number changed."""
    sitzung = sitzung_sperren(sitzung)
    if sitzung.ist_einberufen:
        raise ValidationError(
            _(
                "Die Sitzung ist %(status)s: die versandten Nummern bleiben, damit sie mit der Einladung der "
                "Mitglieder übereinstimmen. Neue Punkte erhalten die nächste freie Nummer."
            )
            % {"status": sitzung.get_status_display()}
        )
    tops = _agenda(sitzung)
    _ordnen(tops)
    return _durchnummerieren(sitzung, tops, user=user)


@transaction.atomic
def annahmeschluss_setzen(*, sitzung, annahmeschluss, user=None):
    """Set (or clear) the Annahmeschluss of ``sitzung``; it lies before the beginning."""
    sitzung.annahmeschluss = annahmeschluss
    sitzung.full_clean()
    sitzung.save(update_fields=["annahmeschluss", "geaendert_am"])
    return sitzung


def sitzung_kurz(sitzung):
    """ "Sitzung: Gemeinderat, 12.03.2027" for the history of a Vertagung."""
    return f"{sitzung.titel}, {formats.date_format(timezone.localtime(sitzung.beginn), 'd.m.Y')}"
