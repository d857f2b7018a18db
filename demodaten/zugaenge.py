"""The demo accounts: a councillor, a clerk of the Sitzungsdienst and the people of three Dienststellen who work on
the routes of Mitzeichnung and Freigabe (``amt-sos``, ``buergermeister-sos``, ``amt-km``, ``amt-wfb``,
``buergermeisterin-si``), all with the password "demo".

The Dienststellen's accounts are made by the data loader (``demodaten.mitzeichnung``: they decided the demo routes)
without a usable password; here they get the demo password and an e-mail address, unless they have a password
already.

Only for the embedded mode and demonstrations; the ``demodaten_laden`` command refuses them in production. Creating
them again changes nothing; an existing account keeps its password (it may have been changed on purpose), and a
Person already linked to another account is not taken from it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from demodaten.mitzeichnung import KONTEN as DIENSTSTELLEN_KONTEN
from demodaten.personen import RATSMITGLIED
from gremien.models import Person
from konten.models import Benachrichtigungseinstellung
from konten.services import benachrichtigungen_einstellen

PASSWORT = "demo"
RATSMITGLIED_BENUTZERNAME = "ratsmitglied"
SACHBEARBEITUNG_BENUTZERNAME = "sachbearbeitung"
GRUPPE = "Sitzungsdienst"
# Every permission of these apps, among them vorlagen.nichtoeffentliches_sehen ...
GRUPPE_APPS = ["gremien", "vorlagen", "sitzungen", "protokoll", "betrieb", "mitzeichnung"]
# ... and looking accounts up, to link a Person to her account in the admin (viewing, not changing).
GRUPPE_WEITERE_RECHTE = [
    ("auth", "view_user"),
    ("druck", "view_druckstueck"),  # PDFs: their warnings
    # What was removed from the API and why, and where imported records came from.
    ("oparl", "view_tombstone"),
    ("oparlimport", "view_herkunft"),
    ("oparlimport", "view_datei"),
    # Citizens' subscriptions: answering a request by mail (Auskunft, Löschung).
    ("abonnements", "view_abonnent"),
    ("abonnements", "delete_abonnent"),
]


@dataclass
class Zugang:
    benutzername: str
    beschreibung: str
    angelegt: bool
    hinweise: list


def gruppe_sitzungsdienst():
    """The group of the clerks, with its permissions brought up to date (new models bring new permissions)."""
    gruppe, _ = Group.objects.get_or_create(name=GRUPPE)
    bedingung = Q(content_type__app_label__in=GRUPPE_APPS)
    for app_label, codename in GRUPPE_WEITERE_RECHTE:
        bedingung |= Q(content_type__app_label=app_label, codename=codename)
    soll = set(Permission.objects.filter(bedingung).values_list("pk", flat=True))
    if set(gruppe.permissions.values_list("pk", flat=True)) != soll:
        gruppe.permissions.set(soll)
    return gruppe


def _konto(benutzername, **felder):
    """The account, created with the demo password if it does not exist; whether it was created."""
    User = get_user_model()
    benutzer = User.objects.filter(username=benutzername).first()
    if benutzer is not None:
        return benutzer, False
    # create_user hashes the password without the validators, which would refuse "demo": fine for a demo only.
    return User.objects.create_user(benutzername, password=PASSWORT, **felder), True


@transaction.atomic
def demo_zugaenge_anlegen():
    """Create or complete the two demo accounts; returns what was done, for the command to print."""
    zugaenge = []

    vorname, nachname = RATSMITGLIED
    person = Person.objects.filter(vorname=vorname, nachname=nachname).select_related("benutzer").first()
    benutzer, angelegt = _konto(
        RATSMITGLIED_BENUTZERNAME,
        email=f"{RATSMITGLIED_BENUTZERNAME}@example.org",
        first_name=vorname,
        last_name=nachname,
    )
    hinweise = []
    if person is None:
        hinweise.append(
            f"Die Person {vorname} {nachname} fehlt, das Konto ist mit keiner Person verknüpft. Ältere Demodaten "
            "bringt „manage.py demodaten_laden“ (ohne --nur-wenn-leer) auf den neuen Stand."
        )
    elif person.benutzer_id is None:
        if Person.objects.filter(benutzer=benutzer).exists():
            hinweise.append("Das Konto ist schon mit einer anderen Person verknüpft.")
        else:
            person.benutzer = benutzer
            person.save(update_fields=["benutzer", "geaendert_am"])
    elif person.benutzer_id != benutzer.pk:
        hinweise.append(f"{person.name} ist schon mit dem Konto „{person.benutzer}“ verknüpft.")
    if not Benachrichtigungseinstellung.objects.filter(benutzer=benutzer).exists():
        # The demo shows the notifications chosen; a choice made since (on the account page) is kept.
        benachrichtigungen_einstellen(
            benutzer=benutzer,
            neue_vorlagen=True,
            tagesordnung=True,
            nachtraege=True,
            niederschriften=True,
            rhythmus=Benachrichtigungseinstellung.Rhythmus.TAEGLICH,
        )
    name = person.name if person is not None else f"{vorname} {nachname}"
    zugaenge.append(
        Zugang(
            RATSMITGLIED_BENUTZERNAME,
            f"Stadträtin {name}: sieht zusätzlich die nichtöffentlichen Teile ihrer Gremien; erhält die tägliche "
            "Zusammenfassung der Neuigkeiten ihrer Gremien per E-Mail",
            angelegt,
            hinweise,
        )
    )

    gruppe = gruppe_sitzungsdienst()
    benutzer, angelegt = _konto(
        SACHBEARBEITUNG_BENUTZERNAME,
        email=f"{SACHBEARBEITUNG_BENUTZERNAME}@example.org",
        first_name="Demo",
        last_name="Sitzungsdienst",
        is_staff=True,
    )
    if not benutzer.is_staff:
        benutzer.is_staff = True
        benutzer.save(update_fields=["is_staff"])
    if not benutzer.groups.filter(pk=gruppe.pk).exists():
        benutzer.groups.add(gruppe)
    zugaenge.append(
        Zugang(
            SACHBEARBEITUNG_BENUTZERNAME,
            f"Gruppe „{GRUPPE}“: Verwaltung unter /admin/, sieht auch Entwürfe und Vertrauliches",
            angelegt,
            [],
        )
    )

    User = get_user_model()
    for benutzername, _vorname, _nachname, dienststelle, leitung in DIENSTSTELLEN_KONTEN:
        benutzer = User.objects.filter(username=benutzername).first()
        if benutzer is None:
            zugaenge.append(
                Zugang(
                    benutzername,
                    dienststelle,
                    False,
                    ["Das Konto fehlt; „manage.py demodaten_laden“ legt es mit den Laufwegen an."],
                )
            )
            continue
        angelegt = not benutzer.has_usable_password()
        if angelegt or not benutzer.email:
            if angelegt:
                benutzer.set_password(PASSWORT)
            benutzer.email = benutzer.email or f"{benutzername}@example.org"
            benutzer.save(update_fields=["password", "email"])
        rolle = "Freigabe (Leitung)" if leitung else "Mitzeichnung"
        zugaenge.append(
            Zugang(
                benutzername,
                f"{dienststelle}: {rolle}; „Meine Aufgaben“ unter /aufgaben/",
                angelegt,
                [],
            )
        )
    return zugaenge
