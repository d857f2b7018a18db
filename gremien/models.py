"""The bodies of the council and their people: Ausschüsse (and Fraktionen), Orte, Personen, their Mitgliedschaften,
and the Dienststellen of the administration. The bottom domain app: vorlagen and sitzungen build on it, it imports
from neither.

The tables keep the names they had in sitzungen and vorlagen (``db_table``): the models moved here without moving a
row (migrations gremien 0001, sitzungen 0007, vorlagen 0008).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratsinfo.datumsgrenzen import DATUM_MAX, DATUM_MIN
from ratsinfo.validators import datum_pruefen, keine_steuerzeichen


class AusschussQuerySet(models.QuerySet):
    def aktiv(self):
        return self.filter(aktiv=True)

    def gremien(self):
        """Bodies that hold Sitzungen, as opposed to Fraktionen."""
        return self.exclude(art=Ausschuss.Art.FRAKTION)

    def mit_mitglied(self, user, stichtag=None):
        """The committees ``user`` sits on, on ``stichtag`` (today by default)."""
        return self.filter(pk__in=Mitgliedschaft.objects.ausschuesse_von(user, stichtag=stichtag))


class Ausschuss(models.Model):
    """A body of the council: Gemeinderat, Ausschuss, Beirat, Bezirksbeirat, or a Fraktion."""

    class Art(models.TextChoices):
        GEMEINDERAT = "gemeinderat", _("Gemeinderat")
        AUSSCHUSS = "ausschuss", _("Ausschuss")
        BEIRAT = "beirat", _("Beirat")
        BEZIRKSBEIRAT = "bezirksbeirat", _("Bezirksbeirat")
        FRAKTION = "fraktion", _("Fraktion")
        SONSTIGES = "sonstiges", _("Sonstiges Gremium")

    name = models.CharField(_("Name"), max_length=200, unique=True, validators=[keine_steuerzeichen])
    kurzname = models.CharField(_("Kurzname"), max_length=30, blank=True, validators=[keine_steuerzeichen])
    slug = models.SlugField(_("Kennung in der Adresse"), max_length=100, unique=True)
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices, default=Art.AUSSCHUSS)
    aktiv = models.BooleanField(_("aktiv"), default=True)
    reihenfolge = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=100, help_text=_("Kleinere Zahlen stehen in Listen weiter oben.")
    )
    beschreibung = models.TextField(_("Beschreibung"), blank=True)
    ladungsfrist_tage = models.PositiveSmallIntegerField(
        _("Ladungsfrist in Tagen"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text=_("Leer lassen für die Voreinstellung der Installation (RATSINFO_LADUNGSFRIST_TAGE)."),
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = AusschussQuerySet.as_manager()

    class Meta:
        db_table = "sitzungen_ausschuss"
        verbose_name = _("Ausschuss / Gremium")
        verbose_name_plural = _("Ausschüsse / Gremien")
        ordering = ["reihenfolge", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sitzungen:ausschuss-detail", kwargs={"slug": self.slug})


class Ort(models.Model):
    """Where a Sitzung takes place."""

    bezeichnung = models.CharField(
        _("Bezeichnung"),
        max_length=200,
        help_text=_("z. B. „Rathaus, Großer Sitzungssaal“"),
        validators=[keine_steuerzeichen],
    )
    strasse = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True, validators=[keine_steuerzeichen])
    postleitzahl = models.CharField(_("Postleitzahl"), max_length=10, blank=True, validators=[keine_steuerzeichen])
    ort = models.CharField(_("Ort"), max_length=100, blank=True, validators=[keine_steuerzeichen])
    raum = models.CharField(_("Raum"), max_length=100, blank=True, validators=[keine_steuerzeichen])
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        db_table = "sitzungen_ort"
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")
        ordering = ["bezeichnung"]
        constraints = [
            models.UniqueConstraint(
                fields=["bezeichnung", "raum"],
                name="ort_eindeutig",
                violation_error_message=_("Diesen Ort gibt es schon."),
            )
        ]

    def __str__(self):
        return f"{self.bezeichnung}, {self.raum}" if self.raum else self.bezeichnung

    @property
    def anschrift(self):
        return ", ".join(teil for teil in [self.strasse, f"{self.postleitzahl} {self.ort}".strip()] if teil)


def personen_storage():
    # Photos are public once consented to, like public Anlagen: the same storage, a folder of their own.
    from django.core.files.storage import storages

    return storages["anlagen"]


def person_foto_pfad(person, dateiname):
    return f"personen/{person.pk or 'neu'}/{dateiname}"


class PersonQuerySet(models.QuerySet):
    def mit_foto(self, stichtag=None):
        """The Personen whose photo may be shown: a file and a consent date that has come (no date, no photo)."""
        stichtag = stichtag or timezone.localdate()
        return self.exclude(foto="").filter(foto_einwilligung_am__isnull=False, foto_einwilligung_am__lte=stichtag)


class Person(models.Model):
    """A councillor, a sachkundige Einwohnerin, or anyone else who sits on a committee."""

    titel = models.CharField(
        _("akademischer Titel"), max_length=50, blank=True, help_text=_("z. B. „Dr.“"), validators=[keine_steuerzeichen]
    )
    vorname = models.CharField(_("Vorname"), max_length=100, validators=[keine_steuerzeichen])
    nachname = models.CharField(_("Nachname"), max_length=100, validators=[keine_steuerzeichen])
    fraktion = models.ForeignKey(
        Ausschuss,
        verbose_name=_("Fraktion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"art": Ausschuss.Art.FRAKTION},
        related_name="fraktionsmitglieder",
    )
    partei = models.CharField(_("Partei"), max_length=100, blank=True, validators=[keine_steuerzeichen])
    benutzer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text=_("Mit diesem Konto sieht die Person die nichtöffentlichen Teile ihrer Gremien."),
    )
    kontakt_veroeffentlichen = models.BooleanField(
        _("Einwilligung: Kontaktdaten veröffentlichen"),
        default=False,
        help_text=_("Nur mit Einwilligung der Person erscheinen E-Mail und Telefon auf der Website."),
    )
    email = models.EmailField(_("E-Mail"), blank=True)
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True, validators=[keine_steuerzeichen])
    foto = models.FileField(
        _("Foto"),
        upload_to=person_foto_pfad,
        storage=personen_storage,
        max_length=300,
        blank=True,
        help_text=_("Erscheint nur mit der Einwilligung der Person (Datum der Einwilligung)."),
    )
    foto_einwilligung_am = models.DateField(
        _("Einwilligung zum Foto am"),
        null=True,
        blank=True,
        validators=[datum_pruefen],
        help_text=_("Tag, an dem die Person der Veröffentlichung ihres Fotos zugestimmt hat; leer: kein Foto."),
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        db_table = "sitzungen_person"
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["nachname", "vorname", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sitzungen:person-detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.foto and not self.foto_einwilligung_am:
            raise ValidationError(
                {
                    "foto_einwilligung_am": _(
                        "Ein Foto braucht die Einwilligung der Person: bitte das Datum der Einwilligung eintragen "
                        "(oder das Foto entfernen)."
                    )
                },
                code="foto_ohne_einwilligung",
            )

    @property
    def foto_sichtbar(self):
        """Whether the photo may be shown: the same rule as ``Person.objects.mit_foto()``."""
        return (
            bool(self.foto)
            and self.foto_einwilligung_am is not None
            and (self.foto_einwilligung_am <= timezone.localdate())
        )

    @property
    def foto_url(self):
        return reverse("sitzungen:person-foto", kwargs={"pk": self.pk})

    @property
    def name(self):
        return " ".join(teil for teil in [self.titel, self.vorname, self.nachname] if teil)


class MitgliedschaftQuerySet(models.QuerySet):
    def aktuell(self, stichtag=None):
        stichtag = stichtag or timezone.localdate()
        return self.filter(Q(ende__isnull=True) | Q(ende__gte=stichtag), beginn__lte=stichtag)

    def ausschuesse_von(self, user, stichtag=None):
        """The ids of the committees ``user`` sits on on ``stichtag``, in any role, as a subquery; none for an
        anonymous or inactive user. The visibility rule (gremien.sichtbarkeit) asks this."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none().values("ausschuss")
        return self.aktuell(stichtag).filter(person__benutzer=user).values("ausschuss")

    def in_wahlperiode(self, wahlperiode):
        """The seats held at any time during ``wahlperiode`` (a seat may reach into the next one)."""
        return self.filter(Q(ende__isnull=True) | Q(ende__gte=wahlperiode.beginn), beginn__lte=wahlperiode.ende)


