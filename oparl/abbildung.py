"""Our models as OParl 1.1 objects: which rows the public sees (always as the anonymous visitor), and their JSON.

Each type has a ``Typ`` entry: the URL name of its objects, the OParl type, the queryset of what the public may
see (through ``sichtbar_fuer(AnonymousUser())``, prefetched so a list page runs a fixed number of queries), and a
function that turns one row into a dict. ``eingebettet=True`` leaves out the link back to the parent, as the
specification asks of embedded copies. Properties without a value are left out: no ``null``, no ``""``.
"""

import dataclasses
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, DateTimeField, F, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from gremien.models import Ausschuss, Dienststelle, Mitgliedschaft, Ort, Person, Wahlperiode
from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Sitzungsdokument, Stimme
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from vorlagen.models import Anlage, AnlageSeite, Urheber, Vorlage

SCHEMA = "https://schema.oparl.org/1.1/"
OEFFENTLICHKEIT = AnonymousUser()


def absolut(pfad):
    """An absolute URL from the configured base: ids must not depend on the Host header of a request."""
    return settings.RATSINFO_OPARL_BASIS_URL + pfad


def oparl_url(name, **kwargs):
    return absolut(reverse(f"oparl:{name}", kwargs=kwargs))


def zeitpunkt(wert):
    return timezone.localtime(wert).isoformat(timespec="seconds")


def seit():
    return datetime.fromisoformat(settings.RATSINFO_OPARL_SEIT)


def ohne_leere(daten):
    """Leave out None and "": OParl wants a missing property, not an empty one (required lists stay)."""
    return {schluessel: wert for schluessel, wert in daten.items() if wert is not None and wert != ""}


def kopf(typ, name, pk, objekt, geaendert=None):
    return {
        "id": oparl_url(name, pk=pk),
        "type": SCHEMA + typ,
        "created": zeitpunkt(objekt.erstellt_am),
        "modified": zeitpunkt(geaendert or objekt.geaendert_am),
    }


def spaeter(*werte):
    return max(wert for wert in werte if wert is not None)


def geaendert_mit(*kinder, weitere=()):
    """modified of a parent whose embedded children changed later (a subquery per child relation, so lists can
    filter on it): the latest ``geaendert_am`` of the row and of the children it embeds. ``kinder`` are pairs of
    (queryset of the embedded children, field pointing to the parent), optionally with the children's time field
    as a third element; ``weitere`` more timestamps (e.g. of the embedded Ort), which may be missing."""
    teile = [F("geaendert_am")]
    for abfrage, feld, *zeitfeld in kinder:
        # A child without ``geaendert_am`` (a Befangenheit is only ever created or deleted) names its own field.
        neueste = (
            abfrage.filter(**{feld: OuterRef("pk")})
            .order_by()
            .values(feld)
            .annotate(neueste=Max(zeitfeld[0] if zeitfeld else "geaendert_am"))
            .values("neueste")
        )
        teile.append(Coalesce(Subquery(neueste, output_field=DateTimeField()), F("geaendert_am")))
    teile += [Coalesce(F(feld), F("geaendert_am")) for feld in weitere]
    return Greatest(*teile, output_field=DateTimeField())


def body_url():
    return oparl_url("body", pk=1)


# Organization: Ausschüsse (with Fraktionen) and Dienststellen under distinct paths


def ausschuesse():
    return Ausschuss.objects.annotate(oparl_geaendert=F("geaendert_am")).prefetch_related(
        Prefetch("mitgliedschaften", queryset=Mitgliedschaft.objects.only("pk", "ausschuss_id").order_by("pk"))
    )


def ausschuss_json(ausschuss, eingebettet=False):
    fraktion = ausschuss.art == Ausschuss.Art.FRAKTION
    return ohne_leere(
        {
            **kopf("Organization", "organization", ausschuss.pk, ausschuss),
            "body": body_url(),
            "name": ausschuss.name,
            "shortName": ausschuss.kurzname,
            "organizationType": "Fraktion" if fraktion else "Gremium",
            "classification": str(ausschuss.get_art_display()),
            "membership": [oparl_url("membership", pk=m.pk) for m in ausschuss.mitgliedschaften.all()],
            # Fraktionen have a page of their own too (issue 20): members, Anträge and Anfragen, seats.
            "web": absolut(ausschuss.get_absolute_url()),
        }
    )


def dienststellen():
    return Dienststelle.objects.annotate(oparl_geaendert=F("geaendert_am"))


