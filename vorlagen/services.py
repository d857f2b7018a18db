"""Writes with side effects on Vorlagen. Keyword-only, atomic, validating first."""

import hashlib
import json

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gremien.models import Ausschuss, Person
from vorlagen.models import (
    TEXTFELDER,
    URHEBER_ARTEN,
    Anlage,
    AnlageAbruf,
    Nummernzaehler,
    Textstand,
    Urheber,
    Vorlage,
    nummernkreis_von,
)

# Re-exported: the demo data, the anlagentext_lesen command and callers outside the worker read a text at once.
from vorlagen.tasks import anlage_text_aktualisieren as anlage_text_aktualisieren
from vorlagen.tasks import anlage_text_lesen


def _protokollieren(*, user, vorlage, nachricht):
    # The admin's history is the change record clerks look at; service writes belong in it too.
    if user is None or not user.is_authenticated:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[vorlage],
        action_flag=CHANGE,
        change_message=nachricht,
        single_object=True,
    )


def _zaehler_sperren(*, art, jahr) -> Nummernzaehler:
    """The counter row of the series and year, locked until the transaction ends.

    The row is created if missing with INSERT … ON CONFLICT DO NOTHING: on PostgreSQL a second clerk creating it
    at the same moment waits for the first one's commit and then finds it, instead of failing on the unique
    constraint. ``select_for_update`` then queues everyone giving a number in this series. On SQLite the first
    write takes the database lock (transaction_mode IMMEDIATE), which serialises the writers as well.
    """
    kreis = nummernkreis_von(art)
    Nummernzaehler.objects.bulk_create([Nummernzaehler(nummernkreis=kreis, jahr=jahr)], ignore_conflicts=True)
    return Nummernzaehler.objects.select_for_update().get(nummernkreis=kreis, jahr=jahr)


@transaction.atomic
def nummer_vergeben(*, vorlage: Vorlage, user, jetzt=None) -> Vorlage:
    """Register a draft: give it the next free number of its Nummernkreis in its year.

    The next number follows both the counter (so a number once given, even to a draft deleted later, is never
    given again) and the highest number stored in the series and year (so numbers typed by hand or imported are
    respected). Only the number, the address derived from it and the time are written; other unsaved changes of
    ``vorlage`` are not.
    """
    # The Vorlage's row first: two clerks registering the same paper give it one number, not two.
    gespeichert = Vorlage.objects.select_for_update().filter(pk=vorlage.pk).first()
    if gespeichert is None:
        raise ValidationError(_("Die Vorlage ist nicht gespeichert."))
    if gespeichert.nummer is not None:
        raise ValidationError(
            _("%(vorlage)s hat schon eine Nummer.") % {"vorlage": gespeichert.bezeichnung}, code="hat_nummer"
        )
    gespeichert.full_clean()
    zaehler = _zaehler_sperren(art=gespeichert.art, jahr=gespeichert.jahr)
    hoechste = Vorlage.objects.im_nummernkreis(gespeichert.art, gespeichert.jahr).aggregate(h=Max("nummer"))["h"]
    gespeichert.nummer = max(zaehler.letzte_nummer, hoechste or 0) + 1
    gespeichert.nummer_vergeben_am = jetzt or timezone.now()
    gespeichert.full_clean()
    gespeichert.save(update_fields=["nummer", "kennung", "nummer_vergeben_am", "geaendert_am"])
    zaehler.letzte_nummer = gespeichert.nummer
    zaehler.save(update_fields=["letzte_nummer"])
    _protokollieren(
        user=user,
        vorlage=gespeichert,
        nachricht=_("Nummer %(bezeichnung)s vergeben (registriert).") % {"bezeichnung": gespeichert.bezeichnung},
    )
    for feld in ("nummer", "kennung", "nummer_vergeben_am", "geaendert_am"):
        setattr(vorlage, feld, getattr(gespeichert, feld))
    return vorlage


@transaction.atomic
def vorlage_veroeffentlichen(*, vorlage: Vorlage, user=None, jetzt=None) -> Vorlage:
    """Make a draft public. Publishing twice keeps the first date: the record says when it became public."""
    vorlage.full_clean()
    if vorlage.nummer is None:
        raise ValidationError(
            _(
                "Eine Vorlage ohne Nummer kann nicht veröffentlicht werden: bitte zuerst „Nummer vergeben "
                "(registrieren)“."
            ),
            code="ohne_nummer",
        )
    if vorlage.status == Vorlage.Status.VEROEFFENTLICHT:
        return vorlage
    urheber_pruefen(vorlage=vorlage)
    vorlage.status = Vorlage.Status.VEROEFFENTLICHT
    vorlage.veroeffentlicht_am = vorlage.veroeffentlicht_am or jetzt or timezone.now()
    vorlage.save(update_fields=["status", "veroeffentlicht_am", "geaendert_am"])
    _protokollieren(user=user, vorlage=vorlage, nachricht=_("Veröffentlicht."))
    return vorlage


