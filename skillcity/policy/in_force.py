"""Why a rule is not in force on a date, in words a citizen can act on.

The engine only knows that no version applies ("没有有效版本"). Since every Dongguan document of the
pack ended by 2025-12-31, that is what most visitors meet; the pages say instead which document ended
(or has not started yet), on which day, and offer the nearest day the rule was in force.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.utils.translation import gettext as _

from skillcity.policy import params as P
from skillcity.policy.engine import Rule, load_rules


@dataclasses.dataclass(frozen=True)
class OutOfForce:
    date: datetime.date
    last_day: datetime.date | None  # the last day in force before `date`
    next_day: datetime.date | None  # the first day in force after `date`
    ended: tuple[str, ...]  # 《title》（D002） of the documents whose versions end on last_day
    starting: tuple[str, ...]  # … and of those whose versions begin on next_day

    @property
    def offered_day(self) -> datetime.date | None:
        """The day the page offers: the last day in force, else (a rule not yet in force) the first."""
        return self.last_day or self.next_day

    def message(self) -> str:
        day = self.date.isoformat()
        if self.last_day and self.next_day:
            return _(
                "%(date)s 不在本政策的适用期内：%(ended)s 已于 %(end)s 到期，后续文件 %(starting)s "
                "自 %(start)s 起施行。"
            ) % {
                "date": day,
                "ended": "、".join(self.ended),
                "end": self.last_day.isoformat(),
                "starting": "、".join(self.starting),
                "start": self.next_day.isoformat(),
            }
        if self.last_day:
            return _(
                "%(date)s 不在本政策的适用期内：依据文件 %(ended)s 已于 %(end)s 到期，"
                "尚未发布延续执行的文件。本政策最后适用的日期是 %(end)s。"
            ) % {"date": day, "ended": "、".join(self.ended), "end": self.last_day.isoformat()}
        if self.next_day:
            return _("%(date)s 本政策尚未施行：依据文件 %(starting)s 自 %(start)s 起施行。") % {
                "date": day,
                "starting": "、".join(self.starting),
                "start": self.next_day.isoformat(),
            }
        return _("%(date)s 本政策没有适用的文件。") % {"date": day}


def _document_names(ids: set[str]) -> tuple[str, ...]:
    documents = P.documents()
    return tuple(f"《{documents[i].title}》（{i}）" if i in documents else i for i in sorted(ids))


def out_of_force(rule: Rule, day: datetime.date) -> OutOfForce | None:
    """None when the rule is in force on `day`; otherwise what ended before it and what starts after."""
    last_day = next_day = None
    for span in rule.validity():
        start = datetime.date.fromisoformat(str(span["from"]))
        end = datetime.date.fromisoformat(span["to"]) if span["to"] else None
        if start <= day and (end is None or day <= end):
            return None
        if end is not None and end < day and (last_day is None or end > last_day):
            last_day = end
        if start > day and (next_day is None or start < next_day):
            next_day = start
    ps = P.parameters()
    versions = [v for name in rule.parameter_names() for v in ps[name].versions]
    ended = {v.document for v in versions if last_day and v.effective_to == last_day}
    starting = {v.document for v in versions if next_day and v.effective_from == next_day}
    return OutOfForce(day, last_day, next_day, _document_names(ended), _document_names(starting))


def refusal_text(rule_id: str, day: datetime.date, exc: Any) -> str:
    """What a page says when the engine refuses `rule_id` on `day`: for "no version in force", which
    document ended (or starts) and when — never the engine's "规则 <code> 没有有效版本"; otherwise the
    refusal's own message."""
    rule = load_rules().get(rule_id)
    if getattr(exc, "code", "") == "not_in_force" and rule is not None:
        gap = out_of_force(rule, day)
        if gap is not None:
            return gap.message()
    return str(getattr(exc, "message", exc))
