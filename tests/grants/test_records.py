"""Applications made from a programme's records (grants.services.records): facts with their provenance,
a source key claimed once, submitted straight into the one review path, the payee told."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.grants import flows, services
from skillcity.grants.models import Application
from skillcity.grants.models import ApplicationState as S
from skillcity.notifications.models import Notification, NotificationKind
from tests.grants.conftest import AFTER_NOTICE, to_notice

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 1)
KEY = "test.record:1:CMP-HOST"


@pytest.fixture(autouse=True)
def _describer():
    flows.register_source_describer("test.", lambda key: "来源记录测试竞赛 · 测试项目")
    yield
    flows.SOURCE_DESCRIBERS.pop("test.", None)


def make(actor, payee, *, key=KEY, **facts):
    return services.application_from_records(
        actor=actor,
        rule_id="CMP-HOST",
        payee=payee,
        event_date=DAY,
        facts=facts or {"competition_level": "city_class1"},
        fact_sources={k: "测试竞赛（2024）" for k in (facts or {"competition_level": 1})},
        source_key=key,
    )


def test_it_makes_and_submits_an_application_for_an_organisation(
    bureau_officer, enterprise_user, changan_enterprise
):
    app = make(bureau_officer, changan_enterprise)
    assert app.state == S.IN_REVIEW and app.stage_index == 0 and app.stage_due is not None
    assert app.organisation == changan_enterprise and app.town == changan_enterprise.town
    assert app.created_by == bureau_officer and app.source_key == KEY
    assert app.fact_sources == {"competition_level": "测试竞赛（2024）"}
    assert app.outcome["eligible"] is True
    assert [e.action for e in app.events.all()] == ["create", "submit"]
    audit = AuditEvent.objects.get(action="grants.application.from_records", target_id=str(app.pk))
    assert audit.after["source_key"] == KEY
    note = Notification.objects.get(user=enterprise_user)
    assert note.kind == NotificationKind.APPLICATION_MADE and note.url.endswith(f"/{app.pk}/")
    assert "已根据平台记录为您生成申请" in note.text


def test_it_makes_one_for_a_worker_who_is_told(bureau_officer, worker_user, changan_worker):
    app = make(bureau_officer, changan_worker)
    assert app.worker == changan_worker and app.organisation is None
    assert Notification.objects.filter(user=worker_user, kind=NotificationKind.APPLICATION_MADE).exists()


def test_a_second_application_for_the_same_record_is_refused_naming_it(bureau_officer, changan_enterprise):
    first = make(bureau_officer, changan_enterprise)
    with pytest.raises(DomainError) as err:
        make(bureau_officer, changan_enterprise)
    assert err.value.code == "source_already_claimed"
    assert "来源记录测试竞赛 · 测试项目" in err.value.message and str(first.pk) in err.value.message
    assert Application.objects.filter(source_key=KEY).count() == 1


def test_a_withdrawn_application_frees_its_record(bureau_officer, enterprise_user, changan_enterprise):
    first = make(bureau_officer, changan_enterprise)
    services.application_withdraw(application=first, actor=enterprise_user)
    again = make(bureau_officer, changan_enterprise)
    assert again.pk != first.pk and again.state == S.IN_REVIEW


def test_it_refuses_an_ineligible_outcome_and_makes_nothing(bureau_officer, changan_enterprise):
    with pytest.raises(DomainError) as err:
        make(bureau_officer, changan_enterprise, eligible=False)
    assert err.value.code == "not_eligible"
    assert not Application.objects.exists()


def test_it_refuses_a_fact_without_a_source(bureau_officer, changan_enterprise):
    with pytest.raises(DomainError) as err:
        services.application_from_records(
            actor=bureau_officer,
            rule_id="CMP-HOST",
            payee=changan_enterprise,
            event_date=DAY,
            facts={"competition_level": "city_class1"},
            fact_sources={},
            source_key=KEY,
        )
    assert err.value.code == "fact_source_missing" and "competition_level" in err.value.message


def test_an_anonymous_actor_is_refused(changan_enterprise):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        make(AnonymousUser(), changan_enterprise)


def test_it_goes_the_one_path_to_payment_once(
    bureau_officer, changan_officer, finance_officer, changan_enterprise
):
    app = make(bureau_officer, changan_enterprise)
    app = to_notice(app, [changan_officer, bureau_officer], bureau_officer, amount=Decimal("90000"))
    services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    first = services.payment_make(application=app, actor=finance_officer, idempotency_key="k1")
    again = services.payment_make(application=app, actor=finance_officer, idempotency_key="k1")
    assert first.pk == again.pk and first.amount == Decimal("90000.00")


def test_the_detail_page_and_the_api_show_the_source(bureau_officer, changan_enterprise):
    app = make(bureau_officer, changan_enterprise)
    client = Client()
    client.force_login(bureau_officer)
    page = client.get(f"/grants/{app.pk}/").content.decode()
    assert "来源：来源记录测试竞赛 · 测试项目" in page
    data = client.get(f"/api/v1/grants/applications/{app.pk}").json()
    assert data["source_key"] == KEY and data["source"] == "来源记录测试竞赛 · 测试项目"
