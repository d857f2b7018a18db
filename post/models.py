"""The outbox: every mail Ratsinfo sends, kept as the proof of what went to whom and what the server answered.

Nothing is sent from a web request: ``post.services.einreihen`` stores the rendered message and hands its id to the
worker (``post.tasks``). A message that fails for a reason that may pass (the server is down, a 4xx answer) stays
``wartend`` and is tried again with growing pauses; only a permanent refusal (5xx) or the last attempt marks it
``fehlgeschlagen``. The app knows no domain model: whoever sends keeps the link to its Nachrichten (an Einberufung
its Ladungen, a subscription its digests).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NachrichtQuerySet(models.QuerySet):
    def faellig(self, jetzt=None):
        """Waiting messages whose next attempt is due (or that were never tried)."""
        jetzt = jetzt or timezone.now()
        return self.filter(status=Nachricht.Status.WARTEND).filter(
            Q(naechster_versuch__isnull=True) | Q(naechster_versuch__lte=jetzt)
        )

    def haengend(self, seit):
        """Messages a worker took and never finished (it was killed mid-send): they are sent again."""
        return self.filter(status=Nachricht.Status.IN_ARBEIT, geaendert_am__lt=seit)


class Nachricht(models.Model):
    class Art(models.TextChoices):
        EINLADUNG = "einladung", _("Einladung")
        NACHTRAG = "nachtrag", _("Nachtrag")
        BESTAETIGUNG = "bestaetigung", _("Bestätigung eines Abonnements")
        BENACHRICHTIGUNG = "benachrichtigung", _("Benachrichtigung")
        ZUSAMMENFASSUNG = "zusammenfassung", _("Zusammenfassung")
        AUFGABE = "aufgabe", _("Aufgabe")
        SONSTIGE = "sonstige", _("Sonstige")

    class Status(models.TextChoices):
        WARTEND = "wartend", _("wartet auf Versand")
        IN_ARBEIT = "in_arbeit", _("wird gesendet")
        GESENDET = "gesendet", _("gesendet")
        FEHLGESCHLAGEN = "fehlgeschlagen", _("fehlgeschlagen")

    art = models.CharField(_("Art"), max_length=30, choices=Art.choices)
    empfaenger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nachrichten",
    )
    adresse = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    betreff = models.CharField(_("Betreff"), max_length=300)
    text = models.TextField(_("Text"))
    html = models.TextField(_("HTML-Fassung"), blank=True)
    kopfzeilen = models.JSONField(_("weitere Kopfzeilen"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, unique=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.WARTEND)
    versuche = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    naechster_versuch = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    antwort = models.TextField(_("Antwort des Mailservers"), blank=True)
    erstellt_am = models.DateTimeField(_("eingereiht am"), auto_now_add=True)
    gesendet_am = models.DateTimeField(_("gesendet am"), null=True, blank=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = NachrichtQuerySet.as_manager()

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Postausgang")
        ordering = ["-erstellt_am", "-pk"]
        indexes = [models.Index(fields=["status", "naechster_versuch"], name="post_nachricht_faellig")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="gesendet") | Q(gesendet_am__isnull=False),
                name="post_nachricht_gesendet_mit_zeitpunkt",
            ),
        ]

    def __str__(self):
        return f"{self.betreff} → {self.adresse}"
