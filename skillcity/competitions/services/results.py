"""Results from marks: the total, the rank with the tie rule, the award and the pass; confirmed by the
chief judge, which freezes and publishes them (docs/competitions.md, "评分与成绩").

- An aspect's mark: measurement — the judge's mark; judgement — max_mark × mean(the judges' 0–3
  scores) / 3. Only submitted standing marks count (the newest row of each judge: corrections count).
- Total = sum of the aspect marks, rounded half up to 0.01.
- Tie rule: higher total first; then the higher sum of measurement marks; still equal → the same rank,
  and the next rank skips (1, 1, 3).
- Awards go down the ranks: gold to ranks 1..gold_places, then silver, bronze and 优胜奖 by their
  places; only an entry whose total reaches the pass mark gets an award; tied entries share the award
  of their rank. `passed` = total ≥ pass mark.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    JUDGEMENT_MAX_SCORE,
    Aspect,
    Award,
    Competition,
    ContestProject,
    Entry,
    Result,
)
from skillcity.competitions.selectors.contests import aspects_of, judge_for, marking_gaps, standing_marks
from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError, PermissionDenied

CENT = Decimal("0.01")


def award_for(rank: int, competition: Competition) -> str:
    """The award a rank earns under the competition's places (before the pass mark applies)."""
    bound = 0
    for award, places in (
        (Award.GOLD, competition.gold_places),
        (Award.SILVER, competition.silver_places),
        (Award.BRONZE, competition.bronze_places),
        (Award.EXCELLENCE, competition.excellence_places),
    ):
        bound += places
        if rank <= bound:
            return str(award)
    return str(Award.NONE)


def entry_totals(project: ContestProject) -> dict[int, tuple[Decimal, Decimal]]:
    """{entry id: (total rounded to 0.01, sum of measurement marks)} from the submitted standing marks."""
    aspects = {a.pk: a for a in aspects_of(project)}
    scores: dict[tuple[int, int], list[Decimal]] = {}
    for (entry_id, aspect_id, _judge), mark in standing_marks(project, submitted_only=True).items():
        if aspect_id in aspects:
            scores.setdefault((entry_id, aspect_id), []).append(mark.score)
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for entry_id in Entry.objects.filter(project=project).values_list("pk", flat=True):
        total = Decimal(0)
        measured = Decimal(0)
        for aspect_id, aspect in aspects.items():
            values = scores.get((entry_id, aspect_id), [])
            if not values:
                continue
            if aspect.kind == Aspect.Kind.JUDGEMENT:
                total += aspect.max_mark * sum(values) / (JUDGEMENT_MAX_SCORE * len(values))
            else:
                measurement = values[0]
                total += measurement
                measured += measurement
        totals[entry_id] = (total.quantize(CENT, rounding=ROUND_HALF_UP), measured)
    return totals


def _rank(totals: dict[int, tuple[Decimal, Decimal]]) -> dict[int, int]:
    """Competition ranking (1, 1, 3) by (total, measurement sum), both higher first."""
    order = sorted(totals, key=lambda e: (-totals[e][0], -totals[e][1], e))
    ranks: dict[int, int] = {}
    for position, entry_id in enumerate(order, start=1):
        if position > 1 and totals[entry_id] == totals[order[position - 2]]:
            ranks[entry_id] = ranks[order[position - 2]]
        else:
            ranks[entry_id] = position
    return ranks


def _compute(project: ContestProject) -> list[Result]:
    competition = project.competition
    totals = entry_totals(project)
    ranks = _rank(totals)
    results: list[Result] = []
    for entry_id, (total, _measured) in totals.items():
        rank = ranks[entry_id]
        passed = total >= competition.pass_mark
        award = award_for(rank, competition) if passed else str(Award.NONE)
        result, _created = Result.objects.update_or_create(
            entry_id=entry_id,
            defaults={"project": project, "total": total, "rank": rank, "award": award, "passed": passed},
        )
        results.append(result)
    results.sort(key=lambda r: (r.rank or 0, r.entry_id))
    return results


@transaction.atomic
def results_compute(*, project: ContestProject, actor: Any = None) -> list[Result]:
    """(Re)compute a project's results from its submitted marks. Refused once confirmed, and for an
    external competition (its results are imported)."""
    project = ContestProject.objects.select_for_update().select_related("competition").get(pk=project.pk)
    if project.competition.external:
        raise DomainError("external_competition", _("外部竞赛的成绩通过导入登记，不由评分计算"))
    if project.state == ContestProject.State.CONFIRMED:
        raise DomainError("project_confirmed", _("该项目成绩已确认公布，不再重新计算"))
    if not aspects_of(project):
        raise DomainError("no_scheme", _("该项目还没有评分方案"))
    results = _compute(project)
    audit_record(
        actor=actor,
        action="competition.results_compute",
        target=project,
        after=[
            {"entry": r.entry_id, "total": str(r.total), "rank": r.rank, "award": r.award} for r in results
        ],
    )
    return results


@transaction.atomic
def results_confirm(*, project: ContestProject, actor: Any) -> ContestProject:
    """The chief judge confirms the project's results: every entry fully marked and submitted; the
    results are computed once more, frozen and published."""
    project = ContestProject.objects.select_for_update().select_related("competition").get(pk=project.pk)
    chief = judge_for(actor, project)
    if str(getattr(actor, "role", "")) != "worker" or chief is None or not chief.is_chief:
        raise PermissionDenied(_("只有本项目的裁判长可以确认成绩"))
    if project.competition.external:
        raise DomainError("external_competition", _("外部竞赛的成绩通过导入登记，不由评分计算"))
    if project.state == ContestProject.State.CONFIRMED:
        raise DomainError("project_confirmed", _("该项目成绩已确认公布"))
    if not Entry.objects.filter(project=project).exists():
        raise DomainError("no_entries", _("该项目没有参赛报名"))
    gaps = marking_gaps(project)
    if gaps:
        raise DomainError("marking_incomplete", _("评分尚未完成：%(g)s") % {"g": "；".join(gaps[:5])})
    results = _compute(project)
    project.state = ContestProject.State.CONFIRMED
    project.confirmed_by = actor
    project.confirmed_at = timezone.now()
    project.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action="competition.results_confirm",
        target=project,
        after=[
            {"entry": r.entry_id, "total": str(r.total), "rank": r.rank, "award": r.award} for r in results
        ],
    )
    return project