def urheber_pruefen(*, vorlage: Vorlage) -> None:
    """An Antrag or Anfrage is published only with its signatories: who asks is part of the paper."""
    if vorlage.art in URHEBER_ARTEN and not vorlage.urheber.exists():
        if vorlage.art == Vorlage.Art.ANFRAGE:
            text = _(
                "Eine Anfrage braucht mindestens eine Fragestellerin oder einen Fragesteller (Fraktion oder "
                "Person): bitte unter „Antragsteller/-innen“ eintragen."
            )
        else:
            text = _(
                "Ein Antrag braucht mindestens eine Antragstellerin oder einen Antragsteller (Fraktion oder "
                "Person): bitte unter „Antragsteller/-innen“ eintragen."
            )
        raise ValidationError(text, code="ohne_urheber")


@transaction.atomic
def urheber_setzen(*, vorlage: Vorlage, urheber: list, user=None) -> list[Urheber]:
    """Make ``urheber`` (Fraktionen as ``Ausschuss`` of art Fraktion, and ``Person``s, in the order signed) the
    signatories of ``vorlage``. Existing rows are kept and renumbered, new ones added before old ones go, so a
    published paper is never without signatories on the way (the database refuses that, migration 0011)."""
    if vorlage.art not in URHEBER_ARTEN:
        raise ValidationError(_("Antragstellerinnen und Antragsteller gibt es nur bei Anträgen und Anfragen."))
    if not urheber and vorlage.ist_veroeffentlicht:
        raise ValidationError(
            _(
                "Ein veröffentlichter Antrag oder eine veröffentlichte Anfrage behält mindestens "
                "eine Antragstellerin oder einen Antragsteller."
            )
        )
    vorhanden = {(u.fraktion_id, u.person_id): u for u in vorlage.urheber.all()}
    ergebnis, gesehen, geaendert = [], set(), False
    for wer in urheber:
        if isinstance(wer, Ausschuss):
            if wer.art != Ausschuss.Art.FRAKTION:
                raise ValidationError(
                    _("%(name)s ist keine Fraktion und kann nicht Antragstellerin sein.") % {"name": wer.name}
                )
            schluessel = (wer.pk, None)
        elif isinstance(wer, Person):
            schluessel = (None, wer.pk)
        else:
            raise ValidationError(_("Antragsteller/-in muss eine Fraktion oder eine Person sein."))
        if schluessel in gesehen:
            continue
        gesehen.add(schluessel)
        zeile = vorhanden.get(schluessel) or Urheber(
            vorlage=vorlage, fraktion_id=schluessel[0], person_id=schluessel[1]
        )
        if zeile.pk is None or zeile.reihenfolge != len(ergebnis) + 1:
            zeile.reihenfolge = len(ergebnis) + 1
            zeile.full_clean(validate_constraints=False)
            zeile.save()
            geaendert = True
        ergebnis.append(zeile)
    veraltet = [zeile.pk for schluessel, zeile in vorhanden.items() if schluessel not in gesehen]
    if veraltet:
        Urheber.objects.filter(pk__in=veraltet).delete()
    if veraltet or geaendert:
        # The signatories are part of the paper: its change time (OParl "modified", feeds) moves with them.
        Vorlage.objects.filter(pk=vorlage.pk).update(geaendert_am=timezone.now())
        _protokollieren(
            user=user,
            vorlage=vorlage,
            nachricht=_("Antragsteller/-innen: %(namen)s") % {"namen": ", ".join(str(z) for z in ergebnis) or "–"},
        )
    return ergebnis


@transaction.atomic
def vorlage_zurueckziehen(*, vorlage: Vorlage, user=None) -> Vorlage:
    """Withdraw a published Vorlage. It stays public as a record, marked withdrawn, and keeps its address."""
    if vorlage.status == Vorlage.Status.ENTWURF:
        raise ValidationError(_("Ein Entwurf kann nicht zurückgezogen werden; er ist nicht veröffentlicht."))
    vorlage.status = Vorlage.Status.ZURUECKGEZOGEN
    vorlage.save(update_fields=["status", "geaendert_am"])
    _protokollieren(user=user, vorlage=vorlage, nachricht=_("Zurückgezogen."))
    return vorlage


def anlage_abruf_protokollieren(*, anlage: Anlage, benutzer) -> AnlageAbruf | None:
    """Record that someone opened an Anlage the public may not see. Public files are not logged: no need to."""
    abrufe = anlagen_abrufe_protokollieren(anlagen=Anlage.objects.filter(pk=anlage.pk), benutzer=benutzer)
    return abrufe[0] if abrufe else None


def anlagen_abrufe_protokollieren(*, anlagen, benutzer) -> list[AnlageAbruf]:
    """The same for several Anlagen at once (a Sitzungsmappe), in two queries whatever their number."""
    nichtoeffentlich = anlagen.exclude(pk__in=Anlage.objects.sichtbar_fuer(AnonymousUser()).values("pk"))
    return AnlageAbruf.objects.bulk_create(
        AnlageAbruf(anlage_id=pk, benutzer=benutzer) for pk in nichtoeffentlich.values_list("pk", flat=True)
    )


