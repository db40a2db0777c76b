"""Policy pages: the public calculator, the bureau's rules page and the what-if simulation."""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import parse_iso_date
from skillcity.policy import engine as E
from skillcity.policy import params as P
from skillcity.policy import reforms as R
from skillcity.policy import simulate as S
from skillcity.policy.display import message_text, value_display
from skillcity.policy.facts import FactErrors, validate_facts
from skillcity.policy.forms import OVERRIDE_ROWS, UNIT_LABELS, FactForm, SimulationForm
from skillcity.policy.in_force import out_of_force
from skillcity.policy.lifecycle.documents import policy_standing

AREAS = {
    "training": gettext_lazy("职业培训"),
    "education": gettext_lazy("技工教育"),
    "competitions": gettext_lazy("职业技能竞赛"),
    "platforms": gettext_lazy("平台载体"),
    "certification": gettext_lazy("技能等级认定"),
    "talents": gettext_lazy("技能人才"),
}
BASIS_LABELS = {
    "fixed": gettext_lazy("定额"),
    "floor": gettext_lazy("不低于"),
    "cap": gettext_lazy("最高"),
    "range": gettext_lazy("区间"),
    "matched": gettext_lazy("配套"),
    "case_by_case": gettext_lazy("一事一议"),
    "none": gettext_lazy("无金额"),
}
PAYEE_LABELS = {
    "base": gettext_lazy("集训基地"),
    "coach": gettext_lazy("教练"),
    "developer": gettext_lazy("开发单位"),
    "enterprise": gettext_lazy("企业"),
    "host_unit": gettext_lazy("承办单位"),
    "player": gettext_lazy("选手"),
    "public_training_sub_base": gettext_lazy("高技能公共实训分基地"),
    "school": gettext_lazy("院校"),
    "school_enterprise_base": gettext_lazy("校企合作基地"),
    "student": gettext_lazy("学生"),
    "studio": gettext_lazy("技能大师工作室"),
    "talent": gettext_lazy("技能人才本人"),
    "trainee": gettext_lazy("集训选手"),
    "training_provider": gettext_lazy("培训单位"),
    "unit": gettext_lazy("单位"),
    "worker": gettext_lazy("劳动者本人"),
}
OTHER_LABELS = {
    "coach_share": gettext_lazy("教练及训练基地工作人员奖励"),
    "equivalent": gettext_lazy("相当学历"),
    "grounds": gettext_lazy("申领依据"),
    "share_percent": gettext_lazy("技能人才占比（%）"),
    "title": gettext_lazy("可授予称号"),
    "trainee_monthly_allowance": gettext_lazy("集训补贴（每人每月，元）"),
}
RANGE_LABELS = {
    "living": gettext_lazy("生活补贴"),
    "home_purchase": gettext_lazy("购房补贴"),
    "monthly_rent": gettext_lazy("租房补贴（每月）"),
}


def _rule_groups() -> list[dict[str, Any]]:
    """The rules the active pack enables, grouped by area, in the order of the catalog's areas."""
    rules = E.enabled_rules()
    groups = []
    for area in E.RULE_MODULES:
        members = sorted((r for r in rules.values() if r.area == area), key=lambda r: r.id)
        if members:
            groups.append({"area": area, "label": AREAS.get(area, area), "rules": members})
    return groups


