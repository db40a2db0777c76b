"""Master studios (issue 17 §1): application → review → city recognition (PLT-STUDIO new_city through
grants) → yearly reports and their evaluation → provincial/national upgrades (once each, through grants)
→ failure or closure with the reason (the lead's talent-card basis revoked). Each function is one
transaction with its audit row; a transition from the wrong state is refused naming the current state."""

from __future__ import annotations

from django.utils.translation import gettext as _

from skillcity.grants import flows
from skillcity.platforms.models.studios import StudioLevel
from skillcity.platforms.services.studios.common import (
    APPRENTICES_MAX,
    COUNT_MAX,
    HIGH_SKILL_LEVEL,
    NEW_CITY_CAP,
    REASON_MAX,
    RULE_ID,
    SOURCE_PREFIX,
    TEXT_MAX,
    describe_source,
    is_bureau,
    provenance,
    source_key,
    today,
)
from skillcity.platforms.services.studios.lifecycle import (
    _from_records,
    studio_apply,
    studio_close,
    studio_recognise,
    studio_review,
    studio_upgrade,
)
from skillcity.platforms.services.studios.reports import (
    apprentices_from_numbers,
    report_evaluate,
    report_submit,
)
from skillcity.registry.models import Worker

__all__ = [
    "APPRENTICES_MAX",
    "COUNT_MAX",
    "HIGH_SKILL_LEVEL",
    "NEW_CITY_CAP",
    "REASON_MAX",
    "RULE_ID",
    "SOURCE_PREFIX",
    "TEXT_MAX",
    "_from_records",
    "apprentices_from_numbers",
    "describe_source",
    "is_bureau",
    "leading_records",
    "provenance",
    "report_evaluate",
    "report_submit",
    "source_key",
    "studio_apply",
    "studio_close",
    "studio_recognise",
    "studio_review",
    "studio_upgrade",
    "today",
]

# ---- registrations -------------------------------------------------------------------------------

flows.register_source_describer(SOURCE_PREFIX, describe_source)


def leading_records(worker: Worker) -> list[dict[str, str]]:
    """The open studios a worker leads, as records a leading-talent application attaches."""
    from skillcity.platforms.selectors.studios import lead_levels

    return [
        {
            "kind": "studio",
            "code": level,
            "label": StudioLevel(level).label + _("技能大师工作室领办人"),
            "date": "",
            "source": source,
        }
        for level, source in lead_levels(worker, today())
    ]


def _register_leading_source() -> None:
    from skillcity.talents.services import leading

    if leading_records not in leading.STUDIO_SOURCES:
        leading.STUDIO_SOURCES.append(leading_records)


_register_leading_source()
