"""Provincial, national and WorldSkills results of Dongguan players, imported from .xlsx in a published
layout (docs/competitions.md, "奖励与补贴"), and the training camps units record.

An import creates the external Competition, its ContestProject (results confirmed: they are the
organiser's published results), the Entry with its player and coach, and the Result with its prize
money — what CMP-MATCH and CMP-WORLDSKILLS read. Every row is checked first; one bad row rejects the
whole file, listing every bad row (row number, column label, reason). Re-uploading the same rows
changes nothing; a row that contradicts a result already imported is refused, naming it.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from openpyxl.styles import Font

from skillcity.competitions.models import (
    PROVINCIAL_OR_HIGHER,
    Award,
    CampTrainee,
    Competition,
    ContestProject,
    Entry,
    EntryPlayer,
    Level,
    Result,
    TrainingCamp,
)
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import (
    YEAR_MAX,
    YEAR_MIN,
    column_money_max,
    parse_int,
    parse_iso_date,
    parse_level,
    parse_money,
    shown_value,
)
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.registry.imports import FormulaCells, RowError, read_rows
from skillcity.registry.models import Occupation, Organisation, Worker

IMPORT_ROWS_MAX = 2000
EXTERNAL_LEVELS = (
    Level.PROVINCIAL_CLASS1,
    Level.PROVINCIAL_CLASS2,
    Level.NATIONAL_CLASS1,
    Level.NATIONAL_CLASS2,
    Level.WORLDSKILLS,
)
# The published layout: field → column label (the template's header, in this order).
COLUMNS: dict[str, str] = {
    "competition": N_("竞赛名称"),
    "level": N_("竞赛级别"),
    "year": N_("年度"),
    "organiser": N_("主办单位"),
    "project": N_("项目名称"),
    "occupation": N_("职业编码"),
    "standard_level": N_("对应标准等级"),
    "date": N_("比赛日期"),
    "id_number": N_("身份证号码"),
    "unit": N_("报名单位统一社会信用代码"),
    "award": N_("奖项"),
    "rank": N_("名次"),
    "prize": N_("竞赛奖金"),
    "coach": N_("教练身份证号码"),
}
REQUIRED = (
    "competition",
    "level",
    "year",
    "organiser",
    "project",
    "occupation",
    "date",
    "id_number",
    "unit",
    "award",
)
SAMPLE = [
    "2024年广东省职业技能大赛",
    "省级一类",
    2024,
    "广东省人力资源和社会保障厅",
    "数控车",
    "6-18-01-01",
    3,
    "2024-10-18",
    "441900199005170011",
    "91441900MA4UXXXX0X",
    "金奖",
    1,
    "20000",
    "",
]


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Row:
    number: int
    values: dict[str, Any]


def template_workbook() -> bytes:
    """The published layout: the header and one sample row."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = _("省赛国赛世赛成绩导入")
    sheet.append([_(label) for label in COLUMNS.values()])
    sheet.append(SAMPLE)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    return workbook_bytes(workbook)


def _labels() -> dict[str, str]:
    """Column label (in Chinese, or in the reader's language) → field."""
    found = {}
    for name, label in COLUMNS.items():
        found[label] = name
        found[_(label)] = name
    return found


def _level(raw: Any) -> str:
    text = str(raw or "").strip()
    for value, label in Level.choices:
        if text in (value, str(label)) and value in EXTERNAL_LEVELS:
            return str(value)
    raise ValueError(_("应为省级一类、省级二类、国家级一类、国家级二类或世界技能大赛"))


def _award(raw: Any) -> str:
    text = str(raw or "").strip()
    for value, label in Award.choices:
        if text in (value, str(label)) and (value or text):
            return str(value)
    raise ValueError(_("应为金奖、银奖、铜奖、优胜奖或未获奖"))


def normalise_id_number(text: str) -> str:
    """A resident ID as the registry stores it: the check character X in upper case."""
    return text.strip().upper()


def _text(raw: Any, limit: int) -> str:
    text = str(raw if raw is not None else "").strip()
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        text = str(int(raw))
    if len(text) > limit:
        raise ValueError(_("不能超过 %(n)s 个字符") % {"n": limit})
    return text


