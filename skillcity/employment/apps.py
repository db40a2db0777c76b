from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "skillcity.employment"
    label = "employment"
    verbose_name = "就业"

    def ready(self) -> None:
        from skillcity.employment import registrations  # noqa: F401
