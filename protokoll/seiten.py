"""The record of a Sitzung on the pages of ``sitzungen`` and ``vorlagen``, entered into ``vorlagen.seitenteile``
from ``ProtokollConfig.ready()`` (those apps sit below and must not import this one).

Each part reads through the querysets' ``sichtbar_fuer(user)`` and only for rows the page already shows as
visible, with a fixed number of queries whatever the number of TOPs, Beratungen or votes.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from protokoll.forms import ZeitraumFormular
from protokoll.models import Abstimmung, Anwesenheit, Befangenheit, Sitzungsdokument, Stimme
from sitzungen.models import Tagesordnungspunkt
from vorlagen import seitenteile
from vorlagen.weitere_dateien import SITZUNG, Anbieter, WeitereDatei, anbieter_eintragen

STIMMEN_JE_SEITE = 25


def _namentlich_gruppieren(abstimmung):
    """The names of a namentliche Abstimmung per value (Ja, Nein, Enthaltung), for the page's lists."""
    gruppen = []
    for wert, bezeichnung in Stimme.Wert.choices:
        personen = [stimme.person for stimme in abstimmung.stimmen.all() if stimme.stimme == wert]
        if personen:
            gruppen.append((bezeichnung, personen))
    return gruppen


def sitzung_laden(request, sitzung):
    user = request.user
    # Hidden TOPs get nothing: their rows are neither read nor shown, the querysets ask the rule again.
    tops = [top for top in sitzung.tagesordnungspunkte.all() if top.inhalt_sichtbar]
    stimmen = Stimme.objects.sichtbar_fuer(user).select_related("person")
    prefetch_related_objects(
        tops,
        Prefetch(
            "abstimmungen",
            queryset=Abstimmung.objects.sichtbar_fuer(user).prefetch_related(Prefetch("stimmen", queryset=stimmen)),
        ),
        Prefetch("befangenheiten", queryset=Befangenheit.objects.sichtbar_fuer(user).select_related("person")),
    )
    for top in tops:
        for abstimmung in top.abstimmungen.all():
            abstimmung.namentlich = _namentlich_gruppieren(abstimmung)
    anwesenheiten = list(
        Anwesenheit.objects.sichtbar_fuer(user)
        .filter(sitzung=sitzung)
        .select_related("person", "vertritt", "ab_top", "bis_top")
        .order_by("person__nachname", "person__vorname", "pk")
    )
    gruppen = [
        (status, bezeichnung, [a for a in anwesenheiten if a.status == status])
        for status, bezeichnung in Anwesenheit.Status.choices
    ]
    return {"anwesenheit_gruppen": [gruppe for gruppe in gruppen if gruppe[2]]}


def vorlage_laden(request, vorlage):
    user = request.user
    beratungen = list(vorlage.beratungen.all())
    top_ids = {beratung.tagesordnungspunkt_id for beratung in beratungen if beratung.tagesordnungspunkt_id}
    if not top_ids:
        return {}
    sichtbar = set(Tagesordnungspunkt.objects.sichtbar_fuer(user).filter(pk__in=top_ids).values_list("pk", flat=True))
    abstimmungen = {}
    for abstimmung in Abstimmung.objects.sichtbar_fuer(user).filter(tagesordnungspunkt_id__in=sichtbar):
        abstimmungen.setdefault(abstimmung.tagesordnungspunkt_id, []).append(abstimmung)
    for beratung in beratungen:
        beratung.top_sichtbar = beratung.tagesordnungspunkt_id in sichtbar
        beratung.abstimmungen_sichtbar = abstimmungen.get(beratung.tagesordnungspunkt_id, [])
    return {}


def person_laden(request, person):
    user = request.user
    formular = ZeitraumFormular(request.GET)
    zeitraum = formular.zeitraum
    if zeitraum is None:
        anwesenheiten = Anwesenheit.objects.none()
        stimmen = Stimme.objects.none()
    else:
        anwesenheiten = Anwesenheit.objects.sichtbar_fuer(user).filter(person=person).im_zeitraum(*zeitraum)
        stimmen = (
            Stimme.objects.sichtbar_fuer(user)
            .filter(
                person=person,
                abstimmung__tagesordnungspunkt__sitzung__beginn__date__gte=zeitraum[0],
                abstimmung__tagesordnungspunkt__sitzung__beginn__date__lte=zeitraum[1],
            )
            .select_related("abstimmung__tagesordnungspunkt__sitzung__ausschuss")
            .order_by("-abstimmung__tagesordnungspunkt__sitzung__beginn", "-abstimmung__tagesordnungspunkt_id", "-pk")
        )
    zahlen = anwesenheiten.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Anwesenheit.Status.values}
    )
    return {
        "zeitraum_formular": formular,
        "anwesenheit_zahlen": [
            (bezeichnung, zahlen[status] or 0) for status, bezeichnung in Anwesenheit.Status.choices
        ],
        "anwesenheiten": anwesenheiten.select_related("sitzung__ausschuss", "vertritt").order_by(
            "-sitzung__beginn", "-pk"
        ),
        "stimmen_seite": Paginator(stimmen, STIMMEN_JE_SEITE).get_page(request.GET.get("page")),
    }


ATTRIBUT = "sichtbare_dokumente"


def _prefetch(user):
    # The text and the search vector are the large columns; the page shows neither.
    dokumente = Sitzungsdokument.objects.sichtbar_fuer(user).order_by("reihenfolge", "pk").defer("text", "suchvektor")
    return Prefetch("dokumente", queryset=dokumente, to_attr=ATTRIBUT)


def _datei(dokument):
    return WeitereDatei(
        name=dokument.titel,
        url=dokument.get_absolute_url(),
        extern=False,
        angabe=f"{dokument.get_art_display()}, {dokument.dateiname}, {filesizeformat(dokument.groesse)}",
        nichtoeffentlich=not (dokument.oeffentlich and dokument.sitzung.oeffentlich),
    )


SITZUNGSDOKUMENTE = Anbieter(
    prefetch=_prefetch, attribut=ATTRIBUT, datei=_datei, ueberschrift=gettext_lazy("Sitzungsdokumente")
)


def eintragen():
    seitenteile.teil_eintragen(
        seitenteile.Teil(
            laden=sitzung_laden,
            vorlage="protokoll/teile/sitzung_anwesenheit.html",
            zeilen_vorlage="protokoll/teile/top_ergebnis.html",
        ),
        fuer=seitenteile.SITZUNG,
    )
    seitenteile.teil_eintragen(
        seitenteile.Teil(laden=vorlage_laden, zeilen_vorlage="protokoll/teile/beratung_abstimmung.html"),
        fuer=seitenteile.VORLAGE,
    )
    seitenteile.teil_eintragen(
        seitenteile.Teil(laden=person_laden, vorlage="protokoll/teile/person_protokoll.html"),
        fuer=seitenteile.PERSON,
    )
    anbieter_eintragen(SITZUNGSDOKUMENTE, fuer=SITZUNG)
