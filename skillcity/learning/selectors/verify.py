"""Public verification of a certificate of completion (结业证明查验): by its number and the learner's
name (both must match: a number alone does not say whose it is), or by the QR printed on it, which is
certification's Ed25519 token (skillcity.certification.signing) with the marker `"t": "completion"`, so
it is never read as a skill certificate's or a title's. What is shown: the course, its provider, the
hours, the date, the learner's name and masked ID number — what the certificate itself shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from skillcity.certification import signing
from skillcity.core.errors import DomainError
from skillcity.core.masking import mask_id_number
from skillcity.learning.models import Completion

QR_TYPE = "completion"


@dataclass(frozen=True)
class CompletionVerification:
    status: str  # valid | not_found | tampered
    message: str = ""
    completion: Completion | None = None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.completion.worker.id_number) if self.completion else ""


def qr_payload(completion: Completion) -> dict[str, Any]:
    """What the certificate's QR says (short: a dense code is hard to scan from a phone)."""
    return {
        "t": QR_TYPE,
        "n": completion.number,
        "nm": completion.worker.name,
        "c": completion.course.code,
        "d": completion.completed_on.isoformat(),
    }


def _completions() -> Any:
    return Completion.objects.select_related("worker", "course", "course__provider")


def verify_completion_by_number(*, number: str, name: str) -> CompletionVerification:
    number, name = number.strip().upper(), name.strip()
    errors = {}
    if not number:
        errors["number"] = _("请输入结业证明编号")
    if not name:
        errors["name"] = _("请输入姓名")
    if errors:
        raise DomainError("invalid", _("请输入结业证明编号和姓名"), errors)
    completion = _completions().filter(number=number, worker__name=name).first()
    if completion is None:
        return CompletionVerification("not_found", _("未查询到该结业证明，请核对编号和姓名"))
    return CompletionVerification("valid", completion=completion)


def verify_completion_qr(token: str) -> CompletionVerification:
    check = signing.verify_token(token)
    if not check.valid or check.payload is None:
        return CompletionVerification("tampered", _("二维码签名无效，可能被篡改"))
    if check.payload_type != QR_TYPE:
        return CompletionVerification("not_found", _("这不是在线学习结业证明的二维码"))
    completion = _completions().filter(number=str(check.payload.get("n", ""))).first()
    if completion is None:
        return CompletionVerification("not_found", _("二维码签名有效，但平台中没有该结业证明"))
    if completion.worker.name != check.payload.get("nm"):
        return CompletionVerification("tampered", _("二维码签名无效，可能被篡改"))
    return CompletionVerification("valid", completion=completion)
