"""The policy engine: every rule of the catalog under its ID, evaluated for a date and facts.

A rule is a function registered with `@rule(...)`. It receives a `Case` (the date, the validated facts,
the parameters in force on that date) and returns an `Outcome` through the case's builders, which
record the trace, the sources and every assumption mark of every value used.

    evaluate("TRN-PROJECT", date(2024, 3, 1), {"project_standard": "2800", "completed": True})
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop as N_

from skillcity.core.errors import DomainError
from skillcity.core.money import money_str, round_fen
from skillcity.policy import params as P
from skillcity.policy.display import message, message_text
from skillcity.policy.facts import Fact, FactErrors, parse_iso_date, validate_facts

BASES = ("fixed", "floor", "cap", "range", "matched", "case_by_case", "none")
RULE_MODULES = ("training", "education", "competitions", "platforms", "certification", "talents")


class BadFacts(DomainError):
    """Bad input: an unknown rule, a missing, unknown or ill-typed fact. `fields` names each fact."""

    status = 422


class NotInForce(DomainError):
    """No version of the rule applies on the event date."""

    status = 409

    def __init__(self, rule_id: str, date: datetime.date, validity: list[dict[str, str | None]]):
        spans = [
            message(N_("%(from)s 至 %(to)s") if v["to"] else N_("%(from)s 至 长期"), **v) for v in validity
        ]
        # `message` and `fields` stay Chinese (the API's contract); `text()` is the page's sentence.
        self.message_id = N_("规则 %(rule)s 在 %(date)s 没有有效版本（适用期：%(spans)s）")
        self.params: dict[str, Any] = {
            "rule": rule_id,
            "date": date.isoformat(),
            "spans": spans or message(N_("无")),
        }
        super().__init__(
            "not_in_force",
            message_text(self.message_id, self.params, translate=False),
            {"date": f"{date.isoformat()} 不在规则 {rule_id} 的适用期内"},
        )
        self.rule_id = rule_id
        self.date = date

    def text(self) -> str:
        """The message in the active language, the rule named by its title."""
        from skillcity.policy.display import rule_title

        return message_text(self.message_id, {**self.params, "rule": rule_title(self.rule_id)})


@dataclasses.dataclass
class Outcome:
    rule: str
    date: datetime.date
    eligible: bool
    basis: str
    amount: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    payee: str | None = None
    reasons: list[str] = dataclasses.field(default_factory=list)
    trace: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    # Each reason as a message ({"msgid", "params"}), parallel to `reasons` (which stays the Chinese):
    # what a page renders in the reader's language (display.reason_texts).
    reason_messages: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    sources: list[dict[str, str]] = dataclasses.field(default_factory=list)
    assumptions: list[str] = dataclasses.field(default_factory=list)
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)  # components, ranges, equivalent …

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "rule": self.rule,
            "date": self.date.isoformat(),
            "eligible": self.eligible,
            "basis": self.basis,
            "amount": money_str(self.amount),
            "min": money_str(self.min),
            "max": money_str(self.max),
            "payee": self.payee,
            "reasons": list(self.reasons),
            "reason_messages": _plain(self.reason_messages),
            "trace": [_plain(step) for step in self.trace],
            "sources": list(self.sources),
            "assumptions": list(self.assumptions),
        }
        result.update({k: _plain(v) for k, v in self.extra.items()})
        return result

    def budget_amount(self) -> Decimal:
        """What this outcome commits from a budget: the amount, else the upper bound, else nothing."""
        if not self.eligible:
            return Decimal("0.00")
        return self.amount if self.amount is not None else (self.max or Decimal("0.00"))


def yuan(value: Decimal | int) -> str:
    """Money in reasons and trace steps: yuan with two decimals ("36000.00", never "36000.0" or "0.006")."""
    return str(round_fen(Decimal(value)))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True)
class Rule:
    id: str
    title: str
    area: str
    facts: tuple[Fact, ...]
    # The rule is in force on a date when every parameter of at least one group has a version then.
    requires: tuple[tuple[str, ...], ...]
    optional: tuple[str, ...]
    # Who an eligible outcome names as payee: one party, or (TRN-PAYEE) one of several decided per case;
    # empty for a rule that pays nobody (a lookup, a check). `policy list` shows both.
    payees: tuple[str, ...]
    summary: str
    fn: Callable[[Case], Outcome]
    # Cross-checks between facts (`level` only for skill-level certificates …): {fact: problem}.
    check: Callable[[dict[str, Any]], dict[str, str]] | None = None

    @property
    def payee(self) -> str | None:
        """The payee when it does not depend on the case."""
        return self.payees[0] if len(self.payees) == 1 else None

    def parameter_names(self) -> list[str]:
        names = [n for group in self.requires for n in group] + list(self.optional)
        return list(dict.fromkeys(names))

    def validity(
        self, parameter_set: Mapping[str, P.Parameter] | None = None, *, pack: str | None = None
    ) -> list[dict[str, str | None]]:
        """The date spans on which the rule is in force, from its parameters' versions."""
        ps = parameter_set or P.parameters(pack)
        bounds: set[datetime.date] = set()
        for name in self.parameter_names():
            for v in ps[name].versions:
                bounds.add(v.effective_from)
                if v.effective_to:
                    bounds.add(v.effective_to + datetime.timedelta(days=1))
        spans: list[list[datetime.date | None]] = []
        points = sorted(bounds)
        for i, start in enumerate(points):
            if not _in_force(self, start, ps):
                continue
            end = points[i + 1] - datetime.timedelta(days=1) if i + 1 < len(points) else None
            if spans and spans[-1][1] is not None and spans[-1][1] + datetime.timedelta(days=1) == start:
                spans[-1][1] = end
            else:
                spans.append([start, end])
        return [{"from": s.isoformat() if s else None, "to": e.isoformat() if e else None} for s, e in spans]

    def sources(
        self, parameter_set: Mapping[str, P.Parameter] | None = None, *, pack: str | None = None
    ) -> list[dict[str, str]]:
        ps = parameter_set or P.parameters(pack)
        return _dedupe_sources(
            (v for name in self.parameter_names() for v in ps[name].versions), P.documents(pack)
        )

    def as_dict(self, pack: str | None = None) -> dict[str, Any]:
        ps = P.parameters(pack)
        return {
            "id": self.id,
            "title": self.title,
            "area": self.area,
            "summary": self.summary,
            "payee": self.payee,
            "payees": list(self.payees),
            "validity": self.validity(ps),
            "sources": self.sources(ps, pack=pack),
            "facts": [f.as_dict() for f in self.facts],
            "parameters": self.parameter_names(),
        }


