"""Grants pages: applicant (apply, preview, submit, my applications), reviewer queue and decisions,
bureau (funds, notices, payments; their .xlsx export is grants.exports), and the public notice list with objections."""

from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import parse_iso_date, parse_money
from skillcity.core.errors import DomainError, NotFound
from skillcity.grants import flows, selectors, services
from skillcity.grants.models import ApplicationState, Objection
from skillcity.grants.rule_choice import FROM_RECORDS, grant_rule_groups
from skillcity.policy import views as policy_views
from skillcity.policy.display import fact_label
from skillcity.policy.engine import Rule, enabled_rules, evaluate, load_rules
from skillcity.policy.forms import FactForm, default_date
from skillcity.policy.in_force import out_of_force

APPLICANT_ROLES = ("organisation_user", "worker")
FORM_INVALID = "form_invalid"  # the page's own form found the errors: they are on it already


def _amount(raw: str) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return parse_money(raw)
    except ValueError as exc:
        raise DomainError("bad_amount", _("金额有误：%(e)s") % {"e": exc}, {"amount": str(exc)}) from None


def _facts(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        raise DomainError("invalid_facts", _("申报事实须为JSON对象"), {"facts": _("格式不正确")}) from None
    if not isinstance(value, dict):
        raise DomainError("invalid_facts", _("申报事实须为JSON对象"), {"facts": _("格式不正确")})
    return value


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters: dict[str, Any] = {k: request.GET.get(k, "").strip() for k in ("rule", "state")}
    overdue = request.GET.get("overdue") == "1"
    queue = (
        selectors.review_queue(user, overdue=overdue, **filters) if user.role not in APPLICANT_ROLES else []
    )
    apps = selectors.applications_for(user, overdue=overdue, **filters)[:200]
    return render(
        request,
        "grants/home.html",
        {
            "queue": queue,
            "applications": apps,
            "states": ApplicationState.choices,
            "rules": sorted(load_rules()),
            "filters": filters,
            "overdue": overdue,
            "is_applicant": user.role in APPLICANT_ROLES,
            # Finance chooses approved rows here and pays them at once (batch_pay.pay_batch).
            "can_pay": flows.user_has_stage_role(user, "finance"),
        },
    )


def _applicant(user: Any) -> Any:
    return user.organisation if user.role == "organisation_user" else user.worker


class _ApplyInput:
    """The rule, date and facts of an apply or preview request: a form built from the rule's facts
    (the page), or JSON facts (scripts and older clients)."""

    def __init__(self, request: HttpRequest, rule: Rule, provided: Iterable[str] = ()):
        self.rule = rule
        self.form = FactForm(rule, request.POST or None)
        self.form.fields.pop("date")  # the calculator's; this page asks for `event_date` itself
        # Facts the platform's records give are not asked for: the services merge them in.
        for name in provided:
            self.form.fields.pop(name, None)
            self.form.specs.pop(name, None)
        self.legacy = "facts" in request.POST

    def read(self) -> tuple[datetime.date, dict[str, Any]]:
        post = self.form.data
        raw_date = (post.get("event_date") or post.get("date") or "").strip()
        try:
            event_date: datetime.date | None = parse_iso_date(raw_date)
        except ValueError as exc:
            event_date = None
            date_error = (
                _("请填写“事项发生日期”") if not raw_date else _("“事项发生日期”：%(e)s") % {"e": exc}
            )
            if self.legacy:
                raise DomainError("bad_date", date_error, {"event_date": date_error}) from None
        if self.legacy:
            assert event_date is not None
            return event_date, _facts(post.get("facts", ""))
        # The date and every fact judged at once: the page shows all its errors together.
        self.form.is_valid()
        facts = self.form.facts()
        if self.form.errors or event_date is None:
            fields: dict[str, Any] = dict(self.form.errors.items())
            if event_date is None:
                fields["event_date"] = date_error
            raise DomainError(FORM_INVALID, _("请检查填写的情况"), fields)
        return event_date, facts


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | tuple):
        return "、".join(map(str, value)) or _("无")
    return _("无") if value is None else str(value)


