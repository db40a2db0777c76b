"""Leading talents (技能领军人才): calls, applications with the records attached, formal check, the expert
panel (conflicts refused), shortlist into the grants public notice, recognition, and the subsidies claimed
through grants. Each function is one transaction with its audit row.

A package: common, applications, panel, recognition, subsidies; every name is re-exported here."""

from skillcity.talents.services.leading.applications import (  # noqa: F401
    STUDIO_SOURCES,
    TITLE_ROUTE,
    applicant_records,
    application_submit,
    call_create,
    formal_check,
    title_route,
)
from skillcity.talents.services.leading.common import (  # noqa: F401
    CRITERIA_FILE,
    EVIDENCE_MAX,
    GROUNDS_MAX,
    PROVENANCE,
    SOURCE_PREFIX,
    _evidence_save,
    _lock,
    _refuse,
    _require_bureau,
    default_criteria,
    parse_money,
    source_key,
    subsidy_date,
    today,
)
from skillcity.talents.services.leading.panel import (  # noqa: F401
    assign,
    average_score,
    conflict_reason,
    panel_member_add,
    panel_member_withdraw,
    parse_points,
    scores_submit,
)
from skillcity.talents.services.leading.recognition import (  # noqa: F401
    living_application,
    not_shortlisted,
    recognise,
    shortlist,
    subsidy_applications,
)
from skillcity.talents.services.leading.subsidies import (  # noqa: F401
    describe_source,
    employer_reward_claim,
    home_purchase_claim,
)
