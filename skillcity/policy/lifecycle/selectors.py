"""Reads of the policy lifecycle, for the page, the API and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from skillcity.policy.models import DraftState, PolicyDraft
from skillcity.policy.pack import loader


def drafts(*, state: str | None = None) -> QuerySet[PolicyDraft]:
    qs = PolicyDraft.objects.select_related(
        "created_by", "decided_by", "continued_document"
    ).prefetch_related("versions__document", "new_documents")
    qs = qs.filter(pack=loader.active_name())  # another pack's drafts are not this pack's to list
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-id")


def draft_as_dict(draft: PolicyDraft) -> dict[str, Any]:
    draft = drafts().get(pk=draft.pk)
    return {
        "id": draft.pk,
        "title": draft.title,
        "kind": draft.kind,
        "kind_label": str(draft.get_kind_display()),
        "state": draft.state,
        "state_label": str(draft.get_state_display()),
        "demo_assumption": draft.demo_assumption,
        "note": draft.note,
        "created_by": draft.created_by.get_username(),
        "decided_by": draft.decided_by.get_username() if draft.decided_by else None,
        "decision_note": draft.decision_note,
        "continued_document": draft.continued_document.key if draft.continued_document else None,
        "continued_to": draft.continued_to.isoformat() if draft.continued_to else None,
        "documents": [
            {
                "key": d.key,
                "title": d.title,
                "number": d.number,
                "issuer": d.issuer,
                "issued": d.issued.isoformat() if d.issued else None,
                "effective_from": d.effective_from.isoformat(),
                "effective_to": d.effective_to.isoformat() if d.effective_to else None,
                "published": d.published,
            }
            for d in draft.new_documents.all()
        ],
        "versions": [
            {
                "id": v.pk,
                "parameter": v.parameter,
                "value": v.value,
                "effective_from": v.effective_from.isoformat(),
                "effective_to": v.effective_to.isoformat() if v.effective_to else None,
                "document": v.document.key,
                "clause": v.clause,
                "text": v.text,
            }
            for v in draft.versions.all()
        ],
    }


def open_states() -> tuple[str, ...]:
    return (DraftState.DRAFT, DraftState.SUBMITTED, DraftState.RETURNED)
