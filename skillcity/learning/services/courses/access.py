"""Who may change a course, in which states, and the limits the course services share."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from skillcity.core.access import _role
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.learning.models import Course, CourseState
from skillcity.registry.models import Organisation

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
