"""Work lists: the filter query string and the sortable table headers (``templates/partials/sortable_head.html``).

A list view reads its filters (a dict from its filter form), hands them to ``sort_columns`` with the list's columns
and the sort keys its selector whitelists, and renders the headers with the partial; the pagination partial
(``templates/partials/pagination.html``) takes ``querystring(filters)`` as its ``query``. Lists paginate with
``paginate`` (a ``CappedPaginator``): the count stops after ``COUNT_CAP`` rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise, cached_property

R = TypeVar("R")  # a row of a card's query (a model, possibly annotated)

# A list counts its rows only this far (and as far as the page asked for): "mehr als 1.000" instead of a COUNT(*)
# over every row of a large office.
COUNT_CAP = 1000
CARD_COUNT_CAP = 100  # a start-page card counts this far ("more than 100 entries"); its full list to COUNT_CAP


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

    def __init__(self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP, ordered: bool = False,
                 counted: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self._limit = cap
        self.ordered = ordered
        self.counted = counted  # the same rows, queried more cheaply (without a condition only for the order)

    def get_page(self, number: Any) -> Page:
        try:
            wanted = max(1, int(number))
        except (TypeError, ValueError):
            wanted = 1
        self._limit = max(self.cap, wanted * self.per_page)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        rows = self.object_list if self.counted is None else self.counted
        if not isinstance(rows, QuerySet):
            return len(rows)
        if rows.query.combinator is None:
            rows = rows.values("pk")
        if not (self.ordered and self._limit == self.cap):  # a deep page counts further: in any order
            rows = rows.order_by()
        return rows[: self._limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self._limit


def card_rows(query: QuerySet[Any, R], limit: int) -> tuple[list[R], int, bool]:
    """The first ``limit`` rows of a start-page card and how many rows the card has, counted at most to
    ``CARD_COUNT_CAP`` (``(rows, total, capped)``; a capped card shows "more than …"), in one query: the list's query,
    ``LIMIT limit``, carries the count over its first ``CARD_COUNT_CAP + 1`` ids as an uncorrelated scalar subquery,
    which PostgreSQL runs once (an InitPlan). A card so costs one round trip, the same in a small and a large office."""
    counted = query.order_by().values("pk")[: CARD_COUNT_CAP + 1]
    sql, params = counted.query.sql_with_params()  # Django's own SQL for the queryset, its values kept apart
    count = RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS card", params)  # noqa: S608, S611 (no text from outside)
    rows = cast(list[R], list(query.annotate(card_rows_total=count)[:limit]))  # the rows the caller's query has
    total = int(cast(Any, rows[0]).card_rows_total) if rows else 0  # an annotation the model's type does not know
    return rows, min(total, CARD_COUNT_CAP), total > CARD_COUNT_CAP


def paginate(rows: Any, number: int, per_page: int, *, cap: int = COUNT_CAP, ordered: bool = False,
             counted: QuerySet[Any] | None = None) -> Page:
    """The page ``number`` of ``rows`` (out of range: the last one), counted at most as far as needed.

    ``ordered``: count in the list's own order. For a list whose filter and order one index serves (e.g. an office's
    clients by name), the count then reads the first rows of that index, as the page does; unordered, the planner
    may read an office holding most of the table sequentially. Leave it off for an order no index serves (the count
    would sort every row). A page beyond the cap counts further, in any order (the planner's choice)."""
    return CappedPaginator(rows, per_page, cap=cap, ordered=ordered, counted=counted).get_page(number)
