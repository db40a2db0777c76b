"""Reads of matching: the worker's level from records, the one place matching reasons are computed,
the candidates of a need, a worker's matches, and the lists pages and the API show.

The worker's level is never typed: it is the best (smallest) level the worker holds in the occupation,
from the certification app's valid certificates and the registry's skill records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from skillcity.core.access import visible_to
from skillcity.core.masking import mask_id_number, mask_name, mask_phone
from skillcity.matching.models import Hire, JobFair, JobNeed, Match, SeekerNeed
from skillcity.registry.models import SkillLevel, SkillRecord

CHUNK = 2000


def level_short(level: int) -> str:
    """三级 for level 3: how a certificate's level is said in a reason."""
    return {1: _("一级"), 2: _("二级"), 3: _("三级"), 4: _("四级"), 5: _("五级")}.get(level, "")


def held_levels(worker_ids: Iterable[int], occupation_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """The best level each worker holds in each occupation: {(worker, occupation): level}."""
    from skillcity.certification.models import Certificate

    workers = sorted(set(worker_ids))
    occupations = sorted(set(occupation_ids))
    best: dict[tuple[int, int], int] = {}

    def keep(worker_id: int, occupation_id: int | None, level: int | None) -> None:
        if occupation_id is None or level is None:
            return
        key = (worker_id, occupation_id)
        if key not in best or level < best[key]:
            best[key] = level

    for i in range(0, len(workers), CHUNK):
        part = workers[i : i + CHUNK]
        for row in SkillRecord.objects.filter(
            worker_id__in=part,
            occupation_id__in=occupations,
            kind=SkillRecord.Kind.SKILL_LEVEL,
            level__isnull=False,
        ).values_list("worker_id", "occupation_id", "level"):
            keep(*row)
        for row in Certificate.objects.filter(
            worker_id__in=part, occupation_id__in=occupations, status=Certificate.Status.VALID
        ).values_list("worker_id", "occupation_id", "level"):
            keep(*row)
    return best


@dataclass(frozen=True)
class Reason:
    code: str  # level / level_low / no_level / occupation / other_occupation / town / other_town
    text: str
    fits: bool


@dataclass(frozen=True)
class Explanation:
    reasons: tuple[Reason, ...]
    held_level: int | None

    @property
    def qualifies(self) -> bool:
        """Proposed to the enterprise: the occupation is the need's and the level meets it."""
        return all(r.fits for r in self.reasons if r.code != "town" and r.code != "other_town")

    @property
    def score(self) -> int:
        """For ranking: occupation, then level, then town; a higher level held ranks a little higher."""
        weights = {"occupation": 100, "level": 10, "town": 5}
        return sum(weights.get(r.code, 0) for r in self.reasons) + (
            (5 - self.held_level) if self.held_level else 0
        )

    @property
    def text(self) -> str:
        return _("，").join(r.text for r in self.reasons)


def explain(
    *,
    need_occupation_id: int,
    need_level: int,
    need_town_id: int,
    seeker_occupation_id: int,
    seeker_town_ids: Iterable[int],
    held_level: int | None,
) -> Explanation:
    """Why a worker fits a need or does not — the only place the reasons are made ("持三级证书，工种相符，
    意向镇街相符"). `held_level` is the worker's best level in the need's occupation, from records."""
    reasons: list[Reason] = []
    if held_level is None:
        reasons.append(Reason("no_level", _("无该工种等级证书记录"), False))
    elif held_level <= need_level:
        reasons.append(Reason("level", _("持%(level)s证书") % {"level": level_short(held_level)}, True))
    else:
        reasons.append(
            Reason(
                "level_low",
                _("持%(level)s证书，低于要求的%(required)s")
                % {"level": level_short(held_level), "required": level_short(need_level)},
                False,
            )
        )
    if seeker_occupation_id == need_occupation_id:
        reasons.append(Reason("occupation", _("工种相符"), True))
    else:
        reasons.append(Reason("other_occupation", _("工种不符"), False))
    if need_town_id in set(seeker_town_ids):
        reasons.append(Reason("town", _("意向镇街相符"), True))
    else:
        reasons.append(Reason("other_town", _("不在意向镇街"), False))
    return Explanation(reasons=tuple(reasons), held_level=held_level)


def _town_ids(seeker: SeekerNeed) -> list[int]:
    return [t.pk for t in seeker.towns.all()]  # prefetched by the callers


def explain_matches(matches: list[Match]) -> list[tuple[Match, Explanation]]:
    """Each match with its explanation (matches with need and seeker_need__towns prefetched)."""
    levels = held_levels((m.worker_id for m in matches), (m.need.occupation_id for m in matches))
    return [
        (
            m,
            explain(
                need_occupation_id=m.need.occupation_id,
                need_level=m.need.level,
                need_town_id=m.need.town_id,
                seeker_occupation_id=m.seeker_need.occupation_id,
                seeker_town_ids=_town_ids(m.seeker_need),
                held_level=levels.get((m.worker_id, m.need.occupation_id)),
            ),
        )
        for m in matches
    ]


def seekers_qualifying(need: JobNeed) -> list[tuple[SeekerNeed, Explanation]]:
    """The active job seekers a need is proposed to: the same occupation and the level met."""
    seekers = list(
        SeekerNeed.objects.filter(occupation_id=need.occupation_id, state=SeekerNeed.State.ACTIVE)
        .exclude(worker_id__in=Match.objects.filter(need=need).values("worker_id"))
        .prefetch_related("towns")
    )
    levels = held_levels((s.worker_id for s in seekers), [need.occupation_id])
    found = []
    for s in seekers:
        why = explain(
            need_occupation_id=need.occupation_id,
            need_level=need.level,
            need_town_id=need.town_id,
            seeker_occupation_id=s.occupation_id,
            seeker_town_ids=_town_ids(s),
            held_level=levels.get((s.worker_id, need.occupation_id)),
        )
        if why.qualifies:
            found.append((s, why))
    return found


def needs_qualifying(seeker: SeekerNeed) -> list[JobNeed]:
    """The open needs a new job seeker's need is proposed to (the same qualifying test)."""
    held = held_levels([seeker.worker_id], [seeker.occupation_id]).get(
        (seeker.worker_id, seeker.occupation_id)
    )
    if held is None:
        return []
    return list(
        JobNeed.objects.filter(
            occupation_id=seeker.occupation_id, state=JobNeed.State.OPEN, level__gte=held
        ).exclude(pk__in=Match.objects.filter(worker_id=seeker.worker_id).values("need_id"))
    )


def _matches() -> QuerySet[Match]:
    return Match.objects.select_related(
        "need__enterprise", "need__occupation", "need__town", "seeker_need", "worker", "hire"
    ).prefetch_related("seeker_need__towns")


CANDIDATES_SHOWN = 200  # the need's page shows the best 200; the API pages through all


def need_candidates(
    need: JobNeed, *, limit: int | None = None, offset: int = 0
) -> list[tuple[Match, Explanation]]:
    """A need's matched candidates, ranked: best fit first, then the higher level, then the earliest;
    `limit` of them from `offset`. The rank is the reasons' score, so every match is read to rank them
    (one query each for the matches and the levels); only the slice is shown."""
    found = explain_matches(list(_matches().filter(need=need).order_by("id")))
    ranked = sorted(found, key=lambda pair: -pair[1].score)
    return ranked[offset : offset + limit] if limit is not None else ranked[offset:]


def need_candidate_count(need: JobNeed) -> int:
    return Match.objects.filter(need=need).count()


def worker_matches(worker_id: int) -> list[tuple[Match, Explanation]]:
    return explain_matches(list(_matches().filter(worker_id=worker_id)))


def match_for(user: Any, pk: Any) -> Match:
    from skillcity.core.access import get_for

    return get_for(user, _matches(), pk)


def officer_sees_worker(user: Any, worker_id: int) -> bool:
    """Whether an officer's scope holds the worker (a town officer: their town's workers); only then
    may they open a candidate's full details."""
    from skillcity.registry.models import Worker

    if not getattr(user, "sees_personal_data", False):
        return False
    return visible_to(user, Worker.objects.filter(pk=worker_id)).exists()


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    id_number: str
    masked: bool


def contact_masked(match: Match) -> Contact:
    """The worker as the enterprise sees them before the full view: masked, always."""
    w = match.worker
    return Contact(mask_name(w.name), mask_phone(w.phone), mask_id_number(w.id_number), True)


def contact_full(match: Match) -> Contact:
    """Only through services.match_contact_view, which checks the acceptance and audits the view."""
    w = match.worker
    return Contact(w.name, w.phone, w.id_number, False)


def needs_visible(user: Any) -> QuerySet[JobNeed]:
    return visible_to(
        user, JobNeed.objects.select_related("enterprise", "occupation", "town", "fair")
    ).annotate(
        match_count=Count("matches", distinct=True),
        accepted_count=Count(
            "matches", filter=Q(matches__state__in=[Match.State.ACCEPTED, Match.State.HIRED]), distinct=True
        ),
    )


def seeker_needs_of(worker_id: int) -> list[SeekerNeed]:
    """A worker's job needs, each with `held_level_name`: the level their records show in the occupation."""
    needs = list(
        SeekerNeed.objects.filter(worker_id=worker_id).select_related("occupation").prefetch_related("towns")
    )
    levels = held_levels([worker_id], (s.occupation_id for s in needs))
    for s in needs:
        level = levels.get((worker_id, s.occupation_id))
        s.held_level_name = str(SkillLevel(level).label) if level else ""  # type: ignore[attr-defined]
    return needs


def hires_visible(user: Any) -> QuerySet[Hire]:
    return visible_to(user, Hire.objects.select_related("enterprise", "worker", "fair", "need__occupation"))


def fairs_public(today: datetime.date) -> tuple[list[Any], list[Any]]:
    """Upcoming (and running) fairs, soonest first; past fairs, latest first."""
    fairs = JobFair.objects.select_related("town").annotate(
        enterprise_count=Count("enterprises", distinct=True),
        vacancy_count=Count("vacancies", distinct=True),
    )
    upcoming = list(fairs.filter(ends_on__gte=today).order_by("starts_on", "id"))
    past = list(fairs.filter(ends_on__lt=today).order_by("-starts_on", "-id")[:50])
    return upcoming, past


def fair_enterprises(fair: JobFair) -> list[tuple[Any, list[JobNeed]]]:
    """A fair's enterprises, each with its vacancies at the fair (open ones first)."""
    vacancies: dict[int, list[JobNeed]] = defaultdict(list)
    for need in fair.vacancies.select_related("occupation", "town", "enterprise").order_by("state", "id"):
        vacancies[need.enterprise_id].append(need)
    return [
        (fe, vacancies.get(fe.enterprise_id, []))
        for fe in fair.enterprises.select_related("enterprise__town").order_by("booth", "id")
    ]


def fairs_of_enterprise(enterprise_id: int, today: datetime.date) -> QuerySet[JobFair]:
    """The fairs an enterprise takes part in that have not ended: where it can post a vacancy."""
    return JobFair.objects.filter(enterprises__enterprise_id=enterprise_id, ends_on__gte=today).order_by(
        "starts_on"
    )


def matches_of_needs(needs: list[JobNeed]) -> dict[int, list[Match]]:
    by_need: dict[int, list[Match]] = defaultdict(list)
    for m in Match.objects.filter(need__in=needs).prefetch_related(Prefetch("seeker_need")):
        by_need[m.need_id].append(m)
    return by_need
