"""``manage.py abonnements_senden``: the daily run (cron, 06:00) that builds and queues the citizens' digests."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from abonnements.zusammenfassung import STAPEL, zusammenfassungen_einreihen


class Command(BaseCommand):
    help = "Baut die fälligen Zusammenfassungen der Abonnements (täglich, wöchentlich) und reiht sie zum Versand ein."

    def add_arguments(self, parser):
        parser.add_argument("--stapel", type=int, default=STAPEL, help="Adressen je Durchgang (Vorgabe: %(default)s)")

    def handle(self, *args, stapel, **options):
        if stapel < 1:
            raise CommandError("--stapel muss mindestens 1 sein.")
        try:
            ergebnis = zusammenfassungen_einreihen(stapel=stapel)
        except DatabaseError as fehler:
            raise CommandError(
                f"Die Datenbank ist nicht erreichbar oder hat die Abfrage abgelehnt: {fehler}"
            ) from fehler
        self.stdout.write(
            f"{ergebnis.nachrichten} Zusammenfassungen eingereiht für {ergebnis.adressen} Adressen "
            f"({ergebnis.abonnements} Abonnements, {ergebnis.ohne_neues} Adressen ohne Neues, "
            f"{ergebnis.fehler} Fehler)."
        )
        if ergebnis.fehler:
            self.stderr.write(
                f"{ergebnis.fehler} Abonnements oder Adressen konnten nicht bearbeitet werden; "
                "sie werden beim nächsten Lauf erneut versucht (Einzelheiten im Log)."
            )
