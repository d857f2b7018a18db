"""File: the metadata of a Paper's or Meeting's files (written in bulk), and their download on request."""

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from oparlimport.abbildung.basis import Abbildung
from oparlimport.abruf import AbrufFehler
from oparlimport.lesen import Uebersprungen, datum_von, ganzzahl_von, grund_von, id_von, klartext, sicherer_dateiname
from oparlimport.models import Datei, Herkunft
from protokoll.models import Sitzungsdokument
from sitzungen.models import Tagesordnungspunkt
from vorlagen.dateipruefung import datei_pruefen
from vorlagen.models import Anlage
from vorlagen.validators import dateiname_pruefen

# The Meeting property a file came in, as the Art of the Sitzungsdokument it becomes (the others: Sonstiges).
SITZUNGSDOKUMENT_ART = {
    "invitation": Sitzungsdokument.Art.EINLADUNG,
    "resultsProtocol": Sitzungsdokument.Art.NIEDERSCHRIFT,
    "verbatimProtocol": Sitzungsdokument.Art.WORTPROTOKOLL,
}


class DateienAbbildung(Abbildung):
    """File: metadata in bulk, downloads on request."""

    def _dateien(self, eintraege, *, eltern, vorlage=None, sitzung=None):
        """The files of a Paper, Meeting or AgendaItem. New ones are written in bulk: they are the bulk of a large
        import (three per Vorlage in Hürtgenwald), and one savepoint and two inserts each would dominate its time."""
        neu = {}
        for objekt, rolle, reihenfolge in eintraege:
            if not isinstance(objekt, dict) or not id_von(objekt):
                continue
            kwargs = {"rolle": rolle, "reihenfolge": reihenfolge, "vorlage": vorlage, "sitzung": sitzung}
            if id_von(objekt) in neu:
                continue  # the same File twice in one object (e.g. invitation and auxiliaryFile): once is enough
            if id_von(objekt) in self.herkunft:
                self._in_seite(lambda o=objekt, k=kwargs: self.datei(o, eltern=eltern, **k), "File", objekt)
                continue
            try:
                datei = Datei(**self._datei_werte(objekt, **kwargs))
                # Vorlage or Sitzung is the record the importer has just written in this transaction (and the
                # database checks the keys anyway): Django's check would be one query per file.
                datei.full_clean(exclude=["vorlage", "sitzung"], validate_unique=False, validate_constraints=False)
            except ValidationError as fehler:
                self.bericht.ueberspringen("File", f"ungültig: {'; '.join(fehler.messages)[:200]}", id_von(objekt))
                continue
            except Uebersprungen as grund:
                self.bericht.ueberspringen("File", str(grund), id_von(objekt))
                continue
            neu[id_von(objekt)] = (datei, klartext(objekt.get("modified") or eltern.get("modified")))
        if not neu:
            return
        # No savepoint of its own: _dateien always runs inside its parent's isolation (the object's savepoint or
        # its page's transaction), which takes back files and Herkunft rows together with the parent.
        with transaction.atomic(savepoint=False):
            Datei.objects.bulk_create([datei for datei, _ in neu.values()])
            herkuenfte = Herkunft.objects.bulk_create(
                Herkunft(
                    quelle=self.quelle,
                    content_type=self.ct[Datei],
                    object_id=datei.pk,
                    oparl_id=datei.oparl_id,
                    typ="File",
                    modified=modified,
                )
                for datei, modified in neu.values()
            )
        for herkunft in herkuenfte:
            self.herkunft[herkunft.oparl_id] = herkunft
            self._neue_herkuenfte.append(herkunft.oparl_id)
            self.bericht.zaehlen("File", "angelegt")

    def _datei_werte(self, objekt, *, rolle, reihenfolge, vorlage, sitzung):
        access_url = klartext(objekt.get("accessUrl"), 1000)
        download_url = klartext(objekt.get("downloadUrl"), 1000)
        dateiname = klartext(objekt.get("fileName")) or PurePosixPath(urlsplit(download_url or access_url).path).name
        mime_typ = klartext(objekt.get("mimeType"), 100)
        return {
            "quelle": self.quelle,
            "oparl_id": id_von(objekt),
            "vorlage": vorlage,
            "sitzung": sitzung,
            "rolle": rolle,
            "reihenfolge": reihenfolge,
            "name": klartext(objekt.get("name"), 500),
            "dateiname": sicherer_dateiname(dateiname, mime_typ) if dateiname else "",
            "mime_typ": mime_typ,
            "datum": datum_von(objekt.get("date")),
            "groesse": ganzzahl_von(objekt.get("size")),
            "access_url": access_url,
            "download_url": download_url,
        }

    def datei(self, objekt, *, rolle, reihenfolge, eltern, vorlage=None, sitzung=None):
        modified = objekt.get("modified") or eltern.get("modified")
        werte = self._datei_werte(objekt, rolle=rolle, reihenfolge=reihenfolge, vorlage=vorlage, sitzung=sitzung)
        herkunft = self.herkunft.get(id_von(objekt))
        wieder_da = herkunft is not None and herkunft.geloescht
        datei = self._speichern(Datei, objekt, werte, typ="File", modified=modified)
        if wieder_da and datei.anlage_id and not datei.anlage.oeffentlich:
            # Hidden because the source had deleted the file (see loeschen): public again with it.
            datei.anlage.oeffentlich = True
            datei.anlage.full_clean(validate_unique=False, validate_constraints=False)
            datei.anlage.save(update_fields=["oeffentlich", "geaendert_am"])
        dokument = datei.sitzungsdokument if datei.sitzungsdokument_id else None
        if wieder_da and dokument and not dokument.oeffentlich and self._sitzungsdatei_oeffentlich(dokument.sitzung):
            dokument.oeffentlich = True
            dokument.full_clean(validate_unique=False, validate_constraints=False)
            dokument.save(update_fields=["oeffentlich", "geaendert_am"])

    @staticmethod
    def _sitzungsdatei_oeffentlich(sitzung):
        # Public as its metadata was (Datei.objects.sichtbar_fuer): a Sitzung's files and those of its TOPs come in
        # one list, so a non-public TOP could hide among them.
        return (
            sitzung.oeffentlich and not Tagesordnungspunkt.objects.filter(sitzung=sitzung, oeffentlich=False).exists()
        )

    def dateien_herunterladen(self):
        """Download the files of Vorlagen that have no Anlage yet, also those of earlier runs without --dateien.

        One transaction per file: a download that breaks off loses nothing already stored.
        """
        offen = Datei.objects.filter(quelle=self.quelle, vorlage__isnull=False, anlage__isnull=True).select_related(
            "vorlage"
        )
        for datei in offen.iterator():
            self._in_seite(lambda d=datei: self.herunterladen(d), "File", {"id": datei.oparl_id})
        offen = Datei.objects.filter(
            quelle=self.quelle, sitzung__isnull=False, sitzungsdokument__isnull=True
        ).select_related("sitzung")
        for datei in offen.iterator():
            self._in_seite(lambda d=datei: self.sitzungsdokument_herunterladen(d), "File", {"id": datei.oparl_id})

    def _inhalt(self, datei):
        url = datei.download_url or datei.access_url
        if not url:
            raise Uebersprungen("weder accessUrl noch downloadUrl")
        try:
            return self.abruf.bytes(url)
        except AbrufFehler as fehler:
            self.bericht.ueberspringen("File", f"Inhalt nicht abrufbar: {grund_von(fehler)}", datei.oparl_id)
            return None

    def herunterladen(self, datei):
        inhalt = self._inhalt(datei)
        if inhalt is None:
            return
        # Again here: rows of runs before names were made safe may still hold "../" or 296 characters.
        name = sicherer_dateiname(datei.dateiname or "datei", datei.mime_typ)
        anlage = Anlage(vorlage=datei.vorlage, titel=klartext(datei.name or name, 300), reihenfolge=datei.reihenfolge)
        anlage.datei = ContentFile(inhalt, name=name)
        anlage.full_clean()
        anlage.save()
        datei.anlage = anlage
        datei.save(update_fields=["anlage", "geaendert_am"])
        self.bericht.zaehlen("Anlage", "angelegt")

    def sitzungsdokument_herunterladen(self, datei):
        """A file of a Meeting (or of one of its AgendaItems) as a document of the Sitzung."""
        inhalt = self._inhalt(datei)
        if inhalt is None:
            return
        name = sicherer_dateiname(datei.dateiname or "datei", datei.mime_typ)
        inhalt = ContentFile(inhalt, name=name)
        # The upload check of the Anlagen: a source's file is no safer than an upload.
        dateiname_pruefen(name)
        art = datei_pruefen(inhalt)
        sitzung = datei.sitzung
        dokument = Sitzungsdokument(
            sitzung=sitzung,
            art=SITZUNGSDOKUMENT_ART.get(datei.rolle, Sitzungsdokument.Art.SONSTIGES),
            titel=klartext(datei.name or name, 300),
            reihenfolge=datei.reihenfolge,
            dateiname=name,
            mime_typ=art.mime_typ,
            groesse=inhalt.size,
            oeffentlich=self._sitzungsdatei_oeffentlich(sitzung),
        )
        dokument.datei = inhalt
        dokument.full_clean()
        dokument.save()
        datei.sitzungsdokument = dokument
        datei.save(update_fields=["sitzungsdokument", "geaendert_am"])
        self.bericht.zaehlen("Sitzungsdokument", "angelegt")
