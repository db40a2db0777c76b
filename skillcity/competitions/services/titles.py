"""Titles (称号): 东莞市技术能手 awarded from a city competition's confirmed results as a signed credential,
its revocation, and the import of provincial and national titles with the document that granted them.

Rules decided here (docs/competitions.md, "称号与晋级"):
- The engine decides (CMP-TITLE): a player qualifies when their rank is within the competition's own
  quota (Competition.title_quota, the fact `title_places`) or else the pack's CMP-TITLE.per_contest; the
  result must also carry an award (which needs the pass mark). Only city class-1/2 competitions qualify.
- Once per result and player (a database constraint): awarding again skips those already titled.
- Title number: DGJSNS + year of award (4 digits) + serial within that year (6 digits), e.g.
  DGJSNS2025000123, allocated from certification's serial counters under the key "TITLE-DGJSNS<year>".
  An imported title gets a record number DR + year + serial (it is not our credential: no signature).
- The QR is certification's Ed25519 token (signing.sign_payload) with the marker `"t": "title"`, so a
  title's code is never read as a certificate's, and vice versa.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.certification import numbering, signing
from skillcity.competitions.models import Competition, ContestProject, Level, Result, Title
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.masking import mask_id_number
from skillcity.notifications.models import NotificationKind
from skillcity.notifications.services import notifications_send
from skillcity.policy.engine import evaluate
from skillcity.registry.models import SkillRecord, Worker
from skillcity.registry.services import skill_record_add
from skillcity.registry.signals import basis_revoked

CITY_TITLE = SkillRecord.Honour.DONGGUAN_TECHNICAL_EXPERT
TITLE_LEVELS = (Level.CITY_CLASS1, Level.CITY_CLASS2)  # CMP-TITLE's competition levels
TITLE_PREFIX = "DGJSNS"  # 东莞技术能手
IMPORT_PREFIX = "DR"  # 登记: a title recorded from an import
# The provincial and national titles recorded from imports (not issued by the city).
IMPORTED_HONOURS = (
    SkillRecord.Honour.CHINA_SKILLS_AWARD,
    SkillRecord.Honour.NATIONAL_TECHNICAL_EXPERT,
    SkillRecord.Honour.NANYUE_TECHNICAL_EXPERT,
    SkillRecord.Honour.GUANGDONG_TECHNICAL_EXPERT,
)


def _role(actor: Any) -> str:
    if getattr(actor, "is_superuser", False):
        return "bureau_officer"
    return str(getattr(actor, "role", ""))


def require_organiser_or_bureau(actor: Any, competition: Competition) -> None:
    """The bureau, or a user of the competition's organiser, acts on its titles and promotions."""
    role = _role(actor)
    if role == "bureau_officer":
        return
    if (
        role == "organisation_user"
        and competition.organiser_id is not None
        and actor.organisation_id == competition.organiser_id
    ):
        return
    raise PermissionDenied(_("仅竞赛主办单位或市人社局可执行此操作"))


def confirmed_projects(
    *, project: ContestProject | None, competition: Competition | None
) -> tuple[Competition, list[ContestProject]]:
    """The competition and its confirmed projects (one named project, or all of a competition's)."""
    if (project is None) == (competition is None):
        raise DomainError("target_required", _("请指定一个竞赛项目或一个竞赛"))
    if project is not None:
        project = ContestProject.objects.select_related("competition__organiser", "occupation").get(
            pk=project.pk
        )
        if project.state != ContestProject.State.CONFIRMED:
            raise DomainError(
                "results_not_confirmed",
                _("竞赛项目“%(p)s”的成绩尚未经裁判长确认公布（当前：%(s)s）")
                % {"p": project.name, "s": project.get_state_display()},
            )
        return project.competition, [project]
    assert competition is not None
    competition = Competition.objects.select_related("organiser").get(pk=competition.pk)
    projects = list(
        competition.projects.filter(state=ContestProject.State.CONFIRMED)
        .select_related("occupation", "competition")
        .order_by("id")
    )
    if not projects:
        raise DomainError(
            "results_not_confirmed", _("竞赛“%(c)s”还没有成绩已确认公布的项目") % {"c": competition.name}
        )
    return competition, projects


