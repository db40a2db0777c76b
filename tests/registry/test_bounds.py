"""Filters, page numbers, PATCH bodies and head counts of the registry (and the alliance list that
shares its filters) have bounds: the API answers 422 naming the field, a page or an export answers
the list with a message naming the filter, and nothing stored can make a list fail (issue 12 §2)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from skillcity.accounts.services import token_create
from skillcity.registry.models import Organisation, Worker

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    ("level", "x"),
    ("level", "9"),
    ("town", "99999999999999999999"),
    ("town", "0"),
    ("employer", "99999999999999999999"),
    ("employer", "abc"),
    ("industry", "99999999999999999999"),
    ("industry", "-3"),
    ("page", "999999999999999999"),
    ("page", "0"),
    ("page_size", "501"),
]
API_LISTS = {
    "/api/v1/registry/workers": {"level", "town", "employer", "page", "page_size"},
    "/api/v1/registry/organisations": {"town", "industry", "page", "page_size"},
    "/api/v1/alliances/": {"industry"},
}


def _token_client(user) -> Client:
    clear = token_create(user=user, name="t", actor="t")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {clear}")


def _page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("name", "value"), BAD_QUERIES)
def test_the_api_lists_refuse_a_filter_out_of_bounds_with_422_naming_it(bureau_officer, name, value):
    client = _token_client(bureau_officer)
    for path, names in API_LISTS.items():
        response = client.get(path, {name: value})
        if name in names:
            assert response.status_code == 422, (path, name, value, response.content)
            assert name in response.json()["fields"]
        else:
            assert response.status_code == 200, (path, name, value)


@pytest.mark.parametrize(
    ("path", "query", "label"),
    [
        ("/registry/workers/", "town=99999999999999999999", "所在镇街"),
        ("/registry/workers/", "employer=99999999999999999999", "工作单位"),
        ("/registry/workers/", "town=abc&level=x", "技能等级"),
        ("/registry/organisations/", "industry=abc", "所属产业"),
        ("/registry/organisations/", "town=99999999999999999999", "所在镇街"),
        ("/alliances/", "industry=99999999999999999999", "所属产业"),
    ],
)
def test_the_list_pages_name_a_filter_out_of_bounds_and_show_the_list(
    bureau_officer, changan_worker, path, query, label
):
    client = _page_client(bureau_officer)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "筛选条件无效" in text and label in text
    assert client.get(f"{path}?{query}&page=999999999999999999").status_code == 200


@pytest.mark.parametrize(
    ("export", "back"),
    [
        ("/registry/workers/export.xlsx?town=99999999999999999999", "/registry/workers/"),
        ("/registry/workers/export.xlsx?employer=x", "/registry/workers/"),
        ("/registry/organisations/export.xlsx?industry=99999999999999999999", "/registry/organisations/"),
    ],
)
def test_an_export_with_a_filter_out_of_bounds_goes_back_to_the_list_with_a_message(
    bureau_officer, changan_worker, export, back
):
    response = _page_client(bureau_officer).get(export, follow=True)
    assert response.redirect_chain[0][0].startswith(back)
    assert "筛选条件无效" in response.content.decode()


def test_the_lists_and_exports_still_filter_by_valid_values(bureau_officer, changan_worker, humen_worker):
    api = _token_client(bureau_officer)
    rows = api.get("/api/v1/registry/workers", {"town": changan_worker.town_id, "level": "none"}).json()
    assert [r["id"] for r in rows["results"]] == [changan_worker.pk]
    by_employer = api.get("/api/v1/registry/workers", {"employer": changan_worker.employer_id}).json()
    assert by_employer["count"] == 1
    pages = _page_client(bureau_officer)
    text = pages.get(f"/registry/workers/?town={humen_worker.town_id}").content.decode()
    assert humen_worker.name in text and changan_worker.name not in text and "筛选条件无效" not in text
    export = pages.get(f"/registry/workers/export.xlsx?town={humen_worker.town_id}")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert pages.get("/registry/organisations/export.xlsx").status_code == 200


def _patch(client: Client, path: str, body: str):
    return client.patch(path, body, content_type="application/json")


def test_a_patch_refuses_a_json_array_or_a_string_as_its_body(bureau_officer, changan_worker):
    client = _token_client(bureau_officer)
    for path in (
        f"/api/v1/registry/workers/{changan_worker.pk}",
        f"/api/v1/registry/organisations/{changan_worker.employer_id}",
    ):
        for body in ('[{"name": "改名"}]', "[]", '"改名"', "42"):
            response = _patch(client, path, body)
            assert response.status_code == 422, (path, body, response.content)
            assert response.json()["code"] == "invalid"
    assert Worker.objects.get(pk=changan_worker.pk).name == changan_worker.name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "11010519491231002X"),
        ("highest_level", 3),
        ("occupation", "6-18-01-01"),
        ("gender", "F"),
    ],
)
def test_a_worker_patch_refuses_a_field_that_cannot_change_naming_it(
    bureau_officer, changan_worker, field, value
):
    response = _patch(
        _token_client(bureau_officer),
        f"/api/v1/registry/workers/{changan_worker.pk}",
        json.dumps({"name": "改名", field: value}),
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    assert Worker.objects.get(pk=changan_worker.pk).name == changan_worker.name


def test_a_town_officer_cannot_move_a_worker_to_another_town_and_is_told_so(
    changan_officer, changan_worker, humen
):
    client = _token_client(changan_officer)
    path = f"/api/v1/registry/workers/{changan_worker.pk}"
    response = _patch(client, path, json.dumps({"town": humen.code}))
    assert response.status_code == 422 and "town" in response.json()["fields"]
    assert Worker.objects.get(pk=changan_worker.pk).town_id == changan_worker.town_id
    same = _patch(client, path, json.dumps({"town": changan_worker.town.name, "name": "新名"}))
    assert same.status_code == 200, same.content


def test_an_organisation_patch_refuses_the_uscc_and_a_head_count_out_of_bounds(
    bureau_officer, changan_enterprise
):
    client = _token_client(bureau_officer)
    path = f"/api/v1/registry/organisations/{changan_enterprise.pk}"
    refused = _patch(client, path, json.dumps({"uscc": changan_enterprise.uscc}))
    assert refused.status_code == 422 and "uscc" in refused.json()["fields"]
    for value in (10**20, -1, 1_000_001):
        refused = _patch(client, path, json.dumps({"total_staff": value}))
        assert refused.status_code == 422 and "total_staff" in refused.json()["fields"], value
    assert _patch(client, path, json.dumps({"total_staff": 1_000_000})).status_code == 200
    assert client.get("/api/v1/registry/organisations").status_code == 200


def test_the_organisation_form_names_a_head_count_out_of_bounds_by_its_label(
    bureau_officer, changan_enterprise
):
    client = _page_client(bureau_officer)
    form = {
        "name": changan_enterprise.name,
        "category": changan_enterprise.category,
        "town": changan_enterprise.town.code,
        "total_staff": str(10**20),
    }
    text = client.post(f"/registry/organisations/{changan_enterprise.pk}/edit/", form).content.decode()
    assert "职工总数" in text and "1000000" in text
    assert Organisation.objects.get(pk=changan_enterprise.pk).total_staff == changan_enterprise.total_staff


def test_the_error_messages_are_chinese_and_name_the_limit(bureau_officer):
    body = _token_client(bureau_officer).get("/api/v1/registry/workers", {"page": "0"}).json()
    assert body == {"code": "invalid", "message": "输入有误：page", "fields": {"page": ["不能小于 1"]}}


def test_a_nul_character_in_a_filter_or_a_body_is_refused_not_a_server_error(bureau_officer, changan_worker):
    """PostgreSQL cannot hold NUL in text: it once answered 500 there."""
    api = _token_client(bureau_officer)
    response = api.get("/api/v1/registry/workers?q=%00")
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    patched = _patch(api, f"/api/v1/registry/workers/{changan_worker.pk}", '{"name": "a\\u0000b"}')
    assert patched.status_code == 422
    assert Worker.objects.get(pk=changan_worker.pk).name == changan_worker.name
    page = _page_client(bureau_officer).get("/registry/workers/?q=a%00")
    assert page.status_code == 400 and "空字符" in page.content.decode()
