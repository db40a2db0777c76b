"""The grants app's one door to the policy engine, and the check of a decided amount against an outcome.

Every amount or bound comes from `skillcity.policy.engine`; this module only adapts its Outcome to
the JSON snapshot stored with an application.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from skillcity.core.errors import DomainError
from skillcity.core.money import money_str


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return money_str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    return value


def evaluate(rule_id: str, event_date: datetime.date, facts: dict[str, Any]) -> dict[str, Any]:
    """The engine's outcome for one case, as a JSON-able dict (money as decimal strings)."""
    try:
        engine = importlib.import_module("skillcity.policy.engine")
    except ImportError:
        raise DomainError("policy_engine_unavailable", _("政策引擎尚未就绪，暂不能测算")) from None
    fn = getattr(engine, "evaluate", None)
    if fn is None:
        raise DomainError("policy_engine_unavailable", _("政策引擎尚未就绪，暂不能测算"))
    outcome = fn(rule_id, event_date, facts)
    if hasattr(outcome, "as_dict"):
        return dict(_plain(outcome.as_dict()))
    return dict(_plain(outcome))


def rules() -> list[dict[str, Any]]:
    """Rule metadata (id, title, facts) from the engine, for the rule chooser and the facts form."""
    try:
        engine = importlib.import_module("skillcity.policy.engine")
    except ImportError:
        return []
    fn = getattr(engine, "rule_list", None) or getattr(engine, "list_rules", None)
    if fn is None:
        return []
    return [dict(_plain(r.as_dict() if hasattr(r, "as_dict") else r)) for r in fn()]


def _dec(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def check_amount(outcome: dict[str, Any], amount: Decimal, reason: str) -> None:
    """Refuse a decided amount outside what the engine's basis allows, naming the bound."""
    basis = outcome.get("basis") or "none"
    value, low, high = _dec(outcome.get("amount")), _dec(outcome.get("min")), _dec(outcome.get("max"))
    if not outcome.get("eligible") or basis == "none":
        raise DomainError(
            "not_eligible", _("测算结果为不符合条件，不能核定金额"), {"amount": _("不符合条件")}
        )
    if amount <= 0:
        raise DomainError("amount_not_positive", _("核定金额必须大于0"), {"amount": _("必须大于0")})

    def refuse(message: str) -> DomainError:
        return DomainError("amount_out_of_bounds", message, {"amount": message})

    if basis in ("fixed", "matched"):
        if value is None or amount != value:
            raise refuse(_("该条目为定额（%(b)s），核定金额必须等于 %(v)s 元") % {"b": basis, "v": value})
    elif basis == "floor":
        floor = low if low is not None else value
        if floor is not None and amount < floor:
            raise refuse(_("核定金额不得低于下限 %(v)s 元") % {"v": floor})
    elif basis == "cap":
        cap = high if high is not None else value
        if cap is not None and amount > cap:
            raise refuse(_("核定金额不得超过上限 %(v)s 元") % {"v": cap})
    elif basis == "range":
        if (low is not None and amount < low) or (high is not None and amount > high):
            raise refuse(_("核定金额必须在 %(lo)s 至 %(hi)s 元之间") % {"lo": low, "hi": high})
    elif basis == "case_by_case":
        if not reason.strip():
            raise DomainError(
                "reason_required", _("“一事一议”条目核定金额必须写明理由"), {"reason": _("必须填写")}
            )
    else:
        raise refuse(_("未知的测算依据“%(b)s”") % {"b": basis})


def default_amount(outcome: dict[str, Any]) -> Decimal | None:
    """The amount a reviewer starts from: the engine's amount, else its upper bound."""
    return _dec(outcome.get("amount")) or _dec(outcome.get("max"))
