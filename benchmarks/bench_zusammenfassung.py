"""The citizens' daily digest (issue 18): 10,000 confirmed subscribers over the 100,000-Vorlagen data set.

    .venv/bin/python benchmarks/bench_zusammenfassung.py [--abonnenten 10000] [--neu-vorlagen 400]

On the large data set (benchmarks/datensatz.py; ``RATSINFO_BENCH_DATABASE_URL``), inside one transaction that is
rolled back at the end (the shared data set stays as it was): the news of one day are made (``--neu-vorlagen``
Vorlagen published in the last 24 hours, Beratungen and TOPs with a result changed, new memberships), then
``--abonnenten`` addresses with one to three confirmed daily subscriptions each, whose last digest went out a day
ago (about 40 % Gremium, 30 % Vorlage,
15 % Person, 15 % Suche with or without filters). Measured: building the digests (``abonnements.zusammenfassung``,
batch by batch as ``manage.py abonnements_senden`` does, with the SQL queries of each batch) and handing every
mail to a real SMTP server (aiosmtpd, started here on 127.0.0.1 in a process of its own) in the batches of
``post.versand.senden``, as the worker does. Goal: both together <= 60 s, queries per batch constant. Exit status 1
when the goal is missed.
"""

import argparse
import datetime
import os
import random
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.datensatz import datenbank_url, sicherstellen

ZIEL_SEKUNDEN = 60.0
SUCHWOERTER = ["Wohnungsbau", "Schule", "Radverkehr", "Haushalt", "Stadtbahn", "Klimaschutz", "Kita", "Sanierung"]


class Zaehler:
    """The SMTP server's handler: counts what arrives (and keeps nothing), in counters shared with the benchmark."""

    def __init__(self, nachrichten, bytes_):
        self._nachrichten = nachrichten
        self._bytes = bytes_

    @property
    def nachrichten(self):
        return self._nachrichten.value

    @property
    def bytes(self):
        return self._bytes.value

    async def handle_DATA(self, server, session, envelope):
        with self._nachrichten.get_lock():
            self._nachrichten.value += 1
        with self._bytes.get_lock():
            self._bytes.value += len(envelope.content)
        return "250 2.0.0 Ok"


