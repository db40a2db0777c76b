from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "skillcity.supervision"
    label = "supervision"
    verbose_name = "培训监管"

    def ready(self) -> None:
        from skillcity.supervision import registrations  # noqa: F401
