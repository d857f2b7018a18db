"""The councillors' notifications (issue 18, item 3): building the daily digest and handing it to SMTP.

    .venv/bin/python benchmarks/bench_benachrichtigungen.py [--ratsmitglieder 2000] [--vorlagen 4000]

A fresh database of its own (SQLite in a temporary folder, or ``RATSINFO_BENCH_DATABASE_URL``, which is
migrated and filled, so never point it at a database with data you need): 40 Gremien, ``--ratsmitglieder``
councillors with two seats each and the daily digest chosen, ``--vorlagen`` Vorlagen published in the window
(every third non-public, each with a Beratung in one Gremium), 200 coming Sitzungen with 10 changed TOPs each,
100 Nachträge and 100 published Niederschriften. Then ``benachrichtigungen_senden(rhythmus="taeglich")`` runs
once, as ``manage.py benachrichtigungen_senden --taeglich`` does, with the immediate task backend and the SMTP
backend pointed at an aiosmtpd server in this process: every mail is built, stored in the outbox and sent.
Printed: the time, mails per second, and the SQL queries per batch of 200 users (they must not grow with the
news). Exit status 1 when a batch costs more queries than the smallest.
"""

import argparse
import datetime
import logging
import os
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.umgebung import eigene_daten


def freier_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Zaehler:
    def __init__(self):
        self.anzahl = 0

    async def handle_DATA(self, server, session, envelope):
        self.anzahl += 1
        return "250 2.0.0 Ok"


