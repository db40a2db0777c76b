from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "skillcity.talents"
    label = "talents"
    verbose_name = "技能人才"
