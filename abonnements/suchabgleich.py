"""The extension point through which the search tells the digests what is new for a search subscription.

``abonnements`` and ``suche`` are both features, and features do not import each other. How a query with its
filters is read and matched belongs to the search alone, so ``suche`` enters one function here from its
``AppConfig.ready()``; the digests call it through ``neue_treffer`` and never name a module of ``suche``. Without
the search installed, a search subscription simply finds nothing.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Suchabfrage:
    """One search subscription as the search sees it: ``schluessel`` comes back with its hits."""

    schluessel: object
    suchbegriff: str
    suchfilter: dict
    seit: object  # the hits newer than this moment …
    bis: object  # … and not newer than this one


_abgleich = None


def eintragen(funktion):
    """``funktion(*, abfragen)`` takes a list of ``Suchabfrage`` and returns
    ``{schluessel: [(art, objekt, datum), ...]}``: the kind as the reader reads it ("Vorlage"), an object with
    ``__str__`` and ``get_absolute_url``, its date. Only what the anonymous visitor may see, in a fixed number of
    queries whatever the number of abfragen."""
    global _abgleich
    _abgleich = funktion


def neue_treffer(*, abfragen):
    if _abgleich is None or not abfragen:
        return {}
    return _abgleich(abfragen=abfragen)
