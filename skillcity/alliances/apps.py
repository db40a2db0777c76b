from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "skillcity.alliances"
    label = "alliances"
    verbose_name = "职业培训联盟"
