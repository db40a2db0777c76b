"""The statement log: xAPI-shaped statements from the player, appended once per client-made UUID.

`statements_store` is the request path of every heartbeat (every 30 s per learner: ~330 a second at
10,000 learners), so it is plain SQL on plain values (skillcity.core.rawsql): the statements are
checked in Python, the learner's enrolments in the lessons they name are read in one query before
the write transaction (enrolments are never deleted, so the check cannot go stale; a pair already
stored by this process is not read again), and all
statements of a request are written by one multi-row INSERT … ON CONFLICT (uuid) DO NOTHING, one
statement and so atomic, committed on its own (autocommit). When it returns, they are committed: a 2xx
answer is never lost.

No audit row per statement (docs/decisions.md D-entry "the statement log is its own record"): the
log is append-only and each row carries who sent it and when it was stored.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import uuid as uuid_module
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.errors import DomainError
from skillcity.core.rawsql import Statement as SqlStatement
from skillcity.core.rawsql import driver_cursor
from skillcity.learning.models import POSITION_MAX, SCORE_MAX, Verb

VERB_PREFIX = "http://adlnet.gov/expapi/verbs/"
TIME_EXTENSION = "https://w3id.org/xapi/video/extensions/time"
EVENT_EXTENSION = "https://w3id.org/xapi/video/extensions/event"
STATEMENTS_PER_REQUEST_MAX = 50
DURATION_MAX = Decimal(POSITION_MAX)  # a segment is never longer than the longest lesson
# What sent a statement (the player's triggers, docs/learning.md).
EVENTS = ("heartbeat", "pause", "seek", "hidden", "close")
_VERBS = {VERB_PREFIX + verb.value: verb.value for verb in Verb}
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Parsed:
    """One statement checked and reduced to the log's columns."""

    uuid: str
    lesson_id: int
    verb: str
    position: Decimal | None
    duration: Decimal | None
    score: Decimal | None
    timestamp: datetime.datetime
    event: str


def actor_name(worker_id: int) -> str:
    """The xAPI account name of a worker (actor.account.name)."""
    return f"worker:{worker_id}"


def statements_store(
    *, worker_id: int, statements: list[dict[str, Any]], now: datetime.datetime | None = None
) -> list[str]:
    """Append the statements of one request for the learner `worker_id`; their ids, in order.

    Refused whole (nothing stored) with 422 `invalid` naming the field, or 403 `not_enrolled` for a
    lesson of a course the learner has not enrolled in. A statement whose id was stored before is
    not stored again and is answered the same.
    """
    if not isinstance(statements, list) or not statements:
        raise DomainError("invalid", _("没有学习语句"), {"statements": _("至少一条")}, status=422)
    if len(statements) > STATEMENTS_PER_REQUEST_MAX:
        raise DomainError(
            "invalid",
            _("一次最多提交 %(n)s 条学习语句") % {"n": STATEMENTS_PER_REQUEST_MAX},
            {"statements": _("最多 %(n)s 条") % {"n": STATEMENTS_PER_REQUEST_MAX}},
            status=422,
        )
    errors: dict[str, str] = {}
    parsed: list[Parsed] = []
    many = len(statements) > 1
    for index, raw in enumerate(statements):
        prefix = f"[{index}]." if many else ""
        try:
            parsed.append(_parse(raw, worker_id))
        except _Invalid as bad:
            errors[prefix + bad.field] = bad.message
    if errors:
        names = "、".join(errors)
        raise DomainError("invalid", _("学习语句有误：%(f)s") % {"f": names}, errors, status=422)
    lesson_ids = {p.lesson_id for p in parsed}
    unchecked = {i for i in lesson_ids if (worker_id, i) not in _ENROLLED}
    if unchecked:
        _check_enrolled(worker_id, unchecked)
    stored = now or timezone.now()
    db = connections[DEFAULT_DB_ALIAS]
    ops = db.ops
    at = ops.adapt_datetimefield_value(stored)
    params: list[Any] = []
    for p in parsed:
        params += [
            _uuid_value(db, p.uuid),
            worker_id,
            p.lesson_id,
            p.verb,
            _decimal(ops, p.position, 8),
            _decimal(ops, p.duration, 8),
            _decimal(ops, p.score, 5),
            ops.adapt_datetimefield_value(p.timestamp),
            at,
            p.event,
        ]
    # One INSERT is atomic by itself: outside a transaction (a heartbeat: the connection in autocommit)
    # it is committed when it returns, without a BEGIN and a COMMIT (two more round trips on
    # PostgreSQL); inside one (a test, a caller's own transaction) it is part of it.
    with driver_cursor(db) as cursor:
        _insert(len(parsed)).run(cursor, params)
    if len(_ENROLLED) > _ENROLLED_MAX:
        _ENROLLED.clear()
    _ENROLLED.update(dict.fromkeys((worker_id, i) for i in lesson_ids))
    return [p.uuid for p in parsed]


