"""The draw wired into the panels of other apps (issue 17 §5), through those apps' own services:

- competition judges: `competition_judges_draw` draws for a contest project, excluding the units that
  fielded players (and the players, and the judges already assigned), and assigns each drawn expert
  with `competitions.services.contests.judge_assign`;
- the leading-talent panel: `leading_panel_draw` draws for a call, excluding the applicants' units (and
  the applicants, and the members already chosen), and adds each with `talents…panel_member_add`;
- a standard's certification panel: `standard_panel_draw` draws for a standard that passed acceptance,
  excluding the developer's organisation (and the members already on it), and adds each with
  `platforms.services.standards.standard_panel_add`.

When a drawn expert declines, the decline hook withdraws them through the app's own service (refused
once they have marked or been given an application) and assigns the replacement; the replacement is
assigned in the name of whoever made the draw (the decline's audit row records who declined)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.competitions.models import ContestProject, Entry, EntryPlayer, Judge, Mark
from skillcity.competitions.services import contests
from skillcity.core.errors import DomainError
from skillcity.platforms.models.experts import DrawPurpose, ExpertDraw, ExpertDrawMember
from skillcity.platforms.selectors.experts import GRANT_KEY
from skillcity.platforms.services.experts.draws import DECLINE_GUARDS, DECLINE_HOOKS, expert_draw
from skillcity.talents.models.leading import Assignment, LeadingApplication, LeadingCall, PanelMember
from skillcity.talents.services import leading

PROJECT_KEY = "competitions.project:"
CALL_KEY = "talents.leading_call:"


def without_account() -> set[int]:
    """The pool's experts who have no active platform account (worker ids)."""
    from skillcity.accounts.models import User
    from skillcity.platforms.models.experts import Expert

    signed_in = User.objects.filter(is_active=True, worker__isnull=False).values("worker_id")
    return set(
        Expert.objects.filter(active=True)
        .exclude(worker_id__in=signed_in)
        .values_list("worker_id", flat=True)
    )


def _subject_id(draw: ExpertDraw, prefix: str) -> int:
    return int(draw.subject_key.removeprefix(prefix))


@transaction.atomic
def competition_judges_draw(
    *,
    actor: Any,
    project: ContestProject,
    size: int,
    sectors: list[str] | None = None,
    seed: int | None = None,
) -> ExpertDraw:
    contests.require_organiser(actor, project.competition)
    units = set(Entry.objects.filter(project=project).values_list("unit_id", flat=True))
    people = set(EntryPlayer.objects.filter(project=project).values_list("worker_id", flat=True))
    people |= set(Judge.objects.filter(project=project).values_list("worker_id", flat=True))
    draw = expert_draw(
        actor=actor,
        purpose=DrawPurpose.COMPETITION_JUDGES,
        subject_key=f"{PROJECT_KEY}{project.pk}",
        subject_label=f"{project.competition.name} · {project.name}"[:200],
        size=size,
        sectors=sectors,
        exclude_organisations=units,
        exclude_workers=people,
        seed=seed,
    )
    for member in draw.members.select_related("expert__worker__employer").order_by("position"):
        contests.judge_assign(project=project, actor=actor, worker=member.expert.worker)
    return draw


def _competition_guard(draw: ExpertDraw, member: ExpertDrawMember) -> None:
    if not draw.subject_key.startswith(PROJECT_KEY):  # a draw made on the pool's own page
        return
    project_id = _subject_id(draw, PROJECT_KEY)
    if Mark.objects.filter(judge__project_id=project_id, judge__worker_id=member.expert.worker_id).exists():
        message = _("%(w)s已开始评分，不能谢绝") % {"w": member.expert.worker.name}
        raise DomainError("judge_has_marks", message, status=409)


def _competition_hook(
    draw: ExpertDraw, member: ExpertDrawMember, replacement: ExpertDrawMember | None
) -> None:
    if not draw.subject_key.startswith(PROJECT_KEY):  # a draw made on the pool's own page
        return
    project = ContestProject.objects.get(pk=_subject_id(draw, PROJECT_KEY))
    contests.judge_withdraw(
        project=project, actor=draw.drawn_by, worker=member.expert.worker, reason=member.decline_reason
    )
    if replacement is not None:
        contests.judge_assign(project=project, actor=draw.drawn_by, worker=replacement.expert.worker)


