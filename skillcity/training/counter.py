"""The provider's voucher counter (核销柜台): scan or type a voucher's code, see whose voucher was
redeemed, for how much and for which class; today's redemptions, the history, and the undo."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.errors import DomainError
from skillcity.core.masking import mask_id_number
from skillcity.training import selectors, services
from skillcity.training.codes import voucher_code_display, voucher_code_is_valid, voucher_code_normalise
from skillcity.training.models import Redemption, VoucherState
from skillcity.web.templatetags.labels import yuan


def mask_name(name: str) -> str:
    """林学员 → 林**: the counter sees enough to ask "is this you?", not the whole name."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _can_undo(redemption: Redemption, now: datetime.datetime) -> bool:
    return (
        not hasattr(redemption, "reversal")
        and redemption.voucher.state == VoucherState.REDEEMED
        and redemption.voucher.reversal_count == redemption.round
        and now - redemption.redeemed_at <= services.redemption_undo_window()
    )


def _row(redemption: Redemption, now: datetime.datetime) -> dict[str, Any]:
    worker = redemption.voucher.worker
    reversal = getattr(redemption, "reversal", None)
    return {
        "pk": redemption.pk,
        "code": voucher_code_display(redemption.voucher.code),
        "holder": mask_name(worker.name),
        "holder_id": mask_id_number(worker.id_number),
        "amount": redemption.amount,
        "batch": redemption.voucher.batch.name,
        "training_class": redemption.enrolment.training_class.name if redemption.enrolment else "",
        "redeemed_at": redemption.redeemed_at,
        "reversal": reversal,
        "can_undo": _can_undo(redemption, now),
    }


@login_required
def counter(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "organisation_user")
    return _counter_page(request, user)


def _counter_page(
    request: HttpRequest,
    user: Any,
    *,
    code: str | None = None,
    redeem_errors: dict[str, str] | None = None,
    undo_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The counter page; after a refused redemption or undo, with the error next to its field (400)."""
    now = timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    mine = selectors.redemptions_for(user)
    done = None
    done_pk = request.GET.get("done", "")
    if done_pk.isdigit() and len(done_pk) < 19:
        found = mine.filter(pk=int(done_pk)).first()
        done = _row(found, now) if found else None
    history = Paginator(mine.filter(redeemed_at__lt=today_start), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    classes = selectors.projects_for(user).filter(provider_id=user.organisation_id)
    today = [_row(r, now) for r in mine.filter(redeemed_at__gte=today_start)[:200]]
    history_rows = [_row(r, now) for r in history]
    with_form = {row["pk"] for row in (*today, *history_rows) if row["can_undo"]}
    for pk, error in (undo_errors or {}).items():
        if pk not in with_form:  # no undo form left to put it beside (the window has passed …)
            messages.error(request, error)
    return render(
        request,
        "training/counter.html",
        {
            "done": done,
            "today": today,
            "history": history,
            "history_rows": history_rows,
            "idempotency_key": uuid.uuid4().hex,
            "undo_minutes": settings.REDEMPTION_UNDO_MINUTES,
            "classes": [
                c
                for p in classes.prefetch_related("classes")[:50]
                for c in p.classes.all()  # type: ignore[attr-defined]
                if c.end_date >= timezone.localdate()
            ],
            "code": request.GET.get("code", "") if code is None else code,
            "redeem_errors": redeem_errors or {},
            "undo_errors": undo_errors or {},
        },
        status=status,
    )


@login_required
@require_POST
def counter_redeem(request: HttpRequest) -> HttpResponse:
    """Redeem the typed or scanned code; the result is shown on the counter page (?done=)."""
    user = acting_user(request)
    require_role(user, "organisation_user")
    provider = user.organisation
    code = voucher_code_normalise(request.POST.get("code", ""))
    try:
        enrolment = None
        class_pk = request.POST.get("training_class", "")
        if class_pk.isdigit() and len(class_pk) < 19 and voucher_code_is_valid(code):
            enrolment = (
                selectors.enrolments_for(user)
                .filter(training_class_id=int(class_pk), worker__vouchers__code=code)
                .first()
            )
            if enrolment is None:
                raise DomainError(
                    "not_in_class", _("持券人未报名所选培训班"), {"training_class": _("未报名")}
                )
        elif voucher_code_is_valid(code):
            enrolment = selectors.enrolment_for_redemption(provider_id=provider.pk, code=code)  # type: ignore[union-attr]
        redemption = services.voucher_redeem(
            code=code,
            provider=provider,  # type: ignore[arg-type]
            idempotency_key=request.POST.get("idempotency_key", "") or uuid.uuid4().hex,
            actor=user,
            enrolment=enrolment,
        )
    except DomainError as error:
        # Next to its field: the class when the holder is not in it, else the code (unknown, already
        # redeemed, expired, not this provider's …). The page keeps what was typed.
        field = "training_class" if "training_class" in (error.fields or {}) else "code"
        return _counter_page(
            request,
            user,
            code=request.POST.get("code", "")[:64],
            redeem_errors={field: str(error.message)},
            status=400,
        )
    messages.success(
        request,
        _("培训券核销成功：%(holder)s，面值 %(amount)s 元")
        % {"holder": mask_name(redemption.voucher.worker.name), "amount": yuan(redemption.amount)},
    )
    return redirect(f"{reverse('training:counter')}?done={redemption.pk}")


@login_required
@require_POST
def counter_undo(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "organisation_user")
    redemption = get_for(user, selectors.redemptions_for(user), pk)
    try:
        services.redemption_reverse(redemption=redemption, reason=request.POST.get("reason", ""), actor=user)
        messages.success(
            request,
            _("已撤回核销：券码 %(code)s 恢复为可用")
            % {"code": voucher_code_display(redemption.voucher.code)},
        )
    except DomainError as error:
        return _counter_page(request, user, undo_errors={redemption.pk: str(error.message)}, status=400)
    return redirect("training:counter")
