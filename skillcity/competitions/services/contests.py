"""Competitions and their projects, entries, marking schemes and judges: one transaction and one audit
row per write (docs/competitions.md, "评分与成绩").

Who may do what:
- organise (a competition's projects, scheme, judges): a bureau officer; the organiser organisation's
  user for its own competition; for a town contest, that town's officer too.
- register players: a bureau officer, or the unit's own user for its own workers (a player is a worker in
  the registry employed by the unit).
- A judge whose unit fielded a player in the project is refused (and a unit whose staff judges the
  project cannot field a player in it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    MARK_MAX,
    PROVINCIAL_OR_HIGHER,
    Aspect,
    Competition,
    ContestProject,
    Entry,
    EntryPlayer,
    Judge,
    Level,
    Mark,
    Section,
)
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import (
    LEVEL_MAX,
    LEVEL_MIN,
    YEAR_MAX,
    YEAR_MIN,
    parse_decimal,
    parse_int,
    text_length_errors,
)
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.registry.models import Occupation, Organisation, Town, Worker

PLACES_MAX = 999  # award places of one kind per project
TITLE_QUOTA_MAX = 999
TEAM_SIZE_MAX = 10
RANK_MAX = 9999  # a place named in a promotion band


def role_of(actor: Any) -> str:
    if getattr(actor, "is_superuser", False):
        return "bureau_officer"
    return str(getattr(actor, "role", "") or "")


def can_organise(actor: Any, competition: Competition) -> bool:
    """A bureau officer; the organiser organisation's user; a town contest's own town officer."""
    role = role_of(actor)
    if role == "bureau_officer":
        return True
    if role == "organisation_user":
        return competition.organiser_id is not None and competition.organiser_id == actor.organisation_id
    if role == "town_officer":
        return competition.level == Level.TOWN and competition.town_id == actor.town_id
    return False


def require_organiser(actor: Any, competition: Competition) -> None:
    if not can_organise(actor, competition):
        raise PermissionDenied(_("只有竞赛的主办单位或市人社局可执行此操作"))


def can_register_for(actor: Any, unit: Organisation) -> bool:
    role = role_of(actor)
    return role == "bureau_officer" or (role == "organisation_user" and actor.organisation_id == unit.pk)


def _text_errors(model: Any, values: dict[str, Any]) -> None:
    errors = text_length_errors(model, values)
    if errors:
        name = next(iter(errors))
        label = model._meta.get_field(name).verbose_name
        raise DomainError(
            "too_long", _("%(f)s：%(m)s") % {"f": label, "m": errors[name]}, {k: v for k, v in errors.items()}
        )


def _field_error(code: str, field: str, message: str) -> DomainError:
    """The message names the field ("镇街：…"); beside the field itself (a page puts its own label
    first) it reads without that name. A name with a number ("…第2段起始名次") stays: it says which."""
    head, sep, rest = message.partition("：")
    beside = rest if sep and not any(ch.isdigit() for ch in head) else message
    return DomainError(code, message, {field: beside})


def _int(raw: Any, *, field: str, label: str, low: int, high: int) -> int:
    try:
        return parse_int(raw, low=low, high=high)
    except ValueError as exc:
        raise _field_error("invalid", field, f"{label}：{exc}") from None


def _dates(starts_on: Any, ends_on: Any) -> None:
    if not isinstance(starts_on, datetime.date):
        raise _field_error("invalid", "starts_on", _("开始日期：请填写日期"))
    if not isinstance(ends_on, datetime.date):
        raise _field_error("invalid", "ends_on", _("结束日期：请填写日期"))
    if ends_on < starts_on:
        raise _field_error("dates_order", "ends_on", _("结束日期：不能早于开始日期"))


def clean_promotion_rule(rule: Any) -> dict[str, Any]:
    """{"bands": [{"from": 1, "to": 3, "level": 2}, …], "pass_level": 4 or null}: places `from`–`to`
    are promoted to `level` (1 = 一级/高级技师 … 5 = 五级/初级工); a passed entry outside the bands gets
    `pass_level`. Bands must not overlap. None or {} means no promotion."""
    if rule in (None, "", {}):
        return {}
    if not isinstance(rule, dict):
        raise _field_error("promotion_rule_invalid", "promotion_rule", _("晋升等级规则：格式无效"))
    bands_in = rule.get("bands") or []
    if not isinstance(bands_in, list):
        raise _field_error("promotion_rule_invalid", "promotion_rule", _("晋升等级规则：名次段格式无效"))
    bands: list[dict[str, int]] = []
    for number, band in enumerate(bands_in, start=1):
        if not isinstance(band, dict):
            raise _field_error("promotion_rule_invalid", "promotion_rule", _("晋升等级规则：名次段格式无效"))
        where = _("晋升等级规则第%(n)d段") % {"n": number}
        low = _int(
            band.get("from"), field="promotion_rule", label=f"{where}{_('起始名次')}", low=1, high=RANK_MAX
        )
        high = _int(
            band.get("to"), field="promotion_rule", label=f"{where}{_('截止名次')}", low=1, high=RANK_MAX
        )
        level = _int(
            band.get("level"),
            field="promotion_rule",
            label=f"{where}{_('等级')}",
            low=LEVEL_MIN,
            high=LEVEL_MAX,
        )
        if high < low:
            raise _field_error(
                "promotion_rule_invalid",
                "promotion_rule",
                _("%(w)s：截止名次不能小于起始名次") % {"w": where},
            )
        for other in bands:
            if low <= other["to"] and other["from"] <= high:
                raise _field_error(
                    "promotion_rule_invalid",
                    "promotion_rule",
                    _("%(w)s：名次段与前面的名次段重叠") % {"w": where},
                )
        bands.append({"from": low, "to": high, "level": level})
    pass_level_raw = rule.get("pass_level")
    pass_level = (
        None
        if pass_level_raw in (None, "")
        else _int(
            pass_level_raw, field="promotion_rule", label=_("合格晋升等级"), low=LEVEL_MIN, high=LEVEL_MAX
        )
    )
    return {"bands": bands, "pass_level": pass_level} if bands or pass_level else {}


# --- competitions --------------------------------------------------------------------------------


@transaction.atomic
def competition_create(
    *,
    actor: Any,
    name: str,
    level: str,
    year: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    organiser: Organisation | None = None,
    organiser_name: str = "",
    town: Town | None = None,
    feeds: Competition | None = None,
    external: bool = False,
    gold_places: int = 1,
    silver_places: int = 2,
    bronze_places: int = 3,
    excellence_places: int = 4,
    pass_mark: Decimal | str = Decimal("60"),
    title_quota: int | None = None,
    promotion_rule: dict[str, Any] | None = None,
) -> Competition:
    """A new competition (draft). A town contest needs its town; a city selection names the
    provincial-or-higher competition it feeds; an organisation user organises for itself, a town
    officer the town contests of its own town."""
    role = role_of(actor)
    name = (name or "").strip()
    organiser_name = (organiser_name or "").strip()
    if not name:
        raise _field_error("name_required", "name", _("竞赛名称：请填写"))
    if level not in Level.values:
        raise _field_error("level_invalid", "level", _("竞赛级别：未知的级别"))
    if role == "bureau_officer":
        pass
    elif role == "organisation_user":
        if organiser is None or organiser.pk != actor.organisation_id:
            raise PermissionDenied(_("单位用户只能以本单位为主办单位创建竞赛"))
    elif role == "town_officer":
        if level != Level.TOWN or town is None or town.pk != actor.town_id:
            raise PermissionDenied(_("镇街工作人员只能创建本镇街的镇街竞赛"))
    else:
        raise PermissionDenied(_("您的角色无权创建竞赛"))
    year = _int(year, field="year", label=_("年度"), low=YEAR_MIN, high=YEAR_MAX)
    _dates(starts_on, ends_on)
    if organiser is None and not organiser_name:
        raise _field_error("organiser_required", "organiser", _("主办单位：请选择主办单位或填写主办单位名称"))
    if level == Level.TOWN and town is None:
        raise _field_error("town_required", "town", _("镇街：镇街竞赛须选择镇街"))
    if level != Level.TOWN and town is not None:
        raise _field_error("town_not_allowed", "town", _("镇街：只有镇街竞赛填写镇街"))
    if level == Level.CITY_SELECTION:
        if feeds is None:
            raise _field_error(
                "feeds_required", "feeds", _("选拔输送的竞赛：选拔赛须关联其输送的省级以上竞赛")
            )
        if feeds.level not in PROVINCIAL_OR_HIGHER:
            raise _field_error(
                "feeds_level", "feeds", _("选拔输送的竞赛：“%(c)s”不是省级以上竞赛") % {"c": feeds.name}
            )
    elif feeds is not None:
        raise _field_error("feeds_not_allowed", "feeds", _("选拔输送的竞赛：只有选拔赛关联输送的竞赛"))
    places = {}
    for field, value, label in (
        ("gold_places", gold_places, _("金奖名额")),
        ("silver_places", silver_places, _("银奖名额")),
        ("bronze_places", bronze_places, _("铜奖名额")),
        ("excellence_places", excellence_places, _("优胜奖名额")),
    ):
        places[field] = _int(value, field=field, label=label, low=0, high=PLACES_MAX)
    try:
        pass_mark_value = parse_decimal(pass_mark, low=Decimal(0), high=MARK_MAX, places=2)
    except ValueError as exc:
        raise _field_error("invalid", "pass_mark", f"{_('合格分数线')}：{exc}") from None
    quota = (
        None
        if title_quota in (None, "")
        else _int(title_quota, field="title_quota", label=_("技术能手称号名额"), low=0, high=TITLE_QUOTA_MAX)
    )
    rule = clean_promotion_rule(promotion_rule)
    _text_errors(Competition, {"name": name, "organiser_name": organiser_name})
    competition = Competition.objects.create(
        name=name,
        level=level,
        year=year,
        organiser=organiser,
        organiser_name=organiser_name,
        town=town,
        feeds=feeds,
        external=bool(external),
        starts_on=starts_on,
        ends_on=ends_on,
        pass_mark=pass_mark_value,
        title_quota=quota,
        promotion_rule=rule,
        created_by=actor,
        **places,
    )
    audit_record(actor=actor, action="competition.create", target=competition, after=snapshot(competition))
    return competition


@transaction.atomic
def competition_publish(*, competition: Competition, actor: Any) -> Competition:
    """Publish a draft competition (its calendar entry becomes public)."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    require_organiser(actor, competition)
    if competition.state != Competition.State.DRAFT:
        raise DomainError("not_draft", _("只有筹备中的竞赛可以发布"))
    competition.state = Competition.State.PUBLISHED
    competition.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="competition.publish",
        target=competition,
        before={"state": "draft"},
        after={"state": competition.state},
    )
    return competition


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


