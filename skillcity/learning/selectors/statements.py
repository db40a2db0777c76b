"""The statement log read back as standard xAPI 1.0.3 statements (the API's GET and the export).

Who sees what: the bureau every statement; a town officer those of their town's learners; an
organisation user those in the lessons of its own courses; a worker their own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillcity.core.access import _role
from skillcity.core.env import env_str
from skillcity.core.errors import PermissionDenied
from skillcity.learning.models import LessonKind, Statement, Verb
from skillcity.learning.services.statements import (
    EVENT_EXTENSION,
    TIME_EXTENSION,
    VERB_PREFIX,
    actor_name,
)

XAPI_VERSION = "1.0.3"
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 500
COURSE_EXTENSION = "https://skillcity.example/xapi/extensions/course"
_ACTIVITY_TYPES = {
    LessonKind.VIDEO: "https://w3id.org/xapi/video/activity-type/video",
    LessonKind.DOCUMENT: "http://id.tincanapi.com/activitytype/document",
    LessonKind.QUIZ: "http://adlnet.gov/expapi/activities/assessment",
}
_VERB_ENGLISH = {verb.value: verb.value for verb in Verb}


def statements_for(
    user: Any,
    *,
    learner: int | None = None,
    course: int | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[Statement]:
    """The statements `user` may see, filtered by learner (worker id), course and stored time
    (`since` inclusive, `until` exclusive), in the order they were stored."""
    role = _role(user)
    statements = Statement.objects.select_related("lesson")
    if role == "bureau_officer":
        pass
    elif role == "town_officer":
        statements = statements.filter(worker__town_id=user.town_id)
    elif role == "organisation_user" and user.organisation_id:
        statements = statements.filter(lesson__course__provider_id=user.organisation_id)
    elif role == "worker" and user.worker_id:
        statements = statements.filter(worker_id=user.worker_id)
    else:
        raise PermissionDenied(_("您的角色无权查看学习语句"))
    if learner is not None:
        statements = statements.filter(worker_id=learner)
    if course is not None:
        statements = statements.filter(lesson__course_id=course)
    if since is not None:
        statements = statements.filter(stored__gte=since)
    if until is not None:
        statements = statements.filter(stored__lt=until)
    return statements.order_by("id")


def home_page() -> str:
    """The platform's address in actor accounts and activity IRIs (SKILLCITY_PUBLIC_URL when set)."""
    return env_str("SKILLCITY_PUBLIC_URL", "").rstrip("/") or "https://skillcity.example"


def lesson_iri(lesson_id: int, home: str | None = None) -> str:
    return f"{home or home_page()}/learning/lessons/{lesson_id}/"


def iso_duration(seconds: Decimal) -> str:
    """ISO 8601 duration: PT30S, PT1H2M3.5S."""
    whole = int(seconds)
    fraction = seconds - whole
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    second_text = f"{Decimal(secs) + fraction:f}".rstrip("0").rstrip(".") if fraction else str(secs)
    if secs or fraction or text == "PT":
        text += f"{second_text}S"
    return text


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="milliseconds")


def statement_as_xapi(statement: Statement, home: str) -> dict[str, Any]:
    """One stored statement as an xAPI 1.0.3 statement."""
    lesson = statement.lesson
    verb = Verb(statement.verb)
    result: dict[str, Any] = {}
    if statement.duration is not None:
        result["duration"] = iso_duration(statement.duration)
    if statement.score is not None:
        result["score"] = {
            "raw": _number(statement.score),
            "min": 0,
            "max": 100,
            "scaled": float(statement.score / 100),
        }
    if statement.position is not None:
        result["extensions"] = {TIME_EXTENSION: _number(statement.position)}
    if verb in (Verb.PASSED, Verb.FAILED):
        result["success"] = verb == Verb.PASSED
    if verb == Verb.COMPLETED:
        result["completion"] = True
    context: dict[str, Any] = {
        "platform": "SkillCity",
        "contextActivities": {
            "parent": [{"objectType": "Activity", "id": f"{home}/learning/courses/{lesson.course_id}/"}]
        },
    }
    if statement.event:
        context["extensions"] = {EVENT_EXTENSION: statement.event}
    made: dict[str, Any] = {
        "id": str(statement.uuid),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": home, "name": actor_name(statement.worker_id)},
        },
        "verb": {
            "id": VERB_PREFIX + verb.value,
            "display": {"zh-CN": str(verb.label), "en-US": _VERB_ENGLISH[verb.value]},
        },
        "object": {
            "objectType": "Activity",
            "id": lesson_iri(lesson.pk, home),
            "definition": {
                "name": {"zh-CN": lesson.title},
                "type": _ACTIVITY_TYPES[LessonKind(lesson.kind)],
            },
        },
        "context": context,
        "timestamp": _iso(statement.timestamp),
        "stored": _iso(statement.stored),
        "version": XAPI_VERSION,
    }
    if result:
        made["result"] = result
    return made


def statements_page(
    statements: QuerySet[Statement], *, after: int = 0, size: int = PAGE_SIZE_DEFAULT
) -> tuple[list[dict[str, Any]], int | None]:
    """One page of xAPI statements after the statement id `after`, and the id to continue from
    (None on the last page)."""
    size = max(1, min(size, PAGE_SIZE_MAX))
    rows = list(statements.filter(id__gt=after)[: size + 1])
    home = home_page()
    page = [statement_as_xapi(s, home) for s in rows[:size]]
    return page, (rows[size - 1].pk if len(rows) > size else None)


def statements_stream(statements: QuerySet[Statement]) -> Iterator[str]:
    """The whole selection as one xAPI StatementResult JSON document, written piece by piece (a
    course's log can be millions of statements: never all in memory)."""
    import json

    home = home_page()
    yield '{"statements": ['
    first = True
    for statement in statements.iterator(chunk_size=2000):
        yield ("" if first else ",\n") + json.dumps(statement_as_xapi(statement, home), ensure_ascii=False)
        first = False
    yield '], "more": ""}\n'


def parse_moment(raw: str | None, field: str) -> datetime.datetime | None:
    """A `since`/`until` filter: an ISO 8601 time, or a date (its local midnight)."""
    from skillcity.core.errors import DomainError

    text = (raw or "").strip()
    if not text:
        return None
    try:
        if len(text) > 40:
            raise ValueError
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise DomainError(
            "invalid",
            _("时间格式有误：%(f)s") % {"f": field},
            {field: _("应为 ISO 8601 时间或 YYYY-MM-DD 日期")},
            status=422,
        ) from None
    return moment if moment.tzinfo else timezone.make_aware(moment)
