"""Real-name registration (issue 18 §2): a resident makes their own account by proving they are a worker
of the registry — the ID number, the name AND the phone held there must all match.

A refusal never says which of the three did not match (that would let anyone learn a stranger's phone
or name from their ID number, one guess at a time), and tries are throttled like the login, in the same
table (skillcity.accounts.services): per ID number from one address, per ID number from anywhere, per
address."""

from __future__ import annotations

import unicodedata

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillcity.accounts.models import Role, User
from skillcity.accounts.services import login_failure_record, login_locked_until, user_create
from skillcity.core.errors import DomainError
from skillcity.core.validators import parse_resident_id
from skillcity.registry.models import Worker

# The throttle's key, beside the login's usernames: a prefix no username can take (usernames made here
# are ID numbers, digits and x).
THROTTLE_PREFIX = "register:"
# Who the audit row names as the actor: the person is not signed in yet.
REGISTER_ACTOR = "实名注册"


def _same_name(a: str, b: str) -> bool:
    def fold(value: str) -> str:
        return "".join(unicodedata.normalize("NFKC", value or "").split())

    return fold(a) == fold(b)


def _digits(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", value or "") if ch.isdigit())


def _no_match() -> DomainError:
    message = _("姓名、身份证号码、手机号码与劳动者登记信息不一致，请核对后再试")
    return DomainError(
        "registry_mismatch",
        message,
        {"name": _("请核对"), "id_number": _("请核对"), "phone": _("请核对")},
    )


def register_locked_minutes(*, id_number: str, address: str) -> int | None:
    """Minutes until registration for this ID number from this address is open again, or None."""
    until = login_locked_until(username=THROTTLE_PREFIX + id_number.strip().upper(), address=address)
    if until is None:
        return None
    return max(1, int((until - timezone.now()).total_seconds() // 60) + 1)


def worker_account_register(*, name: str, id_number: str, phone: str, password: str, address: str) -> User:
    """The worker's account (username: their ID number), made once. Raises DomainError naming fields."""
    try:
        number = parse_resident_id(id_number).number
    except ValueError as exc:
        # The number's own form: nothing about the registry is told.
        raise DomainError("invalid", _("身份证号码格式有误"), {"id_number": str(exc)}) from None
    minutes = register_locked_minutes(id_number=number, address=address)
    if minutes is not None:
        raise DomainError("locked", _("核对失败次数过多，请 %(m)s 分钟后再试") % {"m": minutes}, status=429)
    worker = Worker.objects.filter(id_number=number).first()
    if (
        worker is None
        or not _same_name(worker.name, name)
        or not worker.phone
        or _digits(worker.phone) != _digits(phone)
    ):
        login_failure_record(username=THROTTLE_PREFIX + number, address=address)
        raise _no_match()
    if User.objects.filter(worker=worker).exists():
        raise DomainError("account_exists", _("您已有账号，请直接登录"), status=409)
    try:
        validate_password(password, User(username=number, display_name=worker.name))
    except ValidationError as exc:
        raise DomainError("invalid", _("密码不符合要求"), {"password": list(exc.messages)}) from None
    try:
        with transaction.atomic():
            # user_create writes the audit row (user.create, actor 实名注册) in this transaction.
            return user_create(
                username=number,
                password=password,
                role=Role.WORKER,
                actor=REGISTER_ACTOR,
                display_name=worker.name,
                worker=worker,
            )
    except (ValidationError, IntegrityError):
        # Two registrations of one worker at once: the second finds the first's account (the worker
        # link is unique in the database).
        raise DomainError("account_exists", _("您已有账号，请直接登录"), status=409) from None
