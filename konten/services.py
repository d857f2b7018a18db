"""Writes of the councillors' notifications: choosing them, switching them off by link, and sending the news.

Sending (``benachrichtigungen_senden``) walks the settings of one rhythm in batches. Per batch, in one
transaction: read what is new for each user (``konten.neuigkeiten``, a fixed number of queries), build one German
mail per user with news, put them into the outbox (``post.services.einreihen``; the worker sends them after the
commit) and move every user's ``gesendet_bis`` to the end of the window. A batch that fails rolls back whole:
no mail without the moved mark, no moved mark without the mail.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from konten.models import ARTEN, Benachrichtigungseinstellung
from konten.neuigkeiten import neuigkeiten_fuer
from post.links import absolut, absolut_reverse
from post.models import Nachricht
from post.services import einreihen, nachricht_bauen

logger = logging.getLogger("ratsinfo.konten")

STAPEL = 200
# The window ends a little before now: a publication whose transaction is still open when the run starts carries
# an earlier timestamp than its commit, and would otherwise fall behind the moved mark unseen.
NACHLAUF = datetime.timedelta(minutes=1)
ABMELDE_SALZ = "konten.benachrichtigungen.abbestellen"
# A link in an old digest still works for a long while (RFC 8058 expects it to), but not forever.
ABMELDE_GUELTIG = datetime.timedelta(days=120)


def abmelde_token(benutzer):
    return signing.dumps(benutzer.pk, salt=ABMELDE_SALZ, compress=False)


def abmelde_token_lesen(token):
    """The id of the user a token was made for; ``signing.BadSignature`` (``SignatureExpired`` among them) if it
    is forged, damaged or too old."""
    wert = signing.loads(token, salt=ABMELDE_SALZ, max_age=ABMELDE_GUELTIG)
    if not isinstance(wert, int):
        raise signing.BadSignature("Kein Benutzer im Link.")
    return wert


@transaction.atomic
def benachrichtigungen_einstellen(
    *, benutzer, neue_vorlagen, tagesordnung, nachtraege, niederschriften, rhythmus, jetzt=None
):
    """Store what ``benutzer`` wants to be told. Choosing something after having had nothing starts the window
    now: a new subscriber is not sent the history."""
    jetzt = jetzt or timezone.now()
    einstellung = Benachrichtigungseinstellung.objects.select_for_update().filter(
        benutzer=benutzer
    ).first() or Benachrichtigungseinstellung(benutzer=benutzer, gesendet_bis=jetzt)
    war_gewaehlt = einstellung.pk is not None and einstellung.irgendwas_gewaehlt
    einstellung.neue_vorlagen = neue_vorlagen
    einstellung.tagesordnung = tagesordnung
    einstellung.nachtraege = nachtraege
    einstellung.niederschriften = niederschriften
    einstellung.rhythmus = rhythmus
    if not war_gewaehlt:
        einstellung.gesendet_bis = jetzt
    einstellung.full_clean()
    einstellung.save()
    return einstellung


@transaction.atomic
def benachrichtigungen_abbestellen(*, benutzer):
    """Switch every notification of ``benutzer`` off (the one-click link in each mail). Idempotent."""
    return Benachrichtigungseinstellung.objects.filter(benutzer=benutzer).update(
        **dict.fromkeys(ARTEN, False), geaendert_am=timezone.now()
    )


def _termin(sitzung):
    return timezone.localtime(sitzung.beginn).strftime("%d.%m.%Y, %H:%M")


def _abschnitte(neuigkeiten, *, seit, zeilen):
    """The mail's sections: a heading and its lines, each with the absolute link to the page behind it.

    ``zeilen`` keeps each line once per batch: a Vorlage of a large Gremium is in many mails, and its link and
    text are the same in all of them."""

    def zeile(schluessel, objekt, text):
        if schluessel not in zeilen:
            zeilen[schluessel] = (text(), absolut(objekt.get_absolute_url()))
        return zeilen[schluessel]

    top_zeile = _("%(sitzung)s am %(termin)s Uhr – %(top)s %(titel)s (%(wie)s)")
    neu, geaendert = pgettext("Tagesordnungspunkt", "neu"), pgettext("Tagesordnungspunkt", "geändert")
    nachtrag_zeile = _("%(sitzung)s am %(termin)s Uhr – %(nummer)d. Nachtrag")
    niederschrift_zeile = _("%(sitzung)s am %(termin)s Uhr – Niederschrift")

    def sitzung_felder(sitzung):
        return {"sitzung": sitzung.titel, "termin": _termin(sitzung)}

    abschnitte = [
        (
            _("Neue Vorlagen"),
            [
                zeile(("vorlage", vorlage.pk), vorlage, lambda v=vorlage: f"{v.bezeichnung}: {v.titel}")
                for vorlage in neuigkeiten.vorlagen
            ],
        ),
        (
            _("Geänderte Tagesordnungen"),
            [
                zeile(
                    ("top", top.pk, top.erstellt_am > seit),
                    top,
                    lambda t=top: (
                        top_zeile
                        % {
                            **sitzung_felder(t.sitzung),
                            "top": t.bezeichnung,
                            "titel": t.titel,
                            "wie": neu if t.erstellt_am > seit else geaendert,
                        }
                    ),
                )
                for top in neuigkeiten.tops
            ],
        ),
        (
            _("Nachträge zur Einberufung"),
            [
                zeile(
                    ("nachtrag", nachtrag.pk),
                    nachtrag.sitzung,
                    lambda n=nachtrag: nachtrag_zeile % {**sitzung_felder(n.sitzung), "nummer": n.nummer},
                )
                for nachtrag in neuigkeiten.nachtraege
            ],
        ),
        (
            _("Veröffentlichte Niederschriften"),
            [
                zeile(
                    ("niederschrift", niederschrift.pk),
                    niederschrift,
                    lambda n=niederschrift: niederschrift_zeile % sitzung_felder(n.sitzung),
                )
                for niederschrift in neuigkeiten.niederschriften
            ],
        ),
    ]
    return [(titel, eintraege) for titel, eintraege in abschnitte if eintraege]


def _mail(einstellung, neuigkeiten, *, rhythmus, bis, zeilen):
    benutzer = einstellung.benutzer
    sofort = rhythmus == Benachrichtigungseinstellung.Rhythmus.SOFORT
    abmelden = absolut_reverse("konto:benachrichtigungen-abbestellen", token=abmelde_token(benutzer))
    with translation.override(settings.LANGUAGE_CODE):
        if sofort:
            betreff = _("Neuigkeiten aus Ihren Gremien")
        else:
            betreff = _("Tägliche Zusammenfassung aus Ihren Gremien vom %(datum)s") % {
                "datum": timezone.localtime(bis).strftime("%d.%m.%Y")
            }
        text = render_to_string(
            "konto/benachrichtigung_mail.txt",
            {
                "name": benutzer.get_full_name() or benutzer.get_username(),
                "sofort": sofort,
                "abschnitte": _abschnitte(neuigkeiten, seit=einstellung.gesendet_bis, zeilen=zeilen),
                "einstellungen_url": absolut_reverse("konto:benachrichtigungen"),
                "abmelden_url": abmelden,
                "koerperschaft": settings.RATSINFO_KOERPERSCHAFT,
            },
        )
    nachricht = nachricht_bauen(
        art=Nachricht.Art.BENACHRICHTIGUNG if sofort else Nachricht.Art.ZUSAMMENFASSUNG,
        adresse=benutzer.email,
        betreff=betreff,
        text=text,
        kopfzeilen={
            "List-Unsubscribe": f"<{abmelden}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    # Set after the check: she was read in this very transaction, and full_clean would ask the database again
    # whether she exists, once per mail.
    nachricht.empfaenger = benutzer
    return nachricht


@transaction.atomic
def _stapel_senden(*, rhythmus, bis, nach_pk, groesse):
    einstellungen = list(
        Benachrichtigungseinstellung.objects.empfangsbereit()
        .filter(rhythmus=rhythmus, pk__gt=nach_pk, gesendet_bis__lt=bis)
        .select_related("benutzer")
        # Two runs at once (a slow daily run meeting the next): each batch is taken by one of them only.
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")[:groesse]
    )
    if not einstellungen:
        return None, 0
    neu = neuigkeiten_fuer(einstellungen, bis=bis)
    nachrichten, zeilen = [], {}
    for einstellung in einstellungen:
        if not neu[einstellung.benutzer_id]:
            continue
        try:
            nachrichten.append(
                _mail(einstellung, neu[einstellung.benutzer_id], rhythmus=rhythmus, bis=bis, zeilen=zeilen)
            )
        except ValidationError:
            # An address the outbox refuses would refuse again on every run; the clerk corrects it in the admin.
            logger.warning("Benachrichtigung an Benutzer %s nicht möglich: ungültige Adresse.", einstellung.benutzer_id)
    if nachrichten:
        einreihen(nachrichten=nachrichten)
    Benachrichtigungseinstellung.objects.filter(pk__in=[e.pk for e in einstellungen]).update(gesendet_bis=bis)
    return einstellungen[-1].pk, len(nachrichten)


def benachrichtigungen_senden(*, rhythmus, jetzt=None, groesse=STAPEL):
    """Queue one mail per user of ``rhythmus`` with news since her last one; returns how many were queued."""
    bis = (jetzt or timezone.now()) - NACHLAUF
    letzte, eingereiht = 0, 0
    while True:
        letzte, anzahl = _stapel_senden(rhythmus=rhythmus, bis=bis, nach_pk=letzte, groesse=groesse)
        if letzte is None:
            return eingereiht
        eingereiht += anzahl
