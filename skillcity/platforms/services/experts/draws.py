"""The seeded, stratified draw (issue 17 §5) and its replay and replacements.

The algorithm, so that anyone can replay a draw by hand from what it recorded (docs/platforms.md):

1. Candidates: the active experts of the requested sectors (all sectors when none are named), less the
   conflicts — an expert whose organisation, or whose employer in the registry, is an excluded
   organisation, who declared a conflict with one, or who is an excluded person. Recorded per sector as
   ascending expert ids (`ExpertDraw.candidates`).
2. `rng = random.Random(seed)`. The sectors that have candidates, in `ExpertSector` order, are shuffled
   with `rng.shuffle`; places are dealt one at a time round that order (a sector whose candidates are
   used up is skipped), so the sectors differ by at most one place unless one runs out.
3. In the same shuffled order, each sector's experts are `rng.sample(candidates[sector], places)`;
   positions 1…size follow that order.
4. A replacement for a member who declined: the candidates are recomputed with the draw's exclusions,
   less everyone the draw has already picked; the decliner's sector first, any of the draw's sectors
   when it has none left. `random.Random(replacement_seed).choice(candidates)`; seed and candidates
   are stored on the replacement's row.

Python's Mersenne Twister with an integer seed gives the same sequence on every platform and version
(`random` guarantees reproducibility of `shuffle`, `sample` and `choice` for a given seed), which is
what a replay needs; the seed itself comes from `secrets`, so nobody can choose it (decisions.md)."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.platforms.models.experts import DrawPurpose, Expert, ExpertDraw, ExpertDrawMember, ExpertSector

SEED_MAX = 2**63 - 1  # a BigIntegerField holds it on SQLite and PostgreSQL alike
SIZE_MAX = 100  # the check constraint plt_draw_size_bounds
SECTOR_ORDER = [value for value, _label in ExpertSector.choices]

# purpose → what to do when a member declines and a replacement is drawn (wiring.py registers them):
# hook(draw, declined member, replacement or None).
DECLINE_HOOKS: dict[str, Callable[[ExpertDraw, ExpertDrawMember, ExpertDrawMember | None], None]] = {}
# purpose → a check run before a member may decline (refuses once the panel's work has begun).
DECLINE_GUARDS: dict[str, Callable[[ExpertDraw, ExpertDrawMember], None]] = {}


def _field(code: str, field: str, message: Any) -> DomainError:
    return DomainError(code, message, {field: message})


def eligible_candidates(
    *, sectors: Iterable[str], organisations: Iterable[int], workers: Iterable[int]
) -> dict[str, list[int]]:
    """Step 1: {sector: ascending expert ids} of the active experts without a conflict."""
    organisations, workers, sectors = list(organisations), list(workers), list(sectors)
    experts = Expert.objects.filter(active=True)
    if sectors:
        experts = experts.filter(sector__in=sectors)
    if organisations:
        experts = (
            experts.exclude(organisation_id__in=organisations)
            .exclude(worker__employer_id__in=organisations)
            .exclude(conflicts__in=organisations)
        )
    if workers:
        experts = experts.exclude(worker_id__in=workers)
    by_sector: dict[str, list[int]] = {}
    for pk, sector in experts.order_by("id").values_list("id", "sector").distinct():
        by_sector.setdefault(sector, []).append(pk)
    return {s: by_sector[s] for s in SECTOR_ORDER if s in by_sector}


def pick(seed: int, candidates: dict[str, list[int]], size: int) -> list[tuple[str, int]]:
    """Steps 2 and 3: (sector, expert id) in drawn order. Pure: the same arguments give the same list."""
    rng = random.Random(seed)
    order = [s for s in SECTOR_ORDER if candidates.get(s)]
    rng.shuffle(order)
    places = dict.fromkeys(order, 0)
    left = size
    while left:
        dealt = False
        for sector in order:
            if left and places[sector] < len(candidates[sector]):
                places[sector] += 1
                left -= 1
                dealt = True
        if not dealt:
            raise ValueError("fewer candidates than places")
    return [(s, pk) for s in order for pk in rng.sample(candidates[s], places[s])]


def pick_replacement(seed: int, candidates: list[int]) -> int:
    """Step 4."""
    return random.Random(seed).choice(candidates)


def new_seed() -> int:
    return secrets.randbelow(SEED_MAX + 1)


def _check_seed(seed: int | None, field: str = "seed") -> int:
    if seed is None:
        return new_seed()
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise _field("seed_bounds", field, _("随机种子：应为0至%(m)d的整数") % {"m": SEED_MAX})
    return seed


@transaction.atomic
def expert_draw(
    *,
    actor: Any,
    purpose: str,
    subject_key: str,
    size: int,
    sectors: Iterable[str] | None = None,
    exclude_organisations: Iterable[int] = (),
    exclude_workers: Iterable[int] = (),
    seed: int | None = None,
    subject_label: str = "",
) -> ExpertDraw:
    """Draw `size` experts for a panel and record it. Who may draw is the caller's business (the bureau's
    pages and API, a competition's organiser, the talents bureau); this records who did."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录"))
    if purpose not in DrawPurpose.values:
        raise _field("purpose_unknown", "purpose", _("用途：请选择"))
    subject_key = (subject_key or "").strip()
    if not subject_key or len(subject_key) > 100:
        raise _field("subject_required", "subject_key", _("评审对象标识：请填写，不超过100个字符"))
    subject_label = (subject_label or subject_key).strip()[:200]
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= SIZE_MAX:
        raise _field("size_bounds", "size", _("抽取人数：应为1至%(m)d") % {"m": SIZE_MAX})
    chosen = sorted(set(sectors or ()), key=lambda s: SECTOR_ORDER.index(s) if s in SECTOR_ORDER else -1)
    unknown = [s for s in chosen if s not in SECTOR_ORDER]
    if unknown:
        raise _field("sector_unknown", "sectors", _("行业领域：未知的领域"))
    seed = _check_seed(seed)
    organisations = sorted({int(o) for o in exclude_organisations})
    workers = sorted({int(w) for w in exclude_workers})
    candidates = eligible_candidates(sectors=chosen, organisations=organisations, workers=workers)
    available = sum(len(ids) for ids in candidates.values())
    if available < size:
        message = _("抽取人数：回避后符合条件的专家只有%(a)d人，少于%(n)d人") % {"a": available, "n": size}
        raise _field("pool_too_small", "size", message)
    draw = ExpertDraw.objects.create(
        purpose=purpose,
        subject_key=subject_key,
        subject_label=subject_label,
        size=size,
        sectors=chosen,
        excluded_organisations=organisations,
        excluded_workers=workers,
        seed=seed,
        candidates=candidates,
        drawn_by=actor,
    )
    ExpertDrawMember.objects.bulk_create(
        [
            ExpertDrawMember(draw=draw, expert_id=pk, sector=sector, position=n)
            for n, (sector, pk) in enumerate(pick(seed, candidates, size), start=1)
        ]
    )
    audit_record(
        actor=actor,
        action="platforms.expert.draw",
        target=draw,
        after={
            **snapshot(draw, ["purpose", "subject_key", "size", "sectors", "seed"]),
            "members": members_of(draw),
        },
    )
    return draw


