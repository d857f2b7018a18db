"""What goes into a PDF, as plain data: the template context and, hashed, the content version.

Every value a document prints is read here, through the visibility rule of the requester, into dicts and lists
of strings. The templates print nothing else, so the hash over this data (``inhaltsversion``) changes whenever
anything printed changes - a Vorlage's text, a Beratung, an Anlage - and two requesters with the same data can
share one PDF. Dates are formatted here, in German: a PDF is a German document whatever the page language.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone, translation

from druck.models import Druckstueck
from protokoll.models import Niederschrift, Sitzungsdokument, anwesenheiten_der_sitzung, tagesordnung_mit_protokoll
from sitzungen.models import Beratung, Tagesordnungspunkt
from vorlagen.models import TEXTFELDER, Anlage, Vorlage
from vorlagen.unterschiede import GLEICH, abschnitte_vergleichen

VORLAGEN_DIR = Path(__file__).resolve().parent.parent / "templates" / "druck"


def _layout_version():
    """A change of the templates or fonts is a change of every document: it goes into every content version."""
    pruefsumme = hashlib.sha256()
    for pfad in sorted(VORLAGEN_DIR.glob("*")):
        pruefsumme.update(pfad.name.encode() + pfad.read_bytes())
    return pruefsumme.hexdigest()[:16]


LAYOUT_VERSION = _layout_version()


def inhaltsversion(daten, wasserzeichen=""):
    text = json.dumps([LAYOUT_VERSION, wasserzeichen, daten], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _datum(wert, format_="d.m.Y"):
    return formats.date_format(wert, format_) if wert else ""


def vorlagen_mit_inhalt(user, vorlagen=None):
    """Vorlagen with everything their PDF prints, each relation filtered by the rule for ``user``."""
    sichtbare = Vorlage.objects.sichtbar_fuer(user)
    vorlagen = sichtbare if vorlagen is None else vorlagen
    return (
        vorlagen.select_related("dienststelle")
        .mit_urhebern()
        .mit_antworten(user)
        .prefetch_related(
            Prefetch(
                "beratungen",
                queryset=Beratung.objects.sichtbar_fuer(user)
                .fuer_beratungsfolge()
                .order_by("reihenfolge", "termin", "pk"),
            ),
            Prefetch("anlagen", queryset=Anlage.objects.sichtbar_fuer(user)),
            Prefetch("vorliegende_antraege", queryset=sichtbare.order_by("jahr", "nummer")),
            Prefetch("erledigte_antraege", queryset=sichtbare.order_by("jahr", "nummer")),
            # The earlier version for the annex of a Neufassung, only if ``user`` may see it (else None: no annex).
            Prefetch("bezug", queryset=sichtbare.select_related(None), to_attr="druck_bezug"),
        )
    )


def dateiname_vorlage(vorlage):
    """``GRDrs-952-2021.pdf``: the number as the city writes it, in a file name."""
    # The preview of a draft not yet registered has no number: "GRDrs-Entwurf-2026.pdf".
    nummer = "Entwurf" if vorlage.nummer is None else str(vorlage.nummer)
    teile = [vorlage.nummernkreis, nummer, str(vorlage.jahr), vorlage.zusatz]
    return "-".join(teil.replace("/", "-").replace(" ", "-") for teil in teile if teil) + ".pdf"


def aenderungen_daten(vorlage):
    """The annex "Änderungen gegenüber der früheren Fassung" of a Neufassung or Ergänzung whose clerk chose it: the
    changed sections inline, as lists of ``[art, text, leerraum]`` (text without its trailing space, which follows
    the marker instead). Empty when not chosen or when the requester may not see the earlier version: the PDF then
    shows nothing of it (``druck_bezug`` comes from ``vorlagen_mit_inhalt`` through the visibility rule)."""
    bezug = getattr(vorlage, "druck_bezug", None)
    if not vorlage.unterschiede_im_pdf or bezug is None:
        return None
    abschnitte = abschnitte_vergleichen(
        {feld: getattr(bezug, feld) for feld in TEXTFELDER}, {feld: getattr(vorlage, feld) for feld in TEXTFELDER}
    )
    return {
        "bezug": bezug.bezeichnung,
        "datum": _datum(bezug.datum),
        "abschnitte": [
            [
                str(Vorlage._meta.get_field(abschnitt.feld).verbose_name),
                [
                    [
                        [s.art, s.text if s.art == GLEICH else s.text.rstrip(), s.text[len(s.text.rstrip()) :]]
                        for s in a.stuecke
                    ]
                    for a in abschnitt.absaetze
                ],
            ]
            for abschnitt in abschnitte
            if abschnitt.geaendert
        ],
    }


def vorlage_daten(vorlage):
    with translation.override("de"):
        return {
            "pk": vorlage.pk,
            "koerperschaft": settings.RATSINFO_KOERPERSCHAFT,
            "ort": settings.RATSINFO_ORT,
            "bezeichnung": vorlage.bezeichnung,
            "art": str(vorlage.get_art_display()),
            "titel": vorlage.titel,
            "datum": _datum(vorlage.datum),
            "dienststelle": vorlage.dienststelle.name,
            # An Antrag or Anfrage is signed by Fraktionen and councillors, in the order of the paper.
            "hat_urheber": vorlage.hat_urheber,
            "anfrage": vorlage.art == Vorlage.Art.ANFRAGE,
            "urheber": [urheber.name for urheber in vorlage.urheber.all()] if vorlage.hat_urheber else [],
            "antwort_bis": _datum(vorlage.antwort_bis) if vorlage.art == Vorlage.Art.ANFRAGE else "",
            "ueberfaellig": vorlage.antwort_ueberfaellig,
            "beantwortet": [
                [antwort.bezeichnung, _datum(antwort.datum)] for antwort in getattr(vorlage, "sichtbare_antworten", [])
            ],
            "antwort_auf": (
                [vorlage.sichtbare_anfrage.bezeichnung, vorlage.sichtbare_anfrage.titel]
                if getattr(vorlage, "sichtbare_anfrage", None)
                else None
            ),
            "aktenzeichen": vorlage.aktenzeichen,
            "entwurf": not vorlage.ist_veroeffentlicht,
            "zurueckgezogen": vorlage.status == Vorlage.Status.ZURUECKGEZOGEN,
            "oeffentlich": vorlage.oeffentlich,
            "vertraulich": vorlage.vertraulich,
            "beratungen": [
                {
                    "ausschuss": beratung.ausschuss.name,
                    "rolle": str(beratung.get_rolle_display()),
                    "oeffentlich": beratung.oeffentlich,
                    "termin": _datum(beratung.sitzungstermin),
                    "ergebnis": str(beratung.get_ergebnis_display()),
                }
                for beratung in vorlage.beratungen.all()
            ],
            "abschnitte": [[str(titel), text] for titel, text in vorlage.abschnitte()],
            "mitzeichnung": vorlage.mitzeichnung,
            "vorliegende": [[v.bezeichnung, v.titel] for v in vorlage.vorliegende_antraege.all()],
            "erledigte": [[v.bezeichnung, v.titel] for v in vorlage.erledigte_antraege.all()],
            "unterzeichnet_von": vorlage.unterzeichnet_von,
            "unterzeichnet_funktion": vorlage.unterzeichnet_funktion,
            "anlagen": [
                {
                    "pk": anlage.pk,
                    "titel": anlage.titel,
                    "dateiname": anlage.dateiname,
                    "groesse": str(filesizeformat(anlage.groesse)),
                    "ist_pdf": anlage.mime_typ.split(";")[0].strip() == "application/pdf",
                    "oeffentlich": anlage.oeffentlich and not anlage.vertraulich,
                    # The file itself goes into the Mappe: a new upload under the same name is a new version.
                    "datei": anlage.datei.name,
                    "geaendert": anlage.geaendert_am.isoformat(),
                }
                for anlage in vorlage.anlagen.all()
            ],
            "aenderungen": aenderungen_daten(vorlage),
        }


def tops_mit_inhalt(user, sitzung):
    return (
        Tagesordnungspunkt.objects.mit_sichtbarkeit(user)
        .filter(sitzung=sitzung)
        .order_by("-oeffentlich", "reihenfolge", "pk")
        .prefetch_related(Prefetch("vorlagen", queryset=Vorlage.objects.sichtbar_fuer(user).order_by("jahr", "nummer")))
    )


def tagesordnung_daten(sitzung, tops):
    with translation.override("de"):
        punkte = []
        for top in tops:
            punkt = {"pk": top.pk, "bezeichnung": top.bezeichnung, "oeffentlich": top.oeffentlich}
            # A hidden TOP appears by its number only: nothing else of it may enter the data, or the hash.
            punkt["sichtbar"] = bool(top.inhalt_sichtbar)
            if top.inhalt_sichtbar:
                punkt.update(
                    titel=top.titel,
                    vorlagen=[[v.pk, v.bezeichnung, v.titel] for v in top.vorlagen.all()],
                    ergebnis=str(top.get_ergebnis_display()) if top.ergebnis else "",
                    beschluss=top.beschluss,
                )
            punkte.append(punkt)
        return {
            **_sitzung_kopf(sitzung),
            "anschrift": sitzung.ort.anschrift if sitzung.ort else "",
            "status": str(sitzung.get_status_display()),
            "abgesagt": sitzung.status == sitzung.Status.ABGESAGT,
            "oeffentlich": sitzung.oeffentlich,
            "oeffentliche_tops": [p for p in punkte if p["oeffentlich"]],
            "nichtoeffentliche_tops": [p for p in punkte if not p["oeffentlich"]],
        }


def dateiname_sitzung(sitzung, praefix):
    return f"{praefix}-{sitzung.ausschuss.slug}-{timezone.localtime(sitzung.beginn):%Y-%m-%d}.pdf"


def sitzungsdokument_daten(dokument):
    return {
        # Not an Anlage's number: the Mappe tells its files apart by this key.
        "pk": f"sitzungsdokument-{dokument.pk}",
        "art": str(dokument.get_art_display()),
        "titel": dokument.titel,
        "dateiname": dokument.dateiname,
        "groesse": str(filesizeformat(dokument.groesse)),
        "ist_pdf": dokument.ist_pdf,
        "oeffentlich": dokument.oeffentlich and dokument.sitzung.oeffentlich,
        "datei": dokument.datei.name,
        "geaendert": dokument.geaendert_am.isoformat(),
    }


def mappe_daten(sitzung, user):
    """The Einladung, the Tagesordnung, the Sitzung's other documents, then per visible TOP its visible Vorlagen
    with their visible Anlagen."""
    tops = list(tops_mit_inhalt(user, sitzung))
    daten = tagesordnung_daten(sitzung, tops)
    dokumente = (
        Sitzungsdokument.objects.sichtbar_fuer(user)
        .filter(sitzung=sitzung)
        .select_related("sitzung")
        .defer("text", "suchvektor")
        .order_by("reihenfolge", "pk")
    )
    with translation.override("de"):
        dokumente = [(d.art, sitzungsdokument_daten(d)) for d in dokumente]
    daten["dokumente_vorn"] = [d for art, d in dokumente if art == Sitzungsdokument.Art.EINLADUNG]
    daten["dokumente"] = [d for art, d in dokumente if art != Sitzungsdokument.Art.EINLADUNG]
    pks = {v.pk for top in tops if top.inhalt_sichtbar for v in top.vorlagen.all()}
    vorlagen = {v.pk: vorlage_daten(v) for v in vorlagen_mit_inhalt(user, Vorlage.objects.filter(pk__in=pks))}
    for punkt in daten["oeffentliche_tops"] + daten["nichtoeffentliche_tops"]:
        if punkt["sichtbar"]:
            punkt["vorlagen_inhalt"] = [vorlagen[pk] for pk, _b, _t in punkt["vorlagen"] if pk in vorlagen]
    return daten


def _abstimmung_daten(abstimmung):
    return {
        "gegenstand": abstimmung.gegenstand,
        "art": abstimmung.art,
        "ja": abstimmung.ja,
        "nein": abstimmung.nein,
        "enthaltung": abstimmung.enthaltung,
        "angenommen": abstimmung.angenommen,
        "stimmen": [[stimme.person.name, str(stimme.get_stimme_display())] for stimme in abstimmung.stimmen.all()],
    }


def protokoll_top_daten(top):
    """A TOP as the Niederschrift and the Beschlussauszug print it; a hidden one by its number only."""
    punkt = {"pk": top.pk, "bezeichnung": top.bezeichnung, "oeffentlich": top.oeffentlich}
    punkt["sichtbar"] = bool(top.inhalt_sichtbar)
    if top.inhalt_sichtbar:
        punkt.update(
            titel=top.titel,
            vorlagen=[[v.pk, v.bezeichnung, v.titel] for v in top.vorlagen.all()],
            ergebnis=str(top.get_ergebnis_display()) if top.ergebnis else "",
            beschluss=top.beschluss,
            beratungsverlauf=top.beratungsverlauf,
            befangen=[[b.person.name, b.grund] for b in top.befangenheiten.all()],
            abstimmungen=[_abstimmung_daten(a) for a in top.abstimmungen.all()],
        )
    return punkt


def _sitzung_kopf(sitzung):
    beginn = timezone.localtime(sitzung.beginn)
    ende = timezone.localtime(sitzung.ende) if sitzung.ende else None
    return {
        "pk": sitzung.pk,
        "koerperschaft": settings.RATSINFO_KOERPERSCHAFT,
        "titel": str(sitzung.titel),
        "ausschuss": sitzung.ausschuss.name,
        "datum": _datum(beginn, "l, j. F Y"),
        "datum_kurz": _datum(beginn),
        "uhrzeit": _datum(beginn, "H:i"),
        "ende": _datum(ende, "H:i") if ende else "",
        "ort": str(sitzung.ort) if sitzung.ort else "",
    }


def niederschrift_daten(sitzung, user):
    """The Niederschrift as ``user`` may read it: None for a draft she may not see (and where there is none)."""
    niederschrift = Niederschrift.objects.sichtbar_fuer(user).fuer_seite().filter(sitzung=sitzung).first()
    if niederschrift is None:
        return None
    with translation.override("de"):
        punkte = [protokoll_top_daten(top) for top in tagesordnung_mit_protokoll(user, sitzung)]
        anwesenheiten = []
        for anwesenheit in anwesenheiten_der_sitzung(sitzung):
            zusatz = []
            if not anwesenheit.stimmberechtigt:
                zusatz.append("ohne Stimmrecht")
            if anwesenheit.ab_top:
                zusatz.append(f"ab {anwesenheit.ab_top.bezeichnung}")
            if anwesenheit.bis_top:
                zusatz.append(f"bis {anwesenheit.bis_top.bezeichnung}")
            if anwesenheit.vertritt:
                zusatz.append(f"in Vertretung für {anwesenheit.vertritt.name}")
            if anwesenheit.bemerkung:
                zusatz.append(anwesenheit.bemerkung)
            anwesenheiten.append([anwesenheit.person.name, str(anwesenheit.get_status_display()), ", ".join(zusatz)])
        genehmigt_in = niederschrift.genehmigt_in
        return {
            **_sitzung_kopf(sitzung),
            "entwurf": niederschrift.veroeffentlicht_am is None,
            "status": str(niederschrift.get_status_display()),
            "genehmigt_am": _datum(timezone.localtime(genehmigt_in.beginn)) if genehmigt_in else "",
            "einleitung": niederschrift.einleitung,
            "schluss": niederschrift.schluss,
            "anwesenheiten": anwesenheiten,
            "genehmigte": [
                _datum(timezone.localtime(frueher.sitzung.beginn))
                for frueher in Niederschrift.objects.filter(genehmigt_in=sitzung).select_related("sitzung")
            ],
            "unterschriften": [
                [str(u.get_rolle_display()), u.name, _datum(u.datum)] for u in niederschrift.unterschriften.all()
            ],
            "oeffentliche_tops": [p for p in punkte if p["oeffentlich"]],
            "nichtoeffentliche_tops": [p for p in punkte if not p["oeffentlich"]],
        }


def beschlussauszug_daten(top, user):
    """The extract of one TOP's decision for the Ämter: None if ``user`` may not see the TOP's content."""
    top = tagesordnung_mit_protokoll(user, top.sitzung).filter(pk=top.pk).select_related("sitzung__ausschuss").first()
    if top is None or not top.inhalt_sichtbar:
        return None
    with translation.override("de"):
        return {**_sitzung_kopf(top.sitzung), "top": protokoll_top_daten(top)}


def dateiname_beschlussauszug(top):
    sitzung = top.sitzung
    nummer = top.bezeichnung.replace("Ö ", "Oe").replace("N ", "N").replace(" ", "-").replace("/", "-")
    return f"Beschlussauszug-{sitzung.ausschuss.slug}-{timezone.localtime(sitzung.beginn):%Y-%m-%d}-{nummer}.pdf"


def anonym():
    return AnonymousUser()


def daten_fuer(*, art, gegenstand, user):
    """Everything the document prints for ``user``, or None if the rule hides the document from her."""
    if art == Druckstueck.Art.VORLAGE:
        vorlage = vorlagen_mit_inhalt(user, Vorlage.objects.sichtbar_fuer(user).filter(pk=gegenstand.pk))
        vorlage = vorlage.first()
        return None if vorlage is None else vorlage_daten(vorlage)
    if art == Druckstueck.Art.TAGESORDNUNG:
        return tagesordnung_daten(gegenstand, tops_mit_inhalt(user, gegenstand))
    if art == Druckstueck.Art.NIEDERSCHRIFT:
        return niederschrift_daten(gegenstand, user)
    if art == Druckstueck.Art.BESCHLUSSAUSZUG:
        return beschlussauszug_daten(gegenstand, user)
    return mappe_daten(gegenstand, user)


def wasserzeichen_fuer(user):
    person = getattr(user, "person", None)
    name = (person.name if person else "") or user.get_full_name() or user.get_username()
    return f"Persönliches Exemplar für {name} – nichtöffentlich"
