"""The login form: Django's, with its errors next to the fields naming their labels."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from skillcity.web.forms import LabelledErrorsMixin, required_message


class LoginForm(LabelledErrorsMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        # The labels changed after the mixin wrote its messages: write them again.
        for field in self.fields.values():
            field.error_messages["required"] = required_message(field)
