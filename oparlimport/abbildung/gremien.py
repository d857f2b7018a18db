"""Organization, Person, Membership, Location and LegislativeTerm: the bodies, their people, the places they meet
and the terms of the council."""

import datetime
import re

from django.utils.text import slugify

from gremien.models import Ausschuss, Dienststelle, Mitgliedschaft, Ort, Person, Wahlperiode
from oparlimport.abbildung.basis import Abbildung
from oparlimport.abruf import AbrufFehler
from oparlimport.lesen import Uebersprungen, datum_von, grund_von, id_von, klartext, koordinaten, liste_von


def ausschussart(objekt):
    typ = klartext(objekt.get("organizationType")).lower()
    name = " ".join(klartext(objekt.get(f)) for f in ("name", "shortName", "classification")).lower()
    # Some sources say "Fraktion" only in the classification (organizationType "Gremium" or "sonstiges").
    einordnung = klartext(objekt.get("classification")).lower()
    if "fraktion" in typ or typ.startswith("partei") or einordnung.startswith("fraktion"):
        return Ausschuss.Art.FRAKTION
    if re.search(r"\b(gemeinderat|stadtrat|rat der stadt|kreistag|stadtverordnetenversammlung)\b", name):
        return Ausschuss.Art.GEMEINDERAT
    if "bezirksbeirat" in name or "bezirksvertretung" in name:
        return Ausschuss.Art.BEZIRKSBEIRAT
    if "beirat" in name:
        return Ausschuss.Art.BEIRAT
    if "ausschuss" in name or "ausschuss" in typ:
        return Ausschuss.Art.AUSSCHUSS
    return Ausschuss.Art.SONSTIGES


def ist_dienststelle(objekt):
    typ = klartext(objekt.get("organizationType")).lower()
    return "dienststelle" in typ or "verwaltung" in typ


def mitgliedsrolle(rolle):
    text = (rolle or "").lower()
    leitung = any(wort in text for wort in ("vorsitz", "bürgermeister", "vorsteher"))
    if "stellv" in text and leitung:
        return Mitgliedschaft.Rolle.STELLV_VORSITZ
    if "vertret" in text or "stellv" in text:
        return Mitgliedschaft.Rolle.STELLVERTRETUNG
    if leitung:
        return Mitgliedschaft.Rolle.VORSITZ
    if "sachkundig" in text:
        return Mitgliedschaft.Rolle.SACHKUNDIG
    return Mitgliedschaft.Rolle.MITGLIED


