from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "skillcity.grants"
    label = "grants"
    verbose_name = "补贴申报"

    def ready(self) -> None:
        from skillcity.grants import events, exports, providers  # noqa: F401  (exports: registers its kinds)

        providers.register()
        events.register()  # stored applications for the policy what-if simulation
