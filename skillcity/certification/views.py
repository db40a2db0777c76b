"""Certification pages: public verification; the worker's certificates; evaluator pages (sessions,
candidates, results, certificates); bureau pages (filings queue, evaluators, volumes)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.certification import imports, pdf, selectors, services, signing
from skillcity.certification.api import client_address
from skillcity.certification.forms import (
    CandidateForm,
    CertificateIssueForm,
    CertificateRevokeForm,
    EvaluatorFileForm,
    EvaluatorReviewForm,
    ScoreForm,
    SessionForm,
    VerifyForm,
)
from skillcity.certification.models import (
    Candidate,
    Certificate,
    Evaluator,
    EvaluatorKind,
    Session,
)
from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Occupation, SkillLevel

OFFICER_ROLES = ("bureau_officer", "town_officer")


def _role(user: Any) -> str:
    return "bureau_officer" if user.is_superuser else str(user.role)


# --- public ----------------------------------------------------------------------------------------


def verify(request: HttpRequest) -> HttpResponse:
    """证书查询: by number and name, or by the scanned QR (?qr=…). Public; rate-limited per address."""
    qr = request.GET.get("qr", "").strip()
    if qr and signing.verify_token(qr).payload_type == "title":
        # A title's QR (东莞市技术能手, competitions.Title) is checked on the titles' page, never as a certificate.
        return redirect(f"{reverse('competitions:title_verify')}?{urlencode({'qr': qr})}")
    if qr and signing.verify_token(qr).payload_type == "completion":  # an online course's certificate
        return redirect(f"{reverse('learning:completion_verify')}?{urlencode({'qr': qr})}")
    return verify_page(
        request,
        form_class=VerifyForm,
        by_qr=selectors.verify_qr,
        by_number=selectors.verify_by_number,
        template="certification/verify.html",
    )


def verify_page(
    request: HttpRequest,
    *,
    form_class: Any,
    by_qr: Callable[[str], Any],
    by_number: Callable[..., Any],
    template: str,
) -> HttpResponse:
    """A public verification page (a certificate, a title): by number and name, or by the scanned QR
    (?qr=…); rate-limited per address, one limit for all of them."""
    number = request.GET.get("number", "").strip()
    name = request.GET.get("name", "").strip()
    qr = request.GET.get("qr", "").strip()
    # Sent (even empty): say what is missing next to each field. Not sent: the form, unjudged.
    sent = "number" in request.GET or "name" in request.GET
    form = form_class(request.GET if sent and not qr else None)
    result = None
    error = ""
    status = 200
    if sent and not qr and not form.is_valid():
        status = 400
    elif number or name or qr:
        if selectors.verify_rate_limited(client_address(request)):
            error, status = _("查询过于频繁，请一分钟后再试"), 429
        elif qr:
            result = by_qr(qr)
        else:
            try:
                result = by_number(number=number, name=name)
            except DomainError as exc:
                form.show_domain_error(exc)
                form.mark_invalid()
                status = 400
    return render(
        request,
        template,
        {"result": result, "error": error, "form": form, "by_qr": bool(qr)},
        status=status,
    )


def public_key(request: HttpRequest) -> HttpResponse:
    """The bureau's current public key (PEM), for offline verification of QR payloads."""
    current = signing.signing_key().public_key()
    response = HttpResponse(signing.public_key_pem(current), content_type="application/x-pem-file")
    response["X-Key-Id"] = signing.key_id(current)
    return response


# --- home by role --------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    role = _role(user)
    if role == "worker":
        return my_certificates(request)
    if role == "organisation_user":
        evaluator = Evaluator.objects.filter(organisation=user.organisation).first()
        if evaluator is None:
            return redirect("certification:evaluator_file")
        return redirect("certification:evaluator_detail", evaluator.pk)
    require_role(user, *OFFICER_ROLES)
    return render(
        request,
        "certification/bureau_home.html",
        {
            "filed": selectors.evaluator_list(user, state=Evaluator.State.FILED),
            "volumes": selectors.certificate_volumes(user),
            "level_names": dict(SkillLevel.choices),
            "is_bureau": role == "bureau_officer",
        },
    )


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "worker")
    certificates = selectors.certificate_list(user)
    return render(request, "certification/my_certificates.html", {"certificates": certificates})


