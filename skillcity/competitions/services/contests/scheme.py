"""The marking scheme: sections of aspects, checked all at once; replaced only before any mark."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    MARK_MAX,
    Aspect,
    ContestProject,
    Mark,
    Section,
)
from skillcity.competitions.services.contests.common import (
    _require_open,
    require_organiser,
)
from skillcity.core.audit import audit_record
from skillcity.core.bounds import (
    parse_decimal,
)
from skillcity.core.errors import DomainError

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
