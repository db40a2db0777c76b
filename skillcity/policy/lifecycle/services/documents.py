"""New documents registered within a draft, and continuations (延续执行) drafted as drafts of their own."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import text_length_errors
from skillcity.core.errors import DomainError
from skillcity.policy import params as P
from skillcity.policy.lifecycle.documents import active_pack_documents
from skillcity.policy.lifecycle.services._common import (
    _citable_documents,
    _lock,
    _require_bureau,
    _require_editable,
    _stored,
)
from skillcity.policy.lifecycle.validation import Proposed, check_versions
from skillcity.policy.models import (
    DocumentOrigin,
    DraftKind,
    DraftVersion,
    PolicyDocument,
    PolicyDraft,
)
from skillcity.policy.pack import loader

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
        old = PolicyDocument.objects.filter(active_pack_documents(), key=supersedes, published=True).first()
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
        pack=draft.pack,
        assumption=_("演示假设：此文件为演示数据，并非真实政策") if draft.demo_assumption else "",
    )
    if old is not None:
        # Recorded now, in force when the draft is approved (status_on only counts a published successor).
        old.superseded_by = doc
        old.save(update_fields=["superseded_by"])
    audit_record(actor=actor, action="policy.document.register", target=doc, after=snapshot(doc))
    return doc


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
    doc = PolicyDocument.objects.filter(active_pack_documents(), key=document, published=True).first()
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
        pack=loader.active_name(),
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
