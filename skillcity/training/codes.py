"""Voucher codes: unguessable (80 random bits), printable (Crockford base32), checksummed (mod 37)."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CHECK_ALPHABET = ALPHABET + "*~$=U"  # Crockford's mod-37 check symbols


def _check_symbol(body: str) -> str:
    value = 0
    for char in body:
        value = value * 32 + ALPHABET.index(char)
    return CHECK_ALPHABET[value % 37]


def voucher_code_new() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return body + _check_symbol(body)


def voucher_code_normalise(text: str) -> str:
    """What a person typed or a scanner read, as the stored code (dashes and spaces dropped)."""
    cleaned = text.strip().upper().replace("-", "").replace(" ", "")
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def voucher_code_is_valid(code: str) -> bool:
    if len(code) != 17 or any(c not in ALPHABET for c in code[:16]):
        return False
    return _check_symbol(code[:16]) == code[16]


def voucher_code_display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, 16, 4)) + "-" + code[16:]
