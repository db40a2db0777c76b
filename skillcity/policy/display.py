"""Policy values and names as people read them: a rule's title, a parameter's title, a fact's label, a
parameter value (是/否 for booleans, labelled lists and maps, money with two decimals and 元).

Titles and labels are written in Chinese in the rules and the parameter files and translated through
the message catalog (docs/decisions.md, "D-24 Labels in place of codes; the policy catalog's English through the message catalog"): `gettext` on the
Chinese text, so one catalog holds every English form and a title changed in the source falls back
to Chinese rather than to a stale translation.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils.translation import gettext

from skillcity.core.money import round_fen

# Keys of parameter maps and outcome extras that are not a fact or a choice of one.
_KEY_LABELS = {"ratio": "比例", "amount": "金额"}


@cache
def _labels() -> dict[str, str]:
    """Codes that parameter values hold (choice codes, fact names) → their Chinese labels."""
    from skillcity.policy.engine import load_rules

    labels: dict[str, str] = {}
    for rule in load_rules().values():
        for fact in rule.facts:
            labels.setdefault(fact.name, fact.label)
            for code, label in fact.choices:
                labels.setdefault(code, label)
    return labels


def code_label(code: str) -> str:
    """The label of a choice code or fact name, translated; the code itself only if it has none."""
    label = _labels().get(code) or _KEY_LABELS.get(code)
    return gettext(label) if label else code


def rule_title(rule_id: str) -> str:
    from skillcity.policy.engine import load_rules

    rule = load_rules().get(rule_id)
    return gettext(rule.title) if rule is not None else rule_id


def rule_ids_titled(text: str) -> str:
    """`text` with every rule ID in it replaced by the rule's title."""
    from skillcity.policy.engine import load_rules

    rules = load_rules()
    return re.sub(
        r"\b[A-Z]{2,4}(?:-[A-Z0-9]+)+\b",
        lambda m: rule_title(m.group(0)) if m.group(0) in rules else m.group(0),
        text,
    )


def parameter_title(name: str) -> str:
    from skillcity.policy import params as P

    parameter = P.parameters().get(name)
    return gettext(parameter.title) if parameter is not None else name


def parameter_unit(name: str) -> str:
    from skillcity.policy import params as P

    parameter = P.parameters().get(name)
    return parameter.unit if parameter is not None else ""


def fact_label(rule_id: str, name: str) -> str:
    """A fact's label for the rule, translated; for a key no rule names, the generic label."""
    from skillcity.policy.engine import load_rules

    rule = load_rules().get(rule_id)
    for fact in rule.facts if rule is not None else ():
        if fact.name == name:
            return gettext(fact.label)
    if name == "date":
        return gettext("事项发生日期")
    label = _labels().get(name)
    return gettext(label) if label else gettext("该项")


def value_display(value: Any, unit: str = "") -> str:
    """A parameter or fact value as text for a page: never True/False/None or a Python repr."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or (value in ("true", "false") and unit == "bool"):
        return gettext("是") if value in (True, "true") else gettext("否")
    if isinstance(value, dict):
        return "；".join(f"{code_label(str(k))}：{value_display(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(value_display(v) for v in value)
    if unit == "yuan":
        try:
            return f"{round_fen(Decimal(str(value))):,} {gettext('元')}"
        except ArithmeticError:
            return str(value)
    if isinstance(value, str):
        return code_label(value)
    return str(value)
