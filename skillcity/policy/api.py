"""/api/v1/policy/: evaluate a rule (public, like the calculator page), list rules and parameters."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from skillcity.policy.engine import evaluate, list_rules, parameter_history

router = Router(tags=["policy"])


class EvaluateIn(Schema):
    rule: str
    date: str
    facts: dict[str, Any] = {}
    # The policy pack to evaluate under; absent or null: the active one (setting SKILLCITY_POLICY_PACK).
    pack: str | None = None


@router.post(
    "/evaluate",
    auth=None,
    summary="Evaluate one rule for an event date and facts",
    description=(
        "Returns the outcome (rule, date, eligible, basis, amount, min, max, payee, reasons, trace, sources, "
        "assumptions; CRT-ENT adds components, TAL-LEADING ranges). `reasons`, each trace `step` and "
        "`assumptions` are Chinese; `reason_messages` and each step's `step_msgid`/`step_params` give the "
        "same sentences as message ids with values (docs/policy-engine.md). 422 for an unknown rule or a missing, "
        "unknown or ill-typed fact (`fields` names it), and for an unknown `pack` (`unknown_pack`, `fields.pack`); "
        "409 `not_in_force` when no version applies on the date. `pack` (optional) names the policy pack."
    ),
)
def evaluate_endpoint(request: HttpRequest, payload: EvaluateIn) -> dict[str, Any]:
    return evaluate(payload.rule, payload.date, payload.facts, pack=payload.pack).as_dict()


@router.get(
    "/rules", auth=None, summary="Every rule the pack enables, with title, validity, sources and facts"
)
def rules_endpoint(request: HttpRequest, pack: str | None = None) -> list[dict[str, Any]]:
    return list_rules(pack)


@router.get(
    "/parameters", auth=None, summary="Every parameter of the pack with its dated versions and sources"
)
def parameters_endpoint(request: HttpRequest, pack: str | None = None) -> list[dict[str, Any]]:
    return parameter_history(pack)
