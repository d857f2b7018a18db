"""Who is present at which TOP and whether the Gremium can decide (§ 37 Abs. 2 GemO BW): the one place the rule
lives. The clerk's page, the Niederschrift, the vote check and the public pages all ask ``Sitzungsstand``.

A Gremium can decide when more than half of its members entitled to vote are present and entitled to vote. When
it cannot only because members are befangen, it can when at least a quarter of its members are present and
entitled to vote (§ 37 Abs. 2 Satz 2).
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gremien.models import Mitgliedschaft

STIMMBERECHTIGTE_ROLLEN = (
    Mitgliedschaft.Rolle.VORSITZ,
    Mitgliedschaft.Rolle.STELLV_VORSITZ,
    Mitgliedschaft.Rolle.MITGLIED,
)


@dataclasses.dataclass(frozen=True)
class Beschlussfaehigkeit:
    mitglieder: int  # members of the Gremium entitled to vote on the day (the Soll)
    anwesend: int  # present, entitled to vote and not befangen
    befangen: int  # present and entitled to vote, but befangen at this TOP

    @property
    def beschlussfaehig(self):
        if self.mitglieder == 0:
            return False
        if self.anwesend * 2 > self.mitglieder:
            return True
        nur_wegen_befangenheit = self.befangen and (self.anwesend + self.befangen) * 2 > self.mitglieder
        return bool(nur_wegen_befangenheit and self.anwesend * 4 >= self.mitglieder)

    @property
    def noetig(self):
        """Members that must be present (more than half), as the clerk's page shows it."""
        return self.mitglieder // 2 + 1


def stimmberechtigte_mitglieder(ausschuss_id, stichtag):
    return (
        Mitgliedschaft.objects.aktuell(stichtag)
        .filter(ausschuss_id=ausschuss_id, rolle__in=STIMMBERECHTIGTE_ROLLEN)
        .values("person")
        .distinct()
        .count()
    )


class Sitzungsstand:
    """The attendance of one Sitzung, read once (four queries), answered per TOP in Python."""

    def __init__(self, sitzung):
        from protokoll.models import Anwesenheit, Befangenheit

        self.sitzung = sitzung
        self.top_ids = list(
            sitzung.tagesordnungspunkte.order_by("-oeffentlich", "reihenfolge", "pk").values_list("pk", flat=True)
        )
        self._position = {pk: i for i, pk in enumerate(self.top_ids)}
        self.anwesenheiten = list(Anwesenheit.objects.filter(sitzung=sitzung).select_related("person", "vertritt"))
        self.befangene = {}
        for top_id, person_id in Befangenheit.objects.filter(tagesordnungspunkt__sitzung=sitzung).values_list(
            "tagesordnungspunkt_id", "person_id"
        ):
            self.befangene.setdefault(top_id, set()).add(person_id)
        self.mitglieder = stimmberechtigte_mitglieder(sitzung.ausschuss_id, timezone.localdate(sitzung.beginn))

    def anwesend_bei(self, top_id=None):
        """The Anwesenheiten of those present at the TOP (at any time of the Sitzung without one)."""
        position = self._position.get(top_id)
        ergebnis = []
        for anwesenheit in self.anwesenheiten:
            if anwesenheit.status != anwesenheit.Status.ANWESEND:
                continue
            if position is not None:
                ab = self._position.get(anwesenheit.ab_top_id, 0)
                bis = self._position.get(anwesenheit.bis_top_id, len(self.top_ids))
                if not ab <= position <= bis:
                    continue
            ergebnis.append(anwesenheit)
        return ergebnis

    def stimmberechtigt_bei(self, top_id):
        """Present, entitled to vote and not befangen: those whose votes count at the TOP."""
        befangen = self.befangene.get(top_id, set())
        return [a for a in self.anwesend_bei(top_id) if a.stimmberechtigt and a.person_id not in befangen]

    def beschlussfaehigkeit(self, top_id=None):
        anwesend = [a for a in self.anwesend_bei(top_id) if a.stimmberechtigt]
        befangen = self.befangene.get(top_id, set()) if top_id else set()
        zahl_befangen = sum(1 for a in anwesend if a.person_id in befangen)
        return Beschlussfaehigkeit(
            mitglieder=self.mitglieder, anwesend=len(anwesend) - zahl_befangen, befangen=zahl_befangen
        )

    def stimmen_pruefen(self, *, top_id, ja, nein, enthaltung):
        """Refuse more votes than members present, entitled to vote and not befangen at the TOP."""
        moeglich = len(self.stimmberechtigt_bei(top_id))
        if ja + nein + enthaltung > moeglich:
            raise ValidationError(
                _(
                    "%(summe)s Stimmen, aber nur %(moeglich)s stimmberechtigte, nicht befangene Mitglieder sind bei "
                    "diesem Tagesordnungspunkt anwesend. Prüfen Sie die Zahlen oder die Anwesenheit."
                )
                % {"summe": ja + nein + enthaltung, "moeglich": moeglich}
            )
