from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "skillcity.platforms"
    label = "platforms"
    verbose_name = "技能平台"

    def ready(self) -> None:
        # Each part registers its fact providers, source describers and periodic jobs from its own
        # module (one line each).
        from skillcity.platforms import registrations  # noqa: F401