def fuellen(ratsmitglieder, vorlagen):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from einberufung.models import Einberufung
    from gremien.models import Ausschuss, Dienststelle, Mitgliedschaft, Person
    from konten.models import Benachrichtigungseinstellung
    from protokoll.models import Niederschrift
    from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
    from vorlagen.models import Vorlage

    jetzt = timezone.now()
    vorhin = jetzt - datetime.timedelta(minutes=30)
    User = get_user_model()
    with transaction.atomic():
        gremien = Ausschuss.objects.bulk_create(
            Ausschuss(name=f"Ausschuss {n}", kurzname=f"A{n}", slug=f"bench-{n}") for n in range(40)
        )
        benutzer = User.objects.bulk_create(
            User(username=f"rat{n}", email=f"rat{n}@example.org", first_name="Rat", last_name=str(n))
            for n in range(ratsmitglieder)
        )
        personen = Person.objects.bulk_create(
            Person(vorname="Rat", nachname=str(n), benutzer=b) for n, b in enumerate(benutzer)
        )
        beginn = timezone.localdate() - datetime.timedelta(days=100)
        Mitgliedschaft.objects.bulk_create(
            Mitgliedschaft(person=p, ausschuss=gremien[(n + k * 7) % 40], beginn=beginn)
            for n, p in enumerate(personen)
            for k in range(2)
        )
        Benachrichtigungseinstellung.objects.bulk_create(
            Benachrichtigungseinstellung(
                benutzer=b,
                neue_vorlagen=True,
                tagesordnung=True,
                nachtraege=True,
                niederschriften=True,
                rhythmus="taeglich",
                gesendet_bis=jetzt - datetime.timedelta(days=1),
            )
            for b in benutzer
        )
        dienststelle = Dienststelle.objects.create(name="Bench-Amt", kurzname="BA")
        neue = Vorlage.objects.bulk_create(
            Vorlage(
                art="beschlussvorlage",
                nummer=n + 1,
                jahr=2026,
                kennung=f"grdrs-{n + 1}-2026",
                datum=timezone.localdate(),
                dienststelle=dienststelle,
                titel=f"Bench-Vorlage {n}",
                status="veroeffentlicht",
                veroeffentlicht_am=vorhin,
                oeffentlich=n % 3 != 0,
            )
            for n in range(vorlagen)
        )
        Beratung.objects.bulk_create(
            Beratung(vorlage=v, ausschuss=gremien[n % 40], rolle="vorberatung", termin=timezone.localdate())
            for n, v in enumerate(neue)
        )
        kommende = Sitzung.objects.bulk_create(
            Sitzung(ausschuss=gremien[n % 40], beginn=jetzt + datetime.timedelta(days=3 + n % 20), status="einberufen")
            for n in range(200)
        )
        Tagesordnungspunkt.objects.bulk_create(
            Tagesordnungspunkt(sitzung=s, nummer=str(k + 1), reihenfolge=k + 1, titel=f"Punkt {k}", oeffentlich=k < 7)
            for s in kommende
            for k in range(10)
        )
        Tagesordnungspunkt.objects.update(geaendert_am=vorhin, erstellt_am=vorhin)
        Einberufung.objects.bulk_create(
            Einberufung(
                sitzung=s, art=art, nummer=nummer, versendet_am=vorhin, ladungsfrist_tage=7, frist_eingehalten=True
            )
            for s in kommende[:100]
            for art, nummer in (("einladung", 0), ("nachtrag", 1))
        )
        vergangene = Sitzung.objects.bulk_create(
            Sitzung(ausschuss=gremien[n % 40], beginn=jetzt - datetime.timedelta(days=10 + n)) for n in range(100)
        )
        Niederschrift.objects.bulk_create(Niederschrift(sitzung=s, veroeffentlicht_am=vorhin) for s in vergangene)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratsmitglieder", type=int, default=2000)
    parser.add_argument("--vorlagen", type=int, default=4000)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    # aiosmtpd logs every SMTP command at INFO: thousands of lines, and time, that are not Ratsinfo's.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    zaehler = Zaehler()
    port = freier_port()
    controller = Controller(zaehler, hostname="127.0.0.1", port=port)
    controller.start()
    eigene_daten("ratsinfo-bench-benachrichtigungen-")
    os.environ.update(
        DJANGO_DEBUG="0",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(port),
        RATSINFO_TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from konten import services
    from post.models import Nachricht

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    fuellen(args.ratsmitglieder, args.vorlagen)
    print(
        f"Daten: {args.ratsmitglieder} Ratsmitglieder, {args.vorlagen} neue Vorlagen ({time.perf_counter() - t0:.1f} s)"
    )

    # Queries per batch, counted up to its commit: the sending after it is the worker's, per message by design.
    je_stapel = []
    ohne_transaktion = services._stapel_senden.__wrapped__

    def gezaehlt(**kwargs):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as abfragen:
                ergebnis = ohne_transaktion(**kwargs)
            je_stapel.append((len(abfragen.captured_queries), ergebnis[1]))
        return ergebnis

    services._stapel_senden = gezaehlt
    zeiten = {"lesen": 0.0, "mails": 0.0}

    def gestoppt(name, funktion):
        def gemessen(*args, **kwargs):
            anfang = time.perf_counter()
            try:
                return funktion(*args, **kwargs)
            finally:
                zeiten[name] += time.perf_counter() - anfang

        return gemessen

    services.neuigkeiten_fuer = gestoppt("lesen", services.neuigkeiten_fuer)
    services._mail = gestoppt("mails", services._mail)
    start = time.perf_counter()
    eingereiht = services.benachrichtigungen_senden(rhythmus="taeglich")
    dauer = time.perf_counter() - start
    controller.stop()

    gesendet = Nachricht.objects.filter(status="gesendet").count()
    mittel = sum(len(n.text) for n in Nachricht.objects.only("text")[:50]) // max(1, min(50, gesendet))
    print(f"Tägliche Zusammenfassung: {eingereiht} eingereiht, {gesendet} gesendet, {zaehler.anzahl} beim SMTP-Server")
    print(f"  {dauer:.2f} s gesamt, {eingereiht / dauer:.0f} Mails/s (Text im Mittel {mittel} Zeichen)")
    print(
        f"  davon Neuigkeiten lesen {zeiten['lesen']:.2f} s, Mails bauen {zeiten['mails']:.2f} s, "
        f"Einreihen und Senden (SMTP) {dauer - zeiten['lesen'] - zeiten['mails']:.2f} s"
    )
    stapel = [abfragen for abfragen, mails in je_stapel if mails]
    print(f"  {len(stapel)} Stapel mit Mails; Abfragen je Stapel: {sorted(set(stapel))}")
    return 0 if stapel and len(set(stapel)) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
