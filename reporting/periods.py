"""Calendar months, the unit of every report: parsing, shifting and labels."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")  # ASCII digits only (\d also matches "２００３")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, raw: str | None, default: Month) -> Month:
        """``"2003-05"`` → ``Month(2003, 5)``; anything else (or a month after ``default``'s year + 1) →
        ``default``."""
        match = _MONTH_RE.match((raw or "").strip())
        if not match:
            return default
        year, month = int(match.group(1)), int(match.group(2))
        if not (1990 <= year <= 2100 and 1 <= month <= 12):
            return default
        return cls(year, month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """"Mai 2003" in the active language."""
        return date_format(self.start, "F Y")

    @property
    def short_label(self) -> str:
        """"05/03" for chart axes."""
        return f"{self.month:02d}/{self.year % 100:02d}"

    def __str__(self) -> str:
        return self.key


def months_back(last: Month, count: int) -> list[Month]:
    """``count`` months ending with ``last``, oldest first."""
    return [last.shift(offset) for offset in range(1 - count, 1)]


def last_complete_month(today: date) -> Month:
    return Month.of(today).shift(-1)
