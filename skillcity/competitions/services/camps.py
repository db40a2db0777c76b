"""Training camps (集训) units record: a unit's camp for a provincial-or-higher project, with its Dongguan
trainees and their months (CMP-CAMP, CMP-CAMP-TRAINEE), or a WorldSkills selection camp at a level that
the bureau confirms completed (CMP-WS-BASE). docs/competitions.md, "奖励与补贴"."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    PROVINCIAL_OR_HIGHER,
    CampTrainee,
    ContestProject,
    Level,
    TrainingCamp,
)
from skillcity.competitions.services.imports import normalise_id_number
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.registry.models import Organisation, Worker


def _months_spanned(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


@transaction.atomic
def camp_record(
    *,
    actor: Any,
    project: ContestProject,
    unit: Organisation,
    starts_on: datetime.date,
    ends_on: datetime.date,
    trainees: list[tuple[str, int]],
    selection_level: str = "",
    completed: bool = False,
) -> TrainingCamp:
    """A unit's training camp for a provincial-or-higher project (CMP-CAMP), or a WorldSkills
    selection camp at a level (CMP-WS-BASE), with its Dongguan trainees and their months of camp.
    A unit records its own; the bureau any unit's."""
    role = getattr(actor, "role", None)
    if not (role == "bureau_officer" or (role == "organisation_user" and actor.organisation_id == unit.pk)):
        raise PermissionDenied(_("只有集训单位本单位用户或市人社局可以登记集训"))
    level = project.competition.level
    if level not in PROVINCIAL_OR_HIGHER:
        raise DomainError(
            "camp_level",
            _("集训只适用于省级以上竞赛项目，“%(p)s”为%(l)s")
            % {"p": project.name, "l": project.competition.get_level_display()},
            {"project": _("须为省级以上竞赛项目")},
        )
    if selection_level and level != Level.WORLDSKILLS:
        raise DomainError(
            "camp_selection_level",
            _("世赛选拔集训级别只适用于世界技能大赛项目"),
            {"selection_level": _("只适用于世界技能大赛项目")},
        )
    if selection_level not in TrainingCamp.SelectionLevel.values:
        raise DomainError("camp_selection_level", _("世赛选拔集训级别无效"), {"selection_level": _("无效")})
    if ends_on < starts_on:
        raise DomainError("camp_dates", _("集训结束日期不能早于开始日期"), {"ends_on": _("不能早于开始日期")})
    # CMP-CAMP and CMP-WS-BASE are per project: a unit's camp for a project is recorded once (the
    # database holds it too), so the same training cannot be claimed twice.
    if TrainingCamp.objects.filter(project=project, unit=unit, selection_level=selection_level).exists():
        raise DomainError(
            "camp_exists",
            _("本单位已登记该项目的集训，不能重复登记"),
            {"project": _("本单位已登记该项目的集训")},
        )
    spanned = _months_spanned(starts_on, ends_on)
    seen: set[str] = set()
    rows: list[tuple[Worker, int]] = []
    for line, (number, months) in enumerate(trainees, start=1):
        number = normalise_id_number(str(number or "").strip())
        worker = Worker.objects.filter(id_number=number).first()
        if worker is None:
            raise DomainError(
                "trainee_unknown",
                _("第 %(n)s 名集训选手：身份证号码不在劳动者库中") % {"n": line},
                {"trainees": _("第 %(n)s 行：身份证号码不在劳动者库中") % {"n": line}},
            )
        if number in seen:
            raise DomainError(
                "trainee_twice",
                _("第 %(n)s 名集训选手重复填写") % {"n": line},
                {"trainees": _("第 %(n)s 行重复") % {"n": line}},
            )
        seen.add(number)
        if not 1 <= months <= min(spanned, 36):
            raise DomainError(
                "trainee_months",
                _("第 %(n)s 名集训选手的集训月数应在 1 至 %(m)s 之间（集训期跨 %(m)s 个月）")
                % {"n": line, "m": min(spanned, 36)},
                {"trainees": _("第 %(n)s 行：集训月数超出集训期") % {"n": line}},
            )
        rows.append((worker, months))
    camp = TrainingCamp.objects.create(
        project=project,
        unit=unit,
        selection_level=selection_level,
        starts_on=starts_on,
        ends_on=ends_on,
        completed=completed,
        created_by=actor,
    )
    CampTrainee.objects.bulk_create([CampTrainee(camp=camp, worker=w, months=m) for w, m in rows])
    audit_record(
        actor=actor,
        action="competitions.camp.record",
        target=camp,
        after={**snapshot(camp), "trainees": [[w.pk, m] for w, m in rows]},
    )
    return camp


@transaction.atomic
def camp_complete(*, camp: TrainingCamp, actor: Any) -> TrainingCamp:
    """The bureau confirms a camp completed its task (CMP-WS-BASE pays a completed selection camp)."""
    if getattr(actor, "role", None) != "bureau_officer" and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("只有市人社局工作人员可以确认集训任务完成"))
    camp = TrainingCamp.objects.select_for_update().get(pk=camp.pk)
    if camp.completed:
        return camp
    camp.completed = True
    camp.save(update_fields=["completed"])
    audit_record(actor=actor, action="competitions.camp.complete", target=camp, after={"completed": True})
    return camp