def _in_force(rule: Rule, date: datetime.date, ps: Mapping[str, P.Parameter]) -> bool:
    return any(all(ps[n].version_on(date) is not None for n in group) for group in rule.requires)


def _dedupe_sources(versions: Any, docs: Mapping[str, P.Document]) -> list[dict[str, str]]:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for v in versions:
        key = (v.document, v.clause)
        if key not in seen:
            # A document still in a draft (a what-if of it) is named by its key.
            title = docs[v.document].title if v.document in docs else v.document
            seen[key] = {"document": v.document, "clause": v.clause, "title": title}
    return list(seen.values())


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    title: str,
    facts: tuple[Fact, ...] = (),
    requires: tuple[str, ...] | tuple[tuple[str, ...], ...],
    optional: tuple[str, ...] = (),
    payee: str | tuple[str, ...] | None = None,
    summary: str = "",
    check: Callable[[dict[str, Any]], dict[str, str]] | None = None,
) -> Callable[[Callable[[Case], Outcome]], Callable[[Case], Outcome]]:
    """Register a rule function under its catalog ID."""
    # `requires` is one group of parameter names, or several alternative groups.
    groups: tuple[tuple[str, ...], ...] = (
        requires if requires and isinstance(requires[0], tuple) else (requires,)  # type: ignore[assignment]
    )

    def register(fn: Callable[[Case], Outcome]) -> Callable[[Case], Outcome]:
        area = fn.__module__.rsplit(".", 1)[-1]
        if rule_id in RULES:
            raise RuntimeError(f"rule {rule_id} registered twice")
        payees = (payee,) if isinstance(payee, str) else tuple(payee or ())
        RULES[rule_id] = Rule(rule_id, title, area, facts, groups, optional, payees, summary, fn, check)
        return fn

    return register


