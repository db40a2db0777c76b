"""Promotion of skill level from competition results (D002 item 11: "对在市级竞赛中的获奖选手和竞赛成绩合格
人员，符合条件的颁发或晋升相应职业资格或职业技能等级"), issued as certificates in certification.

The rule is a parameter of the competition (Competition.promotion_rule):
    {"bands": [{"from": 1, "to": 3, "level": 3}, {"from": 4, "to": 10, "level": 4}], "pass_level": 5}
places `from`–`to` are promoted to `level`; a player outside every band who reached the pass mark gets
`pass_level` (null: nothing). An empty rule takes the default for the competition's level
(DEFAULT_RULES, docs/competitions.md). Decided here:
- Only results with `passed` (total ≥ the pass mark) are promoted, whatever the place.
- The competition's organiser is the evaluator: its certification.Evaluator must be active and its filed
  scope must cover the project's occupation at that level (certification.services.scope_check).
- One certification Session per project and level (kind promotion; level 5 is a grant, kind grading),
  dated the project's last day, in the project's occupation and 工种.
- The candidate's scores: a competition is one combined examination; its total, as a percentage of the
  marking scheme's maximum (100 when there is no scheme), is recorded as both the theory and the
  practical score, and the candidate's grounds are "competition_result" with the competition, project,
  place and total written out. A result whose percentage is under certification's 60 is not certified
  (skipped, with the reason), since certification's pass rule would refuse it.
- Never to a level lower than or equal to one the player already holds in that occupation (skipped,
  with the reason). Once only per result and player (Promotion's constraint).
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.certification import services as certification
from skillcity.certification.models import (
    LEVEL_NAMES,
    PASS_MARK,
    Candidate,
    Certificate,
    Evaluator,
    ExceptionalGrounds,
    Session,
)
from skillcity.competitions.models import (
    CITY_LEVELS,
    Aspect,
    Competition,
    ContestProject,
    Level,
    Promotion,
    Result,
)
from skillcity.competitions.services.titles import confirmed_projects, require_organiser_or_bureau
from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError
from skillcity.registry.models import Occupation, SkillRecord, Worker

PLACE_MAX = 1000

# The default rules (docs/competitions.md): places 1–3 and 4–10 to different levels, a city contest
# one level lower than a provincial one; the pass mark grants one level below the 4–10 band.
PROVINCIAL_DEFAULT: dict[str, Any] = {
    "bands": [{"from": 1, "to": 3, "level": 2}, {"from": 4, "to": 10, "level": 3}],
    "pass_level": 4,
}
CITY_DEFAULT: dict[str, Any] = {
    "bands": [{"from": 1, "to": 3, "level": 3}, {"from": 4, "to": 10, "level": 4}],
    "pass_level": 5,
}
DEFAULT_RULES: dict[str, dict[str, Any]] = {
    **{str(level): CITY_DEFAULT for level in CITY_LEVELS},
    Level.PROVINCIAL_CLASS1.value: PROVINCIAL_DEFAULT,
    Level.PROVINCIAL_CLASS2.value: PROVINCIAL_DEFAULT,
}


@dataclasses.dataclass(frozen=True)
class Band:
    first: int
    last: int
    level: int


@dataclasses.dataclass(frozen=True)
class PromotionRule:
    bands: tuple[Band, ...]
    pass_level: int | None

    def level_for(self, rank: int | None) -> int | None:
        for band in self.bands:
            if rank is not None and band.first <= rank <= band.last:
                return band.level
        return self.pass_level


def _level_ok(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def rule_parse(raw: Any) -> PromotionRule:
    """A promotion rule, or a DomainError naming every problem (field `promotion_rule`)."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise DomainError("rule_invalid", _("晋升规则格式有误"), {"promotion_rule": _("应为对象")})
    unknown = set(raw) - {"bands", "pass_level"}
    if unknown:
        problems.append(_("未知的键：%(k)s") % {"k": "、".join(sorted(map(str, unknown)))})
    bands: list[Band] = []
    raw_bands = raw.get("bands", [])
    if not isinstance(raw_bands, list):
        problems.append(_("名次段应为列表"))
        raw_bands = []
    for n, item in enumerate(raw_bands, start=1):
        if not isinstance(item, dict) or set(item) != {"from", "to", "level"}:
            problems.append(_("第%(n)s个名次段应含起始名次、截止名次和等级") % {"n": n})
            continue
        first, last, level = item["from"], item["to"], item["level"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (first, last)) or not (
            1 <= first <= last <= PLACE_MAX
        ):
            problems.append(
                _("第%(n)s个名次段的名次应为1至%(m)s、且起始不大于截止") % {"n": n, "m": PLACE_MAX}
            )
            continue
        if not _level_ok(level):
            problems.append(_("第%(n)s个名次段的等级应为1至5") % {"n": n})
            continue
        bands.append(Band(first, last, level))
    bands.sort(key=lambda b: b.first)
    for before, after in itertools.pairwise(bands):
        if after.first <= before.last:
            problems.append(
                _("名次段%(a)s–%(b)s与%(c)s–%(d)s重叠")
                % {"a": before.first, "b": before.last, "c": after.first, "d": after.last}
            )
        elif after.level < before.level:
            problems.append(
                _("靠后名次（%(c)s–%(d)s）不能晋升到比靠前名次更高的等级")
                % {"c": after.first, "d": after.last}
            )
    pass_level = raw.get("pass_level")
    if pass_level is not None and not _level_ok(pass_level):
        problems.append(_("成绩合格授予的等级应为1至5或不填"))
        pass_level = None
    elif pass_level is not None and bands and pass_level < max(b.level for b in bands):
        problems.append(_("成绩合格授予的等级不能高于获奖名次段的等级"))
    if problems:
        raise DomainError(
            "rule_invalid",
            _("晋升规则有误：%(p)s") % {"p": "；".join(problems)},
            {"promotion_rule": problems},
        )
    return PromotionRule(tuple(bands), pass_level)


