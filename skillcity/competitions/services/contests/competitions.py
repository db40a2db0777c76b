"""Competitions: create (with the award scheme and the promotion rule) and publish."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    MARK_MAX,
    PROVINCIAL_OR_HIGHER,
    Competition,
    Level,
)
from skillcity.competitions.services.contests.common import (
    PLACES_MAX,
    RANK_MAX,
    TITLE_QUOTA_MAX,
    _dates,
    _field_error,
    _int,
    _text_errors,
    require_organiser,
    role_of,
)
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import (
    LEVEL_MAX,
    LEVEL_MIN,
    YEAR_MAX,
    YEAR_MIN,
    parse_decimal,
)
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.registry.models import Organisation, Town


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
        # Provincial and national contests are recorded by the bureau (their results are imported), so a
        # unit cannot make one for itself and then claim its awards.
        if external or level in PROVINCIAL_OR_HIGHER:
            raise PermissionDenied(_("省级及以上竞赛和外部竞赛由市人社局登记"))
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