class Case:
    """One evaluation: the date, the facts, the parameters in force, and the record of what was used."""

    def __init__(
        self,
        rule: Rule,
        date: datetime.date,
        facts: dict[str, Any],
        ps: Mapping[str, P.Parameter],
        docs: Mapping[str, P.Document] | None = None,
    ):
        self.rule = rule
        self._docs = P.documents() if docs is None else docs
        self.date = date
        self.facts = facts
        self._ps = ps
        self.trace: list[dict[str, Any]] = []
        self.reasons: list[str] = []
        self.reason_messages: list[dict[str, Any]] = []
        self._used: list[P.Version] = []
        self.assumptions: list[str] = []
        self.extra: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        return self.facts[name]

    def has(self, name: str) -> bool:
        return self._ps[name].version_on(self.date) is not None

    def version(self, name: str) -> P.Version:
        version = self._ps[name].version_on(self.date)
        if version is None:
            raise NotInForce(self.rule.id, self.date, self.rule.validity(self._ps))
        if version not in self._used:
            self._used.append(version)
            for mark in version.marks(self._docs):
                if mark not in self.assumptions:
                    self.assumptions.append(mark)
        return version

    def value(self, name: str) -> Any:
        return self.version(name).value

    def step(self, msgid: str, *, parameter: str | None = None, result: Any = None, **params: Any) -> None:
        """A line of the trace: what was done, with the parameter (its value, date and clause) it used.

        `msgid` is the Chinese sentence (gettext_noop) with %(name)s placeholders for `params`; the entry
        keeps the Chinese text as "step" and the message as "step_msgid" and "step_params"."""
        entry: dict[str, Any] = {
            "step": message_text(msgid, params, translate=False),
            "step_msgid": msgid,
            "step_params": params,
            "parameter": None,
            "value": None,
            "effective_from": None,
        }
        if parameter is not None:
            v = self.version(parameter)
            entry.update(
                parameter=parameter,
                value=v.value if not isinstance(v.value, tuple) else list(v.value),
                effective_from=v.effective_from,
                source={"document": v.document, "clause": v.clause},
            )
            if v.demo_value or v.assumption or v.simulated:
                entry["marks"] = v.marks({})
        entry["result"] = result
        self.trace.append(entry)

    def reason(self, msgid: str, **params: Any) -> None:
        """A reason: the Chinese sentence (gettext_noop) with %(name)s placeholders, and their values
        (a label to translate under a key ending in "_label"; money as `yuan()` text)."""
        self.reasons.append(message_text(msgid, params, translate=False))
        self.reason_messages.append(message(msgid, **params))

    # Outcome builders: one per basis, so a rule says what kind of amount it grants.
    def _outcome(self, eligible: bool, basis: str, **kw: Any) -> Outcome:
        def fen(x: Decimal | None) -> Decimal | None:
            return None if x is None else round_fen(x)

        if eligible and basis not in ("none", "case_by_case"):
            committed = kw.get("amount") if kw.get("amount") is not None else kw.get("max")
            if committed is not None and round_fen(committed) == 0:
                # One meaning of a zero amount in every rule (docs/policy-engine.md §3): nothing to grant
                # is not eligible, never "eligible, 0.00".
                self.reason(N_("金额为 0.00 元，没有可给予的金额，不符合条件。"))
                return self._outcome(False, "none")
        payee = kw.get("payee", self.rule.payee) if eligible else None
        if eligible and payee not in self.rule.payees and (payee is not None or self.rule.payees):
            raise RuntimeError(f"{self.rule.id}: payee {payee!r} is not one of {self.rule.payees}")
        # A refusal that used no parameter still cites the clauses of the rule in force on the date.
        sources = _dedupe_sources(self._used, self._docs) or _dedupe_sources(
            (v for n in self.rule.parameter_names() if (v := self._ps[n].version_on(self.date)) is not None),
            self._docs,
        )
        return Outcome(
            rule=self.rule.id,
            date=self.date,
            eligible=eligible,
            basis=basis,
            amount=fen(kw.get("amount")),
            min=fen(kw.get("min")),
            max=fen(kw.get("max")),
            payee=payee,
            reasons=self.reasons,
            trace=self.trace,
            reason_messages=self.reason_messages,
            sources=sources,
            assumptions=self.assumptions,
            extra=self.extra,
        )

    def not_eligible(self, msgid: str, **params: Any) -> Outcome:
        self.reason(msgid, **params)
        return self._outcome(False, "none")

    def fixed(self, amount: Decimal, *, payee: str | None = None, bounds: bool = False) -> Outcome:
        """`bounds`: give min and max too, equal to the amount (CRT-ENT: its total always has bounds)."""
        extra: dict[str, Any] = {"min": amount, "max": amount} if bounds else {}
        return self._outcome(True, "fixed", amount=amount, **extra, **({"payee": payee} if payee else {}))

    def matched(self, amount: Decimal, *, payee: str | None = None) -> Outcome:
        return self._outcome(True, "matched", amount=amount, **({"payee": payee} if payee else {}))

    def floor(self, amount: Decimal, *, payee: str | None = None) -> Outcome:
        """At least `amount`; the standard amount is the floor, a decision may grant more."""
        return self._outcome(True, "floor", amount=amount, min=amount, **({"payee": payee} if payee else {}))

    def cap(
        self,
        amount: Decimal | None,
        maximum: Decimal,
        *,
        payee: str | None = None,
        low: Decimal | None = None,
    ) -> Outcome:
        """Up to `maximum`; `amount` is the capped claim (None when nothing was claimed); `low` the least
        a decision may grant where the rule has one (CRT-ENT's range components under the total cap)."""
        extra: dict[str, Any] = {"payee": payee} if payee else {}
        return self._outcome(True, "cap", amount=amount, min=low, max=maximum, **extra)

    def range(self, low: Decimal, high: Decimal, *, payee: str | None = None) -> Outcome:
        return self._outcome(True, "range", min=low, max=high, **({"payee": payee} if payee else {}))

    def case_by_case(self, *, payee: str | None = None) -> Outcome:
        return self._outcome(True, "case_by_case", **({"payee": payee} if payee else {}))

    def no_money(self, eligible: bool, *, payee: str | None = None) -> Outcome:
        """A rule that decides eligibility or looks something up, and grants no money."""
        return self._outcome(eligible, "none", **({"payee": payee} if payee else {}))


