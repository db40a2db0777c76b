"""`skillcity certification verify-qr STRING [--public-key FILE]` and `skillcity certification public-key`.

verify-qr checks a scanned QR string (or the whole URL) offline: only the bureau's public key is needed,
no database. Prints the payload as JSON. Exit 0 when the signature holds, 1 when it does not, 2 for a
key file that cannot be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skillcity.certification import signing


class Command(BaseCommand):
    help = "Certificate QR tools: verify-qr (offline, needs only the public key), public-key"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify-qr", help="verify a QR string or URL offline")
        verify.add_argument("qr", help="the scanned QR content (payload.signature) or the whole URL")
        verify.add_argument(
            "--public-key",
            action="append",
            default=[],
            help="PEM file of a trusted public key (repeatable); default: this installation's keys",
        )
        sub.add_parser("public-key", help="print the current public key (PEM) and its key id")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "public-key":
            current = signing.signing_key().public_key()
            self.stdout.write(f"# key id {signing.key_id(current)}\n{signing.public_key_pem(current)}")
            return
        keys = None
        if options["public_key"]:
            keys = {}
            for name in options["public_key"]:
                try:
                    public = signing.load_public_key(Path(name).read_bytes())
                except (OSError, ValueError) as exc:
                    self.stderr.write(f"cannot read public key {name}: {exc}")
                    sys.exit(2)
                keys[signing.key_id(public)] = public
        check = signing.verify_token(options["qr"], keys)
        report = {
            "valid": check.valid,
            "problem": check.problem or None,
            "message": "签名有效" if check.valid else "二维码签名无效，可能被篡改",
            "payload": check.payload,
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if not check.valid:
            sys.exit(1)
