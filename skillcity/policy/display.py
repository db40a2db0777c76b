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

from django.utils.translation import get_language, gettext, pgettext

from skillcity.core.money import round_fen

# Keys of parameter maps and outcome extras that are not a fact or a choice of one.
# Keys with no rule fact behind them: what-if outputs, and the facts of a settlement's claim
# (grants/services/settlements.py), which no applicant types.
_KEY_LABELS = {
    "ratio": "比例",
    "amount": "金额",
    "settlement_id": "结算单编号",
    "period": "结算期",
    "lines": "结算明细笔数",
}


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
    label = _labels().get(name) or _KEY_LABELS.get(name)
    return gettext(label) if label else gettext("该项")


def value_display(value: Any, unit: str = "") -> str:
    """A parameter or fact value as text for a page: never True/False/None or a Python repr."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or (value in ("true", "false") and unit == "bool"):
        return gettext("是") if value in (True, "true") else gettext("否")
    chinese = (get_language() or "zh").startswith("zh")
    if isinstance(value, dict):
        entry, sep = ("%s：%s", "；") if chinese else ("%s: %s", "; ")
        return sep.join(entry % (code_label(str(k)), value_display(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return ("、" if chinese else ", ").join(value_display(v) for v in value)
    if unit == "yuan":
        try:
            return f"{round_fen(Decimal(str(value))):,} {gettext('元')}"
        except ArithmeticError:
            return str(value)
    if isinstance(value, str):
        label = code_label(value)
        # A Chinese value a parameter table holds (EDU-EQUIV's "大专"), translated like a label.
        return gettext(label) if label == value and _HAN.search(value) else label
    return str(value)


# Reasons and calculation steps (docs/decisions.md, "D-28 The engine's reasons and steps as message ids
# and values"): each is a Chinese msgid with %(name)s placeholders, marked with gettext_noop in the rule,
# and its values. A value is text as written (money "36000.00", counts, codes, dates), a Chinese label
# to translate (a key ending in "_label"), a nested message ({"msgid", "params"}: a component's reason
# inside the reason that lists it), or a list of nested messages (the failed conditions of a refusal).
_HAN = re.compile(r"[\u3400-\u9fff]")


def message(msgid: str, *, context: str | None = None, **params: Any) -> dict[str, Any]:
    """A message as stored: its msgid and values (JSON: every value text, a number or a message).
    `context` (a msgctxt) for a msgid whose English elsewhere (a form label) does not fit a sentence."""
    return {"msgid": msgid, "params": params, **({"context": context} if context else {})}


def message_text(
    msgid: str, params: dict[str, Any] | None = None, *, translate: bool = True, context: str | None = None
) -> str:
    """The sentence in the active language; `translate=False` gives the Chinese the outcome stores
    (whatever the language of the request that evaluated it)."""

    def tr(text: str) -> str:
        if not translate:
            return text
        return pgettext(context, text) if context else gettext(text)

    if not params and "%" not in msgid:
        return tr(msgid)
    values = {k: _value_text(k, v, translate) for k, v in (params or {}).items()}
    return tr(msgid) % values


def _value_text(key: str, value: Any, translate: bool) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return message_text(
            value["msgid"], value.get("params"), translate=translate, context=value.get("context")
        )
    if isinstance(value, list):
        chinese = not translate or (get_language() or "zh").startswith("zh")
        return ("；" if chinese else "; ").join(str(_value_text(key, v, translate)) for v in value)
    if key.endswith("_label") and isinstance(value, str) and value:
        return gettext(value) if translate else value
    return value


def _rendered(stored: Any, fallback: str) -> str:
    """A stored message in the active language; the stored Chinese when it no longer renders (a msgid
    changed since, or values missing)."""
    if not isinstance(stored, dict) or not isinstance(stored.get("msgid"), str):
        return fallback
    try:
        return message_text(stored["msgid"], stored.get("params") or None, context=stored.get("context"))
    except (KeyError, ValueError, TypeError):
        return fallback


def reason_texts(outcome: dict[str, Any]) -> list[str]:
    """An outcome's reasons in the active language. An outcome stored before reasons carried their
    messages (or whose messages do not match its reasons) shows its stored Chinese reasons."""
    reasons = [str(r) for r in outcome.get("reasons") or []]
    messages = outcome.get("reason_messages")
    if not isinstance(messages, list) or len(messages) != len(reasons):
        return reasons
    return [_rendered(m, r) for m, r in zip(messages, reasons, strict=True)]


def step_text(entry: dict[str, Any]) -> str:
    """A trace step in the active language; an old stored step without its msgid is looked up as a
    whole (fixed steps have always been msgids)."""
    step = str(entry.get("step") or "")
    if "step_msgid" in entry:
        return _rendered({"msgid": entry["step_msgid"], "params": entry.get("step_params")}, step)
    return gettext(step) if step else ""


def component_reason(component: dict[str, Any]) -> str:
    """A CRT-ENT component's reason in the active language, else its stored Chinese."""
    return _rendered(component.get("reason_message"), str(component.get("reason") or ""))


def marks_texts(marks: list[str]) -> list[str]:
    """Assumption and demo-value marks (Chinese in the outcome and the API) in the active language."""
    return [gettext(m) for m in marks]
