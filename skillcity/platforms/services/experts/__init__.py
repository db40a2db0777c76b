"""Services of the expert pool (issue 17 §5): the experts' records and import (pool), the seeded draw
with its replay and replacements (draws), and the draw wired into competition judges,
leading-talent panels, standards, studio reviews and grant reviews (wiring, which registers its decline hooks when imported here)."""

from skillcity.platforms.services.experts.draws import (
    SEED_MAX,
    SIZE_MAX,
    draw_member_decline,
    draw_replay,
    draw_replay_matches,
    expert_draw,
)
from skillcity.platforms.services.experts.pool import (
    EXPERT_COLUMNS,
    expert_conflict_declare,
    expert_conflict_withdraw,
    expert_phone_view,
    experts_import,
    experts_template,
)
from skillcity.platforms.services.experts.wiring import (
    competition_judges_draw,
    grant_review_draw,
    leading_panel_draw,
    standard_panel_draw,
    studio_review_draw,
)

__all__ = [
    "EXPERT_COLUMNS",
    "SEED_MAX",
    "SIZE_MAX",
    "competition_judges_draw",
    "draw_member_decline",
    "draw_replay",
    "draw_replay_matches",
    "expert_conflict_declare",
    "expert_conflict_withdraw",
    "expert_draw",
    "expert_phone_view",
    "experts_import",
    "experts_template",
    "grant_review_draw",
    "leading_panel_draw",
    "standard_panel_draw",
    "studio_review_draw",
]
