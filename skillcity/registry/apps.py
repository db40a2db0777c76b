from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "skillcity.registry"
    label = "registry"
    verbose_name = "基础名录"