# (worker, lesson) pairs with a statement stored by this process. Enrolments are never deleted and a
# lesson with a statement cannot be (PROTECT), so once stored the enrolment check holds for good and
# a heartbeat skips its SELECT. Per process, bounded (emptied when full); a fresh process checks again.
_ENROLLED: dict[tuple[int, int], None] = {}
_ENROLLED_MAX = 200_000


def _uuid_value(db: Any, value: str) -> Any:
    # As UUIDField stores it: PostgreSQL's uuid type, elsewhere 32 hex digits.
    return uuid_module.UUID(value) if db.features.has_native_uuid_field else value.replace("-", "")


def _decimal(ops: Any, value: Decimal | None, digits: int) -> Any:
    return None if value is None else ops.adapt_decimalfield_value(value, digits, 2)


@functools.cache
def _insert(count: int) -> SqlStatement:
    row = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    return SqlStatement(
        "INSERT INTO learning_statement "
        "(uuid, worker_id, lesson_id, verb, position, duration, score, timestamp, stored, event) "
        f"VALUES {', '.join([row] * count)} ON CONFLICT (uuid) DO NOTHING"
    )


_ENROLLED_LESSONS = (
    "SELECT l.id, e.id FROM learning_lesson l "
    "LEFT JOIN learning_enrolment e ON e.course_id = l.course_id AND e.worker_id = %s "
    "WHERE l.id IN ({})"
)


def _check_enrolled(worker_id: int, lesson_ids: set[int]) -> None:
    db = connections[DEFAULT_DB_ALIAS]
    ids = sorted(lesson_ids)
    sql = _ENROLLED_LESSONS.format(", ".join(["%s"] * len(ids)))
    with db.cursor() as cursor:
        cursor.execute(sql, [worker_id, *ids])
        found = {row[0]: row[1] for row in cursor.fetchall()}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(
            "invalid",
            _("课时不存在：%(ids)s") % {"ids": "、".join(map(str, missing))},
            {"object.id": _("课时不存在")},
            status=422,
        )
    outside = [i for i in ids if found[i] is None]
    if outside:
        raise DomainError(
            "not_enrolled",
            _("您未报名课时 %(ids)s 所属的课程") % {"ids": "、".join(map(str, outside))},
            {"object.id": _("未报名该课程")},
            status=403,
        )


