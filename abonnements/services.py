"""Writes of the subscriptions: subscribing (double opt-in), confirming, unsubscribing, managing, forgetting.

Every mail goes through the outbox (``post``): a confirmation request, a "schon abonniert" note, a manage link.
Addresses are kept only with consent and only while they follow something: the last unsubscribe, "alle löschen"
and an unconfirmed request whose link expired take the address and its mails with them (DSGVO).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from abonnements import links
from abonnements.models import Abonnement, Abonnent
from post.links import absolut_reverse
from post.models import Nachricht
from post.services import adresse_vergessen, einreihen, nachricht_bauen

# The kinds of mail a citizen gets: forgotten with her address. (Einladungen go to councillors and are proof.)
ARTEN_DER_ABONNENTEN = [Nachricht.Art.BESTAETIGUNG, Nachricht.Art.ZUSAMMENFASSUNG]
SIGNATUR_SALZ = "abonnements.bestaetigen"


class LinkUngueltig(Exception):
    """A confirmation link that cannot be used; ``grund`` is the German sentence, ``status`` the HTTP status."""

    def __init__(self, grund, status):
        super().__init__(grund)
        self.grund = grund
        self.status = status


def gueltigkeit():
    return datetime.timedelta(days=settings.RATSINFO_ABO_BESTAETIGUNG_TAGE)


def bestaetigungs_signatur(abonnement):
    return signing.TimestampSigner(salt=SIGNATUR_SALZ).sign(abonnement.token)


def bestaetigen_url(abonnement):
    return absolut_reverse("abo:bestaetigen", signatur=bestaetigungs_signatur(abonnement))


def abonnement_zur_signatur(signatur):
    """The unconfirmed Abonnement a confirmation link names; LinkUngueltig with the reason otherwise."""
    signer = signing.TimestampSigner(salt=SIGNATUR_SALZ)
    try:
        token = signer.unsign(signatur, max_age=gueltigkeit())
    except signing.SignatureExpired:
        raise LinkUngueltig(
            _(
                "Dieser Bestätigungslink ist abgelaufen: er gilt %(tage)d Tage. Bitte bestellen Sie das Abonnement "
                "noch einmal; Sie bekommen dann einen neuen Link."
            )
            % {"tage": settings.RATSINFO_ABO_BESTAETIGUNG_TAGE},
            410,
        ) from None
    except signing.BadSignature:
        raise LinkUngueltig(
            _(
                "Dieser Bestätigungslink ist ungültig. Bitte kopieren Sie den Link vollständig aus der E-Mail in die "
                "Adresszeile des Browsers."
            ),
            400,
        ) from None
    abonnement = (
        Abonnement.objects.select_related("abonnent", "ausschuss", "vorlage", "person")
        .mit_oeffentlichkeit()
        .filter(token=token)
        .first()
    )
    if abonnement is None:
        raise LinkUngueltig(
            _("Dieses Abonnement gibt es nicht mehr: es wurde abbestellt oder gelöscht."),
            410,
        )
    if abonnement.bestaetigt_am is not None:
        raise LinkUngueltig(
            _("Dieser Bestätigungslink wurde bereits verwendet: das Abonnement ist schon bestätigt."),
            410,
        )
    return abonnement


def _mail(*, abonnent, betreff, vorlage, kontext):
    return nachricht_bauen(
        art=Nachricht.Art.BESTAETIGUNG,
        adresse=abonnent.adresse,
        betreff=betreff,
        text=render_to_string(vorlage, {"koerperschaft": settings.RATSINFO_KOERPERSCHAFT, **kontext}),
    )


def _gleiches_abonnement(abonnent, gegenstand):
    felder = {key: wert for key, wert in gegenstand.items() if key != "art"}
    return Abonnement.objects.filter(abonnent=abonnent, art=gegenstand["art"], **felder).first()


@transaction.atomic
def abonnieren(*, adresse, gegenstand, rhythmus, einwilligung_text, jetzt=None):
    """Store an unconfirmed subscription of ``adresse`` to ``gegenstand`` and mail the confirmation link.

    ``gegenstand`` holds ``art`` and the target's field (``ausschuss``, ``vorlage``, ``person``, or ``suchbegriff``
    with ``suchfilter``), already checked to be public. An address that already has the same subscription gets no
    second one: if unconfirmed, a new confirmation link; if confirmed, a note with the link to her manage page.
    Returns the Abonnement.
    """
    jetzt = jetzt or timezone.now()
    verfallene_loeschen(jetzt=jetzt)
    adresse = adresse.strip().lower()
    abonnent = Abonnent.objects.select_for_update().filter(adresse=adresse).first()
    if abonnent is None:
        abonnent = Abonnent(adresse=adresse, einwilligung_am=jetzt, einwilligung_text=einwilligung_text)
        abonnent.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                abonnent.save()
        except IntegrityError:
            # The same new address signed up in the same moment by a second request: use its row.
            abonnent = Abonnent.objects.select_for_update().get(adresse=adresse)
    vorhanden = _gleiches_abonnement(abonnent, gegenstand)
    if vorhanden is not None and vorhanden.bestaetigt_am is not None:
        einreihen(
            nachrichten=[
                _mail(
                    abonnent=abonnent,
                    betreff=_("Sie folgen bereits: %(gegenstand)s") % {"gegenstand": vorhanden.gegenstand_text()},
                    vorlage="abo/mail_schon_abonniert.txt",
                    kontext={"abonnement": vorhanden, "verwalten_url": links.verwalten_url(abonnent)},
                )
            ]
        )
        return vorhanden
    if vorhanden is None:
        abonnement = Abonnement(abonnent=abonnent, rhythmus=rhythmus, **gegenstand)
        abonnement.full_clean()
        try:
            with transaction.atomic():
                abonnement.save()
        except IntegrityError:
            # A second request for the same thing in the same moment: the first one's row stands.
            abonnement = _gleiches_abonnement(abonnent, gegenstand)
    else:
        abonnement = vorhanden
        if abonnement.rhythmus != rhythmus:
            abonnement.rhythmus = rhythmus
            abonnement.save(update_fields=["rhythmus"])
    einreihen(
        nachrichten=[
            _mail(
                abonnent=abonnent,
                betreff=_("Bitte bestätigen Sie Ihr Abonnement: %(gegenstand)s")
                % {"gegenstand": abonnement.gegenstand_text()},
                vorlage="abo/mail_bestaetigen.txt",
                kontext={
                    "abonnement": abonnement,
                    "bestaetigen_url": bestaetigen_url(abonnement),
                    "tage": settings.RATSINFO_ABO_BESTAETIGUNG_TAGE,
                    "datenschutz_url": absolut_reverse("abo:datenschutz"),
                },
            )
        ]
    )
    return abonnement


@transaction.atomic
def bestaetigen(*, abonnement, einwilligung_text=None, jetzt=None):
    """Double opt-in, second step: from now on the subscription is sent. Its news start now, not in the past."""
    jetzt = jetzt or timezone.now()
    abonnement = Abonnement.objects.select_for_update().get(pk=abonnement.pk)
    if abonnement.bestaetigt_am is not None:
        return abonnement
    abonnement.bestaetigt_am = jetzt
    abonnement.gesendet_bis = jetzt
    abonnement.full_clean()
    abonnement.save(update_fields=["bestaetigt_am", "gesendet_bis"])
    if einwilligung_text:
        # The consent on record is the last one confirmed from the mailbox (not a stranger's unconfirmed request).
        Abonnent.objects.filter(pk=abonnement.abonnent_id).update(
            einwilligung_am=jetzt, einwilligung_text=einwilligung_text
        )
    return abonnement


def _abonnent_vergessen(abonnent):
    adresse = abonnent.adresse
    abonnent.delete()
    adresse_vergessen(adresse=adresse, arten=ARTEN_DER_ABONNENTEN)


@transaction.atomic
def abbestellen(*, abonnement):
    """Delete one subscription; with the address's last one the address and its mails go too. True if so."""
    abonnent = Abonnent.objects.select_for_update().filter(pk=abonnement.abonnent_id).first()
    if abonnent is None:
        # A second click in the same moment: the first one already deleted the address.
        return True
    Abonnement.objects.filter(pk=abonnement.pk).delete()
    if not abonnent.abonnements.exists():
        _abonnent_vergessen(abonnent)
        return True
    return False