def _require_open(project: ContestProject) -> None:
    if project.state == ContestProject.State.CONFIRMED:
        raise DomainError("project_confirmed", _("该项目成绩已确认公布，不能再修改"))


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
    taken = EntryPlayer.objects.filter(project=project, worker__in=players).select_related("worker").first()
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


# --- marking scheme ------------------------------------------------------------------------------


def _scheme_errors(sections: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The scheme cleaned, and {field path: message} for each bad value (all of them at once)."""
    errors: dict[str, str] = {}
    cleaned: list[dict[str, Any]] = []
    if not isinstance(sections, list) or not sections:
        return [], {"sections": _("评分方案：至少一个模块")}
    seen_sections: set[str] = set()
    for s_index, section in enumerate(sections):
        where = _("第%(n)d个模块") % {"n": s_index + 1}
        if not isinstance(section, dict):
            errors[f"sections.{s_index}"] = _("%(w)s：格式无效") % {"w": where}
            continue
        code = str(section.get("code") or "").strip()
        name = str(section.get("name") or "").strip()
        if not code:
            errors[f"sections.{s_index}.code"] = _("%(w)s模块代码：请填写") % {"w": where}
        elif len(code) > 10:
            errors[f"sections.{s_index}.code"] = _("%(w)s模块代码：不能超过10个字符") % {"w": where}
        elif code in seen_sections:
            errors[f"sections.{s_index}.code"] = _("%(w)s模块代码：“%(c)s”重复") % {"w": where, "c": code}
        seen_sections.add(code)
        if not name:
            errors[f"sections.{s_index}.name"] = _("%(w)s模块名称：请填写") % {"w": where}
        elif len(name) > 200:
            errors[f"sections.{s_index}.name"] = _("%(w)s模块名称：不能超过200个字符") % {"w": where}
        aspects_in = section.get("aspects") or []
        aspects: list[dict[str, Any]] = []
        if not isinstance(aspects_in, list) or not aspects_in:
            errors[f"sections.{s_index}.aspects"] = _("%(w)s：至少一个评分项") % {"w": where}
            aspects_in = []
        seen_aspects: set[str] = set()
        for a_index, aspect in enumerate(aspects_in):
            at = _("%(w)s第%(n)d个评分项") % {"w": where, "n": a_index + 1}
            key = f"sections.{s_index}.aspects.{a_index}"
            if not isinstance(aspect, dict):
                errors[key] = _("%(w)s：格式无效") % {"w": at}
                continue
            a_code = str(aspect.get("code") or "").strip()
            description = str(aspect.get("description") or "").strip()
            kind = str(aspect.get("kind") or "").strip()
            if not a_code:
                errors[f"{key}.code"] = _("%(w)s评分项代码：请填写") % {"w": at}
            elif len(a_code) > 12:
                errors[f"{key}.code"] = _("%(w)s评分项代码：不能超过12个字符") % {"w": at}
            elif a_code in seen_aspects:
                errors[f"{key}.code"] = _("%(w)s评分项代码：“%(c)s”重复") % {"w": at, "c": a_code}
            seen_aspects.add(a_code)
            if not description:
                errors[f"{key}.description"] = _("%(w)s评分项描述：请填写") % {"w": at}
            elif len(description) > 500:
                errors[f"{key}.description"] = _("%(w)s评分项描述：不能超过500个字符") % {"w": at}
            if kind not in Aspect.Kind.values:
                errors[f"{key}.kind"] = _("%(w)s评分方式：应为测量或评价") % {"w": at}
            try:
                max_mark = parse_decimal(aspect.get("max_mark"), low=Decimal(0), high=MARK_MAX, places=2)
                if max_mark <= 0:
                    raise ValueError(_("应大于 0"))
            except ValueError as exc:
                errors[f"{key}.max_mark"] = _("%(w)s分值：%(e)s") % {"w": at, "e": exc}
                max_mark = Decimal(0)
            aspects.append({"code": a_code, "description": description, "kind": kind, "max_mark": max_mark})
        cleaned.append({"code": code, "name": name, "aspects": aspects})
    return cleaned, errors


def scheme_check(sections: Any) -> list[dict[str, Any]]:
    """The scheme cleaned, or a DomainError listing every bad value (used by the page and the import)."""
    cleaned, errors = _scheme_errors(sections)
    if errors:
        raise DomainError("scheme_invalid", "；".join(errors.values()), errors)
    return cleaned


@transaction.atomic
def scheme_set(*, project: ContestProject, actor: Any, sections: list[dict[str, Any]]) -> list[Section]:
    """Replace a project's marking scheme: sections of aspects, each measurement or judgement with its
    maximum mark. Refused once any mark exists."""
    project = ContestProject.objects.select_for_update().get(pk=project.pk)
    require_organiser(actor, project.competition)
    _require_open(project)
    if Mark.objects.filter(entry__project=project).exists():
        raise DomainError("scheme_locked", _("该项目已有评分，评分方案不能再修改"))
    cleaned = scheme_check(sections)
    before = scheme_snapshot(project)
    Aspect.objects.filter(section__project=project).delete()
    Section.objects.filter(project=project).delete()
    made: list[Section] = []
    for s_order, section in enumerate(cleaned):
        row = Section.objects.create(
            project=project, code=section["code"], name=section["name"], order=s_order
        )
        Aspect.objects.bulk_create(
            [
                Aspect(section=row, order=a_order, **aspect)
                for a_order, aspect in enumerate(section["aspects"])
            ]
        )
        made.append(row)
    audit_record(
        actor=actor,
        action="competition.scheme_set",
        target=project,
        before=before,
        after=scheme_snapshot(project),
    )
    return made


def scheme_snapshot(project: ContestProject) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "aspects": [
                {"code": a.code, "description": a.description, "kind": a.kind, "max_mark": str(a.max_mark)}
                for a in s.aspects.all()
            ],
        }
        for s in Section.objects.filter(project=project).prefetch_related("aspects")
    ]


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
