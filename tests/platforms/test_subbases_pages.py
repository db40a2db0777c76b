"""Sub-base pages: the organisation files and reports, the bureau recognises, sets the quota, allocates,
accepts; the course's grant from the roster; scoping (404 for another's record); the public list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillcity.grants.models import Application
from skillcity.platforms.models import AllocationState, CourseAllocation, Subbase, SubbaseState
from skillcity.platforms.services import subbases as services
from tests.conftest import PASSWORD
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory
from tests.platforms.subbases_helpers import (
    ACCEPTED_ON,
    END,
    START,
    YEAR,
    recognised_subbase,
    roster,
    running_course,
)

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_an_organisation_applies_on_its_page_and_the_bureau_recognises_it(
    client, enterprise_user, bureau_officer
):
    c = _login(client, enterprise_user)
    page = c.get(reverse("platforms:subbase_list"))
    assert "申请认定为市高技能公共实训中心分基地" in page.content.decode()
    blank = c.post(reverse("platforms:subbase_list"), {"name": "", "direction": "数控"})
    assert 'id="error-name"' in blank.content.decode()
    made = c.post(reverse("platforms:subbase_list"), {"name": "长安数控分基地", "direction": "数控加工"})
    subbase = Subbase.objects.get()
    assert made.url == reverse("platforms:subbase_detail", args=[subbase.pk])
    c.logout()
    b = _login(client, bureau_officer)
    detail = reverse("platforms:subbase_detail", args=[subbase.pk])
    refused = b.post(detail, {"action": "decide", "decide-decision": "reject", "decide-note": ""})
    assert 'id="error-decide-note"' in refused.content.decode()
    b.post(detail, {"action": "decide", "decide-decision": "recognise", "decide-recognised_on": "2024-02-01"})
    subbase.refresh_from_db()
    assert subbase.state == SubbaseState.RECOGNISED
    page = b.get(reverse("platforms:subbase_list")).content.decode()
    assert "长安数控分基地" in page and "已认定" in page and ">recognised<" not in page


def test_a_report_is_filed_on_the_page_and_evaluated_by_the_bureau(client, enterprise_user, bureau_officer):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    detail = reverse("platforms:subbase_detail", args=[subbase.pk])
    c = _login(client, enterprise_user)
    bad = c.post(
        detail,
        {"action": "report", "report-year": "2024", "report-person_times": "-1", "report-new_courses": ""},
    )
    assert 'id="error-report-person_times"' in bad.content.decode()
    c.post(
        detail,
        {
            "action": "report",
            "report-year": "2024",
            "report-person_times": "15000",
            "report-new_courses": "甲\n乙\n丙\n丁\n戊",
        },
    )
    report = subbase.reports.get()
    c.logout()
    b = _login(client, bureau_officer)
    b.post(detail, {"action": "evaluate", "report": str(report.pk)})
    report.refresh_from_db()
    assert report.passed is True
    assert "合格" in b.get(detail).content.decode()


def test_the_purchase_page_refuses_an_allocation_past_the_quota_next_to_the_places(
    client, enterprise_user, bureau_officer
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    b = _login(client, bureau_officer)
    url = reverse("platforms:subbase_purchases") + f"?year={YEAR}"
    b.post(url, {"action": "quota", "quota-year": str(YEAR), "quota-places": "3000"})
    data = {
        "action": "allocate",
        "allocate-subbase": subbase.pk,
        "allocate-course_name": "数控车",
        "allocate-category": "A",
    }
    b.post(url, {**data, "allocate-places": "2990"})
    refused = b.post(url, {**data, "allocate-places": "11"}).content.decode()
    assert 'id="error-allocate-places"' in refused and "剩余10个" in refused
    assert CourseAllocation.objects.count() == 1
    page = b.get(url).content.decode()
    assert "剩余 10 人" in page


def test_an_allocation_submitted_twice_from_one_form_is_made_once(client, enterprise_user, bureau_officer):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    b = _login(client, bureau_officer)
    url = reverse("platforms:subbase_purchases") + f"?year={YEAR}"
    b.post(url, {"action": "quota", "quota-year": str(YEAR), "quota-places": "3000"})
    page = b.get(url).content.decode()
    key = page.split('name="allocate-request_key" value="')[1].split('"')[0]
    assert len(key) == 32
    data = {
        "action": "allocate",
        "allocate-subbase": subbase.pk,
        "allocate-course_name": "数控车",
        "allocate-category": "A",
        "allocate-places": "100",
        "allocate-request_key": key,
    }
    assert b.post(url, data).status_code == 302
    assert b.post(url, data).status_code == 302  # the double click: the same allocation, not another
    assert CourseAllocation.objects.count() == 1 and CourseAllocation.objects.get().places == 100
    # The key with other values is refused; a fresh form's key allocates again.
    refused = b.post(url, {**data, "allocate-places": "5"}).content.decode()
    assert "该请求标识已用于另一次名额分配" in refused
    assert CourseAllocation.objects.count() == 1
    fresh = b.get(url).content.decode().split('name="allocate-request_key" value="')[1].split('"')[0]
    assert fresh != key
    b.post(url, {**data, "allocate-request_key": fresh})
    assert CourseAllocation.objects.count() == 2


def test_the_course_page_runs_the_class_accepts_and_makes_the_grant_from_the_roster(
    client, enterprise_user, bureau_officer
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    services.quota_set(actor=bureau_officer, year=YEAR, places=3000)
    allocation = services.allocation_create(
        actor=bureau_officer, subbase=subbase, year=YEAR, places=20, course_name="工业机器人", category="A"
    )
    url = reverse("platforms:subbase_course", args=[allocation.pk])
    c = _login(client, enterprise_user)
    occupation = OccupationFactory()
    c.post(
        url,
        {
            "action": "open",
            "open-occupation": occupation.pk,
            "open-start_date": START.isoformat(),
            "open-end_date": END.isoformat(),
        },
    )
    allocation.refresh_from_db()
    assert allocation.state == AllocationState.RUNNING
    roster(allocation, enterprise_user, completed=7, failed=1)
    c.logout()
    b = _login(client, bureau_officer)
    b.post(url, {"action": "accept", "accept-result": "pass", "accept-accepted_on": ACCEPTED_ON.isoformat()})
    allocation.refresh_from_db()
    assert allocation.state == AllocationState.ACCEPTED
    b.logout()
    c = _login(client, enterprise_user)
    page = c.get(url).content.decode()
    assert "结业学员7人" in page and "生成申请" in page
    c.post(url, {"action": "grant"})
    app = Application.objects.get()
    assert app.facts["trainees"] == 7 and app.organisation == subbase.organisation
    page = c.get(url).content.decode()
    assert "生成申请" not in page and "审核中" in page
    mine = c.get(reverse("platforms:subbase_list")).content.decode()
    assert "工业机器人" in mine and "10,500.00" in mine


def test_another_organisations_sub_base_and_course_are_not_found(
    client, enterprise_user, bureau_officer, changan
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    allocation = running_course(bureau_officer, enterprise_user, subbase)
    other = UserFactory(
        username="other_org", role="organisation_user", organisation=OrganisationFactory(town=changan)
    )
    c = _login(client, other)
    assert c.get(reverse("platforms:subbase_detail", args=[subbase.pk])).status_code == 404
    assert c.get(reverse("platforms:subbase_course", args=[allocation.pk])).status_code == 404
    assert c.get(reverse("platforms:subbase_purchases")).status_code == 403


def test_the_bureau_sees_t_subbases_progress(client, enterprise_user, bureau_officer):
    recognised_subbase(bureau_officer, enterprise_user)
    page = _login(client, bureau_officer).get(reverse("platforms:subbase_list")).content.decode()
    assert "已认定 1 / 20 家" in page and "180000" in page


def test_the_public_list_shows_only_recognised_sub_bases_without_login(
    client, enterprise_user, bureau_officer, changan
):
    recognised_subbase(bureau_officer, enterprise_user)
    applicant = UserFactory(
        username="applicant", role="organisation_user", organisation=OrganisationFactory(town=changan)
    )
    services.subbase_apply(actor=applicant, name="尚未认定的分基地", direction="电工")
    page = client.get(reverse("platforms:subbase_public")).content.decode()
    assert "长安精密制造实训分基地" in page and "尚未认定的分基地" not in page


def test_the_bureaus_list_does_not_query_per_sub_base(client, bureau_officer, changan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        for _ in range(n):
            org = OrganisationFactory(town=changan)
            s = services.subbase_apply(
                actor=bureau_officer, organisation=org, name=f"{org.name}分基地", direction="电工"
            )
            services.subbase_recognise(actor=bureau_officer, subbase=s)

    c = _login(client, bureau_officer)
    url = reverse("platforms:subbase_list")
    add(2)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    add(6)
    with CaptureQueriesContext(connection) as many:
        assert "已认定 8 / 20 家" in c.get(url).content.decode()
    assert len(many) == len(few)


def test_an_accepted_course_the_rule_would_refuse_says_why_instead_of_offering_the_claim(
    client, enterprise_user, bureau_officer
):
    subbase = recognised_subbase(bureau_officer, enterprise_user)
    allocation = running_course(bureau_officer, enterprise_user, subbase)
    roster(allocation, enterprise_user, completed=0, failed=2)
    services.allocation_accept(
        actor=bureau_officer, allocation=allocation, passed=True, accepted_on=ACCEPTED_ON
    )
    page = (
        _login(client, enterprise_user)
        .get(reverse("platforms:subbase_course", args=[allocation.pk]))
        .content.decode()
    )
    assert 'id="claim-note"' in page and "学员人数为0" in page and "生成申请" not in page
