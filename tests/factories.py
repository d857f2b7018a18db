import datetime
import io
import zipfile

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from gremien.models import Ausschuss, Dienststelle, Ort
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from vorlagen.models import Anlage, Nummernzaehler, Vorlage


def pdf_bauen(*, seiten=1, javascript="", oeffnen_javascript="", starten="", anhang=None, kennwort="", text=""):
    """A real small PDF written by pypdf, harmless or with the hostile parts the upload check must refuse.

    ``javascript``: a document-level script (/Names /JavaScript); ``oeffnen_javascript``: an /OpenAction running
    JS; ``starten``: an /OpenAction /Launch of that program; ``anhang``: ``(name, bytes)`` of an embedded file;
    ``kennwort``: encrypted with it; ``text``: a page whose content stream draws it.
    """
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    schreiber = PdfWriter()
    for _ in range(seiten):
        schreiber.add_blank_page(595, 842)
    if text:
        inhalt = DecodedStreamObject()
        inhalt.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        schreiber.pages[0][NameObject("/Contents")] = schreiber._add_object(inhalt)
    if javascript:
        aktion = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)}
        )
        namen = ArrayObject([TextStringObject("skript"), schreiber._add_object(aktion)])
        schreiber._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): namen})}
        )
    if oeffnen_javascript:
        schreiber._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(oeffnen_javascript)}
        )
    if starten:
        schreiber._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject(starten)}
        )
    if anhang:
        schreiber.add_attachment(*anhang)
    if kennwort:
        schreiber.encrypt(kennwort)
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


def zip_bauen(dateien):
    """A ZIP archive of ``{name: bytes}``: also how Word and Excel files look inside (word/document.xml …)."""
    ausgabe = io.BytesIO()
    with zipfile.ZipFile(ausgabe, "w") as archiv:
        for name, inhalt in dateien.items():
            archiv.writestr(name, inhalt)
    return ausgabe.getvalue()


# A small well-formed PDF with one empty page (pypdf can read it, so the upload check takes it): enough for uploads
# and downloads in tests.
MINI_PDF = pdf_bauen()

# The smallest PNG: one transparent pixel.
MINI_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
# The start of a JPEG (SOI and a JFIF header) and its end: the upload check goes by these bytes.
MINI_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("geheim-123")


class SachbearbeitungFactory(UserFactory):
    """A clerk of the Sitzungsdienst: staff, with every permission of the two apps."""

    username = factory.Sequence(lambda n: f"sachbearbeitung{n}")
    is_staff = True

    @factory.post_generation
    def rechte(self, create, extracted, **kwargs):
        if create:
            self.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label__in=["gremien", "vorlagen", "sitzungen", "protokoll", "betrieb"]
                )
            )


class DienststelleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dienststelle
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Referat {n}")
    kurzname = factory.Sequence(lambda n: f"R{n}")


class VorlageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vorlage

    art = Vorlage.Art.BESCHLUSSVORLAGE
    nummer = factory.Sequence(lambda n: n + 1)
    jahr = 2021
    zusatz = ""
    datum = datetime.date(2021, 11, 9)
    dienststelle = factory.SubFactory(DienststelleFactory)
    titel = factory.Sequence(lambda n: f"Vorlage Nummer {n}")
    bericht = "Ein Bericht."
    status = Vorlage.Status.VEROEFFENTLICHT
    veroeffentlicht_am = factory.LazyFunction(timezone.now)
    kennung = factory.LazyAttribute(
        lambda o: Vorlage(art=o.art, nummer=o.nummer, jahr=o.jahr, zusatz=o.zusatz).kennung_berechnen()
    )

    class Params:
        entwurf = factory.Trait(status=Vorlage.Status.ENTWURF, veroeffentlicht_am=None)
        # A draft the Sitzungsdienst has not registered yet (vorlagen.services.nummer_vergeben).
        ohne_nummer = factory.Trait(status=Vorlage.Status.ENTWURF, veroeffentlicht_am=None, nummer=None)


class AnlageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anlage

    vorlage = factory.SubFactory(VorlageFactory)
    titel = factory.Sequence(lambda n: f"Anlage {n}")
    datei = factory.LazyFunction(lambda: ContentFile(MINI_PDF, name="anlage.pdf"))
    dateiname = "anlage.pdf"
    mime_typ = "application/pdf"
    groesse = len(MINI_PDF)


class AusschussFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ausschuss
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ausschuss {n}")
    kurzname = factory.Sequence(lambda n: f"A{n}")
    slug = factory.Sequence(lambda n: f"ausschuss-{n}")


class OrtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ort
        django_get_or_create = ("bezeichnung", "raum")

    bezeichnung = "Rathaus"
    raum = "Großer Sitzungssaal"
    strasse = "Marktplatz 1"
    postleitzahl = "70173"
    ort = "Stuttgart"


class SitzungFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sitzung

    ausschuss = factory.SubFactory(AusschussFactory)
    beginn = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ende = factory.LazyAttribute(lambda o: o.beginn + datetime.timedelta(hours=2))
    ort = factory.SubFactory(OrtFactory)
    status = Sitzung.Status.EINBERUFEN


class TagesordnungspunktFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tagesordnungspunkt

    sitzung = factory.SubFactory(SitzungFactory)
    nummer = factory.Sequence(lambda n: str(n + 1))
    reihenfolge = factory.Sequence(lambda n: n + 1)
    titel = factory.Sequence(lambda n: f"Tagesordnungspunkt {n}")


class BeratungFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beratung

    vorlage = factory.SubFactory(VorlageFactory)
    ausschuss = factory.SubFactory(AusschussFactory)
    rolle = Beratung.Rolle.VORBERATUNG
    termin = datetime.date(2021, 11, 24)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.Group"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gruppe {n}")


def _content_type(objekt):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(objekt)


class AenderungFactory(factory.django.DjangoModelFactory):
    """An entry of the Änderungsprotokoll: someone changed a Vorlage."""

    class Meta:
        model = "betrieb.Aenderung"

    class Params:
        objekt = factory.SubFactory(VorlageFactory)

    user = factory.SubFactory(SachbearbeitungFactory)
    content_type = factory.LazyAttribute(lambda o: _content_type(o.objekt))
    object_id = factory.LazyAttribute(lambda o: str(o.objekt.pk))
    object_repr = factory.LazyAttribute(lambda o: str(o.objekt)[:200])
    action_flag = 2  # django.contrib.admin.models.CHANGE
    change_message = "Geändert."


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "gremien.Person"

    vorname = factory.Sequence(lambda n: f"Vorname{n}")
    nachname = factory.Sequence(lambda n: f"Nachname{n}")


class MitgliedschaftFactory(factory.django.DjangoModelFactory):
    """A current seat: from a year ago, without an end."""

    class Meta:
        model = "gremien.Mitgliedschaft"

    person = factory.SubFactory(PersonFactory)
    ausschuss = factory.SubFactory(AusschussFactory)
    rolle = "mitglied"
    beginn = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


class AnlageAbrufFactory(factory.django.DjangoModelFactory):
    """An entry of the download audit: a councillor fetched a non-public Anlage."""

    class Meta:
        model = "vorlagen.AnlageAbruf"

    anlage = factory.SubFactory(AnlageFactory, oeffentlich=False)
    benutzer = factory.SubFactory(UserFactory)


class AnlageSeiteFactory(factory.django.DjangoModelFactory):
    """One page of extracted Anlage text, as the extraction task stores it."""

    class Meta:
        model = "vorlagen.AnlageSeite"

    anlage = factory.SubFactory(AnlageFactory)
    nummer = 1
    text = "Text einer Seite."


class DruckstueckFactory(factory.django.DjangoModelFactory):
    """A rendered PDF of a Vorlage, public variant, as the druck task stores it."""

    class Meta:
        model = "druck.Druckstueck"

    art = "vorlage"
    vorlage = factory.SubFactory(VorlageFactory)
    inhaltsversion = factory.Sequence(lambda n: f"{n:064x}")
    schluessel = factory.LazyAttribute(lambda o: f"vorlage:{o.vorlage.pk}:alle:{o.inhaltsversion}")
    status = "fertig"
    datei = factory.LazyFunction(lambda: ContentFile(MINI_PDF, name="druck.pdf"))
    dateiname = factory.LazyAttribute(lambda o: f"{o.vorlage.kennung}.pdf")
    groesse = len(MINI_PDF)
    seiten = 1
    warnungen = "GRDrs 1/2021: Anlage „Gutachten“ ist verschlüsselt (gutachten.pdf)."
    fertig_am = factory.LazyFunction(timezone.now)


