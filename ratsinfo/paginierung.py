from django.conf import settings


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
