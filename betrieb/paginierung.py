import contextlib
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)


class NachsichtigeSeitenMixin:
    """Pagination for public lists: a page number that does not exist shows the nearest page, never an error.

    Links from search engines and old bookmarks point at pages that no longer exist once the data shrinks;
    ``Paginator.get_page`` answers those with the last page (and anything non-numeric with the first).
    """

    paginate_by = settings.PAGINATE_BY

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class GrosseListePaginator(Paginator):
    """A paginator for lists of 100,000 rows: deep pages by deferred join, and optionally a cached count.

    A deep page with ``OFFSET 20000`` makes the database build and throw away 20,000 whole rows (with their
    joins). Here the offset runs over the primary keys alone, which an index on the list's order answers, and
    only the page's rows are then read in full: one query more, of constant cost.

    The count (``COUNT(*)`` over the whole filtered list, the dearest query of a first page) is kept in the cache
    for ``RATSINFO_ANZAHL_CACHE_SEKUNDEN`` when ``anzahl_zwischenspeichern`` is set, keyed by the SQL of the
    query. Only for anonymous visitors: they all see the same rows, so the same SQL has the same answer, whereas a
    councillor's count includes her committees' non-public papers. The price: after a change, the count and the
    number of pages may be behind by those seconds; the rows on each page are always current.
    """

    def __init__(self, *args, anzahl_zwischenspeichern=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.anzahl_zwischenspeichern = anzahl_zwischenspeichern
        self.anzahl_aus_cache = False

    @cached_property
    def count(self):
        sekunden = settings.RATSINFO_ANZAHL_CACHE_SEKUNDEN
        if not (self.anzahl_zwischenspeichern and sekunden > 0 and isinstance(self.object_list, QuerySet)):
            return super().count
        try:
            sql, parameter = self.object_list.query.sql_with_params()
        except EmptyResultSet:
            # A query that can match nothing has no SQL to key on: an invalid filter gives qs.none(), and the
            # page then shows the form's error above an empty list.
            return 0
        schluessel = "anzahl:" + hashlib.sha256(f"{self.object_list.db}|{sql}|{parameter!r}".encode()).hexdigest()
        try:
            anzahl = cache.get(schluessel)
        except Exception:
            # The cache (Redis) is down: count in the database, as without the cache.
            logger.exception("Anzahl-Cache nicht erreichbar")
            return super().count
        if anzahl is None:
            anzahl = super().count
            with contextlib.suppress(Exception):
                cache.set(schluessel, anzahl, sekunden)
        else:
            self.anzahl_aus_cache = True
        return anzahl

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            # A cached count may be behind: the last page then reads up to its full size instead of the count.
            top = top + self.orphans if self.anzahl_aus_cache else self.count
        if bottom == 0 or not isinstance(self.object_list, QuerySet):
            return self._get_page(self.object_list[bottom:top], number, self)
        schluessel = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        zeilen = {zeile.pk: zeile for zeile in self.object_list.filter(pk__in=schluessel).order_by()}
        return self._get_page([zeilen[pk] for pk in schluessel if pk in zeilen], number, self)


class GrosseListeMixin(NachsichtigeSeitenMixin):
    """The lists of Vorlagen and Sitzungen: ``GrosseListePaginator``, the count cached for anonymous visitors."""

    paginator_class = GrosseListePaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return super().get_paginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            anzahl_zwischenspeichern=not self.request.user.is_authenticated,
            **kwargs,
        )
