"""Employment (就业): each employment spell from the social-insurance contributions — when it began
and, unless it runs to the ledger's latest month, when it ended."""

from __future__ import annotations

from django.utils.translation import gettext as _

from skillcity.timeline.sources import TimelineEvent


def events(worker_id: int) -> list[TimelineEvent]:
    from skillcity.employment.selectors import latest_month, spells_of

    spells = spells_of(worker_id)
    if not spells:
        return []
    latest = latest_month()
    out: list[TimelineEvent] = []
    for s in spells:
        place = _("东莞") if s.in_dongguan else _("东莞以外")
        facts = ((_("参保地"), str(place)), (_("连续缴费月数"), str(s.months)))
        out.append(TimelineEvent(s.start, "employment", _("参保就业"), s.employer_name, facts))
        if latest is not None and s.end < latest:
            out.append(
                TimelineEvent(s.end, "employment", _("停止参保（离开该单位）"), s.employer_name, facts)
            )
    return out