def members_of(draw: ExpertDraw) -> list[int]:
    """The recorded experts, in position order (the first draw, then each replacement)."""
    return list(draw.members.order_by("position").values_list("expert_id", flat=True))


def draw_replay(draw: ExpertDraw) -> list[int]:
    """The experts the draw gives again from its seed and recorded candidates, in position order: the
    first draw, then each replacement from its own seed and candidates."""
    ids = [pk for _sector, pk in pick(draw.seed, draw.candidates, draw.size)]
    for member in draw.members.filter(replaces__isnull=False).order_by("position"):
        assert member.replacement_seed is not None
        ids.append(pick_replacement(member.replacement_seed, member.replacement_candidates))
    return ids


def draw_replay_matches(draw: ExpertDraw) -> bool:
    return draw_replay(draw) == members_of(draw)


def _may_decline(actor: Any, member: ExpertDrawMember) -> None:
    if getattr(actor, "worker_id", None) is not None and actor.worker_id == member.expert.worker_id:
        return
    require_role(actor, "bureau_officer")


@transaction.atomic
def draw_member_decline(
    *, actor: Any, member: ExpertDrawMember, reason: str, seed: int | None = None
) -> ExpertDrawMember | None:
    """The expert (or the bureau on their word) declines, with a reason; a replacement is drawn, seeded
    and recorded (None when no eligible expert is left, which the decline row still records)."""
    # One decline of a draw at a time (the draw's row first): replacements' positions and experts stay unique.
    draw_id = ExpertDrawMember.objects.values_list("draw_id", flat=True).get(pk=member.pk)
    list(ExpertDraw.objects.select_for_update().filter(pk=draw_id).values_list("pk", flat=True))
    member = ExpertDrawMember.objects.select_for_update().select_related("expert", "draw").get(pk=member.pk)
    _may_decline(actor, member)
    draw = member.draw
    if member.state != ExpertDrawMember.State.DRAWN:
        raise DomainError("already_declined", _("该专家已谢绝本次抽取"), status=409)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise _field("reason_required", "reason", _("谢绝理由：请填写，不超过300个字"))
    seed = _check_seed(seed)
    guard = DECLINE_GUARDS.get(draw.purpose)
    if guard is not None:
        guard(draw, member)
    member.state = ExpertDrawMember.State.DECLINED
    member.decline_reason = reason
    member.declined_at = timezone.now()
    member.save(update_fields=["state", "decline_reason", "declined_at"])
    taken = set(draw.members.values_list("expert_id", flat=True))
    eligible = eligible_candidates(
        sectors=draw.sectors, organisations=draw.excluded_organisations, workers=draw.excluded_workers
    )
    same = [pk for pk in eligible.get(member.sector, []) if pk not in taken]
    candidates = same or sorted(pk for ids in eligible.values() for pk in ids if pk not in taken)
    replacement = None
    if candidates:
        chosen = pick_replacement(seed, candidates)
        last = draw.members.order_by("-position").values_list("position", flat=True).first() or 0
        replacement = ExpertDrawMember.objects.create(
            draw=draw,
            expert_id=chosen,
            sector=Expert.objects.values_list("sector", flat=True).get(pk=chosen),
            position=last + 1,
            replaces=member,
            replacement_seed=seed,
            replacement_candidates=candidates,
        )
    audit_record(
        actor=actor,
        action="platforms.expert.decline",
        target=draw,
        after={
            "member": member.expert_id,
            "reason": reason,
            "replacement": replacement.expert_id if replacement else None,
            "seed": seed,
        },
    )
    hook = DECLINE_HOOKS.get(draw.purpose)
    if hook is not None:
        hook(draw, member, replacement)
    return replacement
