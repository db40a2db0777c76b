import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from skillcity.core.models import AuditEvent
from skillcity.registry.models import Organisation, Worker
from tests.conftest import PASSWORD
from tests.factories import make_resident_id, make_uscc


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client, changan_worker):
    response = client.get(reverse("registry:worker_detail", args=[changan_worker.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_town_officer_sees_only_their_town_in_the_list(
    as_user, changan_officer, changan_worker, humen_worker
):
    page = as_user(changan_officer).get(reverse("registry:worker_list")).content.decode()
    assert changan_worker.name in page
    assert humen_worker.name not in page


@pytest.mark.django_db
def test_a_town_officer_cannot_open_another_towns_worker(as_user, changan_officer, humen_worker):
    response = as_user(changan_officer).get(reverse("registry:worker_detail", args=[humen_worker.pk]))
    assert response.status_code == 404
    assert "记录不存在或您无权查看" in response.content.decode()


@pytest.mark.django_db
def test_a_town_officer_cannot_edit_another_towns_worker(as_user, changan_officer, humen_worker):
    client = as_user(changan_officer)
    response = client.post(
        reverse("registry:worker_edit", args=[humen_worker.pk]), {"name": "改名", "town": "441900119000"}
    )
    assert response.status_code == 404
    humen_worker.refresh_from_db()
    assert humen_worker.name == "黄虎门"


@pytest.mark.django_db
def test_the_detail_page_masks_the_id_number(as_user, changan_officer, changan_worker):
    page = (
        as_user(changan_officer)
        .get(reverse("registry:worker_detail", args=[changan_worker.pk]))
        .content.decode()
    )
    assert changan_worker.id_number_masked in page
    assert changan_worker.id_number not in page
    assert changan_worker.phone not in page


@pytest.mark.django_db
def test_revealing_the_full_id_is_audited(as_user, changan_officer, changan_worker):
    client = as_user(changan_officer)
    before = AuditEvent.objects.filter(action="personal_data.view").count()
    response = client.post(
        reverse("registry:worker_reveal", args=[changan_worker.pk]), {"field": "id_number"}
    )
    assert response.json()["value"] == changan_worker.id_number
    assert AuditEvent.objects.filter(action="personal_data.view").count() == before + 1


@pytest.mark.django_db
def test_an_enterprise_user_cannot_reveal_full_numbers(as_user, enterprise_user, changan_worker):
    response = as_user(enterprise_user).post(
        reverse("registry:worker_reveal", args=[changan_worker.pk]), {"field": "id_number"}
    )
    assert response.status_code == 403
    assert changan_worker.id_number not in response.content.decode()


@pytest.mark.django_db
def test_a_town_officer_registers_a_worker_in_their_own_town(as_user, changan_officer, changan, humen):
    number = make_resident_id()
    response = as_user(changan_officer).post(
        reverse("registry:worker_create"),
        {
            "name": "新员工",
            "id_number": number,
            "phone": "13912345678",
            "town": humen.code,
        },
    )
    assert response.status_code == 302
    worker = Worker.objects.get(id_number=number)
    assert worker.town == changan  # forced to the officer's own town
    assert worker.gender == "M" and str(worker.birth_date) == "1990-05-17"


@pytest.mark.django_db
def test_a_duplicate_id_number_is_refused_with_the_field_named(
    as_user, bureau_officer, changan_worker, changan
):
    response = as_user(bureau_officer).post(
        reverse("registry:worker_create"),
        {
            "name": "重复",
            "id_number": changan_worker.id_number,
            "town": changan.code,
        },
    )
    assert response.status_code == 200
    assert "该身份证号码已登记" in response.content.decode()
    assert Worker.objects.filter(id_number=changan_worker.id_number).count() == 1


@pytest.mark.django_db
def test_inconsistent_staff_counts_are_refused(as_user, bureau_officer, changan):
    response = as_user(bureau_officer).post(
        reverse("registry:organisation_create"),
        {
            "name": "东莞市测试有限公司",
            "category": "enterprise",
            "uscc": make_uscc(),
            "town": changan.code,
            "total_staff": "10",
            "managers": "11",
        },
    )
    assert "不能超过职工总数" in response.content.decode()
    assert not Organisation.objects.filter(name="东莞市测试有限公司").exists()


def _csv(rows):
    return io.BytesIO("\n".join(",".join(r) for r in rows).encode("utf-8"))


@pytest.mark.django_db
def test_an_import_with_a_bad_row_writes_nothing_and_lists_every_bad_row(
    as_user, changan_officer, changan, humen
):
    # 虎门镇 is made here: a transactional test run before this one in the same process empties the towns.
    good = make_resident_id()
    upload = _csv(
        [
            ["姓名", "身份证号码", "手机号码", "所在镇街"],
            ["甲", good, "13800000001", "长安镇"],
            ["乙", "441900199001011234", "13800000002", "长安镇"],
            ["丙", make_resident_id(), "12345", "虎门镇"],
        ]
    )
    upload.name = "workers.csv"
    response = as_user(changan_officer).post(reverse("registry:import", args=["workers"]), {"file": upload})
    page = response.content.decode()
    assert "校验位错误" in page
    assert "手机号码应为" in page
    assert "只能导入本镇街" in page
    assert not Worker.objects.filter(id_number=good).exists()


@pytest.mark.django_db
def test_a_clean_import_creates_every_row_with_an_audit_row_each(as_user, bureau_officer, changan):
    numbers = [make_resident_id() for _ in range(3)]
    upload = _csv([["name", "id_number", "town"], *[[f"工{i}", n, "长安镇"] for i, n in enumerate(numbers)]])
    upload.name = "workers.csv"
    response = as_user(bureau_officer).post(reverse("registry:import", args=["workers"]), {"file": upload})
    assert response.status_code == 302
    assert Worker.objects.filter(id_number__in=numbers).count() == 3
    assert AuditEvent.objects.filter(action="worker.import").count() == 3


@pytest.mark.django_db
def test_a_gb18030_csv_from_chinese_excel_is_read(as_user, bureau_officer, changan):
    number = make_resident_id()
    upload = io.BytesIO(f"姓名,身份证号码,所在镇街\n陈,{number},长安镇\n".encode("gb18030"))
    upload.name = "workers.csv"
    as_user(bureau_officer).post(reverse("registry:import", args=["workers"]), {"file": upload})
    assert Worker.objects.filter(id_number=number).exists()


@pytest.mark.django_db
def test_the_export_is_masked_and_follows_the_filters(as_user, changan_officer, changan_worker, humen_worker):
    response = as_user(changan_officer).get(reverse("registry:worker_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名"
    assert [r[0] for r in rows[1:]] == [changan_worker.name]
    assert rows[1][1] == changan_worker.id_number_masked


@pytest.mark.django_db
def test_a_full_export_is_for_bureau_officers_only(as_user, changan_officer):
    assert as_user(changan_officer).get(reverse("registry:worker_export") + "?full=1").status_code == 403


@pytest.mark.django_db
def test_the_worker_list_query_count_does_not_grow_with_rows(
    as_user, bureau_officer, changan_worker, humen_worker, django_assert_max_num_queries
):
    client = as_user(bureau_officer)
    with django_assert_max_num_queries(8):
        client.get(reverse("registry:worker_list"))


@pytest.mark.django_db
def test_the_language_switch_shows_english(client, bureau_officer):
    client.force_login(bureau_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("registry:worker_list")).content.decode()
    assert "Workers" in page


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, bureau_officer, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "bureau_officer", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "bureau_officer", "password": PASSWORD})
    assert response.status_code == 429


def _export_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]


@pytest.mark.django_db
def test_a_town_officer_cannot_export_another_town_by_filtering_for_it(
    as_user, changan_officer, changan_worker, humen_worker
):
    response = as_user(changan_officer).get(reverse("registry:worker_export"), {"town": humen_worker.town_id})
    assert [r[0] for r in _export_rows(response)] == [changan_worker.name]


@pytest.mark.django_db
def test_a_bureau_officers_full_export_shows_full_numbers_and_is_audited(
    as_user, bureau_officer, changan_worker
):
    response = as_user(bureau_officer).get(reverse("registry:worker_export"), {"full": "1"})
    assert [r[1] for r in _export_rows(response)] == [changan_worker.id_number]
    assert AuditEvent.objects.filter(action="personal_data.export", actor=bureau_officer).count() == 1


@pytest.mark.django_db
def test_a_plain_export_writes_no_personal_data_audit_row(as_user, bureau_officer, changan_worker):
    response = as_user(bureau_officer).get(reverse("registry:worker_export"))
    assert changan_worker.id_number.encode() not in response.content
    assert not AuditEvent.objects.filter(action="personal_data.export").exists()


@pytest.mark.django_db
def test_a_town_officer_cannot_reveal_another_towns_worker(as_user, changan_officer, humen_worker):
    response = as_user(changan_officer).post(
        reverse("registry:worker_reveal", args=[humen_worker.pk]), {"field": "id_number"}
    )
    assert response.status_code == 404
    assert humen_worker.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()


@pytest.mark.django_db
def test_reveal_must_be_a_post(as_user, changan_officer, changan_worker):
    response = as_user(changan_officer).get(reverse("registry:worker_reveal", args=[changan_worker.pk]))
    assert response.status_code == 405


@pytest.mark.django_db
def test_an_officer_adds_a_skill_record_and_the_highest_level_follows(
    as_user, changan_officer, changan_worker
):
    url = reverse("registry:skill_record_add", args=[changan_worker.pk])
    response = as_user(changan_officer).post(
        url, {"kind": "skill_level", "level": "2", "obtained_on": "2024-03-01", "certificate_number": "S1"}
    )
    assert response.status_code == 302
    changan_worker.refresh_from_db()
    assert changan_worker.highest_level == 2
    assert AuditEvent.objects.filter(action="skill_record.add").count() == 1


@pytest.mark.django_db
def test_a_skill_record_without_a_level_is_refused_under_the_field(as_user, bureau_officer, changan_worker):
    url = reverse("registry:skill_record_add", args=[changan_worker.pk])
    response = as_user(bureau_officer).post(url, {"kind": "skill_level", "obtained_on": "2024-03-01"})
    assert response.status_code == 200
    assert "技能等级应为1-5" in response.content.decode()
    assert not changan_worker.skill_records.exists()


@pytest.mark.django_db
def test_a_town_officer_cannot_add_a_record_to_another_towns_worker(as_user, changan_officer, humen_worker):
    url = reverse("registry:skill_record_add", args=[humen_worker.pk])
    client = as_user(changan_officer)
    assert client.get(url).status_code == 404
    response = client.post(url, {"kind": "skill_level", "level": "1", "obtained_on": "2024-03-01"})
    assert response.status_code == 404
    assert not humen_worker.skill_records.exists()


@pytest.mark.django_db
def test_an_organisation_user_cannot_add_skill_records_or_create_workers(
    as_user, enterprise_user, changan_worker
):
    client = as_user(enterprise_user)
    assert client.get(reverse("registry:skill_record_add", args=[changan_worker.pk])).status_code == 403
    assert client.get(reverse("registry:worker_create")).status_code == 403
    assert client.get(reverse("registry:worker_import")).status_code == 403


@pytest.mark.django_db
def test_a_worker_sees_no_one_elses_record(as_user, worker_user, humen_worker):
    assert (
        as_user(worker_user).get(reverse("registry:worker_detail", args=[humen_worker.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_the_worker_import_page_has_its_own_url(as_user, bureau_officer, changan):
    upload = io.BytesIO(f"姓名,身份证号码,所在镇街\n甲,{make_resident_id()},长安镇\n".encode())
    upload.name = "w.csv"
    response = as_user(bureau_officer).post("/registry/workers/import/", {"file": upload})
    assert response.status_code == 302
    assert Worker.objects.filter(name="甲").exists()


@pytest.mark.django_db
def test_the_high_skilled_filter_and_a_bad_level_parameter(
    as_user, bureau_officer, changan_worker, humen_worker
):
    Worker.objects.filter(pk=changan_worker.pk).update(highest_level=2)
    Worker.objects.filter(pk=humen_worker.pk).update(highest_level=5)
    client = as_user(bureau_officer)
    page = client.get(reverse("registry:worker_list"), {"high_skilled": "1"}).content.decode()
    assert changan_worker.name in page and humen_worker.name not in page
    assert client.get(reverse("registry:worker_list"), {"level": "x"}).status_code == 200
