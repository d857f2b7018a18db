"""A citizen who follows the Gemeinderat by e-mail: one confirmed daily subscription, as after her double opt-in.

It is written directly, not through ``abonnements.services.abonnieren``: that one mails a confirmation link to
the address, and a demo address has no mailbox to click it in. A second run finds her and writes nothing.
"""

from abonnements.forms import einwilligung_text
from abonnements.models import Abonnement, Abonnent
from gremien.models import Ausschuss

ADRESSE = "buergerin@example.org"
GREMIUM = "gemeinderat"


def abonnements_laden(ergebnis, *, jetzt):
    ausschuss = Ausschuss.objects.filter(slug=GREMIUM).first()
    if ausschuss is None or Abonnent.objects.filter(adresse=ADRESSE).exists():
        return
    abonnent = Abonnent(adresse=ADRESSE, einwilligung_am=jetzt, einwilligung_text=einwilligung_text())
    abonnent.full_clean()
    abonnent.save()
    abonnement = Abonnement(
        abonnent=abonnent,
        art=Abonnement.Art.GREMIUM,
        ausschuss=ausschuss,
        rhythmus=Abonnement.Rhythmus.TAEGLICH,
        bestaetigt_am=jetzt,
        gesendet_bis=jetzt,
    )
    abonnement.full_clean()
    abonnement.save()
    ergebnis.angelegt["Abonnent"] += 1
    ergebnis.angelegt["Abonnement"] += 1
