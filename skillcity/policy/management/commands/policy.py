"""skillcity policy list | eval RULE_ID --date YYYY-MM-DD --facts JSON|@file | parameters  [--pack NAME]
skillcity policy packs | check-pack [DIR …] | export-pack DIR [--pack NAME] [--name NAME]

Exit codes (design.md): 0 evaluated (eligible or not), 2 bad input (the message names the fact; an
unknown pack; a pack with problems), 3 no version of the rule is in force on that date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.policy.engine import BadFacts, NotInForce, evaluate, list_rules, parameter_history
from skillcity.policy.lifecycle import cli as lifecycle_cli
from skillcity.policy.pack import loader
from skillcity.policy.pack.export import export_pack


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
        pack_help = "the policy pack (default: the active one, setting SKILLCITY_POLICY_PACK)"
        ls = sub.add_parser(
            "list", help="every rule the pack enables, with title, validity, sources and facts"
        )
        ls.add_argument("--pack", help=pack_help)
        ps = sub.add_parser("parameters", help="every parameter with its dated versions and sources, as JSON")
        ps.add_argument("--pack", help=pack_help)
        ev = sub.add_parser("eval", help="evaluate one rule")
        ev.add_argument("rule_id", metavar="RULE_ID")
        ev.add_argument("--date", required=True, help="event date YYYY-MM-DD")
        ev.add_argument("--facts", default="{}", help="facts as JSON text, or @file.json")
        ev.add_argument("--pack", help=pack_help)
        sub.add_parser("packs", help="every policy pack found, with its jurisdiction and base, as JSON")
        check = sub.add_parser(
            "check-pack", help="check every file of a pack; problems as file:line: problem"
        )
        check.add_argument("dirs", nargs="*", metavar="DIR", help="pack folders (default: every pack found)")
        export = sub.add_parser(
            "export-pack", help="write the pack's effective documents and parameters as a pack"
        )
        export.add_argument("dir", metavar="DIR", help="an empty or new folder")
        export.add_argument("--pack", help=pack_help)
        export.add_argument("--name", help="the exported pack's name (default: <pack>-export)")
        lifecycle_cli.add_parsers(sub)  # draft, drafts, submit, approve, return, withdraw

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def handle(self, *args: Any, **options: Any) -> None:
        if lifecycle_cli.handles(options["action"]):
            return lifecycle_cli.run(self, options)
        action = options["action"]
        try:
            if action == "check-pack":
                self._check(options["dirs"])
            elif action == "packs":
                self._json(packs())
            elif action == "export-pack":
                summary = export_pack(Path(options["dir"]), pack=options["pack"], name=options["name"])
                self.stdout.write(
                    f"已导出政策包 {summary['name']} 到 {options['dir']}："
                    f"{summary['documents']} 个文件，{summary['parameters']} 个参数"
                )
            elif action == "list":
                self._json(list_rules(options["pack"]))
            elif action == "parameters":
                self._json(parameter_history(options["pack"]))
            else:
                self._eval(options)
        except loader.UnknownPack as exc:
            raise CommandError(str(exc.message), returncode=2) from None
        except loader.PackError as exc:
            raise CommandError(f"政策包有问题：\n{exc}", returncode=2) from None
        except FileExistsError as exc:
            raise CommandError(f"{exc}：导出需要一个空文件夹或新文件夹", returncode=2) from None

    def _check(self, dirs: list[str]) -> None:
        folders = [Path(d) for d in dirs] or list(loader.discover().values())
        problems: list[str] = []
        for folder in folders:
            if not (folder / "pack.yaml").is_file():
                problems.append(f"{folder.name}/pack.yaml:1: 不是政策包文件夹（没有 pack.yaml）")
                continue
            pack, found = loader.check(folder)
            problems += [str(p) for p in dict.fromkeys(found)]
            if pack is not None:
                s = pack.summary()
                self.stdout.write(
                    f"{folder.name}: 通过 — {s['jurisdiction']['code']} {s['jurisdiction']['name']}，"
                    f"基础包 {s['base'] or '无'}，{s['documents']} 个文件，{s['parameters']} 个参数，"
                    f"{s['rules']} 条规则，{s['targets']} 个目标"
                )
        if problems:
            self.stderr.write("\n".join(problems))
            raise CommandError(f"政策包检查未通过：共 {len(problems)} 个问题", returncode=2)

    def _eval(self, options: dict[str, Any]) -> None:
        facts = read_facts(options["facts"])
        try:
            outcome = evaluate(options["rule_id"], options["date"], facts, pack=options["pack"])
        except BadFacts as exc:
            details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} ({details})", returncode=2) from None
        except NotInForce as exc:
            raise CommandError(str(exc.message), returncode=3) from None
        self._json(outcome.as_dict())


def packs() -> list[dict[str, Any]]:
    """Every pack found (shipped and in SKILLCITY_POLICY_PACK_DIRS), with its jurisdiction and base."""
    active = loader.active_name()
    rows = []
    for name, folder in sorted(loader.discover().items()):
        manifest, _file = loader.read_manifest(folder)
        rows.append(
            {
                "name": name,
                "title": (manifest.title or manifest.jurisdiction.name) if manifest else None,
                "jurisdiction": manifest.jurisdiction.model_dump() if manifest else None,
                "base": manifest.base if manifest else None,
                "active": name == active,
            }
        )
    return rows
