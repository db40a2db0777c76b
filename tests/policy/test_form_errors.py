"""Issue 13 items 2–3 on the policy pages: every error at once next to its field, naming its label;
ISO dates; today by default; a day out of force says which document ended and offers its last day."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillcity.policy import engine as E
from skillcity.policy.in_force import out_of_force

pytestmark = pytest.mark.django_db

CALCULATOR = "/policy/calculator/"


def _errors_next_to(html: str) -> dict[str, str]:
    return {m[0]: m[1] for m in re.findall(r'id="error-([\w-]+)" data-field="[\w-]+"><li>(.*?)</li>', html)}


def test_the_calculator_shows_every_missing_fact_and_a_bad_date_at_once_naming_labels():
    html = Client().get(CALCULATOR, {"rule": "TRN-SUBBASE-COURSE", "date": "2024/05/01"}).content.decode()
    errors = _errors_next_to(html)
    assert set(errors) == {"date", "course_category", "accepted", "trainees"}
    assert errors["course_category"] == "请选择“课程类别”"
    assert errors["trainees"] == "请填写“学员人数”"
    assert "事件日期" in errors["date"]
    assert "请修正以下 4 处错误" in html  # the top only counts, and links to each field
    assert 'href="#id_trainees"' in html
    assert "缺少此事实" not in html and 'aria-invalid="true"' in html


def test_the_engines_own_check_is_put_next_to_the_field_with_its_label():
    html = (
        Client()
        .get(
            CALCULATOR,
            {
                "rule": "TRN-UPSKILL",
                "date": "2024-05-01",
                "certificate_kind": "skill_level",
                "in_shortage_catalog": "false",
            },
        )
        .content.decode()
    )
    errors = _errors_next_to(html)
    assert "level" in errors and errors["level"].startswith("请填写“技能等级")
    assert "缺少此事实" not in html


def test_the_calculator_opens_on_today_in_iso_form():
    html = Client().get(CALCULATOR, {"rule": "TRN-PROJECT"}).content.decode()
    assert f'type="date" name="date" value="{timezone.localdate().isoformat()}"' in html


def test_a_day_after_the_last_document_names_it_and_offers_its_last_day():
    rule = E.get_rule("TRN-UPSKILL")
    gap = out_of_force(rule, datetime.date(2026, 12, 1))
    assert gap is not None and gap.offered_day == datetime.date(2025, 12, 31)
    assert "2025-12-31 到期" in gap.message() and "D002" in gap.message()
    assert "没有有效版本" not in gap.message()
    assert out_of_force(rule, datetime.date(2024, 6, 1)) is None

    query = {
        "rule": "TRN-UPSKILL",
        "date": "2026-12-01",
        "certificate_kind": "special_operation",
        "in_shortage_catalog": "false",
    }
    html = Client().get(CALCULATOR, query).content.decode()
    assert 'id="not-in-force"' in html and "《" in html and "2025-12-31 到期" in html
    link = re.search(r'id="use-offered-day" href="([^"]+)"', html)
    assert link and "date=2025-12-31" in link[1] and "certificate_kind=special_operation" in link[1]
    followed = Client().get(link[1].replace("&amp;", "&")).content.decode()
    assert 'id="outcome"' in followed and 'id="not-in-force"' not in followed


def test_a_day_before_the_first_document_offers_its_first_day():
    gap = out_of_force(E.get_rule("TRN-PROJECT"), datetime.date(2021, 6, 1))
    assert gap is not None and gap.last_day is None and gap.offered_day == datetime.date(2022, 1, 1)
    assert "尚未施行" in gap.message() and "2022-01-01 起施行" in gap.message()


def test_the_offered_day_opens_the_form_without_evaluating_when_nothing_was_entered(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 12, 6))
    html = Client().get(CALCULATOR, {"rule": "TRN-PROJECT"}).content.decode()
    link = re.search(r'id="use-offered-day" href="([^"]+)"', html)
    assert link and "on=2025-12-31" in link[1]
    opened = Client().get(link[1].replace("&amp;", "&")).content.decode()
    assert 'name="date" value="2025-12-31"' in opened
    assert 'id="not-in-force"' not in opened and "请修正" not in opened


def test_the_simulation_renders_iso_dates_and_defaults_to_this_year_so_far(bureau_officer):
    client = Client()
    client.force_login(bureau_officer)
    html = client.get(reverse("policy:simulate")).content.decode()
    today = timezone.localdate()
    assert f'value="{today.replace(month=1, day=1).isoformat()}"' in html
    assert f'value="{today.isoformat()}"' in html
    assert "/" not in re.search(r'name="date_from" value="([^"]*)"', html)[1]


def test_a_simulation_posted_back_keeps_iso_dates_after_an_error(bureau_officer):
    client = Client()
    client.force_login(bureau_officer)
    html = client.post(
        reverse("policy:simulate"),
        {
            "date_from": "2025-01-01",
            "date_to": "2025-12-31",
            "source": "demo",
            "parameter_0": "TRN-UPSKILL.level3",
        },
    ).content.decode()
    assert 'name="date_from" value="2025-01-01"' in html
    assert _errors_next_to(html)["value_0"] == "请填写“新值”"
    assert "请修正以下 1 处错误" in html


def test_a_missing_fact_and_a_badly_written_amount_show_together():
    html = Client().get(
        CALCULATOR, {"rule": "TRN-PROJECT", "date": "2024-05-01", "project_standard": "1.234"}
    )
    errors = _errors_next_to(html.content.decode())
    assert set(errors) == {"project_standard", "completed"}
    assert "金额最多两位小数" in errors["project_standard"] and "项目" in errors["project_standard"]
