"""What a proposed parameter version must be before it can be drafted or published.

Each refusal names the parameter and the problem (`DomainError.fields` keyed by the form's field):
an unknown parameter, a value of the wrong type or kind for the parameter's unit (a range where one
amount is expected), dates out of order or outside the cited document, a version overlapping one in
force (shipped YAML, published, or in the same draft), a gap inside the cited document's validity,
a missing citation.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from skillcity.core.errors import DomainError
from skillcity.core.money import MONEY_MAX
from skillcity.policy import params as P

TRUE_WORDS = {"true", "1", "yes", "是"}
FALSE_WORDS = {"false", "0", "no", "否"}
DRAFTABLE_UNITS = ("yuan", "ratio", "count", "months", "years", "percent", "bool")
UNIT_KIND_LABELS = {
    "yuan": "金额（元）",
    "ratio": "倍数",
    "count": "整数",
    "months": "月数",
    "years": "年数",
    "percent": "百分数（整数）",
    "bool": "是/否",
}


CLAUSE_MAX = 100  # DraftVersion.clause
COUNT_MAX = 1_000_000  # a count, a number of months or years, a percent
RATIO_MAX = Decimal("100")  # an uplift or a share: 1.3, 0.5 …


class VersionInvalid(DomainError):
    status = 422


@dataclasses.dataclass(frozen=True)
class Proposed:
    """A version as drafted: the value as stored (JSON), its dates and its citation."""

    parameter: str
    value: Any
    effective_from: datetime.date
    effective_to: datetime.date | None
    document: str  # the document's key
    clause: str
    text: str


def _refuse(parameter: str, field: str, problem: str) -> VersionInvalid:
    return VersionInvalid(
        "invalid_version",
        _("参数 %(p)s：%(problem)s") % {"p": parameter, "problem": problem},
        {field: problem},
    )


def value_from_text(parameter: str, unit: str, raw: Any) -> Any:
    """A value typed on a page, the CLI or the API, as the JSON stored for the parameter's unit
    (amounts and ratios as decimal strings, counts as integers, switches as booleans)."""
    if unit not in DRAFTABLE_UNITS:
        raise _refuse(parameter, "value", _("此类参数（列表、对照表）只能通过政策包修改"))
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise _refuse(parameter, "value", _("请填写数值"))
    text = raw.strip() if isinstance(raw, str) else raw
    if P.is_range(text):
        raise _refuse(
            parameter,
            "value",
            _("“%(v)s”是一个区间，此参数只取一个%(kind)s（区间的下限和上限是两个参数）")
            % {"v": raw, "kind": UNIT_KIND_LABELS[unit]},
        )
    value: Any = text
    if unit in ("count", "months", "years", "percent") and isinstance(text, str):
        try:
            value = int(text)
        except ValueError:
            value = text
    elif unit == "bool" and isinstance(text, str):
        low = text.lower()
        value = True if low in TRUE_WORDS else False if low in FALSE_WORDS else text
    elif unit in ("yuan", "ratio") and isinstance(text, int | Decimal) and not isinstance(text, bool):
        value = str(text)
    try:
        parsed = P.parse_value(value, unit, parameter)
    except P.ParameterFileError:
        raise _refuse(
            parameter, "value", _("“%(v)s”不是有效的%(kind)s") % {"v": raw, "kind": UNIT_KIND_LABELS[unit]}
        ) from None
    if unit in ("count", "months", "years", "percent") and parsed > COUNT_MAX:
        raise _refuse(parameter, "value", _("数值不能超过 %(max)s") % {"max": f"{COUNT_MAX:,}"})
    if unit == "ratio" and parsed > RATIO_MAX:
        raise _refuse(parameter, "value", _("倍数不能超过 %(max)s") % {"max": RATIO_MAX})
    if unit == "ratio" and parsed != parsed.quantize(Decimal("0.0001")):
        raise _refuse(parameter, "value", _("倍数最多四位小数"))
    if unit == "yuan" and parsed > MONEY_MAX:
        raise _refuse(parameter, "value", _("金额不能超过 %(max)s 元") % {"max": f"{MONEY_MAX:,}"})
    if unit in ("yuan", "ratio"):
        if parsed != parsed.quantize(Decimal("0.01")) and unit == "yuan":
            raise _refuse(parameter, "value", _("金额最多两位小数"))
        return str(parsed)
    return parsed


def _span(start: datetime.date, end: datetime.date | None) -> str:
    return f"{start.isoformat()} 至 {end.isoformat() if end else '长期'}"


def _overlaps(
    a_from: datetime.date, a_to: datetime.date | None, b_from: datetime.date, b_to: datetime.date | None
) -> bool:
    return a_from <= (b_to or P.FAR_FUTURE) and b_from <= (a_to or P.FAR_FUTURE)


def check_versions(
    proposed: Iterable[Proposed],
    *,
    parameters: Mapping[str, P.Parameter],
    documents: Mapping[str, tuple[datetime.date, datetime.date | None]],
) -> None:
    """Refuse the first problem of a set of versions proposed together, against `parameters` (what is
    in force: YAML and published). `documents` gives each citable document's validity."""
    items = list(proposed)
    for v in items:
        if v.parameter not in parameters:
            raise _refuse(v.parameter, "parameter", _("不是已知参数"))
        if not v.document:
            raise _refuse(v.parameter, "document", _("缺少引用：请选择或登记依据文件"))
        if not v.clause.strip():
            raise _refuse(v.parameter, "clause", _("缺少引用：请填写条款（如 第8条）"))
        if not v.text.strip():
            raise _refuse(v.parameter, "text", _("缺少引用：请摘录条款原文"))
        if len(v.clause.strip()) > CLAUSE_MAX:
            raise _refuse(v.parameter, "clause", _("不能超过 %(n)s 个字符") % {"n": CLAUSE_MAX})
        if v.document not in documents:
            raise _refuse(v.parameter, "document", _("依据文件 %(d)s 不存在") % {"d": v.document})
        unit = parameters[v.parameter].unit
        if unit in DRAFTABLE_UNITS:
            value_from_text(v.parameter, unit, v.value)
        else:  # a list or map carried on by a continuation, stored as JSON
            try:
                P.parse_value(v.value, unit, v.parameter)
            except P.ParameterFileError:
                raise _refuse(v.parameter, "value", _("数值不符合此参数的类型")) from None
        if v.effective_to is not None and v.effective_to < v.effective_from:
            raise _refuse(v.parameter, "effective_to", _("截止日期早于生效日期"))
        doc_from, doc_to = documents[v.document]
        if v.effective_from < doc_from or (doc_to is not None and (v.effective_to or P.FAR_FUTURE) > doc_to):
            raise _refuse(
                v.parameter,
                "effective_from" if v.effective_from < doc_from else "effective_to",
                _("版本 %(span)s 超出依据文件 %(d)s 的有效期（%(doc)s）")
                % {
                    "span": _span(v.effective_from, v.effective_to),
                    "d": v.document,
                    "doc": _span(doc_from, doc_to),
                },
            )
    for i, v in enumerate(items):
        for existing in parameters[v.parameter].versions:
            if _overlaps(v.effective_from, v.effective_to, existing.effective_from, existing.effective_to):
                raise _refuse(
                    v.parameter,
                    "effective_from",
                    _("新版本 %(new)s 与现有版本 %(old)s（%(d)s %(c)s）重叠")
                    % {
                        "new": _span(v.effective_from, v.effective_to),
                        "old": _span(existing.effective_from, existing.effective_to),
                        "d": existing.document,
                        "c": existing.clause,
                    },
                )
        for other in items[i + 1 :]:
            if other.parameter == v.parameter and _overlaps(
                v.effective_from, v.effective_to, other.effective_from, other.effective_to
            ):
                raise _refuse(
                    v.parameter,
                    "effective_from",
                    _("本草稿中的两个版本 %(a)s 与 %(b)s 重叠")
                    % {
                        "a": _span(v.effective_from, v.effective_to),
                        "b": _span(other.effective_from, other.effective_to),
                    },
                )
    _check_gaps(items, parameters=parameters, documents=documents)