@transaction.atomic
def leading_panel_draw(
    *, actor: Any, call: LeadingCall, size: int, sectors: list[str] | None = None, seed: int | None = None
) -> ExpertDraw:
    leading._require_bureau(actor)
    applications = LeadingApplication.objects.filter(call=call).select_related("worker")
    units = {a.unit_id for a in applications if a.unit_id} | {
        a.worker.employer_id for a in applications if a.worker.employer_id
    }
    people = {a.worker_id for a in applications}
    people |= set(PanelMember.objects.filter(call=call).values_list("worker_id", flat=True))
    # A member scores signed in (talents refuses a member without an active account): experts without
    # one are not drawn, so a draw never stops half-way on them.
    people |= without_account()
    draw = expert_draw(
        actor=actor,
        purpose=DrawPurpose.LEADING_PANEL,
        subject_key=f"{CALL_KEY}{call.pk}",
        subject_label=call.title[:200],
        size=size,
        sectors=sectors,
        exclude_organisations=units,
        exclude_workers=people,
        seed=seed,
    )
    for member in draw.members.select_related("expert__worker").order_by("position"):
        leading.panel_member_add(actor=actor, call=call, worker=member.expert.worker)
    return draw


def _leading_guard(draw: ExpertDraw, member: ExpertDrawMember) -> None:
    if not draw.subject_key.startswith(CALL_KEY):  # a draw made on the pool's own page
        return
    call_id = _subject_id(draw, CALL_KEY)
    if Assignment.objects.filter(member__call_id=call_id, member__worker_id=member.expert.worker_id).exists():
        message = _("%(w)s已分配评审申报，不能谢绝") % {"w": member.expert.worker.name}
        raise DomainError("member_assigned", message, status=409)


def _leading_hook(draw: ExpertDraw, member: ExpertDrawMember, replacement: ExpertDrawMember | None) -> None:
    if not draw.subject_key.startswith(CALL_KEY):  # a draw made on the pool's own page
        return
    call = LeadingCall.objects.get(pk=_subject_id(draw, CALL_KEY))
    leading.panel_member_withdraw(
        actor=draw.drawn_by, call=call, worker=member.expert.worker, reason=member.decline_reason
    )
    if replacement is not None:
        leading.panel_member_add(actor=draw.drawn_by, call=call, worker=replacement.expert.worker)


DECLINE_GUARDS[DrawPurpose.COMPETITION_JUDGES] = _competition_guard
DECLINE_HOOKS[DrawPurpose.COMPETITION_JUDGES] = _competition_hook
DECLINE_GUARDS[DrawPurpose.LEADING_PANEL] = _leading_guard
DECLINE_HOOKS[DrawPurpose.LEADING_PANEL] = _leading_hook


STANDARD_KEY = "platforms.standard:"


@transaction.atomic
def standard_panel_draw(
    *, actor: Any, standard: Any, size: int, sectors: list[str] | None = None, seed: int | None = None
) -> ExpertDraw:
    from skillcity.platforms.models.standards import StandardPanelMember
    from skillcity.platforms.services import standards

    standards._require_bureau(actor)
    people = set(StandardPanelMember.objects.filter(standard=standard).values_list("worker_id", flat=True))
    draw = expert_draw(
        actor=actor,
        purpose=DrawPurpose.STANDARD_ACCEPTANCE,
        subject_key=f"{STANDARD_KEY}{standard.pk}",
        subject_label=standard.title[:200],
        size=size,
        sectors=sectors,
        exclude_organisations={standard.developer_id},
        exclude_workers=people,
        seed=seed,
    )
    for member in draw.members.select_related("expert__worker__employer").order_by("position"):
        standards.standard_panel_add(actor=actor, standard=standard, worker=member.expert.worker)
    return draw


