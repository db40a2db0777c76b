from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "skillcity.competitions"
    label = "competitions"
    verbose_name = "职业技能竞赛"

    def ready(self) -> None:
        # The grants pages say what record an award's application came from ("来源：…竞赛…项目…").
        from skillcity.competitions.services.awards import SOURCE_PREFIX, describe_source
        from skillcity.grants.flows import register_source_describer

        register_source_describer(SOURCE_PREFIX, describe_source)
