"""Verifying the audit chain: every finding, named, in the order of the chain.

Each row is checked three ways: its sequence number follows the previous row's (a gap is rows
removed, named by their numbers), its `prev_hash` is the previous row's hash (a row replaced or
moved), and its own hash is the HMAC of its content under the audit key (a row altered). Then the
chain is held against the anchor (skillcity.core.audit_anchor): it must still reach the furthest
signed head, with the same hash there (rows cut off at the end, or the chain rewritten).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.core.audit import GENESIS, _digest, _hashed_fields, audit_append, audit_seal, chain_key
from skillcity.core.audit_anchor import Anchor, anchors_read
from skillcity.core.models import AuditEvent

# A broken chain can break at every row; the report names the first ones, and counts the rest.
MAX_FINDINGS = 100


class FindingKind(models.TextChoices):
    MISSING = "missing", gettext_lazy("记录缺失")
    RELINKED = "relinked", gettext_lazy("链接不符")
    ALTERED = "altered", gettext_lazy("内容被改动")
    TRUNCATED = "truncated", gettext_lazy("末尾记录被删除")
    ANCHOR_MISMATCH = "anchor_mismatch", gettext_lazy("与锚点不符")
    ANCHOR_FORGED = "anchor_forged", gettext_lazy("锚点文件被改动")


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    row_id: int | None = None  # the row it is about, when that row is still there
    seq_from: int | None = None
    seq_to: int | None = None
    anchored_at: str = ""
    lines: tuple[int, ...] = ()

    @property
    def message(self) -> str:
        """In the active language (Chinese by default), for the audit page and the command."""
        numbers = str(self.seq_from) if self.seq_from == self.seq_to else f"{self.seq_from}–{self.seq_to}"
        match self.kind:
            case FindingKind.MISSING:
                return _("第 %(numbers)s 号记录缺失（被删除）。") % {"numbers": numbers}
            case FindingKind.RELINKED:
                return _("第 %(seq)s 号记录（#%(id)s）与前一条记录的链接不符：前一条记录被替换或改动。") % {
                    "seq": self.seq_from,
                    "id": self.row_id,
                }
            case FindingKind.ALTERED:
                return _("第 %(seq)s 号记录（#%(id)s）的内容与其哈希不符：该记录被改动。") % {
                    "seq": self.seq_from,
                    "id": self.row_id,
                }
            case FindingKind.TRUNCATED:
                return _(
                    "末尾的第 %(numbers)s 号记录缺失（被删除）：%(at)s 封存的锚点记录日志已到第 %(last)s 号。"
                ) % {"numbers": numbers, "at": self.anchored_at, "last": self.seq_to}
            case FindingKind.ANCHOR_MISMATCH:
                return _("第 %(seq)s 号记录（#%(id)s）的哈希与 %(at)s 封存的锚点不符：日志被重写。") % {
                    "seq": self.seq_from,
                    "id": self.row_id,
                    "at": self.anchored_at,
                }
            case FindingKind.ANCHOR_FORGED:
                return _("锚点文件第 %(lines)s 行的签名不符：锚点文件被改动。") % {
                    "lines": "、".join(str(n) for n in self.lines)
                }
        return str(self.kind.label)  # pragma: no cover - every kind is matched above


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int  # rows read
    findings: tuple[Finding, ...] = ()
    more_findings: int = 0  # found past MAX_FINDINGS, not listed
    anchor: Anchor | None = None  # the furthest signed head the chain was held against
    sealed: Anchor | None = field(default=None, compare=False)  # the head signed after a clean check

    @property
    def first_broken_id(self) -> int | None:
        return next((f.row_id for f in self.findings if f.row_id is not None), None)

    @property
    def reason(self) -> str:
        return self.findings[0].message if self.findings else ""


def _iter_events(batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def _content_holds(event: AuditEvent) -> bool:
    fields = _hashed_fields(
        event.seq,
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
    return hmac.compare_digest(_digest(event.prev_hash, fields), event.hash)


def chain_verify(*, seal: bool = True) -> ChainReport:
    """Every finding along the chain and against the anchor; seals the head when there is none."""
    key = chain_key()
    findings: list[Finding] = []
    found = 0

    def note(finding: Finding) -> None:
        nonlocal found
        found += 1
        if found <= MAX_FINDINGS:
            findings.append(finding)

    expected_seq, prev_hash, checked = 1, GENESIS, 0
    first_hash = ""
    for event in _iter_events():
        if event.seq == 1:
            first_hash = event.hash
        gap = event.seq > expected_seq
        if gap:
            note(Finding(FindingKind.MISSING, seq_from=expected_seq, seq_to=event.seq - 1))
        elif event.prev_hash != prev_hash:
            note(Finding(FindingKind.RELINKED, row_id=event.id, seq_from=event.seq))
        if not _content_holds(event):
            note(Finding(FindingKind.ALTERED, row_id=event.id, seq_from=event.seq))
        prev_hash, expected_seq, checked = event.hash, event.seq + 1, checked + 1
    head_seq = expected_seq - 1

    anchor_file = anchors_read(key)
    if anchor_file.bad_lines:
        note(Finding(FindingKind.ANCHOR_FORGED, lines=tuple(anchor_file.bad_lines)))
    # Heads of this chain: the anchor names the chain by its first row's hash. With the first row
    # gone (already a finding) the latest chain the anchor saw is taken to be this one.
    chain = first_hash or (anchor_file.anchors[-1].chain if anchor_file.anchors else "")
    ours = [a for a in anchor_file.anchors if a.chain == chain]
    anchor = max(ours, key=lambda a: a.seq, default=None)
    if anchor is not None:
        if anchor.seq > head_seq:
            note(
                Finding(
                    FindingKind.TRUNCATED, seq_from=head_seq + 1, seq_to=anchor.seq, anchored_at=anchor.at
                )
            )
        else:
            there = AuditEvent.objects.filter(seq=anchor.seq).values_list("id", "hash").first()
            if there is not None and there[1] != anchor.hash:
                note(
                    Finding(
                        FindingKind.ANCHOR_MISMATCH,
                        row_id=there[0],
                        seq_from=anchor.seq,
                        anchored_at=anchor.at,
                    )
                )
    report = ChainReport(
        ok=found == 0,
        checked=checked,
        findings=tuple(findings),
        more_findings=found - len(findings),
        anchor=anchor,
    )
    if report.ok and seal:
        return ChainReport(report.ok, report.checked, anchor=anchor, sealed=audit_seal())
    return report


def audit_verify_recorded(*, actor: Any) -> tuple[ChainReport, int]:
    """Verify the chain for a person (the audit page), and record that they did, and what was found."""
    report = chain_verify()
    with transaction.atomic():
        event_id = audit_append(
            actor_id=actor.pk,
            actor_label=actor.get_username(),
            action="audit.verify",
            target_type=AuditEvent._meta.label_lower,
            target_id="",
            target_label="审计日志",  # the whole log is the record checked
            after={
                "ok": report.ok,
                "checked": report.checked,
                "anchor_seq": report.anchor.seq if report.anchor else None,
                "anchor_at": report.anchor.at if report.anchor else "",
                "findings": [_finding_record(f) for f in report.findings],
                "more_findings": report.more_findings,
            },
        )
    return report, event_id


def _finding_record(finding: Finding) -> dict[str, Any]:
    return {**asdict(finding), "kind": str(finding.kind), "lines": list(finding.lines)}


def findings_from_record(after: dict[str, Any]) -> list[Finding]:
    """The findings of a recorded verification, to show them again in the reader's language."""
    return [
        Finding(**{**raw, "kind": FindingKind(raw["kind"]), "lines": tuple(raw.get("lines", ()))})
        for raw in after.get("findings", [])
    ]
