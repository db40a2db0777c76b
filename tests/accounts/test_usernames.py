"""Issue 12 §4: usernames are stored and looked up normalised (NFKC, trimmed, case-folded)."""

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from skillcity.accounts.models import Role, User, normalise_username
from skillcity.accounts.services import user_create
from skillcity.core.errors import DomainError
from tests.factories import UserFactory

PASSWORD = "correct-horse-9"  # tests.factories.UserFactory


@pytest.mark.parametrize("typed", ["humen", "humen ", " Humen", "ＨＵＭＥＮ", "ｈｕｍｅｎ", "HUMEN\t"])
def test_every_spelling_of_a_name_normalises_to_one(typed):
    assert normalise_username(typed) == "humen"


def test_normalising_twice_changes_nothing():
    for name in ["ß-Straße", "ﬁle", "Ａｂｃ１２", "ǅemo", "ΣΑΣ"]:
        once = normalise_username(name)
        assert normalise_username(once) == once


@pytest.mark.django_db
def test_the_service_stores_the_normalised_name_and_refuses_another_spelling(bureau_officer):
    user = user_create(username=" ＨｕＭｅｎ ", password=PASSWORD, role=Role.BUREAU_OFFICER, actor=None)
    assert User.objects.get(pk=user.pk).username == "humen"
    with pytest.raises(DomainError) as refused:
        user_create(username="HUMEN", password=PASSWORD, role=Role.BUREAU_OFFICER, actor=None)
    assert "username" in refused.value.fields


@pytest.mark.django_db
def test_any_save_stores_the_normalised_name():
    user = UserFactory(username="Ｃｈａｎｇａｎ_Officer")
    assert User.objects.get(pk=user.pk).username == "changan_officer"


@pytest.mark.django_db
def test_createsuperuser_stores_the_normalised_name_and_refuses_a_duplicate(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", username="Admin", email="", interactive=False, verbosity=0)
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("createsuperuser", username="ＡＤＭＩＮ", email="", interactive=False, verbosity=0)
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_user_logs_in_with_any_spelling_of_their_name(client):
    UserFactory(username="humen")
    for typed in ["Humen", "humen ", "ｈｕｍｅｎ"]:
        response = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})
        assert response.status_code == 302, typed
        assert client.get("/api/v1/accounts/me").json()["username"] == "humen"
        client.logout()


def _migration():
    import importlib

    return importlib.import_module("skillcity.accounts.migrations.0002_normalise_usernames")


@pytest.mark.django_db
def test_the_data_migration_rewrites_names_stored_before_it():
    user = UserFactory(username="humen")
    User.objects.filter(pk=user.pk).update(username="ＨＵＭＥＮ ")  # as stored before normalisation
    _migration().normalise_usernames(django_apps, None)
    assert User.objects.get(pk=user.pk).username == "humen"


@pytest.mark.django_db
def test_the_data_migration_refuses_names_that_collide_and_lists_them():
    first, second = UserFactory(username="humen"), UserFactory(username="other")
    User.objects.filter(pk=second.pk).update(username="Humen")
    with pytest.raises(RuntimeError) as refused:
        _migration().normalise_usernames(django_apps, None)
    assert f"#{first.pk} 'humen'" in str(refused.value) and f"#{second.pk} 'Humen'" in str(refused.value)
    assert User.objects.get(pk=second.pk).username == "Humen"  # nothing rewritten


@pytest.mark.django_db
def test_console_commands_find_a_user_by_any_spelling(bureau_officer, capsys):
    call_command("token", "create", "--user", "Bureau_Officer ", "--name", "ops")
    assert capsys.readouterr().out.startswith("sct_")
