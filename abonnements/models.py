"""E-mail subscriptions of citizens, without an account (DSGVO: stored only with consent, deleted on request).

An ``Abonnent`` is one address, kept with the moment and the text of the consent; it exists only while it has
subscriptions: whoever unsubscribes from the last one, or deletes all, leaves no address behind. An ``Abonnement``
follows one thing (a Gremium, a Vorlage, a Person, or a search with its filters), in a daily or weekly digest. It
is sent only once confirmed by the link in the mail (double opt-in); ``gesendet_bis`` is the moment up to which
news went out, so a digest never repeats nor skips anything. Only public content, read through the one visibility
rule for the anonymous visitor, goes into these mails.
"""

import secrets

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss, Person
from vorlagen.models import Vorlage


def neues_token():
    return secrets.token_urlsafe(32)


class Abonnent(models.Model):
    adresse = models.EmailField(_("E-Mail-Adresse"), max_length=254, unique=True)
    token = models.CharField(_("Schlüssel der Verwaltungsseite"), max_length=64, unique=True, default=neues_token)
    einwilligung_am = models.DateTimeField(_("eingewilligt am"))
    einwilligung_text = models.TextField(_("Text der Einwilligung"))
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnent/in")
        verbose_name_plural = _("Abonnentinnen und Abonnenten")
        ordering = ["adresse"]

    def __str__(self):
        return self.adresse

    def save(self, *args, **kwargs):
        # One address, one row: "Rat@Example.org" and "rat@example.org" are the same reader.
        self.adresse = self.adresse.strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("abo:verwalten", kwargs={"token": self.token})


class AbonnementQuerySet(models.QuerySet):
    def bestaetigt(self):
        return self.filter(bestaetigt_am__isnull=False)

    def unbestaetigt_seit(self, zeitpunkt):
        """Unconfirmed subscriptions asked for before ``zeitpunkt``: their link has expired."""
        return self.filter(bestaetigt_am__isnull=True, erstellt_am__lt=zeitpunkt)

    def mit_oeffentlichkeit(self):
        """Annotates ``gegenstand_oeffentlich``: whether the anonymous visitor may see what is followed today, by the
        one visibility rule (a Vorlage may have been withdrawn, a Gremium turned into a Fraktion)."""
        anonym = AnonymousUser()
        return self.annotate(
            gegenstand_oeffentlich=models.Case(
                models.When(
                    art=Abonnement.Art.VORLAGE,
                    then=Exists(Vorlage.objects.sichtbar_fuer(anonym).filter(pk=OuterRef("vorlage"))),
                ),
                models.When(
                    art=Abonnement.Art.GREMIUM,
                    then=Exists(Ausschuss.objects.gremien().filter(pk=OuterRef("ausschuss"))),
                ),
                default=models.Value(True),
                output_field=models.BooleanField(),
            )
        )


class Abonnement(models.Model):
    class Art(models.TextChoices):
        GREMIUM = "gremium", _("Gremium")
        VORLAGE = "vorlage", _("Vorlage")
        PERSON = "person", _("Person")
        SUCHE = "suche", _("Suche")

    class Rhythmus(models.TextChoices):
        TAEGLICH = "taeglich", _("täglich")
        WOECHENTLICH = "woechentlich", _("wöchentlich")

    abonnent = models.ForeignKey(
        Abonnent, verbose_name=_("Abonnent/in"), on_delete=models.CASCADE, related_name="abonnements"
    )
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    ausschuss = models.ForeignKey(
        Ausschuss, verbose_name=_("Gremium"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    vorlage = models.ForeignKey(
        Vorlage, verbose_name=_("Vorlage"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("Person"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    suchbegriff = models.CharField(_("Suchbegriff"), max_length=200, blank=True)
    suchfilter = models.JSONField(_("Filter der Suche"), default=dict, blank=True)
    rhythmus = models.CharField(_("Rhythmus"), max_length=20, choices=Rhythmus.choices, default=Rhythmus.TAEGLICH)
    token = models.CharField(_("Schlüssel zum Abbestellen"), max_length=64, unique=True, default=neues_token)
    bestaetigt_am = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    gesendet_bis = models.DateTimeField(_("Neuigkeiten gesendet bis"), null=True, blank=True)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    objects = AbonnementQuerySet.as_manager()

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["abonnent", "erstellt_am", "pk"]
        indexes = [models.Index(fields=["rhythmus", "bestaetigt_am"], name="abo_faellig")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(art="gremium", ausschuss__isnull=False, vorlage__isnull=True, person__isnull=True)
                    | Q(art="vorlage", ausschuss__isnull=True, vorlage__isnull=False, person__isnull=True)
                    | Q(art="person", ausschuss__isnull=True, vorlage__isnull=True, person__isnull=False)
                    | (
                        Q(art="suche", ausschuss__isnull=True, vorlage__isnull=True, person__isnull=True)
                        & ~Q(suchbegriff="")
                    )
                ),
                name="abo_genau_ein_gegenstand",
            ),
            # One address follows one thing once: asking again sends no second digest.
            models.UniqueConstraint(
                fields=["abonnent", "ausschuss"], condition=Q(art="gremium"), name="abo_gremium_einmal"
            ),
            models.UniqueConstraint(
                fields=["abonnent", "vorlage"], condition=Q(art="vorlage"), name="abo_vorlage_einmal"
            ),
            models.UniqueConstraint(fields=["abonnent", "person"], condition=Q(art="person"), name="abo_person_einmal"),
            models.UniqueConstraint(
                fields=["abonnent", "suchbegriff", "suchfilter"], condition=Q(art="suche"), name="abo_suche_einmal"
            ),
        ]

    def __str__(self):
        return f"{self.get_art_display()}: {self.gegenstand_text()} ({self.abonnent})"

    def get_absolute_url(self):
        return reverse("abo:abbestellen", kwargs={"token": self.token})

    def gegenstand_text(self):
        if self.art == self.Art.SUCHE:
            return f"„{self.suchbegriff}“"
        return str(self.ausschuss or self.vorlage or self.person)