def dienststelle_json(dienststelle, eingebettet=False):
    return ohne_leere(
        {
            **kopf("Organization", "verwaltungsbereich", dienststelle.pk, dienststelle),
            "body": body_url(),
            "name": dienststelle.name,
            "shortName": dienststelle.kurzname,
            "organizationType": "Verwaltungsbereich",
            "classification": str(dienststelle.get_art_display()),
            "subOrganizationOf": (
                oparl_url("verwaltungsbereich", pk=dienststelle.uebergeordnet_id)
                if dienststelle.uebergeordnet_id
                else None
            ),
        }
    )


# Person and Membership


def fuer_fraktion(mitgliedschaften):
    """Each seat annotated with ``oparl_fraktion_id``: for a seat in a Gremium, the Fraktion its holder belonged to
    on the seat's first day (OParl ``onBehalfOf``), read from the holder's Fraktion memberships; none for a seat in a
    Fraktion itself or without one."""
    fraktion = (
        Mitgliedschaft.objects.filter(
            person=OuterRef("person"),
            ausschuss__art=Ausschuss.Art.FRAKTION,
            beginn__lte=OuterRef("beginn"),
        )
        .filter(Q(ende__isnull=True) | Q(ende__gte=OuterRef("beginn")))
        .order_by("-beginn", "-pk")
        .values("ausschuss_id")[:1]
    )
    return mitgliedschaften.annotate(oparl_fraktion_id=Subquery(fraktion)).select_related("ausschuss")


def personen():
    return Person.objects.annotate(
        oparl_geaendert=geaendert_mit((Mitgliedschaft.objects.all(), "person"))
    ).prefetch_related(Prefetch("mitgliedschaften", queryset=fuer_fraktion(Mitgliedschaft.objects.order_by("pk"))))


def person_json(person, eingebettet=False):
    mitgliedschaften = list(person.mitgliedschaften.all())
    geaendert = spaeter(person.geaendert_am, *(m.geaendert_am for m in mitgliedschaften))
    # Contact data only with the person's consent, as on the HTML page.
    kontakt = person.kontakt_veroeffentlichen
    return ohne_leere(
        {
            **kopf("Person", "person", person.pk, person, geaendert),
            "body": body_url(),
            "name": person.name,
            "familyName": person.nachname,
            "givenName": person.vorname,
            "title": [person.titel] if person.titel else None,
            "email": [person.email] if kontakt and person.email else None,
            "phone": [person.telefon] if kontakt and person.telefon else None,
            "membership": [mitgliedschaft_json(m, eingebettet=True) for m in mitgliedschaften],
            "web": absolut(person.get_absolute_url()),
        }
    )


def mitgliedschaften():
    return fuer_fraktion(Mitgliedschaft.objects.annotate(oparl_geaendert=F("geaendert_am")))


def mitgliedschaft_json(mitgliedschaft, eingebettet=False):
    return ohne_leere(
        {
            **kopf("Membership", "membership", mitgliedschaft.pk, mitgliedschaft),
            "person": None if eingebettet else oparl_url("person", pk=mitgliedschaft.person_id),
            "organization": oparl_url("organization", pk=mitgliedschaft.ausschuss_id),
            "role": str(mitgliedschaft.get_rolle_display()),
            "startDate": mitgliedschaft.beginn.isoformat(),
            "endDate": mitgliedschaft.ende.isoformat() if mitgliedschaft.ende else None,
            "onBehalfOf": (
                oparl_url("organization", pk=fraktion_id)
                if (fraktion_id := getattr(mitgliedschaft, "oparl_fraktion_id", None))
                and mitgliedschaft.ausschuss.art != Ausschuss.Art.FRAKTION
                else None
            ),
        }
    )


# Location


def orte():
    return Ort.objects.annotate(oparl_geaendert=F("geaendert_am"))


def ort_json(ort, eingebettet=False):
    return ohne_leere(
        {
            **kopf("Location", "location", ort.pk, ort),
            "description": str(ort),
            "streetAddress": ort.strasse,
            "postalCode": ort.postleitzahl,
            "locality": ort.ort,
            "room": ort.raum,
        }
    )


# LegislativeTerm: the Wahlperioden, public as a whole (dates and a name, nothing to hide)


def wahlperioden():
    return Wahlperiode.objects.annotate(oparl_geaendert=F("geaendert_am"))


