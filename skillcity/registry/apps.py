from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "skillcity.registry"
    label = "registry"
    verbose_name = "基础名录"

    def ready(self) -> None:
        from skillcity.registry import exports  # noqa: F401  (registers the lists' background exports)
