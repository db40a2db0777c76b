"""Drafts of successor versions: drafted, submitted, approved (published) or returned, withdrawn."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import text_length_errors
from skillcity.core.errors import Conflict, DomainError
from skillcity.policy import params as P
from skillcity.policy import published
from skillcity.policy.lifecycle.services._common import (
    _bump_revision,
    _citable_documents,
    _lock,
    _proposed,
    _require_bureau,
    _require_editable,
)
from skillcity.policy.lifecycle.validation import Proposed, VersionInvalid, check_versions, value_from_text
from skillcity.policy.models import (
    DraftKind,
    DraftState,
    DraftVersion,
    PolicyDocument,
    PolicyDraft,
    PolicyRevision,
)
from skillcity.policy.pack import loader

# ---- drafts -----------------------------------------------------------------------------------------


@transaction.atomic
def draft_create(*, actor: Any, title: str, note: str = "", demo_assumption: bool = False) -> PolicyDraft:
    _require_bureau(actor)
    if not title.strip():
        raise DomainError("invalid_draft", _("请填写草稿名称"), {"title": _("请填写草稿名称")}, status=422)
    too_long = text_length_errors(PolicyDraft, {"title": title.strip()})
    if too_long:
        raise DomainError("invalid_draft", too_long["title"], too_long, status=422)
    draft = PolicyDraft.objects.create(
        title=title.strip(),
        note=note,
        created_by=actor,
        demo_assumption=demo_assumption,
        pack=loader.active_name(),
    )
    audit_record(actor=actor, action="policy.draft.create", target=draft, after=snapshot(draft))
    return draft


@transaction.atomic
def draft_version_add(
    *,
    draft: PolicyDraft,
    actor: Any,
    parameter: str,
    value: Any,
    effective_from: datetime.date,
    effective_to: datetime.date | None,
    document: str,
    clause: str,
    text: str,
) -> DraftVersion:
    """One more version in a draft; checked at once against what is in force and the draft's others.
    With no end date, the version ends with its document (as a YAML version without dates does)."""
    _require_bureau(actor)
    draft = _lock(draft)
    _require_editable(draft)
    ps = P.parameters()
    if parameter not in ps:
        raise VersionInvalid(
            "invalid_version",
            _("参数 %(p)s：不是已知参数") % {"p": parameter},
            {"parameter": _("不是已知参数")},
        )
    stored = value_from_text(parameter, ps[parameter].unit, value)
    too_long = text_length_errors(DraftVersion, {"clause": (clause or "").strip()})
    if too_long:
        raise VersionInvalid(
            "invalid_version",
            _("参数 %(p)s：%(problem)s") % {"p": parameter, "problem": too_long["clause"]},
            too_long,
        )
    docs = _citable_documents(draft)
    if effective_to is None and document in docs:
        effective_to = docs[document][1]
    new = Proposed(parameter, stored, effective_from, effective_to, document, clause or "", text or "")
    others = [_proposed(v) for v in draft.versions.select_related("document")]
    check_versions([*others, new], parameters=ps, documents=docs)
    version = DraftVersion.objects.create(
        draft=draft,
        parameter=parameter,
        value=stored,
        effective_from=effective_from,
        effective_to=effective_to,
        document=PolicyDocument.objects.get(key=document),
        clause=clause.strip(),
        text=text.strip(),
    )
    audit_record(actor=actor, action="policy.draft.version_add", target=draft, after=snapshot(version))
    return version


@transaction.atomic
def draft_version_remove(*, draft: PolicyDraft, actor: Any, version_id: int) -> None:
    _require_bureau(actor)
    draft = _lock(draft)
    _require_editable(draft)
    version = draft.versions.filter(pk=version_id).first()
    if version is None:
        raise DomainError("not_found", _("草稿中没有这个版本"), status=404)
    before = snapshot(version)
    version.delete()
    audit_record(actor=actor, action="policy.draft.version_remove", target=draft, before=before)


def _check_draft(draft: PolicyDraft) -> None:
    """The whole draft against what is in force now (another draft may have been published since)."""
    published.refresh(force=True)
    docs = _citable_documents(draft)
    if draft.kind == DraftKind.CONTINUATION and draft.continued_document is not None:
        docs[draft.continued_document.key] = (draft.continued_document.effective_from, draft.continued_to)
    versions = [_proposed(v) for v in draft.versions.select_related("document")]
    if not versions:
        raise DomainError("empty_draft", _("草稿“%(t)s”还没有任何参数版本") % {"t": draft.title}, status=422)
    check_versions(versions, parameters=P.parameters(), documents=docs)


@transaction.atomic
def draft_submit(*, draft: PolicyDraft, actor: Any) -> PolicyDraft:
    _require_bureau(actor)
    draft = _lock(draft)
    _require_editable(draft)
    _check_draft(draft)
    before = snapshot(draft, ["state"])
    draft.state = DraftState.SUBMITTED
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["state", "submitted_at"])
    audit_record(
        actor=actor,
        action="policy.draft.submit",
        target=draft,
        before=before,
        after=snapshot(draft, ["state"]),
    )
    return draft


def _require_checker(draft: PolicyDraft, actor: Any) -> None:
    if draft.state != DraftState.SUBMITTED:
        raise Conflict(
            "draft_not_submitted",
            _("草稿“%(t)s”状态为“%(s)s”，只有待复核的草稿可以复核")
            % {"t": draft.title, "s": draft.get_state_display()},
        )
    if draft.created_by_id == actor.pk:
        raise DomainError(
            "own_draft",
            _("不能复核自己起草的草稿：须由另一位市人社局工作人员复核（双人复核）"),
            status=403,
        )


@transaction.atomic
def draft_approve(*, draft: PolicyDraft, actor: Any, note: str = "") -> PolicyDraft:
    """Publish: from each version's effective date the engine, the calculator, grants and settlement use it."""
    _require_bureau(actor)
    # Publications one at a time: each checks against everything published before it.
    PolicyRevision.objects.get_or_create(pk=1)
    PolicyRevision.objects.select_for_update().get(pk=1)
    draft = _lock(draft)
    _require_checker(draft, actor)
    _check_draft(draft)
    before = snapshot(draft, ["state"])
    new_documents = list(draft.new_documents.all())
    for doc in new_documents:
        doc.published = True
        doc.save(update_fields=["published"])
    if draft.kind == DraftKind.CONTINUATION and draft.continued_document is not None:
        continued = PolicyDocument.objects.select_for_update().get(pk=draft.continued_document.pk)
        continued.extended_to = draft.continued_to
        continued.save(update_fields=["extended_to"])
    draft.state = DraftState.APPROVED
    draft.decided_by = actor
    draft.decided_at = timezone.now()
    draft.decision_note = note[:500]
    draft.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    revision = _bump_revision()
    audit_record(
        actor=actor,
        action="policy.draft.approve",
        target=draft,
        before=before,
        after={
            **snapshot(draft, ["state", "decision_note"]),
            "revision": revision,
            "versions": [
                snapshot(v, ["parameter", "value", "effective_from", "effective_to", "clause"])
                for v in draft.versions.all()
            ],
            "documents": [d.key for d in new_documents],
        },
    )
    return draft


