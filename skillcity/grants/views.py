"""Grants pages: applicant (apply, preview, submit, my applications), reviewer queue and decisions,
bureau (funds, notices, payments with .xlsx export), and the public notice list with objections."""

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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, client_address, require_role
from skillcity.core.bounds import parse_iso_date, parse_money
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.grants import flows, selectors, services
from skillcity.grants.models import ApplicationState, Objection, PublicNotice
from skillcity.policy import views as policy_views
from skillcity.policy.display import fact_label
from skillcity.policy.engine import Rule, evaluate, load_rules
from skillcity.policy.forms import FactForm, default_date
from skillcity.web.middleware import body_limited

APPLICANT_ROLES = ("organisation_user", "worker")


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
        },
    )


# The rules applied for here (catalog: EDU-*, CMP-*, PLT-*, CRT-ENT, TAL-*); the training rules are settled
# by the training app, and the lookups/checks that grant nothing are not applications.
GRANT_PREFIXES = ("EDU-", "CMP-", "PLT-", "CRT-", "TAL-")
NOT_APPLIED_FOR = {"EDU-EQUIV", "CMP-TITLE", "PLT-SUBBASE", "PLT-ALLIANCE", "PLT-EXPERTS", "TAL-HONOUR-SHARE"}


def grant_rule_groups() -> list[dict[str, Any]]:
    groups = []
    for group in policy_views.rule_groups():
        rules = [r for r in group["rules"] if r.id.startswith(GRANT_PREFIXES) and r.id not in NOT_APPLIED_FOR]
        if rules:
            groups.append({**group, "rules": rules})
    return groups


def _applicant(user: Any) -> Any:
    return user.organisation if user.role == "organisation_user" else user.worker


class _ApplyInput:
    """The rule, date and facts of an apply or preview request: a form built from the rule's facts
    (the page), or JSON facts (scripts and older clients)."""

    def __init__(self, request: HttpRequest, rule: Rule, provided: Iterable[str] = ()):
        self.rule = rule
        self.form = FactForm(rule, request.POST or None)
        # Facts the platform's records give are not asked for: the services merge them in.
        for name in provided:
            self.form.fields.pop(name, None)
            self.form.specs.pop(name, None)
        self.legacy = "facts" in request.POST

    def read(self) -> tuple[datetime.date, dict[str, Any]]:
        post = self.form.data
        raw_date = (post.get("event_date") or post.get("date") or "").strip()
        try:
            event_date = parse_iso_date(raw_date)
        except ValueError:
            raise DomainError(
                "bad_date", _("请填写事项发生日期（YYYY-MM-DD）"), {"event_date": _("日期格式不正确")}
            ) from None
        if self.legacy:
            return event_date, _facts(post.get("facts", ""))
        self.form.is_valid()
        facts = self.form.facts()
        if self.form.errors:
            raise DomainError("bad_facts", _("请检查填写的情况"), {k: v for k, v in self.form.errors.items()})
        return event_date, facts


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | tuple):
        return "、".join(map(str, value)) or _("无")
    return _("无") if value is None else str(value)


def _rule_from(request: HttpRequest) -> Rule | None:
    rule_id = (request.POST.get("rule_id") or request.GET.get("rule") or "").strip()
    return load_rules().get(rule_id)


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *APPLICANT_ROLES)
    rule = _rule_from(request)
    context: dict[str, Any] = {"groups": grant_rule_groups(), "rule": rule, "post": request.POST}
    if rule is None:
        return render(request, "grants/apply.html", context)
    today = timezone.localdate()
    suggested, moved = default_date(rule, today)
    event_date = suggested
    if request.method == "POST":
        with contextlib.suppress(ValueError):  # read() names the field
            event_date = parse_iso_date(request.POST.get("event_date", ""))
    provided = flows.provided_facts(rule.id, _applicant(user), event_date)
    inputs = _ApplyInput(request, rule, provided)
    labels = {f.name: f.label for f in rule.facts}
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
            if not inputs.legacy:
                for line in inputs.form.show_errors(
                    {k: v for k, v in exc.fields.items() if k in inputs.form.fields}
                ):
                    messages.error(request, line)
            messages.error(request, str(exc.message))
    context.update(
        form=inputs.form,
        event_date=request.POST.get("event_date") or event_date.isoformat(),
        date_moved=moved and request.method != "POST",
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
            "stage": services.current_stage(app),
            "overdue": selectors.is_overdue(app),
            "events": app.events.all(),
            "notice": getattr(app, "notice", None),
            "payment": getattr(app, "payment", None),
            "is_applicant": services._is_applicant(user, app),
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
        application=app, actor=user, idempotency_key=p.get("idempotency_key", "")
    ),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    app = selectors.application_for(user, pk)
    if action not in ACTIONS:
        raise NotFound()
    try:
        ACTIONS[action](app, user, request.POST)
        messages.success(request, _("操作成功"))
    except DomainError as exc:
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
    messages.info(request, _("批量通过 %(n)s 件") % {"n": done})
    for line in failed:
        messages.error(request, line)
    return redirect("grants:home")


def notices(request: HttpRequest) -> HttpResponse:
    """Public: the notices running now, with a form to lodge an objection."""
    return render(request, "grants/notices.html", {"notices": selectors.public_notices_current()})


@body_limited("OBJECTION_MAX_BODY_BYTES")
@require_POST
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    notice = PublicNotice.objects.filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    try:
        lodged = services.objection_lodge(
            notice=notice,
            actor=request.user,
            text=request.POST.get("text", ""),
            contact=request.POST.get("contact", ""),
            address=client_address(request),
        )
        messages.success(
            request, _("异议已提交，回执编号 %(r)s，查询处理结果时请提供此编号") % {"r": lodged.receipt}
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("grants:notices")


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
        messages.success(request, _("已作为垃圾异议驳回 %(n)s 条") % {"n": len(dismissed)})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("grants:bureau")


@login_required
def payments_xlsx(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    book = new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "拨付清单"
    sheet.append(
        ["拨付编号", "申请编号", "政策条目", "申请人", "镇街", "金额（元）", "幂等键", "经办人", "拨付时间"]
    )
    for p in selectors.payments_for(user):
        sheet.append(
            [
                p.pk,
                p.application_id,
                p.application.rule_id,
                p.application.applicant_name,
                p.application.town.name,
                p.amount,
                p.idempotency_key,
                p.paid_by.get_username(),
                p.paid_at.strftime("%Y-%m-%d %H:%M"),
            ]
        )
    response = HttpResponse(
        workbook_bytes(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="payments.xlsx"'
    return response
