from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "skillcity.grants"
    label = "grants"
    verbose_name = "补贴申报"

    def ready(self) -> None:
        from skillcity.grants import providers

        providers.register()
