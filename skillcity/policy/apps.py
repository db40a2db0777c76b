from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "skillcity.policy"
    label = "policy"
    verbose_name = "政策引擎"