class HerkunftFactory(factory.django.DjangoModelFactory):
    """Where an imported record came from: give ``objekt``, the original id follows a sequence."""

    class Meta:
        model = "oparlimport.Herkunft"
        exclude = ("objekt",)

    objekt = factory.SubFactory(VorlageFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.objekt))
    object_id = factory.LazyAttribute(lambda o: o.objekt.pk)
    oparl_id = factory.Sequence(lambda n: f"https://alt.example.org/oparl/paper/{n}")
    typ = "Paper"


class DateiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "oparlimport.Datei"

    oparl_id = factory.Sequence(lambda n: f"https://alt.example.org/oparl/file/{n}")
    vorlage = factory.SubFactory(VorlageFactory)
    rolle = "auxiliaryFile"
    name = factory.Sequence(lambda n: f"Anlage {n}")
    dateiname = factory.Sequence(lambda n: f"anlage-{n}.pdf")


class TombstoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "oparl.Tombstone"

    typ = "paper"
    pfad = factory.Sequence(lambda n: f"paper/{100000 + n}")
    erstellt_am = factory.LazyFunction(timezone.now)


class AnwesenheitFactory(factory.django.DjangoModelFactory):
    """A present member entitled to vote."""

    class Meta:
        model = "protokoll.Anwesenheit"

    sitzung = factory.SubFactory(SitzungFactory)
    person = factory.SubFactory(PersonFactory)
    status = "anwesend"


class BefangenheitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protokoll.Befangenheit"

    tagesordnungspunkt = factory.SubFactory(TagesordnungspunktFactory)
    person = factory.SubFactory(PersonFactory)


class AbstimmungFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protokoll.Abstimmung"

    tagesordnungspunkt = factory.SubFactory(TagesordnungspunktFactory)
    reihenfolge = factory.Sequence(lambda n: n + 1)
    art = "offen"


class StimmeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protokoll.Stimme"

    abstimmung = factory.SubFactory(AbstimmungFactory, art="namentlich")
    person = factory.SubFactory(PersonFactory)
    stimme = "ja"


class NiederschriftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protokoll.Niederschrift"

    sitzung = factory.SubFactory(SitzungFactory)


class UnterschriftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protokoll.Unterschrift"

    niederschrift = factory.SubFactory(NiederschriftFactory)
    rolle = "mitglied"
    name = factory.Sequence(lambda n: f"Urkundsperson {n}")
    datum = factory.LazyFunction(timezone.localdate)


class SitzungsdokumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protokoll.Sitzungsdokument"

    sitzung = factory.SubFactory(SitzungFactory)
    art = "sonstiges"
    titel = factory.Sequence(lambda n: f"Sitzungsdokument {n}")
    datei = factory.LazyFunction(lambda: ContentFile(MINI_PDF, name="dokument.pdf"))
    dateiname = "dokument.pdf"
    mime_typ = "application/pdf"
    groesse = len(MINI_PDF)


class SitzungsgeldFactory(AnwesenheitFactory):
    """An Anwesenheit as the admin's Sitzungsgeld sees it (a proxy)."""

    class Meta:
        model = "protokoll.Sitzungsgeld"


class NachrichtFactory(factory.django.DjangoModelFactory):
    """A message in the outbox, as ``post.services.nachricht_bauen`` makes it."""

    class Meta:
        model = "post.Nachricht"

    art = "sonstige"
    adresse = factory.Sequence(lambda n: f"empfaenger{n}@example.org")
    betreff = "Einladung zur Sitzung des Gemeinderats"
    text = "Sehr geehrte Damen und Herren,\n\nhiermit lade ich Sie ein."
    message_id = factory.Sequence(lambda n: f"<{n}.test@ratsinfo.example.org>")


class BenachrichtigungseinstellungFactory(factory.django.DjangoModelFactory):
    """A councillor's choice of notifications: everything, as a daily digest, from an hour ago."""

    class Meta:
        model = "konten.Benachrichtigungseinstellung"

    benutzer = factory.SubFactory(UserFactory)
    neue_vorlagen = True
    tagesordnung = True
    nachtraege = True
    niederschriften = True
    rhythmus = "taeglich"
    gesendet_bis = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class EinberufungFactory(factory.django.DjangoModelFactory):
    """A recorded Einladung, as ``einberufung.services.einladung_versenden`` leaves it."""

    class Meta:
        model = "einberufung.Einberufung"

    sitzung = factory.SubFactory(SitzungFactory)
    art = "einladung"
    nummer = 0
    versendet_am = factory.LazyAttribute(lambda o: o.sitzung.beginn - datetime.timedelta(days=10))
    ladungsfrist_tage = 7
    frist_eingehalten = True


class LadungFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "einberufung.Ladung"

    einberufung = factory.SubFactory(EinberufungFactory)
    person = factory.SubFactory(PersonFactory)
    name = factory.LazyAttribute(lambda o: o.person.name if o.person else "Presse")
    rolle = "mitglied"
    nachricht = factory.SubFactory(NachrichtFactory, art="einladung")


class AbonnentFactory(factory.django.DjangoModelFactory):
    """A citizen's address with her consent, as ``abonnements.services.abonnieren`` stores it."""

    class Meta:
        model = "abonnements.Abonnent"

    adresse = factory.Sequence(lambda n: f"buergerin{n}@example.org")
    einwilligung_am = factory.LazyFunction(timezone.now)
    einwilligung_text = "Ich willige ein, dass meine E-Mail-Adresse gespeichert wird."


class AbonnementFactory(factory.django.DjangoModelFactory):
    """A confirmed daily subscription to a Gremium."""

    class Meta:
        model = "abonnements.Abonnement"

    abonnent = factory.SubFactory(AbonnentFactory)
    art = "gremium"
    ausschuss = factory.SubFactory(AusschussFactory)
    bestaetigt_am = factory.LazyFunction(timezone.now)
    gesendet_bis = factory.LazyFunction(timezone.now)


class WahlperiodeFactory(factory.django.DjangoModelFactory):
    """A five-year term; each one after the last (within 1900–2200), so a test's terms never overlap."""

    class Meta:
        model = "gremien.Wahlperiode"

    beginn = factory.Sequence(lambda n: datetime.date(1900 + 5 * (n % 60), 7, 1))
    ende = factory.LazyAttribute(lambda w: w.beginn.replace(year=w.beginn.year + 5) - datetime.timedelta(days=1))
    name = factory.LazyAttribute(lambda w: f"{w.beginn.year}–{w.ende.year + 1}")


class NummernzaehlerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nummernzaehler
        django_get_or_create = ("nummernkreis", "jahr")

    nummernkreis = "GRDrs"
    jahr = 2026
    letzte_nummer = 0


class UrheberFactory(factory.django.DjangoModelFactory):
    """A signatory of an Antrag: a Fraktion by default; ``person=…`` for a councillor (then no Fraktion)."""

    class Meta:
        model = "vorlagen.Urheber"

    vorlage = factory.SubFactory(VorlageFactory, art=Vorlage.Art.ANTRAG)
    reihenfolge = factory.Sequence(lambda n: n + 1)
    person = None
    fraktion = factory.Maybe(
        "person", yes_declaration=None, no_declaration=factory.SubFactory(AusschussFactory, art=Ausschuss.Art.FRAKTION)
    )


class DienststellenzugehoerigkeitFactory(factory.django.DjangoModelFactory):
    """A user working in a Dienststelle since 2020; ``leitung=True`` for whoever gives the Freigabe."""

    class Meta:
        model = "gremien.Dienststellenzugehoerigkeit"

    benutzer = factory.SubFactory(UserFactory)
    dienststelle = factory.SubFactory(DienststelleFactory)
    leitung = False
    beginn = datetime.date(2020, 1, 1)


class LaufwegFactory(factory.django.DjangoModelFactory):
    """A running route of a draft (its steps come from SchrittFactory or, in behaviour tests, laufweg_starten)."""

    class Meta:
        model = "mitzeichnung.Laufweg"

    vorlage = factory.SubFactory(VorlageFactory, entwurf=True)
    gestartet_von = factory.SubFactory(UserFactory)
    gestartet_am = factory.LazyFunction(timezone.now)


class SchrittFactory(factory.django.DjangoModelFactory):
    """An open Mitzeichnung of a Dienststelle, due in a week."""

    class Meta:
        model = "mitzeichnung.Schritt"

    laufweg = factory.SubFactory(LaufwegFactory)
    art = "mitzeichnung"
    stufe = 1
    dienststelle = factory.SubFactory(DienststelleFactory)
    frist = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    status = "offen"
    geoeffnet_am = factory.LazyFunction(timezone.now)


def bild_bauen(*, format_="JPEG", groesse=(40, 40)):
    """A real small image made by Pillow, as bytes (a grey square: no one's face)."""
    from PIL import Image

    puffer = io.BytesIO()
    Image.new("RGB", groesse, (128, 128, 128)).save(puffer, format=format_)
    return puffer.getvalue()
