"""Projects, entries (units register their own workers) and judges (conflicts refused both ways)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    Competition,
    ContestProject,
    Entry,
    EntryPlayer,
    Judge,
    Mark,
)
from skillcity.competitions.services.contests.common import (
    TEAM_SIZE_MAX,
    _dates,
    _field_error,
    _int,
    _require_open,
    _text_errors,
    can_register_for,
    require_organiser,
)
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import (
    LEVEL_MAX,
    LEVEL_MIN,
)
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.registry.models import Occupation, Organisation, Worker

# --- projects --------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    competition: Competition,
    actor: Any,
    name: str,
    occupation: Occupation,
    level: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    direction: str = "",
    host_unit: Organisation | None = None,
    venue: str = "",
    team_size: int = 1,
) -> ContestProject:
    require_organiser(actor, competition)
    if competition.state == Competition.State.CLOSED:
        raise DomainError("competition_closed", _("竞赛已结束，不能再增加项目"))
    name = (name or "").strip()
    if not name:
        raise _field_error("name_required", "name", _("项目名称：请填写"))
    if occupation is None:
        raise _field_error("occupation_required", "occupation", _("职业（工种）：请选择"))
    level = _int(level, field="level", label=_("对应标准等级"), low=LEVEL_MIN, high=LEVEL_MAX)
    team_size = _int(team_size, field="team_size", label=_("每队人数"), low=1, high=TEAM_SIZE_MAX)
    _dates(starts_on, ends_on)
    direction, venue = (direction or "").strip(), (venue or "").strip()
    _text_errors(ContestProject, {"name": name, "direction": direction, "venue": venue})
    project = ContestProject.objects.create(
        competition=competition,
        name=name,
        occupation=occupation,
        direction=direction,
        level=level,
        host_unit=host_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        venue=venue,
        team_size=team_size,
    )
    audit_record(actor=actor, action="competition.project_create", target=project, after=snapshot(project))
    return project


# --- entries -------------------------------------------------------------------------------------


@transaction.atomic
def entry_register(
    *,
    project: ContestProject,
    actor: Any,
    unit: Organisation,
    workers: Iterable[Worker],
    team_name: str = "",
    coach: Worker | None = None,
    coach_name: str = "",
) -> Entry:
    """A unit's player (or team) in a project, with its coach. Every player is a worker in the registry
    employed by the unit, in no other entry of the project, and not a judge of it."""
    project = ContestProject.objects.select_for_update().get(pk=project.pk)
    if not can_register_for(actor, unit):
        raise PermissionDenied(_("只能为本单位报名"))
    _require_open(project)
    if project.state != ContestProject.State.SETUP:
        raise DomainError("registration_closed", _("该项目已开始评分，报名已截止"))
    if project.competition.external:
        raise DomainError("external_competition", _("外部竞赛的成绩通过导入登记，不在此报名"))
    players = list(dict.fromkeys(workers))
    if not players:
        raise _field_error("players_required", "workers", _("参赛选手：请至少选择一名选手"))
    if len(players) > project.team_size:
        raise _field_error(
            "team_too_large", "workers", _("参赛选手：本项目每队最多 %(n)d 人") % {"n": project.team_size}
        )
    team_name, coach_name = (team_name or "").strip(), (coach_name or "").strip()
    if len(players) > 1 and not team_name:
        raise _field_error("team_name_required", "team_name", _("队名：团体报名须填写队名"))
    for worker in players:
        if worker.employer_id != unit.pk:
            raise _field_error(
                "player_not_employee",
                "workers",
                _("参赛选手：%(w)s不是%(u)s的在职员工") % {"w": worker.name, "u": unit.name},
            )
    # Ordered by id alone: the model's ordering joins entry, project and competition, and on PostgreSQL, with
    # statistics from before a bulk load, that join once took minutes a query.
    taken = (
        EntryPlayer.objects.filter(project=project, worker__in=players)
        .select_related("worker")
        .order_by("id")
        .first()
    )
    if taken is not None:
        raise _field_error(
            "player_already_entered", "workers", _("参赛选手：%(w)s已报名本项目") % {"w": taken.worker.name}
        )
    judge = Judge.objects.filter(project=project, worker__in=players).select_related("worker").first()
    if judge is not None:
        raise _field_error(
            "player_is_judge", "workers", _("参赛选手：%(w)s是本项目的裁判") % {"w": judge.worker.name}
        )
    own_judge = Judge.objects.filter(project=project, unit=unit).select_related("worker").first()
    if own_judge is not None:
        raise _field_error(
            "judge_conflict",
            "workers",
            _("%(u)s的员工%(j)s是本项目的裁判，该单位不能再派选手参赛")
            % {"u": unit.name, "j": own_judge.worker.name},
        )
    if coach is not None and coach in players:
        raise _field_error("coach_is_player", "coach", _("教练：教练不能同时是本队选手"))
    _text_errors(Entry, {"team_name": team_name, "coach_name": coach_name})
    bib = f"{Entry.objects.filter(project=project).count() + 1:03d}"
    entry = Entry.objects.create(
        project=project,
        unit=unit,
        team_name=team_name,
        coach=coach,
        coach_name="" if coach is not None else coach_name,
        bib=bib,
        registered_by=actor,
    )
    EntryPlayer.objects.bulk_create([EntryPlayer(entry=entry, project=project, worker=w) for w in players])
    audit_record(
        actor=actor,
        action="competition.entry_register",
        target=entry,
        target_label=f"{project.name} #{bib}",
        after={**snapshot(entry), "players": [w.pk for w in players]},
    )
    return entry


# --- judges --------------------------------------------------------------------------------------


@transaction.atomic
def judge_assign(*, project: ContestProject, actor: Any, worker: Worker, is_chief: bool = False) -> Judge:
    """Assign a judge (a person in the registry) to a project. A judge whose unit fielded a player in
    the project is refused (`judge_conflict`, naming the unit)."""
    project = ContestProject.objects.select_for_update().get(pk=project.pk)
    require_organiser(actor, project.competition)
    _require_open(project)
    if worker is None:
        raise _field_error("worker_required", "worker", _("裁判：请选择"))
    if Judge.objects.filter(project=project, worker=worker).exists():
        raise _field_error("judge_exists", "worker", _("裁判：%(w)s已是本项目裁判") % {"w": worker.name})
    if EntryPlayer.objects.filter(project=project, worker=worker).exists():
        raise _field_error(
            "judge_is_player", "worker", _("裁判：%(w)s是本项目的参赛选手") % {"w": worker.name}
        )
    if (
        worker.employer_id is not None
        and EntryPlayer.objects.filter(project=project, entry__unit_id=worker.employer_id).exists()
    ):
        unit_name = worker.employer.name if worker.employer else ""
        raise _field_error(
            "judge_conflict",
            "worker",
            _("裁判：%(w)s所在单位%(u)s有选手参加本项目，须回避") % {"w": worker.name, "u": unit_name},
        )
    if is_chief and Judge.objects.filter(project=project, is_chief=True).exists():
        raise _field_error("chief_exists", "is_chief", _("裁判长：本项目已有裁判长"))
    judge = Judge.objects.create(
        project=project, worker=worker, unit_id=worker.employer_id, is_chief=bool(is_chief), assigned_by=actor
    )
    audit_record(actor=actor, action="competition.judge_assign", target=judge, after=snapshot(judge))
    return judge


@transaction.atomic
def judge_withdraw(*, project: ContestProject, actor: Any, worker: Worker, reason: str) -> None:
    """A judge who has not marked yet steps down (an expert drawn from the pool who declined, issue 17
    §5); one who has marked stays, their marks being the record."""
    project = ContestProject.objects.select_for_update().get(pk=project.pk)
    require_organiser(actor, project.competition)
    _require_open(project)
    judge = Judge.objects.filter(project=project, worker=worker).first()
    if judge is None:
        return
    if Mark.objects.filter(judge=judge).exists():
        raise DomainError(
            "judge_has_marks", _("%(w)s已开始评分，不能退出本项目裁判") % {"w": worker.name}, status=409
        )
    before = snapshot(judge)
    judge.delete()
    audit_record(
        actor=actor,
        action="competition.judge_withdraw",
        target_type="competitions.judge",
        target_id=before["id"],
        target_label=worker.name,
        before=before,
        after={"reason": reason},
    )
