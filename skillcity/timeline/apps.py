from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "skillcity.timeline"
    label = "timeline"
    verbose_name = "职业档案"

    def ready(self) -> None:
        from skillcity.timeline import registrations  # noqa: F401
