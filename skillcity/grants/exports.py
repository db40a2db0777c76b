"""The bureau's payment list (拨付清单) as .xlsx: at once when small, in the background past
EXPORT_BACKGROUND_ROWS rows (skillcity.core.exports) — every grant and every settlement claim of a
city is paid here, tens of thousands of rows a year."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from skillcity.core.access import acting_user, require_role
from skillcity.core.exports import ExportKind, export_or_background, register_export, xlsx_response
from skillcity.core.models import Export
from skillcity.core.spreadsheets import table_workbook
from skillcity.grants import selectors
from skillcity.grants.services import rule_title

PAYMENTS_HEADER = [
    "拨付编号",
    "申请编号",
    "政策条目",
    "政策条目编号",
    "申请人",
    "镇街",
    "金额（元）",
    "国库支付凭证号",
    "幂等键",
    "经办人",
    "拨付时间",
]


def payments_queryset(user: Any) -> Any:
    return selectors.payments_for(user).select_related("application__organisation", "application__worker")


def payment_rows(payments: Any) -> Iterator[list[Any]]:
    titles: dict[str, str] = {}
    for p in payments.iterator(chunk_size=2000):
        rule = p.application.rule_id
        if rule not in titles:
            titles[rule] = rule_title(rule)
        yield [
            p.pk,
            p.application_id,
            titles[rule],
            rule,
            p.application.applicant_name,
            p.application.town.name,
            p.amount,
            p.treasury_reference,
            p.idempotency_key,
            p.paid_by.get_username(),
            p.paid_at.strftime("%Y-%m-%d %H:%M"),
        ]


def _rows(export: Export) -> tuple[Any, Any]:
    return payments_queryset(export.owner), payment_rows


PAYMENTS = register_export(
    ExportKind(
        name="grant_payments",
        label=_("拨付清单"),
        sheet_title="拨付清单",
        header=PAYMENTS_HEADER,
        rows=_rows,
        list_url=lambda e: reverse("grants:bureau"),
    )
)


@login_required
def payments_xlsx(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    payments = payments_queryset(user)
    return export_or_background(
        request,
        kind=PAYMENTS.name,
        rows=payments.count(),
        immediate=lambda: xlsx_response(
            table_workbook("拨付清单", PAYMENTS_HEADER, payment_rows(payments)), "payments.xlsx"
        ),
    )
