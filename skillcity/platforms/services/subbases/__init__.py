"""Services of the public training sub-bases (issue 17 §2): recognition and yearly reports
(`recognition`), the city's course purchase and its grants (`purchases`). Each function is one
transaction with its audit row. Importing this package registers the grants source describer."""

from __future__ import annotations

from skillcity.grants.flows import register_source_describer
from skillcity.platforms.services.subbases.purchases import (
    SOURCE_PREFIX,
    allocation_accept,
    allocation_cancel,
    allocation_class_link,
    allocation_class_open,
    allocation_create,
    allocation_grant_apply,
    course_facts,
    describe_source,
    quota_set,
    trainees_from_roster,
)
from skillcity.platforms.services.subbases.recognition import (
    centre_set,
    report_evaluate,
    report_facts,
    report_submit,
    subbase_apply,
    subbase_recognise,
    subbase_reject,
    subbase_revoke,
)

__all__ = [
    "SOURCE_PREFIX",
    "allocation_accept",
    "allocation_cancel",
    "allocation_class_link",
    "allocation_class_open",
    "allocation_create",
    "allocation_grant_apply",
    "centre_set",
    "course_facts",
    "describe_source",
    "quota_set",
    "report_evaluate",
    "report_facts",
    "report_submit",
    "subbase_apply",
    "subbase_recognise",
    "subbase_reject",
    "subbase_revoke",
    "trainees_from_roster",
]

register_source_describer(SOURCE_PREFIX, describe_source)
