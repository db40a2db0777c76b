"""The expert draw (issue 17 §5): reproducible from its seed, stratified by sector, conflicts excluded,
a decliner replaced (seeded and recorded too)."""

from __future__ import annotations

import pytest

from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.platforms.models.experts import DrawPurpose, ExpertDrawMember
from skillcity.platforms.services import experts as services
from skillcity.platforms.services.experts.draws import members_of, pick
from tests.factories import OrganisationFactory
from tests.platforms.experts_helpers import expert_user, make_expert, make_pool

pytestmark = pytest.mark.django_db
POOL = {"electronics": 8, "textiles": 6, "services": 5}


def _draw(actor, **values):
    params = {"purpose": DrawPurpose.GRANT_REVIEW, "subject_key": "grant:1", "size": 6, "seed": 20231141}
    params.update(values)
    return services.expert_draw(actor=actor, **params)


def test_the_pick_is_fixed_by_its_seed():
    # The documented algorithm (docs/platforms.md), pinned: a change to it would break every replay.
    candidates = {"electronics": [1, 2, 3, 4], "textiles": [5, 6, 7], "services": [8, 9]}
    assert pick(7, candidates, 5) == pick(7, candidates, 5)
    assert pick(7, candidates, 5) == EXPECTED_PICK
    assert pick(8, candidates, 5) != pick(7, candidates, 5)


EXPECTED_PICK = [("services", 9), ("services", 8), ("electronics", 1), ("electronics", 3), ("textiles", 5)]


def test_a_draw_is_reproducible_from_its_seed_even_after_the_pool_changes(bureau_officer):
    pool = make_pool(bureau_officer, POOL)
    draw = _draw(bureau_officer)
    first = members_of(draw)
    assert len(first) == 6 and len(set(first)) == 6
    assert services.draw_replay(draw) == first
    # The same seed on the same pool gives the same experts.
    assert members_of(_draw(bureau_officer, subject_key="grant:2")) == first
    # The pool changes (one drawn expert leaves, newcomers join): the recorded draw still replays exactly.
    pool[0].active = False
    pool[0].save(update_fields=["active"])
    make_pool(bureau_officer, {"electronics": 4})
    assert services.draw_replay_matches(draw)
    assert draw.candidates == {
        s: sorted(e.pk for e in pool if e.sector == s) for s in ("electronics", "textiles", "services")
    }
    event = AuditEvent.objects.get(action="platforms.expert.draw", target_id=str(draw.pk))
    assert event.after["seed"] == 20231141 and event.after["members"] == first


def test_a_draw_without_a_seed_gets_one_recorded(bureau_officer):
    make_pool(bureau_officer, POOL)
    draw = _draw(bureau_officer, seed=None)
    assert 0 <= draw.seed <= services.SEED_MAX
    assert services.draw_replay_matches(draw)


def test_it_is_stratified_by_sector(bureau_officer):
    make_pool(bureau_officer, POOL)
    draw = _draw(bureau_officer, size=6)
    sectors = list(draw.members.values_list("sector", flat=True))
    assert sorted(sectors.count(s) for s in POOL) == [2, 2, 2]
    # Seven places in three sectors: 3, 2, 2.
    draw = _draw(bureau_officer, size=7, subject_key="grant:3")
    sectors = list(draw.members.values_list("sector", flat=True))
    assert sorted(sectors.count(s) for s in POOL) == [2, 2, 3]


def test_a_sector_that_runs_out_gives_its_places_to_the_others(bureau_officer):
    make_pool(bureau_officer, {"food": 1, "paper": 6})
    draw = _draw(bureau_officer, size=5)
    sectors = list(draw.members.values_list("sector", flat=True))
    assert sectors.count("food") == 1 and sectors.count("paper") == 4


def test_it_draws_only_from_the_requested_sectors(bureau_officer):
    make_pool(bureau_officer, POOL)
    draw = _draw(bureau_officer, size=4, sectors=["textiles"])
    assert set(draw.members.values_list("sector", flat=True)) == {"textiles"}


