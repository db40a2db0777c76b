from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "skillcity.training"
    label = "training"
    verbose_name = "职业培训"
