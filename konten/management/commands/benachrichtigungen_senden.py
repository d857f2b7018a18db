from django.core.management.base import BaseCommand

from konten.models import Benachrichtigungseinstellung
from konten.services import benachrichtigungen_senden


class Command(BaseCommand):
    help = (
        "Stellt die Benachrichtigungen der Ratsmitglieder in den Postausgang: ohne Option für „sofort“ (cron alle "
        "fünf Minuten), mit --taeglich die tägliche Zusammenfassung (cron einmal am Tag)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--taeglich", action="store_true", help="Die tägliche Zusammenfassung statt der sofortigen Nachrichten."
        )

    def handle(self, *args, taeglich=False, **options):
        rhythmus = (
            Benachrichtigungseinstellung.Rhythmus.TAEGLICH if taeglich else Benachrichtigungseinstellung.Rhythmus.SOFORT
        )
        anzahl = benachrichtigungen_senden(rhythmus=rhythmus)
        self.stdout.write(f"{anzahl} Benachrichtigungen in den Postausgang gestellt.")