_RULES_LOADED: list[bool] = []


def load_rules() -> dict[str, Rule]:
    # Every module, once: a module imported on its own before (for a helper of its) has filled RULES
    # with its own rules only, so "RULES is not empty" does not mean all are loaded.
    if not _RULES_LOADED:
        for module in RULE_MODULES:
            importlib.import_module(f"skillcity.policy.rules.{module}")
        _RULES_LOADED.append(True)
    return RULES


def enabled_rules(pack: str | None = None) -> dict[str, Rule]:
    """The rules of the shared library the pack enables (None: the active pack), by ID."""
    from skillcity.policy.pack import loader

    enabled = loader.load(pack).rules
    return {rule_id: r for rule_id, r in load_rules().items() if rule_id in enabled}


def get_rule(rule_id: Any, pack: str | None = None) -> Rule:
    """The rule, when the pack enables it; a rule the pack does not enable is unknown to it."""
    from skillcity.policy.pack import loader

    rules = load_rules()
    if not isinstance(rule_id, str) or rule_id not in rules or rule_id not in loader.load(pack).rules:
        raise BadFacts(
            "unknown_rule",
            f"未知的规则编号“{rule_id}”；可用规则见 skillcity policy list",
            {"rule": f"“{rule_id}”不是已知规则"},
        )
    return rules[rule_id]