class _Refs:
    def __init__(self) -> None:
        self.workers: dict[str, Worker | None] = {}
        self.units: dict[str, Organisation | None] = {}
        self.occupations: dict[str, Occupation | None] = {}

    def worker(self, number: str) -> Worker | None:
        if number not in self.workers:
            self.workers[number] = Worker.objects.filter(id_number=number).select_related("town").first()
        return self.workers[number]

    def unit(self, uscc: str) -> Organisation | None:
        if uscc not in self.units:
            self.units[uscc] = Organisation.objects.filter(uscc=uscc).first()
        return self.units[uscc]

    def known(self, table: dict[str, Any], key: str) -> Any:
        """A reference the row's check found (so never None when writing)."""
        found = table[key]
        assert found is not None
        return found

    def occupation(self, code: str) -> Occupation | None:
        if code not in self.occupations:
            self.occupations[code] = Occupation.objects.filter(code=code).first()
        return self.occupations[code]


def _clean(data: dict[str, Any], refs: _Refs) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def take(name: str, parse: Any) -> None:
        raw = data.get(name)
        if raw is None or str(raw).strip() == "":
            if name in REQUIRED:
                errors[name] = _("必须填写")
            return
        try:
            values[name] = parse(raw)
        except ValueError as exc:
            errors[name] = str(exc)

    take("competition", lambda r: _text(r, 200))
    take("level", _level)
    take("year", lambda r: parse_int(r, low=YEAR_MIN, high=YEAR_MAX))
    take("organiser", lambda r: _text(r, 200))
    take("project", lambda r: _text(r, 200))
    take("occupation", lambda r: _text(r, 20))
    take("standard_level", parse_level)
    take("date", parse_iso_date)
    take("id_number", lambda r: normalise_id_number(_text(r, 18)))
    take("unit", lambda r: _text(r, 18).upper())
    take("award", _award)
    take("rank", lambda r: parse_int(r, low=1, high=10_000))
    take("prize", lambda r: parse_money(r, high=column_money_max(Result._meta.get_field("prize_money"))))
    take("coach", lambda r: normalise_id_number(_text(r, 18)))
    if "occupation" in values and refs.occupation(values["occupation"]) is None:
        errors["occupation"] = _("职业编码“%(c)s”不在职业分类目录中") % {
            "c": shown_value(values["occupation"])
        }
    if "id_number" in values and refs.worker(values["id_number"]) is None:
        errors["id_number"] = _("该身份证号码不在劳动者库中（选手须为登记的劳动者）")
    if "coach" in values and refs.worker(values["coach"]) is None:
        errors["coach"] = _("该教练身份证号码不在劳动者库中")
    if "unit" in values and refs.unit(values["unit"]) is None:
        errors["unit"] = _("该统一社会信用代码不在单位库中")
    if "year" in values and "date" in values and values["date"].year != values["year"]:
        errors["date"] = _("比赛日期不在所填年度内")
    if values.get("level") == Level.WORLDSKILLS and values.get("award") == Award.EXCELLENCE:
        errors["award"] = _("世界技能大赛只有金、银、铜奖和未获奖")
    return values, errors


def results_import(*, filename: str, content: bytes, actor: Any) -> ImportReport:
    """Check every row, then write all of them in one transaction, or none."""
    if getattr(actor, "role", None) != "bureau_officer" and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("只有市人社局工作人员可以导入竞赛成绩"))
    if not filename.lower().endswith(".xlsx"):
        raise DomainError("invalid_file", _("只支持 .xlsx 文件"), {"file": _("文件类型不支持")})
    rows = read_rows(filename, content)
    try:
        header = next(rows, None)
    except FormulaCells as error:
        return ImportReport(errors=error.errors)
    if header is None:
        return ImportReport(errors=[RowError(1, "", _("文件为空"))])
    labels = _labels()
    mapping: dict[int, str] = {}
    report = ImportReport()
    for index, cell in enumerate(header):
        text = str(cell or "").strip()
        if not text:
            continue
        if text not in labels:
            report.errors.append(RowError(1, text, _("未知列名")))
        else:
            mapping[index] = labels[text]
    for name in REQUIRED:
        if name not in mapping.values():
            report.errors.append(RowError(1, _(COLUMNS[name]), _("缺少必填列")))
    if report.errors:
        return report
    refs = _Refs()
    valid: list[Row] = []
    seen: dict[tuple[str, int, str, str], int] = {}
    try:
        for number, raw in enumerate(rows, start=2):
            if not any(str(c or "").strip() for c in raw):
                continue
            if len(valid) + len(report.errors) >= IMPORT_ROWS_MAX:
                report.errors.append(
                    RowError(number, "", _("超过单次导入上限 %(n)s 行") % {"n": IMPORT_ROWS_MAX})
                )
                break
            data = {mapping[i]: value for i, value in enumerate(raw) if i in mapping}
            values, errors = _clean(data, refs)
            if not errors:
                key = (values["competition"], values["year"], values["project"], values["id_number"])
                if key in seen:
                    errors["id_number"] = _("与第 %(n)s 行是同一项目的同一选手") % {"n": seen[key]}
                else:
                    seen[key] = number
            if not errors:
                conflict = _conflict(values, refs)
                if conflict:
                    errors["award"] = conflict
            for name, reason in errors.items():
                report.errors.append(RowError(number, _(COLUMNS[name]), reason))
            if not errors:
                valid.append(Row(number, values))
    except FormulaCells as error:
        return ImportReport(errors=error.errors)
    if report.errors:
        return report
    if not valid:
        return ImportReport(errors=[RowError(2, "", _("文件中没有数据行"))])
    try:
        return _write(valid, refs, actor, filename)
    except IntegrityError:
        return ImportReport(errors=[RowError(0, "", _("导入期间有记录被他人修改，请重新导入"))])