def smtp_server(port, nachrichten, bytes_, bereit, ende):
    """A mail server is a process of its own: run in the benchmark's process, aiosmtpd would share its interpreter
    (and its GIL) with the sender and make sending look slower than it is."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command otherwise
    server = Controller(Zaehler(nachrichten, bytes_), hostname="127.0.0.1", port=port)
    server.start()
    bereit.set()
    ende.wait()
    server.stop()


def _freier_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def neuigkeiten_machen(zufall, jetzt, anzahl):
    """A day of news on the data set: published Vorlagen, changed Beratungen, results, memberships."""
    from gremien.models import Mitgliedschaft
    from sitzungen.models import Beratung, Tagesordnungspunkt
    from vorlagen.models import Vorlage

    vorlagen = list(
        Vorlage.objects.filter(status="veroeffentlicht", oeffentlich=True, vertraulich=False)
        .order_by("?")
        .values_list("pk", flat=True)[:anzahl]
    )
    for pk in vorlagen:
        Vorlage.objects.filter(pk=pk).update(
            veroeffentlicht_am=jetzt - datetime.timedelta(minutes=zufall.randint(5, 1400))
        )
    beratungen = list(Beratung.objects.filter(vorlage__in=vorlagen).values_list("pk", flat=True))
    Beratung.objects.filter(pk__in=beratungen).update(geaendert_am=jetzt - datetime.timedelta(hours=2))
    tops = list(Tagesordnungspunkt.objects.filter(oeffentlich=True).order_by("?").values_list("pk", flat=True)[:anzahl])
    Tagesordnungspunkt.objects.filter(pk__in=tops).update(
        ergebnis="beschlossen", geaendert_am=jetzt - datetime.timedelta(hours=3)
    )
    mitgliedschaften = list(Mitgliedschaft.objects.order_by("?").values_list("pk", flat=True)[:50])
    Mitgliedschaft.objects.filter(pk__in=mitgliedschaften).update(erstellt_am=jetzt - datetime.timedelta(hours=4))
    return vorlagen


def abonnenten_anlegen(zufall, jetzt, anzahl, neue_vorlagen):
    from abonnements.models import Abonnement, Abonnent
    from gremien.models import Ausschuss, Person
    from vorlagen.models import Vorlage

    gremien = list(Ausschuss.objects.gremien().values_list("pk", "slug"))
    personen = list(Person.objects.values_list("pk", flat=True)[:2000])
    andere_vorlagen = list(Vorlage.objects.order_by("?").values_list("pk", flat=True)[:2000])
    bestaetigt = jetzt - datetime.timedelta(days=3)
    gestern = jetzt - datetime.timedelta(days=1)
    abonnenten = Abonnent.objects.bulk_create(
        [
            Abonnent(adresse=f"leser{i}@bench.example.org", einwilligung_am=bestaetigt, einwilligung_text="Ja.")
            for i in range(anzahl)
        ],
        batch_size=2000,
    )
    abos = []
    for abonnent in abonnenten:
        gesehen = set()  # one subscription per address and target (the abo_*_einmal constraints)
        for _ in range(zufall.randint(1, 3)):
            wurf = zufall.random()
            abo = Abonnement(
                abonnent=abonnent,
                bestaetigt_am=bestaetigt,
                gesendet_bis=gestern,
                rhythmus=Abonnement.Rhythmus.TAEGLICH,
            )
            if wurf < 0.40 or not personen:
                abo.art, abo.ausschuss_id = Abonnement.Art.GREMIUM, zufall.choice(gremien)[0]
            elif wurf < 0.70:
                abo.art = Abonnement.Art.VORLAGE
                abo.vorlage_id = zufall.choice(neue_vorlagen if zufall.random() < 0.5 else andere_vorlagen)
            elif wurf < 0.85:
                abo.art, abo.person_id = Abonnement.Art.PERSON, zufall.choice(personen)
            else:
                abo.art, abo.suchbegriff = Abonnement.Art.SUCHE, zufall.choice(SUCHWOERTER)
                if zufall.random() < 0.5:
                    abo.suchfilter = {"typ": "vorlage"}
                if zufall.random() < 0.2:
                    abo.suchfilter = {**abo.suchfilter, "ausschuss": zufall.choice(gremien)[1]}
            ziel = (abo.art, abo.ausschuss_id, abo.vorlage_id, abo.person_id, abo.suchbegriff, str(abo.suchfilter))
            if ziel in gesehen:
                continue
            gesehen.add(ziel)
            abos.append(abo)
    Abonnement.objects.bulk_create(abos, batch_size=2000)
    return len(abos)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abonnenten", type=int, default=10_000)
    parser.add_argument("--neu-vorlagen", type=int, default=400)
    argumente = parser.parse_args()

    sicherstellen()
    import multiprocessing

    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from abonnements import zusammenfassung
    from post.models import Nachricht
    from post.versand import STAPEL, senden

    prozesse = multiprocessing.get_context("spawn")
    zaehler = Zaehler(prozesse.Value("q", 0), prozesse.Value("q", 0))
    bereit, ende, port = prozesse.Event(), prozesse.Event(), _freier_port()
    server = prozesse.Process(
        target=smtp_server, args=(port, zaehler._nachrichten, zaehler._bytes, bereit, ende), daemon=True
    )
    server.start()
    bereit.wait(30)
    settings.MAILERS = {
        "default": {
            "BACKEND": "post.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
        }
    }
    zufall = random.Random(18)
    print(f"Datenbank: {datenbank_url()}")
    try:
        with transaction.atomic():
            # The data set was loaded "now": every row of it has that time. The run pretends to be two days later,
            # yesterday's digest went out the day after the load, and only the day made below is news.
            jetzt = timezone.now() + datetime.timedelta(days=2)
            vorlagen = neuigkeiten_machen(zufall, jetzt, argumente.neu_vorlagen)
            abos = abonnenten_anlegen(zufall, jetzt, argumente.abonnenten, vorlagen)
            print(f"{argumente.abonnenten} Adressen mit {abos} täglichen Abonnements, {len(vorlagen)} neue Vorlagen")

            start = time.perf_counter()
            je_stapel, gesamt, nach = [], zusammenfassung.Ergebnis(), 0
            vorrat = zusammenfassung.Vorrat(jetzt)  # the run's news, shared by its batches
            while True:
                with CaptureQueriesContext(connection) as abfragen:
                    ids = zusammenfassung.faellige_abonnenten(jetzt=jetzt, nach=nach)
                    if not ids:
                        break
                    gesamt += zusammenfassung.stapel_einreihen(abonnent_ids=ids, jetzt=jetzt, vorrat=vorrat)
                je_stapel.append(len(abfragen))
                nach = ids[-1]
            bauen = time.perf_counter() - start

            ids = list(
                Nachricht.objects.filter(art=Nachricht.Art.ZUSAMMENFASSUNG, status=Nachricht.Status.WARTEND)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            start = time.perf_counter()
            senden_je_stapel = []
            for anfang in range(0, len(ids), STAPEL):
                with CaptureQueriesContext(connection) as abfragen:
                    senden(ids=ids[anfang : anfang + STAPEL])
                senden_je_stapel.append(len(abfragen))
            versand = time.perf_counter() - start
            gesendet = Nachricht.objects.filter(pk__in=ids, status=Nachricht.Status.GESENDET).count()
            transaction.set_rollback(True)
    finally:
        ende.set()
        server.join(30)

    print(
        f"Gebaut: {gesamt.nachrichten} Zusammenfassungen für {gesamt.adressen} Adressen "
        f"({gesamt.abonnements} Abonnements, {gesamt.ohne_neues} ohne Neues, {gesamt.fehler} Fehler)"
    )
    print(f"Bauen:   {bauen:6.1f} s in {len(je_stapel)} Stapeln, Abfragen je Stapel {min(je_stapel)}–{max(je_stapel)}")
    print(
        f"Senden:  {versand:6.1f} s in {len(senden_je_stapel)} Stapeln, "
        f"Abfragen je Stapel {min(senden_je_stapel, default=0)}–{max(senden_je_stapel, default=0)}; "
        f"{gesendet} gesendet, {zaehler.nachrichten} beim SMTP-Server angekommen ({zaehler.bytes / 1e6:.1f} MB)"
    )
    summe = bauen + versand
    ok = summe <= ZIEL_SEKUNDEN and gesamt.fehler == 0 and gesendet == gesamt.nachrichten == zaehler.nachrichten
    print(f"Gesamt:  {summe:6.1f} s (Ziel ≤ {ZIEL_SEKUNDEN:.0f} s): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
    sys.exit(main())