def wahlperiode_json(wahlperiode, eingebettet=False):
    return ohne_leere(
        {
            **kopf("LegislativeTerm", "legislativeterm", wahlperiode.pk, wahlperiode),
            "body": None if eingebettet else body_url(),
            "name": wahlperiode.name,
            "startDate": wahlperiode.beginn.isoformat(),
            "endDate": wahlperiode.ende.isoformat(),
            "web": absolut(wahlperiode.get_absolute_url()),
        }
    )


# Meeting and AgendaItem


def tagesordnungspunkte():
    """Every TOP, hidden ones included: the public sees them by number on the HTML pages too.

    ``order`` is the position on the agenda (public part first, as printed), counted in a subquery so that a
    single TOP fetched on its own gets the same number as in its Sitzung.
    """
    davor = (
        Tagesordnungspunkt.objects.filter(sitzung=OuterRef("sitzung"))
        .filter(
            Q(oeffentlich__gt=OuterRef("oeffentlich"))
            | Q(oeffentlich=OuterRef("oeffentlich"), reihenfolge__lt=OuterRef("reihenfolge"))
            | Q(oeffentlich=OuterRef("oeffentlich"), reihenfolge=OuterRef("reihenfolge"), pk__lt=OuterRef("pk"))
        )
        .values("sitzung")
        .annotate(anzahl=Count("pk"))
        .values("anzahl")
    )
    return (
        Tagesordnungspunkt.objects.mit_sichtbarkeit(OEFFENTLICHKEIT)
        .annotate(
            oparl_geaendert=geaendert_mit(
                (Abstimmung.objects.sichtbar_fuer(OEFFENTLICHKEIT), "tagesordnungspunkt"),
                (Befangenheit.objects.sichtbar_fuer(OEFFENTLICHKEIT), "tagesordnungspunkt", "erstellt_am"),
            ),
            oparl_order=Coalesce(Subquery(davor), Value(0)) + 1,
        )
        .prefetch_related(
            Prefetch(
                "beratungen", queryset=Beratung.objects.sichtbar_fuer(OEFFENTLICHKEIT).order_by("pk"), to_attr="oparl_b"
            ),
            # The record of the TOP through its own rule (the TOP's content rule), not only through ``inhalt_sichtbar``
            # below: what the public may not see is not even read.
            Prefetch(
                "abstimmungen",
                queryset=Abstimmung.objects.sichtbar_fuer(OEFFENTLICHKEIT)
                .order_by("reihenfolge", "pk")
                .prefetch_related(
                    Prefetch("stimmen", queryset=Stimme.objects.order_by("person__nachname", "person__vorname", "pk"))
                ),
                to_attr="oparl_abstimmungen",
            ),
            Prefetch(
                "befangenheiten",
                queryset=Befangenheit.objects.sichtbar_fuer(OEFFENTLICHKEIT).order_by(
                    "person__nachname", "person__vorname", "pk"
                ),
                to_attr="oparl_befangenheiten",
            ),
        )
    )


# Data of the API, not UI text: the same in every language of the site, like the names of the records themselves.
NICHTOEFFENTLICHER_TOP = "Nichtöffentlicher Tagesordnungspunkt"

# Our vendor extension (OParl 1.1, "Herstellerspezifische Erweiterungen": properties with a prefix of their own, which
# clients that do not know them ignore): what OParl has no object for. Documented in docs/oparl.md.
ERWEITERUNG = "ratsinfo:"


def top_geaendert(top):
    """modified of an AgendaItem: its own and that of its votes and Befangenheiten (as ``oparl_geaendert``)."""
    return spaeter(
        top.geaendert_am,
        *(abstimmung.geaendert_am for abstimmung in top.oparl_abstimmungen),
        *(befangenheit.erstellt_am for befangenheit in top.oparl_befangenheiten),
    )


def abstimmung_json(abstimmung):
    return ohne_leere(
        {
            "reihenfolge": abstimmung.reihenfolge,
            "gegenstand": abstimmung.gegenstand,
            "art": abstimmung.art,
            "ja": abstimmung.ja,
            "nein": abstimmung.nein,
            "enthaltung": abstimmung.enthaltung,
            "stimmen": [
                {"person": oparl_url("person", pk=stimme.person_id), "stimme": stimme.stimme}
                for stimme in abstimmung.stimmen.all()
            ]
            or None,
        }
    )


