"""The audit page: the bureau filters the log and runs the chain's verification from it."""

import datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from skillcity.core.audit import audit_record
from skillcity.core.models import AuditEvent

URL = reverse("web:audit_log")


def _event(actor: str, action: str, target_type: str, target_id: int) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action=action, target_type=target_type, target_id=target_id)


@pytest.fixture
def log(db):
    _event("alice", "worker.create", "registry.worker", 1)
    _event("bob", "worker.update", "registry.worker", 2)
    _event("alice", "organisation.create", "registry.organisation", 1)


def _rows(response) -> list[tuple[str, str, str]]:
    return [(e.actor_label, e.action, f"{e.target_type}:{e.target_id}") for e in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"actor": "alice"},
            {
                ("alice", "organisation.create", "registry.organisation:1"),
                ("alice", "worker.create", "registry.worker:1"),
            },
        ),
        (
            {"action": "worker.update"},
            {("bob", "worker.update", "registry.worker:2")},
        ),
        (
            {"target_type": "registry.worker", "target_id": "2"},
            {("bob", "worker.update", "registry.worker:2")},
        ),
        (
            {"actor": "alice", "target_type": "registry.organisation"},
            {("alice", "organisation.create", "registry.organisation:1")},
        ),
    ],
)
def test_the_bureau_filters_the_log_by_user_action_and_record(client, bureau_officer, log, query, expected):
    client.force_login(bureau_officer)
    assert set(_rows(client.get(URL, query))) == expected


def test_the_action_and_record_type_are_chosen_by_their_labels_never_typed_as_codes(
    client, bureau_officer, log
):
    client.force_login(bureau_officer)
    response = client.get(URL, {"action": "worker.update", "target_type": "registry.worker"})
    page = response.content.decode()
    assert '<select name="action"' in page and '<select name="target_type"' in page
    assert '<option value="worker.update" selected>修改劳动者信息</option>' in page
    assert '<option value="registry.worker" selected>劳动者</option>' in page
    assert '<option value="registry.workers">劳动者名单</option>' in page
    assert "如 registry.worker" not in page and "开头相同即可" not in page
    # A code that is no choice is named next to its field, not silently ignored.
    wrong = client.get(URL, {"action": "worker."})
    assert "action" in wrong.context["form"].errors and _rows(wrong) == []
    assert 'id="error-action"' in wrong.content.decode()


def test_the_bureau_filters_the_log_by_a_date_range(client, bureau_officer, log):
    client.force_login(bureau_officer)
    today = timezone.localdate().isoformat()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert len(_rows(client.get(URL, {"date_from": today, "date_to": today}))) == 3
    assert _rows(client.get(URL, {"date_to": yesterday})) == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "20240501"}, "date_from", "开始日期：日期应为 YYYY-MM-DD 格式"),
        ({"date_to": "2024-W18-3"}, "date_to", "结束日期：日期应为 YYYY-MM-DD 格式"),
        ({"date_from": "2024-05-02", "date_to": "2024-05-01"}, "date_to", "结束日期不能早于开始日期"),
        ({"actor": "x" * 151}, "actor", "150"),
    ],
)
def test_it_names_the_filter_it_cannot_read(client, bureau_officer, log, query, field, message):
    client.force_login(bureau_officer)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert _rows(response) == []


def test_only_the_bureau_may_verify(client, changan_officer, log):
    client.force_login(changan_officer)
    assert client.post(reverse("web:audit_verify")).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.verify").exists()


def test_the_bureau_verifies_a_whole_chain_from_the_page_and_the_check_is_audited(
    client, bureau_officer, log
):
    client.force_login(bureau_officer)
    response = client.post(reverse("web:audit_verify"), follow=True)
    check = AuditEvent.objects.get(action="audit.verify")
    assert check.actor_label == bureau_officer.username
    assert check.after["ok"] is True and check.after["checked"] == 3
    page = response.content.decode()
    assert "审计日志完整" in page and "已逐条验证 3 条记录" in page
    assert f"审计记录 #{check.id}" in page


def test_the_page_names_what_the_verification_found(client, bureau_officer, log):
    rows = list(AuditEvent.objects.order_by("seq"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [rows[1].id])
    client.force_login(bureau_officer)
    page = client.post(reverse("web:audit_verify"), follow=True).content.decode()
    assert "审计日志被删除或改动" in page
    assert "第 2 号记录缺失（被删除）" in page
    assert AuditEvent.objects.get(action="audit.verify").after["findings"][0]["kind"] == "missing"
