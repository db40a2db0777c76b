"""Who may organise or register, and the checks every competition write shares."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    Competition,
    ContestProject,
    Level,
)
from skillcity.core.bounds import (
    parse_int,
    text_length_errors,
)
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.registry.models import Organisation

PLACES_MAX = 100  # award places of one kind per project (a contest awards tens, never hundreds)
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


def _require_open(project: ContestProject) -> None:
    if project.state == ContestProject.State.CONFIRMED:
        raise DomainError("project_confirmed", _("该项目成绩已确认公布，不能再修改"))
