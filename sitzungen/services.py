"""Writes with side effects on Sitzungen and their Tagesordnung. Keyword-only, atomic, validating first."""

from django.db import transaction
from django.utils import timezone

from sitzungen.models import Beratung, Sitzung


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