# --- certificates ----------------------------------------------------------------------------------


def _certificate(request: HttpRequest, pk: int) -> Certificate:
    user = acting_user(request)
    return get_for(user, selectors.certificate_list(user).select_related("candidate__session"), pk)


def _may_revoke(user: Any, certificate: Certificate) -> bool:
    role = _role(user)
    return role == "bureau_officer" or (
        role == "organisation_user" and user.organisation_id == certificate.evaluator.organisation_id
    )


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _certificate_page(request, _certificate(request, pk))


def _certificate_page(
    request: HttpRequest, certificate: Certificate, revoke_form: CertificateRevokeForm | None = None
) -> HttpResponse:
    revoke_form = revoke_form or CertificateRevokeForm(auto_id="revoke-%s")
    return render(
        request,
        "certification/certificate_detail.html",
        {
            "c": certificate,
            "can_revoke": _may_revoke(acting_user(request), certificate),
            "revoke_form": revoke_form,
        },
        status=400 if revoke_form.errors else 200,
    )


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate(request, pk)
    content = pdf.certificate_pdf_download(
        certificate, actor=acting_user(request), verify_url=pdf.verify_url_for(request)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate(request, pk)
    form = CertificateRevokeForm(request.POST, auto_id="revoke-%s")
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], actor=acting_user(request)
            )
            messages.success(request, _("证书已撤销"))
            return redirect("certification:certificate_detail", pk)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
    return _certificate_page(request, certificate, form)


# --- evaluators ----------------------------------------------------------------------------------------


