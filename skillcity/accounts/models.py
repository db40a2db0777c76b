"""Accounts: one user model with a role and the scope that role is limited to."""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_OFFICER = "bureau_officer", _("市人社局工作人员")
    TOWN_OFFICER = "town_officer", _("镇街工作人员")
    ORGANISATION_USER = "organisation_user", _("单位用户")
    WORKER = "worker", _("劳动者")


def normalise_username(username: Any) -> str:
    """The one form a username is stored, looked up and throttled under.

    NFKC folds full-width and compatibility forms (ｈｕｍｅｎ → humen), strip drops the spaces a
    form or a paste adds, casefold makes Humen and HUMEN one name. Without it, each spelling of one
    account was a separate lockout key with its own five tries.
    """
    # NFKC again after casefold: folding can leave a form NFKC would change, and the result must be
    # a fixed point (normalising a stored name gives the same name).
    folded = unicodedata.normalize("NFKC", str(username or "")).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


class SkillCityUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # Authentication (ModelBackend), createsuperuser's uniqueness check and fixtures all come
        # here: `Humen` logs in as `humen`.
        return super().get_by_natural_key(normalise_username(username))


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.WORKER)
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    town = models.ForeignKey(
        "registry.Town",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("镇街"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("单位"),
    )
    worker = models.OneToOneField(
        "registry.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        verbose_name=_("劳动者"),
    )
    # 长辈模式: large type, larger targets and higher contrast on every page this user sees (issue 13
    # item 13). Anonymous visitors get the same from a cookie (skillcity.web.context_processors).
    large_type = models.BooleanField(_("长辈模式"), default=False)

    objects: ClassVar[SkillCityUserManager] = SkillCityUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # The scope a role is limited to must be set: a town officer without a town would see nothing
            # or, worse, be mistaken for a city-wide officer by a careless check.
            models.CheckConstraint(
                condition=~Q(role="town_officer") | Q(town__isnull=False), name="town_officer_has_town"
            ),
            models.CheckConstraint(
                condition=~Q(role="organisation_user") | Q(organisation__isnull=False),
                name="organisation_user_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role="worker") | Q(worker__isnull=False) | Q(is_superuser=True),
                name="worker_user_has_worker",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @classmethod
    def normalize_username(cls, username: Any) -> str:
        # Django calls this from create_user/create_superuser and Model.clean (forms, admin).
        return normalise_username(username)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every path that writes a user (services, demo, factories, createsuperuser) stores the
        # normalised name, so two accounts cannot differ only by width, case or spaces.
        self.username = normalise_username(self.username)
        super().save(*args, **kwargs)

    @property
    def is_bureau(self) -> bool:
        return self.role == Role.BUREAU_OFFICER

    @property
    def is_town_officer(self) -> bool:
        return self.role == Role.TOWN_OFFICER

    @property
    def is_organisation_user(self) -> bool:
        return self.role == Role.ORGANISATION_USER

    @property
    def is_worker(self) -> bool:
        return self.role == Role.WORKER

    @property
    def sees_personal_data(self) -> bool:
        """Roles whose work needs full ID numbers and phones (each full view is still audited)."""
        return self.role in (Role.BUREAU_OFFICER, Role.TOWN_OFFICER)


class ApiToken(models.Model):
    """A personal access token for /api/v1/. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(models.Model):
    """A failed login; enough of them for one username from one address locks it for a while."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.username}@{self.address} {self.at:%Y-%m-%d %H:%M}"
