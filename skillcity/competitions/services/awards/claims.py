"""Each award a competition's records give (a Claim): who is paid, under which CMP rule, from which facts
and where each came from, with the engine's outcome and the application standing for it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    PROVINCIAL_OR_HIGHER,
    Award,
    Competition,
    ContestProject,
    Entry,
    Level,
    Result,
    TrainingCamp,
)
from skillcity.core.money import money_str
from skillcity.grants import outcomes
from skillcity.grants.models import Application
from skillcity.grants.services.records import STANDING_EXCLUDED
from skillcity.registry.models import Organisation, Worker

SOURCE_PREFIX = "competitions."
MEDALS = (Award.GOLD, Award.SILVER, Award.BRONZE)
CITY_PRIZE_AWARDS = (*MEDALS, Award.EXCELLENCE)
# CMP-HOST: the levels the rule pays a host for (national: case by case, still reviewed).
HOST_LEVELS = (
    Level.CITY_CLASS1,
    Level.CITY_CLASS2,
    Level.CITY_SELECTION,
    Level.PROVINCIAL_CLASS1,
    Level.PROVINCIAL_CLASS2,
    Level.NATIONAL_CLASS1,
    Level.NATIONAL_CLASS2,
)
MATCH_LEVELS = (
    Level.PROVINCIAL_CLASS1,
    Level.PROVINCIAL_CLASS2,
    Level.NATIONAL_CLASS1,
    Level.NATIONAL_CLASS2,
)
AWARD_RULES = (
    "CMP-PRIZE-CITY",
    "CMP-HOST",
    "CMP-TEAM",
    "CMP-CAMP",
    "CMP-CAMP-TRAINEE",
    "CMP-MATCH",
    "CMP-MATCH-COACH",
    "CMP-WORLDSKILLS",
    "CMP-WORLDSKILLS-COACH",
    "CMP-WS-BASE",
)


@dataclass
class Claim:
    """One award a record gives: who is paid, under which rule, from which facts (and where each fact
    came from), what the engine computes, and the application standing for it, if one was made."""

    rule_id: str
    payee: Organisation | Worker
    event_date: datetime.date
    facts: dict[str, Any]
    fact_sources: dict[str, str]
    source_key: str
    record: str  # the record in words: 竞赛 · 项目 · 成绩/集训
    project: ContestProject
    outcome: dict[str, Any] = field(default_factory=dict)
    application: Application | None = None

    @property
    def eligible(self) -> bool:
        return bool(self.outcome.get("eligible"))

    @property
    def payee_name(self) -> str:
        return str(self.payee.name)

    @property
    def payee_is_worker(self) -> bool:
        return isinstance(self.payee, Worker)

    @property
    def amount(self) -> Decimal | None:
        return outcomes.default_amount(self.outcome)


def project_label(project: ContestProject) -> str:
    """“2024年东莞市职业技能大赛 · 数控车”: the year in front unless the name already begins with it."""
    competition = project.competition
    year = f"{competition.year}年"
    name = competition.name if competition.name.startswith(year) else f"{year}{competition.name}"
    return f"{name} · {project.name}"


def _level_source(project: ContestProject) -> str:
    competition = project.competition
    return _("竞赛“%(c)s”（%(y)s年，%(l)s）") % {
        "c": competition.name,
        "y": competition.year,
        "l": competition.get_level_display(),
    }


def result_source(result: Result) -> str:
    return _("%(p)s 的竞赛成绩（%(a)s，第 %(r)s 名）") % {
        "p": project_label(result.project),
        "a": result.get_award_display(),
        "r": result.rank if result.rank is not None else "—",
    }


def _claim(
    rule_id: str,
    *,
    payee: Organisation | Worker,
    project: ContestProject,
    event_date: datetime.date,
    facts: dict[str, Any],
    sources: dict[str, str],
    key: str,
    record: str,
) -> Claim:
    # Money as decimal strings, as every stored fact is (the application's facts are JSON).
    facts = {k: money_str(v) if isinstance(v, Decimal) else v for k, v in facts.items()}
    claim = Claim(
        rule_id, payee, event_date, facts, sources, f"{SOURCE_PREFIX}{key}:{rule_id}", record, project
    )
    claim.outcome = outcomes.evaluate(rule_id, event_date, facts)
    return claim


def _confirmed_results(competition: Competition) -> list[Result]:
    return list(
        Result.objects.filter(project__competition=competition, project__state=ContestProject.State.CONFIRMED)
        .select_related("project__competition", "entry__unit", "entry__coach")
        .prefetch_related("entry__players__worker__town")
        .order_by("project_id", "rank", "id")
    )


def _player_claims(competition: Competition, results: list[Result]) -> list[Claim]:
    """CMP-PRIZE-CITY, CMP-MATCH (+ the coaching team's share), CMP-WORLDSKILLS (+ the coach's 150%)."""
    level = competition.level
    claims: list[Claim] = []
    for result in results:
        project, entry = result.project, result.entry
        players = [p.worker for p in entry.players.all()]
        base: dict[str, Any] = {"project": project, "event_date": project.ends_on}
        record = result_source(result)
        if level == Level.CITY_CLASS1 and result.award in CITY_PRIZE_AWARDS:
            for worker in players:
                claims.append(
                    _claim(
                        "CMP-PRIZE-CITY",
                        payee=worker,
                        facts={"competition_level": level, "award": result.award},
                        sources={"competition_level": _level_source(project), "award": record},
                        key=f"result:{result.pk}:player:{worker.pk}",
                        record=record,
                        **base,
                    )
                )
        elif level in MATCH_LEVELS and result.award in MEDALS:
            for worker in players:
                prize = result.prize_money
                player = _claim(
                    "CMP-MATCH",
                    payee=worker,
                    facts={"competition_level": level, "contest_prize_money": prize},
                    sources={
                        "competition_level": _level_source(project),
                        "contest_prize_money": _("%(r)s 导入的竞赛奖金") % {"r": record},
                    },
                    key=f"result:{result.pk}:player:{worker.pk}",
                    record=record,
                    **base,
                )
                claims.append(player)
                if player.eligible and entry.coach is not None:
                    # The coaching team's share of this player's award, within D003's joint cap (D-36).
                    claims.append(
                        _claim(
                            "CMP-MATCH-COACH",
                            payee=entry.coach,
                            facts={"players_award": Decimal(player.outcome["amount"])},
                            sources={
                                "players_award": _("选手%(w)s按“省赛国赛获奖配套奖励”测算的奖金（%(r)s）")
                                % {"w": worker.name, "r": record}
                            },
                            key=f"result:{result.pk}:player:{worker.pk}:coach",
                            record=record,
                            **base,
                        )
                    )
        elif level == Level.WORLDSKILLS and result.award in MEDALS:
            total = Decimal("0")
            for worker in players:
                medal = _claim(
                    "CMP-WORLDSKILLS",
                    payee=worker,
                    facts={"medal": result.award, "contest_prize_money": result.prize_money},
                    sources={
                        "medal": record,
                        "contest_prize_money": _("%(r)s 导入的竞赛奖金") % {"r": record},
                    },
                    key=f"result:{result.pk}:player:{worker.pk}",
                    record=record,
                    **base,
                )
                claims.append(medal)
                if medal.eligible:
                    total += Decimal(medal.outcome["amount"])
            if entry.coach is not None and total > 0:
                names = "、".join(w.name for w in players)
                claims.append(
                    _claim(
                        "CMP-WORLDSKILLS-COACH",
                        payee=entry.coach,
                        facts={"players_awards_total": total},
                        sources={
                            "players_awards_total": _(
                                "所带选手%(w)s按“世界技能大赛奖励”测算的奖金合计（%(r)s）"
                            )
                            % {"w": names, "r": record}
                        },
                        key=f"entry:{entry.pk}",
                        record=record,
                        **base,
                    )
                )
    return claims


def _project_claims(competition: Competition) -> list[Claim]:
    """CMP-HOST per project's host unit; CMP-TEAM per unit with an entry in a provincial-or-higher project."""
    level = competition.level
    claims: list[Claim] = []
    projects = (
        ContestProject.objects.filter(competition=competition, state=ContestProject.State.CONFIRMED)
        .select_related("competition", "host_unit__town")
        .order_by("starts_on", "id")
    )
    for project in projects:
        label = project_label(project)
        if level in HOST_LEVELS and project.host_unit is not None:
            claims.append(
                _claim(
                    "CMP-HOST",
                    payee=project.host_unit,
                    project=project,
                    event_date=project.ends_on,
                    facts={"competition_level": level},
                    sources={
                        "competition_level": _("%(l)s；承办项目“%(p)s”")
                        % {"l": _level_source(project), "p": label}
                    },
                    key=f"project:{project.pk}",
                    record=_("%(p)s（承办）") % {"p": label},
                )
            )
        if level in PROVINCIAL_OR_HIGHER:
            units = {
                e.unit_id: e.unit for e in Entry.objects.filter(project=project).select_related("unit__town")
            }
            for unit in sorted(units.values(), key=lambda u: u.pk):
                claims.append(
                    _claim(
                        "CMP-TEAM",
                        payee=unit,
                        project=project,
                        event_date=project.ends_on,
                        facts={"competition_level": level},
                        sources={
                            "competition_level": _("%(l)s；%(u)s在项目“%(p)s”的参赛报名")
                            % {"l": _level_source(project), "u": unit.name, "p": label}
                        },
                        key=f"project:{project.pk}:unit:{unit.pk}",
                        record=_("%(p)s（组队参赛）") % {"p": label},
                    )
                )
    return claims