def _rule_from(request: HttpRequest) -> Rule | None:
    rule_id = (request.POST.get("rule_id") or request.GET.get("rule") or "").strip()
    return enabled_rules().get(rule_id)  # one applies under the rules the active policy pack enables


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *APPLICANT_ROLES)
    rule = _rule_from(request)
    context: dict[str, Any] = {"groups": grant_rule_groups(), "rule": rule, "post": request.POST}
    if rule is None:
        return render(request, "grants/apply.html", context)
    if rule.id in FROM_RECORDS:
        text, url_name, link = FROM_RECORDS[rule.id]
        context["from_records"] = {"text": text, "url": reverse(url_name), "link": link}
    today = timezone.localdate()
    suggested, moved = default_date(rule, today)
    event_date = suggested
    if request.method == "POST":
        with contextlib.suppress(ValueError):  # read() names the field
            event_date = parse_iso_date(request.POST.get("event_date", ""))
    provided = flows.provided_facts(rule.id, _applicant(user), event_date)
    inputs = _ApplyInput(request, rule, provided)
    labels = {f.name: f.label for f in rule.facts}
    date_errors: list[str] = []
    if request.method == "POST":
        try:
            event_date, facts = inputs.read()
            # A rule whose facts include the amount asked for takes it from there.
            requested = facts.get("requested") or request.POST.get("requested_amount", "")
            app = services.application_create(
                actor=user,
                rule_id=rule.id,
                event_date=event_date,
                facts=facts,
                requested_amount=_amount(str(requested)),
            )
            for upload in request.FILES.getlist("evidence"):
                services.evidence_add(application=app, actor=user, upload=upload)
            messages.success(request, _("申请草稿已保存"))
            return redirect("grants:detail", pk=app.pk)
        except DomainError as exc:
            if exc.code == "not_in_force":  # which document ended, and when (not "没有有效版本")
                gap = out_of_force(rule, event_date)
                date_errors.append(gap.message() if gap else _not_in_force_text(exc))
            elif "event_date" in exc.fields:
                date_errors.append(str(exc.fields["event_date"]))
            if not inputs.legacy and exc.code != FORM_INVALID:
                inputs.form.show_errors({k: v for k, v in exc.fields.items() if k in inputs.form.fields})
            if inputs.legacy or not (inputs.form.errors or date_errors):
                messages.error(request, str(exc.message))
    context.update(
        form=inputs.form,
        event_date=request.POST.get("event_date") or event_date.isoformat(),
        date_moved=moved and request.method != "POST",
        date_errors=date_errors,
        error_count=(inputs.form.error_count() if inputs.form.is_bound else 0) + len(date_errors),
        provided=[
            {"name": name, "label": labels.get(name, name), "value": _shown(value), "provenance": provenance}
            for name, (value, provenance) in provided.items()
        ],
        asks_amount=all(f.name != "requested" for f in rule.facts),
        validity=rule.validity(),
    )
    return render(request, "grants/apply.html", context)


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """htmx: the engine's outcome as the form is filled, with the platform's own records merged in."""
    user = acting_user(request)
    rule = _rule_from(request)
    if rule is None:
        return render(request, "grants/_preview.html", {"error": _("请先选择政策条目")})
    inputs = _ApplyInput(request, rule)
    try:
        event_date, facts = inputs.read()
        if user.role in APPLICANT_ROLES:
            for name, (value, _provenance) in flows.provided_facts(
                rule.id, _applicant(user), event_date
            ).items():
                facts[name] = value
        outcome = evaluate(rule.id, event_date, facts)
    except DomainError as exc:
        if exc.code == "not_in_force":  # which document ended, and when, in the reader's language
            gap = out_of_force(rule, event_date)
            return render(
                request, "grants/_preview.html", {"error": gap.message() if gap else _not_in_force_text(exc)}
            )
        details = "；".join(
            f"{fact_label(rule.id, k)}：{'；'.join(map(str, v)) if isinstance(v, list | tuple) else v}"
            for k, v in exc.fields.items()
        )
        return render(
            request,
            "grants/_preview.html",
            {"error": f"{exc.message}（{details}）" if details else exc.message},
        )
    return render(request, "grants/_preview.html", {"outcome": policy_views.outcome_view(rule, outcome)})


