"""The player: its page for a video, a document and a quiz; the quiz graded on the server, which
writes the passed/failed statement itself; my courses."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from skillcity.learning.models import Enrolment, LessonProgress, Statement
from skillcity.learning.services.progress import progress_aggregate

pytestmark = pytest.mark.django_db


def test_the_player_renders_a_video_lesson_for_its_learner(
    client, learner, enrolment, video_lesson, document_lesson, quiz_lesson
):
    client.force_login(learner)
    response = client.get(reverse("learning:player", args=[video_lesson.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<video class="sc-player-video"' in html
    assert reverse("learning:lesson_media", args=[video_lesson.pk]) in html
    assert 'data-track="1"' in html and "learning/player.js" in html
    assert html.count('data-testid="lesson-row"') == 3
    assert reverse("learning:player", args=[document_lesson.pk]) in html  # the next lesson


def test_the_document_and_the_quiz_render_without_the_answers(
    client, learner, enrolment, document_lesson, quiz_lesson
):
    client.force_login(learner)
    doc = client.get(reverse("learning:player", args=[document_lesson.pk])).content.decode()
    assert 'data-testid="document-link"' in doc and "<iframe" in doc
    quiz = client.get(reverse("learning:player", args=[quiz_lesson.pk])).content.decode()
    assert quiz.count('data-testid="question"') == 2
    assert "一加一等于几？" in quiz and '"answer"' not in quiz


def test_the_provider_previews_without_sending_statements(client, provider_user, video_lesson):
    client.force_login(provider_user)
    response = client.get(reverse("learning:player", args=[video_lesson.pk]))
    assert response.status_code == 200 and 'data-track="0"' in response.content.decode()


def test_a_worker_not_enrolled_cannot_open_the_player(client, stranger, video_lesson):
    client.force_login(stranger)
    assert client.get(reverse("learning:player", args=[video_lesson.pk])).status_code == 404


def test_the_quiz_is_graded_on_the_server_and_logged(client, learner, enrolment, quiz_lesson):
    client.force_login(learner)
    url = reverse("learning:quiz_submit", args=[quiz_lesson.pk])
    # One right of two: 50 < 60. A score sent by the client is ignored.
    response = client.post(url, {"q0": "1", "q1": "1", "score": "100"}, follow=True)
    assert "测验未通过" in response.content.decode()
    failed = Statement.objects.get(worker=learner.worker, lesson=quiz_lesson)
    assert failed.verb == "failed" and failed.score == 50
    client.post(url, {"q0": "1", "q1": "0"})
    passed = Statement.objects.filter(worker=learner.worker, verb="passed").get()
    assert passed.score == 100
    progress_aggregate(now=timezone.now() + datetime.timedelta(seconds=30))
    mine = LessonProgress.objects.get(enrolment=enrolment, lesson=quiz_lesson)
    assert mine.completed and mine.best_score == 100


def test_an_unanswered_question_is_named_and_nothing_is_logged(client, learner, enrolment, quiz_lesson):
    client.force_login(learner)
    response = client.post(reverse("learning:quiz_submit", args=[quiz_lesson.pk]), {"q0": "1"}, follow=True)
    assert "第 2 题" in response.content.decode()
    assert not Statement.objects.exists()


def test_only_an_enrolled_learner_submits_a_quiz(client, provider_user, stranger, quiz_lesson):
    for user in (provider_user, stranger):
        client.force_login(user)
        assert (
            client.post(reverse("learning:quiz_submit", args=[quiz_lesson.pk]), {"q0": "1"}).status_code
            == 404
        )
    assert not Statement.objects.exists()


def test_my_courses_lists_progress_state_and_where_to_continue(client, learner, enrolment, video_lesson):
    Enrolment.objects.filter(pk=enrolment.pk).update(progress=40, last_active_at=timezone.now())
    client.force_login(learner)
    response = client.get(reverse("learning:my_courses"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="my-course"' in html and "40%" in html and "学习中" in html
    assert reverse("learning:player", args=[video_lesson.pk]) in html and "继续学习" in html


def test_my_courses_is_for_workers(client, provider_user):
    client.force_login(provider_user)
    assert client.get(reverse("learning:my_courses")).status_code == 403
