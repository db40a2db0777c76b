"""The online-learning demo (issue 18 §5): 1,000 published courses in the three categories, 125 of them
strategic-industry courses, learners in every state with progress derived from their statements, and
completions as training records — checked on the shared demo city (every demo step runs there)."""

from __future__ import annotations

from django.db.models import Count

from skillcity.accounts.models import User
from skillcity.learning.models import (
    Completion,
    Course,
    CourseState,
    Enrolment,
    EnrolmentState,
    LessonProgress,
    Statement,
)


def test_the_demo_has_the_courses_and_learners_in_every_state(demo_city):
    published = Course.objects.filter(state=CourseState.PUBLISHED)
    assert published.count() == 1000
    assert set(published.values_list("category", flat=True)) == {"diploma", "skill", "general"}
    assert published.filter(industries__isnull=False).distinct().count() == 125
    for state in ("submitted", "returned", "unpublished"):
        assert Course.objects.filter(state=state).exists()
    assert not Course.objects.annotate(n=Count("lessons")).filter(n=0).exists()

    # Every state: enrolled and not started, in progress, completed (with its record), a quiz failed.
    assert Enrolment.objects.filter(last_active_at__isnull=True).exists()
    assert Enrolment.objects.filter(state=EnrolmentState.LEARNING, progress__gt=0).exists()
    completed = Enrolment.objects.filter(state=EnrolmentState.COMPLETED)
    assert completed.exists()
    assert Completion.objects.count() == completed.count()
    assert Statement.objects.filter(verb="failed").exists()
    assert LessonProgress.objects.filter(
        lesson__kind="quiz", completed=False, best_score__isnull=False
    ).exists()

    learner = User.objects.get(username="learner")
    mine = Enrolment.objects.filter(worker=learner.worker)
    assert mine.filter(state=EnrolmentState.LEARNING, progress__gt=0).exists()
    assert Completion.objects.filter(worker=learner.worker).exists()
    assert User.objects.filter(username="provider", role="organisation_user").exists()
