from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "skillcity.training"
    label = "training"
    verbose_name = "职业培训"

    def ready(self) -> None:
        from skillcity.training import events

        events.register()  # stored enrolments for the policy what-if simulation
