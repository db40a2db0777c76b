"""Every write of the grants workflow: one transaction, the application row locked, an audit row and a
timeline event each. Illegal transitions are refused with a DomainError naming the current state.

One module per part; everything is importable from here as before."""

from skillcity.core.access import can_write
from skillcity.grants.services import common
from skillcity.grants.services.applications import (
    _merge_facts,
    application_create,
    application_reject,
    application_return,
    application_review_pass,
    application_submit,
    application_update,
    application_withdraw,
    evidence_add,
)
from skillcity.grants.services.batches import (
    PAYMENT_BATCH_MAX,
    PaymentBatchRefused,
    payment_batch_ids,
    payment_batch_make,
    payment_batch_plan,
)
from skillcity.grants.services.common import (
    S,
    _event,
    _is_applicant,
    _lock,
    _refuse_state,
    _require_bureau,
    _require_reviewer,
    _today,
    current_stage,
)
from skillcity.grants.services.notices import (
    OBJECTION_BULK_MAX,
    _objection_close,
    notice_start,
    objection_lodge,
    objection_resolve,
    objections_dismiss_as_spam,
)
from skillcity.grants.services.payments import (
    FundMissing,
    _payment_make,
    _payment_replay,
    application_approve,
    application_cancel_approval,
    fund_create,
    fund_for,
    fund_from_policy,
    funds_covering,
    payment_make,
    rule_title,
    treasury_reference_clean,
)
from skillcity.grants.services.records import application_from_records, standing_for_source
from skillcity.grants.services.settlements import (
    rule_sources_on,
    settlement_claims,
    settlement_claims_approve,
    settlement_claims_pay,
)

__all__ = [
    "OBJECTION_BULK_MAX",
    "PAYMENT_BATCH_MAX",
    "FundMissing",
    "PaymentBatchRefused",
    "S",
    "_event",
    "_is_applicant",
    "_lock",
    "_merge_facts",
    "_objection_close",
    "_payment_make",
    "_payment_replay",
    "_refuse_state",
    "_require_bureau",
    "_require_reviewer",
    "_today",
    "application_approve",
    "application_cancel_approval",
    "application_create",
    "application_from_records",
    "application_reject",
    "application_return",
    "application_review_pass",
    "application_submit",
    "application_update",
    "application_withdraw",
    "can_write",
    "common",
    "current_stage",
    "evidence_add",
    "fund_create",
    "fund_for",
    "fund_from_policy",
    "funds_covering",
    "notice_start",
    "objection_lodge",
    "objection_resolve",
    "objections_dismiss_as_spam",
    "payment_batch_ids",
    "payment_batch_make",
    "payment_batch_plan",
    "payment_make",
    "rule_sources_on",
    "rule_title",
    "settlement_claims",
    "settlement_claims_approve",
    "settlement_claims_pay",
    "standing_for_source",
    "treasury_reference_clean",
]
