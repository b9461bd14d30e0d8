"""The pagination of every list of the API: `?page=` numbers pages from 1; a page past the end is
an empty page (never a database error, however large the number)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.pagination import PageNumberPagination


class Paged(PageNumberPagination):
    """Django-ninja's page-number pagination, with pages past the last one empty."""

    def paginate_queryset(
        self, queryset, pagination: PageNumberPagination.Input, request: HttpRequest, **params: Any
    ) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * page_size
        items = queryset[offset : offset + page_size] if offset < count else queryset[:0]
        return {self.items_attribute: items, "count": count}