def top_json(top, eingebettet=False):
    daten = {
        **kopf("AgendaItem", "agendaitem", top.pk, top, top_geaendert(top)),
        "meeting": None if eingebettet else oparl_url("meeting", pk=top.sitzung_id),
        "number": top.bezeichnung,
        "order": top.oparl_order,
        "public": bool(top.inhalt_sichtbar),
        # The schema lets a non-public item go without name, but common clients (importers of other systems among
        # them) require one and abort; a neutral name tells nothing and keeps them working.
        "name": NICHTOEFFENTLICHER_TOP,
    }
    if top.inhalt_sichtbar:
        # A non-public TOP shows its number only, as on the Sitzung's page: no title, no result, no Vorlage, no vote.
        daten.update(
            {
                "name": top.titel,
                "result": str(top.get_ergebnis_display()) if top.ergebnis else None,
                "resolutionText": top.beschluss,
                "resolutionFile": beschlussauszug_json(top, eingebettet=True) if hat_beschlussauszug(top) else None,
                "consultation": oparl_url("consultation", pk=top.oparl_b[0].pk) if top.oparl_b else None,
                "web": absolut(top.get_absolute_url()),
                ERWEITERUNG + "abstimmungen": [abstimmung_json(a) for a in top.oparl_abstimmungen] or None,
                ERWEITERUNG + "befangen": [oparl_url("person", pk=b.person_id) for b in top.oparl_befangenheiten]
                or None,
            }
        )
    return ohne_leere(daten)


# AgendaItem.resolutionFile: the Beschlussauszug PDF of a TOP, served by ``druck`` (URL name "druck:beschlussauszug"
# with the Sitzung's pk and the TOP). A File of its own at /oparl/v1.1/beschlussauszug/<TOP>, so its id never meets an
# Anlage's. A TOP has one when its content is visible and it has a Beschluss text.


def beschlussauszug_pfad(sitzung_pk, top_pk):
    return reverse("druck:beschlussauszug", kwargs={"pk": sitzung_pk, "top": top_pk})


def hat_beschlussauszug(top):
    return bool(top.inhalt_sichtbar and top.beschluss)


def beschlussauszuege():
    return tagesordnungspunkte().filter(Tagesordnungspunkt.objects.sichtbar_q(OEFFENTLICHKEIT)).exclude(beschluss="")


def beschlussauszug_json(top, eingebettet=False):
    pfad = absolut(beschlussauszug_pfad(top.sitzung_id, top.pk))
    return ohne_leere(
        {
            **kopf("File", "beschlussauszug", top.pk, top, top_geaendert(top)),
            "name": f"Beschlussauszug {top.bezeichnung}",
            "fileName": f"beschlussauszug-{top.sitzung_id}-{top.pk}.pdf",
            "mimeType": "application/pdf",
            "accessUrl": pfad,
            "downloadUrl": pfad,
            "meeting": None if eingebettet else [oparl_url("meeting", pk=top.sitzung_id)],
            "agendaItem": None if eingebettet else [oparl_url("agendaitem", pk=top.pk)],
        }
    )


# Sitzungsdokumente: the Files of a Meeting. Their own type and path (/oparl/v1.1/sitzungsdokument/<pk>), so their
# ids never collide with those of the Anlagen (file/<pk>) or of the importer's files (originaldatei/<pk>).

# Which Meeting property an Art fills; the first document of the Art does, further ones and the others are
# auxiliaryFile, so no document is lost.
MEETING_DATEIEN = {
    Sitzungsdokument.Art.EINLADUNG: "invitation",
    Sitzungsdokument.Art.NIEDERSCHRIFT: "resultsProtocol",
    Sitzungsdokument.Art.WORTPROTOKOLL: "verbatimProtocol",
}


def sitzungsdokumente():
    return Sitzungsdokument.objects.sichtbar_fuer(OEFFENTLICHKEIT).annotate(oparl_geaendert=F("geaendert_am"))


def sitzungsdokument_json(dokument, eingebettet=False):
    return ohne_leere(
        {
            **kopf("File", "sitzungsdokument", dokument.pk, dokument),
            "name": dokument.titel,
            "fileName": dokument.dateiname,
            "mimeType": dokument.mime_typ,
            "date": timezone.localdate(dokument.erstellt_am).isoformat(),
            "size": dokument.groesse,
            "text": dokument.text.strip(),
            # The download view of the site (inline, the rule applied there), and ours as an attachment.
            "accessUrl": absolut(dokument.get_absolute_url()),
            "downloadUrl": oparl_url("sitzungsdokument-download", pk=dokument.pk),
            "meeting": None if eingebettet else [oparl_url("meeting", pk=dokument.sitzung_id)],
        }
    )


