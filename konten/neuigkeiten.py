"""What is new for a batch of councillors, read only through the visibility rule of each of them.

For every user of a batch and every kind of news she chose, the question is the domain's own queryset
``sichtbar_fuer(user)``, narrowed to her Gremien of today (``Ausschuss.objects.mit_mitglied``) and to the window
``(gesendet_bis, bis]``. The questions of one kind for all users of the batch go to the database as one
``UNION`` of those querysets, each part tagged with its user's id; a second query loads the objects found. So a
batch costs the same few queries whatever its size and however much is new, and no second rule exists: what a
part returns is exactly what ``sichtbar_fuer`` returns for that user.

Kinds of news (the fields of ``Benachrichtigungseinstellung``):

* ``neue_vorlagen``: Vorlagen published in the window with a Beratung in one of her Gremien. Drafts have no
  publication date and never qualify; non-public ones only as the rule lets her see them.
* ``tagesordnung``: TOPs created or changed in the window in a coming Sitzung of her Gremien (deleted TOPs leave
  nothing behind to report; the Nachtrag names them).
* ``nachtraege``: Einberufungen of art Nachtrag sent in the window for a Sitzung of her Gremien.
* ``niederschriften``: Niederschriften of her Gremien's Sitzungen published in the window.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db.models import IntegerField, Value

from einberufung.models import Einberufung
from gremien.models import Ausschuss
from protokoll.models import Niederschrift
from sitzungen.models import Sitzung, Tagesordnungspunkt
from vorlagen.models import Vorlage


@dataclass
class Neuigkeiten:
    vorlagen: list = field(default_factory=list)
    tops: list = field(default_factory=list)
    nachtraege: list = field(default_factory=list)
    niederschriften: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.vorlagen or self.tops or self.nachtraege or self.niederschriften)


def neue_vorlagen(user, *, seit, bis):
    return Vorlage.objects.sichtbar_fuer(user).filter(
        veroeffentlicht_am__gt=seit,
        veroeffentlicht_am__lte=bis,
        beratungen__ausschuss__in=Ausschuss.objects.mit_mitglied(user),
    )


def geaenderte_tops(user, *, seit, bis):
    return (
        Tagesordnungspunkt.objects.sichtbar_fuer(user)
        .filter(
            sitzung__ausschuss__in=Ausschuss.objects.mit_mitglied(user),
            sitzung__beginn__gte=bis,
            geaendert_am__gt=seit,
            geaendert_am__lte=bis,
        )
        .exclude(sitzung__status=Sitzung.Status.ABGESAGT)
    )


def nachtraege(user, *, seit, bis):
    return Einberufung.objects.filter(
        art=Einberufung.Art.NACHTRAG,
        sitzung__in=Sitzung.objects.sichtbar_fuer(user).filter(ausschuss__in=Ausschuss.objects.mit_mitglied(user)),
        versendet_am__gt=seit,
        versendet_am__lte=bis,
    )


def niederschriften(user, *, seit, bis):
    return Niederschrift.objects.sichtbar_fuer(user).filter(
        sitzung__ausschuss__in=Ausschuss.objects.mit_mitglied(user),
        veroeffentlicht_am__gt=seit,
        veroeffentlicht_am__lte=bis,
    )


def irgendetwas_neu(art, *, seit, bis):
    """Whether anything of kind ``art`` happened in the window at all, for anyone: one cheap query that spares the
    batch its per-user questions when nothing did (most runs of "sofort"). It decides nothing about visibility;
    what reaches a user is still only what her own question returns."""
    return {
        "neue_vorlagen": Vorlage.objects.filter(veroeffentlicht_am__gt=seit, veroeffentlicht_am__lte=bis),
        "tagesordnung": Tagesordnungspunkt.objects.filter(
            sitzung__beginn__gte=bis, geaendert_am__gt=seit, geaendert_am__lte=bis
        ),
        "nachtraege": Einberufung.objects.filter(
            art=Einberufung.Art.NACHTRAG, versendet_am__gt=seit, versendet_am__lte=bis
        ),
        "niederschriften": Niederschrift.objects.filter(veroeffentlicht_am__gt=seit, veroeffentlicht_am__lte=bis),
    }[art].exists()


# Einstellungsfeld, Attribut of Neuigkeiten, the question, how to load what it found, the order in the mail.
FRAGEN = [
    ("neue_vorlagen", "vorlagen", neue_vorlagen, Vorlage.objects.all(), lambda v: (v.jahr, v.nummer, v.pk)),
    (
        "tagesordnung",
        "tops",
        geaenderte_tops,
        Tagesordnungspunkt.objects.select_related("sitzung__ausschuss"),
        lambda t: (t.sitzung.beginn, t.sitzung_id, not t.oeffentlich, t.reihenfolge, t.pk),
    ),
    (
        "nachtraege",
        "nachtraege",
        nachtraege,
        Einberufung.objects.select_related("sitzung__ausschuss"),
        lambda e: (e.sitzung.beginn, e.sitzung_id, e.nummer),
    ),
    (
        "niederschriften",
        "niederschriften",
        niederschriften,
        Niederschrift.objects.select_related("sitzung__ausschuss"),
        lambda n: (n.sitzung.beginn, n.pk),
    ),
]


def berechtigungen_laden(benutzer):
    """Fill the permission cache Django's ModelBackend keeps on each user (``_perm_cache``) for the whole batch in
    two queries, so the rule's ``has_perm`` question costs nothing per user."""
    ids = [user.pk for user in benutzer if user.is_active and not user.is_superuser]
    if not ids:
        return
    rechte = defaultdict(set)
    eigene = Permission.objects.filter(user__in=ids).values_list("user", "content_type__app_label", "codename")
    aus_gruppen = Permission.objects.filter(group__user__in=ids).values_list(
        "group__user", "content_type__app_label", "codename"
    )
    for zeilen in (eigene, aus_gruppen):
        for user_id, app_label, codename in zeilen:
            rechte[user_id].add(f"{app_label}.{codename}")
    for user in benutzer:
        if user.pk in ids:
            user._perm_cache = rechte[user.pk]