def _camp_claims(competition: Competition) -> list[Claim]:
    """A camp for a provincial-or-higher project: CMP-CAMP to its unit and CMP-CAMP-TRAINEE to each
    trainee; a WorldSkills selection camp (`selection_level`), once completed: CMP-WS-BASE (D-37: a
    selection camp is paid as a base, not also as a unit's camp)."""
    level = competition.level
    claims: list[Claim] = []
    camps = (
        TrainingCamp.objects.filter(project__competition=competition)
        .select_related("project__competition", "unit__town")
        .prefetch_related("trainees__worker__town")
        .order_by("starts_on", "id")
    )
    for camp in camps:
        project = camp.project
        record = _("%(p)s 的集训（%(u)s，%(s)s 至 %(e)s）") % {
            "p": project_label(project),
            "u": camp.unit.name,
            "s": camp.starts_on,
            "e": camp.ends_on,
        }
        if camp.selection_level:
            if level == Level.WORLDSKILLS and camp.completed:
                claims.append(
                    _claim(
                        "CMP-WS-BASE",
                        payee=camp.unit,
                        project=project,
                        event_date=camp.ends_on,
                        facts={"selection_level": camp.selection_level},
                        sources={"selection_level": _("%(r)s，已完成选拔集训任务") % {"r": record}},
                        key=f"camp:{camp.pk}",
                        record=record,
                    )
                )
            continue
        if level not in PROVINCIAL_OR_HIGHER:
            continue
        claims.append(
            _claim(
                "CMP-CAMP",
                payee=camp.unit,
                project=project,
                event_date=camp.ends_on,
                facts={"competition_level": level},
                sources={"competition_level": _("%(l)s；%(r)s") % {"l": _level_source(project), "r": record}},
                key=f"camp:{camp.pk}",
                record=record,
            )
        )
        for trainee in camp.trainees.all():
            claims.append(
                _claim(
                    "CMP-CAMP-TRAINEE",
                    payee=trainee.worker,
                    project=project,
                    event_date=camp.ends_on,
                    facts={"camp_months": trainee.months},
                    sources={"camp_months": _("%(r)s 登记的集训月数") % {"r": record}},
                    key=f"camp:{camp.pk}:trainee:{trainee.worker_id}",
                    record=record,
                )
            )
    return claims


def claims_for(competition: Competition) -> list[Claim]:
    """Every award the competition's records give, with the engine's outcome and the application
    standing for each (None: not yet made)."""
    claims = _player_claims(competition, _confirmed_results(competition))
    claims += _project_claims(competition)
    claims += _camp_claims(competition)
    standing = {
        app.source_key: app
        for app in Application.objects.filter(source_key__in=[c.source_key for c in claims]).exclude(
            state__in=STANDING_EXCLUDED
        )
    }
    for claim in claims:
        claim.application = standing.get(claim.source_key)
    return claims