def meeting_dateien(dokumente):
    """{Meeting property: File or list of Files} of the visible documents of a Sitzung, in their order."""
    dateien = {"auxiliaryFile": []}
    for dokument in dokumente:
        eigenschaft = MEETING_DATEIEN.get(dokument.art)
        if eigenschaft and eigenschaft not in dateien:
            dateien[eigenschaft] = sitzungsdokument_json(dokument, eingebettet=True)
        else:
            dateien["auxiliaryFile"].append(sitzungsdokument_json(dokument, eingebettet=True))
    dateien["auxiliaryFile"] = dateien["auxiliaryFile"] or None
    return dateien


def anwesenheit_json(anwesenheit):
    return ohne_leere(
        {
            "person": oparl_url("person", pk=anwesenheit.person_id),
            "status": anwesenheit.status,
            "stimmberechtigt": anwesenheit.stimmberechtigt,
            # TOPs by their AgendaItem: a hidden one is in the API by its number, as on the Sitzung's page.
            "abTagesordnungspunkt": (
                oparl_url("agendaitem", pk=anwesenheit.ab_top_id) if anwesenheit.ab_top_id else None
            ),
            "bisTagesordnungspunkt": (
                oparl_url("agendaitem", pk=anwesenheit.bis_top_id) if anwesenheit.bis_top_id else None
            ),
            "vertritt": oparl_url("person", pk=anwesenheit.vertritt_id) if anwesenheit.vertritt_id else None,
        }
    )


def sitzungen():
    return (
        Sitzung.objects.sichtbar_fuer(OEFFENTLICHKEIT)
        .select_related("ausschuss", "ort")
        .annotate(
            oparl_geaendert=geaendert_mit(
                (Tagesordnungspunkt.objects.all(), "sitzung"),
                (Abstimmung.objects.sichtbar_fuer(OEFFENTLICHKEIT), "tagesordnungspunkt__sitzung"),
                (Befangenheit.objects.sichtbar_fuer(OEFFENTLICHKEIT), "tagesordnungspunkt__sitzung", "erstellt_am"),
                (Anwesenheit.objects.sichtbar_fuer(OEFFENTLICHKEIT), "sitzung"),
                (Sitzungsdokument.objects.sichtbar_fuer(OEFFENTLICHKEIT), "sitzung"),
                weitere=["ort__geaendert_am"],
            )
        )
        .prefetch_related(
            Prefetch(
                "tagesordnungspunkte", queryset=tagesordnungspunkte().order_by("-oeffentlich", "reihenfolge", "pk")
            ),
            Prefetch(
                "anwesenheiten",
                queryset=Anwesenheit.objects.sichtbar_fuer(OEFFENTLICHKEIT).order_by(
                    "person__nachname", "person__vorname", "pk"
                ),
                to_attr="oparl_anwesenheiten",
            ),
            Prefetch(
                "dokumente",
                queryset=Sitzungsdokument.objects.sichtbar_fuer(OEFFENTLICHKEIT).order_by("reihenfolge", "pk"),
                to_attr="oparl_dokumente",
            ),
        )
    )


def sitzung_json(sitzung, eingebettet=False):
    tops = list(sitzung.tagesordnungspunkte.all())
    geaendert = spaeter(
        sitzung.geaendert_am,
        *(top_geaendert(top) for top in tops),
        *(anwesenheit.geaendert_am for anwesenheit in sitzung.oparl_anwesenheiten),
        *(dokument.geaendert_am for dokument in sitzung.oparl_dokumente),
        sitzung.ort.geaendert_am if sitzung.ort else None,
    )
    anwesend = [a for a in sitzung.oparl_anwesenheiten if a.status == Anwesenheit.Status.ANWESEND]
    return ohne_leere(
        {
            **kopf("Meeting", "meeting", sitzung.pk, sitzung, geaendert),
            "name": str(sitzung.titel),
            "meetingState": str(sitzung.get_status_display()),
            "cancelled": sitzung.status == Sitzung.Status.ABGESAGT,
            "start": zeitpunkt(sitzung.beginn),
            "end": zeitpunkt(sitzung.ende) if sitzung.ende else None,
            "location": ort_json(sitzung.ort, eingebettet=True) if sitzung.ort else None,
            "organization": [oparl_url("organization", pk=sitzung.ausschuss_id)],
            "participant": [oparl_url("person", pk=a.person_id) for a in anwesend] or None,
            **meeting_dateien(sitzung.oparl_dokumente),
            "agendaItem": [top_json(top, eingebettet=True) for top in tops],
            "web": absolut(sitzung.get_absolute_url()),
            ERWEITERUNG + "anwesenheit": [anwesenheit_json(a) for a in sitzung.oparl_anwesenheiten] or None,
        }
    )


