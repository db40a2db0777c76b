"""skillcity simulate [--draft ID | --pack NAME] [--set PARAMETER=VALUE …] --from DATE --to DATE
    [--cases FILE | --source NAME] [--json] [--xlsx FILE]

Re-evaluates the cases dated within the range under a reform — a bureau draft (`--draft`, any state but
withdrawn), a whole alternative pack (`--pack`), changed parameters (`--set`), or a draft or pack with
parameters changed on top — beside what is in force, and prints the budget (baseline, scenario,
difference) by rule, by town and by year. Exit 0 when simulated, 2 for bad input (an unknown parameter, a
bad value or date, a missing or unreadable file, an unknown source or rule, an unknown pack, an unknown
or withdrawn draft).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.policy import reforms as R
from skillcity.policy import simulate as S
from skillcity.policy.facts import parse_iso_date


def parse_set(items: list[str]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise CommandError(f"--set {item!r}：应写作 参数=值，例如 TRN-PROJECT.cap=2500", returncode=2)
        overrides[name.strip()] = value.strip()
    return overrides


def parse_day(value: str, option: str) -> datetime.date:
    try:
        return parse_iso_date(value)
    except ValueError:
        raise CommandError(f"{option} “{value}”不是有效日期（YYYY-MM-DD）", returncode=2) from None


class Command(BaseCommand):
    help = (
        "What-if: re-evaluate events under a draft, another pack or changed parameters; print the budget "
        "difference by rule, town and year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="PARAMETER=VALUE",
            help="a parameter to change, e.g. TRN-PROJECT.cap=2500 (repeatable)",
        )
        parser.add_argument("--from", dest="date_from", required=True, help="first event date YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="last event date YYYY-MM-DD")
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--cases", help="a cases file (CSV with a header row, or Parquet)")
        where.add_argument("--source", help="a registered event source (default: demo)")
        reform = parser.add_mutually_exclusive_group()
        reform.add_argument(
            "--draft", metavar="ID", help="a policy draft as the reform (any state but withdrawn)"
        )
        reform.add_argument(
            "--pack", metavar="NAME", help="a whole policy pack as the reform (skillcity policy packs)"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--xlsx", metavar="FILE", help="also write the result as an .xlsx workbook")

    def handle(self, *args: Any, **options: Any) -> None:
        overrides = parse_set(options["set"])
        start = parse_day(options["date_from"], "--from")
        end = parse_day(options["date_to"], "--to")
        try:
            if options["cases"]:
                cases = S.read_cases(options["cases"])
            else:
                cases = S.events_from(options["source"] or "demo", start, end)
            reform = R.resolve(draft=options["draft"], pack=options["pack"])
            result = R.run(cases, reform, overrides, start, end)
        except S.SimulationError as exc:
            details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            raise CommandError(
                f"{exc.message}" + (f" ({details})" if details else ""), returncode=2
            ) from None
        if options["xlsx"]:
            try:
                Path(options["xlsx"]).write_bytes(R.result_xlsx(result))
            except OSError as exc:
                raise CommandError(f"--xlsx {options['xlsx']}: {exc.strerror}", returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self._table(result)

    def _table(self, result: S.SimulationResult) -> None:
        out = self.stdout
        changes = ", ".join(f"{k}={v}" for k, v in result.overrides.items()) or "(none)"
        reform = f"reform: {result.reform['kind']} {result.reform['key']}; " if result.reform else ""
        out.write(f"What-if {result.date_from} – {result.date_to}; {reform}parameters changed: {changes}")
        if result.only_baseline:
            out.write(
                f"Enabled only in the baseline (counted there alone): {', '.join(result.only_baseline)}"
            )
        if result.only_scenario:
            out.write(f"Enabled only in the reform (counted there alone): {', '.join(result.only_scenario)}")
        out.write(f"Cases: {result.cases}  not in force: {result.not_in_force}  with errors: {result.errors}")
        for sample in result.error_samples:
            out.write(f"  ! {sample}")
        for title, lines in (
            ("By rule", result.by_rule),
            ("By town", result.by_town),
            ("By year", result.by_year),
        ):
            out.write("")
            width = max([len(title)] + [_width(line.key) for line in lines])
            out.write(
                f"{_pad(title, width)}  {'cases':>8}  {'baseline':>16}  {'scenario':>16}  {'difference':>16}"
            )
            for line in [*lines, result.total]:
                key = "TOTAL" if line is result.total else line.key
                out.write(
                    f"{_pad(key, width)}  {line.cases:>8}  {line.baseline:>16}  {line.scenario:>16}"
                    f"  {line.difference:>+16}"
                )


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
