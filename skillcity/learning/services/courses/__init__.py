"""Courses: a provider's organisation user writes a course and its lessons, submits it; the bureau
publishes it or returns it with a reason, and can unpublish a published course with a reason.

Each function is one transaction with its audit row; a review step also writes a CourseDecision
(the course's ledger). A course is edited only while it is a draft, returned or unpublished: a
published course changes only by being unpublished first, so what learners enrolled in stays put.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import _role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.learning.models import (
    COMPLETION_SHARE_MAX,
    COMPLETION_SHARE_MIN,
    LESSON_SECONDS_MAX,
    LESSONS_PER_COURSE_MAX,
    SCORE_MAX,
    Category,
    Course,
    CourseDecision,
    CourseState,
    Lesson,
    LessonKind,
    Statement,
)
from skillcity.learning.services.courses.media import checked_media, stored_name
from skillcity.registry.models import Industry, Occupation, Organisation, SkillLevel

EDITABLE = (CourseState.DRAFT, CourseState.RETURNED, CourseState.UNPUBLISHED)
SUBMITTABLE = EDITABLE
CODE_PREFIX = "KC"
CODE_DIGITS = 5
CODE_ATTEMPTS = 8
REASON_MAX = 500
INDUSTRIES_MAX = 10
COURSE_FIELDS = ["title", "summary", "category", "occupation", "level", "completion_share", "state"]


# ---- who may do what ----------------------------------------------------------------------------


def _require_provider(actor: Any, course: Course | None = None) -> Organisation:
    """The actor's organisation, which must be the course's provider."""
    if _role(actor) != "organisation_user" or getattr(actor, "organisation_id", None) is None:
        raise PermissionDenied(_("只有课程提供单位的用户可以编辑课程"))
    if course is not None and course.provider_id != actor.organisation_id:
        raise PermissionDenied(_("只能编辑本单位提供的课程"))
    organisation: Organisation = actor.organisation
    return organisation


def _require_bureau(actor: Any) -> None:
    if _role(actor) != "bureau_officer":
        raise PermissionDenied(_("只有人社局工作人员可以审核课程"))


def _lock(course: Course) -> Course:
    return Course.objects.select_for_update().get(pk=course.pk)


def _refuse(course: Course, action: str) -> DomainError:
    hint = _("；已发布的课程须先下架才能修改") if course.state == CourseState.PUBLISHED else ""
    return DomainError(
        "bad_state",
        _("课程“%(t)s”当前状态为“%(s)s”，不能%(a)s%(h)s")
        % {"t": course.title, "s": course.get_state_display(), "a": action, "h": hint},
        status=409,
    )


def _require_editable(course: Course) -> None:
    if course.state not in EDITABLE:
        raise _refuse(course, _("修改"))


# ---- the course's fields ------------------------------------------------------------------------


def _clean_course(
    *,
    title: str,
    summary: str,
    category: str,
    occupation: Occupation | None,
    level: int | None,
    industries: Iterable[Industry],
    completion_share: int,
) -> tuple[dict[str, Any], list[Industry]]:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    summary = (summary or "").strip()
    if not title:
        errors["title"] = _("请填写课程名称")
    elif len(title) > 100:
        errors["title"] = _("课程名称最多 100 字")
    if len(summary) > 2000:
        errors["summary"] = _("课程简介最多 2000 字")
    if category not in Category.values:
        errors["category"] = _("课程类别应为学历、技能或素质")
    if level is not None:
        if level not in SkillLevel.values:
            errors["level"] = _("等级应为一级至五级")
        elif occupation is None:
            errors["level"] = _("填写等级时须同时选择职业（工种）")
        elif not occupation.has_levels:
            errors["level"] = _("职业“%(o)s”不设技能等级") % {"o": occupation.name}
    industry_list = list(dict.fromkeys(industries))
    if len(industry_list) > INDUSTRIES_MAX:
        errors["industries"] = _("战略性产业最多选择 %(n)s 个") % {"n": INDUSTRIES_MAX}
    if not COMPLETION_SHARE_MIN <= int(completion_share) <= COMPLETION_SHARE_MAX:
        errors["completion_share"] = _("每节观看比例应在 %(a)s%% 到 %(b)s%% 之间") % {
            "a": COMPLETION_SHARE_MIN,
            "b": COMPLETION_SHARE_MAX,
        }
    if errors:
        raise DomainError(
            "invalid_course", _("课程信息有误：%(e)s") % {"e": "；".join(errors.values())}, errors
        )
    values = {
        "title": title,
        "summary": summary,
        "category": category,
        "occupation": occupation,
        "level": level,
        "completion_share": int(completion_share),
    }
    return values, industry_list


def _next_code(year: int) -> str:
    prefix = f"{CODE_PREFIX}{year}"
    last = Course.objects.filter(
        code__startswith=prefix, code__regex=rf"^{prefix}[0-9]{{{CODE_DIGITS}}}$"
    ).aggregate(m=Max("code"))["m"]
    number = int(last[len(prefix) :]) + 1 if last else 1
    if number >= 10**CODE_DIGITS:
        raise DomainError("codes_exhausted", _("本年度课程编号已用完"), status=409)
    return f"{prefix}{number:0{CODE_DIGITS}d}"


def course_snapshot(course: Course) -> dict[str, Any]:
    return {**snapshot(course, COURSE_FIELDS), "industries": sorted(i.pk for i in course.industries.all())}


def course_create(
    *,
    actor: Any,
    title: str,
    category: str,
    summary: str = "",
    occupation: Occupation | None = None,
    level: int | None = None,
    industries: Iterable[Industry] = (),
    completion_share: int = 90,
    day: datetime.date | None = None,
) -> Course:
    """A provider's organisation user starts a course (a draft) for its organisation.

    The code is the year's next number (KC2026 + 5 digits): two providers creating at once may read
    the same last code; the unique column refuses the second, which takes the next number and tries
    again, each attempt in its own savepoint."""
    provider = _require_provider(actor)
    values, industry_list = _clean_course(
        title=title,
        summary=summary,
        category=category,
        occupation=occupation,
        level=level,
        industries=industries,
        completion_share=completion_share,
    )
    year = (day or timezone.localdate()).year
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                course = Course.objects.create(code=_next_code(year), provider=provider, **values)
                course.industries.set(industry_list)
                audit_record(
                    actor=actor, action="learning.course.create", target=course, after=course_snapshot(course)
                )
                return course
        except IntegrityError:
            continue
    raise DomainError("code_busy", _("课程编号生成繁忙，请稍后再试"), status=409)


@transaction.atomic
def course_update(
    *,
    actor: Any,
    course: Course,
    title: str,
    category: str,
    summary: str = "",
    occupation: Occupation | None = None,
    level: int | None = None,
    industries: Iterable[Industry] = (),
    completion_share: int = 90,
) -> Course:
    _require_provider(actor, course)
    course = _lock(course)
    _require_editable(course)
    values, industry_list = _clean_course(
        title=title,
        summary=summary,
        category=category,
        occupation=occupation,
        level=level,
        industries=industries,
        completion_share=completion_share,
    )
    before = course_snapshot(course)
    for name, value in values.items():
        setattr(course, name, value)
    course.save(update_fields=[*values.keys(), "updated_at"])
    course.industries.set(industry_list)
    audit_record(
        actor=actor,
        action="learning.course.update",
        target=course,
        before=before,
        after=course_snapshot(course),
    )
    return course


# ---- lessons ------------------------------------------------------------------------------------


def _clean_lesson(*, title: str, kind: str, duration_seconds: int, pass_score: int | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if "\x00" in title:  # a multipart form is not screened for NUL, which PostgreSQL cannot store
        errors["title"] = _("课时名称含有不允许的空字符")
    elif not title:
        errors["title"] = _("请填写课时名称")
    elif len(title) > 100:
        errors["title"] = _("课时名称最多 100 字")
    if kind not in LessonKind.values:
        errors["kind"] = _("课时类型应为视频、文档或测验")
    if not isinstance(duration_seconds, int) or not 1 <= duration_seconds <= LESSON_SECONDS_MAX:
        errors["duration_seconds"] = _("课时时长应在 1 秒到 %(h)s 小时之间") % {
            "h": LESSON_SECONDS_MAX // 3600
        }
    if kind == LessonKind.QUIZ:
        if pass_score is None:
            errors["pass_score"] = _("测验课时须填写合格分")
        elif not 0 <= pass_score <= SCORE_MAX:
            errors["pass_score"] = _("合格分应在 0 到 %(n)s 之间") % {"n": SCORE_MAX}
    else:
        pass_score = None
    if errors:
        raise DomainError(
            "invalid_lesson", _("课时信息有误：%(e)s") % {"e": "；".join(errors.values())}, errors
        )
    return {"title": title, "kind": kind, "duration_seconds": duration_seconds, "pass_score": pass_score}


def _attach(lesson: Lesson, upload: Any) -> None:
    media = checked_media(upload, kind=lesson.kind)
    old = lesson.media.name if lesson.media else ""
    lesson.media.save(stored_name(media), upload, save=False)
    lesson.media_type = media.content_type
    if old:
        # The old file goes once the new one is committed; a rollback keeps the old row and its file.
        storage = lesson.media.storage
        transaction.on_commit(lambda: storage.delete(old))


def lesson_snapshot(lesson: Lesson) -> dict[str, Any]:
    return snapshot(
        lesson, ["position", "title", "kind", "duration_seconds", "media", "media_type", "pass_score"]
    )


@transaction.atomic
def lesson_add(
    *,
    actor: Any,
    course: Course,
    title: str,
    kind: str,
    duration_seconds: int,
    media: Any = None,
    pass_score: int | None = None,
) -> Lesson:
    """A lesson at the end of the course. A video or document lesson brings its file (`media`)."""
    _require_provider(actor, course)
    course = _lock(course)
    _require_editable(course)
    values = _clean_lesson(title=title, kind=kind, duration_seconds=duration_seconds, pass_score=pass_score)
    count = course.lessons.count()
    if count >= LESSONS_PER_COURSE_MAX:
        raise DomainError(
            "too_many_lessons", _("一门课程最多 %(n)s 节课时") % {"n": LESSONS_PER_COURSE_MAX}, status=409
        )
    if kind != LessonKind.QUIZ and media is None:
        message = _("请上传课时内容（%(t)s）") % {"t": "MP4、WebM" if kind == LessonKind.VIDEO else "PDF"}
        raise DomainError("media_required", message, {"media": message})
    last = course.lessons.aggregate(m=Max("position"))["m"] or 0
    lesson = Lesson(course=course, position=last + 1, **values)
    if media is not None and kind != LessonKind.QUIZ:
        _attach(lesson, media)
    lesson.save()
    audit_record(actor=actor, action="learning.lesson.add", target=lesson, after=lesson_snapshot(lesson))
    return lesson


@transaction.atomic
def lesson_update(
    *,
    actor: Any,
    lesson: Lesson,
    title: str,
    duration_seconds: int,
    media: Any = None,
    pass_score: int | None = None,
) -> Lesson:
    """A lesson's title, duration, pass score, and (when given) a new file; its kind stays."""
    _require_provider(actor, lesson.course)
    _require_editable(_lock(lesson.course))
    lesson = Lesson.objects.select_related("course").get(pk=lesson.pk)
    values = _clean_lesson(
        title=title, kind=lesson.kind, duration_seconds=duration_seconds, pass_score=pass_score
    )
    before = lesson_snapshot(lesson)
    for name, value in values.items():
        setattr(lesson, name, value)
    if media is not None:
        _attach(lesson, media)
    lesson.save()
    audit_record(
        actor=actor,
        action="learning.lesson.update",
        target=lesson,
        before=before,
        after=lesson_snapshot(lesson),
    )
    return lesson