@login_required
def evaluator_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICER_ROLES)
    state = request.GET.get("state", "")
    evaluators = selectors.evaluator_list(user, state=state if state in Evaluator.State.values else "")
    page = Paginator(evaluators.order_by("state", "organisation__name"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "certification/evaluator_list.html",
        {"page": page, "state": state, "states": Evaluator.State.choices},
    )


@login_required
def evaluator_file(request: HttpRequest) -> HttpResponse:
    """An organisation user files their organisation (or re-files after a return)."""
    user = acting_user(request)
    require_role(user, "organisation_user")
    organisation = user.organisation
    if organisation is None:  # impossible: a database constraint gives every organisation user one
        raise NotFound(_("您的账户未关联单位"))
    existing = Evaluator.objects.filter(organisation=organisation).first()
    if existing is not None and existing.state != Evaluator.State.RETURNED:
        return redirect("certification:evaluator_detail", existing.pk)
    occupations = Occupation.objects.filter(has_levels=True, active=True)
    form = EvaluatorFileForm(request.POST or None, occupations=occupations)
    if request.method == "POST" and form.is_valid():
        try:
            evaluator = services.evaluator_file(
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                scope=form.scope(),
                actor=user,
                qbank_filed=form.cleaned_data["qbank_filed"],
            )
            messages.success(request, _("备案申请已提交，等待市人社局审核"))
            return redirect("certification:evaluator_detail", evaluator.pk)
        except DomainError as exc:
            if "scope" in exc.fields:
                form.show_scope_error(exc)
            else:
                form.show_domain_error(exc)
            form.mark_invalid()
    return render(
        request,
        "certification/evaluator_file.html",
        {"form": form, "existing": existing},
        status=400 if form.errors else 200,
    )


@login_required
def evaluator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    evaluator = get_for(user, Evaluator.objects.select_related("organisation__town"), pk)
    return _evaluator_page(request, user, evaluator)


def _evaluator_page(
    request: HttpRequest,
    user: Any,
    evaluator: Evaluator,
    session_form: SessionForm | None = None,
    review_form: EvaluatorReviewForm | None = None,
) -> HttpResponse:
    may_act = _role(user) == "bureau_officer" or user.organisation_id == evaluator.organisation_id
    certificates = Paginator(
        selectors.certificate_list(user, evaluator=evaluator), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    scopes = evaluator.scopes.select_related("occupation")
    if session_form is None:
        session_form = SessionForm(
            occupations=[s.occupation for s in scopes], initial={"date": datetime.date.today()}
        )
    return render(
        request,
        "certification/evaluator_detail.html",
        {
            "evaluator": evaluator,
            "scopes": scopes,
            "sessions": selectors.session_list(user, evaluator=evaluator)[:50],
            "page": certificates,
            "may_act": may_act and evaluator.state == Evaluator.State.ACTIVE,
            "may_review": _role(user) == "bureau_officer" and evaluator.state == Evaluator.State.FILED,
            "may_suspend": _role(user) == "bureau_officer" and evaluator.state == Evaluator.State.ACTIVE,
            "session_form": session_form,
            "review_form": review_form or EvaluatorReviewForm(auto_id="review-%s"),
        },
        status=400 if session_form.errors or (review_form and review_form.errors) else 200,
    )


@login_required
@require_POST
def evaluator_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    evaluator = get_for(user, Evaluator.objects.select_related("organisation__town"), pk)
    form = EvaluatorReviewForm(request.POST, auto_id="review-%s")
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if request.POST.get("decision") == "suspend":
                services.evaluator_suspend(evaluator=evaluator, reason=note, actor=user)
            else:
                services.evaluator_review(
                    evaluator=evaluator, decision=request.POST.get("decision", ""), note=note, actor=user
                )
            messages.success(request, _("已处理"))
            return redirect("certification:evaluator_detail", pk)
        except DomainError as exc:
            # The suspension's reason is the same note.
            form.show_domain_error(exc, aliases={"reason": "note"})
            form.mark_invalid()
    return _evaluator_page(request, user, evaluator, review_form=form)


@login_required
@require_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    evaluator = get_for(user, Evaluator.objects.select_related("organisation__town"), pk)
    occupations = [s.occupation for s in evaluator.scopes.select_related("occupation")]
    form = SessionForm(request.POST, occupations=occupations)
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                evaluator=evaluator,
                occupation=next(o for o in occupations if o.pk == data["occupation"]),
                level=data["level"],
                kind=data["kind"],
                date=data["date"],
                site=data["site"],
                direction=data["direction"],
                actor=user,
                standard=data.get("standard") or None,
            )
            messages.success(request, _("考核批次已创建"))
            return redirect("certification:session_detail", session.pk)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
    return _evaluator_page(request, user, evaluator, form)


# --- sessions -----------------------------------------------------------------------------------------


def _session(request: HttpRequest, pk: int) -> Session:
    return get_for(
        acting_user(request), Session.objects.select_related("evaluator__organisation", "occupation"), pk
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session(request, pk))


def _session_page(
    request: HttpRequest,
    session: Session,
    candidate_form: CandidateForm | None = None,
    score_form: tuple[int, ScoreForm] | None = None,
    issue_form: CertificateIssueForm | None = None,
) -> HttpResponse:
    """The session's page; a form sent with errors comes back bound, each error next to its field (a
    score form on its candidate's row)."""
    user = acting_user(request)
    may_act = _role(user) == "bureau_officer" or user.organisation_id == session.evaluator.organisation_id
    candidates = selectors.candidate_list(session)
    rows = []
    for c in candidates:
        if score_form is not None and score_form[0] == c.pk:
            form = score_form[1]
        else:
            form = ScoreForm(
                auto_id=f"score-{c.pk}-%s",
                initial={"theory_score": c.theory_score, "practical_score": c.practical_score},
            )
        rows.append((c, form))
    failed = (
        bool(score_form and score_form[1].errors)
        or bool(candidate_form and candidate_form.errors)
        or bool(issue_form and issue_form.errors)
    )
    return render(
        request,
        "certification/session_detail.html",
        {
            "session": session,
            "candidates": candidates,
            "rows": rows,
            "candidate_form": candidate_form or CandidateForm(auto_id="candidate-%s"),
            "may_act": may_act,
            "import_errors": request.session.pop(f"cert-import-{session.pk}", None),
            "can_issue": may_act
            and any(c.result == "passed" and not hasattr(c, "certificate") for c in candidates),
            "issue_form": issue_form
            or CertificateIssueForm(auto_id="issue-%s", initial={"issued_on": datetime.date.today()}),
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = CandidateForm(request.POST, auto_id="candidate-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            worker = selectors.candidate_worker(
                session,
                id_number=data["id_number"].strip().upper(),
                message=_("本企业登记的职工中没有该身份证号码")
                if session.evaluator.kind == EvaluatorKind.ENTERPRISE
                else _("没有身份证号码为该号码的劳动者登记"),
            )
            services.candidate_add(
                session=session,
                worker=worker,
                actor=acting_user(request),
                exceptional_grounds=data["exceptional_grounds"],
                exceptional_note=data["exceptional_note"],
            )
            messages.success(request, _("已添加考生 %(n)s") % {"n": worker.name})
            return redirect("certification:session_detail", pk)
        except DomainError as exc:
            if exc.fields:
                form.show_domain_error(exc, aliases={"id_number": "id_number"})
            else:
                # About the person the number names (unknown, already a candidate, not eligible).
                form.add_error("id_number", str(exc.message))
            form.mark_invalid()
    return _session_page(request, session, candidate_form=form)


@login_required
@require_POST
def result_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    candidate = get_for(user, Candidate.objects.select_related("session__evaluator"), pk)
    form = ScoreForm(request.POST, auto_id=f"score-{candidate.pk}-%s")
    if form.is_valid():
        try:
            services.result_record(
                candidate=candidate,
                theory=form.cleaned_data["theory_score"],
                practical=form.cleaned_data["practical_score"],
                actor=user,
            )
            return redirect("certification:session_detail", candidate.session_id)
        except DomainError as exc:
            if exc.fields:
                form.show_domain_error(exc)
            else:
                form.add_error(None, f"{candidate.worker.name}：{exc.message}")
            form.mark_invalid()
    return _session_page(request, _session(request, candidate.session_id), score_form=(candidate.pk, form))


@login_required
def results_template(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    response = HttpResponse(
        imports.results_template_download(session=session, actor=acting_user(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-results.xlsx"'
    return response


@login_required
@require_POST
def results_import(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的 .xlsx 文件"))
        return redirect("certification:session_detail", pk)
    try:
        result = imports.results_import(
            session=session,
            filename=upload.name or "",
            content=read_upload(upload, label=_("成绩文件")),
            actor=acting_user(request),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("certification:session_detail", pk)
    if result.ok:
        messages.success(request, _("已导入 %(n)d 名考生的成绩") % {"n": result.created})
    else:
        messages.error(request, _("导入失败，未写入任何成绩；请修正以下各行后重新导入"))
        request.session[f"cert-import-{pk}"] = [vars(e) for e in result.errors]
    return redirect("certification:session_detail", pk)


@login_required
@require_POST
def certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = CertificateIssueForm(request.POST, auto_id="issue-%s")
    if form.is_valid():
        try:
            issued = services.certificates_issue(
                session=session, actor=acting_user(request), issued_on=form.cleaned_data["issued_on"]
            )
            messages.success(request, _("已发放 %(n)d 本证书") % {"n": len(issued)})
            return redirect("certification:session_detail", pk)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
    return _session_page(request, session, issue_form=form)
