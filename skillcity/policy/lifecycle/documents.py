"""Policy documents as records: the shipped ones synced from documents.yaml, the bureau's own, and what
is in force, expired or about to expire on a day.

Sync: the YAML is the source of every shipped document. `documents_sync()` runs after each `migrate`
(post_migrate, PolicyConfig.ready) and again whenever a page finds a shipped key missing (a test's
flush empties the table); it writes only what differs, so running it twice changes nothing. It never
touches what the bureau set on a shipped document (a continuation's `extended_to`, `superseded_by`)
nor any document the bureau registered, which lives only in the table.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from skillcity.policy import engine as E
from skillcity.policy import params as P
from skillcity.policy.models import DocumentOrigin, DocumentStatus, PolicyDocument
from skillcity.policy.pack import loader

SYNCED_FIELDS = ("title", "number", "issuer", "issued", "effective_from", "effective_to", "assumption")


def _yaml_fields(doc: P.Document) -> dict[str, Any]:
    return {
        "title": doc.title,
        "number": doc.number,
        "issuer": doc.issuer,
        "issued": doc.issued,
        "effective_from": doc.effective_from,
        "effective_to": doc.effective_to,
        "assumption": doc.assumption or "",
    }


@transaction.atomic
def documents_sync() -> int:
    """Shipped documents into the table, idempotently; the number of rows written."""
    shipped = P.load_documents()
    existing = {d.key: d for d in PolicyDocument.objects.filter(key__in=shipped)}
    written = 0
    for key, doc in shipped.items():
        fields = _yaml_fields(doc)
        row = existing.get(key)
        if row is None:
            PolicyDocument.objects.create(
                key=key, origin=DocumentOrigin.SHIPPED, published=True, pack=loader.active_name(), **fields
            )
            written += 1
        elif any(getattr(row, f) != v for f, v in fields.items()):
            for f, v in fields.items():
                setattr(row, f, v)
            row.save(update_fields=list(fields))
            written += 1
    return written


def documents_sync_after_migrate(**_: Any) -> None:
    documents_sync()


def active_pack_documents() -> Q:
    """The rows of the active pack: its shipped documents (its documents.yaml, base included) and those
    the bureau registered under it. Another pack's rows are never cited, listed or laid over."""
    return Q(origin=DocumentOrigin.BUREAU, pack=loader.active_name()) | Q(
        origin=DocumentOrigin.SHIPPED, key__in=list(P.load_documents())
    )


def document_records() -> list[PolicyDocument]:
    """Every document of the active pack, shipped and the bureau's (synced first if a shipped one is
    missing)."""

    def read() -> list[PolicyDocument]:
        return list(
            PolicyDocument.objects.filter(active_pack_documents())
            .select_related("superseded_by")
            .order_by("key")
        )

    rows = read()
    if not set(P.load_documents()) <= {r.key for r in rows}:
        documents_sync()
        rows = read()
    return rows


@dataclasses.dataclass(frozen=True)
class RuleGap:
    rule: E.Rule
    last_day: datetime.date | None  # the last day it was in force, if it ever was


@dataclasses.dataclass(frozen=True)
class PolicyStanding:
    """What the rules page shows for a day."""

    day: datetime.date
    in_force: list[PolicyDocument]
    expired: list[PolicyDocument]
    other: list[PolicyDocument]  # draft, not yet in force, superseded
    rules_without_version: list[RuleGap]


def _spans(rule: E.Rule) -> list[tuple[datetime.date, datetime.date | None]]:
    return [
        (
            datetime.date.fromisoformat(str(s["from"])),
            datetime.date.fromisoformat(s["to"]) if s["to"] else None,
        )
        for s in rule.validity()
    ]


def rule_last_day(rule: E.Rule, day: datetime.date) -> tuple[bool, datetime.date | None]:
    """(in force on `day`, the last day of the span in force then — or of the last span before it)."""
    last: datetime.date | None = None
    for start, end in _spans(rule):
        if start <= day and (end is None or day <= end):
            return True, end
        if end is not None and end < day and (last is None or end > last):
            last = end
    return False, last


def policy_standing(day: datetime.date) -> PolicyStanding:
    in_force: list[PolicyDocument] = []
    expired: list[PolicyDocument] = []
    other: list[PolicyDocument] = []
    for doc in document_records():
        status = doc.status_on(day)
        doc.status_label = doc.status_label_on(day)  # type: ignore[attr-defined]  # for the page
        (
            in_force
            if status == DocumentStatus.IN_FORCE
            else expired
            if status == DocumentStatus.EXPIRED
            else other
        ).append(doc)
    gaps = []
    for rule in sorted(E.enabled_rules().values(), key=lambda r: r.id):
        active, last = rule_last_day(rule, day)
        if not active:
            gaps.append(RuleGap(rule, last))
    return PolicyStanding(day, in_force, expired, other, gaps)
