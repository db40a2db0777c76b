"""Every write of the training app: one function per action, one transaction, one audit row.

One module per part; everything is importable from here as before."""

from skillcity.training.services.projects import (
    attendance_sign_in,
    class_create,
    enrolment_complete,
    enrolment_create,
    project_create,
)
from skillcity.training.services.settlement import (
    _settlement_chunk_write,
    _settlement_finish,
    period_label,
    settlement_approve,
    settlement_pay,
    settlement_run,
    settlement_start,
)
from skillcity.training.services.shortage import (
    _shortage_catalog_replace,
    shortage_catalog_import,
)
from skillcity.training.services.vouchers import (
    Redeemer,
    RedemptionReceipt,
    _key_reused,
    _redeem_check_enrolment,
    _redeem_refused,
    _voucher_code_checked,
    redemption_reverse,
    redemption_undo_window,
    voucher_batch_issue,
    voucher_redeem,
    voucher_redeem_receipt,
    voucher_revoke,
    vouchers_expire,
)

__all__ = [
    "Redeemer",
    "RedemptionReceipt",
    "_key_reused",
    "_redeem_check_enrolment",
    "_redeem_refused",
    "_settlement_chunk_write",
    "_settlement_finish",
    "_shortage_catalog_replace",
    "_voucher_code_checked",
    "attendance_sign_in",
    "class_create",
    "enrolment_complete",
    "enrolment_create",
    "period_label",
    "project_create",
    "redemption_reverse",
    "redemption_undo_window",
    "settlement_approve",
    "settlement_pay",
    "settlement_run",
    "settlement_start",
    "shortage_catalog_import",
    "voucher_batch_issue",
    "voucher_redeem",
    "voucher_redeem_receipt",
    "voucher_revoke",
    "vouchers_expire",
]
