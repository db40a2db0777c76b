from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "skillcity.web"
    label = "web"
    verbose_name = "网页"
