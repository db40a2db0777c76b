"""Review flows as data (data/review_flows.yaml), working-day arithmetic and the fact-provider registry."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FLOWS_FILE = Path(__file__).parent / "data" / "review_flows.yaml"
FINANCE_GROUP = "finance"


@dataclass(frozen=True)
class Stage:
    name: str
    role: str  # town_officer | bureau_officer | finance
    due_days: int


@cache
def _config() -> dict[str, Any]:
    data = yaml.safe_load(FLOWS_FILE.read_text(encoding="utf-8"))
    for key, stages in data["flows"].items():
        for stage in stages:
            if stage["role"] not in ("town_officer", "bureau_officer", "finance"):
                raise ValueError(f"review_flows.yaml: {key}: unknown role {stage['role']!r}")
    return data


def stages_for(rule_id: str) -> list[Stage]:
    """The rule's own flow, else its family's (EDU, CMP …), else the default."""
    flows = _config()["flows"]
    raw = flows.get(rule_id) or flows.get(rule_id.split("-")[0]) or flows["default"]
    return [Stage(s["name"], s["role"], int(s["due_days"])) for s in raw]


def notice_working_days() -> int:
    return int(_config().get("notice_working_days", 5))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (weekends skipped; `start` itself not counted)."""
    current = start
    left = days
    while left > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def user_has_stage_role(user: Any, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if role == "finance":
        return user.role == "bureau_officer" and user.groups.filter(name=FINANCE_GROUP).exists()
    if user.is_superuser:
        return True
    return bool(user.role == role)


# Fact providers: rule ID -> function(applicant, event_date) -> {fact: (value, provenance)}.
# Programme apps (certification: CRT-ENT, TAL-CARD …) register theirs; facts a provider gives are
# shown as coming from the platform's records and the applicant cannot override them.
FactProvider = Callable[[Any, datetime.date], dict[str, tuple[Any, str]]]
FACT_PROVIDERS: dict[str, list[FactProvider]] = {}


def register_fact_provider(rule_id: str, provider: FactProvider) -> None:
    FACT_PROVIDERS.setdefault(rule_id, []).append(provider)


def provided_facts(rule_id: str, applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    found: dict[str, tuple[Any, str]] = {}
    for provider in FACT_PROVIDERS.get(rule_id, []):
        found.update(provider(applicant, event_date))
    return found


# Source describers: a programme that makes applications from its records (grants.services.records)
# registers one per prefix of its source keys ("competitions."), turning a key into what the pages
# show ("来源：2024年东莞市职业技能大赛 · 数控车项目 · 金奖"). None when the record is gone.
SourceDescriber = Callable[[str], str | None]
SOURCE_DESCRIBERS: dict[str, SourceDescriber] = {}


def register_source_describer(prefix: str, describer: SourceDescriber) -> None:
    SOURCE_DESCRIBERS[prefix] = describer


# Approval hooks, per rule ID. A check runs inside `application_approve`'s transaction before the amount
# is committed and may refuse with a DomainError (TAL-LEADING-EMPLOYER's yearly cap, re-checked with the
# unit's row locked, since two claims may have been computed side by side). A callback runs after the
# approval is saved, in the same transaction (talents: a home purchase ends the rent schedule).
ApprovalHook = Callable[[Any, Any], None]  # (application, amount or actor)
APPROVAL_CHECKS: dict[str, list[ApprovalHook]] = {}
APPROVED_CALLBACKS: dict[str, list[ApprovalHook]] = {}


def register_approval_check(rule_id: str, check: ApprovalHook) -> None:
    """`check(application, amount)` before approval; raise DomainError to refuse."""
    if check not in APPROVAL_CHECKS.setdefault(rule_id, []):
        APPROVAL_CHECKS[rule_id].append(check)


def register_approved_callback(rule_id: str, callback: ApprovalHook) -> None:
    """`callback(application, actor)` once the approval is saved."""
    if callback not in APPROVED_CALLBACKS.setdefault(rule_id, []):
        APPROVED_CALLBACKS[rule_id].append(callback)


def approval_check(application: Any, amount: Any) -> None:
    for check in APPROVAL_CHECKS.get(application.rule_id, []):
        check(application, amount)


def approved(application: Any, actor: Any) -> None:
    for callback in APPROVED_CALLBACKS.get(application.rule_id, []):
        callback(application, actor)


def source_label(source_key: str) -> str:
    """What the record a source key names is, in words; "" for no key, the key itself if no one knows."""
    if not source_key:
        return ""
    for prefix, describer in SOURCE_DESCRIBERS.items():
        if source_key.startswith(prefix):
            return describer(source_key) or source_key
    return source_key


# Detail panels: another app adds a part to an application's page (platforms: the expert draw for a
# grant review). `panel(request, user, application)` returns rendered HTML, or "" to show nothing.
DetailPanel = Callable[[Any, Any, Any], str]
DETAIL_PANELS: list[DetailPanel] = []


def register_detail_panel(panel: DetailPanel) -> None:
    if panel not in DETAIL_PANELS:
        DETAIL_PANELS.append(panel)


def detail_panels(request: Any, user: Any, application: Any) -> list[str]:
    return [html for panel in DETAIL_PANELS if (html := panel(request, user, application))]
