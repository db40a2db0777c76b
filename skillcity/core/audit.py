"""Writing the audit log, and sealing its head into the anchor.

Every service calls `audit_record` inside its own transaction, so the change and its audit row
commit or roll back together. Rows form a chain: each has the next sequence number and an
HMAC-SHA-256, under a key the database does not hold (skillcity.core.audit_key), of its content
and the previous row's hash. `audit_seal` signs the chain's head into the anchor file
(skillcity.core.audit_anchor); `audit_verify` (skillcity.core.audit_check) walks the chain and
checks it against the anchor.
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
import time
from contextlib import nullcontext
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

from skillcity.core.audit_anchor import Anchor, anchor_append, anchor_path
from skillcity.core.audit_key import AuditKeyMissing, audit_key, keyed_digest
from skillcity.core.models import AuditEvent
from skillcity.core.rawsql import Statement, driver_cursor

if TYPE_CHECKING:
    from skillcity.core.audit_check import ChainReport

GENESIS = "0" * 64
# PostgreSQL advisory lock key serialising writers of the chain head (any constant will do).
_CHAIN_LOCK_KEY = 7_202_311_23


_PLAIN = (str, int, bool, type(None))


def _jsonable(value: Any) -> Any:
    """What the JSON column will give back, so the hash computed now equals the one recomputed later."""
    # The usual before/after — a flat dict of text, integers, booleans and None — comes back from
    # JSON exactly as it went in, so the round trip below can be skipped for it.
    if isinstance(value, dict) and all(type(k) is str and type(v) in _PLAIN for k, v in value.items()):
        return dict(value)
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def _default(value: Any) -> Any:
    if isinstance(value, Decimal | datetime.date | datetime.datetime):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def chain_payload(prev_hash: str, fields: dict[str, Any]) -> str:
    return json.dumps(
        {"prev": prev_hash, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def chain_key() -> bytes:
    """The audit key; made on first use, but only while the chain is still empty."""
    try:
        return audit_key(create=False)
    except AuditKeyMissing:
        if AuditEvent.objects.exists():
            raise
        return audit_key(create=True)


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    return keyed_digest(chain_key(), chain_payload(prev_hash, fields))


def _hashed_fields(
    seq: int,
    at: datetime.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    before: Any,
    after: Any,
) -> dict[str, Any]:
    """What a row's hash covers, in the one form both writing and verifying hash."""
    return {
        "seq": seq,
        "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        "before": before,
        "after": after,
    }


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for before/after."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return _jsonable({name: getattr(instance, name) for name in names})


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str | None = None,
    target_id: str | int | None = None,
    target_label: str | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one row to the chain. Must run inside the caller's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    audit_append(
        actor_id=user.pk if user else None,
        actor_label=user.get_username() if user else str(actor or "system"),
        action=action,
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=str(target_id if target_id is not None else (target.pk if target is not None else "")),
        target_label=target_label
        if target_label is not None
        else (str(target) if target is not None else ""),
        before=before,
        after=after,
    )