def _qr_payload(title: Title, *, competition: str = "") -> dict[str, Any]:
    """What the title's QR carries: the marker, the number, the name, the masked ID, the title, the date
    and the competition (kept short: a denser code is harder to scan from a phone screen)."""
    return {
        "t": "title",
        "n": title.number,
        "nm": title.holder_name,
        "id": mask_id_number(title.worker.id_number),
        "h": title.honour,
        "d": title.awarded_on.isoformat(),
        "c": competition,
    }


def _holder_users(worker: Worker) -> list[Any]:
    from skillcity.accounts.models import User

    return list(User.objects.filter(worker_id=worker.pk, is_active=True))


def _number_allocate(prefix: str, year: int, count: int) -> list[str]:
    # certification's counters take a 16-character key; the number is the prefix, the year and 6 digits.
    key = f"TITLE-{prefix}{year}".ljust(16, "-")[:16]
    first = numbering.serial_allocate(key, count)
    return [f"{prefix}{year}{serial:06d}" for serial in range(first, first + count)]


def title_quota(competition: Competition) -> int | None:
    """The competition's own per-project quota, or None (the policy pack's CMP-TITLE.per_contest)."""
    return competition.title_quota


def result_qualifies(result: Result, competition: Competition, on: datetime.date) -> bool:
    """CMP-TITLE's outcome for this result on the contest's date `on` (the rule in force when the
    contest was held), plus: the result carries an award (so it reached the pass mark)."""
    if result.rank is None or not result.award:
        return False
    outcome = evaluate(
        "CMP-TITLE",
        on,
        {
            "competition_level": competition.level,
            "rank": result.rank,
            "title_places": title_quota(competition),
        },
    )
    return outcome.eligible


@transaction.atomic
def titles_award(
    *,
    actor: Any,
    project: ContestProject | None = None,
    competition: Competition | None = None,
    awarded_on: datetime.date | None = None,
) -> list[Title]:
    """Award 东莞市技术能手 to the qualifying players of the confirmed results; returns the new titles
    (players already titled for that result are skipped: once per result and player)."""
    competition, projects = confirmed_projects(project=project, competition=competition)
    require_organiser_or_bureau(actor, competition)
    if competition.level not in TITLE_LEVELS:
        raise DomainError(
            "title_level",
            _("“东莞市技术能手”称号只授予市级一类、二类竞赛的优胜选手，该竞赛为%(l)s")
            % {"l": competition.get_level_display()},
        )
    today = timezone.localdate()
    awarded_on = awarded_on or today
    last_end = max(p.ends_on for p in projects)
    if awarded_on > today or awarded_on < last_end:
        raise DomainError(
            "awarded_on_invalid",
            _("授予日期应在比赛结束（%(d)s）之后且不晚于今天") % {"d": last_end.isoformat()},
            {"awarded_on": _("日期无效")},
        )
    # Lock the competition: two officials pressing the button at once award once.
    Competition.objects.select_for_update().get(pk=competition.pk)
    pending: list[tuple[Result, ContestProject, Worker]] = []
    for p in projects:
        results = Result.objects.filter(project=p).select_related("entry").prefetch_related("entry__players")
        for result in results.order_by("rank", "id"):
            if not result_qualifies(result, competition, p.ends_on):
                continue
            titled = set(
                Title.objects.filter(result=result, honour=CITY_TITLE).values_list("worker_id", flat=True)
            )
            for player in result.entry.players.select_related("worker").order_by("id"):
                if player.worker_id not in titled:
                    pending.append((result, p, player.worker))
    if not pending:
        return []
    numbers = _number_allocate(TITLE_PREFIX, awarded_on.year, len(pending))
    key = signing.signing_key()
    kid = signing.key_id(key.public_key())
    titles: list[Title] = []
    for number, (result, p, worker) in zip(numbers, pending, strict=True):
        title = Title(
            number=number,
            worker=worker,
            honour=CITY_TITLE,
            holder_name=worker.name,
            awarded_on=awarded_on,
            result=result,
            key_id=kid,
        )
        title.qr_token = signing.sign_payload(_qr_payload(title, competition=competition.name), key)
        title.skill_record = skill_record_add(
            worker=worker,
            kind=SkillRecord.Kind.HONOUR,
            actor=actor,
            obtained_on=awarded_on,
            honour=CITY_TITLE,
            name=f"{competition.name} {p.name}"[:100],
            certificate_number=number,
        )
        title.save()
        audit_record(
            actor=actor,
            action="title.award",
            target=title,
            after={**snapshot(title), "rank": result.rank, "quota": title_quota(competition)},
        )
        notifications_send(
            users=_holder_users(worker),
            kind=NotificationKind.TITLE_AWARDED,
            key=f"title-awarded-{title.pk}",
            params={"honour": CITY_TITLE.value, "number": number, "competition": competition.name},
            url=reverse("competitions:title_detail", args=[title.pk]),
        )
        titles.append(title)
    return titles


