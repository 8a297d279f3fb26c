"""Work lists: the filter query string and the sortable table headers (``templates/partials/sortable_head.html``).

A list view reads its filters (a dict from its filter form), hands them to ``sort_columns`` with the list's columns
and the sort keys its selector whitelists, and renders the headers with the partial; the pagination partial
(``templates/partials/pagination.html``) takes ``querystring(filters)`` as its ``query``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils.functional import Promise


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