@transaction.atomic
def lesson_remove(*, actor: Any, lesson: Lesson) -> None:
    """Remove a lesson no learner has sent a statement for; the lessons after it move up one."""
    _require_provider(actor, lesson.course)
    course = _lock(lesson.course)
    _require_editable(course)
    lesson = Lesson.objects.get(pk=lesson.pk)
    if Statement.objects.filter(lesson=lesson).exists():
        raise DomainError(
            "lesson_in_use",
            _("课时“%(t)s”已有学员的学习记录，不能删除，可修改其内容") % {"t": lesson.title},
            status=409,
        )
    before, pk = lesson_snapshot(lesson), lesson.pk
    name, storage, position = (
        (lesson.media.name if lesson.media else ""),
        lesson.media.storage,
        lesson.position,
    )
    lesson.delete()
    # One at a time, in order: each moves into the place just freed (the positions are unique).
    for later in course.lessons.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    audit_record(
        actor=actor,
        action="learning.lesson.remove",
        target_type="learning.lesson",
        target_id=pk,
        target_label=f"{course.code} {before['title']}",
        before=before,
    )


# ---- review -------------------------------------------------------------------------------------


def _decide(actor: Any, course: Course, action: str, reason: str = "") -> None:
    CourseDecision.objects.create(course=course, action=action, reason=reason, actor=actor)


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        message = _("请填写%(w)s原因") % {"w": what}
        raise DomainError("reason_required", message, {"reason": message})
    if len(reason) > REASON_MAX:
        message = _("%(w)s原因最多 %(n)s 字") % {"w": what, "n": REASON_MAX}
        raise DomainError("reason_too_long", message, {"reason": message})
    return reason