def test_it_excludes_conflicts_of_interest(bureau_officer):
    applicant = OrganisationFactory(name="申报单位")
    same_unit = make_expert(bureau_officer, organisation=applicant)
    employed_there = make_expert(bureau_officer)
    employed_there.worker.employer = applicant
    employed_there.worker.save(update_fields=["employer"])
    declared = make_expert(bureau_officer)
    declared.conflicts.add(applicant)
    person = make_expert(bureau_officer)
    free = make_pool(bureau_officer, {"electronics": 3})
    draw = _draw(
        bureau_officer,
        size=3,
        exclude_organisations=[applicant.pk],
        exclude_workers=[person.worker_id],
    )
    assert sorted(members_of(draw)) == sorted(e.pk for e in free)
    assert draw.candidates == {"electronics": sorted(e.pk for e in free)}
    assert draw.excluded_organisations == [applicant.pk]
    # Asking for more than the conflicts leave is refused, naming how many are left.
    with pytest.raises(DomainError) as refused:
        _draw(
            bureau_officer, size=4, exclude_organisations=[applicant.pk], exclude_workers=[person.worker_id]
        )
    assert refused.value.code == "pool_too_small" and "3" in str(refused.value.message)
    assert same_unit.pk not in refused.value.fields and declared.pk  # the refusal names the size field
    assert "size" in refused.value.fields


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"size": 0}, "size_bounds"),
        ({"size": 101}, "size_bounds"),
        ({"seed": -1}, "seed_bounds"),
        ({"purpose": "lottery"}, "purpose_unknown"),
        ({"subject_key": " "}, "subject_required"),
        ({"sectors": ["mining"]}, "sector_unknown"),
    ],
)
def test_it_refuses_a_draw_it_cannot_make(bureau_officer, values, code):
    make_pool(bureau_officer, POOL)
    with pytest.raises(DomainError) as refused:
        _draw(bureau_officer, **values)
    assert refused.value.code == code


def test_a_decliner_is_replaced_from_the_same_sector_and_the_replay_still_matches(bureau_officer):
    make_pool(bureau_officer, POOL)
    draw = _draw(bureau_officer, size=3)
    member = draw.members.order_by("position").first()
    user = expert_user(member.expert)
    replacement = services.draw_member_decline(actor=user, member=member, reason="出差在外", seed=99)
    member.refresh_from_db()
    assert member.state == ExpertDrawMember.State.DECLINED and member.decline_reason == "出差在外"
    assert replacement is not None
    assert replacement.sector == member.sector and replacement.replaces == member
    assert replacement.position == 4 and replacement.replacement_seed == 99
    assert replacement.expert_id not in members_of(draw)[:3]
    assert replacement.replacement_candidates == sorted(replacement.replacement_candidates)
    assert member.expert_id not in replacement.replacement_candidates
    assert services.draw_replay_matches(draw)
    assert AuditEvent.objects.filter(action="platforms.expert.decline", target_id=str(draw.pk)).exists()
    with pytest.raises(DomainError) as again:
        services.draw_member_decline(actor=user, member=member, reason="再次")
    assert again.value.code == "already_declined"


def test_a_decline_needs_a_reason_and_the_expert_or_the_bureau(bureau_officer, worker_user):
    make_pool(bureau_officer, POOL)
    member = _draw(bureau_officer, size=2).members.first()
    with pytest.raises(DomainError) as refused:
        services.draw_member_decline(actor=bureau_officer, member=member, reason="  ")
    assert refused.value.code == "reason_required"
    with pytest.raises(PermissionDenied):
        services.draw_member_decline(actor=worker_user, member=member, reason="不是本人")
    assert (
        services.draw_member_decline(actor=bureau_officer, member=member, reason="本人电话告知") is not None
    )


def test_with_no_one_left_the_decline_is_recorded_without_a_replacement(bureau_officer):
    make_pool(bureau_officer, {"food": 2})
    draw = _draw(bureau_officer, size=2)
    member = draw.members.first()
    assert services.draw_member_decline(actor=bureau_officer, member=member, reason="回避") is None
    member.refresh_from_db()
    assert member.state == ExpertDrawMember.State.DECLINED
    assert services.draw_replay_matches(draw)


def test_the_replacement_comes_from_another_sector_when_its_own_is_used_up(bureau_officer):
    make_pool(bureau_officer, {"food": 1, "paper": 3})
    draw = _draw(bureau_officer, size=2, seed=5)
    food = draw.members.get(sector="food")
    replacement = services.draw_member_decline(actor=bureau_officer, member=food, reason="回避")
    assert replacement is not None and replacement.sector == "paper"
    assert services.draw_replay_matches(draw)
