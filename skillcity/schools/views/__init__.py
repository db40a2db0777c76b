"""Pages of the schools. The school's organisation user keeps its majors, imports its rolls, records
graduates and international students, files its yearly social-training report and applies for its EDU
grants from these records; the bureau registers schools, selects demonstration majors and sees every
school with T-TECH-SCHOOLS progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import YEAR_MAX, YEAR_MIN
from skillcity.core.errors import DomainError
from skillcity.core.exports import xlsx_response
from skillcity.core.uploads import read_upload
from skillcity.employment.selectors.stats import graduate_employment
from skillcity.grants import flows
from skillcity.schools import forms, selectors
from skillcity.schools import services as svc
from skillcity.schools.models import (
    ClassKind,
    Graduation,
    InternationalClass,
    InternationalStudent,
    Major,
    Ownership,
    RollCount,
    RollImport,
    School,
    SocialTrainingReport,
)
from skillcity.schools.services import grants as school_grants
from skillcity.schools.services import rolls as roll_service

BUREAU = "bureau_officer"
ROLES = ("bureau_officer", "organisation_user")
GRADUATES_SHOWN = 20


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(
            request.GET.get("year") or request.POST.get("view_year") or request.POST.get("year") or default
        )
    except ValueError:
        return default
    return year if YEAR_MIN <= year <= YEAR_MAX else default


def _default_year(school: School | None = None) -> int:
    imports = RollImport.objects.all() if school is None else RollImport.objects.filter(school=school)
    latest = imports.order_by("-year").values_list("year", flat=True).first()
    return int(latest) if latest else timezone.localdate().year


# --- the list (bureau) ---------------------------------------------------------------------------


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    if user.role == "organisation_user" and not user.is_superuser:
        own = selectors.school_of(user.organisation)
        if own is not None:
            return redirect("schools:school_detail", pk=own.pk)
        return render(request, "schools/not_a_school.html")
    return _list(request, user, forms.SchoolRegisterForm())


def _list(request: HttpRequest, user: Any, register_form: Any, status: int = 200) -> HttpResponse:
    year = _year(request, _default_year())
    rows = []
    for school in selectors.schools_for(user):
        totals = selectors.roll_totals(school, year)
        rows.append(
            {
                "school": school,
                "majors": school.majors.count(),
                "students": sum(t["total"] for t in totals.values()),
                "advanced": sum(t["advanced"] for t in totals.values()),
                "graduates": Graduation.objects.filter(school=school, graduated_on__year=year).count(),
            }
        )
    return render(
        request,
        "schools/school_list.html",
        {"rows": rows, "year": year, "progress": selectors.progress(year), "form": register_form},
        status=status,
    )


@login_required
@require_POST
def school_register(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, BUREAU)
    form = forms.SchoolRegisterForm(request.POST)
    if form.is_valid():
        try:
            school = svc.school_register(
                actor=user,
                organisation=form.cleaned_data["organisation"],
                ownership=form.cleaned_data["ownership"],
            )
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("已登记院校：%(s)s") % {"s": school.organisation.name})
            return redirect("schools:school_detail", pk=school.pk)
    return _list(request, user, form, status=400)


# --- a school ------------------------------------------------------------------------------------


def _school(request: HttpRequest, pk: int) -> tuple[Any, School]:
    user = acting_user(request)
    require_role(user, *ROLES)
    return user, get_for(user, selectors.schools_for(user), pk)


def _detail(request: HttpRequest, user: Any, school: School, status: int = 200, **bound: Any) -> HttpResponse:
    year = _year(request, _default_year(school))
    totals = selectors.roll_totals(school, year)
    majors = list(school.majors.all())
    empty = {"y1": 0, "y2": 0, "y3": 0, "total": 0, "excluded": 0, "advanced": 0}
    for major in majors:
        setattr(major, "totals", totals.get(major.pk, empty))  # noqa: B010  (shown on the page)
    kinds = list(ClassKind)
    by_kind: dict[tuple[int, int], dict[str, int]] = {}
    for count in RollCount.objects.filter(school=school, year=year):
        by_kind.setdefault((count.major_id, count.year_of_study), {})[count.class_kind] = count.students
    roll_rows = [
        {"major": m, "year_of_study": yos, "counts": [by_kind[(m.pk, yos)].get(k.value, 0) for k in kinds]}
        for m in majors
        for yos in range(1, 6)
        if (m.pk, yos) in by_kind
    ]
    classes = list(
        InternationalClass.objects.filter(school=school)
        .select_related("major")
        .prefetch_related("students__worker")
    )
    grants = [(app, flows.source_label(app.source_key)) for app in selectors.school_grants(school)[:100]]
    context = {
        "school": school,
        "year": year,
        "can_edit": svc.is_bureau(user) or user.organisation_id == school.organisation_id,
        "is_bureau": svc.is_bureau(user),
        "majors": majors,
        "kinds": kinds,
        "roll_rows": roll_rows,
        "students_total": sum(t["total"] for t in totals.values()),
        "imports": RollImport.objects.filter(school=school)[:5],
        "classes": classes,
        "intl_students": selectors.international_students(school, year),
        "graduations": selectors.with_equivalents(
            Graduation.objects.filter(school=school).select_related("worker", "major")[:GRADUATES_SHOWN]
        ),
        "graduation_count": Graduation.objects.filter(school=school).count(),
        "employment_rates": graduate_employment([year - 1, year], school_id=school.pk),
        "reports": SocialTrainingReport.objects.filter(school=school),
        "is_public": school.ownership == Ownership.PUBLIC,
        "grants": grants,
        "major_form": bound.get("major_form") or forms.MajorForm(),
        "rolls_form": bound.get("rolls_form") or forms.RollsImportForm(initial={"year": year}),
        "roll_errors": bound.get("roll_errors") or [],
        "class_form": bound.get("class_form") or forms.IntlClassForm(school=school, initial={"year": year}),
        "student_form": bound.get("student_form") or forms.IntlStudentForm(school=school),
        "certificate_form": bound.get("certificate_form") or forms.CertificateForm(school=school),
        "graduation_form": bound.get("graduation_form") or forms.GraduationForm(school=school),
        "report_form": bound.get("report_form") or forms.SocialReportForm(initial={"year": year}),
        "build_form": bound.get("build_form") or forms.MajorBuildForm(school=school, initial={"year": year}),
        "intl_apply_form": bound.get("intl_apply_form") or forms.IntlClassApplyForm(initial={"year": year}),
    }
    return render(request, "schools/school_detail.html", context, status=status)


@login_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    return _detail(request, user, school)


def _back(school: School, year: Any = None) -> HttpResponse:
    url = reverse("schools:school_detail", args=[school.pk])
    return redirect(f"{url}?year={year}" if year else url)


def _form_post(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    key: str,
    act: Any,
    *,
    with_school: bool = True,
    files: bool = False,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """A form's POST: valid and accepted by the service → back to the school with a message; otherwise
    the page again with the form's errors next to its fields."""
    user, school = _school(request, pk)
    kwargs: dict[str, Any] = {"school": school} if with_school else {}
    form = form_class(request.POST, request.FILES if files else None, **kwargs)
    if form.is_valid():
        try:
            done = act(user, school, form.cleaned_data)
        except DomainError as exc:
            form.show_domain_error(exc, aliases=aliases)
            form.mark_invalid()
        else:
            messages.success(request, done)
            return _back(school, form.cleaned_data.get("year"))
    return _detail(request, user, school, status=400, **{key: form})


