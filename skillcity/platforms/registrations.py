"""What the platforms register with other apps (fact providers, source describers, jobs, page panels):
one import per part, each part's module registering its own; the grant application page's expert draw
panel is registered here."""

from skillcity.grants.flows import register_detail_panel
from skillcity.platforms.services import bases, experts, standards, studios, subbases  # noqa: F401
from skillcity.platforms.views.experts.grant_review import grant_review_panel

register_detail_panel(grant_review_panel)
