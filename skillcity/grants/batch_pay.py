"""Bulk payment from the grant list (批量拨付): choose approved applications, see what will happen,
type the treasury reference, confirm. The batch is paid whole or not at all (services/batches.py)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError
from skillcity.grants import services
from skillcity.web.templatetags.labels import yuan


def payees_phrase(units: int, persons: int) -> str:
    """ "3 家单位", "2 家单位、1 位个人", "1 位个人" (with the English plurals)."""
    parts = []
    if units:
        parts.append(ngettext("%(n)s 家单位", "%(n)s 家单位", units) % {"n": units})
    if persons:
        parts.append(ngettext("%(n)s 位个人", "%(n)s 位个人", persons) % {"n": persons})
    if len(parts) == 2:
        return _("%(a)s、%(b)s") % {"a": parts[0], "b": parts[1]}
    return parts[0] if parts else ""


def batch_done_message(answer: dict[str, Any]) -> str:
    """What was done: "已向 3 家单位拨付 128,000.00 元（共 3 笔，国库支付凭证号 …）"."""
    count = int(answer["count"])
    return ngettext(
        "已向 %(who)s拨付 %(t)s 元（共 %(n)s 笔，国库支付凭证号 %(r)s）",
        "已向 %(who)s拨付 %(t)s 元（共 %(n)s 笔，国库支付凭证号 %(r)s）",
        count,
    ) % {
        "who": payees_phrase(int(answer["units"]), int(answer["persons"])),
        "t": yuan(Decimal(answer["total"])),
        "n": count,
        "r": answer["treasury_reference"],
    }


def _confirm(
    request: HttpRequest, user: Any, ids: list[int], key: str, error: DomainError | None = None
) -> HttpResponse:
    plan = services.payment_batch_plan(ids=ids, actor=user)
    refused = getattr(error, "refusals", None) or plan.refused
    return render(
        request,
        "grants/pay_batch_confirm.html",
        {
            "plan": plan,
            "refused": refused,
            "ids": ids,
            "payees": payees_phrase(plan.units, plan.persons),
            "idempotency_key": key,
            "reference": request.POST.get("treasury_reference", ""),
            "error": error,
            "field_errors": error.fields if error else {},
        },
        status=error.status if error else 200,
    )


@login_required
@require_POST
def pay_batch(request: HttpRequest) -> HttpResponse:
    """Without `confirmed`: the confirmation (count, payees, total, by fund, refused rows with their
    reason, the treasury reference to type). With it: pay the batch, all or nothing, once per key."""
    user = acting_user(request)
    require_role(user, "bureau_officer")
    try:
        ids = services.payment_batch_ids(request.POST.getlist("ids"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("grants:home")
    # One key per confirmation page: a double click or a resubmit after going back sends the same one.
    key = (request.POST.get("idempotency_key") or "").strip() or f"batch-{uuid.uuid4().hex}"
    if request.POST.get("confirmed") != "1":
        return _confirm(request, user, ids, key)
    try:
        answer = services.payment_batch_make(
            ids=ids,
            actor=user,
            idempotency_key=key,
            treasury_reference=request.POST.get("treasury_reference", ""),
        )
    except DomainError as exc:
        return _confirm(request, user, ids, key, exc)
    messages.success(request, batch_done_message(answer))
    return redirect("grants:home")
