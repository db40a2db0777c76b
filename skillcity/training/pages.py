"""Training pages beyond the home page: the provider's projects, classes and rosters; the bureau's
shortage catalog, voucher issuance and use, and settlements with their statements (.xlsx, PDF)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, client_address, get_for, require_role
from skillcity.core.bounds import (
    CAPACITY_MAX,
    LEVEL_MAX,
    LEVEL_MIN,
    YEAR_MAX,
    YEAR_MIN,
    column_money_max,
    parse_int,
    parse_iso_date,
    parse_money,
    parse_score,
    report_ignored_filters,
)
from skillcity.core.errors import DomainError
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Occupation, SkillLevel, Town
from skillcity.training import selectors, services, statements
from skillcity.training.forms import ClassForm, ProjectForm, VoucherIssueForm
from skillcity.training.models import (
    Enrolment,
    Settlement,
    ShortageCatalogEntry,
    TrainingClass,
    TrainingProject,
    VoucherBatch,
)

OFFICERS = ("bureau_officer", "town_officer")


# Each field's label, for messages that name it (training models' verbose names).
_LABEL_MODELS = (TrainingProject, TrainingClass, Enrolment, VoucherBatch)


def _label(field: str) -> str:
    for model in _LABEL_MODELS:
        try:
            return str(getattr(model._meta.get_field(field), "verbose_name", field))
        except FieldDoesNotExist:
            continue
    return {"occupation": _("职业（工种）"), "year": _("年度"), "file": _("文件")}.get(field, field)


def _bounded(parse: Any, raw: Any, field: str) -> Any:
    try:
        return parse(raw)
    except ValueError as exc:
        raise DomainError("invalid", _("%(f)s有误") % {"f": _label(field)}, {field: str(exc)}) from None


def _date(raw: str | None, field: str) -> datetime.date:
    return cast(datetime.date, _bounded(parse_iso_date, raw, field))


def _money(raw: str | None, field: str, model: Any) -> Decimal:
    high = column_money_max(model._meta.get_field(field))
    return cast(Decimal, _bounded(lambda v: parse_money(v, high=high), raw, field))


def _int(raw: str | None, field: str, *, low: int, high: int, required: bool = True) -> int | None:
    text = (raw or "").strip()
    if not text and not required:
        return None
    return cast(int, _bounded(lambda v: parse_int(v, low=low, high=high), text, field))


def _level(raw: str | None, field: str) -> int | None:
    return _int(raw, field, low=LEVEL_MIN, high=LEVEL_MAX, required=False)


def _read(**parsers: Callable[[], Any]) -> dict[str, Any]:
    """Every field of a form read at once, so one message names every field that is wrong."""
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, parse in parsers.items():
        try:
            values[name] = parse()
        except DomainError as exc:
            errors.update(exc.fields)
    if errors:
        raise DomainError("invalid", _("请更正以下各项"), errors)
    return values


def _fail(request: HttpRequest, exc: DomainError) -> None:
    details = "；".join(f"{_label(k)}：{v}" for k, v in exc.fields.items() if not isinstance(v, list | dict))
    messages.error(request, f"{exc.message}" + (f"（{details}）" if details else ""))


# ---- provider: projects, classes, rosters --------------------------------------------------------


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "organisation_user")
    form = ProjectForm(request.POST or None, auto_id="%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                provider=user.organisation,  # type: ignore[arg-type]
                name=data["name"].strip(),
                occupation=Occupation.objects.get(code=data["occupation"]),
                actor=user,
                start_date=data["start_date"],
                end_date=data["end_date"],
                standard=data.get("standard") or None,
                required_course=data.get("required_course") or None,
                # Every bound read at once, so the form names every field that is out of range.
                **_read(
                    level=lambda: _level(data["level"], "level"),
                    per_person_standard=lambda: _money(
                        data["per_person_standard"], "per_person_standard", TrainingProject
                    ),
                    capacity=lambda: _int(data["capacity"], "capacity", low=1, high=CAPACITY_MAX),
                ),
            )
            messages.success(request, _("培训项目已创建"))
            return redirect("training:project_detail", pk=project.pk)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
    return render(request, "training/project_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    project = get_for(user, selectors.projects_for(user), pk)
    response = _project_page(request, user, project)
    if DEVICE_COOKIE not in request.COOKIES:
        # The sign-in page marks the device it runs on, so each sign-in records where it came from.
        response.set_cookie(
            DEVICE_COOKIE, secrets.token_hex(16), max_age=5 * 365 * 86400, httponly=True, samesite="Lax"
        )
    return response


# The device a sign-in comes from (issue 20 §1 sign-in bursts): the cookie the project page sets, or
# the header an app sends through the API.
DEVICE_COOKIE = "skillcity_device"
DEVICE_HEADER = "HTTP_X_SKILLCITY_DEVICE"


def sign_in_device(request: HttpRequest) -> str:
    return str(request.META.get(DEVICE_HEADER) or request.COOKIES.get(DEVICE_COOKIE) or "")[:64]


def _project_page(
    request: HttpRequest, user: Any, project: TrainingProject, class_form: ClassForm | None = None
) -> HttpResponse:
    classes = list(project.classes.select_related("teacher").order_by("start_date", "id"))  # type: ignore[attr-defined]
    enrolments = (
        Enrolment.objects.filter(training_class__project=project)
        .select_related("worker", "training_class")
        .annotate(days=Count("attendances"))
        .order_by("training_class_id", "id")
    )
    rosters: dict[int, list[Enrolment]] = {c.pk: [] for c in classes}
    for e in enrolments:
        rosters.setdefault(e.training_class_id, []).append(e)
    if class_form is None:
        class_form = ClassForm(
            auto_id="class-%s", initial={"start_date": project.start_date, "end_date": project.end_date}
        )
    return render(
        request,
        "training/project_detail.html",
        {
            "project": project,
            "classes": [(c, rosters.get(c.pk, [])) for c in classes],
            "can_write": user.role == "organisation_user" and user.organisation_id == project.provider_id,
            "today": timezone.localdate(),
            "levels": range(1, 6),
            "class_form": class_form,
        },
        status=400 if class_form.errors else 200,
    )


@login_required
@require_POST
def class_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    project = get_for(user, selectors.projects_for(user), pk, write=True)
    form = ClassForm(request.POST, auto_id="class-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            teacher = None
            if data["teacher_id_number"].strip():
                teacher = selectors.worker_by_id_number(data["teacher_id_number"])
            services.class_create(
                project=project,
                name=data["name"].strip(),
                start_date=data["start_date"],
                end_date=data["end_date"],
                actor=user,
                teacher=teacher,
                site=data["site"],
                session_start=data["session_start"],
                session_end=data["session_end"],
            )
            messages.success(request, _("班级已创建"))
            return redirect("training:project_detail", pk=project.pk)
        except DomainError as exc:
            form.show_domain_error(exc, aliases={"id_number": "teacher_id_number"})
            form.mark_invalid()
    return _project_page(request, user, project, form)


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol a worker by resident ID number (a provider enrols people it may not otherwise see)."""
    user = acting_user(request)
    training_class = get_for(user, TrainingClass.objects.select_related("project"), pk, write=True)
    try:
        worker = selectors.worker_by_id_number(request.POST.get("id_number", ""))
        services.enrolment_create(
            training_class=training_class, worker=worker, enrolled_on=timezone.localdate(), actor=user
        )
        messages.success(request, _("已报名：%(name)s") % {"name": worker.name})
    except DomainError as exc:
        _fail(request, exc)
    return redirect("training:project_detail", pk=training_class.project_id)