def neuigkeiten_fuer(einstellungen, *, bis):
    """``{user id: Neuigkeiten}`` for a batch of ``Benachrichtigungseinstellung`` (with ``benutzer`` loaded):
    what happened after each one's ``gesendet_bis`` up to ``bis`` that she chose and may see."""
    berechtigungen_laden([einstellung.benutzer for einstellung in einstellungen])
    ergebnis = {einstellung.benutzer_id: Neuigkeiten() for einstellung in einstellungen}
    for schalter, attribut, frage, laden, ordnung in FRAGEN:
        fragende = [e for e in einstellungen if getattr(e, schalter) and e.gesendet_bis < bis]
        if not fragende or not irgendetwas_neu(schalter, seit=min(e.gesendet_bis for e in fragende), bis=bis):
            continue
        teile = [
            frage(einstellung.benutzer, seit=einstellung.gesendet_bis, bis=bis)
            .annotate(fuer=Value(einstellung.benutzer_id, output_field=IntegerField()))
            .order_by()
            .values_list("pk", "fuer")
            for einstellung in fragende
        ]
        # UNION (not ALL) also removes the repeats of a Vorlage deliberated twice in her Gremien.
        paare = list(teile[0].union(*teile[1:]).order_by()) if len(teile) > 1 else list(teile[0].distinct())
        objekte = laden.in_bulk({pk for pk, _ in paare})
        for pk, fuer in paare:
            getattr(ergebnis[fuer], attribut).append(objekte[pk])
        for neuigkeiten in ergebnis.values():
            getattr(neuigkeiten, attribut).sort(key=ordnung)
    return ergebnis