def _may_revoke(actor: Any, title: Title) -> bool:
    role = _role(actor)
    if role == "bureau_officer":
        return True
    # The organiser of the competition a title came from may revoke it; an imported title only the bureau.
    if role == "organisation_user" and title.result_id is not None:
        organiser = title.result.project.competition.organiser_id if title.result else None
        return organiser is not None and actor.organisation_id == organiser
    return False


def may_revoke(actor: Any, title: Title) -> bool:
    return _may_revoke(actor, title)


@transaction.atomic
def title_revoke(*, title: Title, reason: str, actor: Any) -> Title:
    """Revoke with a reason: the title and its skill record stay (history), marked; the record no longer
    counts as a title (certification.facts excludes it); the holder is told."""
    title = (
        Title.objects.select_for_update(of=("self",))
        .select_related("result__project__competition")
        .get(pk=title.pk)
    )
    if not _may_revoke(actor, title):
        raise PermissionDenied(_("仅市人社局或授予该称号的竞赛主办单位可撤销称号"))
    if title.status == Title.Status.REVOKED:
        raise Conflict("already_revoked", _("该称号已于%(d)s撤销") % {"d": title.revoked_on})
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("撤销称号须填写原因"), {"reason": _("请填写撤销原因")})
    if len(reason) > 500:
        raise DomainError(
            "reason_too_long", _("撤销原因不能超过500个字符"), {"reason": _("不能超过500个字符")}
        )
    before = snapshot(title)
    title.status = Title.Status.REVOKED
    title.revoked_on = timezone.localdate()
    title.revoked_reason = reason
    title.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    title.save(update_fields=["status", "revoked_on", "revoked_reason", "revoked_by"])
    if title.skill_record_id:
        record = SkillRecord.objects.get(pk=title.skill_record_id)
        record.name = ("【已撤销】" + record.name)[:100]  # data, stored in Chinese whatever the officer reads
        record.save(update_fields=["name"])
    audit_record(actor=actor, action="title.revoke", target=title, before=before, after=snapshot(title))
    # Whatever was issued on this title (the talent card) is re-checked now, in this transaction.
    basis_revoked.send(sender=Title, worker=title.worker, actor=actor, reason=reason)
    notifications_send(
        users=_holder_users(title.worker),
        kind=NotificationKind.TITLE_REVOKED,
        key=f"title-revoked-{title.pk}",
        params={"honour": title.honour, "number": title.number, "reason": reason},
        url=reverse("competitions:title_detail", args=[title.pk]),
    )
    return title


def titles_of_competition(competition: Competition) -> QuerySet[Title]:
    return Title.objects.filter(result__project__competition=competition)
