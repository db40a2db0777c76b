from django.apps import AppConfig


class ApprenticeshipConfig(AppConfig):
    name = "skillcity.apprenticeship"
    label = "apprenticeship"
    verbose_name = "学徒制"

    def ready(self) -> None:
        from skillcity.apprenticeship import registrations  # noqa: F401
