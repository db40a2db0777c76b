"""Marks: judges enter them, submit them (then they are locked), and correct them by a new row with a
reason (docs/competitions.md, "评分与成绩").

- A measurement aspect: one mark from 0 to its maximum (two decimals), by one judge of the project.
- A judgement aspect: each of three judges scores a whole number 0–3.
- Only a judge assigned to the entry's project enters marks, as themself; the mark's judge or the
  project's chief judge corrects a submitted mark.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    JUDGEMENT_JUDGES,
    JUDGEMENT_MAX_SCORE,
    Aspect,
    ContestProject,
    Entry,
    Judge,
    Mark,
)
from skillcity.competitions.selectors.contests import judge_for
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import parse_decimal, parse_int
from skillcity.core.errors import DomainError, PermissionDenied


def score_field(aspect_id: int) -> str:
    """The field name of an aspect's score (the page's input, the error's key)."""
    return f"score_{aspect_id}"


def _aspect_label(aspect: Aspect) -> str:
    return f"{aspect.code} {aspect.description}"


def parse_aspect_score(aspect: Aspect, raw: Any) -> Decimal:
    """A score for an aspect, or ValueError naming the aspect and its range."""
    label = _aspect_label(aspect)
    if aspect.kind == Aspect.Kind.JUDGEMENT:
        try:
            return Decimal(parse_int(raw, low=0, high=JUDGEMENT_MAX_SCORE))
        except ValueError:
            raise ValueError(
                _("评分项“%(a)s”：评价分应为 0 到 %(m)d 的整数") % {"a": label, "m": JUDGEMENT_MAX_SCORE}
            ) from None
    try:
        return parse_decimal(raw, low=Decimal(0), high=aspect.max_mark, places=2)
    except ValueError:
        raise ValueError(
            _("评分项“%(a)s”：分数应在 0 到 %(m)s 之间，最多两位小数") % {"a": label, "m": aspect.max_mark}
        ) from None


def _require_judge_actor(actor: Any, judge: Judge) -> None:
    if getattr(actor, "worker_id", None) != judge.worker_id or str(getattr(actor, "role", "")) != "worker":
        raise PermissionDenied(_("只有本项目的裁判本人可以录入评分"))


@transaction.atomic
def marks_save(
    *,
    judge: Judge,
    entry: Entry,
    actor: Any,
    scores: dict[int, Decimal | str],
    submit: bool = False,
) -> list[Mark]:
    """Save a judge's scores for an entry ({aspect id: score}) as drafts; with submit=True, submit them
    and the judge's other drafts for the entry (submitted marks are locked). All scores are checked
    first; any bad one refuses the whole save, naming each aspect."""
    project = ContestProject.objects.select_for_update().get(pk=judge.project_id)
    _require_judge_actor(actor, judge)
    if entry.project_id != project.pk:
        raise DomainError("entry_not_in_project", _("该报名不属于此裁判的竞赛项目"))
    if project.state == ContestProject.State.CONFIRMED:
        raise DomainError("project_confirmed", _("该项目成绩已确认公布，评分已锁定"))
    aspects = {a.pk: a for a in Aspect.objects.filter(section__project=project)}
    if not aspects:
        raise DomainError("no_scheme", _("该项目还没有评分方案"))
    standing: dict[tuple[int, int], Mark] = {}
    for mark in Mark.objects.filter(entry=entry).order_by("id"):
        standing[(mark.aspect_id, mark.judge_id)] = mark
    errors: dict[str, str] = {}
    parsed: dict[int, Decimal] = {}
    for raw_id, raw_score in (scores or {}).items():
        try:
            aspect_id = int(raw_id)
        except (TypeError, ValueError):
            aspect_id = 0
        aspect = aspects.get(aspect_id)
        if aspect is None:
            errors[f"score_{raw_id}"] = _("评分项“%(a)s”不属于本项目的评分方案") % {"a": raw_id}
            continue
        if raw_score is None or str(raw_score).strip() == "":
            continue  # left blank: nothing to save for this aspect
        field = score_field(aspect.pk)
        own = standing.get((aspect.pk, judge.pk))
        if own is not None and own.state == Mark.State.SUBMITTED:
            if own.score != _maybe_decimal(raw_score):
                errors[field] = _("评分项“%(a)s”：评分已提交并锁定，如需修改请提交更正") % {
                    "a": _aspect_label(aspect)
                }
            continue
        others = [m for (a_id, j_id), m in standing.items() if a_id == aspect.pk and j_id != judge.pk]
        if aspect.kind == Aspect.Kind.MEASUREMENT and others:
            errors[field] = _("评分项“%(a)s”：测量评分已由其他裁判录入") % {"a": _aspect_label(aspect)}
            continue
        if aspect.kind == Aspect.Kind.JUDGEMENT and len(others) >= JUDGEMENT_JUDGES:
            errors[field] = _("评分项“%(a)s”：已有 %(n)d 名裁判评价") % {
                "a": _aspect_label(aspect),
                "n": JUDGEMENT_JUDGES,
            }
            continue
        try:
            parsed[aspect.pk] = parse_aspect_score(aspect, raw_score)
        except ValueError as exc:
            errors[field] = str(exc)
    if errors:
        raise DomainError("marks_invalid", "；".join(errors.values()), errors)
    now = timezone.now()
    saved: list[Mark] = []
    for aspect_id, score in parsed.items():
        own = standing.get((aspect_id, judge.pk))
        before = snapshot(own, ["score", "state"]) if own is not None else None
        if own is None:
            own = Mark(entry=entry, aspect_id=aspect_id, judge=judge, entered_by=actor)
        own.score = score
        own.entered_by = actor
        if submit:
            own.state = Mark.State.SUBMITTED
            own.submitted_at = now
        own.save()
        standing[(aspect_id, judge.pk)] = own
        audit_record(
            actor=actor,
            action="competition.mark_submit" if submit else "competition.mark_save",
            target=own,
            before=before,
            after=snapshot(own, ["entry_id", "aspect_id", "judge_id", "score", "state"]),
        )
        saved.append(own)
    if submit:
        for (aspect_id, judge_id), mark in standing.items():
            if judge_id == judge.pk and mark.state == Mark.State.DRAFT and aspect_id not in parsed:
                mark.state = Mark.State.SUBMITTED
                mark.submitted_at = now
                mark.save(update_fields=["state", "submitted_at"])
                audit_record(
                    actor=actor,
                    action="competition.mark_submit",
                    target=mark,
                    before={"state": "draft"},
                    after={"state": mark.state},
                )
                saved.append(mark)
    if saved and project.state == ContestProject.State.SETUP:
        project.state = ContestProject.State.MARKING
        project.save(update_fields=["state"])
    return saved


