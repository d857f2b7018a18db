"""What is new for the search subscriptions of the citizens' digests (``abonnements``), entered into
``abonnements.suchabgleich`` from ``SucheConfig.ready()``.

A subscription keeps the search page's query parameters; they are read here exactly as the page reads them
(``SucheFilter``, ``Suche``) for the anonymous visitor, so a digest finds what the same search on the site would
find, and nothing a visitor may not see. New means: a Vorlage published, a Sitzung or a TOP created in the
subscription's window.

Constant queries for any number of subscriptions: per kind, one query reads the ids of everything new and visible
in the earliest window of all; one ``UNION ALL`` then asks each subscription's search for those ids only (on
PostgreSQL as one array parameter, so each part is a lookup by primary key plus the vector match, never a scan of
the index for a common word); one more query loads the objects found.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from gremien.models import Ausschuss
from sitzungen.models import Beratung, Sitzung, Tagesordnungspunkt
from suche.filters import SucheFilter
from suche.suche import SITZUNG, TOP, VORLAGE, GleichEinem, Suche, ist_postgresql
from vorlagen.models import Vorlage

# The kinds a digest reports, with the field that says since when an item is there for the public.
NEU_SEIT = {VORLAGE: "veroeffentlicht_am", SITZUNG: "erstellt_am", TOP: "erstellt_am"}
MODELL = {VORLAGE: Vorlage, SITZUNG: Sitzung, TOP: Tagesordnungspunkt}
ART = {VORLAGE: _("Vorlage"), SITZUNG: _("Sitzung"), TOP: _("Tagesordnungspunkt")}
# SQLite: at most 500 terms in a compound SELECT and 32,766 parameters in a statement.
SQLITE_TEILE = 400
SQLITE_PARAMETER = 30000


class AboSuche(Suche):
    """The search of one subscription, its committee filter as a plain subquery.

    The page's form (``vorlage_id = ANY(ARRAY(SELECT …))``) suits a page that matches words first. Here the ids of
    the few new items come first, and PostgreSQL would compare each with both arrays (240 ms per subscription on
    the benchmark data); as ``IN (SELECT …)`` it hashes the committee's Vorlagen once (a few ms). The condition is
    the same: the Beratung's own part of the rule, for the anonymous visitor.
    """

    def _im_ausschuss(self, vorlage):
        beratungen = (
            Beratung.objects.filter(Beratung.objects.eigene_sichtbarkeit_q(self.user), ausschuss=self.ausschuss)
            .order_by()
            .values("vorlage_id")
        )
        return Q(**{f"{vorlage}__in": beratungen})


def _suche(abfrage, ausschuesse, anonym):
    """The Suche of one subscription, or None when its stored parameters are no longer valid (a Gremium renamed,
    a filter value the form refuses): such a subscription finds nothing rather than failing the run."""
    filter_daten = abfrage.suchfilter if isinstance(abfrage.suchfilter, dict) else {}
    daten = {feld: wert for feld, wert in filter_daten.items() if feld in ("von", "bis", "art", "typ") and wert}
    daten["q"] = abfrage.suchbegriff
    parameter = SucheFilter(daten).suchparameter()
    if parameter is None:
        return None
    slug = filter_daten.get("ausschuss")
    if slug:
        if slug not in ausschuesse:
            return None
        parameter["ausschuss"] = ausschuesse[slug]
    suche = AboSuche(user=anonym, **parameter)
    return suche if suche.begriff else None


def _neue_ids(typ, anonym, seit, bis):
    feld = NEU_SEIT[typ]
    qs = MODELL[typ].objects.sichtbar_fuer(anonym).filter(**{f"{feld}__gt": seit, f"{feld}__lte": bis})
    return list(qs.order_by().values_list("pk", flat=True))


def _teil(suche, typ, schluessel, abfrage, ids):
    qs = suche._treffer(typ)
    if qs is None:
        return None
    feld = NEU_SEIT[typ]
    if ist_postgresql():
        qs = qs.filter(GleichEinem(F("pk"), Value(ids, output_field=ArrayField(models.IntegerField()))))
    else:
        qs = qs.filter(pk__in=ids)
    qs = qs.filter(**{f"{feld}__gt": abfrage.seit, f"{feld}__lte": abfrage.bis})
    return qs.order_by().annotate(abo=Value(schluessel, output_field=models.IntegerField())).values_list("abo", "pk")


def _treffer_lesen(teile, ids):
    if not teile:
        return []
    if ist_postgresql():
        gruppen = [teile]
    else:
        je_gruppe = max(1, min(SQLITE_TEILE, SQLITE_PARAMETER // (len(ids) + 20)))
        gruppen = [teile[i : i + je_gruppe] for i in range(0, len(teile), je_gruppe)]
    zeilen = []
    for gruppe in gruppen:
        # .order_by(): a union takes the first model's default order, by columns it does not select.
        abfrage = gruppe[0].union(*gruppe[1:], all=True).order_by() if len(gruppe) > 1 else gruppe[0]
        zeilen.extend(abfrage)
    return zeilen


def neue_treffer(*, abfragen):
    """``{schluessel: [(art, objekt, datum), ...]}`` for ``abonnements.suchabgleich`` (integer keys)."""
    anonym = AnonymousUser()
    slugs = {
        abfrage.suchfilter.get("ausschuss")
        for abfrage in abfragen
        if isinstance(abfrage.suchfilter, dict) and isinstance(abfrage.suchfilter.get("ausschuss"), str)
    }
    ausschuesse = {a.slug: a for a in Ausschuss.objects.gremien().filter(slug__in=slugs)} if slugs else {}
    suchen = []
    for abfrage in abfragen:
        suche = _suche(abfrage, ausschuesse, anonym)
        if suche is not None:
            suchen.append((abfrage, suche))
    if not suchen:
        return {}
    seit = min(abfrage.seit for abfrage, _ in suchen)
    bis = max(abfrage.bis for abfrage, _ in suchen)
    ergebnis = {}
    for typ in NEU_SEIT:
        wer = [(abfrage, suche) for abfrage, suche in suchen if suche.typ in ("", typ)]
        if not wer:
            continue
        ids = _neue_ids(typ, anonym, seit, bis)
        if not ids:
            continue
        teile = [_teil(suche, typ, abfrage.schluessel, abfrage, ids) for abfrage, suche in wer]
        zeilen = _treffer_lesen([teil for teil in teile if teil is not None], ids)
        if not zeilen:
            continue
        objekte = MODELL[typ].objects.sichtbar_fuer(anonym).filter(pk__in={pk for _, pk in zeilen}).defer("suchvektor")
        if typ == VORLAGE:
            # A hit is named and linked: the long texts stay in the database.
            objekte = objekte.select_related("dienststelle").defer(
                "beschlussantrag", "bericht", "begruendung", "finanzielle_auswirkungen", "mitzeichnung"
            )
        else:
            objekte = objekte.select_related("sitzung__ausschuss" if typ == TOP else "ausschuss")
        objekte = {objekt.pk: objekt for objekt in objekte}
        art = str(ART[typ])
        for schluessel, pk in sorted(zeilen):
            objekt = objekte.get(pk)
            if objekt is None:
                continue
            datum = getattr(objekt, NEU_SEIT[typ])
            ergebnis.setdefault(schluessel, []).append((art, objekt, datum))
    return ergebnis
