"""``manage.py demodaten_laden``: fill an empty site with Stuttgart demo data, or bring it up to date.

Loads the seed Mitteilungsvorlage verbatim, Stuttgart's committees, Bezirksbeiräte, Fraktionen and Referate,
councillors with their seats, and enough Vorlagen and Sitzungen, past and future, public and non-public, for every
page to have something to show. Running it again creates and changes nothing. The data lives in
``demodaten/``.

``--demo-zugaenge`` adds a councillor and a clerk account with the password "demo" (never in production); it does
so also when ``--nur-wenn-leer`` finds data and loads nothing, so ``make run`` always ends with working logins.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demodaten.laden import DemodatenFehler, demodaten_laden
from demodaten.zugaenge import PASSWORT, demo_zugaenge_anlegen
from gremien.models import Ausschuss, Dienststelle, Mitgliedschaft, Ort, Person
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from suche.services import suchwoerter_aufbauen
from vorlagen.models import Anlage, Vorlage


class Command(BaseCommand):
    help = (
        "Lädt die Demodaten (Gremien, Dienststellen, Personen, Vorlagen, Anlagen, Sitzungen). Wiederholte Läufe "
        "legen nichts doppelt an."
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
        parser.add_argument(
            "--demo-zugaenge",
            action="store_true",
            help=f"Legt die Demo-Zugänge „ratsmitglied“ und „sachbearbeitung“ mit dem Passwort „{PASSWORT}“ an, "
            "auch wenn --nur-wenn-leer die Daten überspringt. Nicht in Produktion.",
        )

    def handle(self, *args, nur_wenn_leer=False, stichtag=None, demo_zugaenge=False, verbosity=1, **options):
        if demo_zugaenge and settings.PRODUCTION:
            # Checked before anything is written: a known password has no place on a public site.
            raise CommandError("Demo-Zugänge mit bekanntem Passwort werden in Produktion nicht angelegt.")
        if nur_wenn_leer and Vorlage.objects.exists():
            if verbosity:
                self.stdout.write("Es gibt schon Vorlagen; die Demodaten werden nicht geladen.")
        else:
            try:
                ergebnis = demodaten_laden(stichtag=stichtag)
            except (DemodatenFehler, ValidationError) as fehler:
                raise CommandError(f"Die Demodaten konnten nicht geladen werden: {fehler}") from fehler
            # The vocabulary of "Meinten Sie …" comes from the public content just loaded.
            suchwoerter_aufbauen()
            if verbosity:
                self.zusammenfassung(ergebnis)
        if demo_zugaenge:
            zugaenge = demo_zugaenge_anlegen()
            if verbosity:
                self.zugaenge_ausgeben(zugaenge)

    def zugaenge_ausgeben(self, zugaenge):
        self.stdout.write(self.style.SUCCESS(f"Demo-Zugänge (Passwort „{PASSWORT}“, sofern nicht geändert):"))
        breite = max(len(zugang.benutzername) for zugang in zugaenge)
        for zugang in zugaenge:
            stand = "angelegt" if zugang.angelegt else "vorhanden"
            self.stdout.write(f"  {zugang.benutzername:<{breite}}  {zugang.beschreibung} ({stand})")
            for hinweis in zugang.hinweise:
                self.stdout.write(self.style.WARNING(f"  {'':<{breite}}  {hinweis}"))

    def zusammenfassung(self, ergebnis):
        jetzt = timezone.now()
        zeilen = [
            f"Gremien: {Ausschuss.objects.gremien().count()}, "
            f"Fraktionen: {Ausschuss.objects.filter(art=Ausschuss.Art.FRAKTION).count()}",
            f"Dienststellen: {Dienststelle.objects.count()}, Orte: {Ort.objects.count()}",
            f"Personen: {Person.objects.count()} "
            f"(Einwilligung Kontaktdaten: {Person.objects.filter(kontakt_veroeffentlichen=True).count()}), "
            f"Mitgliedschaften: {Mitgliedschaft.objects.count()} "
            f"(aktuell: {Mitgliedschaft.objects.aktuell().count()})",
            f"Vorlagen: {Vorlage.objects.count()} "
            f"(davon Entwürfe: {Vorlage.objects.filter(status=Vorlage.Status.ENTWURF).count()}, "
            f"nichtöffentlich: {Vorlage.objects.filter(oeffentlich=False).count()}, "
            f"vertraulich: {Vorlage.objects.filter(vertraulich=True).count()}), "
            f"Anlagen: {Anlage.objects.count()} "
            f"(nichtöffentlich: {Anlage.objects.filter(oeffentlich=False).count()})",
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
