"""A quiz lesson graded on the server: the learner sends their choices, the server counts the right
ones against the answers stored on the lesson (never sent to the browser) and writes the `passed` or
`failed` statement itself, through the same log as the player's (a score a client reports is not
trusted). The statement log is the record of the attempt; progress reads it like any other."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillcity.core.errors import DomainError
from skillcity.learning.models import Lesson, LessonKind

VERB_IRI = "http://adlnet.gov/expapi/verbs/"


def lesson_iri(lesson_id: int) -> str:
    """The lesson's xAPI activity id (the statement endpoint reads the id from its last segment)."""
    return f"/learning/lessons/{lesson_id}/"


@dataclass(frozen=True)
class QuizResult:
    correct: int
    total: int
    score: int  # 0–100
    passed: bool
    statement_id: str


def quiz_score(lesson: Lesson, answers: list[int | None]) -> tuple[int, int, int]:
    """(right answers, questions, score 0–100, rounded down)."""
    questions = lesson.questions or []
    total = len(questions)
    correct = sum(
        1 for i, question in enumerate(questions) if i < len(answers) and answers[i] == question["answer"]
    )
    return correct, total, (correct * 100 // total) if total else 0


def quiz_grade(
    *, worker_id: int, lesson: Lesson, answers: list[int | None], now: datetime.datetime | None = None
) -> QuizResult:
    """Grade the answers (one option index, or None, per question) and log the outcome."""
    from skillcity.learning.services.statements import statements_store

    if lesson.kind != LessonKind.QUIZ or not lesson.questions:
        raise DomainError("not_a_quiz", _("该课时不是测验"))
    if len(answers) != len(lesson.questions):
        raise DomainError("invalid", _("请回答全部题目"), {"answers": _("题目数量不符")})
    unanswered = [i + 1 for i, a in enumerate(answers) if a is None]
    if unanswered:
        raise DomainError(
            "invalid",
            _("还有题目未作答：第 %(n)s 题") % {"n": "、".join(map(str, unanswered))},
            {f"q{unanswered[0] - 1}": _("请选择一个选项")},
        )
    correct, total, score = quiz_score(lesson, answers)
    passed = score >= (lesson.pass_score or 0)
    now = now or timezone.now()
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERB_IRI + ("passed" if passed else "failed")},
        "object": {"objectType": "Activity", "id": lesson_iri(lesson.pk)},
        "result": {"score": {"raw": score}, "success": passed},
        "timestamp": now.isoformat(),
    }
    ids = statements_store(worker_id=worker_id, statements=[statement], now=now)
    return QuizResult(correct, total, score, passed, ids[0] if ids else statement["id"])
