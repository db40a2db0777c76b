"""skillcity audit verify — walk the hash chain and name the first broken row."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.core.audit import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the whole chain")
        verify.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if options.get("json"):
            self.stdout.write(
                json.dumps(
                    {
                        "ok": report.ok,
                        "checked": report.checked,
                        "first_broken_id": report.first_broken_id,
                        "reason": report.reason,
                    }
                )
            )
        if report.ok:
            if not options.get("json"):
                self.stdout.write(f"audit chain OK: {report.checked} rows verified")
            return
        raise CommandError(
            f"audit chain BROKEN at row {report.first_broken_id}: {report.reason} ({report.checked} rows before it verified)",
            returncode=1,
        )
