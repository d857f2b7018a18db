"""What a councillor chooses to be told by e-mail (issue 18, item 3).

One ``Benachrichtigungseinstellung`` per account: which kinds of news reach her and how often. ``gesendet_bis`` is
the moment up to which news has gone out: the next run reports what happened after it and moves it on, in the same
transaction as the mail enters the outbox, so nothing is repeated and nothing skipped. What counts as news and
who may read it is decided in ``konten.neuigkeiten`` through the visibility rule.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ARTEN = ("neue_vorlagen", "tagesordnung", "nachtraege", "niederschriften")


class BenachrichtigungseinstellungQuerySet(models.QuerySet):
    def empfangsbereit(self):
        """Settings with something chosen, of an active account with an address: the only ones a mail may go to."""
        irgendwas = Q()
        for art in ARTEN:
            irgendwas |= Q(**{art: True})
        return self.filter(irgendwas, benutzer__is_active=True).exclude(benutzer__email="")


class Benachrichtigungseinstellung(models.Model):
    class Rhythmus(models.TextChoices):
        SOFORT = "sofort", _("sofort (etwa alle fünf Minuten)")
        TAEGLICH = "taeglich", _("täglich als Zusammenfassung")

    benutzer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        related_name="benachrichtigungseinstellung",
    )
    neue_vorlagen = models.BooleanField(_("neue Vorlagen in meinen Gremien"), default=False)
    tagesordnung = models.BooleanField(
        _("geänderte Tagesordnungen"),
        default=False,
        help_text=_("Neue oder geänderte Tagesordnungspunkte kommender Sitzungen meiner Gremien."),
    )
    nachtraege = models.BooleanField(_("Nachträge zur Einberufung"), default=False)
    niederschriften = models.BooleanField(_("veröffentlichte Niederschriften"), default=False)
    rhythmus = models.CharField(_("Rhythmus"), max_length=20, choices=Rhythmus.choices, default=Rhythmus.TAEGLICH)
    gesendet_bis = models.DateTimeField(
        _("Neuigkeiten gesendet bis"),
        default=timezone.now,
        help_text=_("Bis zu diesem Zeitpunkt sind Neuigkeiten verschickt; die nächste Nachricht beginnt danach."),
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = BenachrichtigungseinstellungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")
        ordering = ["benutzer__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rhythmus__in=["sofort", "taeglich"]),
                name="benachrichtigung_rhythmus_gueltig",
                violation_error_message=_("Unbekannter Rhythmus."),
            ),
        ]
        indexes = [models.Index(fields=["rhythmus", "id"], name="benachrichtigung_stapel_idx")]

    def __str__(self):
        return str(_("Benachrichtigungen für %(benutzer)s") % {"benutzer": self.benutzer})

    def get_absolute_url(self):
        return reverse("konto:benachrichtigungen")

    @property
    def irgendwas_gewaehlt(self):
        return any(getattr(self, art) for art in ARTEN)