def _clause_texts(rule: E.Rule, sources: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Each cited clause with the texts its parameter versions quote (one clause may quote several)."""
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    ps = P.parameters()
    for name in rule.parameter_names():
        for v in ps[name].versions:
            if v.text and v.text not in texts[(v.document, v.clause)]:
                texts[(v.document, v.clause)].append(v.text)
    return [{**s, "texts": texts.get((s["document"], s["clause"]), [])} for s in sources]


def _outcome_view(rule: E.Rule, outcome: E.Outcome | dict[str, Any]) -> dict[str, Any]:
    """The outcome as the pages show it; also from a stored outcome (its JSON), as grants keeps them."""
    data = outcome.as_dict() if isinstance(outcome, E.Outcome) else dict(outcome)
    standard = {"rule", "date", "eligible", "basis", "amount", "min", "max", "payee", "reasons", "trace",
                "sources", "assumptions", "reason_messages"}  # fmt: skip
    # Machine fields (messages a page renders in its language) are not results of their own.
    extra = {
        k: v
        for k, v in data.items()
        if k not in standard and k not in ("components", "ranges") and not k.endswith("_messages")
    }
    grounds = data.get("grounds_messages")
    if isinstance(grounds, list) and len(grounds) == len(extra.get("grounds") or []):
        with contextlib.suppress(KeyError, ValueError, TypeError):  # else the stored Chinese grounds
            extra["grounds"] = [message_text(g["msgid"], g.get("params")) for g in grounds]
    basis = data.get("basis") or "none"
    return {
        **data,
        "basis_label": BASIS_LABELS.get(basis, basis),
        "payee_label": PAYEE_LABELS.get(data.get("payee") or "", data.get("payee")),
        "clauses": _clause_texts(rule, [s for s in data.get("sources") or [] if isinstance(s, dict)]),
        "components": [
            {**c, "basis_label": BASIS_LABELS.get(c.get("basis", ""), c.get("basis"))}
            for c in data.get("components") or []
        ],
        "ranges": [
            {"key": k, "label": RANGE_LABELS.get(k, k), **v} for k, v in (data.get("ranges") or {}).items()
        ],
        # Extra results by label, values as text (never a Python or JSON repr on the page).
        "other": {str(OTHER_LABELS.get(k, k)): value_display(v) for k, v in extra.items()},
    }


def calculator(request: HttpRequest) -> HttpResponse:
    """Public: choose a rule, fill in its facts, see the outcome with its trace and clauses. GET only, so
    every result has a link."""
    rule_id = request.GET.get("rule", "").strip()
    context: dict[str, Any] = {"groups": _rule_groups(), "rule_id": rule_id}
    if not rule_id:
        return render(request, "policy/calculator.html", context)
    try:
        rule = E.get_rule(rule_id)
    except E.BadFacts as exc:
        context["page_error"] = exc.message
        return render(request, "policy/calculator.html", context, status=404)
    today = timezone.localdate()
    submitted = (
        "date" in request.GET or "evaluate" in request.GET or any(f.name in request.GET for f in rule.facts)
    )
    # `?on=` opens the form on another day (the "use the last day in force" link) without evaluating.
    try:
        opened_on = parse_iso_date(request.GET["on"]) if request.GET.get("on") else today
    except ValueError:
        opened_on = today
    form = FactForm(rule, request.GET if submitted else None, initial={"date": opened_on})
    context.update(
        rule=rule,
        form=form,
        validity=rule.validity(),
        sources=_clause_texts(rule, rule.sources()),
        today=today,
    )
    day: datetime.date | None = opened_on
    facts: dict[str, Any] = {}
    if submitted:
        form.is_valid()
        facts = form.facts()  # every field's error at once, the date's too
        day = form.cleaned_data.get("date")
    gap = out_of_force(rule, day) if day else None
    if gap:
        context["out_of_force"] = gap
        context["offered_url"] = _calculator_url(request, rule, gap.offered_day, submitted=submitted)
    if submitted and form.errors:
        # The form found some errors; the engine's reading of the facts finds the rest (an amount
        # with three decimals), so that every error shows at once.
        try:
            validate_facts(rule.facts, facts)
        except FactErrors as exc:
            form.show_errors({k: v for k, v in exc.errors.items() if k not in form.errors})
    elif submitted and day and not gap:
        try:
            outcome = E.evaluate(rule.id, day, facts)
        except E.NotInForce as exc:  # not reached: out_of_force() saw it first
            context["not_in_force"] = exc.text()
        except E.BadFacts as exc:
            context["other_errors"] = form.show_errors(exc.fields)
            context["bad_facts"] = exc.message
        else:
            context["outcome"] = _outcome_view(rule, outcome)
    return render(request, "policy/calculator.html", context)


def _calculator_url(request: HttpRequest, rule: E.Rule, day: datetime.date | None, *, submitted: bool) -> str:
    """The calculator on `day`: the same facts evaluated again, or (nothing entered yet) the form opened."""
    if day is None:
        return ""
    query = request.GET.copy()
    if submitted:
        query["date"] = day.isoformat()
    else:
        query = QueryDict(mutable=True)
        query.update({"rule": rule.id, "on": day.isoformat()})
    return f"{reverse('policy:calculator')}?{query.urlencode()}"


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Bureau: every rule with its validity, sources and facts, and each parameter's dated history."""
    require_role(acting_user(request), "bureau_officer")
    history = {
        row["name"]: {**row, "unit_label": UNIT_LABELS.get(row["unit"], row["unit"])}
        for row in E.parameter_history()
    }
    groups = []
    for group in _rule_groups():
        entries = []
        for r in group["rules"]:
            entries.append(
                {
                    "rule": r,
                    "validity": r.validity(),
                    "sources": r.sources(),
                    "facts": r.facts,
                    "parameters": [history[name] for name in r.parameter_names()],
                }
            )
        groups.append({**group, "entries": entries})
    # Documents as records, and what is (not) in force today (skillcity.policy.lifecycle.documents).
    standing = policy_standing(timezone.localdate())
    return render(request, "policy/rules.html", {"groups": groups, "standing": standing})


@login_required
def simulate(request: HttpRequest) -> HttpResponse:
    """Bureau: what-if — change parameters, re-evaluate the cases of a date range, compare budgets."""
    require_role(acting_user(request), "bureau_officer")
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = SimulationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["source"] == "upload":
                    cases = S.read_cases_bytes(data["cases"].read())
                else:
                    cases = S.events_from(data["source"], data["date_from"], data["date_to"])
                reform = R.resolve(draft=data.get("draft"), pack=data.get("pack"))
                result = R.run(cases, reform, data["overrides"], data["date_from"], data["date_to"])
            except S.SimulationError as exc:
                rows = {form.cleaned_data.get(f"parameter_{i}"): i for i in range(OVERRIDE_ROWS)}
                for name, message in exc.fields.items():
                    if name in rows:
                        form.add_error(f"value_{rows[name]}", str(message))
                    elif name in ("draft", "pack"):
                        form.add_error(name, str(message))
                if not any(name in ("draft", "pack") for name in exc.fields):
                    context["error"] = exc.message
            else:
                if request.POST.get("format") == "xlsx":
                    response = HttpResponse(R.result_xlsx(result), content_type=R.XLSX_TYPE)
                    response["Content-Disposition"] = f'attachment; filename="{R.xlsx_name(result)}"'
                    return response
                context["result"] = result
                context["chart"] = _chart_data(result)
    else:
        # The year so far, up to today: what the bureau asks first ("this year, with these parameters?").
        today = timezone.localdate()
        form = SimulationForm(initial={"date_from": today.replace(month=1, day=1), "date_to": today})
    context["form"] = form
    return render(request, "policy/simulate.html", context)


def _chart_data(result: S.SimulationResult) -> dict[str, Any]:
    def series(lines: list[S.Line]) -> dict[str, Any]:
        return {
            "labels": [line.key for line in lines],
            "baseline": [str(line.baseline) for line in lines],
            "scenario": [str(line.scenario) for line in lines],
        }

    names = {"baseline": _("现行参数"), "scenario": _("模拟参数")}
    if result.reform:
        names = {"baseline": _("现行政策"), "scenario": _("改革方案")}
    return {
        "by_rule": series(result.by_rule),
        "by_town": series(result.by_town),
        "by_year": series(result.by_year),
        "names": names,
    }


# For other apps' pages that show an outcome the way the calculator does (the grants apply form).
rule_groups = _rule_groups
outcome_view = _outcome_view
