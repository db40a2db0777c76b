"""A worker enrols in a published course, once: enrolling again answers the enrolment they have."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from skillcity.core.access import _role
from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.learning.models import Course, CourseState, Enrolment


def enrolment_create(*, actor: Any, course: Course) -> Enrolment:
    """The worker's enrolment in `course`, made now unless they have one (then that one, not an
    error: a double tap on 报名 or a retried request must not fail). Refused for a course that is not
    published, saying why."""
    if _role(actor) != "worker" or getattr(actor, "worker_id", None) is None:
        raise PermissionDenied(_("请以劳动者（学员）账号登录后报名，账号须已实名关联劳动者登记"))
    existing = Enrolment.objects.filter(worker_id=actor.worker_id, course=course).first()
    if existing is not None:
        return existing
    course = Course.objects.get(pk=course.pk)
    if course.state != CourseState.PUBLISHED:
        reason = _("课程“%(t)s”当前状态为“%(s)s”，不能报名") % {
            "t": course.title,
            "s": course.get_state_display(),
        }
        if course.state == CourseState.UNPUBLISHED and course.unpublished_reason:
            reason += _("（下架原因：%(r)s）") % {"r": course.unpublished_reason}
        raise DomainError("course_not_published", reason, status=409)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(worker_id=actor.worker_id, course=course)
            audit_record(
                actor=actor,
                action="learning.enrolment.create",
                target=enrolment,
                target_label=f"{course.code} {course.title}",
                after={"course": course.pk, "worker": actor.worker_id},
            )
    except IntegrityError:
        # The same worker's other request enrolled between our read and our insert.
        return Enrolment.objects.get(worker_id=actor.worker_id, course=course)
    return enrolment
