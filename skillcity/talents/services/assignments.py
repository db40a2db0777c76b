"""Taking an application back from a panel member who has not scored it (a member fallen ill, a
conflict found late): the assignment is removed with an audit row naming the member and the reason.
A submitted sheet stays: its scores are the record of the review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.grants import flows
from skillcity.talents.models.leading import Assignment, LeadingApplication, LeadingState


@transaction.atomic
def assignment_remove(*, actor: Any, assignment: Assignment, reason: str = "") -> LeadingApplication:
    if not flows.user_has_stage_role(actor, "bureau_officer"):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))
    app = LeadingApplication.objects.select_for_update().get(pk=assignment.application_id)
    a = (
        Assignment.objects.select_for_update()
        .select_related("member__worker")
        .filter(pk=assignment.pk)
        .first()
    )
    if a is None:
        raise Conflict("not_assigned", _("该专家已不在此申报的评审名单中"))
    if a.submitted_at is not None or a.scores.exists():
        raise Conflict("already_scored", _("%(m)s 已提交评分，不能取消分配") % {"m": a.member.worker.name})
    if app.state != LeadingState.IN_PANEL:
        raise DomainError(
            "illegal_transition",
            _("申报当前状态为“%(s)s”，不能取消分配") % {"s": app.get_state_display()},
            status=409,
        )
    member_worker = a.member.worker_id
    a.delete()
    audit_record(
        actor=actor,
        action="talents.panel.unassign",
        target=app,
        before={"member": member_worker},
        after={"reason": (reason or "").strip()[:500]},
    )
    return app
