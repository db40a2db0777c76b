"""Reforms side by side: a bureau draft or a whole alternative pack as the what-if's scenario.

    reform = resolve(draft="12")          # or resolve(pack="testcity"); resolve() is overrides alone
    result = run(cases, reform, {"TRN-PROJECT.cap": "2500"}, date_from, date_to)
    data = result_xlsx(result)

The baseline is always what is in force: the active pack with its published versions
(`params.parameters()`). The scenario is
- a draft (any state but withdrawn): the baseline with the draft's versions added, as if approved
  (`lifecycle.preview.draft_parameter_set`, what the draft page's what-if uses);
- a pack (any pack `skillcity policy packs` finds): that pack's parameters and rules. A rule only one
  side enables is counted on that side alone (`SimulationResult.only_baseline` / `only_scenario`);
- overrides (`--set`) on their own, or laid over either of the above (docs/decisions.md, D-34).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.policy import params as P
from skillcity.policy import simulate as S
from skillcity.policy.pack import loader

DRAFT = "draft"
PACK = "pack"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclasses.dataclass(frozen=True)
class Reform:
    kind: str  # "" (overrides only), DRAFT or PACK
    key: str  # the draft's id or the pack's name
    label: str
    scenario_set: Mapping[str, P.Parameter] | None = None
    scenario_pack: str | None = None

    def describe(self) -> dict[str, str]:
        return {"kind": self.kind, "key": self.key, "label": self.label} if self.kind else {}


NO_REFORM = Reform("", "", "")


def resolve(*, draft: Any = None, pack: Any = None) -> Reform:
    """The reform named by a draft id or a pack name (at most one). Raises SimulationError naming the
    field (`draft` or `pack`) for an unknown pack, an unknown or withdrawn draft, or both given."""
    draft = str(draft).strip() if draft not in (None, "") else ""
    pack = str(pack).strip() if pack not in (None, "") else ""
    if draft and pack:
        message = _("草案和政策包只能选一个")
        raise S.SimulationError("two_reforms", message, {"pack": message})
    if draft:
        return _draft_reform(draft)
    if pack:
        return _pack_reform(pack)
    return NO_REFORM


def _draft_reform(key: str) -> Reform:
    from skillcity.policy.lifecycle.preview import draft_parameter_set
    from skillcity.policy.models import DraftState, PolicyDraft

    draft = PolicyDraft.objects.filter(pk=int(key)).first() if key.isdigit() else None
    if draft is None:
        message = _("政策草案：没有编号为“%(key)s”的草案") % {"key": key}
        raise S.SimulationError("unknown_draft", message, {"draft": message})
    if draft.state == DraftState.WITHDRAWN:
        message = _("政策草案：草案 %(key)s 已撤回，不能测算") % {"key": key}
        raise S.SimulationError("withdrawn_draft", message, {"draft": message})
    try:
        scenario = draft_parameter_set(draft)
    except P.ParameterFileError as exc:  # a version of a parameter the active pack does not have
        message = _("政策草案：草案 %(key)s 无法套用到现行政策包（%(problem)s）") % {
            "key": key,
            "problem": exc,
        }
        raise S.SimulationError("bad_draft", message, {"draft": message}) from None
    label = _("政策草案 %(key)s《%(title)s》（%(state)s）") % {
        "key": draft.pk,
        "title": draft.title,
        "state": draft.get_state_display(),
    }
    return Reform(DRAFT, str(draft.pk), label, scenario_set=scenario)


def _pack_reform(name: str) -> Reform:
    try:
        pack = loader.load(name)
    except loader.UnknownPack:
        known = "、".join(sorted(loader.discover())) or "—"
        message = _("政策包：未知的政策包“%(name)s”；可用的政策包：%(known)s") % {
            "name": name,
            "known": known,
        }
        raise S.SimulationError("unknown_pack", message, {"pack": message}) from None
    except loader.PackError as exc:
        message = _("政策包：政策包“%(name)s”有错误：%(problem)s") % {"name": name, "problem": exc}
        raise S.SimulationError("bad_pack", message, {"pack": message}) from None
    label = _("政策包 %(name)s（%(title)s）") % {"name": pack.name, "title": pack.title}
    return Reform(PACK, pack.name, label, scenario_set=P.parameters(pack.name), scenario_pack=pack.name)


def run(
    cases: pl.DataFrame,
    reform: Reform,
    overrides: Mapping[str, Any],
    date_from: datetime.date,
    date_to: datetime.date,
) -> S.SimulationResult:
    """The what-if of `reform` (with `overrides` laid over it) against the parameters in force."""
    if not reform.kind:
        return S.simulate(cases, overrides, date_from, date_to)
    assert reform.scenario_set is not None
    scenario = dict(reform.scenario_set)
    if overrides:
        scenario = P.with_overrides(scenario, S.parse_overrides(overrides, scenario))
    return S.simulate(
        cases,
        overrides,
        date_from,
        date_to,
        scenario_set=scenario,
        scenario_pack=reform.scenario_pack,
        reform=reform.describe(),
    )


# ---- the .xlsx --------------------------------------------------------------------------------------


def result_xlsx(result: S.SimulationResult) -> bytes:
    """The result as a workbook: a summary sheet and one sheet each by town, rule and year. Amounts are
    numbers (yuan, two decimals); every text cell goes through the formula-safe helper."""
    book = new_workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("汇总")
    scenario_name = result.reform.get("label") or _("模拟参数")
    rows: list[list[Any]] = [
        [_("测算期间"), f"{result.date_from.isoformat()} — {result.date_to.isoformat()}"],
        [_("基线"), _("现行政策（现行政策包及已发布版本）")],
        [_("改革方案"), scenario_name],
        [_("替换参数"), "; ".join(f"{k}={v}" for k, v in result.overrides.items()) or "—"],
        [_("案例数"), result.cases],
        [_("不在适用期内的案例"), result.not_in_force],
        [_("有错误的案例"), result.errors],
        [_("现行政策预算（元）"), result.total.baseline],
        [_("改革方案预算（元）"), result.total.scenario],
        [_("差额（元）"), result.total.difference],
    ]
    if result.only_baseline:
        rows.append([_("仅现行政策启用的规则（只计入基线）"), "、".join(result.only_baseline)])
    if result.only_scenario:
        rows.append([_("仅改革方案启用的规则（只计入改革方案）"), "、".join(result.only_scenario)])
    for row in rows:
        summary.append(row)
    for title, heading, lines in (
        (_("按镇街"), _("镇街"), result.by_town),
        (_("按规则"), _("规则"), result.by_rule),
        (_("按年度"), _("年度"), result.by_year),
    ):
        sheet = book.create_sheet(title)
        sheet.append([heading, _("案例数"), _("现行政策（元）"), _("改革方案（元）"), _("差额（元）")])
        for line in [*lines, result.total]:
            label = _("合计") if line is result.total else line.label
            sheet.append([label, line.cases, line.baseline, line.scenario, line.difference])
        for row_cells in sheet.iter_rows(min_row=2, min_col=3, max_col=5):
            for cell in row_cells:
                cell.number_format = "#,##0.00"
    return workbook_bytes(book)


def xlsx_name(result: S.SimulationResult) -> str:
    reform = result.reform
    tag = f"-{reform['kind']}-{reform['key']}" if reform else ""
    return f"what-if{tag}-{result.date_from.isoformat()}-{result.date_to.isoformat()}.xlsx"
