"""The routes of Mitzeichnung and Freigabe in the demo (issue 19), made through the services of ``mitzeichnung``.

* The seed (GRDrs 1005/2021, a Mitteilungsvorlage of Referat SI) went its route before it was published in 2021:
  no other Dienststelle co-signed it (its printed "Mitzeichnung der beteiligten Stellen" is empty, as in the
  original), and the Bürgermeisterin gave the Freigabe.
* A draft of Referat SOS released, waiting for an agenda: Referat WFB, then Grundsatzreferat KM co-signed, the
  Bürgermeister gave the Freigabe (``freigegeben_am`` set).
* A draft of Referat SOS mid-route: Referat WFB agreed, Grundsatzreferat KM has it open, the Freigabe waits.

The people of the Dienststellen are accounts without a usable password here: they decided the steps. ``zugaenge``
(``--demo-zugaenge``) gives them the demo password and an e-mail address, so that a demonstration can log in as
them; until then the routes' task mails reach nobody. A route is made once: a Vorlage that has one is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from gremien.models import Dienststellenzugehoerigkeit
from mitzeichnung import services
from mitzeichnung.models import Schritt

# Since when the demo's people work in their Dienststellen: before the seed's route of 2021.
ZUGEHOERIG_SEIT = datetime.date(2020, 1, 1)

# (username, first name, last name, Dienststelle, leitung)
KONTEN = [
    ("amt-sos", "Demo", "Sachbearbeitung SOS", "Referat Sicherheit, Ordnung und Sport", False),
    ("buergermeister-sos", "Demo", "Bürgermeister SOS", "Referat Sicherheit, Ordnung und Sport", True),
    ("amt-km", "Demo", "Sachbearbeitung KM", "Grundsatzreferat Klimaschutz, Mobilität und Wohnen", False),
    ("amt-wfb", "Demo", "Sachbearbeitung WFB", "Referat Wirtschaft, Finanzen und Beteiligungen", False),
    ("buergermeisterin-si", "Demo", "Bürgermeisterin SI", "Referat Soziales und gesellschaftliche Integration", True),
]

SOS = "Referat Sicherheit, Ordnung und Sport"
KM = "Grundsatzreferat Klimaschutz, Mobilität und Wohnen"
WFB = "Referat Wirtschaft, Finanzen und Beteiligungen"

# The Vorlagen with a route, by their key in ``demodaten.vorlagen``; their ``mitzeichnung`` there is what the route
# writes, so that a second run finds nothing to change.
SEED = "seed"
FREIGEGEBEN = "entwurf-loeschfahrzeuge"
UNTERWEGS = "entwurf-feuerwehrgebuehren"


def konten_laden(ergebnis, *, dienststellen):
    """The accounts of the Dienststellen and their Zugehörigkeit; returns them by username."""
    User = get_user_model()
    konten = {}
    for benutzername, vorname, nachname, dienststelle, leitung in KONTEN:
        benutzer = User.objects.filter(username=benutzername).first()
        if benutzer is None:
            benutzer = User(username=benutzername, first_name=vorname, last_name=nachname)
            benutzer.set_unusable_password()
            benutzer.full_clean(exclude=["password"])
            benutzer.save()
            ergebnis.angelegt["Benutzerkonto"] += 1
        _, angelegt = Dienststellenzugehoerigkeit.objects.get_or_create(
            benutzer=benutzer,
            dienststelle=dienststellen[dienststelle],
            beginn=ZUGEHOERIG_SEIT,
            defaults={"leitung": leitung},
        )
        if angelegt:
            ergebnis.angelegt["Dienststellenzugehoerigkeit"] += 1
        konten[benutzername] = benutzer
    return konten


def _zeile(dienststelle, stufe, frist, zustaendig=None):
    return {"dienststelle": dienststelle, "stufe": stufe, "frist": frist, "zustaendig": zustaendig}


def _entscheiden(laufweg, dienststelle, benutzer, jetzt, art=Schritt.Art.MITZEICHNUNG):
    schritt = laufweg.schritte.get(dienststelle=dienststelle, art=art, status=Schritt.Status.OFFEN)
    services.schritt_entscheiden(schritt=schritt, user=benutzer, entscheidung=Schritt.Status.ZUGESTIMMT, jetzt=jetzt)


def seed_vor_veroeffentlichung(ergebnis, *, vorlage, konten):
    """The seed's route, run while it is still a draft, just before the loader publishes it."""
    if vorlage.laufwege.exists():
        return
    buergermeisterin = konten["buergermeisterin-si"]
    start = timezone.make_aware(datetime.datetime.combine(vorlage.datum - datetime.timedelta(days=7), datetime.time(9)))
    laufweg = services.laufweg_starten(
        vorlage=vorlage,
        user=buergermeisterin,
        mitzeichnungen=[],
        freigabe={"frist": vorlage.datum, "zustaendig": buergermeisterin},
        jetzt=start,
    )
    _entscheiden(
        laufweg, vorlage.dienststelle, buergermeisterin, start + datetime.timedelta(days=5), art=Schritt.Art.FREIGABE
    )
    ergebnis.angelegt["Laufweg"] += 1


def entwuerfe_laden(ergebnis, *, vorlagen, dienststellen, konten, jetzt):
    """The routes of the two drafts of Referat SOS, relative to the load's ``jetzt``."""
    heute = timezone.localdate(jetzt)
    freigegeben = vorlagen[FREIGEGEBEN]
    if not freigegeben.laufwege.exists():
        start = jetzt - datetime.timedelta(days=6)
        laufweg = services.laufweg_starten(
            vorlage=freigegeben,
            user=konten["amt-sos"],
            mitzeichnungen=[
                _zeile(dienststellen[WFB], 1, heute),
                _zeile(dienststellen[KM], 2, heute, konten["amt-km"]),
            ],
            freigabe={"frist": heute, "zustaendig": konten["buergermeister-sos"]},
            jetzt=start,
        )
        _entscheiden(laufweg, dienststellen[WFB], konten["amt-wfb"], start + datetime.timedelta(days=1))
        _entscheiden(laufweg, dienststellen[KM], konten["amt-km"], start + datetime.timedelta(days=2))
        _entscheiden(
            laufweg,
            dienststellen[SOS],
            konten["buergermeister-sos"],
            start + datetime.timedelta(days=3),
            art=Schritt.Art.FREIGABE,
        )
        ergebnis.angelegt["Laufweg"] += 1

    unterwegs = vorlagen[UNTERWEGS]
    if not unterwegs.laufwege.exists():
        start = jetzt - datetime.timedelta(days=2)
        frist = heute + datetime.timedelta(days=7)
        laufweg = services.laufweg_starten(
            vorlage=unterwegs,
            user=konten["amt-sos"],
            mitzeichnungen=[
                _zeile(dienststellen[WFB], 1, frist),
                _zeile(dienststellen[KM], 1, frist, konten["amt-km"]),
            ],
            freigabe={"frist": frist + datetime.timedelta(days=7), "zustaendig": konten["buergermeister-sos"]},
            jetzt=start,
        )
        _entscheiden(laufweg, dienststellen[WFB], konten["amt-wfb"], start + datetime.timedelta(days=1))
        ergebnis.angelegt["Laufweg"] += 1