@transaction.atomic
def course_submit(*, actor: Any, course: Course) -> Course:
    """The provider sends the course to the bureau: it needs lessons, each video and document with its file."""
    _require_provider(actor, course)
    course = _lock(course)
    if course.state not in SUBMITTABLE:
        raise _refuse(course, _("提交审核"))
    lessons = list(course.lessons.all())
    if not lessons:
        message = _("课程还没有课时，请先添加课时")
        raise DomainError("no_lessons", message, {"lessons": message})
    missing = [
        str(lesson.position) for lesson in lessons if lesson.kind != LessonKind.QUIZ and not lesson.media
    ]
    if missing:
        message = _("第 %(n)s 节课时还没有上传内容") % {"n": "、".join(missing)}
        raise DomainError("media_missing", message, {"lessons": message})
    before = course.state
    course.state, course.submitted_at = CourseState.SUBMITTED, timezone.now()
    course.save(update_fields=["state", "submitted_at", "updated_at"])
    _decide(actor, course, CourseDecision.Action.SUBMIT)
    audit_record(
        actor=actor,
        action="learning.course.submit",
        target=course,
        before={"state": before},
        after={"state": course.state},
    )
    return course


@transaction.atomic
def course_return(*, actor: Any, course: Course, reason: str) -> Course:
    _require_bureau(actor)
    course = _lock(course)
    if course.state != CourseState.SUBMITTED:
        raise _refuse(course, _("退回"))
    reason = _reason(reason, _("退回"))
    course.state = CourseState.RETURNED
    course.save(update_fields=["state", "updated_at"])
    _decide(actor, course, CourseDecision.Action.RETURN, reason)
    audit_record(
        actor=actor,
        action="learning.course.return",
        target=course,
        before={"state": CourseState.SUBMITTED},
        after={"state": course.state, "reason": reason},
    )
    return course


