from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "skillcity.schools"
    label = "schools"
    verbose_name = "技工院校"

    def ready(self) -> None:
        from skillcity.schools import registrations  # noqa: F401
