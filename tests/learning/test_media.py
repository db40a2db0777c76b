"""A lesson's file with HTTP range requests: 206 with Content-Range, 416 past the end, 200 whole without
a Range header, streamed; for enrolled learners, the provider's users and the bureau only."""

from __future__ import annotations

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from skillcity.learning.media import Unsatisfiable, parse_range
from tests.learning.conftest import VIDEO

pytestmark = pytest.mark.django_db
SIZE = VIDEO.stat().st_size


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _get(client, user, lesson, **headers):
    client.force_login(user)
    return client.get(reverse("learning:lesson_media", args=[lesson.pk]), headers=headers)


def test_it_sends_the_whole_file_without_a_range(client, enrolment, learner, video_lesson):
    response = _get(client, learner, video_lesson)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)  # streamed in chunks, not read whole
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Type"] == "video/mp4"
    assert _body(response) == VIDEO.read_bytes()
    # A document lesson's PDF is framed by the player: by the platform's own pages only.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_it_sends_the_asked_range_with_206(client, enrolment, learner, video_lesson):
    response = _get(client, learner, video_lesson, Range="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{SIZE}"
    assert response["Content-Length"] == "100"
    assert _body(response) == VIDEO.read_bytes()[100:200]


def test_it_sends_an_open_range_and_a_suffix(client, enrolment, learner, video_lesson):
    data = VIDEO.read_bytes()
    opened = _get(client, learner, video_lesson, Range=f"bytes={SIZE - 10}-")
    assert opened.status_code == 206 and _body(opened) == data[-10:]
    suffix = _get(client, learner, video_lesson, Range="bytes=-5")
    assert suffix["Content-Range"] == f"bytes {SIZE - 5}-{SIZE - 1}/{SIZE}"
    assert _body(suffix) == data[-5:]
    past_end = _get(client, learner, video_lesson, Range=f"bytes=0-{SIZE * 2}")
    assert past_end.status_code == 206 and past_end["Content-Length"] == str(SIZE)


def test_it_answers_416_for_a_range_past_the_end(client, enrolment, learner, video_lesson):
    response = _get(client, learner, video_lesson, Range=f"bytes={SIZE}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


def test_it_sends_the_whole_file_for_several_ranges_or_a_malformed_one(
    client, enrolment, learner, video_lesson
):
    assert _get(client, learner, video_lesson, Range="bytes=0-1,5-9").status_code == 200
    assert _get(client, learner, video_lesson, Range="pages=1-2").status_code == 200


def test_parse_range_reads_the_forms_of_a_single_range():
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=5-", 10) == (5, 9)
    assert parse_range("bytes=-3", 10) == (7, 9)
    assert parse_range("bytes=9-3", 10) is None
    assert parse_range("", 10) is None
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=10-", 10)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=-0", 10)


def test_the_provider_and_the_bureau_may_open_it(client, provider_user, bureau_officer, video_lesson):
    assert _get(client, provider_user, video_lesson).status_code == 200
    assert _get(client, bureau_officer, video_lesson, Range="bytes=0-9").status_code == 206


def test_a_learner_not_enrolled_a_town_officer_and_another_provider_get_404(
    client, stranger, changan_officer, enterprise_user, video_lesson
):
    for user in (stranger, changan_officer, enterprise_user):
        assert _get(client, user, video_lesson).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, video_lesson):
    response = client.get(reverse("learning:lesson_media", args=[video_lesson.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