def parse_date(value: Any, field: str = "date") -> datetime.date:
    try:
        return parse_iso_date(value)
    except ValueError:
        raise BadFacts(
            "bad_date", f"{field}：“{value}”不是有效日期（YYYY-MM-DD）", {field: "日期格式应为 YYYY-MM-DD"}
        ) from None


def evaluate(
    rule_id: str,
    date: datetime.date | str,
    facts: Mapping[str, Any] | Any,
    *,
    parameter_set: Mapping[str, P.Parameter] | None = None,
    pack: str | None = None,
) -> Outcome:
    """Evaluate one case under `pack` (None: the active pack). Raises BadFacts (422) for bad input,
    UnknownPack (422) for a pack that does not exist, and NotInForce (409) for a date outside the rule."""
    the_rule = get_rule(rule_id, pack)
    # Every problem at once, by name: the date and the facts (so the batch, which reads each column on
    # its own, names the same ones).
    errors: dict[str, str] = {}
    day: datetime.date | None = None
    try:
        day = parse_date(date)
    except BadFacts as exc:
        errors.update(exc.fields)
    if isinstance(facts, Mapping) and "event_date" in facts:
        # The catalog (§1) names the event date among some rules' facts; the contract passes it as the
        # date. Accept it in the facts when it agrees, refuse it when it contradicts.
        if day is not None and parse_date(facts["event_date"], "event_date") != day:
            raise BadFacts(
                "bad_facts",
                f"“事项发生日期”与评估日期 {day.isoformat()} 不一致",
                {"event_date": f"应与评估日期 {day.isoformat()} 相同"},
            )
        facts = {k: v for k, v in facts.items() if k != "event_date"}
    valid: dict[str, Any] = {}
    try:
        valid = validate_facts(the_rule.facts, facts)
    except FactErrors as exc:
        errors.update(exc.errors)
    if not errors and the_rule.check is not None:
        # The rule's own cross-checks of its facts, before its validity, as every fact check.
        errors.update(the_rule.check(valid))
    if errors:
        first = next(iter(errors))
        # The message names the fact by its label; `errors` (the API's `fields`) keeps the keys.
        label = next(
            (f.label for f in the_rule.facts if f.name == first), "事项发生日期" if first == "date" else ""
        )
        if day is None and len(errors) == 1:
            raise BadFacts("bad_date", f"{label}：“{date}”不是有效日期（YYYY-MM-DD）", errors)
        named = f"{label}：" if label else "有一项情况："
        raise BadFacts("bad_facts", f"{named}{errors[first]}" + ("等" if len(errors) > 1 else ""), errors)
    assert day is not None
    ps = parameter_set or P.parameters(pack)
    if not _in_force(the_rule, day, ps):
        raise NotInForce(the_rule.id, day, the_rule.validity(ps))
    return the_rule.fn(Case(the_rule, day, valid, ps, P.documents(pack)))


def list_rules(pack: str | None = None) -> list[dict[str, Any]]:
    """Every rule the pack enables with title, validity, sources and facts: what `skillcity policy list` prints."""
    return [r.as_dict(pack) for r in sorted(enabled_rules(pack).values(), key=lambda r: r.id)]


def parameter_history(pack: str | None = None) -> list[dict[str, Any]]:
    """Each parameter with its dated versions, for the bureau's rules page and `policy list --parameters`."""
    docs = P.documents(pack)
    rows = []
    for name, p in sorted(P.parameters(pack).items()):
        rows.append(
            {
                "name": name,
                "title": p.title,
                "unit": p.unit,
                "area": p.area,
                "versions": [
                    {
                        "value": _plain(list(v.value) if isinstance(v.value, tuple) else v.value),
                        "effective_from": v.effective_from.isoformat(),
                        "effective_to": v.effective_to.isoformat() if v.effective_to else None,
                        "document": v.document,
                        "clause": v.clause,
                        "text": v.text,
                        "marks": v.marks(docs),
                    }
                    for v in p.versions
                ],
            }
        )
    return rows
