"""Issue 2 item 8: login throttling after repeated failures (LOGIN_MAX_FAILURES / LOGIN_LOCK_SECONDS)."""

import datetime

import pytest
from django.utils import timezone

from skillcity.accounts.models import LoginFailure
from skillcity.core.models import AuditEvent

PASSWORD = "correct-horse-9"  # tests.factories.UserFactory


def _login(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def strict(settings):
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_LOCK_SECONDS = 900
    return settings


@pytest.mark.django_db
def test_a_correct_password_logs_in(client, changan_officer, strict):
    response = _login(client, "changan_officer", PASSWORD)
    assert response.status_code == 302
    assert client.get("/api/v1/accounts/me").json()["username"] == "changan_officer"


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_for_the_right_password(client, changan_officer, strict):
    for _ in range(5):
        assert _login(client, "changan_officer", "wrong").status_code == 200
    response = _login(client, "changan_officer", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.failure").count() == 5


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, changan_officer, strict):
    for _ in range(4):
        _login(client, "changan_officer", "wrong")
    assert _login(client, "changan_officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_success_clears_the_failures(client, changan_officer, strict):
    for _ in range(4):
        _login(client, "changan_officer", "wrong")
    assert _login(client, "changan_officer", PASSWORD).status_code == 302
    assert LoginFailure.objects.count() == 0
    client.logout()
    for _ in range(4):
        _login(client, "changan_officer", "wrong")
    assert _login(client, "changan_officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_another_address_is_not_locked_out(client, changan_officer, strict):
    for _ in range(5):
        _login(client, "changan_officer", "wrong", address="10.0.0.1")
    assert _login(client, "changan_officer", PASSWORD, address="10.0.0.1").status_code == 429
    assert _login(client, "changan_officer", PASSWORD, address="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_the_lock_ends_after_the_lock_period(client, changan_officer, strict):
    for _ in range(5):
        _login(client, "changan_officer", "wrong")
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(seconds=901))
    assert _login(client, "changan_officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_limit_follows_the_setting(client, changan_officer, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        _login(client, "changan_officer", "wrong")
    assert _login(client, "changan_officer", PASSWORD).status_code == 429


# --- issue 12 §4: the lock cannot be sidestepped ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["changan_officer ", "ｃｈａｎｇａｎ_ｏｆｆｉｃｅｒ", "Changan_Officer"])
def test_another_spelling_of_a_locked_name_is_locked_too(client, changan_officer, strict, spelling):
    for _ in range(5):
        _login(client, "changan_officer", "wrong")
    response = _login(client, spelling, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_under_different_spellings_add_up_to_one_lock(client, changan_officer, strict):
    for spelling in [
        "changan_officer",
        "changan_officer ",
        "ＣＨＡＮＧＡＮ_ＯＦＦＩＣＥＲ",
        "Changan_officer",
        "\tchangan_officer",
    ]:
        _login(client, spelling, "wrong")
    assert _login(client, "changan_officer", PASSWORD).status_code == 429
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"changan_officer"}


@pytest.mark.django_db
def test_an_address_trying_many_names_is_locked_for_every_name(client, changan_officer, settings, strict):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 8
    for n in range(8):
        _login(client, f"nobody{n}", "wrong")
    assert _login(client, "changan_officer", PASSWORD).status_code == 429
    assert _login(client, "changan_officer", PASSWORD, address="10.0.0.9").status_code == 302


@pytest.mark.django_db
def test_a_flood_of_unknown_names_writes_one_audit_row_per_address_and_window(client, strict, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 1000
    for n in range(50):
        _login(client, f"random-{n}", "wrong", address="10.0.0.1")
    for n in range(3):
        _login(client, f"random-{n}", "wrong", address="10.0.0.2")
    rows = AuditEvent.objects.filter(action="login.failure.unknown_user")
    assert sorted(rows.values_list("target_id", flat=True)) == ["10.0.0.1", "10.0.0.2"]
    assert AuditEvent.objects.filter(action="login.failure").count() == 0
    assert LoginFailure.objects.filter(address="10.0.0.1").count() == 50  # each one still counted


@pytest.mark.django_db
def test_a_new_window_gets_a_new_audit_row_for_unknown_names(client, strict, monkeypatch):
    _login(client, "nobody", "wrong")
    _login(client, "nobody-else", "wrong")
    assert AuditEvent.objects.filter(action="login.failure.unknown_user").count() == 1
    later = timezone.now() + datetime.timedelta(seconds=901)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _login(client, "nobody", "wrong")
    assert AuditEvent.objects.filter(action="login.failure.unknown_user").count() == 2


@pytest.mark.django_db
def test_failures_for_a_real_account_are_each_audited(client, changan_officer, strict):
    for _ in range(3):
        _login(client, "Changan_Officer", "wrong")
    rows = AuditEvent.objects.filter(action="login.failure")
    assert list(rows.values_list("target_id", flat=True)) == ["changan_officer"] * 3


@pytest.mark.django_db
def test_a_new_address_gives_no_fresh_tries_past_the_username_limit(
    client, changan_officer, settings, strict
):
    """Guessing one account's password from many addresses: LOGIN_USERNAME_MAX_FAILURES failures
    from any addresses lock the (normalised) username everywhere."""
    settings.LOGIN_USERNAME_MAX_FAILURES = 6
    for n in range(6):
        _login(client, "Changan_Officer " if n % 2 else "changan_officer", "wrong", address=f"10.0.1.{n}")
    response = _login(client, "changan_officer", PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_fewer_failures_than_the_username_limit_from_elsewhere_do_not_lock(
    client, changan_officer, settings, strict
):
    settings.LOGIN_USERNAME_MAX_FAILURES = 20
    for _ in range(5):
        _login(client, "changan_officer", "wrong", address="10.0.3.1")
    assert _login(client, "changan_officer", PASSWORD, address="10.0.3.2").status_code == 302
