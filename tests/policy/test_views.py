"""The policy pages: the public calculator, the bureau's rules page and the what-if page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from skillcity.policy import engine as E
from skillcity.policy.forms import FactForm, default_date

pytestmark = pytest.mark.django_db

CALCULATOR = "/policy/calculator/"


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_the_calculator_is_public_and_lists_rules_grouped_by_area():
    response = _client().get(reverse("policy:calculator"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<optgroup label="职业培训">' in html and '<optgroup label="技能人才">' in html
    assert '<option value="TRN-PROJECT">项目制培训补贴</option>' in html


def test_it_builds_the_form_from_the_rules_facts():
    html = _client().get(CALCULATOR, {"rule": "TRN-UPSKILL"}).content.decode()
    # choice → select with the rule's codes; bool → yes/no select; level → number 1–5; optional text marked.
    assert 'name="certificate_kind"' in html and 'value="special_operation"' in html
    assert '<select name="in_shortage_catalog"' in html and 'value="true"' in html
    assert 'type="number" name="level"' in html and 'min="1"' in html and 'max="5"' in html
    assert "技能等级（1–5，仅职业技能等级证书）（可不填）" in html
    assert "职业（工种）代码（可不填，仅作记录）<" in html  # not marked twice
    assert 'id="outcome"' not in html  # nothing evaluated until the form is sent


def test_default_date_moves_to_the_last_day_in_force_for_the_application_form():
    # The grants application form still opens on the nearest day in force; the calculator opens on today.
    rule = E.get_rule("TRN-PROJECT")
    assert default_date(rule, datetime.date(2026, 11, 23)) == (datetime.date(2025, 12, 31), True)
    assert default_date(rule, datetime.date(2024, 6, 1)) == (datetime.date(2024, 6, 1), False)
    assert default_date(rule, datetime.date(2020, 6, 1)) == (datetime.date(2022, 1, 1), True)


def test_it_shows_the_outcome_with_trace_clause_text_and_assumption_marks():
    response = _client().get(
        CALCULATOR,
        {
            "rule": "TRN-UPSKILL",
            "date": "2024-05-01",
            "certificate_kind": "skill_level",
            "level": "3",
            "in_shortage_catalog": "true",
        },
    )
    html = response.content.decode()
    expected = E.evaluate(
        "TRN-UPSKILL",
        "2024-05-01",
        {"certificate_kind": "skill_level", "level": 3, "in_shortage_catalog": True},
    )
    assert expected.amount == Decimal("2600.00")
    assert '<span class="sc-stat" id="outcome-amount">2,600.00</span>' in html
    assert '<strong id="outcome-basis">定额</strong>' in html
    assert "劳动者本人" in html  # payee in Chinese
    assert (
        'id="outcome-trace"' in html and "紧缺急需工种高级及以上补贴上浮系数" in html and "D002 第8条" in html
    )
    # The clause text the parameters quote, and every assumption mark as a muted badge.
    assert "补贴标准适当上浮30%" in html
    for mark in expected.assumptions:
        assert f'sc-muted-mark text-wrap text-start me-1 mb-1">{mark}</span>' in html
    assert "演示值" in html


def test_a_bad_fact_is_shown_next_to_its_field():
    html = (
        _client()
        .get(
            CALCULATOR,
            {"rule": "TRN-PROJECT", "date": "2024-05-01", "project_standard": "12.345", "completed": "true"},
        )
        .content.decode()
    )
    assert 'id="error-project_standard"' in html
    assert "金额最多两位小数" in html
    assert 'id="outcome"' not in html


def test_a_missing_required_fact_and_a_non_number_are_named():
    html = (
        _client()
        .get(
            CALCULATOR,
            {"rule": "TRN-SUBBASE-COURSE", "date": "2024-05-01", "course_category": "A", "trainees": "x"},
        )
        .content.decode()
    )
    assert 'id="error-trainees"' in html and "应为整数" in html
    html = (
        _client()
        .get(
            CALCULATOR,
            {"rule": "TRN-SUBBASE-COURSE", "date": "2024-05-01", "course_category": "A", "trainees": "3"},
        )
        .content.decode()
    )
    assert 'id="error-accepted"' in html and "缺少此事实" not in html
    assert "请选择“课程已完成并通过验收”" in html


def test_a_date_outside_the_rule_shows_its_validity():
    html = (
        _client()
        .get(
            CALCULATOR,
            {"rule": "TRN-PROJECT", "date": "2021-06-01", "project_standard": "2000", "completed": "true"},
        )
        .content.decode()
    )
    assert 'id="not-in-force"' in html
    assert "2021-06-01" in html and "2022-01-01 至 2025-12-31" in html


def test_an_unknown_rule_is_a_404_with_a_message():
    response = _client().get(CALCULATOR, {"rule": "NOPE"})
    assert response.status_code == 404
    assert "未知的规则编号" in response.content.decode()


def test_crt_ent_shows_its_components_and_tal_leading_its_ranges():
    html = (
        _client()
        .get(
            CALCULATOR,
            {
                "rule": "CRT-ENT",
                "date": "2024-05-01",
                "filed_and_certifying": "true",
                "qbank_filed": "true",
                "shortage_certification": "false",
                "year_new_certificates": "1200",
                "year_new_certificates_level2_or_higher": "30",
                "provincial_social_org": "false",
                "already_received": "0",
            },
        )
        .content.decode()
    )
    assert 'id="outcome-components"' in html and "开发题（卷）库并通过备案" in html
    # On a phone each table is cards (web/cards.css): every cell of every row led by its heading.
    for table in ("outcome-components", "outcome-trace"):
        assert f'class="table table-sm sc-cards" id="{table}"' in html or f'sc-cards" id="{table}"' in html
    components = html[
        html.index('id="outcome-components"') : html.index("</table>", html.index('id="outcome-components"'))
    ]
    assert components.count("<td") == components.count('<td data-label="') + components.count(
        '<td class="small" data-label="'
    )
    html = _client().get(CALCULATOR, {"rule": "TAL-LEADING", "date": "2024-05-01"}).content.decode()
    assert 'sc-cards" id="outcome-ranges"' in html
    assert "购房补贴" in html and "1000000.00" in html and "6000000.00" in html


def test_the_form_turns_strings_into_the_engines_types():
    rule = E.get_rule("TAL-CARD")
    form = FactForm(rule, {"titles": [], "highest_skill_level": "2", "date": "2024-01-01"})
    assert form.is_valid()
    assert form.facts() == {"titles": [], "highest_skill_level": 2}
    form = FactForm(
        E.get_rule("TRN-SHORTAGE"),
        {"occupation_code": "6-18", "catalog_occupation_codes": "a\n\n b \n", "date": "2024-01-01"},
    )
    assert form.is_valid()
    assert form.facts() == {"occupation_code": "6-18", "catalog_occupation_codes": ["a", "b"]}


def test_the_rules_page_refuses_a_town_officer_and_sends_the_public_to_login(changan_officer):
    assert _client(changan_officer).get(reverse("policy:rules")).status_code == 403
    response = _client().get(reverse("policy:rules"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_rules_page_shows_each_rule_and_its_parameter_history(bureau_officer):
    response = _client(bureau_officer).get(reverse("policy:rules"))
    assert response.status_code == 200
    html = response.content.decode()
    for rule in E.load_rules().values():
        assert f'id="rule-{rule.id}"' in html
    # A parameter with two dated versions: both rows, with their dates, sources and clause texts.
    assert html.count('data-parameter="TRN-UPSKILL.shortage_uplift"') == 2
    assert "2022-12-31" in html and "§一(三)三" in html
    assert "其中对纳入我市紧缺急需工种目录且高级工（三级）及以上级别的高技能人才工种项目" in html
    assert "sc-muted-mark" in html and "D002为征求意见稿" in html


def test_the_simulate_page_refuses_a_town_officer(changan_officer):
    assert _client(changan_officer).get(reverse("policy:simulate")).status_code == 403
    assert _client(changan_officer).post(reverse("policy:simulate"), {}).status_code == 403


def test_the_simulate_page_lists_parameters_with_current_values(bureau_officer):
    html = _client(bureau_officer).get(reverse("policy:simulate")).content.decode()
    assert 'value="TRN-PROJECT.cap"' in html and "项目制培训补贴每人每项目上限（当前 " in html
    assert "TRN-PROJECT.cap ·" not in html and "当前 True" not in html and "当前 False" not in html


def test_the_simulate_page_runs_an_uploaded_csv_with_a_chart(bureau_officer):
    upload = SimpleUploadedFile(
        "cases.csv",
        (
            "rule,date,town,project_standard,completed\n"
            "TRN-PROJECT,2024-03-01,长安镇,2800,true\n"
            "TRN-PROJECT,2024-04-01,虎门镇,3200,true\n"
        ).encode(),
        content_type="text/csv",
    )
    response = _client(bureau_officer).post(
        reverse("policy:simulate"),
        {
            "parameter_0": "TRN-PROJECT.cap",
            "value_0": "2500",
            "date_from": "2024-01-01",
            "date_to": "2024-12-31",
            "source": "upload",
            "cases": upload,
        },
    )
    html = response.content.decode()
    assert 'id="simulate-result"' in html
    # Baseline 2800 + 3000 (cap) = 5800; scenario 2500 + 2500 = 5000.
    assert '<div class="sc-stat" id="total-difference">-800.00</div>' in html
    assert 'id="chart-by-rule"' in html and "vendor/echarts.min.js" in html
    assert 'id="simulate-chart"' in html


def test_the_simulate_page_runs_the_demo_source(bureau_officer):
    response = _client(bureau_officer).post(
        reverse("policy:simulate"),
        {
            "parameter_0": "TRN-UPSKILL.level3",
            "value_0": "2100",
            "date_from": "2024-01-01",
            "date_to": "2024-12-31",
            "source": "demo",
        },
    )
    html = response.content.decode()
    assert 'id="simulate-result"' in html and 'data-key="TRN-UPSKILL"' in html


def test_the_simulate_page_names_a_bad_value_next_to_its_row(bureau_officer):
    response = _client(bureau_officer).post(
        reverse("policy:simulate"),
        {
            "parameter_0": "TRN-UPSKILL.shortage_max_level",
            "value_0": "3.5",
            "date_from": "2024-01-01",
            "date_to": "2024-12-31",
            "source": "demo",
        },
    )
    html = response.content.decode()
    assert 'id="simulate-error"' in html and 'id="error-value_0"' in html
    assert 'id="simulate-result"' not in html


def test_the_simulate_page_wants_a_file_for_an_upload_and_ordered_dates(bureau_officer):
    html = (
        _client(bureau_officer)
        .post(
            reverse("policy:simulate"),
            {"date_from": "2024-12-31", "date_to": "2024-01-01", "source": "upload"},
        )
        .content.decode()
    )
    assert 'id="error-cases"' in html and 'id="error-date_to"' in html


@pytest.mark.parametrize("typed", ["20240101", "2024-W01-1", "2024/01/01", "２０２４-０１-０１"])
def test_the_simulate_page_takes_iso_dates_only_and_names_the_field(bureau_officer, typed):
    response = _client(bureau_officer).post(
        reverse("policy:simulate"),
        {
            "parameter_0": "TRN-UPSKILL.level3",
            "value_0": "2100",
            "date_from": typed,
            "date_to": "2024-12-31",
            "source": "demo",
        },
    )
    html = response.content.decode()
    assert 'id="error-date_from"' in html and "开始日期：日期应为 YYYY-MM-DD 格式" in html
    assert 'id="simulate-result"' not in html
