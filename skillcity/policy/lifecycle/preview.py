"""What a checker sees before approving a draft: the diff against the version in force, the engine's
outcomes on sample cases before and after, and the what-if of its budget effect over stored records."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from skillcity.core.errors import DomainError
from skillcity.policy import engine as E
from skillcity.policy import params as P
from skillcity.policy import published
from skillcity.policy import simulate as S
from skillcity.policy.display import value_display
from skillcity.policy.facts import BOOL, CHOICE, CHOICES, DATE, INT, LEVEL, MONEY, TEXT, TEXTS
from skillcity.policy.models import PolicyDraft

# Cases a person recognises, for the rules drafts most often touch; other rules get facts made from
# their fact definitions (`_generic_facts`).
SAMPLE_FACTS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "TRN-PROJECT": [
        (gettext_noop("标准 2800 元、已结业"), {"project_standard": "2800", "completed": True}),
        (gettext_noop("标准 3600 元、已结业"), {"project_standard": "3600", "completed": True}),
    ],
    "TRN-UPSKILL": [
        (
            "高级工（三级）、紧缺工种",
            {"certificate_kind": "skill_level", "level": 3, "in_shortage_catalog": True},
        ),
        (
            gettext_noop("中级工（四级）"),
            {"certificate_kind": "skill_level", "level": 4, "in_shortage_catalog": False},
        ),
        (
            "专项职业能力证书",
            {"certificate_kind": "special_ability", "level": None, "in_shortage_catalog": False},
        ),
    ],
}


def draft_parameter_set(
    draft: PolicyDraft, base: Mapping[str, P.Parameter] | None = None
) -> dict[str, P.Parameter]:
    """The parameters in force with the draft's versions added (as if approved)."""
    extra = [
        published.PublishedVersion(
            v.parameter, v.value, v.effective_from, v.effective_to, v.document.key, v.clause, v.text
        )
        for v in draft.versions.select_related("document")
    ]
    return published.add_versions(
        base if base is not None else P.parameters(), extra, where=f"draft {draft.pk}"
    )


@dataclasses.dataclass(frozen=True)
class DiffRow:
    parameter: str
    title: str
    old_value: str
    old_span: str
    old_citation: str
    new_value: str
    new_span: str
    new_citation: str
    new_text: str


def _span(start: datetime.date, end: datetime.date | None) -> str:
    return f"{start.isoformat()} — {end.isoformat() if end else '…'}"


def draft_diff(draft: PolicyDraft) -> list[DiffRow]:
    """Each drafted version beside the one it follows: in force on its first day, else the latest before."""
    ps = P.parameters()
    rows = []
    for v in draft.versions.select_related("document"):
        p = ps.get(v.parameter)
        if p is None:
            continue
        # Once the draft is published its own version is among the parameter's: never compare with it.
        others = [
            x
            for x in p.versions
            if (x.effective_from, x.document, x.clause) != (v.effective_from, v.document.key, v.clause)
        ]
        old = next((x for x in others if x.applies_on(v.effective_from)), None) or next(
            (x for x in reversed(others) if x.effective_from < v.effective_from), None
        )
        rows.append(
            DiffRow(
                parameter=v.parameter,
                title=p.title,
                old_value=value_display(old.value, p.unit) if old else "—",
                old_span=_span(old.effective_from, old.effective_to) if old else "—",
                old_citation=f"{old.document} {old.clause}" if old else "—",
                new_value=value_display(P.parse_value(v.value, p.unit, v.parameter), p.unit),
                new_span=_span(v.effective_from, v.effective_to),
                new_citation=f"{v.document.key} {v.clause}",
                new_text=v.text,
            )
        )
    return rows


def affected_rules(draft: PolicyDraft) -> list[E.Rule]:
    names = set(draft.versions.values_list("parameter", flat=True))
    return [
        r for r in sorted(E.enabled_rules().values(), key=lambda r: r.id) if names & set(r.parameter_names())
    ]


def _generic_facts(rule: E.Rule) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for f in rule.facts:
        if not f.required and f.nullable:
            facts[f.name] = None
            continue
        codes = [c for c, _ in f.choices]
        facts[f.name] = {
            BOOL: True,
            MONEY: "3000",
            LEVEL: 3,
            INT: max(f.minimum or 0, 1),
            DATE: "2026-01-01",
            CHOICE: codes[0] if codes else "x",
            CHOICES: codes[:1],
            TEXT: "x",
            TEXTS: ["x"],
        }.get(f.kind)
    return facts


@dataclasses.dataclass(frozen=True)
class SampleRow:
    rule: str
    title: str
    case: str
    day: datetime.date
    before: str
    after: str


def _describe(rule_id: str, day: datetime.date, facts: dict[str, Any], ps: Mapping[str, P.Parameter]) -> str:
    try:
        outcome = E.evaluate(rule_id, day, facts, parameter_set=ps)
    except E.NotInForce:
        return _("没有有效版本（不能测算）")
    except DomainError as exc:
        return str(exc.message)
    if not outcome.eligible:
        return _("不符合条件")
    amount = outcome.amount if outcome.amount is not None else outcome.max
    return _("%(amount)s 元") % {"amount": f"{amount:,}"} if amount is not None else _("符合条件")


def sample_outcomes(draft: PolicyDraft) -> list[SampleRow]:
    """The engine on sample cases of each affected rule, on the draft's first effective day."""
    first = min((v.effective_from for v in draft.versions.all()), default=None)
    if first is None:
        return []
    before = P.parameters()
    after = draft_parameter_set(draft, before)
    rows = []
    for rule in affected_rules(draft):
        cases = SAMPLE_FACTS.get(rule.id) or [(gettext_noop("示例情形"), _generic_facts(rule))]
        for label, facts in cases:
            rows.append(
                SampleRow(
                    rule.id,
                    rule.title,
                    _(label),
                    first,
                    _describe(rule.id, first, facts, before),
                    _describe(rule.id, first, facts, after),
                )
            )
    return rows


def draft_span(draft: PolicyDraft, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The what-if's dates: the draft's first day to its last (a year at most; up to today when open-ended)."""
    versions = list(draft.versions.all())
    if not versions:
        return None
    start = min(v.effective_from for v in versions)
    ends = [v.effective_to for v in versions]
    end = max((e for e in ends if e is not None), default=None) if None not in ends else None
    end = end or max(today, start + datetime.timedelta(days=364))
    return start, min(end, start + datetime.timedelta(days=365))


def draft_what_if(draft: PolicyDraft, *, source: str, today: datetime.date) -> S.SimulationResult | None:
    """Baseline (what is in force) against the draft, over the stored records of `source` in its span."""
    span = draft_span(draft, today)
    if span is None:
        return None
    cases = S.events_from(source, *span)
    return S.simulate(cases, {}, span[0], span[1], scenario_set=draft_parameter_set(draft))