def audit_append(
    *,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    before: Any = None,
    after: Any = None,
    cursor: Any = None,
) -> int:
    """`audit_record` on plain values (the hot paths have no model instances): the new row's id.

    Must run inside the caller's transaction; `cursor` is the caller's `driver_cursor`, if it has one.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if not db.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    at = timezone.now()
    fields = _hashed_fields(
        0,  # the head's sequence number + 1, read under the chain lock below
        at,
        actor_id,
        actor_label[:150],
        action,
        target_type,
        target_id,
        target_label[:200],
        _jsonable(before),
        _jsonable(after),
    )
    # Every write on the platform appends here, so this is plain SQL (skillcity.core.rawsql): the
    # ORM's query compilation used to cost more than the rest of a voucher redemption.
    with driver_cursor(db) if cursor is None else nullcontext(cursor) as cur:
        if db.vendor == "postgresql":
            _CHAIN_LOCK.run(cur, [_CHAIN_LOCK_KEY])
        # On SQLite the transaction was begun IMMEDIATE (settings), so it already holds the write lock.
        row = _CHAIN_HEAD.run(cur, []).fetchone()
        prev_hash, fields["seq"] = (row[0], row[1] + 1) if row else (GENESIS, 1)
        ops = db.ops
        _INSERT.run(
            cur,
            [
                fields["seq"],
                ops.adapt_datetimefield_value(at),
                actor_id,
                fields["actor_label"],
                action,
                target_type,
                target_id,
                fields["target_label"],
                None if fields["before"] is None else ops.adapt_json_value(fields["before"], None),
                None if fields["after"] is None else ops.adapt_json_value(fields["after"], None),
                prev_hash,
                _digest(prev_hash, fields),
            ],
        )
        new_id = int(cur.fetchone()[0])
    if settings.AUDIT_SEAL_EVERY and time.monotonic() >= _seal_due[0]:
        # A cheap test on every write; the seal itself (a query and a line in the anchor file) runs
        # once per interval per process, after the commit, outside the transaction.
        _seal_due[0] = time.monotonic() + settings.AUDIT_SEAL_EVERY
        transaction.on_commit(_seal_quietly)
    return new_id


_CHAIN_LOCK = Statement("SELECT pg_advisory_xact_lock(%s)")
_CHAIN_HEAD = Statement("SELECT hash, seq FROM core_auditevent ORDER BY seq DESC LIMIT 1")
_INSERT = Statement(
    "INSERT INTO core_auditevent (seq, at, actor_id, actor_label, action, target_type, target_id, "
    "target_label, before, after, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
)

# When this process next seals after a write (monotonic seconds; 0: at the first write).
_seal_due = [0.0]
_seal_lock = threading.Lock()
_last_sealed: dict[str, Anchor] = {}
_log = logging.getLogger("skillcity.audit")


def audit_seal() -> Anchor | None:
    """Sign the chain's head into the anchor file: the head's anchor (None for an empty chain).

    Runs from `skillcity audit seal`, after `skillcity audit verify` finds the chain whole, from a
    write once every `AUDIT_SEAL_EVERY` seconds, and from the scheduler's periodic jobs. Rows
    written after the last seal are not yet anchored: cutting them off shows only from the next
    seal on, so the interval bounds what can go unseen.
    """
    head = AuditEvent.objects.order_by("-seq").values_list("id", "seq", "hash").first()
    first = AuditEvent.objects.order_by("seq").values_list("seq", "hash").first()
    if head is None or first is None:
        return None
    if first[0] != 1:
        # The chain's first row is gone (verify reports it): its heads could not be told apart
        # from another chain's, so none is sealed until that is dealt with.
        _log.warning("the audit chain's first row is missing: not sealing")
        return None
    head_id, head_seq, head_hash = head
    chain = first[1]
    path = anchor_path()
    with _seal_lock:
        last = _last_sealed.get(str(path))
        if last and (last.chain, last.seq, last.hash) == (chain, head_seq, head_hash) and path.exists():
            return last  # nothing new since this process's last seal
        anchor = Anchor(
            chain=chain,
            seq=head_seq,
            id=head_id,
            hash=head_hash,
            at=timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
        )
        anchor_append(anchor, chain_key())
        _last_sealed[str(path)] = anchor
    return anchor


def _seal_quietly() -> None:
    try:
        audit_seal()
    except Exception:  # a failed seal must not fail the write that has already committed
        _log.exception("sealing the audit chain failed")


@transaction.atomic
def audit_personal_data_view(*, actor: Any, target: models.Model, field: str) -> None:
    """A full view of an ID number or phone is itself recorded (PIPL)."""
    audit_record(actor=actor, action="personal_data.view", target=target, after={"field": field})


def personal_number_for(
    viewer: Any, *, target: models.Model, field: str, value: str, own: bool = False, mask: Any = None
) -> str:
    """A phone (or, with ``mask``, another personal number) as ``viewer`` may see it: in full to the
    person or organisation it belongs to (``own``); in full, with a ``personal_data.view`` audit row,
    to a role whose work needs it; masked for everyone else."""
    if not value or own:
        return value or ""
    if getattr(viewer, "sees_personal_data", False):
        audit_personal_data_view(actor=viewer, target=target, field=field)
        return value
    from skillcity.core.masking import mask_phone

    return (mask or mask_phone)(value)


def audit_verify(*, seal: bool = True) -> ChainReport:
    """Walk the whole chain and check it against the anchor (skillcity.core.audit_check)."""
    from skillcity.core.audit_check import chain_verify  # it builds on this module

    return chain_verify(seal=seal)