def _existing(values: dict[str, Any], refs: _Refs) -> Result | None:
    worker = refs.worker(values["id_number"])
    player = (
        EntryPlayer.objects.filter(
            worker=worker,
            project__name=values["project"],
            project__competition__name=values["competition"],
            project__competition__year=values["year"],
            project__competition__external=True,
        )
        .select_related("entry__result", "entry__unit", "entry__coach")
        .first()
    )
    return getattr(player.entry, "result", None) if player else None


def _conflict(values: dict[str, Any], refs: _Refs) -> str:
    """A row already imported must say the same again (re-upload is idempotent, never an edit)."""
    result = _existing(values, refs)
    if result is None:
        return ""
    entry = result.entry
    coach = refs.worker(values["coach"]) if values.get("coach") else None
    same = (
        result.award == values["award"]
        and result.prize_money == values.get("prize", Decimal("0"))
        and result.rank == values.get("rank")
        and entry.unit.uscc == values["unit"]
        and entry.coach_id == (coach.pk if coach else None)
    )
    if same:
        return ""
    return _("与已导入的成绩不一致（%(a)s，奖金 %(p)s 元），已导入的成绩不能通过导入修改") % {
        "a": result.get_award_display(),
        "p": result.prize_money,
    }


@transaction.atomic
def _write(rows: list[Row], refs: _Refs, actor: Any, filename: str) -> ImportReport:
    report = ImportReport()
    competitions: dict[tuple[str, int, str], Competition] = {}
    projects: dict[tuple[int, str], ContestProject] = {}
    for row in rows:
        v = row.values
        if _existing(v, refs) is not None:
            report.unchanged += 1
            continue
        ckey = (v["competition"], v["year"], v["level"])
        competition = competitions.get(ckey)
        if competition is None:
            competition = Competition.objects.filter(
                name=v["competition"], year=v["year"], level=v["level"], external=True
            ).first() or Competition.objects.create(
                name=v["competition"],
                level=v["level"],
                year=v["year"],
                organiser_name=v["organiser"],
                external=True,
                starts_on=v["date"],
                ends_on=v["date"],
                state=Competition.State.CLOSED,
                created_by=actor,
            )
            competitions[ckey] = competition
        if v["date"] < competition.starts_on or v["date"] > competition.ends_on:
            competition.starts_on = min(competition.starts_on, v["date"])
            competition.ends_on = max(competition.ends_on, v["date"])
            competition.save(update_fields=["starts_on", "ends_on"])
        pkey = (competition.pk, v["project"])
        project = projects.get(pkey)
        if project is None:
            project = ContestProject.objects.filter(competition=competition, name=v["project"]).first()
            if project is None:
                project = ContestProject.objects.create(
                    competition=competition,
                    name=v["project"],
                    occupation=refs.known(refs.occupations, v["occupation"]),
                    level=v.get("standard_level", 3),
                    starts_on=v["date"],
                    ends_on=v["date"],
                    state=ContestProject.State.CONFIRMED,
                )
            projects[pkey] = project
        worker = refs.known(refs.workers, v["id_number"])
        coach = refs.known(refs.workers, v["coach"]) if v.get("coach") else None
        entry = Entry.objects.create(
            project=project,
            unit=refs.known(refs.units, v["unit"]),
            coach=coach,
            coach_name=coach.name if coach else "",
            registered_by=actor,
        )
        EntryPlayer.objects.create(entry=entry, project=project, worker=worker)
        result = Result.objects.create(
            project=project,
            entry=entry,
            rank=v.get("rank"),
            award=v["award"],
            passed=bool(v["award"]),
            prize_money=v.get("prize", Decimal("0")),
        )
        audit_record(
            actor=actor,
            action="competitions.result.import",
            target=result,
            after={**snapshot(result), "file": filename, "row": row.number},
        )
        report.created += 1
    return report


