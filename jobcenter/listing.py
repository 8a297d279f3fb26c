"""Work lists: the filter query string and the sortable table headers (``templates/partials/sortable_head.html``).

A list view reads its filters (a dict from its filter form), hands them to ``sort_columns`` with the list's columns
and the sort keys its selector whitelists, and renders the headers with the partial; the pagination partial
(``templates/partials/pagination.html``) takes ``querystring(filters)`` as its ``query``. Lists paginate with
``paginate`` (a ``CappedPaginator``): the count stops after ``COUNT_CAP`` rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import Promise, cached_property

# A list counts its rows only this far (and as far as the page asked for): "mehr als 1.000" instead of a COUNT(*)
# over every row of a large office.
COUNT_CAP = 1000


def querystring(filters: Mapping[str, Any], **changes: Any) -> str:
    """The filters as a query string (empty values left out, ``True`` as ``1``), with ``changes`` applied."""
    values = {**filters, **changes}
    return urlencode({key: ("1" if value is True else value) for key, value in values.items()
                      if value not in ("", None, False)})


@dataclass(frozen=True)
class SortLink:
    url: str  # "?…": the other filters kept, the sort set to this column (reversed when it is the current one)
    direction: str  # "asc" / "desc" when the list is sorted by this column, else ""


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    sort: SortLink | None  # None: the column cannot be sorted by


def sort_columns(columns: Sequence[tuple[str, str | Promise]], filters: Mapping[str, Any],
                 sortable: Collection[str], default: str = "") -> list[Column]:
    """Table headers for ``columns`` (``(key, label)``); one whose key is in ``sortable`` links to its sort, and,
    when it is the current sort (``filters["sort"]``, else ``default``), to the reverse."""
    current = filters.get("sort") or default
    others = {key: value for key, value in filters.items() if key != "sort"}
    result = []
    for key, label in columns:
        link = None
        if key and key in sortable:
            direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
            target = f"-{key}" if direction == "asc" else key
            link = SortLink(url="?" + querystring(others, sort=target), direction=direction)
        result.append(Column(key=key, label=label, sort=link))
    return result


class CappedPaginator(Paginator):
    """A ``Paginator`` that counts at most ``cap`` rows, or as many as the requested page needs to know whether a next
    page exists: ``COUNT(*)`` over a ``LIMIT``ed subquery, which stops early on a large office. ``capped`` says the
    count stopped (the list shows "more than …", the pagination no page total)."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self._limit = cap

    def get_page(self, number: Any) -> Page:
        try:
            wanted = max(1, int(number))
        except (TypeError, ValueError):
            wanted = 1
        self._limit = max(self.cap, wanted * self.per_page)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        if rows.query.combinator is None:
            rows = rows.values("pk")
        return rows.order_by()[: self._limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self._limit


def paginate(rows: Any, number: int, per_page: int, *, cap: int = COUNT_CAP) -> Page:
    """The page ``number`` of ``rows`` (out of range: the last one), counted at most as far as needed."""
    return CappedPaginator(rows, per_page, cap=cap).get_page(number)
