"""The learner's pages (phone first): real-name registration, my courses, the player (its statements
are sent by static/learning/player.js), a quiz graded on the server, the lesson's file with range
requests, and the certificate of completion as a PDF."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_replace
from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from skillcity.certification.pdf import verify_url_for
from skillcity.core.access import acting_user, client_address
from skillcity.core.errors import DomainError, NotFound
from skillcity.learning.certificate import completion_pdf
from skillcity.learning.media import ranged_file_response
from skillcity.learning.models import LessonKind
from skillcity.learning.selectors import learners as selectors
from skillcity.learning.services.quizzes import lesson_iri, quiz_grade
from skillcity.learning.services.registration import worker_account_register
from skillcity.web.forms import LabelledErrorsMixin

# --- registration ---------------------------------------------------------------------------------


class RegisterForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("身份证号码"), max_length=18, min_length=18)
    phone = forms.CharField(
        label=gettext_lazy("手机号码"),
        max_length=20,
        help_text=gettext_lazy("在劳动者登记信息中留存的手机号码"),
    )
    password = forms.CharField(
        label=gettext_lazy("设置密码"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("至少8位，不能过于常见"),
    )
    password2 = forms.CharField(
        label=gettext_lazy("确认密码"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("确认密码：两次输入的密码不一致"))
        return data


def _next_target(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return default
    return target


def register(request: HttpRequest) -> HttpResponse:
    """Anyone may try; success signs the new account in and goes on to `next` (or my courses)."""
    if request.user.is_authenticated:
        return redirect(_next_target(request, reverse("learning:my_courses")))
    form = RegisterForm(request.POST or None)
    status = 200
    account_exists = False
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = worker_account_register(
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    password=data["password"],
                    address=client_address(request),
                )
            except DomainError as exc:
                status = exc.status
                account_exists = exc.code == "account_exists"
                form.show_domain_error(exc)
                if exc.code == "registry_mismatch":
                    # The three fields are marked alike; the one message says what to check.
                    form.add_error(None, str(exc.message))
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("注册成功，您的用户名是身份证号码"))
                return redirect(_next_target(request, reverse("learning:my_courses")))
    return render(
        request,
        "learning/register.html",
        {"form": form, "next": _next_target(request, ""), "account_exists": account_exists},
        status=status,
    )


# --- my courses -----------------------------------------------------------------------------------


@login_required
def my_courses(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.worker_id is None:
        return render(request, "learning/not_a_learner.html", status=403)
    return render(request, "learning/my_courses.html", {"courses": selectors.my_courses(user.worker_id)})


# --- the player -----------------------------------------------------------------------------------


@login_required
def player(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    lesson, enrolment = selectors.lesson_for_viewer(user, pk)
    rows = selectors.lesson_rows(lesson.course_id, enrolment)
    index = next(i for i, row in enumerate(rows) if row.lesson.pk == lesson.pk)
    current = rows[index]
    questions = []
    if lesson.kind == LessonKind.QUIZ:
        # Text and options only: the answers stay on the server.
        questions = [
            {"index": i, "text": q["text"], "options": list(enumerate(q["options"]))}
            for i, q in enumerate(lesson.questions or [])
        ]
    return render(
        request,
        "learning/player.html",
        {
            "lesson": lesson,
            "course": lesson.course,
            "enrolment": enrolment,
            "rows": rows,
            "current": current,
            "previous": rows[index - 1].lesson if index > 0 else None,
            "next": rows[index + 1].lesson if index + 1 < len(rows) else None,
            "questions": questions,
            "lesson_iri": request.build_absolute_uri(lesson_iri(lesson.pk)),
            # Statements are sent for a learner's own enrolment only; a provider or the bureau previews.
            "track": enrolment is not None,
            "resume_at": int(current.last_position) if not current.completed else 0,
        },
    )


@login_required
@require_POST
def quiz_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    lesson, enrolment = selectors.lesson_for_viewer(user, pk)
    if enrolment is None:
        raise NotFound(_("只有报名该课程的学员可以提交测验"))
    answers: list[int | None] = []
    for i in range(len(lesson.questions or [])):
        raw = request.POST.get(f"q{i}", "")
        answers.append(int(raw) if raw.isdigit() and len(raw) < 3 else None)
    try:
        result = quiz_grade(worker_id=enrolment.worker_id, lesson=lesson, answers=answers)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("learning:player", pk=lesson.pk)
    text = _("答对 %(c)s / %(t)s 题，得分 %(s)s（合格分 %(p)s）") % {
        "c": result.correct,
        "t": result.total,
        "s": result.score,
        "p": lesson.pass_score,
    }
    if result.passed:
        messages.success(request, _("测验通过：") + text)
    else:
        messages.error(request, _("测验未通过：") + text + _("，可复习后再次作答"))
    return redirect("learning:player", pk=lesson.pk)


# --- the lesson's file ----------------------------------------------------------------------------


def _media(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not request.user.is_authenticated:
        raise NotFound(_("课时不存在或您无权查看"))
    lesson, _enrolment = selectors.lesson_for_viewer(request.user, pk)
    if not lesson.media:
        raise NotFound(_("该课时没有文件"))
    return ranged_file_response(
        lesson.media, range_header=request.headers.get("Range", ""), content_type=lesson.media_type
    )


# A document lesson's PDF is framed by the player page (same origin); everything else stays unframeable.
lesson_media = csp_replace({"frame-ancestors": ["'self'"]})(xframe_options_sameorigin(_media))  # type: ignore[arg-type]


# --- the certificate of completion ----------------------------------------------------------------


@login_required
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    completion = selectors.completion_for_viewer(acting_user(request), number)
    verify_url = verify_url_for(request, "learning:completion_verify")
    response = HttpResponse(completion_pdf(completion, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{completion.number}.pdf"'
    return response


urlpatterns: list[URLPattern] = [
    path("register/", register, name="register"),
    path("my/", my_courses, name="my_courses"),
    path("lessons/<int:pk>/", player, name="player"),
    path("lessons/<int:pk>/quiz/", quiz_submit, name="quiz_submit"),
    path("lessons/<int:pk>/media/", lesson_media, name="lesson_media"),
    path("completions/<str:number>.pdf", certificate, name="certificate"),
]