@login_required
@require_POST
def sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    enrolment = get_for(user, selectors.enrolments_for(user), pk, write=True)
    try:
        services.attendance_sign_in(
            enrolment=enrolment,
            day=timezone.localdate(),
            actor=user,
            device_id=sign_in_device(request),
            client_address=client_address(request),
        )
        messages.success(request, _("已签到"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("training:project_detail", pk=enrolment.training_class.project_id)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    enrolment = get_for(user, selectors.enrolments_for(user), pk, write=True)
    p = request.POST
    try:
        score = p.get("assessment_score", "").strip()
        services.enrolment_complete(
            enrolment=enrolment,
            passed=p.get("passed") == "true",
            actor=user,
            **_read(
                completed_on=lambda: _date(
                    p.get("completed_on") or timezone.localdate().isoformat(), "completed_on"
                ),
                assessment_score=lambda: _bounded(parse_score, score, "assessment_score") if score else None,
                certified_level=lambda: _level(p.get("certified_level"), "certified_level"),
            ),
        )
        messages.success(request, _("已登记结业"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("training:project_detail", pk=enrolment.training_class.project_id)


# ---- bureau: shortage catalog, issuance and use -------------------------------------------------


@login_required
def shortage_catalog(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    if request.method == "POST":
        require_role(user, "bureau_officer")
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError("no_file", _("请选择 .xlsx 文件"), {"file": _("请选择文件")})
            year = _int(request.POST.get("year"), "year", low=YEAR_MIN, high=YEAR_MAX) or 0
            content = read_upload(upload, label=_("目录文件"))
            count = services.shortage_catalog_import(year=year, file=content, actor=user)
            messages.success(request, _("已导入 %(y)s 年目录 %(n)s 个工种") % {"y": year, "n": count})
            return redirect(f"{request.path}?year={year}")
        except DomainError as exc:
            rows = exc.fields.get("rows") if isinstance(exc.fields.get("rows"), list) else None
            messages.error(request, str(exc.message))
            if rows:
                return render(request, "training/shortage.html", _shortage_context(request, errors=rows))
    return render(request, "training/shortage.html", _shortage_context(request))


def _shortage_context(request: HttpRequest, errors: list[Any] | None = None) -> dict[str, Any]:
    years = list(
        ShortageCatalogEntry.objects.values("year").annotate(n=Count("id"), at=Count("id")).order_by("-year")
    )
    try:
        chosen = _int(request.GET.get("year"), "year", low=YEAR_MIN, high=YEAR_MAX, required=False)
    except DomainError:
        report_ignored_filters(request, [_("年度")])
        chosen = None
    chosen = chosen or (years[0]["year"] if years else None)
    entries = (
        ShortageCatalogEntry.objects.filter(year=chosen)
        .select_related("occupation")
        .order_by("occupation__code")
        if chosen
        else []
    )
    return {
        "years": years,
        "year": chosen,
        "year_is_demo": chosen is not None
        and ShortageCatalogEntry.objects.filter(year=chosen, is_demo_value=True).exists(),
        "entries": entries,
        "errors": errors or [],
        "this_year": timezone.localdate().year,
    }


@login_required
def vouchers_use(request: HttpRequest) -> HttpResponse:
    """Issuance and use by town and by occupation (occupation = the project a voucher was redeemed on)."""
    user = acting_user(request)
    require_role(user, *OFFICERS)
    vouchers = selectors.vouchers_for(user).order_by()
    used = Q(state__in=["redeemed", "settled"])
    by_town = list(
        vouchers.values("town__name")
        .annotate(issued=Count("id"), used=Count("id", filter=used))
        .order_by("-issued")
    )
    by_occupation = list(
        vouchers.filter(used, redemptions__enrolment__isnull=False, redemptions__reversal__isnull=True)
        .values(occupation=F("redemptions__enrolment__training_class__project__occupation__name"))
        .annotate(used=Count("id"))
        .order_by("-used")[:30]
    )
    batches = VoucherBatch.objects.order_by("-created_at")[:20]
    return render(
        request,
        "training/vouchers_use.html",
        {
            "by_town": by_town,
            "by_occupation": by_occupation,
            "batches": batches,
            "is_bureau": user.role == "bureau_officer",
        },
    )


@login_required
def voucher_issue(request: HttpRequest) -> HttpResponse:
    """The bureau issues a batch to the workers its filters select (town, occupation held, level).
    Every field is judged before the confirmation page; each error sits next to its field."""
    user = acting_user(request)
    require_role(user, "bureau_officer")
    today = timezone.localdate()
    form = VoucherIssueForm(
        request.POST or None,
        auto_id="%s",
        initial={"valid_from": today, "valid_to": today.replace(year=today.year + 1)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        occupation: Occupation | None = data["occupation"]
        try:
            workers = selectors.workers_for_issue(
                town_code=data["town"] or None,
                level=data["level"],
                occupation_code=occupation.code if occupation else None,
            )
            workers = workers.exclude(vouchers__batch__name=data["name"].strip())
            count = workers.count()
            if count == 0:
                raise DomainError(
                    "no_workers", _("没有符合条件的劳动者"), {"town": _("没有符合条件的劳动者，请放宽条件")}
                )
            face_value: Decimal = data["face_value"]
            if request.POST.get("confirmed") != "1":
                # A mass issue is confirmed first: how many workers, what it commits in total.
                return render(
                    request,
                    "training/voucher_issue_confirm.html",
                    {
                        "post": request.POST,
                        "count": count,
                        "face_value": face_value,
                        "total": face_value * count,
                        "face_value_display": f"{face_value:,.2f}",
                        "total_display": f"{face_value * count:,.2f}",
                        "town": Town.objects.filter(code=data["town"] or "").first(),
                        "occupation": occupation,
                        "level_label": SkillLevel(data["level"]).label if data["level"] else "",
                    },
                )
            batch = services.voucher_batch_issue(
                name=data["name"].strip() or _("培训券批次"),
                workers=workers,
                occupations=[occupation] if occupation else None,
                actor=user,
                face_value=face_value,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
            messages.success(
                request,
                ngettext(
                    "已向 %(n)s 名劳动者发放培训券，面值合计 %(t)s 元（批次：%(b)s）",
                    "已向 %(n)s 名劳动者发放培训券，面值合计 %(t)s 元（批次：%(b)s）",
                    batch.issued_count,
                )
                % {
                    "n": batch.issued_count,
                    "t": f"{batch.face_value * batch.issued_count:,.2f}",
                    "b": batch.name,
                },
            )
            return redirect("training:vouchers_use")
        except DomainError as exc:
            form.show_domain_error(exc, aliases={"occupation_code": "occupation"})
            form.mark_invalid()
    return render(request, "training/voucher_issue.html", {"form": form}, status=400 if form.errors else 200)


# ---- settlements --------------------------------------------------------------------------------


def _statement(request: HttpRequest, pk: int) -> Settlement:
    user = acting_user(request)
    # The statement shows ID numbers masked only, so it is not a personal-data view to audit.
    return get_for(user, selectors.settlements_for(user), pk)


@login_required
def statement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    settlement = _statement(request, pk)
    response = HttpResponse(
        statements.statement_xlsx(settlement),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="settlement-{settlement.pk}-{settlement.period}.xlsx"'
    )
    return response


@login_required
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    settlement = _statement(request, pk)
    response = HttpResponse(statements.statement_pdf(settlement), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="settlement-{settlement.pk}-{settlement.period}.pdf"'
    )
    return response
