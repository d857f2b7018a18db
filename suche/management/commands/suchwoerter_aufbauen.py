from django.core.management.base import BaseCommand

from suche.services import suchwoerter_aufbauen


class Command(BaseCommand):
    help = "Baut die Wortliste für „Meinten Sie …“ aus den öffentlichen Inhalten neu auf (z. B. nächtlich)."

    def handle(self, *args, verbosity=1, **options):
        anzahl = suchwoerter_aufbauen()
        if verbosity:
            self.stdout.write(f"{anzahl} Wörter in der Wortliste.")
