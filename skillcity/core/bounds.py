"""Bounds for every number and date the platform accepts, in one place.

Each bound fits both the column that stores the value and what the value means: a score is 0–100, a
skill level 1–5, a head count at most a million, money at most `MONEY_MAX` and never more than its
column's `max_digits` hold, a date ISO `YYYY-MM-DD` between 1900 and 2100. The API schemas use the
annotated types, the pages and imports the `parse_*` functions, the forms the form fields; all three
refuse the same values, so nothing stored can later make a page or a list fail (a score of 1e20 once
did: the column could not read it back).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django import forms
from django.db import models
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from skillcity.core.money import FEN, MONEY_MAX

# --- the bounds ----------------------------------------------------------------------------------

ID_MAX = 2**63 - 1  # a BigAutoField key (SQLite INTEGER and PostgreSQL bigint alike)
PAGE_MAX = 10_000_000  # 1.4 million workers at page_size=1 is 1.4 million pages
PAGE_SIZE_MAX = 500
LEVEL_MIN, LEVEL_MAX = 1, 5  # 国家职业资格 五级/初级工 … 一级/高级技师
SCORE_MAX = Decimal("100")  # assessment and exam scores are out of 100, one decimal
SCORE_PLACES = 1
# The staff of one organisation, or the people one alliance member trained in a half year: Dongguan's
# largest employers count staff in tens of thousands.
HEADCOUNT_MAX = 1_000_000
CAPACITY_MAX = 100_000  # the planned trainees of one training project
YEAR_MIN, YEAR_MAX = 2000, 2100  # catalog and budget years
DATE_MIN, DATE_MAX = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
WORKING_DAYS_MAX = 60  # a public notice runs 5 working days by default
LIMIT_MAX = 500  # `?limit=` on the lists that take one

ISO_DATE_FORMAT = "%Y-%m-%d"  # what <input type="date"> reads and sends, whatever the language
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only


def column_money_max(field: models.Field[Any, Any]) -> Decimal:
    """The largest amount a DecimalField holds, capped by MONEY_MAX: 99,999,999.99 for max_digits=10."""
    assert isinstance(field, models.DecimalField)
    assert field.max_digits is not None and field.decimal_places is not None
    held = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(-field.decimal_places)
    return min(MONEY_MAX, held)


# --- text (pages, imports) -----------------------------------------------------------------------


def shown_value(text: str, limit: int = 30) -> str:
    """A typed value quoted back in an error, cut short: a 10,000-character value must not make
    every error list it appears in (import reports, the page) as long."""
    return text if len(text) <= limit else text[:limit] + "…"


def text_length_errors(model: Any, values: dict[str, Any]) -> dict[str, str]:
    """Each text value longer than its model column holds, as {field: message}: PostgreSQL refuses
    such a value with an error at write time (SQLite keeps it), so imports and API writes check first."""
    errors = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            field = model._meta.get_field(name)
        except Exception:  # a value that is not a column (a reference, a computed key)
            continue
        limit = getattr(field, "max_length", None)
        if limit is not None and len(value) > limit:
            errors[name] = f"不能超过{limit}个字符"
    return errors


def parse_int(raw: Any, *, low: int, high: int) -> int:
    """An integer typed or read from a cell, within [low, high]; ValueError says what is wrong (Chinese)."""
    if isinstance(raw, bool):
        raise ValueError("应为整数")
    if isinstance(raw, float) and raw.is_integer():  # spreadsheets hand whole numbers over as floats
        raw = int(raw)
    text = str(raw if raw is not None else "").strip()
    if not re.fullmatch(r"[+-]?\d{1,30}", text):
        raise ValueError("应为整数")
    value = int(text)
    if value < low:
        raise ValueError(f"不能小于 {low}")
    if value > high:
        raise ValueError(f"不能大于 {high}")
    return value


def parse_headcount(raw: Any) -> int:
    """A number of people (staff, trainees): a whole number from 0 to HEADCOUNT_MAX."""
    try:
        return parse_int(raw, low=0, high=HEADCOUNT_MAX)
    except ValueError as exc:
        raise ValueError(str(exc) if str(exc).startswith("不能大于") else "应为不小于0的整数") from None


def parse_decimal(raw: Any, *, low: Decimal, high: Decimal, places: int) -> Decimal:
    """A decimal number within [low, high] with at most `places` decimals (never rounded away)."""
    if isinstance(raw, bool):
        raise ValueError("应为数字")
    text = str(raw if raw is not None else "").strip()
    if not re.fullmatch(r"[+-]?(\d{1,30}(\.\d*)?|\.\d+)", text):  # no exponents, NaN, separators
        raise ValueError("应为数字")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("应为数字") from None
    if value < low:
        raise ValueError(f"不能小于 {low}")
    if value > high:
        raise ValueError(f"不能大于 {high}")
    step = Decimal(1).scaleb(-places)
    if value != value.quantize(step):
        raise ValueError(f"最多 {places} 位小数")
    return value.quantize(step) + 0  # "+ 0": -0 reads as 0


def parse_money(raw: Any, *, high: Decimal = MONEY_MAX, low: Decimal = Decimal(0)) -> Decimal:
    return parse_decimal(raw, low=low, high=high, places=2)


def parse_score(raw: Any) -> Decimal:
    return parse_decimal(raw, low=Decimal(0), high=SCORE_MAX, places=SCORE_PLACES)


def parse_level(raw: Any) -> int:
    return parse_int(raw, low=LEVEL_MIN, high=LEVEL_MAX)


def parse_iso_date(raw: Any) -> datetime.date:
    """`YYYY-MM-DD` only (not 20240501, not 2024-W18-3, which Python's fromisoformat also reads)."""
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not _ISO_DATE.fullmatch(text):
            raise ValueError("日期应为 YYYY-MM-DD 格式")
        try:
            value = datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError("日期无效") from None
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(f"日期应在 {DATE_MIN.isoformat()} 到 {DATE_MAX.isoformat()} 之间")
    return value


# --- command-line options (argparse `type=`): a bad value exits 2 with the usage, as argparse does --


def option_date(raw: str) -> datetime.date:
    """`--date 2026-07-31`: ISO only, within DATE_MIN..DATE_MAX."""
    import argparse

    try:
        return parse_iso_date(raw)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{raw!r}: {exc}") from None


def option_int(low: int, high: int) -> Any:
    """An argparse type for a whole number within [low, high]."""
    import argparse

    def parse(raw: str) -> int:
        try:
            return parse_int(raw, low=low, high=high)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{raw!r}: {exc}") from None

    parse.__name__ = "整数"
    return parse


def parse_optional_id(raw: Any) -> int | None:
    """A record id from a query string filter: empty is None; anything else must be a key."""
    text = str(raw if raw is not None else "").strip()
    return None if not text else parse_int(text, low=1, high=ID_MAX)


def by_id(model: Any, raw: Any) -> Any:
    """The record a form's select names by id (`<option value="12">`), or None for anything else."""
    try:
        pk = parse_optional_id(raw)
    except ValueError:
        return None
    return None if pk is None else model.objects.filter(pk=pk).first()


# --- API types (Ninja / pydantic) ----------------------------------------------------------------


def _pydantic(parse: Any, code: str) -> Any:
    def validate(value: Any) -> Any:
        try:
            return parse(value)
        except ValueError as exc:
            raise PydanticCustomError(code, str(exc)) from None

    return validate


def _plain_decimal(value: Decimal) -> Decimal:
    return value + 0  # -0 reads as 0; 1E+1 as 10


Id = Annotated[int, Field(ge=1, le=ID_MAX)]
PageNumber = Annotated[int, Field(ge=1, le=PAGE_MAX)]
PageSize = Annotated[int, Field(ge=1, le=PAGE_SIZE_MAX)]
Level = Annotated[int, Field(ge=LEVEL_MIN, le=LEVEL_MAX)]
Headcount = Annotated[int, Field(ge=0, le=HEADCOUNT_MAX)]
Capacity = Annotated[int, Field(ge=1, le=CAPACITY_MAX)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
WorkingDays = Annotated[int, Field(ge=1, le=WORKING_DAYS_MAX)]
Limit = Annotated[int, Field(ge=1, le=LIMIT_MAX)]
Score = Annotated[
    Decimal, Field(ge=0, le=SCORE_MAX, decimal_places=SCORE_PLACES), AfterValidator(_plain_decimal)
]
# A JSON date: the string YYYY-MM-DD in range (pydantic alone also takes 1714521600 as a date).
IsoDate = Annotated[datetime.date, BeforeValidator(_pydantic(parse_iso_date, "iso_date"))]


def _fen(value: Decimal) -> Decimal:
    return value.quantize(FEN) + 0


def money_type(high: Decimal = MONEY_MAX, *, low: Decimal = Decimal(0)) -> Any:
    """Yuan with at most two decimals within [low, high]; pass `column_money_max(field)` for a narrow column."""
    return Annotated[Decimal, Field(ge=low, le=high, decimal_places=2), AfterValidator(_fen)]


Money = money_type()


# --- form fields ---------------------------------------------------------------------------------


class IsoDateInput(forms.DateInput):
    """`<input type="date">` with its value as YYYY-MM-DD, never the locale's date format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs, format=ISO_DATE_FORMAT)


class IsoDateField(forms.DateField):
    """A date typed as YYYY-MM-DD (the browser's date input sends that), within DATE_MIN–DATE_MAX;
    the error names the field's label."""

    widget = IsoDateInput

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # A browser's date input takes only YYYY-MM-DD; the locale's format (2025/01/01 in Chinese)
        # would be dropped and the date sent back empty. So also when a form passes its own widget.
        if isinstance(self.widget, forms.DateInput):
            self.widget.format = ISO_DATE_FORMAT
            self.widget.attrs.setdefault("type", "date")

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return parse_iso_date(value)
        except ValueError as exc:
            message = f"{self.label}：{exc}" if self.label else str(exc)
            raise forms.ValidationError(message, code="invalid") from None


def headcount_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=HEADCOUNT_MAX, **kwargs)


# --- page filters --------------------------------------------------------------------------------


def query_ids(query: Any, labels: dict[str, Any]) -> tuple[dict[str, int | None], list[str]]:
    """The id filters of a page's query string (`?town=3`): {name: id or None}, and the Chinese labels
    of those that are not ids (`?town=x`, `?town=99999999999999999999`), which the page ignores and
    names in a message instead of failing."""
    values: dict[str, int | None] = {}
    bad: list[str] = []
    for name, label in labels.items():
        try:
            values[name] = parse_optional_id(query.get(name, ""))
        except ValueError:
            values[name] = None
            bad.append(str(label))
    return values, bad


def report_ignored_filters(request: Any, bad: list[str]) -> None:
    """The page's message for the filters query_ids found invalid (the list is shown without them)."""
    if bad:
        from django.contrib import messages
        from django.utils.translation import gettext

        messages.error(request, gettext("以下筛选条件无效，已忽略：%(names)s") % {"names": "、".join(bad)})
