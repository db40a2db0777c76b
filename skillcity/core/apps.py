from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "skillcity.core"
    label = "core"
    verbose_name = "核心"