@login_required
@require_POST
def major_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any, school: School, d: dict[str, Any]) -> str:
        major = svc.major_create(actor=user, school=school, **d)
        return _("已添加专业：%(m)s") % {"m": major.name}

    return _form_post(request, pk, forms.MajorForm, "major_form", act, with_school=False)


@login_required
@require_POST
def major_demonstration(request: HttpRequest, pk: int, major_pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    major = get_for(user, Major.objects.filter(school=school), major_pk)
    major = svc.major_set_demonstration(actor=user, major=major, demonstration=request.POST.get("on") == "1")
    messages.success(
        request,
        (_("已将“%(m)s”列为示范性专业") if major.demonstration else _("已取消“%(m)s”的示范性专业"))
        % {"m": major.name},
    )
    return _back(school)


@login_required
@require_POST
def major_enterprise(request: HttpRequest, pk: int, major_pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    major = get_for(user, Major.objects.filter(school=school), major_pk)
    svc.major_update(
        actor=user,
        major=major,
        name=major.name,
        code=major.code,
        industry_fit=major.industry_fit,
        enterprise_training=request.POST.get("on") == "1",
    )
    messages.success(request, _("已更新“%(m)s”的校企合作培养情况") % {"m": major.name})
    return _back(school)


@login_required
@require_POST
def rolls_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    form = forms.RollsImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = read_upload(upload)
            result = roll_service.rolls_import(
                actor=user,
                school=school,
                year=form.cleaned_data["year"],
                filename=upload.name or "",
                content=content,
            )
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            if result.ok:
                messages.success(request, _("名册已导入：%(n)s 行") % {"n": result.created})
                return _back(school, form.cleaned_data["year"])
            return _detail(request, user, school, status=400, rolls_form=form, roll_errors=result.errors)
    return _detail(request, user, school, status=400, rolls_form=form)


@login_required
def rolls_template(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *ROLES)
    return xlsx_response(roll_service.template(), "school-rolls-template.xlsx")


@login_required
@require_POST
def intl_class_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any, school: School, d: dict[str, Any]) -> str:
        klass = svc.intl_class_create(actor=user, **d)
        return _("已添加国际课程班：%(c)s") % {"c": klass.name}

    return _form_post(request, pk, forms.IntlClassForm, "class_form", act)


@login_required
@require_POST
def intl_student_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any, school: School, d: dict[str, Any]) -> str:
        worker = svc.worker_by_id_number(d["id_number"], d["name"])
        svc.intl_student_add(actor=user, intl_class=d["intl_class"], worker=worker)
        return _("已将 %(w)s 加入国际课程班") % {"w": worker.name}

    return _form_post(request, pk, forms.IntlStudentForm, "student_form", act)


