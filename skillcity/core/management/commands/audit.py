"""skillcity audit verify | seal — check the audit chain against its anchor; sign its head."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.core.audit import audit_seal, audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain against its anchor, or seal its head into the anchor."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="verify the whole chain and the anchor; seal the head when all holds"
        )
        verify.add_argument("--json", action="store_true", help="print the report as JSON")
        verify.add_argument("--no-seal", action="store_true", help="do not seal the head afterwards")
        sub.add_parser("seal", help="sign the chain's head into the anchor file (the scheduler runs this)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            anchor = audit_seal()
            self.stdout.write(
                f"audit chain sealed at row {anchor.id} (sequence {anchor.seq})"
                if anchor
                else "audit chain is empty: nothing to seal"
            )
            return
        report = audit_verify(seal=not options["no_seal"])
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": report.ok,
                        "checked": report.checked,
                        "first_broken_id": report.first_broken_id,
                        "reason": report.reason,
                        "findings": [
                            {
                                "kind": str(f.kind),
                                "row_id": f.row_id,
                                "seq_from": f.seq_from,
                                "seq_to": f.seq_to,
                                "message": f.message,
                            }
                            for f in report.findings
                        ],
                        "more_findings": report.more_findings,
                        "anchor": asdict(report.anchor) if report.anchor else None,
                    },
                    ensure_ascii=False,
                )
            )
        if report.ok:
            if not options["json"]:
                anchored = f", up to the anchor at sequence {report.anchor.seq}" if report.anchor else ""
                self.stdout.write(f"audit chain OK: {report.checked} rows verified{anchored}")
            return
        lines = [f"audit chain BROKEN: {len(report.findings) + report.more_findings} findings"]
        lines += [f"  - {f.message}" for f in report.findings]
        if report.more_findings:
            lines.append(f"  … and {report.more_findings} more")
        raise CommandError("\n".join(lines), returncode=1)