class Mitgliedschaft(models.Model):
    """A seat of a Person in an Ausschuss, with role and dates."""

    class Rolle(models.TextChoices):
        VORSITZ = "vorsitz", _("Vorsitz")
        STELLV_VORSITZ = "stellv_vorsitz", _("stellvertretender Vorsitz")
        MITGLIED = "mitglied", _("Mitglied")
        STELLVERTRETUNG = "stellvertretung", _("Stellvertretung")
        SACHKUNDIG = "sachkundig", _("sachkundige Einwohnerin / sachkundiger Einwohner")

    person = models.ForeignKey(
        Person, verbose_name=_("Person"), on_delete=models.CASCADE, related_name="mitgliedschaften"
    )
    ausschuss = models.ForeignKey(
        Ausschuss, verbose_name=_("Ausschuss / Gremium"), on_delete=models.PROTECT, related_name="mitgliedschaften"
    )
    rolle = models.CharField(_("Rolle"), max_length=20, choices=Rolle.choices, default=Rolle.MITGLIED)
    beginn = models.DateField(_("Beginn"), validators=[datum_pruefen])
    ende = models.DateField(_("Ende"), null=True, blank=True, validators=[datum_pruefen])
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = MitgliedschaftQuerySet.as_manager()

    class Meta:
        db_table = "sitzungen_mitgliedschaft"
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["ausschuss", "rolle", "person"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ende__isnull=True) | Q(ende__gte=models.F("beginn")),
                name="mitgliedschaft_ende_nach_beginn",
                violation_error_message=_("Eine Mitgliedschaft kann nicht enden, bevor sie beginnt."),
            ),
            models.CheckConstraint(
                condition=Q(beginn__gte=DATUM_MIN, beginn__lte=DATUM_MAX)
                & (Q(ende__isnull=True) | Q(ende__gte=DATUM_MIN, ende__lte=DATUM_MAX)),
                name="mitgliedschaft_daten_plausibel",
                violation_error_message=_("Beginn und Ende einer Mitgliedschaft müssen zwischen 1900 und 2200 liegen."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.ausschuss} ({self.get_rolle_display()})"


class Dienststelle(models.Model):
    """A unit of the city administration that is in charge of Vorlagen: a Referat or an Amt."""

    class Art(models.TextChoices):
        REFERAT = "referat", _("Referat")
        AMT = "amt", _("Amt")
        EIGENBETRIEB = "eigenbetrieb", _("Eigenbetrieb")
        STABSSTELLE = "stabsstelle", _("Stabsstelle")

    name = models.CharField(_("Name"), max_length=200, unique=True, validators=[keine_steuerzeichen])
    kurzname = models.CharField(_("Kurzname"), max_length=30, blank=True, validators=[keine_steuerzeichen])
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices, default=Art.REFERAT)
    uebergeordnet = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnete Dienststelle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="untergeordnet",
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        db_table = "vorlagen_dienststelle"
        verbose_name = _("Dienststelle")
        verbose_name_plural = _("Dienststellen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WahlperiodeQuerySet(models.QuerySet):
    def zu_datum(self, datum):
        """The Wahlperiode that ``datum`` falls in (at most one: they do not overlap)."""
        return self.filter(beginn__lte=datum, ende__gte=datum)

    def aktuelle(self, stichtag=None):
        return self.zu_datum(stichtag or timezone.localdate())

    def ueberschneidend(self, beginn, ende):
        """Those sharing at least one day with ``beginn``–``ende`` (both inclusive)."""
        return self.filter(beginn__lte=ende, ende__gte=beginn)


class Wahlperiode(models.Model):
    """The term of a council between two elections (OParl: LegislativeTerm).

    Sitzungen, Vorlagen and Mitgliedschaften belong to the one their date falls in; that is read from the dates
    (``zeitraum``, the querysets' ``in_wahlperiode``), never stored twice (docs/architecture.md).
    """

    name = models.CharField(
        _("Name"), max_length=100, unique=True, help_text=_("z. B. „2024–2029“"), validators=[keine_steuerzeichen]
    )
    beginn = models.DateField(_("Beginn"), validators=[datum_pruefen])
    ende = models.DateField(_("Ende"), validators=[datum_pruefen])
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = WahlperiodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Wahlperiode")
        verbose_name_plural = _("Wahlperioden")
        ordering = ["-beginn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ende__gt=models.F("beginn")),
                name="wahlperiode_ende_nach_beginn",
                violation_error_message=_("Eine Wahlperiode muss nach ihrem Beginn enden."),
            ),
            models.CheckConstraint(
                condition=Q(beginn__gte=DATUM_MIN, beginn__lte=DATUM_MAX, ende__gte=DATUM_MIN, ende__lte=DATUM_MAX),
                name="wahlperiode_daten_plausibel",
                violation_error_message=_("Beginn und Ende einer Wahlperiode müssen zwischen 1900 und 2200 liegen."),
            ),
            # No overlap: an exclusion constraint on PostgreSQL, a trigger on SQLite (migration 0003), clean() here.
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("vorlagen:liste") + f"?wahlperiode={self.pk}"

    def clean(self):
        super().clean()
        if self.beginn and self.ende and self.ende > self.beginn:
            andere = Wahlperiode.objects.ueberschneidend(self.beginn, self.ende).exclude(pk=self.pk).first()
            if andere:
                raise ValidationError(
                    _("Die Wahlperiode überschneidet sich mit der Wahlperiode %(name)s (%(beginn)s–%(ende)s)."),
                    code="ueberschneidung",
                    params={
                        "name": andere.name,
                        "beginn": andere.beginn.strftime("%d.%m.%Y"),
                        "ende": andere.ende.strftime("%d.%m.%Y"),
                    },
                )

    @property
    def zeitraum(self):
        """[Anfang, Ende) as aware datetimes in local time: for points in time such as a Sitzung's beginn, so
        the index on the column serves the filter (a ``__date`` lookup would have to convert every row)."""
        anfang = datetime.datetime.combine(self.beginn, datetime.time.min)
        ende = datetime.datetime.combine(self.ende + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(anfang), timezone.make_aware(ende)


class DienststellenzugehoerigkeitQuerySet(models.QuerySet):
    def aktuell(self, stichtag=None):
        stichtag = stichtag or timezone.localdate()
        return self.filter(Q(ende__isnull=True) | Q(ende__gte=stichtag), beginn__lte=stichtag)

    def dienststellen_von(self, user, stichtag=None):
        """The ids of the Dienststellen ``user`` works in on ``stichtag``, as a subquery; none for an anonymous or
        inactive user. The Dienststelle's work area and the Mitzeichnung ask this."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none().values("dienststelle")
        return self.aktuell(stichtag).filter(benutzer=user).values("dienststelle")


class Dienststellenzugehoerigkeit(models.Model):
    """A user account working in a Dienststelle: staff of an Amt see and edit its drafts and decide its steps of
    Mitzeichnung; ``leitung`` marks whoever may give the Freigabe for it (Bürgermeisterin, Referent, Amtsleitung)."""

    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        on_delete=models.CASCADE,
        related_name="dienststellenzugehoerigkeiten",
    )
    dienststelle = models.ForeignKey(
        Dienststelle, verbose_name=_("Dienststelle"), on_delete=models.PROTECT, related_name="zugehoerigkeiten"
    )
    leitung = models.BooleanField(
        _("Leitung (Freigabe)"),
        default=False,
        help_text=_("Darf Vorlagen dieser Dienststelle freigeben (Bürgermeister/-in, Referent/-in, Amtsleitung)."),
    )
    beginn = models.DateField(_("Beginn"), default=datetime.date.today, validators=[datum_pruefen])
    ende = models.DateField(_("Ende"), null=True, blank=True, validators=[datum_pruefen])
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = DienststellenzugehoerigkeitQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zugehörigkeit zu einer Dienststelle")
        verbose_name_plural = _("Zugehörigkeiten zu Dienststellen")
        ordering = ["dienststelle", "benutzer"]
        constraints = [
            models.UniqueConstraint(
                fields=["benutzer", "dienststelle", "beginn"],
                name="dienststellenzugehoerigkeit_eindeutig",
                violation_error_message=_("Diese Zugehörigkeit gibt es schon."),
            ),
            models.CheckConstraint(
                condition=Q(ende__isnull=True) | Q(ende__gte=models.F("beginn")),
                name="dienststellenzugehoerigkeit_ende_nach_beginn",
                violation_error_message=_("Eine Zugehörigkeit kann nicht enden, bevor sie beginnt."),
            ),
        ]

    def __str__(self):
        return f"{self.benutzer} – {self.dienststelle}"
