"""Login (throttled), logout and the profile page where a user manages API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.accounts.forms import LoginForm
from skillcity.accounts.models import ApiToken, User
from skillcity.accounts.services import (
    login_failure_record,
    login_failures_clear,
    login_locked_until,
    token_create,
    token_revoke,
    user_set_large_type,
)
from skillcity.core.access import client_address
from skillcity.core.errors import DomainError


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    locked_until = None
    if request.method == "POST":
        username = request.POST.get("username", "")
        address = client_address(request)
        locked_until = login_locked_until(username=username, address=address)
        if locked_until is not None:
            minutes = max(1, int((locked_until - timezone.now()).total_seconds() // 60) + 1)
            form.errors.clear()
            messages.error(request, _("登录失败次数过多，请 %(m)s 分钟后再试") % {"m": minutes})
            return render(request, "accounts/login.html", {"form": LoginForm(request)}, status=429)
        if form.is_valid():
            login_failures_clear(username=username, address=address)
            login(request, form.get_user())
            target = request.POST.get("next") or request.GET.get("next") or "/"
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/"
            return redirect(target)
        login_failure_record(username=username, address=address)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


# The cookie that remembers 长辈模式 for a visitor who is not logged in (a year; not personal data).
LARGE_TYPE_COOKIE = "sc_large_type"


@require_POST
def large_type_view(request: HttpRequest) -> HttpResponse:
    """Switch 长辈模式 on or off: on the user when logged in, and in a cookie for this browser."""
    on = request.POST.get("large_type") == "1"
    if request.user.is_authenticated:
        assert isinstance(request.user, User)
        user_set_large_type(user=request.user, large_type=on, actor=request.user)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if on:
        response.set_cookie(LARGE_TYPE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(LARGE_TYPE_COOKIE, samesite="Lax")
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:home")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    new_token = None
    name_error = ""
    if request.method == "POST":
        try:
            _token, new_token = token_create(user=user, name=request.POST.get("name", ""), actor=user)
        except DomainError as exc:
            name_error = str(exc.message)  # beside the name field, which is all this form has
    tokens = ApiToken.objects.filter(user=user)
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "new_token": new_token,
            "name_error": name_error,
            "name_typed": request.POST.get("name", "")[:100] if name_error else "",
        },
        status=400 if name_error else 200,
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        token_revoke(token=token, actor=request.user)
        messages.success(request, _("令牌“%(name)s”已吊销") % {"name": token.name})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("accounts:profile")
