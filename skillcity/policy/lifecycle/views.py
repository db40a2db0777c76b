"""Bureau pages: the drafts of successor versions, one draft with its diff, samples and what-if, and the
actions (add a version, submit, approve, return, withdraw) — each through one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError
from skillcity.policy import simulate as S
from skillcity.policy.lifecycle import preview, selectors, services
from skillcity.policy.lifecycle.documents import document_records
from skillcity.policy.lifecycle.forms import NEW_DOCUMENT, ContinuationForm, DraftForm, VersionForm
from skillcity.policy.models import DraftState, PolicyDraft

WHAT_IF_SOURCES = ("training", "grants", "demo")


def _officer(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    return user


def _document_choices(draft: PolicyDraft | None = None) -> list[tuple[str, str]]:
    return [
        (d.key, f"{d.key} {d.title}" + (f"（{d.number}）" if d.number else ""))
        for d in document_records()
        if d.published or (draft is not None and d.draft_id == draft.pk)
    ]


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    actor = _officer(request)
    form = DraftForm(request.POST if request.POST.get("form") == "draft" else None)
    continuation = ContinuationForm(
        request.POST if request.POST.get("form") == "continuation" else None, documents=_document_choices()
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "draft" and form.is_valid():
                draft = services.draft_create(
                    actor=actor, title=form.cleaned_data["title"], note=form.cleaned_data["note"]
                )
                return redirect("policy:draft", draft.pk)
            if request.POST.get("form") == "continuation" and continuation.is_valid():
                data = continuation.cleaned_data
                draft = services.draft_continuation_create(
                    actor=actor, document=data["document"], until=data["until"],
                    citation_document=data["citation_document"], clause=data["clause"], text=data["text"],
                )  # fmt: skip
                return redirect("policy:draft", draft.pk)
        except DomainError as exc:
            target = form if request.POST.get("form") == "draft" else continuation
            rest = target.show_domain_error(exc)
            if rest:
                messages.error(request, "；".join(rest))
    return render(
        request,
        "policy/drafts.html",
        {"drafts": selectors.drafts()[:100], "form": form, "continuation": continuation},
    )


def _what_if(request: HttpRequest, draft: PolicyDraft) -> dict[str, Any]:
    # The demo's draft looks at the demo's cases by default: its stored records are dated 2022–2025.
    default = "demo" if draft.demo_assumption else "training"
    source = request.GET.get("source", default)
    if source not in WHAT_IF_SOURCES:
        source = default
    context: dict[str, Any] = {
        "source": source,
        "sources": [
            (name, _(S.EVENT_SOURCES[name].label)) for name in WHAT_IF_SOURCES if name in S.EVENT_SOURCES
        ],
    }
    try:
        context["what_if"] = preview.draft_what_if(draft, source=source, today=timezone.localdate())
    except DomainError as exc:
        context["what_if_error"] = str(exc.message)
    return context


@login_required
def draft_detail(request: HttpRequest, pk: int, version_form: VersionForm | None = None) -> HttpResponse:
    actor = _officer(request)
    draft = get_object_or_404(selectors.drafts(), pk=pk)
    context: dict[str, Any] = {
        "draft": draft,
        "versions": list(draft.versions.all()),
        "new_documents": list(draft.new_documents.all()),
        "diff": preview.draft_diff(draft),
        "samples": preview.sample_outcomes(draft),
        "own": draft.created_by_id == actor.pk,
        "can_check": draft.state == DraftState.SUBMITTED and draft.created_by_id != actor.pk,
        "form": version_form or (VersionForm(documents=_document_choices(draft)) if draft.editable else None),
        **_what_if(request, draft),
    }
    return render(request, "policy/draft.html", context, status=422 if version_form is not None else 200)


@login_required
@require_POST
def draft_version_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _officer(request)
    draft = get_object_or_404(PolicyDraft, pk=pk)
    form = VersionForm(request.POST, documents=_document_choices(draft))
    if not form.is_valid():
        return draft_detail(request, pk, version_form=form)
    data = form.cleaned_data
    try:
        with transaction.atomic():  # a new document and its version: both or neither
            document = data["document"]
            if document == NEW_DOCUMENT:
                document = services.document_register(
                    draft=draft, actor=actor, key=data["new_key"], title=data["new_title"],
                    issuer=data["new_issuer"], number=data["new_number"], issued=data["new_issued"],
                    effective_from=data["new_from"], effective_to=data["new_to"],
                ).key  # fmt: skip
            services.draft_version_add(
                draft=draft, actor=actor, parameter=data["parameter"], value=data["value"],
                effective_from=data["effective_from"], effective_to=data["effective_to"], document=document,
                clause=data["clause"], text=data["text"],
            )  # fmt: skip
    except DomainError as exc:
        aliases = {"key": "new_key", "title": "new_title", "supersedes": "new_key"}
        rest = form.show_domain_error(exc, aliases=aliases)
        if rest:
            form.add_error(None, "；".join(rest))
        return draft_detail(request, pk, version_form=form)
    messages.success(request, _("已加入参数版本 %(p)s") % {"p": data["parameter"]})
    return redirect("policy:draft", pk)


@login_required
@require_POST
def draft_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _officer(request)
    draft = get_object_or_404(PolicyDraft, pk=pk)
    note = request.POST.get("note", "")
    done = {
        "submit": _("已提交复核"),
        "approve": _("已复核通过并发布：自各版本的生效日期起，计算器、补贴申报和结算均按新版本执行"),
        "return": _("已退回起草人修改"),
        "withdraw": _("已撤回"),
    }
    try:
        if action == "submit":
            services.draft_submit(draft=draft, actor=actor)
        elif action == "approve":
            services.draft_approve(draft=draft, actor=actor, note=note)
        elif action == "return":
            services.draft_return(draft=draft, actor=actor, note=note)
        elif action == "withdraw":
            services.draft_withdraw(draft=draft, actor=actor)
        elif action == "remove":
            version_id = request.POST.get("version", "")
            if version_id.isdigit():
                services.draft_version_remove(draft=draft, actor=actor, version_id=int(version_id))
            return redirect("policy:draft", pk)
        else:
            return redirect("policy:draft", pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("policy:draft", pk)
    messages.success(request, done[action])
    return redirect("policy:draft", pk)
