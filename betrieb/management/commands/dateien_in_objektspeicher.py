"""``manage.py dateien_in_objektspeicher``: move an installation's files from its folders into the bucket.

Run with the settings of the new setup (``RATSINFO_SPEICHER=s3`` and the bucket's variables) while the folders
are still where ``RATSINFO_ANLAGEN_ROOT`` and ``RATSINFO_DRUCK_ROOT`` say. Every file is copied under the same
name (the database's file names stay valid) and read back from the bucket to compare its sha256 with the file on
disk. A second run copies only what is missing or differs, so an interrupted run is simply started again.
``--loeschen`` removes the files from disk, and only when every file of every folder has been verified.
Kept uploads (``zwischenspeicher``) are not moved: they live a day and are chosen again.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from ratsinfo.speicher import SpeicherNichtErreichbar, ist_objektspeicher


def sha256_datei(pfad):
    summe = hashlib.sha256()
    with open(pfad, "rb") as datei:
        while block := datei.read(1024 * 1024):
            summe.update(block)
    return summe.hexdigest()


class Command(BaseCommand):
    help = (
        "Kopiert die Anlagen und PDFs aus den lokalen Ordnern in den Objektspeicher (RATSINFO_SPEICHER=s3) und "
        "prüft jede Datei per Prüfsumme; ein erneuter Lauf setzt fort. Mit --loeschen werden die lokalen Dateien "
        "erst entfernt, wenn alle geprüft sind."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loeschen", action="store_true", help="die lokalen Dateien entfernen, wenn alle bestätigt sind"
        )

    def ordner(self):
        return {"anlagen": Path(settings.ANLAGEN_ROOT), "druck": Path(settings.DRUCK_ROOT)}

    def handle(self, *args, loeschen=False, **optionen):
        ordner = self.ordner()
        for alias in ordner:
            if not ist_objektspeicher(storages[alias]):
                raise CommandError(
                    f"Der Speicher „{alias}“ ist kein Objektspeicher: setzen Sie RATSINFO_SPEICHER=s3 und die "
                    "RATSINFO_S3_…-Variablen (docs/betrieb.md), bevor Sie die Dateien umziehen."
                )
        kopiert = bestaetigt = 0
        abweichend = []
        geprueft = []
        try:
            for alias, wurzel in ordner.items():
                ziel = storages[alias]
                dateien = sorted(p for p in wurzel.rglob("*") if p.is_file()) if wurzel.is_dir() else []
                for pfad in dateien:
                    name = pfad.relative_to(wurzel).as_posix()
                    summe = sha256_datei(pfad)
                    if ziel.exists(name) and ziel.pruefsumme(name) == summe:
                        bestaetigt += 1
                        geprueft.append(pfad)
                        continue
                    with open(pfad, "rb") as quelle:
                        # _save keeps the name: the database refers to it, and on disk it was unique already.
                        ziel._save(name, File(quelle, name=name))
                    kopiert += 1
                    if ziel.pruefsumme(name) == summe:
                        geprueft.append(pfad)
                    else:
                        abweichend.append(f"{alias}/{name}")
                    if optionen.get("verbosity", 1) >= 2:
                        self.stdout.write(f"{alias}/{name}")
        except SpeicherNichtErreichbar as fehler:
            raise CommandError(
                f"Der Objektspeicher ist nicht erreichbar ({fehler}). Bisher kopiert: {kopiert}, bestätigt: "
                f"{len(geprueft)}. Starten Sie den Befehl erneut; er setzt fort."
            ) from None
        if abweichend:
            raise CommandError(
                f"{len(abweichend)} Datei(en) weichen im Objektspeicher von der Platte ab (Prüfsumme): "
                f"{', '.join(abweichend[:10])}. Nichts wurde gelöscht; starten Sie den Befehl erneut."
            )
        self.stdout.write(
            f"{len(geprueft)} Datei(en) im Objektspeicher per Prüfsumme bestätigt, davon {kopiert} jetzt kopiert."
        )
        if loeschen:
            for pfad in geprueft:
                pfad.unlink()
            self.stdout.write(f"{len(geprueft)} lokale Datei(en) entfernt.")
