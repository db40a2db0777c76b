"""A sign-in records the device it came from and the client's address (issue 20 §1 sign-in bursts);
a class records its teacher, site and daily session times (impossible schedules)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from skillcity.training.models import Attendance, TrainingClass
from skillcity.training.pages import DEVICE_COOKIE
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(institution):
    c = Client(REMOTE_ADDR="10.8.0.7")
    c.force_login(UserFactory(username="school", role="organisation_user", organisation=institution))
    return c


def test_a_sign_in_records_the_device_the_page_marked_and_the_address(school, enrolment, project):
    page = school.get(f"/training/projects/{project.pk}/")
    device = page.cookies[DEVICE_COOKIE].value
    assert len(device) == 32 and page.cookies[DEVICE_COOKIE]["httponly"]
    school.post(f"/training/enrolments/{enrolment.pk}/sign-in/")
    attendance = Attendance.objects.get(enrolment=enrolment)
    assert attendance.device_id == device and attendance.client_address == "10.8.0.7"
    assert attendance.signed_at is not None
    again = school.get(f"/training/projects/{project.pk}/")
    assert DEVICE_COOKIE not in again.cookies  # the device keeps its mark


def test_an_app_names_its_device_by_header(school, enrolment):
    school.post(f"/training/enrolments/{enrolment.pk}/sign-in/", HTTP_X_SKILLCITY_DEVICE="kiosk-3")
    assert Attendance.objects.get(enrolment=enrolment).device_id == "kiosk-3"


def test_a_provider_enters_a_classs_teacher_site_and_session_times(school, project, changan):
    teacher = WorkerFactory(town=changan, name="张老师")
    url = f"/training/projects/{project.pk}/classes/"
    bad = school.post(
        url,
        {"name": "二班", "start_date": "2025-03-01", "end_date": "2025-05-31", "session_start": "14:00",
         "session_end": "12:00"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert bad.context["class_form"].errors["session_end"] == ["每日上课结束时间应晚于开始时间"]
    ok = school.post(
        url,
        {"name": "二班", "start_date": "2025-03-01", "end_date": "2025-05-31", "teacher_id_number": teacher.id_number,
         "site": "长安镇振安中路1号", "session_start": "08:30", "session_end": "12:00"},
    )  # fmt: skip
    assert ok.status_code == 302
    made = TrainingClass.objects.get(name="二班")
    assert made.teacher == teacher and made.site == "长安镇振安中路1号"
    assert (made.session_start, made.session_end) == (datetime.time(8, 30), datetime.time(12, 0))
    page = school.get(f"/training/projects/{project.pk}/").content.decode()
    assert "08:30–12:00" in page and "张老师" in page
