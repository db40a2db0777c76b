"""The audit chain's key: a secret the database does not hold.

Every row's hash is an HMAC-SHA-256 under this key (skillcity.core.audit), and so is every anchor
line (skillcity.core.audit_anchor). Someone who can write to the database but cannot read the key
can alter or delete rows, but cannot make the hashes agree again: `skillcity audit verify` names
what changed.

The key comes from `SKILLCITY_AUDIT_KEY` (at least 32 characters) or from the key file
(`SKILLCITY_AUDIT_KEY_FILE`, default `<data folder>/audit.key`, mode 0600), which is made on
first use — but only while the chain is empty: a missing key file beside a chain that already has
rows is a lost or moved key, and a new one would make every row look forged.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings

_loaded: dict[tuple[str, str], bytes] = {}


class AuditKeyMissing(RuntimeError):
    pass


def audit_key(*, create: bool) -> bytes:
    """The key; with `create`, a new key file is written when there is none."""
    # Every audit write asks: the lookup must stay a dictionary hit (no Path built per call).
    configured = settings.AUDIT_KEY
    cache_key = (configured, str(settings.AUDIT_KEY_FILE))
    if cache_key in _loaded:
        return _loaded[cache_key]
    key = (
        configured.encode("utf-8")
        if configured
        else _read_or_create(Path(settings.AUDIT_KEY_FILE), create=create)
    )
    _loaded[cache_key] = key
    return key


def _read_or_create(path: Path, *, create: bool) -> bytes:
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            raise AuditKeyMissing(
                f"the audit key file {path} is missing while the audit log has rows: restore it from "
                "the backup (or set SKILLCITY_AUDIT_KEY); a new key would make every row look forged"
            ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of two processes making the key at once, one writes it and both read that one.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_or_create(path, create=False)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32) + "\n")
    return _read_or_create(path, create=False)


def keyed_digest(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def forget_loaded_keys() -> None:
    """Tests that point the settings at another key call this."""
    _loaded.clear()