@transaction.atomic
def alle_loeschen(*, abonnent):
    """Delete all subscriptions of the address and the address: nothing of it stays (DSGVO)."""
    gesperrt = Abonnent.objects.select_for_update().filter(pk=abonnent.pk).first()
    if gesperrt is not None:  # not already deleted by a second click
        _abonnent_vergessen(gesperrt)


@transaction.atomic
def rhythmus_aendern(*, abonnement, rhythmus):
    abonnement.rhythmus = rhythmus
    abonnement.full_clean()
    abonnement.save(update_fields=["rhythmus"])
    return abonnement


@transaction.atomic
def verwaltungslink_senden(*, adresse):
    """Mail the manage link to ``adresse`` if it is subscribed; nothing otherwise. The caller answers the same
    either way, so the page tells nobody whether an address is known."""
    abonnent = Abonnent.objects.filter(adresse=adresse.strip().lower()).first()
    if abonnent is None:
        return False
    einreihen(
        nachrichten=[
            _mail(
                abonnent=abonnent,
                betreff=_("Ihre Abonnements verwalten"),
                vorlage="abo/mail_verwalten.txt",
                kontext={"verwalten_url": links.verwalten_url(abonnent)},
            )
        ]
    )
    return True


@transaction.atomic
def verfallene_loeschen(*, jetzt=None):
    """Unconfirmed subscriptions whose link has expired, and addresses left without any: consent never came."""
    jetzt = jetzt or timezone.now()
    Abonnement.objects.unbestaetigt_seit(jetzt - gueltigkeit()).delete()
    for abonnent in Abonnent.objects.filter(abonnements__isnull=True):
        _abonnent_vergessen(abonnent)
