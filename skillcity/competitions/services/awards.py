"""Awards from a competition's records: each claimable award computed, and its grants application made
by one action of the organiser or the bureau (docs/competitions.md, "奖励与补贴").

Nothing is typed: every fact comes from a record (the competition's level, a result's award and prize
money, a camp's months) and says which one in `fact_sources`. The amount is the policy engine's
(skillcity.grants.outcomes.evaluate), shown before anything is made; the application then goes the one
grants path (review → public notice → approval → payment once) through
`grants.services.application_from_records`. Each award has a source key naming its record, so a second
"generate" makes no duplicate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
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
from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.money import money_str
from skillcity.grants import outcomes
from skillcity.grants import services as grants
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


def _project_label(project: ContestProject) -> str:
    return f"{project.competition.year}年{project.competition.name} · {project.name}"


def _level_source(project: ContestProject) -> str:
    competition = project.competition
    return _("竞赛“%(c)s”（%(y)s年，%(l)s）") % {
        "c": competition.name,
        "y": competition.year,
        "l": competition.get_level_display(),
    }


def _result_source(result: Result) -> str:
    return _("%(p)s 的竞赛成绩（%(a)s，第 %(r)s 名）") % {
        "p": _project_label(result.project),
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
        record = _result_source(result)
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
                    # The coaching team's share of this player's award, within D003's joint cap (D-XX).
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
        label = _project_label(project)
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
    trainee; a WorldSkills selection camp (`selection_level`), once completed: CMP-WS-BASE (D-XX: a
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
            "p": _project_label(project),
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


def can_generate(user: Any, competition: Competition) -> bool:
    """The bureau, or a user of the competition's organiser."""
    role = getattr(user, "role", None)
    if not getattr(user, "is_authenticated", False):
        return False
    if role == "bureau_officer" or getattr(user, "is_superuser", False):
        return True
    return bool(
        role == "organisation_user"
        and competition.organiser_id is not None
        and user.organisation_id == competition.organiser_id
    )


def awards_generate(*, competition: Competition, actor: Any, source_key: str = "") -> list[Application]:
    """Make the application of every claimable award of the competition not yet claimed (or of the one
    `source_key`). Each is its own transaction (grants.services.application_from_records): a fund or an
    outcome that refuses one row leaves the others made; a second run makes nothing new."""
    if not can_generate(actor, competition):
        raise PermissionDenied(_("只有竞赛主办单位或市人社局可以生成补贴申请"))
    claims = [c for c in claims_for(competition) if not source_key or c.source_key == source_key]
    if source_key and not claims:
        raise DomainError("claim_not_found", _("该竞赛没有这项可申请的奖励"), {"source_key": source_key})
    made = []
    for claim in claims:
        # One row asked for: the grants service refuses it, naming the record, when it is claimed or
        # not eligible. Every row: those are skipped, so a second run makes nothing new.
        if not source_key and (claim.application is not None or not claim.eligible):
            continue
        made.append(
            grants.application_from_records(
                actor=actor,
                rule_id=claim.rule_id,
                payee=claim.payee,
                event_date=claim.event_date,
                facts=claim.facts,
                fact_sources=claim.fact_sources,
                source_key=claim.source_key,
            )
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="competitions.awards.generate",
            target=competition,
            after={"made": [a.pk for a in made], "source_key": source_key},
        )
    return made


def describe_source(source_key: str) -> str | None:
    """The record a competitions source key names, for the grants pages ("来源：…竞赛…项目…")."""
    parts = source_key.removeprefix(SOURCE_PREFIX).split(":")
    if len(parts) < 3 or not parts[1].isdigit():
        return None
    kind, pk = parts[0], int(parts[1])
    if kind == "result":
        result = Result.objects.select_related("project__competition").filter(pk=pk).first()
        return _result_source(result) if result else None
    if kind == "project":
        project = ContestProject.objects.select_related("competition").filter(pk=pk).first()
        return _project_label(project) if project else None
    if kind == "camp":
        camp = TrainingCamp.objects.select_related("project__competition", "unit").filter(pk=pk).first()
        return (
            _("%(p)s 的集训（%(u)s）") % {"p": _project_label(camp.project), "u": camp.unit.name}
            if camp
            else None
        )
    if kind == "entry":
        entry = Entry.objects.select_related("project__competition").filter(pk=pk).first()
        return _("%(p)s 的参赛报名") % {"p": _project_label(entry.project)} if entry else None
    return None
