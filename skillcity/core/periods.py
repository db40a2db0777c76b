"""Half-year periods: H1 = 1 Jan–30 Jun, H2 = 1 Jul–31 Dec (D000 Annex 3 note)."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from skillcity.core.bounds import YEAR_MAX, YEAR_MIN


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int  # 1 or 2

    def __post_init__(self) -> None:
        if self.half not in (1, 2):
            raise ValueError("half must be 1 or 2")

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        m = re.fullmatch(r"(\d{4})-?H([12])", text.strip().upper())
        if not m:
            raise ValueError(f"{text!r} is not a half year like 2024H1")
        if not YEAR_MIN <= int(m.group(1)) <= YEAR_MAX:  # 0000H1 has no dates; 9999H2 none after it
            raise ValueError(f"{text!r}: the year must be from {YEAR_MIN} to {YEAR_MAX}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def containing(cls, day: datetime.date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def default_due_date(self, months_after: int = 1) -> datetime.date:
        """Last day of the `months_after`-th month after the half year (default: 31 Jul / 31 Jan)."""
        month_index = self.end.month + months_after  # 7 or 13 for the default
        year = self.end.year + (month_index - 1) // 12
        month = (month_index - 1) % 12 + 1
        return datetime.date(year, month, calendar.monthrange(year, month)[1])

    def __str__(self) -> str:
        return f"{self.year}H{self.half}"