def rule_for(competition: Competition) -> tuple[PromotionRule, bool]:
    """The competition's rule (parsed), and whether it is the default for its level."""
    if competition.promotion_rule:
        return rule_parse(competition.promotion_rule), False
    default = DEFAULT_RULES.get(competition.level)
    if default is None:
        raise DomainError(
            "rule_missing",
            _("%(l)s没有默认晋升规则，请先在竞赛参数中设置晋升规则") % {"l": competition.get_level_display()},
            {"promotion_rule": _("请设置晋升规则")},
        )
    return rule_parse(default), True


@dataclasses.dataclass
class PromotionReport:
    promoted: list[Promotion] = dataclasses.field(default_factory=list)
    # (worker, project, reason): players the rule named who were not promoted, and why.
    skipped: list[tuple[Worker, ContestProject, str]] = dataclasses.field(default_factory=list)


def _held_level(worker: Worker, occupation: Occupation) -> int | None:
    levels = (
        SkillRecord.objects.filter(
            worker=worker, kind=SkillRecord.Kind.SKILL_LEVEL, occupation=occupation, level__isnull=False
        )
        .exclude(certificate__status=Certificate.Status.REVOKED)
        .values_list("level", flat=True)
    )
    return min((lv for lv in levels if lv is not None), default=None)


