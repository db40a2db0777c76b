"""Money is Decimal yuan, rounded to the fen only at the end; never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0")
# The ceiling for any amount of money the platform accepts (input, facts, imports, the batch path):
# one billion yuan. Every money column holds it (the narrowest, max_digits=10, holds 99,999,999.99 and
# gets its own tighter bound where it is checked); anything larger is refused, never truncated.
MONEY_MAX = Decimal("1000000000.00")


def to_decimal(value: object, *, field: str = "amount") -> Decimal:
    """Parse a money value from a decimal string, int or Decimal. Floats are refused: they are not exact."""
    if isinstance(value, bool | float):
        raise ValueError(f"{field}: money must be a decimal string or integer, not {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"{field}: {value!r} is not a decimal number") from None
    else:
        raise ValueError(f"{field}: money must be a decimal string or integer")
    if not result.is_finite():
        raise ValueError(f"{field}: {value!r} is not a finite number")
    return result


def round_fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def money_str(value: Decimal | None) -> str | None:
    """'3000.00' for API and JSON output; None stays None."""
    return None if value is None else str(round_fen(value))
