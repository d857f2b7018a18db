"""``manage.py demodaten_laden``: fill an empty site with Stuttgart demo data, or bring it up to date.

Loads the seed Mitteilungsvorlage verbatim, Stuttgart's committees, Bezirksbeiräte, Fraktionen and Referate,
and enough Vorlagen and Sitzungen, past and future, for every page to have something to show. Running it again
creates and changes nothing. The data lives in ``ratsinfo/demodaten/``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ratsinfo.demodaten.laden import DemodatenFehler, demodaten_laden
from sitzungen.models import Ausschuss, Beratung, Ort, Sitzung, Tagesordnungspunkt
from vorlagen.models import Anlage, Dienststelle, Vorlage


class Command(BaseCommand):
    help = (
        "Lädt die Demodaten (Gremien, Dienststellen, Vorlagen, Anlagen, Sitzungen). Wiederholte Läufe legen "
        "nichts doppelt an."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--nur-wenn-leer",
            action="store_true",
            help="Nichts tun, wenn es schon eine Vorlage gibt (für den Start mit „make run“).",
        )
        parser.add_argument(
            "--stichtag",
            type=datetime.date.fromisoformat,
            metavar="JJJJ-MM-TT",
            help="Bezugstag für vergangene und kommende Sitzungen. Ohne Angabe: der Bezugstag eines früheren "
            "Laufs, sonst heute. Nach einem früheren Lauf nur in dessen Woche erlaubt.",
        )

    def handle(self, *args, nur_wenn_leer=False, stichtag=None, verbosity=1, **options):
        if nur_wenn_leer and Vorlage.objects.exists():
            if verbosity:
                self.stdout.write("Es gibt schon Vorlagen; die Demodaten werden nicht geladen.")
            return
        try:
            ergebnis = demodaten_laden(stichtag=stichtag)
        except (DemodatenFehler, ValidationError) as fehler:
            raise CommandError(f"Die Demodaten konnten nicht geladen werden: {fehler}") from fehler
        if verbosity:
            self.zusammenfassung(ergebnis)

    def zusammenfassung(self, ergebnis):
        jetzt = timezone.now()
        zeilen = [
            f"Gremien: {Ausschuss.objects.gremien().count()}, "
            f"Fraktionen: {Ausschuss.objects.filter(art=Ausschuss.Art.FRAKTION).count()}",
            f"Dienststellen: {Dienststelle.objects.count()}, Orte: {Ort.objects.count()}",
            f"Vorlagen: {Vorlage.objects.count()} "
            f"(davon Entwürfe: {Vorlage.objects.filter(status=Vorlage.Status.ENTWURF).count()}), "
            f"Anlagen: {Anlage.objects.count()}",
            f"Sitzungen: {Sitzung.objects.count()} "
            f"(vergangen: {Sitzung.objects.vergangene(jetzt).count()}, "
            f"kommend: {Sitzung.objects.kommende(jetzt).count()})",
            f"Tagesordnungspunkte: {Tagesordnungspunkt.objects.count()} "
            f"(nichtöffentlich: {Tagesordnungspunkt.objects.filter(oeffentlich=False).count()}), "
            f"Beratungen: {Beratung.objects.count()}",
        ]
        angelegt = sum(ergebnis.angelegt.values())
        geaendert = sum(ergebnis.geaendert.values())
        if ergebnis.geschrieben:
            kopf = f"Demodaten geladen: {angelegt} Datensätze angelegt, {geaendert} geändert."
        else:
            kopf = "Demodaten sind vollständig; nichts geändert."
        self.stdout.write(self.style.SUCCESS(kopf))
        for zeile in zeilen:
            self.stdout.write(f"  {zeile}")
        woche = f"{ergebnis.wochenbeginn:%d.%m.%Y}"
        if ergebnis.aus_frueherem_lauf:
            self.stdout.write(f"  Termine bezogen auf die Woche ab {woche} (vom ersten Lauf übernommen).")
        else:
            self.stdout.write(f"  Termine bezogen auf die Woche ab {woche}.")