class _Invalid(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _parse(raw: Any, worker_id: int) -> Parsed:
    if not isinstance(raw, dict):
        raise _Invalid("statement", _("应为 JSON 对象"))
    statement_id = raw.get("id")
    try:
        if not isinstance(statement_id, str):
            raise ValueError
        canonical = str(uuid_module.UUID(statement_id))
    except ValueError:
        raise _Invalid("id", _("应为客户端生成的 UUID")) from None
    _check_actor(raw.get("actor"), worker_id)
    verb = raw.get("verb")
    verb_id = verb.get("id") if isinstance(verb, dict) else None
    if not isinstance(verb_id, str) or verb_id not in _VERBS:
        raise _Invalid(
            "verb.id",
            _("应为 %(p)s 加 initialized、progressed、completed、passed、failed 或 terminated")
            % {"p": VERB_PREFIX},
        )
    lesson_id = _lesson_id(raw.get("object"))
    result = raw.get("result")
    if result is None:
        result = {}
    if not isinstance(result, dict):
        raise _Invalid("result", _("应为 JSON 对象"))
    extensions = result.get("extensions") or {}
    if not isinstance(extensions, dict):
        raise _Invalid("result.extensions", _("应为 JSON 对象"))
    position = _number(
        extensions.get(TIME_EXTENSION), f"result.extensions[{TIME_EXTENSION}]", Decimal(POSITION_MAX)
    )
    duration = _duration(result.get("duration"))
    score_raw = result.get("score")
    score = None
    if score_raw is not None:
        if not isinstance(score_raw, dict):
            raise _Invalid("result.score", _("应为 JSON 对象"))
        score = _number(score_raw.get("raw"), "result.score.raw", Decimal(SCORE_MAX))
    return Parsed(
        uuid=canonical,
        lesson_id=lesson_id,
        verb=_VERBS[verb_id],
        position=position,
        duration=duration,
        score=score,
        timestamp=_timestamp(raw.get("timestamp")),
        event=_event(raw.get("context")),
    )


def _check_actor(actor: Any, worker_id: int) -> None:
    if actor is None:
        return
    account = actor.get("account") if isinstance(actor, dict) else None
    name = account.get("name") if isinstance(account, dict) else None
    if name != actor_name(worker_id):
        raise _Invalid(
            "actor", _("应为登录的学员本人（account.name 为 %(n)s）") % {"n": actor_name(worker_id)}
        )


def _lesson_id(activity: Any) -> int:
    iri = activity.get("id") if isinstance(activity, dict) else None
    if not isinstance(iri, str) or len(iri) > 500:
        raise _Invalid("object.id", _("应为课时的 IRI（…/learning/lessons/<编号>/）"))
    segment = iri.rstrip("/").rsplit("/", 1)[-1]
    if not segment.isascii() or not segment.isdigit() or not 1 <= int(segment) <= 2**31 - 1:
        raise _Invalid("object.id", _("应为课时的 IRI（…/learning/lessons/<编号>/）"))
    return int(segment)


def _number(value: Any, field: str, high: Decimal) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Invalid(field, _("应为数字"))
    number = Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
    if not Decimal(0) <= number <= high:
        raise _Invalid(field, _("应在 0 到 %(h)s 之间") % {"h": high})
    return number


def _duration(value: Any) -> Decimal | None:
    if value is None:
        return None
    match = _DURATION.match(value) if isinstance(value, str) and len(value) <= 40 else None
    if match is None or value == "P":
        raise _Invalid("result.duration", _("应为 ISO 8601 时长，例如 PT30S"))
    parts = match.groupdict()
    seconds = (
        Decimal(parts["d"] or 0) * 86400
        + Decimal(parts["h"] or 0) * 3600
        + Decimal(parts["m"] or 0) * 60
        + Decimal(parts["s"] or 0)
    ).quantize(_CENT, rounding=ROUND_HALF_UP)
    if seconds > DURATION_MAX:
        raise _Invalid("result.duration", _("不能超过 %(h)s 秒") % {"h": DURATION_MAX})
    return seconds


def _timestamp(value: Any) -> datetime.datetime:
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid("timestamp", _("应为 ISO 8601 时间，例如 2026-12-07T12:00:00+08:00")) from None
    if moment.tzinfo is None:  # xAPI: a timestamp without a zone is UTC
        moment = moment.replace(tzinfo=datetime.UTC)
    if not 2000 <= moment.year <= 2100:
        raise _Invalid("timestamp", _("时间超出范围"))
    return moment


def _event(context: Any) -> str:
    if context is None:
        return ""
    if not isinstance(context, dict):
        raise _Invalid("context", _("应为 JSON 对象"))
    extensions = context.get("extensions") or {}
    if not isinstance(extensions, dict):
        raise _Invalid("context.extensions", _("应为 JSON 对象"))
    event = extensions.get(EVENT_EXTENSION)
    if event is None:
        return ""
    if event not in EVENTS:
        raise _Invalid(
            f"context.extensions[{EVENT_EXTENSION}]", _("应为 heartbeat、pause、seek、hidden 或 close")
        )
    return str(event)
