from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "skillcity.learning"
    label = "learning"
    verbose_name = "在线学习"

    def ready(self) -> None:
        # Each part registers its periodic jobs, fact providers and hot routes from its own module.
        from skillcity.learning import registrations  # noqa: F401
