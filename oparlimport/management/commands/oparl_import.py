import datetime
import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from oparlimport.abruf import Abruf, AbrufFehler
from oparlimport.services import oparl_importieren


class Command(BaseCommand):
    help = (
        "Importiert Gremien, Personen, Sitzungen, Tagesordnungen, Vorlagen und Beratungen aus einer "
        "OParl-Schnittstelle (1.0 oder 1.1). Ein zweiter Lauf ändert nichts, was sich nicht geändert hat."
    )

    def add_arguments(self, parser):
        parser.add_argument("system_url", help="Adresse des OParl-System-Objekts")
        parser.add_argument(
            "--since",
            help="nur seit diesem Zeitpunkt Geändertes (modified_since), z. B. 2021-05-01T00:00:00+02:00",
        )
        parser.add_argument("--dateien", action="store_true", help="Dateien der Vorlagen herunterladen (Anlagen)")
        parser.add_argument("--dienststelle", help="Dienststelle für Vorlagen ohne federführende Stelle")
        parser.add_argument(
            "--host",
            action="append",
            default=[],
            dest="hosts",
            help="weiterer Host, von dem Dateien geladen werden dürfen (mehrfach möglich), z. B. dateien.example.org",
        )
        parser.add_argument(
            "--nichtoeffentlich-ab",
            metavar="MUSTER",
            help="Regel für diese Quelle: ein TOP ohne Beratung, dessen Name ganz auf dieses Muster passt (regulärer "
            "Ausdruck, z. B. „Nichtöffentliche Sitzung“), beginnt den nichtöffentlichen Teil. Ohne sie ist nur "
            "nichtöffentlich, was die Quelle mit public: false so nennt.",
        )
        parser.add_argument("--timeout", type=float, help="Zeitlimit je Anfrage in Sekunden (insgesamt)")
        parser.add_argument("--versuche", type=int, help="Versuche je Anfrage bei Serverfehlern")
        parser.add_argument("--wartezeit", type=float, help="erste Wartezeit vor einem neuen Versuch in Sekunden")

    def handle(
        self,
        *args,
        system_url,
        since,
        dateien,
        dienststelle,
        hosts,
        nichtoeffentlich_ab,
        timeout,
        versuche,
        wartezeit,
        **options,
    ):
        if nichtoeffentlich_ab:
            try:
                re.compile(nichtoeffentlich_ab)
            except re.error as fehler:
                raise CommandError(f"„{nichtoeffentlich_ab}“ ist kein gültiges Muster: {fehler}.") from None
        try:
            URLValidator(schemes=["http", "https"])(system_url)
        except ValidationError:
            raise CommandError(f"„{system_url}“ ist keine gültige http(s)-Adresse eines OParl-Systems.") from None
        if since:
            try:
                zeit = datetime.datetime.fromisoformat(since)
            except ValueError:
                raise CommandError(
                    f"„{since}“ ist kein Zeitpunkt; erwartet wird z. B. 2021-05-01T00:00:00+02:00."
                ) from None
            if zeit.tzinfo is None:
                raise CommandError(f"Bei „{since}“ fehlt die Zeitzone, z. B. +02:00.")
            since = zeit.isoformat()
        verbosity = options["verbosity"]
        try:
            abruf = Abruf(timeout=timeout, versuche=versuche, wartezeit=wartezeit, hosts=hosts)
        except ValueError as fehler:
            raise CommandError(str(fehler)) from None
        try:
            bericht = oparl_importieren(
                system_url=system_url,
                abruf=abruf,
                seit=since,
                dateien=dateien,
                dienststelle=dienststelle,
                nichtoeffentlich_ab=nichtoeffentlich_ab,
                ausgabe=self.stdout.write if verbosity > 0 else None,
            )
        except AbrufFehler as fehler:
            raise CommandError(f"Der Import ist abgebrochen: {fehler.grund}") from None
        finally:
            abruf.schliessen()
        if verbosity > 0:
            for zeile in bericht.zeilen():
                self.stdout.write(zeile)
