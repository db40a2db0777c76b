from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "skillcity.certification"
    label = "certification"
    verbose_name = "技能等级认定"

    def ready(self) -> None:
        from skillcity.certification.facts import register_fact_providers

        register_fact_providers()
