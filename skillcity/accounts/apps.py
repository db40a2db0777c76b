from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "skillcity.accounts"
    label = "accounts"
    verbose_name = "账号"
