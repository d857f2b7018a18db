from django.core.management.base import BaseCommand

from post.versand import faellige_senden


class Command(BaseCommand):
    help = (
        "Sendet alle fälligen Nachrichten des Postausgangs (neue, zu wiederholende und von einem abgebrochenen "
        "Worker liegen gelassene). Für cron oder einen systemd-Timer, jede Minute."
    )

    def handle(self, *args, **options):
        gesendet, fehlgeschlagen, wartend = faellige_senden()
        self.stdout.write(
            f"{gesendet} gesendet, {fehlgeschlagen} fehlgeschlagen, {wartend} warten auf einen neuen Versuch."
        )
