"""Review: the provider submits a course; the bureau returns, publishes or unpublishes it with a reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError
from skillcity.learning.models import Course, CourseDecision, CourseState, LessonKind
from skillcity.learning.services.courses.access import (
    REASON_MAX,
    SUBMITTABLE,
    _lock,
    _refuse,
    _require_bureau,
    _require_provider,
)


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
