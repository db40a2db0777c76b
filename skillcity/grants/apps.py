from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "skillcity.grants"
    label = "grants"
    verbose_name = "补贴申报"

    def ready(self) -> None:
        from skillcity.grants import events, providers

        providers.register()
        events.register()  # stored applications for the policy what-if simulation