@transaction.atomic
def course_publish(*, actor: Any, course: Course) -> Course:
    _require_bureau(actor)
    course = _lock(course)
    if course.state != CourseState.SUBMITTED:
        raise _refuse(course, _("发布"))
    course.state, course.published_at, course.unpublished_reason = CourseState.PUBLISHED, timezone.now(), ""
    course.save(update_fields=["state", "published_at", "unpublished_reason", "updated_at"])
    _decide(actor, course, CourseDecision.Action.PUBLISH)
    audit_record(
        actor=actor,
        action="learning.course.publish",
        target=course,
        before={"state": CourseState.SUBMITTED},
        after={"state": course.state},
    )
    return course


@transaction.atomic
def course_unpublish(*, actor: Any, course: Course, reason: str) -> Course:
    """Take a published course out of the catalogue. Its learners keep their enrolments, progress and
    completions; no one new can enrol until the provider resubmits and the bureau publishes it again."""
    _require_bureau(actor)
    course = _lock(course)
    if course.state != CourseState.PUBLISHED:
        raise _refuse(course, _("下架"))
    reason = _reason(reason, _("下架"))
    course.state, course.unpublished_reason = CourseState.UNPUBLISHED, reason
    course.save(update_fields=["state", "unpublished_reason", "updated_at"])
    _decide(actor, course, CourseDecision.Action.UNPUBLISH, reason)
    audit_record(
        actor=actor,
        action="learning.course.unpublish",
        target=course,
        before={"state": CourseState.PUBLISHED},
        after={"state": course.state, "reason": reason},
    )
    return course


def course_hours(seconds: int | None) -> Decimal:
    """学时 shown on cards: hours with one decimal."""
    return (Decimal(seconds or 0) / Decimal(3600)).quantize(Decimal("0.1"))
