"""Issue 13 item 2: the new-project form shows every error at once, each next to its field naming its
label, and its dates render as ISO values after an error."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from skillcity.training.models import TrainingProject

pytestmark = pytest.mark.django_db


def _errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="error-([\w-]+)" data-field="[\w-]+"><li>(.*?)</li>', html))


def test_an_empty_project_form_names_every_required_field_at_once(institution_user, lathe):
    client = Client()
    client.force_login(institution_user)
    response = client.post("/training/projects/new/", {"start_date": "2025-03-01"})
    assert response.status_code == 400
    html = response.content.decode()
    errors = _errors(html)
    assert errors == {
        "name": "请填写“项目名称”",
        "occupation": "请选择“职业（工种）”",
        "per_person_standard": "请填写“每人补贴标准（元）”",
        "capacity": "请填写“计划人数”",
        "end_date": "请填写“结束日期”",
    }
    assert "请修正以下 5 处错误" in html
    assert 'name="start_date" value="2025-03-01"' in html  # ISO, so the browser keeps it
    assert not TrainingProject.objects.exists()


def test_out_of_range_values_and_reversed_dates_are_all_named_next_to_their_fields(institution_user, lathe):
    client = Client()
    client.force_login(institution_user)
    form = {"name": "车工", "occupation": lathe.code, "per_person_standard": "1e25", "capacity": "0",
            "start_date": "2025-06-30", "end_date": "2025-03-01"}  # fmt: skip
    errors = _errors(client.post("/training/projects/new/", form).content.decode())
    assert set(errors) == {"per_person_standard", "capacity"}
    assert errors["capacity"].startswith("“计划人数”：")
    form.update(per_person_standard="2000", capacity="10")
    errors = _errors(client.post("/training/projects/new/", form).content.decode())
    assert errors == {"end_date": "结束日期不能早于开始日期"}
