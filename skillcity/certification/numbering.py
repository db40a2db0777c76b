"""The national 22-character certificate number (catalog §5) and serial allocation without duplicates.

letter (Y employer / S social evaluation organisation) + 4-digit organisation code (0000 when
province-registered) + 44 (Guangdong) + 6-digit site serial + 2-digit year + level (1–5) + 6-digit serial.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from skillcity.certification.models import Evaluator, SerialCounter
from skillcity.core.errors import Conflict

PROVINCE_CODE = "44"
NUMBER_PATTERN = re.compile(r"^[YS]\d{4}44\d{6}\d{2}[1-5]\d{6}$")


def is_valid_number(number: str) -> bool:
    return bool(NUMBER_PATTERN.match(number))


def number_prefix(*, evaluator: Evaluator, year: int, level: int) -> str:
    return (
        f"{evaluator.number_letter}{evaluator.organisation_code}{PROVINCE_CODE}"
        f"{evaluator.site_serial}{year % 100:02d}{level}"
    )


def serial_allocate(prefix: str, count: int = 1) -> int:
    """Reserve `count` serials under `prefix`; returns the first. Must run inside the caller's transaction.

    The counter row is locked (select_for_update): two sessions issuing at once queue on it and never
    get the same serial. The first use of a prefix creates the row; if two create it at once, the loser's
    savepoint rolls back on the unique constraint and it locks the winner's row instead.
    """
    if len(prefix) != 16:
        raise ValueError(f"a certificate number prefix has 16 characters, not {len(prefix)}: {prefix!r}")
    try:
        counter = SerialCounter.objects.select_for_update().get(prefix=prefix)
    except SerialCounter.DoesNotExist:
        try:
            with transaction.atomic():
                counter = SerialCounter.objects.create(prefix=prefix, last=0)
        except IntegrityError:
            counter = SerialCounter.objects.select_for_update().get(prefix=prefix)
    first = counter.last + 1
    if counter.last + count > 999_999:
        raise Conflict("serial_exhausted", "该编号段的证书序号已用尽")
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def number_format(prefix: str, serial: int) -> str:
    return f"{prefix}{serial:06d}"