# Paper, Consultation, File


def beratungen():
    return Beratung.objects.sichtbar_fuer(OEFFENTLICHKEIT).annotate(oparl_geaendert=F("geaendert_am"))


def beratung_json(beratung, eingebettet=False):
    return ohne_leere(
        {
            **kopf("Consultation", "consultation", beratung.pk, beratung),
            "paper": None if eingebettet else oparl_url("paper", pk=beratung.vorlage_id),
            "agendaItem": (
                oparl_url("agendaitem", pk=beratung.tagesordnungspunkt_id) if beratung.tagesordnungspunkt_id else None
            ),
            "meeting": oparl_url("meeting", pk=beratung.sitzung_id) if beratung.sitzung_id else None,
            "organization": [oparl_url("organization", pk=beratung.ausschuss_id)],
            "authoritative": beratung.rolle == Beratung.Rolle.BESCHLUSSFASSUNG,
            "role": str(beratung.get_rolle_display()),
        }
    )


def anlagen():
    return (
        Anlage.objects.sichtbar_fuer(OEFFENTLICHKEIT)
        .select_related("vorlage")
        .annotate(oparl_geaendert=F("geaendert_am"))
        .prefetch_related(
            Prefetch("seiten", queryset=AnlageSeite.objects.only("anlage_id", "nummer", "text").order_by("nummer"))
        )
    )


def anlage_json(anlage, eingebettet=False):
    text = "\n\n".join(seite.text for seite in anlage.seiten.all() if seite.text).strip()
    return ohne_leere(
        {
            **kopf("File", "file", anlage.pk, anlage),
            "name": anlage.titel,
            "fileName": anlage.dateiname,
            "mimeType": anlage.mime_typ,
            "date": timezone.localdate(anlage.erstellt_am).isoformat(),
            "size": anlage.groesse,
            "text": text,
            # The download view of the site, which serves inline and applies the visibility rule itself.
            "accessUrl": absolut(anlage.get_absolute_url()),
            "downloadUrl": oparl_url("file-download", pk=anlage.pk),
            "paper": None if eingebettet else [oparl_url("paper", pk=anlage.vorlage_id)],
        }
    )


def vorlagen():
    return (
        Vorlage.objects.sichtbar_fuer(OEFFENTLICHKEIT)
        .annotate(
            oparl_geaendert=geaendert_mit(
                (Beratung.objects.sichtbar_fuer(OEFFENTLICHKEIT), "vorlage"),
                (Anlage.objects.sichtbar_fuer(OEFFENTLICHKEIT), "vorlage"),
                # A published Neufassung or Ergänzung adds itself to relatedPaper/subordinatedPaper of this one.
                (Vorlage.objects.sichtbar_fuer(OEFFENTLICHKEIT), "bezug"),
            )
        )
        .prefetch_related(
            # The versions, each only if the public may see it (a hidden one is left out, as if it did not exist).
            Prefetch(
                "bezug",
                queryset=Vorlage.objects.sichtbar_fuer(OEFFENTLICHKEIT).only("pk", "bezugsart"),
                to_attr="oparl_bezug",
            ),
            Prefetch(
                "folgefassungen",
                queryset=Vorlage.objects.sichtbar_fuer(OEFFENTLICHKEIT)
                .only("pk", "bezug_id", "bezugsart", "geaendert_am")
                .order_by("datum", "pk"),
                to_attr="oparl_folgefassungen",
            ),
            Prefetch(
                "beratungen",
                queryset=beratungen().order_by("reihenfolge", "termin", "pk"),
                to_attr="oparl_beratungen",
            ),
            Prefetch(
                "anlagen",
                queryset=Anlage.objects.sichtbar_fuer(OEFFENTLICHKEIT)
                .order_by("reihenfolge", "pk")
                .prefetch_related(
                    Prefetch(
                        "seiten", queryset=AnlageSeite.objects.only("anlage_id", "nummer", "text").order_by("nummer")
                    )
                ),
                to_attr="oparl_anlagen",
            ),
            # The signatories in the order signed; Fraktionen and Persons are public Organizations and Persons.
            Prefetch(
                "urheber",
                queryset=Urheber.objects.only("pk", "vorlage_id", "reihenfolge", "fraktion_id", "person_id"),
                to_attr="oparl_urheber",
            ),
            *(quelle.prefetch() for quelle in VORLAGEN_DATEIQUELLEN),
        )
    )


