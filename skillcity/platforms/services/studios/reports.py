"""Master studios: the yearly report (apprentices from the registry) and its evaluation."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.platforms.models.studios import (
    Studio,
    StudioApprentice,
    StudioReport,
    StudioReportResult,
    StudioState,
)
from skillcity.platforms.services.studios.common import (
    APPRENTICES_MAX,
    COUNT_MAX,
    REASON_MAX,
    TEXT_MAX,
    YEAR_MIN,
    _day,
    _lock,
    _reason,
    _refuse,
    _require_bureau,
    is_bureau,
    today,
)
from skillcity.platforms.services.studios.lifecycle import _end
from skillcity.registry.models import Worker

# ---- yearly reports ------------------------------------------------------------------------------


def _count(raw: Any, field: str) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise DomainError("bad_count", _("应为整数"), {field: _("应为0至10000的整数")}) from None
    if not 0 <= value <= COUNT_MAX:
        raise DomainError("bad_count", _("应为0至10000的整数"), {field: _("应为0至10000的整数")})
    return value


def apprentices_from_numbers(raw: str) -> list[Worker]:
    """The apprentices a report names by ID number (one a line): each must be in the registry; every
    unknown number is listed."""
    numbers: list[str] = []
    for line in (raw or "").replace("，", "\n").replace(",", "\n").splitlines():
        number = line.strip().upper()
        if number and number not in numbers:
            numbers.append(number)
    if len(numbers) > APPRENTICES_MAX:
        raise DomainError("too_many", _("徒弟不超过200人"), {"apprentices": _("不超过200人")})
    found = {w.id_number: w for w in Worker.objects.filter(id_number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        shown = "、".join(n[:4] + "…" + n[-4:] if len(n) > 8 else n for n in missing[:20])
        message = _("以下身份证号码不在人才登记库中：%(n)s") % {"n": shown}
        raise DomainError("unknown_apprentice", message, {"apprentices": message})
    return [found[n] for n in numbers]


@transaction.atomic
def report_submit(
    *,
    actor: Any,
    studio: Studio,
    year: int,
    apprentices: list[Worker],
    results: str,
    results_count: Any,
    courses: str = "",
    courses_count: Any = 0,
) -> StudioReport:
    """The studio's enterprise (or the bureau) reports a year: once per year, while the studio is open."""
    s = _lock(studio)
    if not (is_bureau(actor) or getattr(actor, "organisation_id", None) == s.organisation_id):
        raise PermissionDenied(_("只有依托单位或市人社局可以报送年度报告"))
    if s.state != StudioState.RECOGNISED:
        raise _refuse(s, _("报送年度报告"))
    errors: dict[str, str] = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not YEAR_MIN <= year <= today().year:
        errors["year"] = _("年度应在%(a)s至%(b)s之间") % {"a": YEAR_MIN, "b": today().year}
    elif s.recognised_on and year < s.recognised_on.year:
        errors["year"] = _("不能早于认定年度%(y)s") % {"y": s.recognised_on.year}
    results, courses = (results or "").strip(), (courses or "").strip()
    if not results:
        errors["results"] = _("必须填写")
    elif len(results) > TEXT_MAX:
        errors["results"] = _("不超过2000个字")
    if len(courses) > TEXT_MAX:
        errors["courses"] = _("不超过2000个字")
    if s.lead in apprentices:
        errors["apprentices"] = _("领办人本人不能作为徒弟")
    if errors:
        raise DomainError("invalid", _("年度报告信息有误"), errors)
    n_results, n_courses = _count(results_count, "results_count"), _count(courses_count, "courses_count")
    if StudioReport.objects.filter(studio=s, year=year).exists():
        raise Conflict("report_exists", _("%(y)s年度报告已报送") % {"y": year}, {"year": _("该年度已报送")})
    report = StudioReport.objects.create(
        studio=s,
        year=year,
        results=results,
        results_count=n_results,
        courses=courses,
        courses_count=n_courses,
        submitted_by=actor,
    )
    StudioApprentice.objects.bulk_create(
        StudioApprentice(report=report, worker=w) for w in dict.fromkeys(apprentices)
    )
    audit_record(
        actor=actor,
        action="platforms.studio.report",
        target=report,
        after={**snapshot(report), "apprentices": [w.pk for w in apprentices]},
    )
    return report


@transaction.atomic
def report_evaluate(
    *, actor: Any, report: StudioReport, passed: bool, reasons: str, day: Any = None
) -> StudioReport:
    """The bureau's evaluation: pass, or fail with the reasons — a failed evaluation revokes the studio
    (recorded with the reasons) and its lead's talent-card basis."""
    _require_bureau(actor)
    r = StudioReport.objects.select_for_update().get(pk=report.pk)
    if r.result != StudioReportResult.PENDING:
        raise Conflict(
            "already_evaluated",
            _("该年度报告已评估（%(r)s）") % {"r": r.get_result_display()},
            {"result": r.result},
        )
    s = _lock(r.studio)
    if not passed and s.state != StudioState.RECOGNISED:
        raise _refuse(s, _("作评估不合格处理"))
    reasons = _reason(reasons, "reasons") if not passed else (reasons or "").strip()[:REASON_MAX]
    when = _day(day, "day")
    r.result = StudioReportResult.PASSED if passed else StudioReportResult.FAILED
    r.evaluation_reasons, r.evaluated_on = reasons, when
    r.save(update_fields=["result", "evaluation_reasons", "evaluated_on"])
    audit_record(
        actor=actor,
        action="platforms.studio.evaluate",
        target=r,
        after={"result": r.result, "reasons": reasons},
    )
    if not passed:
        _end(
            actor=actor,
            studio=s,
            state=StudioState.FAILED,
            reason=_("%(y)s年度评估不合格：%(r)s") % {"y": r.year, "r": reasons},
            day=when,
            action="platforms.studio.fail",
        )
    return r
