from django.core.management.base import BaseCommand

from mitzeichnung.services import erinnerungen_senden


class Command(BaseCommand):
    help = (
        "Erinnert an offene Mitzeichnungen und Freigaben, deren Frist heute endet oder abgelaufen ist: eine E-Mail je "
        "Schritt und Tag an die Zuständigen und die Vertretung (cron einmal am Tag; ein zweiter Lauf am selben Tag "
        "sendet nichts)."
    )

    def handle(self, *args, **options):
        anzahl = erinnerungen_senden()
        self.stdout.write(f"{anzahl} Erinnerungen in den Postausgang gestellt.")