def _check_gaps(
    items: list[Proposed],
    *,
    parameters: Mapping[str, P.Parameter],
    documents: Mapping[str, tuple[datetime.date, datetime.date | None]],
) -> None:
    """A day without a version between two consecutive versions, inside the validity of the document a
    proposed version cites, is a gap: the document says the rule applies then, and nothing would."""
    one_day = datetime.timedelta(days=1)
    for name in dict.fromkeys(v.parameter for v in items):
        spans: list[tuple[datetime.date, datetime.date | None, Proposed | None]] = [
            (v.effective_from, v.effective_to, None) for v in parameters[name].versions
        ]
        spans += [(v.effective_from, v.effective_to, v) for v in items if v.parameter == name]
        spans.sort(key=lambda s: s[0])
        for (_a_from, a_to, a_new), (b_from, _b_to, b_new) in itertools.pairwise(spans):
            if a_to is None or a_to + one_day >= b_from or not (a_new or b_new):
                continue
            gap_from, gap_to = a_to + one_day, b_from - one_day
            for new in (a_new, b_new):
                if new is None:
                    continue
                doc_from, doc_to = documents[new.document]
                if _overlaps(gap_from, gap_to, doc_from, doc_to):
                    # The gap named is the part inside the document's validity, not the whole gap.
                    shown_to = gap_to if doc_to is None else min(gap_to, doc_to)
                    raise _refuse(
                        name,
                        "effective_from" if new is b_new else "effective_to",
                        _("%(gap)s 没有版本，而依据文件 %(d)s 在此期间有效（文件有效期内不能留空档）")
                        % {"gap": _span(max(gap_from, doc_from), shown_to), "d": new.document},
                    )