def _not_in_force_text(exc: DomainError) -> str:
    """The engine's "no version in force" in the reader's language (its `message` stays Chinese)."""
    text = getattr(exc, "text", None)
    return text() if callable(text) else str(exc.message)


def _fact_rows(app: Any) -> list[tuple[str, str]]:
    """The application's facts with the rule's Chinese labels and choice names."""
    rule = load_rules().get(app.rule_id)
    specs = {f.name: f for f in rule.facts} if rule else {}
    rows = []
    for name, value in (app.facts or {}).items():
        spec = specs.get(name)
        choices = {code: _(text) for code, text in spec.choices} if spec else {}
        if isinstance(value, list):
            shown = "、".join(str(choices.get(v, v)) for v in value) or _("无")
        else:
            shown = str(choices.get(value, _shown(value))) if isinstance(value, str) else _shown(value)
        rows.append((_(spec.label) if spec else fact_label(app.rule_id, name), shown))
    return rows


def _stored_outcome(app: Any) -> dict[str, Any]:
    """The outcome stored with the application, shown as the calculator shows one (labels, clause texts)."""
    rule = load_rules().get(app.rule_id)
    if rule is None or not isinstance(app.outcome, dict) or "basis" not in app.outcome:
        return app.outcome or {}
    return policy_views.outcome_view(rule, app.outcome)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    app = selectors.application_for(user, pk)
    return render(
        request,
        "grants/detail.html",
        {
            "app": app,
            "outcome": _stored_outcome(app),
            "fact_rows": _fact_rows(app),
            "source_rows": [(fact_label(app.rule_id, k), v) for k, v in (app.fact_sources or {}).items()],
            "source_label": flows.source_label(app.source_key),
            "same_from_records": list(selectors.same_claims_from_records(app)[:10]),
            "stage": services.current_stage(app),
            "overdue": selectors.is_overdue(app),
            "events": app.events.all(),
            "notice": getattr(app, "notice", None),
            "payment": getattr(app, "payment", None),
            "recoveries": app.recoveries.all(),  # type: ignore[attr-defined]
            "is_applicant": services._is_applicant(user, app),
            "panels": flows.detail_panels(request, user, app),
        },
    )


ACTIONS = {
    "submit": lambda app, user, p: services.application_submit(application=app, actor=user),
    "withdraw": lambda app, user, p: services.application_withdraw(
        application=app, actor=user, reason=p.get("reason", "")
    ),
    "pass": lambda app, user, p: services.application_review_pass(
        application=app, actor=user, amount=_amount(p.get("amount", "")), reason=p.get("reason", "")
    ),
    "return": lambda app, user, p: services.application_return(
        application=app, actor=user, reason=p.get("reason", "")
    ),
    "reject": lambda app, user, p: services.application_reject(
        application=app, actor=user, reason=p.get("reason", "")
    ),
    "notice": lambda app, user, p: services.notice_start(application=app, actor=user),
    "approve": lambda app, user, p: services.application_approve(
        application=app, actor=user, amount=_amount(p.get("amount", "")), reason=p.get("reason", "")
    ),
    "pay": lambda app, user, p: services.payment_make(
        application=app,
        actor=user,
        idempotency_key=p.get("idempotency_key", ""),
        treasury_reference=p.get("treasury_reference", ""),
    ),
}


def _yuan(amount: Any) -> str:
    return f"{amount:,.2f}" if amount is not None else ""