def vorlage_json(vorlage, eingebettet=False):
    # Only the visible Beratungen and Anlagen count (as in ``vorlagen()``): editing a hidden one must neither
    # change what the public sees nor tell it that something hidden changed.
    geaendert = spaeter(
        vorlage.geaendert_am,
        *(b.geaendert_am for b in vorlage.oparl_beratungen),
        *(a.geaendert_am for a in vorlage.oparl_anlagen),
        *(f.geaendert_am for f in vorlage.oparl_folgefassungen),
    )
    fassungen = fassungen_json(vorlage)
    return ohne_leere(
        {
            **kopf("Paper", "paper", vorlage.pk, vorlage, geaendert),
            "body": body_url(),
            "name": vorlage.titel,
            "reference": vorlage.bezeichnung,
            "date": vorlage.datum.isoformat(),
            "paperType": str(vorlage.get_art_display()),
            # Withdrawn stays public as a record, as on the site (vorlagen.services.vorlage_zurueckziehen); OParl
            # has no status of a Paper, so clients read it from the keyword.
            "keyword": ["zurückgezogen"] if vorlage.status == Vorlage.Status.ZURUECKGEZOGEN else None,
            "underDirectionOf": [oparl_url("verwaltungsbereich", pk=vorlage.dienststelle_id)],
            "originatorPerson": [oparl_url("person", pk=u.person_id) for u in vorlage.oparl_urheber if u.person_id],
            "originatorOrganization": [
                oparl_url("organization", pk=u.fraktion_id) for u in vorlage.oparl_urheber if u.fraktion_id
            ],
            "mainFile": next(
                (
                    quelle.json(d, eingebettet=True)
                    for quelle in VORLAGEN_DATEIQUELLEN
                    for d in getattr(vorlage, quelle.attribut)
                    if quelle.ist_hauptdatei(d)
                ),
                None,
            ),
            "auxiliaryFile": [anlage_json(a, eingebettet=True) for a in vorlage.oparl_anlagen]
            + [
                quelle.json(d, eingebettet=True)
                for quelle in VORLAGEN_DATEIQUELLEN
                for d in getattr(vorlage, quelle.attribut)
                if not quelle.ist_hauptdatei(d)
            ],
            "consultation": [beratung_json(b, eingebettet=True) for b in vorlage.oparl_beratungen],
            **fassungen,
            "web": absolut(vorlage.get_absolute_url()),
        }
    )


def fassungen_json(vorlage):
    """The versions of a Paper (docs/oparl.md): an Ergänzung names the paper it adds to as ``superordinatedPaper``
    and that one names its Ergänzungen as ``subordinatedPaper``; a Neufassung and the version it replaces name each
    other in ``relatedPaper``. Only public Papers; an empty list is left out like any empty property."""
    bezug = vorlage.oparl_bezug
    folgende = vorlage.oparl_folgefassungen
    ergaenzung = Vorlage.Bezugsart.ERGAENZUNG
    neufassung = Vorlage.Bezugsart.NEUFASSUNG
    verwandt = [f.pk for f in folgende if f.bezugsart == neufassung]
    if bezug is not None and vorlage.bezugsart == neufassung:
        verwandt.insert(0, bezug.pk)
    return {
        "relatedPaper": [oparl_url("paper", pk=pk) for pk in verwandt] or None,
        "superordinatedPaper": (
            [oparl_url("paper", pk=bezug.pk)] if bezug is not None and vorlage.bezugsart == ergaenzung else None
        ),
        "subordinatedPaper": [oparl_url("paper", pk=f.pk) for f in folgende if f.bezugsart == ergaenzung] or None,
    }


@dataclasses.dataclass(frozen=True)
class Dateiquelle:
    """Files of a Paper that an app above this one keeps (the importer's files known only by their metadata).

    ``prefetch()`` answers a ``Prefetch`` of the Vorlage's public rows into ``attribut``; ``json(row, eingebettet)``
    maps one row; ``ist_hauptdatei(row)`` picks the Paper's mainFile among them.
    """

    prefetch: Callable
    attribut: str
    json: Callable
    ist_hauptdatei: Callable


@dataclasses.dataclass(frozen=True)
class Typ:
    name: str  # URL name of the object, key of its tombstones
    oparl: str  # OParl type name
    abfrage: Callable
    json: Callable