def _percentage(result: Result, project: ContestProject) -> Decimal:
    """The total as a percentage of the scheme's maximum (100 when the project has no scheme)."""
    maximum = Aspect.objects.filter(section__project=project).aggregate(m=Sum("max_mark"))["m"] or Decimal(
        100
    )
    share = (result.total or Decimal(0)) * 100 / maximum
    return min(Decimal(100), share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _evaluator_of(competition: Competition) -> Evaluator:
    evaluator = (
        Evaluator.objects.select_related("organisation")
        .filter(organisation_id=competition.organiser_id or 0)
        .first()
    )
    if evaluator is None:
        raise DomainError(
            "organiser_not_evaluator",
            _("竞赛主办单位“%(o)s”未备案为职业技能等级评价机构，不能颁发或晋升等级；请先完成评价机构备案")
            % {"o": competition.organiser_label},
        )
    if evaluator.state != Evaluator.State.ACTIVE:
        raise DomainError(
            "organiser_not_evaluator",
            _("竞赛主办单位“%(o)s”的评价机构备案状态为“%(s)s”，须为“已备案”才能颁发或晋升等级")
            % {"o": competition.organiser_label, "s": evaluator.get_state_display()},
        )
    return evaluator


def _session_for(*, evaluator: Evaluator, project: ContestProject, level: int, actor: Any) -> Session:
    existing = (
        Session.objects.filter(
            candidates__certificate__competition_promotion__result__project=project, level=level
        )
        .distinct()
        .first()
    )
    if existing is not None:
        return existing
    return certification.session_create(
        evaluator=evaluator,
        occupation=project.occupation,
        level=level,
        # Level 5 is where grading starts: it is granted (颁发), the others promoted (晋升).
        kind=Session.Kind.GRADING if level == 5 else Session.Kind.PROMOTION,
        date=project.ends_on,
        site=(project.venue or project.name)[:200],
        actor=actor,
        direction=project.direction,
    )


@transaction.atomic
def promotions_issue(
    *,
    actor: Any,
    project: ContestProject | None = None,
    competition: Competition | None = None,
    issued_on: datetime.date | None = None,
) -> PromotionReport:
    """For each confirmed result's players the rule names, a certificate through certification's
    certificates_issue (national number, signature, skill record) and a Promotion row."""
    competition, projects = confirmed_projects(project=project, competition=competition)
    require_organiser_or_bureau(actor, competition)
    if competition.external:
        raise DomainError(
            "external_competition", _("外部竞赛（成绩导入）的等级由其主办方颁发，本平台不颁发或晋升")
        )
    if competition.organiser_id is None:
        # A town contest recorded by its organiser's name only: no registry organisation, so no evaluator.
        raise DomainError(
            "no_evaluator", _("主办单位未在单位库中登记，不能作为评价机构颁发或晋升职业技能等级")
        )
    rule, _default = rule_for(competition)
    evaluator = _evaluator_of(competition)
    issued_on = issued_on or timezone.localdate()
    Competition.objects.select_for_update().get(pk=competition.pk)
    report = PromotionReport()
    for p in projects:
        # level → [(candidate, result)] for this project
        by_level: dict[int, list[tuple[Worker, Result, Decimal]]] = {}
        results = Result.objects.filter(project=p, passed=True).prefetch_related("entry__players__worker")
        for result in results.order_by("rank", "id"):
            level = rule.level_for(result.rank)
            if level is None:
                continue
            done = set(Promotion.objects.filter(result=result).values_list("worker_id", flat=True))
            score = _percentage(result, p)
            for player in result.entry.players.all():
                worker = player.worker
                if worker.pk in done:
                    continue
                held = _held_level(worker, p.occupation)
                if held is not None and held <= level:
                    report.skipped.append(
                        (
                            worker,
                            p,
                            _("已持有%(o)s%(h)s，不低于本次的%(v)s，不再颁发")
                            % {"o": p.occupation.name, "h": LEVEL_NAMES[held], "v": LEVEL_NAMES[level]},
                        )
                    )
                    continue
                if score < PASS_MARK:
                    report.skipped.append(
                        (worker, p, _("竞赛成绩折合百分制为%(s)s分，不足认定合格线60分") % {"s": score})
                    )
                    continue
                if evaluator.kind == "enterprise" and worker.employer_id != evaluator.organisation_id:
                    report.skipped.append(
                        (worker, p, _("主办单位为企业自主评价机构，只能为本企业职工颁发等级"))
                    )
                    continue
                by_level.setdefault(level, []).append((worker, result, score))
        for level, lines in sorted(by_level.items()):
            session = _session_for(evaluator=evaluator, project=p, level=level, actor=actor)
            made: dict[int, Result] = {}
            for worker, result, score in lines:
                candidate, _created = Candidate.objects.get_or_create(
                    session=session,
                    worker=worker,
                    defaults={
                        "theory_score": score,
                        "practical_score": score,
                        "overall_score": score,
                        "result": Candidate.Result.PASSED,
                        "exceptional_grounds": ExceptionalGrounds.COMPETITION_RESULT,
                        # Data, kept in Chinese whatever the reader's language.
                        "exceptional_note": f"{competition.name} · {p.name} 第{result.rank}名，"
                        f"总分{result.total}（折合百分制{score}分）",
                    },
                )
                audit_record(
                    actor=actor,
                    action="certification_candidate.add",
                    target=candidate,
                    after={"from_result": result.pk, "score": str(score)},
                )
                made[candidate.pk] = result
            certificates = certification.certificates_issue(
                session=session, actor=actor, issued_on=max(issued_on, session.date)
            )
            for certificate in certificates:
                source = made.get(certificate.candidate_id)
                if source is None:  # a candidate of this session not from this run (none in practice)
                    continue
                promotion = Promotion.objects.create(
                    result=source, worker=certificate.worker, level=level, certificate=certificate
                )
                audit_record(
                    actor=actor,
                    action="promotion.issue",
                    target=promotion,
                    after={"result": source.pk, "certificate": certificate.number, "level": level},
                )
                report.promoted.append(promotion)
    return report