def _done_message(action: str, app: Any) -> str:
    """What was done, said plainly (never "操作成功")."""
    app.refresh_from_db()
    who, amount = app.applicant_name, _yuan(app.decided_amount)
    if action == "submit":
        return _("已提交 %(who)s 的申请，等待审核") % {"who": who}
    if action == "withdraw":
        return _("已撤回 %(who)s 的申请") % {"who": who}
    if action == "pass":
        return _("已审核通过 %(who)s 的申请") % {"who": who}
    if action == "return":
        return _("已将 %(who)s 的申请退回修改") % {"who": who}
    if action == "reject":
        return _("已对 %(who)s 的申请作出不予通过决定") % {"who": who}
    if action == "notice":
        notice = app.notice
        return _("已开始公示 %(who)s 的申请，公示期 %(s)s 至 %(e)s") % {
            "who": who,
            "s": notice.start,
            "e": notice.end,
        }
    if action == "approve":
        return _("已核准 %(who)s %(a)s 元，并从资金预算中预留") % {"who": who, "a": amount}
    if action == "pay":
        return _("已向 %(who)s 拨付 %(a)s 元（国库支付凭证号 %(r)s）") % {
            "who": who,
            "a": amount,
            "r": app.payment.treasury_reference,
        }
    return _("已办理")


def _pay_confirm(request: HttpRequest, app: Any, error: DomainError | None = None) -> HttpResponse:
    """Every payment is confirmed first: the recipient, the amount, the treasury reference to type."""
    return render(
        request,
        "grants/pay_confirm.html",
        {
            "app": app,
            "recipients": 1,
            "total": app.decided_amount,
            "total_display": _yuan(app.decided_amount),
            "error": error,
            "field_errors": error.fields if error else {},
            "reference": request.POST.get("treasury_reference", ""),
            "idempotency_key": request.POST.get("idempotency_key") or f"page-{app.pk}",
        },
        status=error.status if error else 200,
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    app = selectors.application_for(user, pk)
    if action not in ACTIONS:
        raise NotFound()
    if action == "pay" and request.POST.get("confirmed") != "1":
        return _pay_confirm(request, app)
    try:
        ACTIONS[action](app, user, request.POST)
        messages.success(request, _done_message(action, app))
    except DomainError as exc:
        if action == "pay" and "treasury_reference" in exc.fields:
            return _pay_confirm(request, app, exc)
        create_url = getattr(exc, "create_url", None)
        if create_url:
            messages.error(
                request, format_html('{} <a href="{}">{}</a>', exc.message, create_url, _("新建资金"))
            )
        else:
            messages.error(request, str(exc.message))
    return redirect("grants:detail", pk=pk)


@login_required
@require_POST
def bulk_pass(request: HttpRequest) -> HttpResponse:
    """Pass several fixed-amount items at once; each is its own transaction and reports its own result."""
    user = acting_user(request)
    done, failed = 0, []
    for pk in request.POST.getlist("ids"):
        try:
            app = selectors.application_for(user, pk)
            if app.outcome.get("basis") not in ("fixed", "matched"):
                raise DomainError("bulk_not_fixed", _("只有定额条目可以批量通过"))
            services.application_review_pass(application=app, actor=user)
            done += 1
        except DomainError as exc:
            failed.append(f"#{pk}: {exc.message}")
    messages.info(request, ngettext("批量通过 %(n)s 件", "批量通过 %(n)s 件", done) % {"n": done})
    for line in failed:
        messages.error(request, line)
    return redirect("grants:home")


@login_required
def bureau(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    open_objections = selectors.objections_in_state(Objection.State.OPEN)[:500]
    return render(
        request,
        "grants/bureau.html",
        {
            "funds": selectors.funds_report(),
            "objections": open_objections,
            "payments": selectors.payments_for(user)[:200],
        },
    )


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    found = Objection.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    try:
        services.objection_resolve(
            objection=found,
            actor=user,
            resolution=request.POST.get("resolution", ""),
            upheld=request.POST.get("upheld") == "1",
        )
        messages.success(request, _("异议已处理"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("grants:bureau")


@login_required
@require_POST
def objections_dismiss_spam(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    try:
        dismissed = services.objections_dismiss_as_spam(
            ids=ids, actor=user, reason=request.POST.get("reason", "")
        )
        messages.success(
            request,
            ngettext("已作为垃圾异议驳回 %(n)s 条", "已作为垃圾异议驳回 %(n)s 条", len(dismissed))
            % {"n": len(dismissed)},
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("grants:bureau")
