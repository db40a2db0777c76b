"""What the lifecycle services share: who may act, locks, what a version may cite, the revision."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from skillcity.core.errors import Conflict, PermissionDenied
from skillcity.policy import published
from skillcity.policy.lifecycle.documents import document_records
from skillcity.policy.lifecycle.validation import Proposed
from skillcity.policy.models import (
    DraftVersion,
    PolicyDraft,
    PolicyRevision,
)
from skillcity.policy.pack import loader


def _require_bureau(actor: Any) -> None:
    if getattr(actor, "role", None) != "bureau_officer":
        raise PermissionDenied(_("只有市人社局工作人员可以起草、复核和发布政策版本"))


def _require_editable(draft: PolicyDraft) -> None:
    if not draft.editable:
        raise Conflict(
            "draft_not_editable",
            _("草稿“%(t)s”状态为“%(s)s”，不能修改；已发布的版本不能修改，更正请起草新版本")
            % {"t": draft.title, "s": draft.get_state_display()},
        )


def _lock(draft: PolicyDraft) -> PolicyDraft:
    locked = PolicyDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.pack != loader.active_name():
        # Its versions are checked against, and laid over, the pack it was drafted under only.
        raise Conflict(
            "draft_other_pack",
            _("草稿“%(t)s”属于政策包 %(p)s，当前政策包是 %(a)s，不能在此修改、提交或复核")
            % {"t": locked.title, "p": locked.pack, "a": loader.active_name()},
        )
    return locked


def _citable_documents(
    draft: PolicyDraft | None = None,
) -> dict[str, tuple[datetime.date, datetime.date | None]]:
    """Every document a version may cite: the published ones, and the draft's own new documents."""
    docs = {}
    for d in document_records():
        if d.published or (draft is not None and d.draft_id == draft.pk):
            docs[d.key] = (d.effective_from, d.valid_to)
    return docs


def _proposed(v: DraftVersion) -> Proposed:
    return Proposed(v.parameter, v.value, v.effective_from, v.effective_to, v.document.key, v.clause, v.text)


def _bump_revision() -> int:
    """Raise the revision counter in this transaction, so every process reloads the overlay."""
    PolicyRevision.objects.get_or_create(pk=1)
    PolicyRevision.objects.filter(pk=1).update(number=F("number") + 1)
    number = PolicyRevision.objects.get(pk=1).number
    # This process: forget the overlay now (the lookups later in this transaction see the new rows)
    # and again after commit (a rollback must not leave them in the cache).
    published.reset()
    transaction.on_commit(published.reset)
    return number


def _stored(unit: str, value: Any) -> Any:
    """A version's value as the JSON a DraftVersion stores."""
    if unit in ("yuan", "ratio"):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value
