"""Masking of personal data (PIPL): ID numbers and phones are shown masked except to roles that need them."""

from __future__ import annotations

import logging
import re


def mask_id_number(value: str | None) -> str:
    """4419**********123X: region prefix and last four kept."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str | None) -> str:
    """z***@example.com: the first character and the domain."""
    if not value:
        return ""
    local, at, domain = value.partition("@")
    return (local[:1] + "***" + at + domain) if at else mask_phone(value)


def mask_name(value: str | None) -> str:
    """张*明 / 李* / 欧阳**华: a person's name on a public page (公示), first and last character kept."""
    name = (value or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    text = _ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    return _MOBILE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskPersonalDataFilter(logging.Filter):
    """Rewrites every log record so no ID number or mobile number is written in full."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logged as it is rather than lost
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
