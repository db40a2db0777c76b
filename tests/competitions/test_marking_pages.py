"""The organisers', units' and judges' pages: errors beside their field, masking, locking, confirming."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from skillcity.accounts.models import Role
from skillcity.competitions.models import Competition, ContestProject, Entry, Judge, Mark
from tests.competitions.marking_setup import make_marked, mark_entry
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def _field_error(html: str, field: str) -> str:
    """The error list rendered under a field (`<ul class="errorlist" … data-field="field">`)."""
    match = re.search(rf'<ul class="errorlist" id="error-[^"]*" data-field="{field}">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_the_navbar_shows_competitions_to_organisers_and_not_to_workers(client, enterprise_user, worker_user):
    client.force_login(enterprise_user)
    assert "职业技能竞赛" in client.get("/").content.decode()
    client.force_login(worker_user)
    assert reverse("competitions:competition_list") not in client.get("/").content.decode()


def test_a_worker_who_judges_sees_the_link_to_my_marking(client, bureau_officer):
    m = make_marked(bureau_officer)
    client.force_login(m.judge_users[1])
    html = client.get("/").content.decode()
    assert reverse("competitions:my_marking") in html
    assert m.project.name in client.get(reverse("competitions:my_marking")).content.decode()


def test_the_competition_form_puts_the_missing_town_beside_its_field(client, bureau_officer):
    client.force_login(bureau_officer)
    data = {
        "name": "2025年镇街技能竞赛",
        "level": "town",
        "year": "2025",
        "starts_on": "2025-05-01",
        "ends_on": "2025-05-02",
        "organiser_name": "长安镇人社分局",
        "gold_places": "1",
        "silver_places": "2",
        "bronze_places": "3",
        "excellence_places": "4",
        "pass_mark": "60",
    }
    response = client.post(reverse("competitions:competition_create"), data)
    assert response.status_code == 400
    assert "镇街竞赛须选择镇街" in _field_error(response.content.decode(), "town")
    data.update(
        {"level": "city_class1", "band_1_from": "1", "band_1_to": "3", "band_1_level": "2", "pass_level": "4"}
    )
    response = client.post(reverse("competitions:competition_create"), data)
    assert response.status_code == 302
    competition = Competition.objects.get()
    assert competition.promotion_rule == {"bands": [{"from": 1, "to": 3, "level": 2}], "pass_level": 4}
    page = client.get(response["Location"]).content.decode()
    assert "第1–3名晋升2级" in page and "金奖 1" in page


def test_an_organisation_creates_its_own_competition_and_a_project(
    client, enterprise_user, changan_enterprise
):
    from tests.factories import OccupationFactory

    OccupationFactory(code="6-18-01-01")
    client.force_login(enterprise_user)
    form = client.get(reverse("competitions:competition_create")).content.decode()
    assert "organiser_uscc" not in form and changan_enterprise.name in form
    response = client.post(
        reverse("competitions:competition_create"),
        {
            "name": "长安精密杯",
            "level": "city_class2",
            "year": "2025",
            "starts_on": "2025-05-01",
            "ends_on": "2025-05-02",
            "gold_places": "1",
            "silver_places": "2",
            "bronze_places": "3",
            "excellence_places": "4",
            "pass_mark": "60",
        },
    )
    competition = Competition.objects.get(organiser=changan_enterprise)
    project_url = reverse("competitions:project_create", args=[competition.pk])
    bad = {
        "name": "数控车",
        "occupation": "9-99",
        "level": "3",
        "starts_on": "2025-05-02",
        "ends_on": "2025-05-01",
    }
    response = client.post(project_url, {**bad, "team_size": "1"})
    assert response.status_code == 400
    assert "没有该编码的职业" in _field_error(response.content.decode(), "occupation")
    response = client.post(project_url, {**bad, "occupation": "6-18-01-01", "team_size": "1"})
    assert "不能早于开始日期" in _field_error(response.content.decode(), "ends_on")
    response = client.post(
        project_url, {**bad, "occupation": "6-18-01-01", "ends_on": "2025-05-03", "team_size": "1"}
    )
    assert response.status_code == 302
    assert ContestProject.objects.filter(competition=competition).count() == 1


def test_the_judge_conflict_is_shown_next_to_the_id_number(client, bureau_officer):
    m = make_marked(bureau_officer)
    colleague = WorkerFactory(employer=m.units[0])
    client.force_login(m.organiser_user)
    response = client.post(
        reverse("competitions:judge_assign", args=[m.project.pk]), {"id_number": colleague.id_number}
    )
    assert response.status_code == 400
    error = _field_error(response.content.decode(), "id_number")
    assert m.units[0].name in error and "回避" in error
    assert not Judge.objects.filter(worker=colleague).exists()


def test_the_scheme_page_shows_each_bad_cell_beside_it_and_saves_good_rows(client, bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    client.force_login(m.organiser_user)
    url = reverse("competitions:scheme_edit", args=[m.project.pk])
    page = client.get(url).content.decode()
    assert 'value="尺寸精度"' in page
    row = {"r1_section_code": "M1", "r1_section_name": "车削", "r1_code": "M1.1", "r1_description": "外圆"}
    response = client.post(url, {**row, "r1_kind": "测量", "r1_max_mark": "120", "rows": "10"})
    assert response.status_code == 400
    assert "分值" in response.content.decode() and 'id="error-r1_max_mark"' in response.content.decode()
    response = client.post(url, {**row, "r1_kind": "评价", "r1_max_mark": "12", "rows": "10"})
    assert response.status_code == 302
    assert list(m.project.sections.get().aspects.values_list("code", "kind")) == [("M1.1", "judgement")]


def test_a_bad_xlsx_upload_lists_its_rows_on_the_project_page(client, bureau_officer):
    from tests.competitions.test_marking_xlsx import _xlsx

    m = make_marked(bureau_officer, entries=0)
    client.force_login(m.organiser_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.xlsx", _xlsx([["M1", "车削", "M1.1", "外圆", "打分", 10]]))
    response = client.post(
        reverse("competitions:scheme_import", args=[m.project.pk]), {"file": upload}, follow=True
    )
    html = response.content.decode()
    assert "第 2 行 评分方式" in html and "未改变" in html


def test_a_unit_registers_its_worker_and_sees_the_id_masked(client, bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    Competition.objects.filter(pk=m.competition.pk).update(state="published")
    unit = OrganisationFactory(name="东莞市报名测试有限公司")
    unit_user = UserFactory(role=Role.ORGANISATION_USER, organisation=unit)
    player = WorkerFactory(employer=unit, name="李选手")
    outsider = WorkerFactory(employer=OrganisationFactory())
    client.force_login(unit_user)
    assert m.project.name in client.get(reverse("competitions:unit_home")).content.decode()
    url = reverse("competitions:entry_register", args=[m.project.pk])
    response = client.post(url, {"player_1": outsider.id_number, "coach_name": "王教练"})
    assert response.status_code == 400
    assert "本单位登记的职工中没有该身份证号码" in _field_error(response.content.decode(), "player_1")
    response = client.post(url, {"player_1": player.id_number, "coach_name": "王教练"})
    assert response.status_code == 302
    html = client.get(reverse("competitions:unit_home")).content.decode()
    assert "李选手" in html and player.id_number_masked in html and player.id_number not in html
    assert Entry.objects.get().coach_label == "王教练"


def test_a_unit_user_cannot_open_the_judges_or_another_organisers_pages(
    client, bureau_officer, enterprise_user
):
    m = make_marked(bureau_officer)
    client.force_login(enterprise_user)
    assert client.get(reverse("competitions:project_detail", args=[m.project.pk])).status_code == 404
    assert client.get(reverse("competitions:judge_project", args=[m.judges[0].pk])).status_code == 404


def test_the_marking_sheet_saves_a_draft_submits_locks_and_takes_a_correction(client, bureau_officer):
    m = make_marked(bureau_officer)
    judge, entry = m.judges[0], m.entries[0]
    client.force_login(m.judge_users[0])
    url = reverse("competitions:marking_sheet", args=[judge.pk, entry.pk])
    page = client.get(url).content.decode()
    assert "尺寸精度" in page and 'inputmode="numeric"' in page
    measured, judged = f"score_{m.measurement.pk}", f"score_{m.judgement.pk}"
    response = client.post(url, {measured: "25", judged: "2", "save": "1"})
    assert response.status_code == 400
    assert "A1 尺寸精度" in _field_error(response.content.decode(), measured)
    assert not Mark.objects.exists()
    assert client.post(url, {measured: "15.5", judged: "2", "save": "1"}).status_code == 302
    assert set(Mark.objects.values_list("state", flat=True)) == {"draft"}
    assert client.post(url, {measured: "16", judged: "2", "submit": "1"}).status_code == 302
    page = client.get(url).content.decode()
    assert f'name="{measured}"' not in page and "已提交 · 锁定" in page
    mark = Mark.objects.get(aspect=m.measurement)
    correct_url = reverse("competitions:mark_correct", args=[judge.pk, mark.pk])
    response = client.post(correct_url, {"score": "17", "reason": ""})
    assert response.status_code == 400 and "更正原因" in response.content.decode()
    assert client.post(correct_url, {"score": "17", "reason": "读数看错"}).status_code == 302
    assert Mark.objects.filter(aspect=m.measurement).count() == 2
    assert "读数看错" in client.get(url).content.decode()


def test_the_chief_judge_sees_spread_flags_and_confirms(client, bureau_officer):
    m = make_marked(bureau_officer)
    mark_entry(m, m.entries[0], "18", (0, 2, 3))
    client.force_login(m.judge_users[0])
    url = reverse("competitions:judge_project", args=[m.judges[0].pk])
    page = client.get(url).content.decode()
    assert 'data-testid="spread-flag"' in page and "评分尚未完成" in page
    mark_entry(m, m.entries[1], "10", (1, 1, 1))
    response = client.post(reverse("competitions:results_confirm", args=[m.judges[0].pk]), follow=True)
    assert "成绩已确认并公布" in response.content.decode()
    assert ContestProject.objects.get(pk=m.project.pk).state == "confirmed"
    # Another judge sees no chief section and cannot confirm.
    client.force_login(m.judge_users[1])
    assert (
        'id="chief"'
        not in client.get(reverse("competitions:judge_project", args=[m.judges[1].pk])).content.decode()
    )


def test_the_judges_pages_speak_english_when_chosen(client, bureau_officer):
    m = make_marked(bureau_officer)
    client.force_login(m.judge_users[0])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(
        reverse("competitions:marking_sheet", args=[m.judges[0].pk, m.entries[0].pk])
    ).content.decode()
    assert "Save draft" in html and "Submit (locks the marks)" in html and "暂存" not in html
    assert (
        "Chief judge: review and confirm"
        in client.get(reverse("competitions:judge_project", args=[m.judges[0].pk])).content.decode()
    )


def test_the_project_page_offers_the_scheme_edit_only_until_the_first_mark(client, bureau_officer):
    from skillcity.competitions.services import marking

    m = make_marked(bureau_officer)
    client.force_login(m.organiser_user)
    url = reverse("competitions:project_detail", args=[m.project.pk])
    assert 'id="scheme-edit"' in client.get(url).content.decode()
    scores = {m.measurement.pk: "10"}
    marking.marks_save(judge=m.judges[0], entry=m.entries[0], actor=m.judge_users[0], scores=scores)
    html = client.get(url).content.decode()
    assert (
        'id="scheme-edit"' not in html and 'id="scheme-import"' not in html and 'id="scheme-locked"' in html
    )
