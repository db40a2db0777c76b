"""Writing and verifying the audit log.

Every service calls `audit_record` inside its own transaction, so the change and its audit row
commit or roll back together.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

from skillcity.core.models import AuditEvent
from skillcity.core.rawsql import Statement, driver_cursor

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


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(
        {"prev": prev_hash, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(
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
        prev_hash = row[0] if row else GENESIS
        ops = db.ops
        _INSERT.run(
            cur,
            [
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
        return int(cur.fetchone()[0])


_CHAIN_LOCK = Statement("SELECT pg_advisory_xact_lock(%s)")
_CHAIN_HEAD = Statement("SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
_INSERT = Statement(
    "INSERT INTO core_auditevent (at, actor_id, actor_label, action, target_type, target_id, "
    "target_label, before, after, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def _iter_events(batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def audit_verify() -> ChainReport:
    """Walk the chain from the start; report the first row whose link or content does not hold."""
    prev = GENESIS
    checked = 0
    for event in _iter_events():
        if event.prev_hash != prev:
            return ChainReport(
                False,
                checked,
                event.id,
                "prev_hash does not match the previous row (a row was removed or altered)",
            )
        stored = _hashed_fields(
            event.at,
            event.actor_id,
            event.actor_label,
            event.action,
            event.target_type,
            event.target_id,
            event.target_label,
            event.before,
            event.after,
        )
        if _digest(prev, stored) != event.hash:
            return ChainReport(
                False, checked, event.id, "content does not match its hash (the row was altered)"
            )
        prev = event.hash
        checked += 1
    return ChainReport(True, checked)


@transaction.atomic
def audit_personal_data_view(*, actor: Any, target: models.Model, field: str) -> None:
    """A full view of an ID number or phone is itself recorded (PIPL)."""
    audit_record(actor=actor, action="personal_data.view", target=target, after={"field": field})
