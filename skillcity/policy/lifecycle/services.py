"""Every write of the policy lifecycle: one function per action, one transaction, one audit row.

The page, the API (`/api/v1/policy/drafts`) and the CLI (`skillcity policy draft …`) call these and
nothing else. Maker–checker: the officer who drafted a draft cannot approve it; a second bureau
officer approves (publishes) or returns it. Published versions are never edited: a correction is a
new draft; a version can be withdrawn only before its effective date.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import text_length_errors
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.policy import params as P
from skillcity.policy import published
from skillcity.policy.lifecycle.documents import document_records
from skillcity.policy.lifecycle.validation import Proposed, VersionInvalid, check_versions, value_from_text
from skillcity.policy.models import (
    DocumentOrigin,
    DraftKind,
    DraftState,
    DraftVersion,
    PolicyDocument,
    PolicyDraft,
    PolicyRevision,
)


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
    return PolicyDraft.objects.select_for_update().get(pk=draft.pk)


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


# ---- documents --------------------------------------------------------------------------------------


@transaction.atomic
def document_register(
    *,
    draft: PolicyDraft,
    actor: Any,
    key: str,
    title: str,
    issuer: str,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    number: str = "",
    issued: datetime.date | None = None,
    supersedes: str = "",
) -> PolicyDocument:
    """A new source document, registered within a draft: a draft itself until the draft is approved."""
    _require_bureau(actor)
    draft = _lock(draft)
    _require_editable(draft)
    key = key.strip()
    errors: dict[str, str] = {}
    if not key:
        errors["key"] = _("请填写文件编号（如 D005）")
    elif PolicyDocument.objects.filter(key=key).exists():
        errors["key"] = _("文件编号 %(k)s 已存在") % {"k": key}
    if not title.strip():
        errors["title"] = _("请填写文件标题")
    if effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = _("有效期至早于施行日期")
    errors.update(
        text_length_errors(PolicyDocument, {"key": key, "title": title, "issuer": issuer, "number": number})
    )
    old = None
    if supersedes:
        old = PolicyDocument.objects.filter(key=supersedes, published=True).first()
        if old is None:
            errors["supersedes"] = _("被替代的文件 %(k)s 不存在") % {"k": supersedes}
    if errors:
        raise DomainError("invalid_document", next(iter(errors.values())), errors, status=422)
    doc = PolicyDocument.objects.create(
        key=key,
        title=title.strip(),
        issuer=issuer.strip(),
        number=number.strip(),
        issued=issued,
        effective_from=effective_from,
        effective_to=effective_to,
        origin=DocumentOrigin.BUREAU,
        published=False,
        draft=draft,
        assumption=_("演示假设：此文件为演示数据，并非真实政策") if draft.demo_assumption else "",
    )
    if old is not None:
        # Recorded now, in force when the draft is approved (status_on only counts a published successor).
        old.superseded_by = doc
        old.save(update_fields=["superseded_by"])
    audit_record(actor=actor, action="policy.document.register", target=doc, after=snapshot(doc))
    return doc


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
        title=title.strip(), note=note, created_by=actor, demo_assumption=demo_assumption
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


@transaction.atomic
def draft_continuation_create(
    *,
    actor: Any,
    document: str,
    until: datetime.date,
    citation_document: str,
    clause: str,
    text: str,
    title: str = "",
    demo_assumption: bool = False,
) -> PolicyDraft:
    """A continuation notice (延续执行) as a draft of its own: every version that ends with `document`'s
    validity goes on, same value, from the next day to `until`, citing the notice (`citation_document`,
    which may be `document` itself or a notice registered before)."""
    _require_bureau(actor)
    doc = PolicyDocument.objects.filter(key=document, published=True).first()
    if doc is None:
        raise DomainError(
            "invalid_continuation",
            _("文件 %(k)s 不存在") % {"k": document},
            {"document": _("不是已发布的文件")},
            status=422,
        )
    if doc.valid_to is None:
        raise DomainError(
            "invalid_continuation",
            _("文件 %(k)s 长期有效，无需延续执行") % {"k": document},
            {"document": _("长期有效")},
            status=422,
        )
    if until <= doc.valid_to:
        raise DomainError(
            "invalid_continuation",
            _("延续执行至 %(u)s 不晚于文件现有的有效期（%(t)s）") % {"u": until, "t": doc.valid_to},
            {"until": _("应晚于 %(t)s") % {"t": doc.valid_to}},
            status=422,
        )
    draft = PolicyDraft.objects.create(
        kind=DraftKind.CONTINUATION,
        title=(title.strip() or _("%(k)s 延续执行至 %(u)s") % {"k": document, "u": until})[:200],
        created_by=actor,
        continued_document=doc,
        continued_to=until,
        demo_assumption=demo_assumption,
    )
    start = doc.valid_to + datetime.timedelta(days=1)
    ps = P.parameters()
    proposed = [
        Proposed(name, _stored(p.unit, last.value), start, until, citation_document, clause or "", text or "")
        for name, p in sorted(ps.items())
        if (last := p.versions[-1]).document == document and last.effective_to == doc.valid_to
    ]
    if not proposed:
        raise DomainError(
            "invalid_continuation",
            _("没有以文件 %(k)s 为依据、到 %(t)s 截止的参数版本") % {"k": document, "t": doc.valid_to},
            {"document": _("没有可延续的参数")},
            status=422,
        )
    docs = _citable_documents(draft)
    # The notice extends the document's validity, so the continued versions may run to `until`.
    docs[document] = (doc.effective_from, until)
    check_versions(proposed, parameters=ps, documents=docs)
    citation = PolicyDocument.objects.get(key=citation_document)
    for v in proposed:
        DraftVersion.objects.create(
            draft=draft,
            parameter=v.parameter,
            value=v.value,
            effective_from=v.effective_from,
            effective_to=v.effective_to,
            document=citation,
            clause=v.clause.strip(),
            text=v.text.strip(),
        )
    audit_record(
        actor=actor,
        action="policy.draft.continuation_create",
        target=draft,
        after={**snapshot(draft), "parameters": [v.parameter for v in proposed]},
    )
    return draft


def _stored(unit: str, value: Any) -> Any:
    """A version's value as the JSON a DraftVersion stores."""
    if unit in ("yuan", "ratio"):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


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
