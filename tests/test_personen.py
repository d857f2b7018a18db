"""Issue 20, part E2: the people index, the Fraktion page, the person page's additions and the photo with consent."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gremien.models import Person
from tests.factories import (
    MINI_PDF,
    AusschussFactory,
    MitgliedschaftFactory,
    PersonFactory,
    UrheberFactory,
    WahlperiodeFactory,
    bild_bauen,
)
from tests.test_admin import admin_url, formulardaten
from tests.test_oparl import validatoren  # noqa: F401 (the fixture)

HEUTE = timezone.localdate()
TAG = datetime.timedelta(days=1)


def fraktion(**felder):
    return AusschussFactory(art="fraktion", **felder)


def namen(antwort):
    return [person.name for person in antwort.context["personen"]]


@pytest.fixture
def rat(db):
    """A council today: two Fraktionen, a Gremium, a councillor who switched Fraktion, one who left, a sachkundige
    Einwohnerin, and the current and the last Wahlperiode."""
    aktuelle = WahlperiodeFactory(name="jetzt", beginn=HEUTE - 400 * TAG, ende=HEUTE + 1000 * TAG)
    fruehere = WahlperiodeFactory(name="vorher", beginn=HEUTE - 2000 * TAG, ende=HEUTE - 401 * TAG)
    rot = fraktion(name="Fraktion Rot", slug="rot")
    gruen = fraktion(name="Fraktion Grün", slug="gruen")
    ausschuss = AusschussFactory(name="Bauausschuss", slug="bau")
    anna = PersonFactory(vorname="Anna", nachname="Amsel")
    MitgliedschaftFactory(person=anna, ausschuss=rot, rolle="vorsitz", beginn=HEUTE - 1500 * TAG)
    MitgliedschaftFactory(person=anna, ausschuss=ausschuss, beginn=HEUTE - 300 * TAG)
    wechsel = PersonFactory(vorname="Willi", nachname="Wechsel")
    MitgliedschaftFactory(person=wechsel, ausschuss=rot, beginn=HEUTE - 1500 * TAG, ende=HEUTE - 100 * TAG)
    MitgliedschaftFactory(person=wechsel, ausschuss=gruen, beginn=HEUTE - 99 * TAG)
    weg = PersonFactory(vorname="Gerda", nachname="Gegangen")
    MitgliedschaftFactory(person=weg, ausschuss=rot, beginn=HEUTE - 1900 * TAG, ende=HEUTE - 500 * TAG)
    MitgliedschaftFactory(person=weg, ausschuss=ausschuss, beginn=HEUTE - 1900 * TAG, ende=HEUTE - 500 * TAG)
    sachkundig = PersonFactory(vorname="Sina", nachname="Sachkundig")
    MitgliedschaftFactory(person=sachkundig, ausschuss=ausschuss, rolle="sachkundig", beginn=HEUTE - 300 * TAG)
    PersonFactory(vorname="Otto", nachname="Ohnesitz")
    return {
        "aktuelle": aktuelle,
        "fruehere": fruehere,
        "rot": rot,
        "gruen": gruen,
        "ausschuss": ausschuss,
        "anna": anna,
        "wechsel": wechsel,
        "weg": weg,
        "sachkundig": sachkundig,
    }


# The people index


def test_the_people_index_shows_the_current_term_by_default(client, rat):
    antwort = client.get(reverse("sitzungen:person-liste"))
    assert antwort.status_code == 200
    assert namen(antwort) == ["Anna Amsel", "Sina Sachkundig", "Willi Wechsel"]
    assert antwort.context["wahlperiode"] == rat["aktuelle"]
    inhalt = antwort.content.decode()
    assert "Fraktion Grün" in inhalt and "Bauausschuss" in inhalt


def test_the_people_index_shows_who_held_a_seat_in_an_earlier_term_or_in_all(client, rat):
    url = reverse("sitzungen:person-liste")
    assert namen(client.get(url, {"wahlperiode": rat["fruehere"].pk})) == [
        "Anna Amsel",
        "Gerda Gegangen",
        "Willi Wechsel",
    ]
    assert namen(client.get(url, {"wahlperiode": "alle"})) == [
        "Anna Amsel",
        "Gerda Gegangen",
        "Sina Sachkundig",
        "Willi Wechsel",
    ]


def test_the_people_index_without_any_wahlperiode_shows_the_seats_held_today(client, rat):
    rat["aktuelle"].delete()
    rat["fruehere"].delete()
    assert namen(client.get(reverse("sitzungen:person-liste"))) == ["Anna Amsel", "Sina Sachkundig", "Willi Wechsel"]


def test_the_people_index_filters_by_fraktion_in_the_chosen_term(client, rat):
    url = reverse("sitzungen:person-liste")
    assert namen(client.get(url, {"fraktion": "rot"})) == ["Anna Amsel", "Willi Wechsel"]
    assert namen(client.get(url, {"fraktion": "gruen"})) == ["Willi Wechsel"]
    assert namen(client.get(url, {"fraktion": "rot", "wahlperiode": rat["fruehere"].pk})) == [
        "Anna Amsel",
        "Gerda Gegangen",
        "Willi Wechsel",
    ]


def test_the_row_names_the_fraktion_of_today_after_a_switch(client, rat):
    antwort = client.get(reverse("sitzungen:person-liste"), {"name": "Wechsel"})
    (person,) = antwort.context["personen"]
    assert person.fraktion_zeile.ausschuss == rat["gruen"]


def test_the_people_index_filters_by_gremium_role_and_name(client, rat):
    url = reverse("sitzungen:person-liste")
    assert namen(client.get(url, {"gremium": "bau"})) == ["Anna Amsel", "Sina Sachkundig"]
    assert namen(client.get(url, {"rolle": "sachkundig"})) == ["Sina Sachkundig"]
    assert namen(client.get(url, {"gremium": "bau", "rolle": "vorsitz"})) == []
    assert namen(client.get(url, {"name": "ams"})) == ["Anna Amsel"]
    assert namen(client.get(url, {"name": "anna amsel"})) == ["Anna Amsel"]


def test_an_unknown_filter_value_is_a_form_error_not_a_500(client, rat):
    antwort = client.get(reverse("sitzungen:person-liste"), {"fraktion": "gibt-es-nicht", "wahlperiode": "x"})
    assert antwort.status_code == 200
    assert antwort.context["filter"].errors
    assert namen(antwort) == []


def test_pagination_keeps_the_filters(client, rat, settings):
    gremium = rat["ausschuss"]
    for nummer in range(25):
        MitgliedschaftFactory(person=PersonFactory(nachname=f"Zett{nummer:02}"), ausschuss=gremium)
    antwort = client.get(reverse("sitzungen:person-liste"), {"gremium": "bau"})
    assert "?gremium=bau&amp;page=2" in antwort.content.decode()


@pytest.mark.parametrize("anzahl", [2, 12])
def test_the_people_index_needs_the_same_queries_for_few_and_many_people(
    client, rat, anzahl, django_assert_max_num_queries
):
    for nummer in range(anzahl):
        person = PersonFactory(nachname=f"Zett{nummer:02}")
        MitgliedschaftFactory(person=person, ausschuss=rat["rot"])
        MitgliedschaftFactory(person=person, ausschuss=rat["ausschuss"])
    client.get(reverse("sitzungen:person-liste"))
    with django_assert_max_num_queries(9):
        assert client.get(reverse("sitzungen:person-liste")).status_code == 200


# The Fraktion page


def test_the_fraktion_page_shows_current_and_past_members_with_dates_and_roles(client, rat):
    antwort = client.get(rat["rot"].get_absolute_url())
    assert antwort.status_code == 200
    assert [m.person.name for m in antwort.context["aktuelle_mitglieder"]] == ["Anna Amsel"]
    assert [m.person.name for m in antwort.context["fruehere_mitglieder"]] == ["Gerda Gegangen", "Willi Wechsel"]
    inhalt = antwort.content.decode()
    assert "Vorsitz" in inhalt
    assert (HEUTE - 100 * TAG).strftime("%d.%m.%Y") in inhalt


def test_the_fraktion_page_in_a_term_shows_who_was_member_then(client, rat):
    antwort = client.get(rat["rot"].get_absolute_url(), {"wahlperiode": rat["fruehere"].pk})
    namen_ = {m.person.name for m in antwort.context["aktuelle_mitglieder"] + antwort.context["fruehere_mitglieder"]}
    assert namen_ == {"Anna Amsel", "Gerda Gegangen", "Willi Wechsel"}


def test_the_fraktion_page_lists_only_the_visible_antraege_it_signed(client, rat, admin_client):
    sichtbar = UrheberFactory(fraktion=rat["rot"], vorlage__titel="Mehr Bäume").vorlage
    UrheberFactory(fraktion=rat["rot"], vorlage__titel="Geheimer Entwurf", vorlage__status="entwurf")
    UrheberFactory(fraktion=rat["rot"], vorlage__titel="Nichtöffentlich", vorlage__oeffentlich=False)
    UrheberFactory(fraktion=rat["gruen"], vorlage__titel="Antrag der anderen")
    antwort = client.get(rat["rot"].get_absolute_url())
    assert [v.pk for v in antwort.context["vorlagen"]] == [sichtbar.pk]
    inhalt = antwort.content.decode()
    assert "Mehr Bäume" in inhalt and "eingegangen" in inhalt
    assert "Geheimer Entwurf" not in inhalt and "Nichtöffentlich" not in inhalt and "der anderen" not in inhalt
    # The clerk sees the draft too.
    assert "Geheimer Entwurf" in admin_client.get(rat["rot"].get_absolute_url()).content.decode()


def test_the_fraktion_page_counts_its_members_seats_by_gremium_with_a_link_to_them(client, rat):
    antwort = client.get(rat["rot"].get_absolute_url())
    assert [(s["ausschuss__name"], s["anzahl"]) for s in antwort.context["gremiensitze"]] == [("Bauausschuss", 1)]
    inhalt = antwort.content.decode()
    link = reverse("sitzungen:person-liste") + "?fraktion=rot&amp;gremium=bau"
    assert link in inhalt and "1 Mitglied" in inhalt
    assert namen(client.get(reverse("sitzungen:person-liste"), {"fraktion": "rot", "gremium": "bau"})) == ["Anna Amsel"]


@pytest.mark.parametrize("anzahl", [2, 12])
def test_the_fraktion_page_needs_the_same_queries_for_few_and_many_members(
    client, rat, anzahl, django_assert_max_num_queries
):
    for nummer in range(anzahl):
        person = PersonFactory(nachname=f"Zett{nummer:02}")
        MitgliedschaftFactory(person=person, ausschuss=rat["rot"])
        MitgliedschaftFactory(person=person, ausschuss=rat["ausschuss"], ende=HEUTE - TAG if nummer % 2 else None)
        UrheberFactory(fraktion=rat["rot"])
    client.get(rat["rot"].get_absolute_url())
    with django_assert_max_num_queries(8):
        assert client.get(rat["rot"].get_absolute_url()).status_code == 200


def test_a_gremium_page_stays_a_gremium_page(client, rat):
    antwort = client.get(rat["ausschuss"].get_absolute_url())
    assert "sitzungen/ausschuss_detail.html" in [t.name for t in antwort.templates]


# The person page


def test_the_person_page_shows_the_fraktion_history_and_the_signed_antraege_with_status(client, rat):
    wechsel = rat["wechsel"]
    anfrage = UrheberFactory(person=wechsel, vorlage__art="anfrage", vorlage__titel="Wo bleibt der Bus?").vorlage
    UrheberFactory(person=wechsel, vorlage__titel="Versteckt", vorlage__oeffentlich=False)
    antwort = client.get(wechsel.get_absolute_url())
    assert [s.ausschuss.name for s in antwort.context["person"].fraktionssitze] == ["Fraktion Grün", "Fraktion Rot"]
    assert [v.pk for v in antwort.context["antraege_und_anfragen"]] == [anfrage.pk]
    inhalt = antwort.content.decode()
    assert "Wo bleibt der Bus?" in inhalt and "offen" in inhalt and "Versteckt" not in inhalt


@pytest.mark.parametrize("anzahl", [2, 12])
def test_the_person_page_needs_the_same_queries_for_few_and_many_papers(
    client, rat, anzahl, django_assert_max_num_queries
):
    anna = rat["anna"]
    for _nummer in range(anzahl):
        UrheberFactory(person=anna)
        MitgliedschaftFactory(person=anna, ausschuss=fraktion(), beginn=HEUTE - 3000 * TAG, ende=HEUTE - 2000 * TAG)
    client.get(anna.get_absolute_url())
    with django_assert_max_num_queries(12):
        assert client.get(anna.get_absolute_url()).status_code == 200


# The photo with consent


def mit_foto(person, *, einwilligung=HEUTE, format_="JPEG", endung=".jpg"):
    person.foto.save(f"foto{endung}", ContentFile(bild_bauen(format_=format_)), save=False)
    person.foto_einwilligung_am = einwilligung
    person.save()
    return person


def test_the_photo_is_served_with_consent_as_an_image(client, rat):
    anna = mit_foto(rat["anna"])
    antwort = client.get(reverse("sitzungen:person-foto", kwargs={"pk": anna.pk}))
    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "image/jpeg"
    assert antwort["X-Content-Type-Options"] == "nosniff"
    assert "no-cache" in antwort["Cache-Control"]
    assert b"".join(antwort.streaming_content) == anna.foto.open("rb").read()
    for url in (anna.get_absolute_url(), reverse("sitzungen:person-liste")):
        assert f'alt="{anna.name}"' in client.get(url).content.decode()


def test_without_consent_there_is_no_photo_anywhere(client, rat):
    anna = mit_foto(rat["anna"])
    Person.objects.filter(pk=anna.pk).update(foto_einwilligung_am=None)
    assert client.get(reverse("sitzungen:person-foto", kwargs={"pk": anna.pk})).status_code == 404
    for url in (anna.get_absolute_url(), reverse("sitzungen:person-liste")):
        assert reverse("sitzungen:person-foto", kwargs={"pk": anna.pk}) not in client.get(url).content.decode()


def test_a_consent_dated_in_the_future_shows_no_photo_yet(client, rat):
    anna = mit_foto(rat["anna"], einwilligung=HEUTE + TAG)
    assert client.get(reverse("sitzungen:person-foto", kwargs={"pk": anna.pk})).status_code == 404


def test_a_person_without_photo_answers_404(client, rat):
    assert client.get(reverse("sitzungen:person-foto", kwargs={"pk": rat["anna"].pk})).status_code == 404
    assert client.get(reverse("sitzungen:person-foto", kwargs={"pk": 999999})).status_code == 404


def admin_speichern(admin_client, person, **felder):
    url = admin_url(Person, "change", person.pk)
    daten = formulardaten(admin_client.get(url)) | felder
    return admin_client.post(url, daten)


@pytest.mark.parametrize(("format_", "endung", "typ"), [("PNG", ".png", "image/png"), ("WEBP", ".webp", "image/webp")])
def test_the_admin_takes_a_photo_with_consent_and_names_it_by_its_content(
    admin_client, client, rat, format_, endung, typ
):
    anna = rat["anna"]
    datei = SimpleUploadedFile("urlaub.jpeg", bild_bauen(format_=format_), content_type="image/jpeg")
    antwort = admin_speichern(admin_client, anna, foto=datei, foto_einwilligung_am=HEUTE.strftime("%d.%m.%Y"))
    assert antwort.status_code == 302, antwort.context["adminform"].form.errors
    anna.refresh_from_db()
    assert anna.foto.name.endswith("/foto" + endung) or anna.foto.name.endswith(endung)
    assert client.get(reverse("sitzungen:person-foto", kwargs={"pk": anna.pk}))["Content-Type"] == typ


def test_the_admin_refuses_a_photo_without_consent(admin_client, rat):
    datei = SimpleUploadedFile("foto.jpg", bild_bauen(), content_type="image/jpeg")
    antwort = admin_speichern(admin_client, rat["anna"], foto=datei)
    assert antwort.status_code == 200
    assert "Einwilligung" in str(antwort.context["adminform"].form.errors["foto_einwilligung_am"])
    rat["anna"].refresh_from_db()
    assert not rat["anna"].foto


def bombe():
    """A PNG whose header claims 20,000 × 20,000 pixels: small on disk, 400 million pixels when decoded."""
    import struct
    import zlib

    def block(art, daten):
        return struct.pack(">I", len(daten)) + art + daten + struct.pack(">I", zlib.crc32(art + daten) & 0xFFFFFFFF)

    kopf = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    zeile = b"\x00" + b"\x00" * 20000
    return (
        b"\x89PNG\r\n\x1a\n" + block(b"IHDR", kopf) + block(b"IDAT", zlib.compress(zeile * 200)) + block(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "inhalt"),
    [
        ("foto.jpg", MINI_PDF),
        ("foto.jpg", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("foto.png", bombe()),
        ("foto.jpg", bild_bauen()[:200]),
        ("foto.gif", bild_bauen(format_="GIF")),
    ],
    ids=["pdf-named-jpg", "html", "decompression-bomb", "truncated-jpeg", "gif"],
)
def test_the_admin_refuses_hostile_files_as_photo(admin_client, rat, name, inhalt):
    datei = SimpleUploadedFile(name, inhalt, content_type="image/jpeg")
    antwort = admin_speichern(admin_client, rat["anna"], foto=datei, foto_einwilligung_am=HEUTE.strftime("%d.%m.%Y"))
    assert antwort.status_code == 200
    assert antwort.context["adminform"].form.errors["foto"]
    rat["anna"].refresh_from_db()
    assert not rat["anna"].foto


def test_removing_the_consent_in_the_admin_removes_the_photo_at_once(admin_client, client, rat):
    anna = mit_foto(rat["anna"])
    name = anna.foto.name
    speicher = anna.foto.storage
    assert client.get(reverse("sitzungen:person-foto", kwargs={"pk": anna.pk})).status_code == 200
    antwort = admin_speichern(admin_client, anna, foto_einwilligung_am="")
    assert antwort.status_code == 302
    anna.refresh_from_db()
    assert not anna.foto
    assert not speicher.exists(name)
    assert client.get(reverse("sitzungen:person-foto", kwargs={"pk": anna.pk})).status_code == 404


# OParl: Fraktionen as Organization with their Memberships; the importer's mapping


def test_oparl_shows_the_fraktion_with_its_page_memberships_and_on_behalf_of(client, rat, validatoren):  # noqa: F811
    from tests.test_oparl import holen, url, validieren

    organisation = holen(client, url("organization", pk=rat["rot"].pk))
    validieren(validatoren, organisation)
    assert organisation["organizationType"] == "Fraktion"
    assert organisation["web"].endswith(rat["rot"].get_absolute_url())
    assert len(organisation["membership"]) == 3
    person = holen(client, url("person", pk=rat["wechsel"].pk))
    validieren(validatoren, person)
    rot = {m["startDate"]: m for m in person["membership"]}[(HEUTE - 1500 * TAG).isoformat()]
    assert rot["endDate"] == (HEUTE - 100 * TAG).isoformat()
    assert "onBehalfOf" not in rot
    sitz = rat["anna"].mitgliedschaften.get(ausschuss=rat["ausschuss"])
    mitgliedschaft = holen(client, url("membership", pk=sitz.pk))
    validieren(validatoren, mitgliedschaft)
    assert mitgliedschaft["onBehalfOf"].endswith(url("organization", pk=rat["rot"].pk))
    assert mitgliedschaft["role"] == "Mitglied"
    ohne = rat["sachkundig"].mitgliedschaften.get()
    assert "onBehalfOf" not in holen(client, url("membership", pk=ohne.pk))


@pytest.mark.parametrize(
    ("objekt", "art"),
    [
        ({"organizationType": "Fraktion", "name": "SPD"}, "fraktion"),
        ({"organizationType": "Gremium", "classification": "Fraktion", "name": "Die Grünen"}, "fraktion"),
        ({"organizationType": "Gremium", "classification": "Gremien", "name": "Bauausschuss"}, "ausschuss"),
    ],
)
def test_the_importer_maps_fraktionen_by_type_or_classification(objekt, art):
    from oparlimport.abbildung.gremien import ausschussart

    assert ausschussart(objekt) == art


def test_fraktion_and_person_pages_link_to_the_filtered_lists_of_antraege_and_anfragen(client, rat):
    UrheberFactory(fraktion=rat["rot"])
    UrheberFactory(person=rat["anna"])
    fraktion = client.get(rat["rot"].get_absolute_url()).content.decode()
    assert reverse("vorlagen:antraege") + "?fraktion=rot" in fraktion
    assert reverse("vorlagen:anfragen") + "?fraktion=rot" in fraktion
    person = client.get(rat["anna"].get_absolute_url()).content.decode()
    assert f"{reverse('vorlagen:antraege')}?person={rat['anna'].pk}" in person
