from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "skillcity.matching"
    label = "matching"
    verbose_name = "岗位匹配"

    def ready(self) -> None:
        from skillcity.matching import registrations  # noqa: F401
