from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "skillcity.competitions"
    label = "competitions"
    verbose_name = "职业技能竞赛"