# --- training camps ------------------------------------------------------------------------------


def _months_spanned(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


@transaction.atomic
def camp_record(
    *,
    actor: Any,
    project: ContestProject,
    unit: Organisation,
    starts_on: datetime.date,
    ends_on: datetime.date,
    trainees: list[tuple[str, int]],
    selection_level: str = "",
    completed: bool = False,
) -> TrainingCamp:
    """A unit's training camp for a provincial-or-higher project (CMP-CAMP), or a WorldSkills
    selection camp at a level (CMP-WS-BASE), with its Dongguan trainees and their months of camp.
    A unit records its own; the bureau any unit's."""
    role = getattr(actor, "role", None)
    if not (role == "bureau_officer" or (role == "organisation_user" and actor.organisation_id == unit.pk)):
        raise PermissionDenied(_("只有集训单位本单位用户或市人社局可以登记集训"))
    level = project.competition.level
    if level not in PROVINCIAL_OR_HIGHER:
        raise DomainError(
            "camp_level",
            _("集训只适用于省级以上竞赛项目，“%(p)s”为%(l)s")
            % {"p": project.name, "l": project.competition.get_level_display()},
            {"project": _("须为省级以上竞赛项目")},
        )
    if selection_level and level != Level.WORLDSKILLS:
        raise DomainError(
            "camp_selection_level",
            _("世赛选拔集训级别只适用于世界技能大赛项目"),
            {"selection_level": _("只适用于世界技能大赛项目")},
        )
    if selection_level not in TrainingCamp.SelectionLevel.values:
        raise DomainError("camp_selection_level", _("世赛选拔集训级别无效"), {"selection_level": _("无效")})
    if ends_on < starts_on:
        raise DomainError("camp_dates", _("集训结束日期不能早于开始日期"), {"ends_on": _("不能早于开始日期")})
    spanned = _months_spanned(starts_on, ends_on)
    seen: set[str] = set()
    rows: list[tuple[Worker, int]] = []
    for line, (number, months) in enumerate(trainees, start=1):
        number = normalise_id_number(str(number or "").strip())
        worker = Worker.objects.filter(id_number=number).first()
        if worker is None:
            raise DomainError(
                "trainee_unknown",
                _("第 %(n)s 名集训选手：身份证号码不在劳动者库中") % {"n": line},
                {"trainees": _("第 %(n)s 行：身份证号码不在劳动者库中") % {"n": line}},
            )
        if number in seen:
            raise DomainError(
                "trainee_twice",
                _("第 %(n)s 名集训选手重复填写") % {"n": line},
                {"trainees": _("第 %(n)s 行重复") % {"n": line}},
            )
        seen.add(number)
        if not 1 <= months <= min(spanned, 36):
            raise DomainError(
                "trainee_months",
                _("第 %(n)s 名集训选手的集训月数应在 1 至 %(m)s 之间（集训期跨 %(m)s 个月）")
                % {"n": line, "m": min(spanned, 36)},
                {"trainees": _("第 %(n)s 行：集训月数超出集训期") % {"n": line}},
            )
        rows.append((worker, months))
    camp = TrainingCamp.objects.create(
        project=project,
        unit=unit,
        selection_level=selection_level,
        starts_on=starts_on,
        ends_on=ends_on,
        completed=completed,
        created_by=actor,
    )
    CampTrainee.objects.bulk_create([CampTrainee(camp=camp, worker=w, months=m) for w, m in rows])
    audit_record(
        actor=actor,
        action="competitions.camp.record",
        target=camp,
        after={**snapshot(camp), "trainees": [[w.pk, m] for w, m in rows]},
    )
    return camp


@transaction.atomic
def camp_complete(*, camp: TrainingCamp, actor: Any) -> TrainingCamp:
    """The bureau confirms a camp completed its task (CMP-WS-BASE pays a completed selection camp)."""
    if getattr(actor, "role", None) != "bureau_officer" and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("只有市人社局工作人员可以确认集训任务完成"))
    camp = TrainingCamp.objects.select_for_update().get(pk=camp.pk)
    if camp.completed:
        return camp
    camp.completed = True
    camp.save(update_fields=["completed"])
    audit_record(actor=actor, action="competitions.camp.complete", target=camp, after={"completed": True})
    return camp
