"""Real-name registration: matched to a registry worker by ID number, name and phone; an account once;
refusals that do not tell which of the three differs; throttled like the login; audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillcity.accounts.models import User
from skillcity.core.models import AuditEvent
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db
URL = "/learning/register/"
PASSWORD = "kept-Secret-2026"


@pytest.fixture
def resident(changan):
    return WorkerFactory(town=changan, name="张三丰", phone="13712345678")


def _form(worker, **changes):
    data = {
        "name": worker.name,
        "id_number": worker.id_number,
        "phone": worker.phone,
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(changes)
    return data


def test_the_url_is_named():
    assert reverse("learning:register") == URL


def test_it_makes_the_workers_account_signs_in_and_goes_on(client, resident):
    response = client.post(
        URL + "?next=/learning/my/", _form(resident, name=" 张三丰 ", phone="137 1234 5678")
    )
    assert response.status_code == 302 and response["Location"] == "/learning/my/"
    user = User.objects.get(worker=resident)
    assert user.role == "worker" and user.username == resident.id_number.lower()
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    event = AuditEvent.objects.get(action="user.create", target_id=str(user.pk))
    assert event.actor_label == "实名注册"


@pytest.mark.parametrize("field", ["name", "phone"])
def test_a_mismatch_names_the_fields_without_telling_which(client, resident, field):
    wrong = {"name": "张四丰", "phone": "13700000000"}[field]
    response = client.post(URL, _form(resident, **{field: wrong}))
    assert response.status_code == 400
    assert not User.objects.filter(worker=resident).exists()
    form = response.context["form"]
    assert set(form.errors) >= {"name", "id_number", "phone"}
    # The same words whichever field differed.
    assert "姓名、身份证号码、手机号码与劳动者登记信息不一致" in response.content.decode()


def test_an_id_number_not_in_the_registry_is_refused_the_same_way(client, resident):
    other = WorkerFactory.build().id_number
    response = client.post(URL, _form(resident, id_number=other))
    assert response.status_code == 400
    assert "姓名、身份证号码、手机号码与劳动者登记信息不一致" in response.content.decode()


def test_a_malformed_id_number_is_named(client, resident):
    wrong_check = "1" if resident.id_number[17] == "0" else "0"  # never the number's own check character
    response = client.post(URL, _form(resident, id_number=resident.id_number[:17] + wrong_check))
    assert response.status_code == 400
    assert "id_number" in response.context["form"].errors


def test_an_existing_account_is_told_to_log_in(client, resident):
    UserFactory(username="zhang", role="worker", worker=resident)
    response = client.post(URL, _form(resident))
    assert response.status_code == 409
    assert 'data-testid="account-exists"' in response.content.decode()
    assert User.objects.filter(worker=resident).count() == 1


def test_a_weak_or_mistyped_password_is_refused(client, resident):
    assert (
        "password"
        in client.post(URL, _form(resident, password="12345678", password2="12345678")).context["form"].errors
    )
    assert "password2" in client.post(URL, _form(resident, password2="other-Secret-1")).context["form"].errors
    assert not User.objects.filter(worker=resident).exists()


def test_too_many_failures_lock_the_id_number(client, resident, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert client.post(URL, _form(resident, phone="13700000000")).status_code == 400
    response = client.post(URL, _form(resident))  # now right, but locked
    assert response.status_code == 429
    assert not User.objects.filter(worker=resident).exists()


def test_a_signed_in_user_is_sent_on(client, worker_user):
    client.force_login(worker_user)
    assert client.get(URL).status_code == 302


def test_the_page_renders(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "实名注册" in response.content.decode()