class GremienAbbildung(Abbildung):
    """Organization, Person, Membership, Location."""

    def organisation(self, objekt):
        if self._unveraendert(objekt):
            self.bericht.zaehlen("Organization", "unveraendert")
            return
        name = klartext(objekt.get("name"), 200) or klartext(objekt.get("shortName"), 200)
        if not name:
            raise Uebersprungen("ohne Namen")
        daten = {"organizationType": klartext(objekt.get("organizationType"))}
        if ist_dienststelle(objekt):
            if self._ziel(id_von(objekt), Dienststelle) is None:
                name = self._frei(Dienststelle, "name", name, 200)
            werte = {"name": name, "kurzname": klartext(objekt.get("shortName"), 30)}
            self._speichern(
                Dienststelle,
                objekt,
                werte | {"art": Dienststelle.Art.AMT},
                typ="Organization",
                daten=daten,
                suchen={"name": name},
            )
            return
        herkunft = self._ziel(id_von(objekt), Ausschuss)
        ende = datum_von(objekt.get("endDate"))
        werte = {
            "name": name,
            "kurzname": klartext(objekt.get("shortName"), 30),
            "art": ausschussart(objekt),
            "aktiv": ende is None or ende >= self.heute,
        }
        if herkunft is None:
            # A name taken by a record that came from elsewhere: keep both, tell them apart.
            werte["name"] = self._frei(Ausschuss, "name", name, 200)
            werte["slug"] = self._slug(werte["name"])
        self._speichern(Ausschuss, objekt, werte, typ="Organization", daten=daten)

    def _slug(self, name):
        basis = slugify(name.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"))[:90]
        basis = basis or "gremium"
        slug, n = basis, 1
        while Ausschuss.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{basis}-{n}"
        return slug

    def person(self, objekt):
        if self._unveraendert(objekt):
            self.bericht.zaehlen("Person", "unveraendert")
            return
        # Validate first: a malformed list found after writing would leave counts of a rolled-back record.
        for feld in ("membership",):
            liste_von(objekt, feld)
        nachname = klartext(objekt.get("familyName"), 100)
        vorname = klartext(objekt.get("givenName"), 100)
        if not nachname:
            teile = klartext(objekt.get("name")).split()
            if not teile:
                raise Uebersprungen("ohne Namen")
            nachname, vorname = teile[-1][:100], vorname or " ".join(teile[:-1])[:100]
        werte = {
            "titel": klartext(
                " ".join(objekt["title"]) if isinstance(objekt.get("title"), list) else objekt.get("title"), 50
            ),
            "vorname": vorname or "–",
            "nachname": nachname,
            "email": klartext(
                (objekt.get("email") or [""])[0] if isinstance(objekt.get("email"), list) else objekt.get("email"), 254
            ),
            "telefon": klartext(objekt.get("phone"), 50),
        }
        # Contact data is stored, but shown only with the person's consent here (kontakt_veroeffentlichen).
        person = self._speichern(Person, objekt, werte, typ="Person")
        fraktionen = []
        for mitgliedschaft in liste_von(objekt, "membership"):
            if isinstance(mitgliedschaft, dict):
                self._in_seite(
                    lambda m=mitgliedschaft: self.mitgliedschaft(m, person=person, eltern=objekt),
                    "Membership",
                    mitgliedschaft,
                )
                fraktionen.append(mitgliedschaft)
            elif isinstance(mitgliedschaft, str) and not self._hat_liste_membership:
                try:
                    geholt = self.abruf.json(mitgliedschaft)
                except AbrufFehler as fehler:
                    self.bericht.ueberspringen("Membership", f"nicht abrufbar: {grund_von(fehler)}", mitgliedschaft)
                    continue
                self._in_seite(lambda m=geholt: self.mitgliedschaft(m, person=person), "Membership", geholt)
                fraktionen.append(geholt)
        self._fraktion_setzen(person, fraktionen)

    _hat_liste_membership = False

    def _fraktion_setzen(self, person, mitgliedschaften):
        kandidaten = []
        for m in mitgliedschaften:
            herkunft = self._ziel(id_von(m.get("organization")), Ausschuss)
            if herkunft is None:
                continue
            ende = datum_von(m.get("endDate"))
            kandidaten.append(
                (
                    ende is None or ende >= self.heute,
                    datum_von(m.get("startDate")) or datetime.date.min,
                    herkunft.object_id,
                )
            )
        fraktion_ids = set(
            Ausschuss.objects.filter(pk__in=[k[2] for k in kandidaten], art=Ausschuss.Art.FRAKTION).values_list(
                "pk", flat=True
            )
        )
        kandidaten = sorted(k for k in kandidaten if k[2] in fraktion_ids)
        fraktion_id = kandidaten[-1][2] if kandidaten and kandidaten[-1][0] else None
        if person.fraktion_id != fraktion_id:
            person.fraktion_id = fraktion_id
            person.save(update_fields=["fraktion", "geaendert_am"])

    def mitgliedschaft(self, objekt, *, person=None, eltern=None):
        if objekt.get("deleted") is True:
            self.loeschen(objekt, "Membership")
            return
        modified = objekt.get("modified") or (eltern or {}).get("modified")
        if self.herkunft.get(id_von(objekt)) and self.herkunft[id_von(objekt)].modified == klartext(modified):
            self.bericht.zaehlen("Membership", "unveraendert")
            return
        if person is None:
            ziel = self._ziel(id_von(objekt.get("person")), Person)
            if ziel is None:
                raise Uebersprungen("Person fehlt")
            person = Person.objects.get(pk=ziel.object_id)
        ausschuss = self._ziel(id_von(objekt.get("organization")), Ausschuss)
        if ausschuss is None:
            raise Uebersprungen("Gremium fehlt oder ist keins (z. B. Dienststelle)")
        beginn = datum_von(objekt.get("startDate"))
        if beginn is None:
            raise Uebersprungen("ohne Beginn")
        werte = {
            "person": person,
            "ausschuss_id": ausschuss.object_id,
            "rolle": mitgliedsrolle(objekt.get("role")),
            "beginn": beginn,
            "ende": datum_von(objekt.get("endDate")),
        }
        self._speichern(
            Mitgliedschaft,
            objekt,
            werte,
            typ="Membership",
            modified=modified,
            daten={"role": klartext(objekt.get("role"))} if objekt.get("role") else None,
        )

    def ort(self, objekt, *, eltern=None):
        if not isinstance(objekt, dict):
            raise Uebersprungen("kein Location-Objekt")
        modified = objekt.get("modified") or (eltern or {}).get("modified")
        herkunft = self.herkunft.get(id_von(objekt))
        if herkunft and herkunft.modified == klartext(modified) and not herkunft.geloescht:
            self.bericht.zaehlen("Location", "unveraendert")
            return Ort.objects.filter(pk=herkunft.object_id).first()
        strasse = klartext(objekt.get("streetAddress"), 200)
        plz = klartext(objekt.get("postalCode"), 10)
        ort = klartext(objekt.get("locality"), 100)
        raum = klartext(objekt.get("room"), 100)
        anschrift = ", ".join(t for t in [strasse, f"{plz} {ort}".strip()] if t)
        bezeichnung = klartext(objekt.get("description"), 200) or raum or anschrift
        if not bezeichnung:
            raise Uebersprungen("ohne Beschreibung und Anschrift")
        daten = {}
        if objekt.get("geojson"):
            punkt = koordinaten(objekt["geojson"])
            daten["geojson"] = objekt["geojson"]
            if punkt:
                # We have no geo fields yet; the point is kept here in GeoJSON order [lon, lat].
                daten["koordinaten"] = [punkt[0], punkt[1]]
                daten["vertauscht"] = punkt[2]
        if herkunft is None or herkunft.geloescht:
            bezeichnung = self._frei(Ort, "bezeichnung", bezeichnung, 200, raum=raum)
        werte = {"bezeichnung": bezeichnung, "raum": raum, "strasse": strasse, "postleitzahl": plz, "ort": ort}
        # Two source locations with the same name and room are one Ort here (ort_eindeutig).
        return self._speichern(
            Ort,
            objekt,
            werte,
            typ="Location",
            modified=modified,
            daten=daten,
            suchen={"bezeichnung": bezeichnung, "raum": raum},
        )

    def wahlperiode(self, objekt):
        """A LegislativeTerm. Without both dates, with the end before the start or overlapping a term we have,
        it is skipped with the reason: our terms never overlap (a constraint), and a guessed date would put
        Sitzungen and Vorlagen into the wrong one."""
        if not isinstance(objekt, dict) or not id_von(objekt):
            raise Uebersprungen("kein LegislativeTerm-Objekt (id fehlt)")
        if objekt.get("deleted") is True:
            self.loeschen(objekt, "LegislativeTerm")
            return
        if self._unveraendert(objekt):
            self.bericht.zaehlen("LegislativeTerm", "unveraendert")
            return
        beginn, ende = datum_von(objekt.get("startDate")), datum_von(objekt.get("endDate"))
        if beginn is None or ende is None:
            raise Uebersprungen("ohne Beginn oder Ende")
        if ende <= beginn:
            raise Uebersprungen("Ende nicht nach Beginn")
        herkunft = self._ziel(id_von(objekt), Wahlperiode)
        andere = Wahlperiode.objects.ueberschneidend(beginn, ende)
        if herkunft is not None:
            andere = andere.exclude(pk=herkunft.object_id)
        andere = andere.first()
        if andere is not None:
            raise Uebersprungen(f"überschneidet sich mit der Wahlperiode {andere.name}")
        name = klartext(objekt.get("name"), 100) or f"{beginn.year}–{ende.year}"
        if herkunft is None:
            name = self._frei(Wahlperiode, "name", name, 100)
        self._speichern(Wahlperiode, objekt, {"name": name, "beginn": beginn, "ende": ende}, typ="LegislativeTerm")
