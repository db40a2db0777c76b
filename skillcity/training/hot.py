"""The voucher redemption at the counter as a hot route (skillcity.core.hotpath).

POST /api/v1/training/vouchers/redeem with a bearer token and no enrolment: the request a
provider's counter sends for every trainee. It is answered from the same parts as the API route
(skillcity.training.api.redeem): the token's principal, `RedeemIn`, `voucher_redeem_receipt` in its
transaction, `RedemptionOut`. Anything else — a browser session, another role, an enrolment to
check, any refusal — is passed on to that route.
"""

from __future__ import annotations

from typing import Any

from skillcity.accounts.models import Role
from skillcity.accounts.services import principal_for_token
from skillcity.core.hotpath import HotRequest
from skillcity.training import services
from skillcity.training.api import RedeemIn, RedemptionOut

REDEEM_ROUTE = ("POST", "/api/v1/training/vouchers/redeem")


def redeem(request: HotRequest) -> Any:
    token = request.bearer_token()
    principal = principal_for_token(token) if token else None
    if principal is None or principal.role != Role.ORGANISATION_USER or principal.organisation_id is None:
        return None
    body = RedeemIn.model_validate_json(request.body)
    if body.enrolment_id is not None:
        return None  # whether the enrolment may be seen and fits is the API route's to judge
    receipt = services.voucher_redeem_receipt(
        code=body.code,
        idempotency_key=body.idempotency_key,
        redeemer=services.Redeemer(
            principal.organisation_id,
            principal.organisation_name or "",
            principal.user_id,
            principal.username,
        ),
    )
    return RedemptionOut.model_validate(receipt)
