"""Every write of the policy lifecycle: one function per action, one transaction, one audit row.

The page, the API (`/api/v1/policy/drafts`) and the CLI (`skillcity policy draft …`) call these and
nothing else. Maker–checker: the officer who drafted a draft cannot approve it; a second bureau
officer approves (publishes) or returns it. Published versions are never edited: a correction is a
new draft; a version can be withdrawn only before its effective date.

`documents` registers new documents and drafts continuations (延续执行); `drafts` drafts versions,
submits, approves, returns and withdraws.
"""

from skillcity.policy.lifecycle.services.documents import document_register, draft_continuation_create
from skillcity.policy.lifecycle.services.drafts import (
    draft_approve,
    draft_create,
    draft_return,
    draft_submit,
    draft_version_add,
    draft_version_remove,
    draft_withdraw,
    first_effective_day,
)

__all__ = [
    "document_register",
    "draft_approve",
    "draft_continuation_create",
    "draft_create",
    "draft_return",
    "draft_submit",
    "draft_version_add",
    "draft_version_remove",
    "draft_withdraw",
    "first_effective_day",
]
