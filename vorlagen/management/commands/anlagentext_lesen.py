from django.core.management.base import BaseCommand

from vorlagen.models import Anlage
from vorlagen.services import anlage_text_aktualisieren
from vorlagen.tasks import anlage_text_lesen


class Command(BaseCommand):
    help = (
        "Liest den Text der Anlagen (Seite für Seite) für die Suche: ohne Option die noch ausstehenden und "
        "fehlgeschlagenen, mit --alle jede Anlage neu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--alle", action="store_true", help="auch Anlagen, deren Text schon gelesen ist")
        parser.add_argument(
            "--im-hintergrund",
            action="store_true",
            help="als Aufgaben an den Worker geben (RATSINFO_TASKS_BACKEND) statt hier zu lesen",
        )

    def handle(self, *args, alle=False, im_hintergrund=False, verbosity=1, **options):
        anlagen = Anlage.objects.order_by("pk")
        if not alle:
            anlagen = anlagen.filter(textstatus__in=[Anlage.Textstatus.AUSSTEHEND, Anlage.Textstatus.FEHLER])
        zaehler = {}
        for anlage_id in anlagen.values_list("pk", flat=True).iterator():
            if im_hintergrund:
                anlage_text_lesen.enqueue(anlage_id)
                zaehler["übergeben"] = zaehler.get("übergeben", 0) + 1
                continue
            anlage = anlage_text_aktualisieren(anlage_id=anlage_id)
            if anlage is not None:
                status = anlage.get_textstatus_display()
                zaehler[status] = zaehler.get(status, 0) + 1
        if verbosity:
            teile = ", ".join(f"{status}: {anzahl}" for status, anzahl in zaehler.items()) or "nichts zu tun"
            self.stdout.write(f"Anlagen: {teile}")