TYPEN = {
    typ.name: typ
    for typ in (
        Typ("organization", "Organization", ausschuesse, ausschuss_json),
        Typ("verwaltungsbereich", "Organization", dienststellen, dienststelle_json),
        Typ("person", "Person", personen, person_json),
        Typ("membership", "Membership", mitgliedschaften, mitgliedschaft_json),
        Typ("meeting", "Meeting", sitzungen, sitzung_json),
        Typ("agendaitem", "AgendaItem", tagesordnungspunkte, top_json),
        Typ("paper", "Paper", vorlagen, vorlage_json),
        Typ("consultation", "Consultation", beratungen, beratung_json),
        Typ("file", "File", anlagen, anlage_json),
        Typ("sitzungsdokument", "File", sitzungsdokumente, sitzungsdokument_json),
        Typ("beschlussauszug", "File", beschlussauszuege, beschlussauszug_json),
        Typ("location", "Location", orte, ort_json),
        Typ("legislativeterm", "LegislativeTerm", wahlperioden, wahlperiode_json),
    )
}

# The models whose public deletions leave a tombstone, with the type they appear as.
MODELLE = {
    Ausschuss: "organization",
    Dienststelle: "verwaltungsbereich",
    Person: "person",
    Mitgliedschaft: "membership",
    Sitzung: "meeting",
    Tagesordnungspunkt: "agendaitem",
    Vorlage: "paper",
    Beratung: "consultation",
    Anlage: "file",
    Sitzungsdokument: "sitzungsdokument",
    Ort: "location",
    Wahlperiode: "legislativeterm",
}

# The Body's lists: OParl list name -> the types (in this order) that fill it.
LISTEN = {
    "organization": ["organization", "verwaltungsbereich"],
    "person": ["person"],
    "meeting": ["meeting"],
    "paper": ["paper"],
    "agendaItem": ["agendaitem"],
    "consultation": ["consultation"],
    "file": ["file", "sitzungsdokument", "beschlussauszug"],
    "membership": ["membership"],
    "locationList": ["location"],
    "legislativeTermList": ["legislativeterm"],
}


# Extension point: apps above ``oparl`` (``oparlimport``) add their object types and Paper files in their
# AppConfig.ready(), through ``typ_eintragen`` and ``dateiquelle_eintragen``; ``oparl`` never imports them. Ready
# runs before the URLconf is read, so the added types get their URLs (oparl/urls.py) like the built-in ones.
VORLAGEN_DATEIQUELLEN = []


def typ_eintragen(typ, *, liste):
    """Serve ``typ`` at ``/oparl/v1.1/<typ.name>/<pk>`` and in the Body's list ``liste`` after its own types."""
    if TYPEN.get(typ.name, typ) != typ:
        raise ValueError(f"OParl-Typ {typ.name} ist schon eingetragen.")
    TYPEN[typ.name] = typ
    if typ.name not in LISTEN[liste]:
        LISTEN[liste].append(typ.name)


def dateiquelle_eintragen(quelle):
    if quelle not in VORLAGEN_DATEIQUELLEN:
        VORLAGEN_DATEIQUELLEN.append(quelle)


def system_json():
    return {
        "id": oparl_url("system"),
        "type": SCHEMA + "System",
        "oparlVersion": "https://schema.oparl.org/1.1/",
        "otherOparlVersions": [],
        "body": oparl_url("body-liste"),
        "name": f"Ratsinformationssystem {settings.RATSINFO_KOERPERSCHAFT}",
        "website": absolut(reverse("startseite")),
        "created": zeitpunkt(seit()),
        "modified": zeitpunkt(seit()),
        "web": absolut(reverse("startseite")),
    }


def body_json():
    listen = {name: oparl_url("liste", liste=name) for name in LISTEN}
    terme = list(wahlperioden().order_by("beginn", "pk"))
    # The Body embeds its terms, so it changes when one does.
    geaendert = spaeter(seit(), *(w.geaendert_am for w in terme))
    return {
        "id": body_url(),
        "type": SCHEMA + "Body",
        "system": oparl_url("system"),
        "name": settings.RATSINFO_KOERPERSCHAFT,
        "website": absolut(reverse("startseite")),
        **listen,
        # Embedded as well as the list, as the specification asks; a council has a handful, one query.
        "legislativeTerm": [wahlperiode_json(w, eingebettet=True) for w in terme],
        "created": zeitpunkt(seit()),
        "modified": zeitpunkt(geaendert),
        "web": absolut(reverse("startseite")),
    }
