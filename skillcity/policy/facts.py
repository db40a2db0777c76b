"""The facts a rule takes (policy-catalog §13), and their strict validation.

Strict on purpose: a typo in a fact name, a string where a boolean belongs, a level 6 — each is refused
with a message naming the fact, never silently read as false or zero.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from skillcity.core.money import MONEY_MAX

# Kinds of fact. "money" is yuan (a decimal string, an integer, or a JSON number with at most 2 decimals).
BOOL, INT, MONEY, DATE, CHOICE, CHOICES, LEVEL = "bool", "int", "money", "date", "choice", "choices", "level"
TEXT, TEXTS = "text", "texts"


# A count (students, trainees, certificates, a rank, months) without its own maximum: a sane ceiling, so
# that 10^30 students is bad input and not an amount no Decimal context can round.
COUNT_MAX = 1_000_000


@dataclasses.dataclass(frozen=True)
class Fact:
    name: str
    kind: str
    label: str  # Chinese, for the calculator form and messages
    required: bool = True
    nullable: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (code, Chinese label)
    minimum: int | None = None
    maximum: int | None = None
    help: str = ""

    @property
    def upper(self) -> int | None:
        """The largest value an int or level fact takes."""
        if self.kind == LEVEL:
            return 5
        if self.kind == INT:
            return self.maximum if self.maximum is not None else COUNT_MAX
        return self.maximum

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.kind,
            "label": self.label,
            "required": self.required,
            "nullable": self.nullable,
            "choices": [{"value": c, "label": label} for c, label in self.choices] or None,
            "minimum": self.minimum,
            "maximum": self.upper,
            "help": self.help,
        }


class FactErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# Money as text: digits, optionally a point and decimals; no sign, exponent or thousands separator, so
# "1,000", "1e3" and "-0" are refused (the batch path reads text with this same function).
MONEY_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")
# Dates only as ISO YYYY-MM-DD: Python's date.fromisoformat also takes 20240501 and 2024-W18-3.
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MONEY_TOO_LARGE = f"金额不能超过 {MONEY_MAX:,} 元"


def parse_money(value: Any) -> Decimal:
    """A money fact as Decimal yuan: exact to the fen, 0 to MONEY_MAX; anything else is refused."""
    if isinstance(value, bool):
        raise ValueError("应为金额（数字或数字字符串），不能是布尔值")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("应为有限的金额")
        if value < 0 or math.copysign(1.0, value) < 0:  # -0.0 too
            raise ValueError("金额不能为负数")
        value = Decimal(repr(value))  # the shortest decimal that reads back as this float: 12.3, not 12.2999…
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, Decimal):
        result = value
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("-"):
            raise ValueError("金额不能为负数")
        if not MONEY_TEXT.fullmatch(text):
            raise ValueError(f"“{value}”不是金额（应写作数字，如 1234.50，不带千位分隔符）")
        result = Decimal(text)
    else:
        raise ValueError("应为金额（数字或数字字符串）")
    if not result.is_finite():
        raise ValueError("应为有限的金额")
    if result.is_signed():
        raise ValueError("金额不能为负数")
    # Compare before quantizing: quantize raises InvalidOperation past the context's precision (1e30).
    if result > MONEY_MAX:
        raise ValueError(MONEY_TOO_LARGE)
    if result != result.quantize(Decimal("0.01")):
        raise ValueError("金额最多两位小数（到分）")
    return result + 0  # a plain non-negative Decimal (no "-0")


def parse_iso_date(value: Any) -> datetime.date:
    """A date written YYYY-MM-DD (or a date); ValueError with the Chinese message otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise ValueError("应为日期 YYYY-MM-DD")
    if DATE_TEXT.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"“{value}”不是有效日期（YYYY-MM-DD）")


def _convert(fact: Fact, value: Any) -> Any:
    if fact.kind == BOOL:
        if not isinstance(value, bool):
            raise ValueError("应为 true 或 false")
        return value
    if fact.kind in (INT, LEVEL):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("应为整数")
        low = 1 if fact.kind == LEVEL else fact.minimum
        high = fact.upper
        if low is not None and value < low:
            raise ValueError(f"不能小于 {low}")
        if high is not None and value > high:
            raise ValueError(f"不能大于 {high}")
        return value
    if fact.kind == MONEY:
        return parse_money(value)
    if fact.kind == DATE:
        return parse_iso_date(value)
    if fact.kind == TEXT:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("应为非空文本")
        return value.strip()
    if fact.kind == TEXTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("应为文本列表")
        return tuple(v.strip() for v in value)
    codes = [c for c, _label in fact.choices]
    if fact.kind == CHOICE:
        if not isinstance(value, str) or value not in codes:
            raise ValueError(f"“{value}”不是可选值之一：{', '.join(codes)}")
        return value
    if fact.kind == CHOICES:
        if not isinstance(value, list):
            raise ValueError("应为列表")
        unknown = [v for v in value if not isinstance(v, str) or v not in codes]
        if unknown:
            raise ValueError(f"未知的取值：{', '.join(map(str, unknown))}；可选：{', '.join(codes)}")
        return tuple(dict.fromkeys(value))
    raise ValueError(f"unknown fact kind {fact.kind}")


def validate_facts(specs: tuple[Fact, ...], raw: Any) -> dict[str, Any]:
    """Validated, typed facts; every problem found is reported at once, by fact name."""
    if not isinstance(raw, Mapping):
        raise FactErrors({"facts": "应为 JSON 对象（键为事实名称）"})
    errors: dict[str, str] = {}
    known = {f.name for f in specs}
    for name in raw:
        if name not in known:
            errors[str(name)] = f"不是本规则的事实；本规则的事实为：{', '.join(sorted(known)) or '（无）'}"
    facts: dict[str, Any] = {}
    for fact in specs:
        if fact.name not in raw:
            if fact.required:
                errors[fact.name] = "缺少此事实"
            else:
                facts[fact.name] = None
            continue
        value = raw[fact.name]
        if value is None:
            if fact.nullable or not fact.required:
                facts[fact.name] = None
            else:
                errors[fact.name] = "不能为空"
            continue
        try:
            facts[fact.name] = _convert(fact, value)
        except ValueError as exc:
            errors[fact.name] = str(exc)
    if errors:
        raise FactErrors(errors)
    return facts
