"""Issue 13 item 2: the certificate lookup sent empty says what to fill in, next to each field."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_an_empty_lookup_names_both_fields(client):
    response = client.get(reverse("certification:verify"), {"number": "", "name": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-number" data-field="number"><li>请填写“证书编号”</li>' in html
    assert 'id="error-name" data-field="name"><li>请填写“持证人姓名”</li>' in html
    assert "请修正以下 2 处错误" in html


def test_a_lookup_with_only_the_number_names_the_missing_name(client):
    html = client.get(reverse("certification:verify"), {"number": "Y000144190001243000001"}).content.decode()
    assert 'id="error-name"' in html and 'id="error-number"' not in html
    assert 'value="Y000144190001243000001"' in html


def test_the_unsent_form_explains_what_to_fill_in_without_errors(client):
    html = client.get(reverse("certification:verify")).content.decode()
    assert "请填写证书编号和持证人姓名" in html and "请修正" not in html