def anlage_text_anstossen(*, anlage: Anlage) -> None:
    """Mark the Anlage's text as pending and read it in the background once the upload is committed.

    Called by the write path that stores a file (the Vorlage admin's Anlagen, the demo data); with the immediate
    backend of the embedded mode the text is read right after the transaction.
    """
    Anlage.objects.filter(pk=anlage.pk).update(textstatus=Anlage.Textstatus.AUSSTEHEND)
    anlage.textstatus = Anlage.Textstatus.AUSSTEHEND
    transaction.on_commit(lambda: anlage_text_lesen.enqueue(anlage.pk))


def textinhalt(vorlage: Vorlage) -> dict:
    """The Vorlage's text as a ``Textstand`` keeps it: ``{feld: text}`` for every field of ``TEXTFELDER``."""
    return {feld: getattr(vorlage, feld) or "" for feld in TEXTFELDER}


def textinhalt_pruefsumme(inhalt: dict) -> str:
    return hashlib.sha256(json.dumps(inhalt, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def textstand_festhalten(*, vorlage: Vorlage, user=None) -> Textstand:
    """The ``Textstand`` of the Vorlage's stored text, created the first time this text is seen.

    Reads the text from the database, not from ``vorlage``: a decision must name what was saved, never an unsaved
    edit. Safe against two callers at once (the unique constraint; the loser reads the winner's row).
    """
    gespeichert = Vorlage.objects.get(pk=vorlage.pk)
    inhalt = textinhalt(gespeichert)
    pruefsumme = textinhalt_pruefsumme(inhalt)
    Textstand.objects.bulk_create(
        [
            Textstand(
                vorlage=gespeichert,
                pruefsumme=pruefsumme,
                inhalt=inhalt,
                erstellt_von=user if user and user.is_authenticated else None,
            )
        ],
        ignore_conflicts=True,
    )
    return Textstand.objects.get(vorlage=gespeichert, pruefsumme=pruefsumme)


def _zusatz_fuer(*, vorlage, bezugsart):
    """ "Neufassung", then "2. Neufassung", "3. Neufassung" … (the same for Ergänzungen): the first Zusatz the
    number of ``vorlage`` does not have yet in its series and year."""
    wort = str(Vorlage.Bezugsart(bezugsart).label)
    belegt = set(
        Vorlage.objects.im_nummernkreis(vorlage.art, vorlage.jahr)
        .filter(nummer=vorlage.nummer)
        .values_list("zusatz", flat=True)
    )
    zusatz, n = wort, 1
    while zusatz in belegt:
        n += 1
        zusatz = f"{n}. {wort}"
    return zusatz


@transaction.atomic
def neufassung_anlegen(*, vorlage: Vorlage, user, bezugsart=Vorlage.Bezugsart.NEUFASSUNG) -> Vorlage:
    """A draft Neufassung (or Ergänzung) of the published ``vorlage``: the same Art, number and year with the next
    free Zusatz ("Neufassung", "2. Neufassung" …), its text, Dienststelle and access copied, linked by ``bezug``.

    The number stays the paper's: the unique constraint on the numbers includes the Zusatz, and the address
    (kennung) follows from it. The clerk edits the draft and publishes it as any other.
    """
    if bezugsart not in Vorlage.Bezugsart.values:
        raise ValidationError(_("Bitte Neufassung oder Ergänzung wählen."))
    gespeichert = Vorlage.objects.select_for_update().filter(pk=vorlage.pk).first()
    if gespeichert is None:
        raise ValidationError(_("Die Vorlage ist nicht gespeichert."))
    if not gespeichert.ist_veroeffentlicht:
        raise ValidationError(
            _(
                "%(vorlage)s ist ein Entwurf: eine Neufassung oder Ergänzung gibt es nur von einer "
                "veröffentlichten Vorlage."
            )
            % {"vorlage": gespeichert.bezeichnung}
        )
    heute = timezone.localdate()
    neu = Vorlage(
        art=gespeichert.art,
        nummer=gespeichert.nummer,
        jahr=gespeichert.jahr,
        zusatz=_zusatz_fuer(vorlage=gespeichert, bezugsart=bezugsart),
        datum=max(heute, gespeichert.datum),
        dienststelle=gespeichert.dienststelle,
        aktenzeichen=gespeichert.aktenzeichen,
        unterzeichnet_von=gespeichert.unterzeichnet_von,
        unterzeichnet_funktion=gespeichert.unterzeichnet_funktion,
        oeffentlich=gespeichert.oeffentlich,
        vertraulich=gespeichert.vertraulich,
        bezug=gespeichert,
        bezugsart=bezugsart,
        status=Vorlage.Status.ENTWURF,
        # The number is given already (the paper's own): art, number and year stay fixed in the admin.
        nummer_vergeben_am=timezone.now(),
        **{feld: getattr(gespeichert, feld) for feld in TEXTFELDER},
    )
    neu.full_clean()
    neu.save()
    _protokollieren(
        user=user,
        vorlage=neu,
        nachricht=_("Als %(art)s von %(vorlage)s angelegt.")
        % {"art": Vorlage.Bezugsart(bezugsart).label, "vorlage": gespeichert.bezeichnung},
    )
    return neu