@login_required
@require_POST
def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any, school: School, d: dict[str, Any]) -> str:
        student = d.pop("student")
        svc.intl_certificate_record(actor=user, student=student, **d)
        return _("已记录 %(w)s 的国际职业技能证书") % {"w": student.worker.name}

    return _form_post(request, pk, forms.CertificateForm, "certificate_form", act)


@login_required
@require_POST
def graduation_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any, school: School, d: dict[str, Any]) -> str:
        worker = svc.worker_by_id_number(d["id_number"], d["name"])
        svc.graduation_record(
            actor=user,
            major=d["major"],
            worker=worker,
            class_kind=d["class_kind"],
            graduated_on=d["graduated_on"],
            certificate_number=d["certificate_number"],
        )
        return _("已记录 %(w)s 的毕业记录") % {"w": worker.name}

    return _form_post(request, pk, forms.GraduationForm, "graduation_form", act)


@login_required
@require_POST
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any, school: School, d: dict[str, Any]) -> str:
        report = svc.social_report_file(actor=user, school=school, **d)
        return _("已提交%(y)s年度社会化培训报告") % {"y": report.year}

    return _form_post(request, pk, forms.SocialReportForm, "report_form", act, with_school=False)


# --- grants from the records ---------------------------------------------------------------------


def _applied(request: HttpRequest, app: Any) -> None:
    messages.success(
        request,
        _("已生成补贴申请（编号 %(n)s），进入审核：%(s)s")
        % {"n": app.pk, "s": flows.source_label(app.source_key)},
    )


@login_required
@require_POST
def apply_demo_major(request: HttpRequest, pk: int, major_pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    major = get_for(user, Major.objects.filter(school=school), major_pk)
    year = _year(request, _default_year(school))
    _applied(request, school_grants.demo_major_apply(actor=user, major=major, year=year))
    return _back(school, year)


@login_required
@require_POST
def apply_major_build(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any, school: School, d: dict[str, Any]) -> str:
        app = school_grants.major_build_apply(
            actor=user, major=d["major"], year=d["year"], requested=d["requested"]
        )
        return _("已生成补贴申请（编号 %(n)s）：%(s)s") % {
            "n": app.pk,
            "s": flows.source_label(app.source_key),
        }

    return _form_post(request, pk, forms.MajorBuildForm, "build_form", act)


@login_required
@require_POST
def apply_intl_class(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: Any, school: School, d: dict[str, Any]) -> str:
        app = school_grants.intl_class_apply(
            actor=user, school=school, year=d["year"], actual_cost=d["actual_cost"]
        )
        return _("已生成补贴申请（编号 %(n)s）：%(s)s") % {
            "n": app.pk,
            "s": flows.source_label(app.source_key),
        }

    return _form_post(request, pk, forms.IntlClassApplyForm, "intl_apply_form", act, with_school=False)


@login_required
@require_POST
def apply_intl_cert(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    student = get_for(user, InternationalStudent.objects.filter(intl_class__school=school), student_pk)
    _applied(request, school_grants.intl_cert_apply(actor=user, student=student))
    return _back(school)


@login_required
@require_POST
def apply_social(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    user, school = _school(request, pk)
    report = get_for(user, SocialTrainingReport.objects.filter(school=school), report_pk)
    _applied(request, school_grants.social_training_apply(actor=user, report=report))
    return _back(school, report.year)


urlpatterns: list[URLPattern] = [
    path("", school_list, name="school_list"),
    path("register/", school_register, name="school_register"),
    path("rolls-template.xlsx", rolls_template, name="rolls_template"),
    path("<int:pk>/", school_detail, name="school_detail"),
    path("<int:pk>/majors/", major_add, name="major_add"),
    path("<int:pk>/majors/<int:major_pk>/demonstration/", major_demonstration, name="major_demonstration"),
    path("<int:pk>/majors/<int:major_pk>/enterprise/", major_enterprise, name="major_enterprise"),
    path("<int:pk>/majors/<int:major_pk>/apply-demo/", apply_demo_major, name="apply_demo_major"),
    path("<int:pk>/rolls/", rolls_upload, name="rolls_upload"),
    path("<int:pk>/intl-classes/", intl_class_add, name="intl_class_add"),
    path("<int:pk>/intl-students/", intl_student_add, name="intl_student_add"),
    path("<int:pk>/intl-certificates/", certificate_add, name="certificate_add"),
    path("<int:pk>/intl-students/<int:student_pk>/apply/", apply_intl_cert, name="apply_intl_cert"),
    path("<int:pk>/graduations/", graduation_add, name="graduation_add"),
    path("<int:pk>/reports/", report_file, name="report_file"),
    path("<int:pk>/reports/<int:report_pk>/apply/", apply_social, name="apply_social"),
    path("<int:pk>/apply-major-build/", apply_major_build, name="apply_major_build"),
    path("<int:pk>/apply-intl-class/", apply_intl_class, name="apply_intl_class"),
]