@transaction.atomic
def draft_return(*, draft: PolicyDraft, actor: Any, note: str) -> PolicyDraft:
    _require_bureau(actor)
    draft = _lock(draft)
    _require_checker(draft, actor)
    if not note.strip():
        raise DomainError("invalid_return", _("请填写退回原因"), {"note": _("请填写退回原因")}, status=422)
    before = snapshot(draft, ["state"])
    draft.state = DraftState.RETURNED
    draft.decided_by = actor
    draft.decided_at = timezone.now()
    draft.decision_note = note.strip()[:500]
    draft.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="policy.draft.return",
        target=draft,
        before=before,
        after=snapshot(draft, ["state", "decision_note"]),
    )
    return draft


def first_effective_day(draft: PolicyDraft) -> datetime.date | None:
    return min((v.effective_from for v in draft.versions.all()), default=None)


@transaction.atomic
def draft_withdraw(*, draft: PolicyDraft, actor: Any, today: datetime.date | None = None) -> PolicyDraft:
    """Withdraw a draft; a published one only before the first of its versions takes effect (after
    that, events may already have been decided under it: a correction is a new version)."""
    _require_bureau(actor)
    today = today or timezone.localdate()
    draft = _lock(draft)
    if draft.state == DraftState.WITHDRAWN:
        raise Conflict("draft_withdrawn", _("草稿“%(t)s”已撤回") % {"t": draft.title})
    was_published = draft.state == DraftState.APPROVED
    if was_published:
        start = first_effective_day(draft)
        if start is not None and start <= today:
            raise Conflict(
                "version_in_effect",
                _("已发布的版本自 %(d)s 起生效，生效后不能撤回；如需更正，请起草新版本")
                % {"d": start.isoformat()},
            )
    before = snapshot(draft, ["state"])
    draft.state = DraftState.WITHDRAWN
    draft.save(update_fields=["state"])
    for doc in draft.new_documents.all():
        doc.published = False
        doc.save(update_fields=["published"])
        PolicyDocument.objects.filter(superseded_by=doc).update(superseded_by=None)
    if draft.kind == DraftKind.CONTINUATION and was_published and draft.continued_document is not None:
        PolicyDocument.objects.filter(pk=draft.continued_document.pk, extended_to=draft.continued_to).update(
            extended_to=None
        )
    after: dict[str, Any] = snapshot(draft, ["state"])
    if was_published:
        after["revision"] = _bump_revision()
    audit_record(actor=actor, action="policy.draft.withdraw", target=draft, before=before, after=after)
    return draft
