"""skillcity policy list | skillcity policy eval RULE_ID --date YYYY-MM-DD --facts JSON|@file | skillcity policy parameters

Exit codes (design.md): 0 evaluated (eligible or not), 2 bad input (the message names the fact),
3 no version of the rule is in force on that date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.policy.engine import BadFacts, NotInForce, evaluate, list_rules, parameter_history
from skillcity.policy.lifecycle import cli as lifecycle_cli


def read_facts(text: str) -> Any:
    """Facts as JSON text, or `@path` to a JSON file."""
    where = "--facts"
    if text.startswith("@"):
        path = Path(text[1:])
        where = f"--facts 文件 {path}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{where}：无法读取（{_why(exc)}）", returncode=2) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{where}：不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）", returncode=2
        ) from None


def _why(exc: Exception) -> str:
    """Why a file cannot be read, in Chinese (the OS's own text is English)."""
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹"
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 编码的文本"
    return "读取出错"


class Command(BaseCommand):
    help = "List the policy rules, or evaluate one rule for a date and facts (prints one JSON outcome)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every rule with its title, validity, sources and facts, as JSON")
        sub.add_parser("parameters", help="every parameter with its dated versions and sources, as JSON")
        ev = sub.add_parser("eval", help="evaluate one rule")
        ev.add_argument("rule_id", metavar="RULE_ID")
        ev.add_argument("--date", required=True, help="event date YYYY-MM-DD")
        ev.add_argument("--facts", default="{}", help="facts as JSON text, or @file.json")
        lifecycle_cli.add_parsers(sub)  # draft, drafts, submit, approve, return, withdraw

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def handle(self, *args: Any, **options: Any) -> None:
        if lifecycle_cli.handles(options["action"]):
            return lifecycle_cli.run(self, options)
        if options["action"] == "list":
            self._json(list_rules())
            return
        if options["action"] == "parameters":
            self._json(parameter_history())
            return
        facts = read_facts(options["facts"])
        try:
            outcome = evaluate(options["rule_id"], options["date"], facts)
        except BadFacts as exc:
            details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} ({details})", returncode=2) from None
        except NotInForce as exc:
            raise CommandError(str(exc.message), returncode=3) from None
        self._json(outcome.as_dict())
