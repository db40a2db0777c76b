from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "skillcity.certification"
    label = "certification"
    verbose_name = "技能等级认定"
