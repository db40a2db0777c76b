"""EDU-GRAD-RETENTION from records (issue 19 §3): a graduation record of the school (schools app) and
the graduate's employment spells (the social-insurance contributions), never typed.

The spell that counts is the graduate's best one that began in the month of graduation or later and
within the rule's window: one in Dongguan before one outside, then the longest. A job held since
before graduation is not employment found after it; when the graduate has only such a spell, its
facts are given so the rule says why (the start is before the graduation month).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from skillcity.employment.selectors import CHUNK, Spell, spells_for
from skillcity.policy.params import parameters
from skillcity.policy.rules.education import add_years
from skillcity.schools.models import Graduation, IndustryFit


def window_years(on: datetime.date) -> int:
    """EDU-GRAD-RETENTION.window_years on a day (1 by D002 item 3), to choose the spell the rule reads."""
    version = parameters()["EDU-GRAD-RETENTION.window_years"].version_on(on)
    return int(version.value) if version is not None else 1


@dataclass(frozen=True)
class Reading:
    graduation: Graduation
    spell: Spell | None
    facts: dict[str, Any]
    sources: dict[str, str]


def _choose(spells: list[Spell], graduated_on: datetime.date, years: int) -> Spell | None:
    earliest = graduated_on.replace(day=1)
    deadline = add_years(graduated_on, years)
    after = [s for s in spells if earliest <= s.start <= deadline]
    if after:
        return max(after, key=lambda s: (s.in_dongguan, s.months, -s.start.toordinal()))
    # None found after graduation: the one held at graduation (so the rule can say why), else the first
    # begun after the window (so the rule names the late start).
    held = [s for s in spells if s.start < earliest]
    if held:
        return max(held, key=lambda s: (s.end, s.months))
    later = [s for s in spells if s.start > deadline]
    return min(later, key=lambda s: s.start) if later else None


def readings(graduations: list[Graduation]) -> list[Reading]:
    """Each graduation's facts for EDU-GRAD-RETENTION, with the record each comes from."""
    spells = spells_for({g.worker_id for g in graduations})
    out = []
    for graduation in graduations:
        school, major = graduation.school, graduation.major
        years = window_years(graduation.graduated_on)
        spell = _choose(spells.get(graduation.worker_id, []), graduation.graduated_on, years)
        school_record = _("院校登记：%(s)s") % {"s": school.organisation.name}
        facts: dict[str, Any] = {
            "school_is_private": school.is_private,
            "major_fits_industry": major.industry_fit != IndustryFit.NONE,
            "graduation_date": graduation.graduated_on.isoformat(),
        }
        sources = {
            "school_is_private": school_record,
            "major_fits_industry": _("专业登记：%(m)s（%(fit)s）")
            % {"m": major.name, "fit": major.get_industry_fit_display()},
            "graduation_date": _("毕业记录：%(s)s %(d)s")
            % {"s": school.organisation.name, "d": graduation.graduated_on},
        }
        if spell is not None:
            insured = _("社保缴费记录：%(e)s，%(a)s 至 %(b)s 连续缴费 %(n)s 个月") % {
                "e": spell.employer_name,
                "a": f"{spell.start:%Y-%m}",
                "b": f"{spell.end:%Y-%m}",
                "n": spell.months,
            }
            facts |= {
                "employment_start": spell.start.isoformat(),
                "employer_in_dongguan": spell.in_dongguan,
                "same_employer_continuous_insured_months": spell.months,
            }
            sources |= {
                "employment_start": insured,
                "employer_in_dongguan": _("社保缴费记录：参保地行政区划代码"),
                "same_employer_continuous_insured_months": insured,
            }
        out.append(Reading(graduation, spell, facts, sources))
    return out


# --- T-TECH-SCHOOLS: graduates employed ---------------------------------------------------------------

# A graduate counts as employed when insured in one of the 12 months from the month of graduation.
EMPLOYED_WITHIN_MONTHS = 12


def employed_graduations(graduations: list[Graduation]) -> set[int]:
    """The graduations whose graduate is insured (any employer, anywhere) in one of the 12 months from
    the month of graduation, by the current contribution records."""
    return _graduations_employed(graduations)[0]


def graduation_windows(graduations: list[Graduation]) -> tuple[set[int], set[int]]:
    """(employed, closed): the graduations employed within their 12 months, and those whose 12 months
    the ledger has closed (its latest month is the window's last or later). A graduation still open is
    neither a success nor a failure yet (观察期未满)."""
    return _graduations_employed(graduations)


def _graduations_employed(graduations: list[Graduation]) -> tuple[set[int], set[int]]:
    from skillcity.employment.selectors import current, latest_month, month_index, month_of

    if not graduations:
        return set(), set()
    latest = latest_month()
    last_closed = month_index(latest) if latest is not None else -1
    window: dict[int, list[tuple[int, int]]] = {}
    closed: set[int] = set()
    for g in graduations:
        first = month_index(g.graduated_on)
        window.setdefault(g.worker_id, []).append((g.pk, first))
        if first + EMPLOYED_WITHIN_MONTHS - 1 <= last_closed:
            closed.add(g.pk)
    employed: set[int] = set()
    worker_ids = sorted(window)
    # Only the months any window can hold: not the graduates' years before or after.
    earliest = min(first for pairs in window.values() for _g, first in pairs)
    latest_index = max(first for pairs in window.values() for _g, first in pairs) + EMPLOYED_WITHIN_MONTHS - 1
    for i in range(0, len(worker_ids), CHUNK):
        months = (
            current(worker_ids[i : i + CHUNK])
            .filter(month__gte=month_of(earliest), month__lte=month_of(latest_index))
            .order_by()
            .values_list("worker_id", "month")
            .distinct()
        )
        for worker_id, month in months:
            index = month_index(month)
            for graduation_id, first in window[worker_id]:
                if first <= index < first + EMPLOYED_WITHIN_MONTHS:
                    employed.add(graduation_id)
    return employed, closed
