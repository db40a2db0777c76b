"""A course's lessons: add, change and remove them while the course is editable, with their files."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError
from skillcity.learning.models import (
    LESSON_SECONDS_MAX,
    LESSONS_PER_COURSE_MAX,
    SCORE_MAX,
    Course,
    Lesson,
    LessonKind,
    Statement,
)
from skillcity.learning.services.courses.access import _lock, _require_editable, _require_provider
from skillcity.learning.services.courses.media import checked_media, stored_name


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
