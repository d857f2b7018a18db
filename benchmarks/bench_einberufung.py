"""The Einladung of a 60-member Gemeinderat (issue 18): built, stored and handed to a real SMTP server in ≤ 5 s.

Run from the repository root: ``PYTHONPATH=. DJANGO_SETTINGS_MODULE=ratsinfo.settings .venv/bin/python
benchmarks/bench_einberufung.py``. Uses its own temporary SQLite database (RATSINFO_DATA_DIR; PostgreSQL with
RATSINFO_BENCH_DATABASE_URL) and starts aiosmtpd on 127.0.0.1, which the project's mailer (post.smtp) sends to as in
production. The Gemeinderat has 60 seats (48 members, 12 deputies; 50 with an account, so the rule is asked per
account), the Sitzung 30 TOPs (24 public, 6 non-public) each with a Vorlage; the clerk adds 5 extra recipients.
Each round sends the Einladung of a fresh Sitzung with the embedded task backend (the worker's sending runs on
commit, in this process): the time until every mail is accepted by the server. Prints a Markdown table.
"""

import datetime
import logging
import os
import socket
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.umgebung import eigene_daten

DATEN = eigene_daten("ratsinfo-bench-einberufung-")

MITGLIEDER = 60
STELLVERTRETUNGEN = 12
MIT_KONTO = 50
TOPS = 30
NICHTOEFFENTLICH = 6
WEITERE = 5
RUNDEN = 3
ZIEL_SEKUNDEN = 5.0


class Postfach:
    def __init__(self):
        self.anzahl = 0

    async def handle_DATA(self, server, session, envelope):
        self.anzahl += 1
        return f"250 2.0.0 Ok: queued as B{self.anzahl}"


def freier_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gremium_anlegen():
    from django.contrib.auth import get_user_model

    from gremien.models import Ausschuss, Mitgliedschaft, Person

    ausschuss = Ausschuss.objects.create(
        name="Benchmark-Gemeinderat", slug="benchmark-gemeinderat", art=Ausschuss.Art.GEMEINDERAT
    )
    for i in range(MITGLIEDER):
        benutzer = None
        if i < MIT_KONTO:
            benutzer = get_user_model().objects.create_user(f"rat{i}", email=f"rat{i}@example.org", password=None)
        person = Person.objects.create(
            vorname=f"Vorname{i}", nachname=f"Stadtrat{i:02d}", email=f"person{i}@example.org", benutzer=benutzer
        )
        Mitgliedschaft.objects.create(
            person=person,
            ausschuss=ausschuss,
            rolle="stellvertretung" if i >= MITGLIEDER - STELLVERTRETUNGEN else ("vorsitz" if i == 0 else "mitglied"),
            beginn=datetime.date(2024, 7, 25),
        )
    return ausschuss


def sitzung_anlegen(ausschuss, runde):
    from django.utils import timezone

    from gremien.models import Dienststelle
    from sitzungen.models import Sitzung, Tagesordnungspunkt
    from vorlagen.models import Vorlage

    dienststelle, _ = Dienststelle.objects.get_or_create(name="Benchmark-Referat", kurzname="BR")
    beginn = timezone.now().replace(hour=16, minute=0, second=0, microsecond=0) + datetime.timedelta(days=20 + runde)
    sitzung = Sitzung.objects.create(ausschuss=ausschuss, beginn=beginn, ende=beginn + datetime.timedelta(hours=4))
    for i in range(TOPS):
        oeffentlich = i < TOPS - NICHTOEFFENTLICH
        vorlage = Vorlage.objects.create(
            art=Vorlage.Art.BESCHLUSSVORLAGE,
            nummer=1000 * (runde + 1) + i,
            jahr=2026,
            kennung=f"grdrs-{1000 * (runde + 1) + i}-2026",
            datum=datetime.date(2026, 11, 2),
            dienststelle=dienststelle,
            titel=f"Benchmark-Vorlage {i}: Sanierung und Erweiterung der Grundschule im Stadtbezirk {i}",
            status=Vorlage.Status.VEROEFFENTLICHT,
            veroeffentlicht_am=timezone.now(),
            oeffentlich=oeffentlich,
        )
        top = Tagesordnungspunkt.objects.create(
            sitzung=sitzung,
            nummer=str(i + 1 if oeffentlich else i - (TOPS - NICHTOEFFENTLICH) + 1),
            reihenfolge=i + 1,
            oeffentlich=oeffentlich,
            titel=vorlage.titel,
        )
        top.vorlagen.set([vorlage])
    return sitzung


def main():
    from aiosmtpd.controller import Controller

    # aiosmtpd logs every command at INFO; a real server does not write into the sender's process.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    postfach = Postfach()
    port = freier_port()
    controller = Controller(postfach, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ["DJANGO_EMAIL_BACKEND"] = "post.smtp.EmailBackend"
    os.environ["DJANGO_EMAIL_HOST"] = "127.0.0.1"
    os.environ["DJANGO_EMAIL_PORT"] = str(port)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        from einberufung.services import einladung_versenden
        from post.models import Nachricht

        call_command("migrate", verbosity=0)
        ausschuss = gremium_anlegen()
        sachbearbeitung = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-123")
        weitere = [(f"Gast {i}", f"gast{i}@example.org") for i in range(WEITERE)]
        gesamt, aufbau, ergebnisse = [], [], []
        for runde in range(RUNDEN):
            sitzung = sitzung_anlegen(ausschuss, runde)
            vorher = postfach.anzahl
            with CaptureQueriesContext(connection) as abfragen:
                start = time.perf_counter()
                with transaction.atomic():
                    versand = einladung_versenden(sitzung=sitzung, user=sachbearbeitung, weitere_empfaenger=weitere)
                    gebaut = time.perf_counter()
                # Leaving the block commits; the embedded task backend sends every batch on commit.
                fertig = time.perf_counter()
            angekommen = postfach.anzahl - vorher
            gesendet = Nachricht.objects.filter(
                ladung__einberufung=versand.einberufung, status=Nachricht.Status.GESENDET
            ).count()
            gesamt.append(fertig - start)
            aufbau.append(gebaut - start)
            ergebnisse.append((len(versand.ladungen), angekommen, gesendet, len(abfragen)))
        anzahl, angekommen, gesendet, abfragen = ergebnisse[-1]
        datenbank = connection.vendor
        print(
            f"Einladung, {MITGLIEDER} Sitze ({MIT_KONTO} mit Konto), {TOPS} TOPs ({NICHTOEFFENTLICH} nö.), "
            f"{WEITERE} weitere Empfänger; {datenbank}, Task-Backend {settings.TASKS['default']['BACKEND']}"
        )
        print()
        print("| Messung | Wert | Ziel |")
        print("|---|---|---|")
        print(
            f"| Nachrichten je Einladung (vom Server angenommen / gesendet) | {anzahl} ({angekommen} / {gesendet}) "
            "| alle |"
        )
        print(f"| Bauen und Speichern (Median von {RUNDEN}) | {statistics.median(aufbau):.2f} s | |")
        print(
            f"| Einladung bis zur letzten angenommenen Mail (Median von {RUNDEN}; "
            f"alle: {', '.join(f'{t:.2f}' for t in gesamt)} s) | {statistics.median(gesamt):.2f} s "
            f"| ≤ {ZIEL_SEKUNDEN:.0f} s |"
        )
        print(f"| SQL-Abfragen einer Einladung samt Versand | {abfragen} | |")
        ok = all(a == g == n for n, a, g, _ in ergebnisse) and max(gesamt) <= ZIEL_SEKUNDEN
        print()
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