def _standard_guard(draw: ExpertDraw, member: ExpertDrawMember) -> None:
    from skillcity.platforms.models.standards import StandardPanelMember

    if not draw.subject_key.startswith(STANDARD_KEY):  # a draw made on the pool's page for a standard
        return
    standard_id = _subject_id(draw, STANDARD_KEY)
    if StandardPanelMember.objects.filter(
        standard_id=standard_id, worker_id=member.expert.worker_id, score__isnull=False
    ).exists():
        message = _("%(w)s已评分，不能谢绝") % {"w": member.expert.worker.name}
        raise DomainError("member_scored", message, status=409)


def _standard_hook(draw: ExpertDraw, member: ExpertDrawMember, replacement: ExpertDrawMember | None) -> None:
    from skillcity.platforms.models.standards import Standard
    from skillcity.platforms.services import standards

    if not draw.subject_key.startswith(STANDARD_KEY):  # not wired to a standard's record: nothing to change
        return
    standard = Standard.objects.get(pk=_subject_id(draw, STANDARD_KEY))
    standards.standard_panel_withdraw(
        actor=draw.drawn_by, standard=standard, worker=member.expert.worker, reason=member.decline_reason
    )
    if replacement is not None:
        standards.standard_panel_add(actor=draw.drawn_by, standard=standard, worker=replacement.expert.worker)


DECLINE_GUARDS[DrawPurpose.STANDARD_ACCEPTANCE] = _standard_guard
DECLINE_HOOKS[DrawPurpose.STANDARD_ACCEPTANCE] = _standard_hook


STUDIO_KEY = "platforms.studio:"


@transaction.atomic
def studio_review_draw(
    *, actor: Any, studio: Any, size: int, sectors: list[str] | None = None, seed: int | None = None
) -> ExpertDraw:
    """Experts to review a studio's application: the studio's enterprise and its lead are excluded. The
    review itself is the bureau's decision on the studio's page; the draw records who was asked."""
    from skillcity.platforms.services.studios.common import _require_bureau

    _require_bureau(actor)
    return expert_draw(
        actor=actor,
        purpose=DrawPurpose.STUDIO_REVIEW,
        subject_key=f"{STUDIO_KEY}{studio.pk}",
        subject_label=studio.name[:200],
        size=size,
        sectors=sectors,
        exclude_organisations={studio.organisation_id},
        exclude_workers={studio.lead_id},
        seed=seed,
    )


@transaction.atomic
def grant_review_draw(
    *, actor: Any, application: Any, size: int, sectors: list[str] | None = None, seed: int | None = None
) -> ExpertDraw:
    """Experts to review a grant application in review, by the bureau: the applicant's organisation is
    excluded, and for a worker's claim the worker and their employer; so are the experts an earlier draw for
    this application still holds, so a second draw adds reviewers. The review itself is the grant's own
    stages; the draw records who was asked, and a decline draws a replacement as on the pool's page."""
    from skillcity.core.access import require_role
    from skillcity.grants.models import ApplicationState

    require_role(actor, "bureau_officer")
    if application.state != ApplicationState.IN_REVIEW:
        message = _("申请当前状态为“%(s)s”，只有审核中的申请可抽取评审专家") % {
            "s": application.get_state_display()
        }
        raise DomainError("application_not_in_review", message, status=409)
    organisations: set[int] = set()
    workers: set[int] = set()
    if application.organisation_id:
        organisations.add(application.organisation_id)
    if application.worker_id:
        workers.add(application.worker_id)
        if application.worker.employer_id:
            organisations.add(application.worker.employer_id)
    workers |= set(
        ExpertDrawMember.objects.filter(
            draw__subject_key=f"{GRANT_KEY}{application.pk}", state=ExpertDrawMember.State.DRAWN
        ).values_list("expert__worker_id", flat=True)
    )
    return expert_draw(
        actor=actor,
        purpose=DrawPurpose.GRANT_REVIEW,
        subject_key=f"{GRANT_KEY}{application.pk}",
        subject_label=f"#{application.pk} {application.applicant_name}"[:200],
        size=size,
        sectors=sectors,
        exclude_organisations=organisations,
        exclude_workers=workers,
        seed=seed,
    )
