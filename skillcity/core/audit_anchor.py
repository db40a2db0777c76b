"""The audit chain's anchor: signed chain heads, kept outside the database.

The hash chain shows a row altered or removed in the middle, but not rows cut off at the end: the
shorter chain is still a valid chain. So each time the chain is sealed (`audit_seal`), its head —
the last row's sequence number, id and hash — is appended to the anchor file, signed with the audit
key. `skillcity audit verify` then checks that the chain still reaches the furthest head the
anchor has seen, and that the row there still has the hash it had.

One JSON object a line, appended with O_APPEND under an exclusive lock, so writers in several
processes never mix their lines. A line whose signature does not hold is itself a finding.
"""

from __future__ import annotations

import fcntl
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

from skillcity.core.audit_key import keyed_digest


@dataclass(frozen=True)
class Anchor:
    chain: str  # the hash of the chain's first row: heads of another database's chain are not ours
    seq: int
    id: int
    hash: str
    at: str  # when it was sealed (UTC, ISO 8601)

    def message(self) -> str:
        return f"skillcity-audit-anchor|{self.chain}|{self.seq}|{self.id}|{self.hash}|{self.at}"


@dataclass(frozen=True)
class AnchorFile:
    anchors: list[Anchor]
    bad_lines: list[int]  # 1-based line numbers that are not a well-signed anchor


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def anchor_append(anchor: Anchor, key: bytes) -> None:
    line = json.dumps({**asdict(anchor), "sig": keyed_digest(key, anchor.message())}) + "\n"
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)  # releases the lock


def anchors_read(key: bytes) -> AnchorFile:
    anchors: list[Anchor] = []
    bad: list[int] = []
    try:
        text = anchor_path().read_text(encoding="utf-8")
    except FileNotFoundError:
        return AnchorFile([], [])
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            anchor = Anchor(
                chain=str(raw["chain"]),
                seq=int(raw["seq"]),
                id=int(raw["id"]),
                hash=str(raw["hash"]),
                at=str(raw["at"]),
            )
            signed = hmac.compare_digest(keyed_digest(key, anchor.message()), str(raw["sig"]))
        except (ValueError, KeyError, TypeError):
            signed = False
        if signed:
            anchors.append(anchor)
        else:
            bad.append(number)
    return AnchorFile(anchors, bad)
