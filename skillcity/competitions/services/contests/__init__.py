"""Competitions and their projects, entries, marking schemes and judges: one transaction and one audit
row per write (docs/competitions.md, "评分与成绩").

Who may do what:
- organise (a competition's projects, scheme, judges): a bureau officer; the organiser organisation's
  user for its own competition; for a town contest, that town's officer too.
- register players: a bureau officer, or the unit's own user for its own workers (a player is a worker in
  the registry employed by the unit).
- A judge whose unit fielded a player in the project is refused (and a unit whose staff judges the
  project cannot field a player in it).
"""

from __future__ import annotations

from skillcity.competitions.services.contests.common import (
    PLACES_MAX,
    RANK_MAX,
    TEAM_SIZE_MAX,
    TITLE_QUOTA_MAX,
    can_organise,
    can_register_for,
    require_organiser,
    role_of,
)
from skillcity.competitions.services.contests.competitions import (
    clean_promotion_rule,
    competition_create,
    competition_publish,
)
from skillcity.competitions.services.contests.registrations import (
    entry_register,
    judge_assign,
    judge_withdraw,
    project_create,
)
from skillcity.competitions.services.contests.scheme import scheme_check, scheme_set, scheme_snapshot

__all__ = [
    "PLACES_MAX",
    "RANK_MAX",
    "TEAM_SIZE_MAX",
    "TITLE_QUOTA_MAX",
    "can_organise",
    "can_register_for",
    "clean_promotion_rule",
    "competition_create",
    "competition_publish",
    "entry_register",
    "judge_assign",
    "judge_withdraw",
    "project_create",
    "require_organiser",
    "role_of",
    "scheme_check",
    "scheme_set",
    "scheme_snapshot",
]