def _maybe_decimal(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw).strip())
    except Exception:
        return None


@transaction.atomic
def mark_correct(*, mark: Mark, actor: Any, score: Decimal | str, reason: str) -> Mark:
    """Correct a submitted mark: a new submitted row that `corrects` it, with the reason and an audit
    row. The mark's own judge or the project's chief judge corrects it, until results are confirmed."""
    mark = Mark.objects.select_related("aspect", "judge", "entry").get(pk=mark.pk)
    project = ContestProject.objects.select_for_update().get(pk=mark.entry.project_id)
    mine = judge_for(actor, project)
    if (
        str(getattr(actor, "role", "")) != "worker"
        or mine is None
        or not (mine.pk == mark.judge_id or mine.is_chief)
    ):
        raise PermissionDenied(_("只有评分的裁判本人或裁判长可以更正评分"))
    if project.state == ContestProject.State.CONFIRMED:
        raise DomainError("project_confirmed", _("该项目成绩已确认公布，评分已锁定"))
    if mark.state != Mark.State.SUBMITTED:
        raise DomainError("mark_not_submitted", _("暂存的评分可直接修改，无需更正"))
    newest = (
        Mark.objects.filter(entry_id=mark.entry_id, aspect_id=mark.aspect_id, judge_id=mark.judge_id)
        .order_by("-id")
        .first()
    )
    if newest is not None and newest.pk != mark.pk:
        raise DomainError("mark_superseded", _("该评分已被更正，请更正最新的评分"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("更正原因：请填写"), {"reason": _("更正原因：请填写")})
    if len(reason) > 500:
        raise DomainError(
            "reason_too_long", _("更正原因：不能超过500个字符"), {"reason": _("不能超过500个字符")}
        )
    try:
        value = parse_aspect_score(mark.aspect, score)
    except ValueError as exc:
        raise DomainError("mark_invalid", str(exc), {"score": str(exc)}) from None
    correction = Mark.objects.create(
        entry_id=mark.entry_id,
        aspect_id=mark.aspect_id,
        judge_id=mark.judge_id,
        score=value,
        state=Mark.State.SUBMITTED,
        corrects=mark,
        reason=reason,
        entered_by=actor,
        submitted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="competition.mark_correct",
        target=correction,
        before={"mark": mark.pk, "score": str(mark.score)},
        after={"score": str(value), "reason": reason},
    )
    return correction
