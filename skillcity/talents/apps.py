from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "skillcity.talents"
    label = "talents"
    verbose_name = "技能人才"

    def ready(self) -> None:
        from skillcity.grants.flows import (
            register_approved_callback,
            register_fact_provider,
            register_source_describer,
        )
        from skillcity.jobs.schedule import PeriodicJob, register_periodic_job, the_day
        from skillcity.registry.signals import basis_revoked
        from skillcity.talents.selectors.cards import provide_studio_lead
        from skillcity.talents.services import pool  # noqa: F401  (registers the pool's background export)
        from skillcity.talents.services.cards import on_basis_revoked
        from skillcity.talents.services.leading import describe_source

        # TAL-CARD's studio_lead_level (certification provides titles and the highest level).
        register_fact_provider("TAL-CARD", provide_studio_lead)
        basis_revoked.connect(on_basis_revoked, dispatch_uid="talents.card_recheck")

        register_source_describer("talents.", describe_source)
        # A home purchase approved ends the rent schedule (services/home_purchase.py).
        from skillcity.talents.services.home_purchase import on_grant_approved

        register_approved_callback("TAL-LEADING", on_grant_approved)
        register_periodic_job(
            PeriodicJob(
                name="talents.rent_pay",
                period="daily",
                task="skillcity.talents.tasks.rent_pay_task",
                reason="技能领军人才租房补贴按月发放：每个发放计划每月拨付一次（幂等键 rent:<计划>:<年月>），期满自动终止（docs/talents.md）",
                arguments=the_day,
            )
        )
