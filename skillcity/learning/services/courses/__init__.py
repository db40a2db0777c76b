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

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError
from skillcity.learning.models import COMPLETION_SHARE_MAX, COMPLETION_SHARE_MIN, Category, Course
from skillcity.learning.services.courses.access import (
    CODE_ATTEMPTS,
    CODE_DIGITS,
    CODE_PREFIX,
    COURSE_FIELDS,
    EDITABLE,
    INDUSTRIES_MAX,
    REASON_MAX,
    SUBMITTABLE,
    _lock,
    _require_editable,
    _require_provider,
)
from skillcity.learning.services.courses.lessons import (
    lesson_add,
    lesson_remove,
    lesson_snapshot,
    lesson_update,
)
from skillcity.learning.services.courses.review import (
    course_publish,
    course_return,
    course_submit,
    course_unpublish,
)
from skillcity.registry.models import Industry, Occupation, SkillLevel

__all__ = [
    "CODE_ATTEMPTS",
    "CODE_DIGITS",
    "CODE_PREFIX",
    "COURSE_FIELDS",
    "EDITABLE",
    "INDUSTRIES_MAX",
    "REASON_MAX",
    "SUBMITTABLE",
    "course_create",
    "course_hours",
    "course_publish",
    "course_return",
    "course_snapshot",
    "course_submit",
    "course_unpublish",
    "course_update",
    "lesson_add",
    "lesson_remove",
    "lesson_snapshot",
    "lesson_update",
]


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


def course_hours(seconds: int | None) -> Decimal:
    """学时 shown on cards: hours with one decimal."""
    return (Decimal(seconds or 0) / Decimal(3600)).quantize(Decimal("0.1"))
